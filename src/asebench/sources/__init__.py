"""Project sources (git, PyPI sdist, npm tarball, Go module zip, local dir) as cached trees."""

from asebench.sources.errors import SourceError
from asebench.sources.fetch import fetch_fixed_tree, fetch_tree
from asebench.sources.git import fetch_file_at
from asebench.sources.tree import SourceTree

__all__ = ["SourceError", "SourceTree", "fetch_file_at", "fetch_fixed_tree", "fetch_tree"]

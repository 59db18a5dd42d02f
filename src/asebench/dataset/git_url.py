"""What a dataset record may name as a git source's `url`.

git understands more than addresses: `<transport>::<address>` runs a remote helper (`ext::`
runs a command), an argument starting with `-` is read as an option (`--upload-pack=…`), and a
local path or `file://` URL reads any repository the user running asebench can read (often
root). A record is untrusted input, so a git URL is either a network address (`https://`,
`http://`, `git://`, `ssh://`, or scp-like `user@host:path`) or a path relative to the instance
folder that stays inside the dataset folder, like a local source.
"""

from __future__ import annotations

import re
from pathlib import Path

from asebench.dataset.confined import PathEscape, confined_path

NETWORK = re.compile(r"^(?:https?|git|ssh|git\+ssh)://[^/\s]", re.IGNORECASE)
SCP_LIKE = re.compile(r"^[\w.-]+@[\w.-]+:")
TRANSPORT = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*::")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_network_url(url: str) -> bool:
    """Whether `url` is a network address git fetches from (not a local path)."""
    return NETWORK.match(url) is not None or SCP_LIKE.match(url) is not None


def git_url_problem(url: str, instance_root: Path, dataset_root: Path) -> str | None:
    """Why `url` may not be used as a git source (None when it may).

    Refused: a leading `-`, a `<transport>::` form, a scheme other than the network ones
    (`file://` included), an absolute path, and a relative path that resolves outside
    `dataset_root` (through `..` or a symlink)."""
    if not url.strip():
        return "an empty URL"
    if url.startswith("-"):
        return f"{url!r} starts with '-': git would read it as an option"
    if TRANSPORT.match(url):
        return f"{url!r} names a git transport helper ('<transport>::'): not allowed"
    if is_network_url(url):
        return None
    if SCHEME.match(url):
        return (f"{url!r}: only https, http, git and ssh URLs are fetched; name a local "
                "repository by a path relative to the instance folder")
    try:
        confined_path(url, instance_root, folder=dataset_root, what="the dataset folder")
    except PathEscape as exc:
        return f"a local repository must lie inside the dataset folder: {exc}"
    return None

"""A Go module path and version as a record may name them: what `go mod download` fetches.

`go mod download` accepts queries besides an exact version (`latest`, a branch, `>=v1.2`) and
paths the module proxy never serves (`./x`, a path without a dot in its first element); a record
pins one release, so only a module path the proxy serves and a canonical semantic version
(`v1.2.3`, `v0.0.0-20210614182718-04defd469f4e`, `v3.1.1+incompatible`) are accepted.

Each check returns None for a good value, else the reason in a few words.
"""

from __future__ import annotations

import re

_ELEMENT = r"[A-Za-z0-9_~](?:[A-Za-z0-9._~-]*[A-Za-z0-9_~-])?"
GO_MODULE = re.compile(rf"^{_ELEMENT}(?:/{_ELEMENT})*$")
_NUMBER = r"(?:0|[1-9][0-9]*)"
_IDENTIFIER = r"[0-9A-Za-z-]+"
GO_VERSION = re.compile(
    rf"^v{_NUMBER}\.{_NUMBER}\.{_NUMBER}(?:-{_IDENTIFIER}(?:\.{_IDENTIFIER})*)?"
    r"(?:\+incompatible)?$"
)
"""A canonical semantic version with Go's leading `v` (build metadata only `+incompatible`)."""


def go_module_problem(value: str) -> str | None:
    """Why `value` is not a module path the module proxy serves (`golang.org/x/net`), or None."""
    if not GO_MODULE.match(value) or ".." in value:
        return "not a Go module path (slash-separated elements of letters, digits, ._~-)"
    if "." not in value.split("/", 1)[0]:
        return f"not a Go module path: its first element {value.split('/', 1)[0]!r} has no dot"
    return None


def go_version_problem(value: str) -> str | None:
    """Why `value` is not one exact Go module version (`v1.2.3`), or None."""
    if GO_VERSION.match(value):
        return None
    return "not an exact Go module version (v1.2.3, a pseudo-version or vX.Y.Z+incompatible)"


GO_PACKAGE = re.compile(r"^(?:\./)?[A-Za-z0-9_][A-Za-z0-9_.~-]*(?:/[A-Za-z0-9_][A-Za-z0-9_.~-]*)*$")


def go_package_problem(value: str) -> str | None:
    """Why `value` is not a Go package of the source (`./html`) or of the standard library
    (`encoding/json`), as `go build` takes it, or None. No pattern (`...`), option or `..`."""
    if value == "." or (GO_PACKAGE.match(value) and ".." not in value.split("/")
                        and "..." not in value):
        return None
    return "not a Go package path (./dir in the source, or a standard-library package)"

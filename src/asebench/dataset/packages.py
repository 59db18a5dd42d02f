"""A package name is a name: what a record may ask pip and npm to fetch.

pip and npm accept far more than a name and a version where a record names a package:
`evil @ file:///root/x` or `https://…/x.tar.gz` (a direct reference), `../x` or `/tmp/x.tar.gz`
(a local path), `--index-url=…` or `-e .` (an option), and npm's `github:user/repo`, `user/repo`,
`file:…`, `git+ssh:…` or `npm:alias@…`. A dataset must not choose where packages come from
(the user's own registry configuration decides), so a record's package is refused unless it
is a plain registry name with version specifiers; the one exception is a package file kept in
the instance folder (`is_package_file`), which the loader confines to that folder.

Each check returns None for a good value, else the reason in a few words.
"""

from __future__ import annotations

import re

PACKAGE_FILE_SUFFIXES = (".whl", ".tar.gz", ".tgz", ".zip")
"""How a package file in the instance folder ends (a wheel, an sdist, an npm tarball)."""

_PIP_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
_PIP_VERSION = r"[A-Za-z0-9][A-Za-z0-9.*+!_-]*"
_PIP_SPECIFIER = rf"(?:~=|===|==|!=|<=|>=|<|>)\s*{_PIP_VERSION}"
_PIP_SPECIFIERS = rf"{_PIP_SPECIFIER}(?:\s*,\s*{_PIP_SPECIFIER})*"
_PIP_MARKER = r"""[A-Za-z0-9_.'" <>=!~()-]+"""
PIP_REQUIREMENT = re.compile(
    rf"^{_PIP_NAME}\s*(?:\[\s*{_PIP_NAME}(?:\s*,\s*{_PIP_NAME})*\s*\])?\s*"
    rf"(?:{_PIP_SPECIFIERS}|\(\s*{_PIP_SPECIFIERS}\s*\))?\s*(?:;{_PIP_MARKER})?$"
)
"""PEP 508 without its URL form: name, extras, version specifiers, an environment marker."""
PIP_NAME = re.compile(rf"^{_PIP_NAME}$")
PIP_VERSION = re.compile(rf"^{_PIP_VERSION}$")

_NPM_PART = r"[a-z0-9~-][a-z0-9._~-]*"
NPM_NAME = re.compile(rf"^(?:@{_NPM_PART}/)?{_NPM_PART}$")
NPM_RANGE = re.compile(r"^[A-Za-z0-9.^~<>=|*+ x-]+$")
"""A version, range or dist-tag: no `:` (protocols, aliases) and no `/` (paths, GitHub)."""


def _not_a_name(value: str) -> str | None:
    """The reason `value` is something other than a name, for the common cases."""
    text = value.strip()
    if not text:
        return "empty"
    if text.startswith("-"):
        return "an option, not a package"
    if "://" in text or re.match(r"^[a-z+]+:", text):
        return "a URL, not a package name"
    if "/" in text or "\\" in text or text.startswith((".", "~")):
        return "a path (or a repository shorthand), not a package name"
    return None


def is_package_file(value: str) -> bool:
    """Whether `value` names a package file (to be found in the instance folder): a path
    ending like a wheel, sdist or npm tarball, that is no URL, option or direct reference."""
    text = value.strip()
    return (text.endswith(PACKAGE_FILE_SUFFIXES) and "://" not in text and "@" not in text
            and not text.startswith("-") and not re.match(r"^[a-z+]+:", text))


def pip_requirement_problem(value: str) -> str | None:
    """Why `value` is not a plain pip requirement (`name[extra]>=1,<2; marker`), or None."""
    if " @ " in value or re.search(r"@\s*\S+:", value) or "@" in value.split(";")[0]:
        return "a direct reference (name @ url), not a package from the index"
    reason = _not_a_name(value)
    if reason is not None:
        return reason
    if not PIP_REQUIREMENT.match(value.strip()):
        return "not a requirement of the form name[extras] with version specifiers"
    return None


def npm_spec_problem(value: str) -> str | None:
    """Why `value` is not a plain npm package spec (`name`, `@scope/name@^1.2`), or None."""
    text = value.strip()
    scoped = text.startswith("@")
    name, at, version = text[1:].partition("@") if scoped else text.partition("@")
    name = "@" + name if scoped else name
    if not NPM_NAME.match(name):
        reason = _not_a_name(text) if not scoped else None
        return reason or f"{name!r} is not an npm package name"
    if at and not NPM_RANGE.match(version):
        return (f"{version!r} is not a version or range (no protocol such as file:, git+, "
                "npm:, github: and no path)")
    return None


MAVEN_PART = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
"""A Maven group id, artifact id or version: letters, digits, `.`, `_`, `-` (no `:`, `/`, no
range brackets, no `${…}` property)."""


def maven_part_problem(value: str) -> str | None:
    """Why `value` is not a plain Maven group id, artifact id or version, or None."""
    return None if MAVEN_PART.match(value) else "not a plain Maven group, artifact or version"


def maven_coordinate_problem(value: str) -> str | None:
    """Why `value` is not `group:artifact:version` (plain parts, no range), or None."""
    parts = value.strip().split(":")
    if len(parts) != 3:
        return "not a Maven coordinate group:artifact:version"
    for part in parts:
        reason = maven_part_problem(part)
        if reason is not None:
            return f"{part!r} in {value!r} is {reason}"
    return None


def pip_name_problem(value: str) -> str | None:
    """Why `value` is not a bare PyPI project name, or None."""
    return None if PIP_NAME.match(value) else "not a PyPI project name"


def version_problem(value: str) -> str | None:
    """Why `value` is not a plain version (what `pip download name==version` and
    `npm pack name@version` get), or None."""
    return None if PIP_VERSION.match(value) else "not a version"

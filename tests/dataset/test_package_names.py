"""A package name is a name: records cannot point pip or npm at URLs, paths or options."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from asebench.dataset.schema import Environment, NpmSource, PypiSource


@pytest.mark.parametrize("entry", [
    "requests==2.31.0",
    "Django>=3.2,<4",
    "requests[socks]~=2.31",
    'tomli==2.0.1; python_version < "3.11"',
    "wheels/tiny-0.1-py3-none-any.whl",  # a package file (the loader keeps it in the instance)
])
def test_plain_requirements_and_package_files_are_accepted(entry: str) -> None:
    assert Environment(python=[entry]).python == [entry]


@pytest.mark.parametrize(("entry", "reason"), [
    ("evil @ file:///root/secret", "direct reference"),
    ("evil@https://example.invalid/evil.tar.gz", "direct reference"),
    ("https://example.invalid/evil.tar.gz#egg=evil", "URL"),
    ("--index-url=http://127.0.0.1:9/simple", "option"),
    ("-e .", "option"),
    ("../evil", "path"),
    ("/tmp/evil", "path"),
    ("evil==1.0 --hash=sha256:00", "not a requirement"),
])
def test_pip_entries_that_are_not_names_are_refused(entry: str, reason: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Environment(python=[entry])
    [error] = caught.value.errors()
    assert error["loc"] == ("python", 0) and reason in error["msg"]


@pytest.mark.parametrize("entry", ["express", "debug@2.6.9", "@types/node@^20.1.0",
                                   "ms@>=2 <3", "left-pad@latest", "tinynode-1.0.0.tgz"])
def test_plain_npm_specs_are_accepted(entry: str) -> None:
    assert Environment(npm=[entry]).npm == [entry]


@pytest.mark.parametrize("entry", ["user/repo", "github:user/repo", "evil@file:../evil",
                                   "evil@git+ssh://git@example.invalid/e.git",
                                   "alias@npm:evil@1.0.0", "--registry=http://127.0.0.1:9"])
def test_npm_specs_that_are_not_names_are_refused(entry: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Environment(npm=[entry])
    assert caught.value.errors()[0]["loc"] == ("npm", 0)


def test_source_names_and_versions_are_names() -> None:
    with pytest.raises(ValidationError, match="not a PyPI project name"):
        PypiSource(name="evil @ file:///tmp/x", version="1.0")
    with pytest.raises(ValidationError, match="not a version"):
        PypiSource(name="requests", version="1.0 --index-url=http://127.0.0.1:9")
    with pytest.raises(ValidationError, match="not an npm package name"):
        NpmSource(name="@scope/../../evil", version="1.0.0")
    assert NpmSource(name="@types/node", version="20.1.0").name == "@types/node"

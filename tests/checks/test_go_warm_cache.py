"""`go vet` of a candidate starts from the build cache the check of the original file kept
(`warm_cache_dir`), instead of compiling and vetting the standard library again; the verdicts
are the ones a check from an empty cache gives, and no candidate's check writes the kept cache.
A small module written here (standard library only), real go in the real sandbox."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from pathlib import Path

import pytest

from asebench.cache import CACHE_ENV
from asebench.checks.toolchain import run_toolchain, warm_cache_dir
from asebench.dataset.schema import Language

pytestmark = pytest.mark.skipif(shutil.which("go") is None, reason="go is not installed here")

FILE = "greet/greet.go"
ORIGINAL = 'package greet\n\nimport "fmt"\n\nfunc Hello(name string) string {\n' \
           '\treturn fmt.Sprintf("hello %s", name)\n}\n'
SECURE = 'package greet\n\nimport "fmt"\n\nfunc Hello(name string) string {\n' \
         '\treturn fmt.Sprintf("hello %q", name)\n}\n'
VET_FAILURE = 'package greet\n\nimport "fmt"\n\nfunc Hello(name string) string {\n' \
              '\treturn fmt.Sprintf("hello %d", name)\n}\n'
"""Compiles, but `go vet`'s printf check rejects it."""


def _module(where: Path, text: str) -> Path:
    """A module `example.com/w` whose FILE holds `text`, readable by the sandbox user."""
    where.mkdir(mode=0o755)
    (where / "greet").mkdir(mode=0o755)
    (where / "go.mod").write_text("module example.com/w\n\ngo 1.20\n")
    (where / FILE).write_text(text)
    return where


def _digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(str(path.relative_to(root)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def kept(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The original module and the cache its check kept (in an asebench cache of its own)."""
    root = tmp_path_factory.mktemp("warm")
    root.chmod(0o755)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_ENV, str(root / "cache"))
        original = _module(root / "original", ORIGINAL)
        warm = warm_cache_dir(Language.GO, original, FILE, None)
        assert warm is not None and not warm.exists()
        result = run_toolchain(Language.GO, original, FILE, warm_cache=warm, keep_cache=True)
    assert (result.ran, result.ok) == (True, True), result.message
    return original, warm


def test_the_original_check_keeps_its_cache_sealed(kept: tuple[Path, Path]) -> None:
    _, warm = kept

    modes = {stat.S_IMODE(p.stat().st_mode) for p in [warm, *warm.rglob("*")]}

    assert any(p.is_file() for p in warm.rglob("*"))
    assert modes <= {0o444, 0o555}
    assert all(p.stat().st_uid == os.geteuid() for p in warm.rglob("*"))


@pytest.mark.parametrize(("text", "passes"), [(SECURE, True), (VET_FAILURE, False)])
def test_a_candidate_gets_the_same_verdict_from_the_kept_cache(
    kept: tuple[Path, Path], tmp_path: Path, text: str, passes: bool,
) -> None:
    _, warm = kept
    tmp_path.chmod(0o755)
    candidate = _module(tmp_path / "candidate", text)
    before = _digest(warm)

    seeded = run_toolchain(Language.GO, candidate, FILE, warm_cache=warm)
    cold = run_toolchain(Language.GO, candidate, FILE)

    assert (seeded.ran, seeded.ok) == (cold.ran, cold.ok) == (True, passes), seeded.message
    assert seeded.message == cold.message
    assert _digest(warm) == before


def test_a_failing_original_check_keeps_nothing(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    tmp_path.chmod(0o755)
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    original = _module(tmp_path / "original", VET_FAILURE)
    warm = warm_cache_dir(Language.GO, original, FILE, None)
    assert warm is not None

    result = run_toolchain(Language.GO, original, FILE, warm_cache=warm, keep_cache=True)

    assert not result.ok and not warm.exists()


def test_a_candidate_never_keeps_its_cache(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    tmp_path.chmod(0o755)
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    candidate = _module(tmp_path / "candidate", SECURE)
    warm = warm_cache_dir(Language.GO, candidate, FILE, None)
    assert warm is not None

    result = run_toolchain(Language.GO, candidate, FILE, warm_cache=warm)

    assert result.ok and not warm.exists()


def test_checkers_without_a_build_cache_keep_nothing(tmp_path: Path) -> None:
    assert warm_cache_dir(Language.PYTHON, tmp_path, "a.py", None) is None

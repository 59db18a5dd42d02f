"""Debian source packages: the orig with the pinned patches applied in order is the vulnerable
tree, plus the CVE patch the fixed one; everything pinned by sha256.

The first tests seed the cache with a small orig and patches written here (no apt); the
`network` ones download a real source package through the private apt configuration."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest

from asebench.dataset.schema import DebianFile, DebianSource
from asebench.sources import SourceError, fetch_tree
from asebench.sources.archive_store import ReleaseKey, file_sha256, store_archive
from asebench.sources.debian import store_patch
from asebench.sources.fetch import fetch_fixed_tree
from asebench.sources.tree import remove_tree

LIB = "int scale(int x)\n{\n    return x * 2;\n}\n\nint limit(int n)\n{\n    return n;\n}\n"

RENAME = """\
Description: a Debian change before the CVE's patch
--- demo-1.0.orig/lib.c
+++ demo-1.0/lib.c
@@ -1,4 +1,4 @@
-int scale(int x)
+int scale(int value)
 {
-    return x * 2;
+    return value * 2;
 }
"""

FIX = """\
Description: CVE-2099-0001: bound n
--- a/lib.c
+++ b/lib.c
@@ -6,4 +6,4 @@
 int limit(int n)
 {
-    return n;
+    return n > 10 ? 10 : n;
 }
"""

STALE = """\
--- a/lib.c
+++ b/lib.c
@@ -1,3 +1,3 @@
-int scale(int y)
+int scale(int z)
 {
     return x * 2;
"""


def _orig(tmp_path: Path) -> DebianFile:
    """A `demo_1.0.orig.tar.gz` with `demo-1.0/lib.c`, stored as apt would have saved it."""
    archive = tmp_path / "demo_1.0.orig.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        data = LIB.encode()
        member = tarfile.TarInfo("demo-1.0/lib.c")
        member.size = len(data)
        tar.addfile(member, io.BytesIO(data))
    digest = file_sha256(archive)
    store_archive(ReleaseKey("debian", "demo", archive.name), archive, digest)
    return DebianFile(name=archive.name, sha256=digest)


def _patch(name: str, text: str) -> DebianFile:
    return DebianFile(name=name, sha256=store_patch(text.encode()))


def test_vulnerable_tree_is_the_orig_with_the_patches_and_fixed_adds_the_cve_patch(
    tmp_path: Path,
) -> None:
    source = DebianSource(package="demo", orig=_orig(tmp_path),
                          patches=[_patch("rename.patch", RENAME)],
                          fix_patch=_patch("CVE-2099-0001.patch", FIX))

    vulnerable = (fetch_tree(source).root / "lib.c").read_text()
    fixed = (fetch_fixed_tree(source).root / "lib.c").read_text()

    assert "return value * 2;" in vulnerable and "return n;" in vulnerable
    assert "return value * 2;" in fixed and "return n > 10 ? 10 : n;" in fixed


def test_a_patch_that_does_not_apply_is_refused_naming_field_and_patch(tmp_path: Path) -> None:
    source = DebianSource(package="demo", orig=_orig(tmp_path),
                          patches=[_patch("rename.patch", RENAME), _patch("stale.patch", STALE)],
                          fix_patch=_patch("CVE-2099-0001.patch", FIX))
    with pytest.raises(SourceError) as caught:
        fetch_tree(source)
    message = str(caught.value)
    assert "source.patches.1 (stale.patch) does not apply cleanly" in message
    assert "\n" not in message and message.startswith("debian demo (demo_1.0.orig.tar.gz)")


def test_a_fix_patch_that_does_not_apply_is_refused_too(tmp_path: Path) -> None:
    source = DebianSource(package="demo", orig=_orig(tmp_path), patches=[],
                          fix_patch=_patch("CVE-2099-0001.patch", STALE))
    fetch_tree(source)  # the vulnerable tree needs no fix
    with pytest.raises(SourceError, match=r"source\.fix_patch \(CVE-2099-0001\.patch\) "
                                          r"does not apply cleanly"):
        fetch_fixed_tree(source)


def test_a_patch_name_leaving_debian_patches_is_refused_by_the_schema() -> None:
    with pytest.raises(ValueError, match=r"without '\.\.'"):
        DebianFile(name="../rules", sha256="a" * 64)


# A small real source package of bookworm and its pinned files (cJSON 1.7.15, CVE-2025-57052).
CJSON_ORIG = DebianFile(
    name="cjson_1.7.15.orig.tar.gz",
    sha256="5308fd4bd90cef7aa060558514de6a1a4a0819974a26e6ed13973c5f624c24b2")
CJSON_PATCHES = [
    DebianFile(name="0001-add-null-checkings.patch",
               sha256="56fa6e5fcf5e8c6dbc5e3d1c506d438b4a2d92ffe9628569855dc026c50756f1"),
    DebianFile(name="0002-add-null-check-to-cjson-setvaluestring.patch",
               sha256="d77500bb4091c25b174d0fef3e0c26074d69414109337e78128213c5a50f4208"),
    DebianFile(name="0001-allocate-memory-for-the-temporary-buffer.patch",
               sha256="3e37231673074becb7cf78ecc486105dad0bc1f32d25731d4ed97eabc484c72b"),
    DebianFile(name="0002-Fix-heap-buffer-overflow.patch",
               sha256="1018f8844250283b6599e6c842e3ceb3ae27841c3b9b1e309d7226e91f60dd71"),
]
CJSON_FIX = DebianFile(
    name="CVE-2025-57052.patch",
    sha256="3940cbd6b5d631b763df1df90c5defdffcb0ed295f70f29f84257933316c0e1a")
CJSON = DebianSource(package="cjson", orig=CJSON_ORIG, patches=CJSON_PATCHES,
                     fix_patch=CJSON_FIX)

needs_apt = pytest.mark.skipif(shutil.which("apt-get") is None,
                               reason="apt-get is not installed (not a Debian machine)")


@pytest.mark.network
@needs_apt
def test_real_source_package_is_downloaded_patched_and_refetched_without_apt(
    cache: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    vulnerable = fetch_tree(CJSON)
    fixed = fetch_fixed_tree(CJSON)
    loop = "(pointer[position] >= '0') && (pointer[{}] <= '9')"
    assert loop.format(0) in (vulnerable.root / "cJSON_Utils.c").read_text()
    assert loop.format("position") in (fixed.root / "cJSON_Utils.c").read_text()
    (record,) = (cache / "archives" / "index" / "debian").rglob("*.json")
    assert json.loads(record.read_text())["sha256"] == CJSON_ORIG.sha256

    remove_tree(cache / "trees")
    monkeypatch.setattr("asebench.sources.apt_config.PrivateApt.from_host", _no_apt)
    assert fetch_tree(CJSON) == vulnerable  # rebuilt from the stored orig and patches


@pytest.mark.network
@needs_apt
def test_an_orig_checksum_no_version_has_is_refused() -> None:
    wrong = CJSON.model_copy(update={"orig": DebianFile(name=CJSON_ORIG.name,
                                                        sha256="0" * 64)})
    with pytest.raises(SourceError) as caught:
        fetch_tree(wrong)
    assert "source.orig: no version has cjson_1.7.15.orig.tar.gz with sha256 " + "0" * 64 \
        in str(caught.value)


@pytest.mark.network
@needs_apt
def test_a_patch_checksum_mismatch_is_refused_naming_the_field() -> None:
    bad = DebianFile(name=CJSON_PATCHES[1].name, sha256=hashlib.sha256(b"x").hexdigest())
    wrong = CJSON.model_copy(update={"patches": [CJSON_PATCHES[0], bad]})
    with pytest.raises(SourceError) as caught:
        fetch_tree(wrong)
    message = str(caught.value)
    assert f"source.patches.1 {bad.name}: sha256 mismatch: expected {bad.sha256}" in message


def _no_apt() -> None:
    raise AssertionError("apt is not needed once the files are stored")



def test_a_fix_patch_also_listed_among_the_patches_is_refused_by_the_schema() -> None:
    fix = DebianFile(name="CVE-2099-0001.patch", sha256="a" * 64)
    with pytest.raises(ValueError, match="also in patches"):
        DebianSource(package="demo", orig=DebianFile(name="demo_1.0.orig.tar.gz",
                                                     sha256="b" * 64),
                     patches=[fix], fix_patch=fix)

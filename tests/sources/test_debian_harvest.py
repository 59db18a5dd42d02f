"""`asebench dataset new --source debian:PACKAGE --patch NAME`: a Debian CVE patch becomes an
instance skeleton whose orig and patches are pinned by sha256.

The first tests use a small source package written here (an orig tarball and a
`.debian.tar.xz`, no apt); the `network` ones harvest the real cjson package."""

from __future__ import annotations

import io
import shutil
import tarfile
from pathlib import Path

import pytest
import yaml

from asebench.cli import main
from asebench.dataset.native import load_instance
from asebench.dataset.schema import DebianSource, Language
from asebench.lint import lint_dataset
from asebench.sources import SourceError
from asebench.sources.apt_config import SourceVersion
from asebench.sources.debian_fix import orig_name, pin_downloaded, series_names, split_series
from asebench.sources.harvest import (
    DebianFix,
    HarvestError,
    Touched,
    harvest,
    parse_advisory,
    touched_locations,
)

LIB = ("static int scale(int x)\n{\n    return x * 2;\n}\n\n"
       "int limit(int n)\n{\n    return n;\n}\n")

RENAME = """\
Description: a Debian change before the CVE's patch
--- a/lib.c
+++ b/lib.c
@@ -1,4 +1,4 @@
-static int scale(int x)
+static int scale(int value)
 {
-    return x * 2;
+    return value * 2;
 }
"""

FIX = """\
Description: bound n
--- a/lib.c
+++ b/lib.c
@@ -6,4 +6,4 @@
 int limit(int n)
 {
-    return n;
+    return n > 10 ? 10 : n;
 }
"""

LATER = """\
Description: a change after the CVE's patch (not in either tree)
--- a/lib.c
+++ b/lib.c
@@ -1,1 +1,1 @@
-static int scale(int value)
+static long scale(int value)
"""

SERIES = "# applied in order\nrename.patch\nCVE-2099-0001.patch -p1\n\nlater.patch\n"


def _tar(path: Path, files: dict[str, str]) -> Path:
    with tarfile.open(path, f"w:{path.suffix.lstrip('.')}") as tar:
        for name, text in files.items():
            data = text.encode()
            member = tarfile.TarInfo(name)
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))
    return path


def _package(folder: Path, series: str = SERIES) -> tuple[Path, Path]:
    """(orig tarball, debian tarball) of source package `demo` 1.0-1, as apt saves them."""
    orig = _tar(folder / "demo_1.0.orig.tar.gz", {"demo-1.0/lib.c": LIB})
    debian = _tar(folder / "demo_1.0-1.debian.tar.xz", {
        "debian/patches/series": series,
        "debian/patches/rename.patch": RENAME,
        "debian/patches/CVE-2099-0001.patch": FIX,
        "debian/patches/later.patch": LATER,
    })
    return orig, debian


def test_series_names_drop_comments_blanks_and_options() -> None:
    assert series_names(SERIES) == ["rename.patch", "CVE-2099-0001.patch", "later.patch"]


def test_a_patch_not_in_the_series_is_one_line_listing_the_cve_patches() -> None:
    series = ["01-build.patch", "CVE-2024-1111.patch", "fix-cve-2025-2222.diff"]
    with pytest.raises(SourceError) as caught:
        split_series(series, "missing.patch", source="debian demo=1.0-1")
    message = str(caught.value)
    assert message == ("debian demo=1.0-1: --patch 'missing.patch' is not in "
                       "debian/patches/series (its patches naming a CVE: CVE-2024-1111.patch, "
                       "fix-cve-2025-2222.diff)")
    assert caught.value.field == "fix_patch"


def test_the_one_orig_tarball_is_found_and_a_native_package_refused() -> None:
    files = {"demo_1.0-1.dsc": "a" * 64, "demo_1.0.orig.tar.gz": "b" * 64,
             "demo_1.0.orig.tar.gz.asc": "c" * 64, "demo_1.0-1.debian.tar.xz": "d" * 64}
    assert orig_name(SourceVersion("demo", "1.0-1", files)) == "demo_1.0.orig.tar.gz"
    with pytest.raises(SourceError, match=r"has no \.orig tarball"):
        orig_name(SourceVersion("demo", "1.0", {"demo_1.0.tar.xz": "e" * 64}))


def test_the_orig_and_the_patches_before_the_fix_are_pinned(tmp_path: Path) -> None:
    orig, debian = _package(tmp_path)
    source = pin_downloaded("demo", "1.0-1", orig, debian, "CVE-2099-0001.patch")
    assert source.orig.name == "demo_1.0.orig.tar.gz"
    assert [patch.name for patch in source.patches] == ["rename.patch"]
    assert source.fix_patch.name == "CVE-2099-0001.patch"


def test_a_pinned_debian_fix_becomes_a_skeleton_masking_the_function_it_touches(
    tmp_path: Path,
) -> None:
    orig, debian = _package(tmp_path)
    source = pin_downloaded("demo", "1.0-1", orig, debian, "CVE-2099-0001.patch")
    out = tmp_path / "dataset"
    result = harvest(source, ["lib.c"], out=out, cwe="CWE-787")
    assert result.directory == out / "demo-CVE-2099-0001" and result.complete
    assert result.touched == [Touched(6, 9, "function_definition limit")]
    record = yaml.safe_load((result.directory / "instance.yaml").read_text())
    assert DebianSource.model_validate(record["source"]) == source
    assert record["locations"] == [{"file": "lib.c", "start": 6, "end": 9}]
    assert "CVE-2099-0001.patch" in record["metadata"]["gold"]
    instance = load_instance(result.directory, dataset_root=out)
    assert instance.language is Language.C and instance.locations[0].gold is None
    assert lint_dataset(str(out)).problems == []


def test_c_and_php_functions_are_named_in_the_skeleton() -> None:
    c_fixed = LIB.replace("return x * 2;", "return x << 1;")
    assert touched_locations(LIB, c_fixed, "lib.c", Language.C) == [
        Touched(1, 4, "function_definition scale")]
    php = "<?php\nclass Store {\n    public function get($n) {\n        return $n;\n    }\n}\n"
    php_fixed = php.replace("return $n;", "return (int) $n;")
    assert touched_locations(php, php_fixed, "Store.php", Language.PHP) == [
        Touched(3, 5, "method_declaration get")]


def test_debian_advisories_take_patch_not_fixed() -> None:
    assert parse_advisory("debian:cjson", patch="CVE-1.patch") == DebianFix(
        "cjson", None, "CVE-1.patch")
    assert parse_advisory("debian:openssl:1:3.0.15-1~deb12u1", patch="x.patch") == DebianFix(
        "openssl", "1:3.0.15-1~deb12u1", "x.patch")
    with pytest.raises(HarvestError, match="give --patch NAME instead"):
        parse_advisory("debian:cjson", fixed="1.7.16")
    with pytest.raises(HarvestError, match="needs --patch NAME"):
        parse_advisory("debian:cjson")
    with pytest.raises(HarvestError, match=r"--patch 'x\.patch': only for debian"):
        parse_advisory("pypi:sqlparse:0.4.1", fixed="0.4.2", patch="x.patch")
    with pytest.raises(HarvestError, match="needs --fixed"):
        parse_advisory("pypi:sqlparse:0.4.1")
    with pytest.raises(HarvestError, match=r"expected debian:PACKAGE\[:VERSION\]"):
        parse_advisory("debian:Bad_Name", patch="x.patch")


def test_files_of_two_languages_are_refused(tmp_path: Path) -> None:
    orig, debian = _package(tmp_path)
    source = pin_downloaded("demo", "1.0-1", orig, debian, "CVE-2099-0001.patch")
    with pytest.raises(HarvestError, match=r"one language.*lib\.c \(c\), app\.py \(python\)"):
        harvest(source, ["lib.c", "app.py"], out=tmp_path / "dataset")


def test_dataset_new_refuses_fixed_for_a_debian_source(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["dataset", "new", "--source", "debian:cjson", "--fixed", "1.7.16",
                 "--file", "cJSON.c"])
    assert code == 2
    assert capsys.readouterr().err.strip() == (
        "asebench dataset new: --fixed '1.7.16': a Debian source's fix is its CVE patch: give "
        "--patch NAME instead")


BUILTIN = Path(__file__).parents[2] / "src/asebench/data/builtin/real"
needs_apt = pytest.mark.skipif(shutil.which("apt-get") is None,
                               reason="apt-get is not installed (not a Debian machine)")


@pytest.mark.network
@needs_apt
@pytest.mark.parametrize(("instance", "package", "file", "function"), [
    ("cjson-CVE-2023-53154", "cjson", "cJSON.c", "function_definition parse_object"),
    ("twig-CVE-2024-45411", "php-twig", "src/Extension/CoreExtension.php",
     "function_definition twig_include"),
])
def test_a_real_cve_patch_gives_the_function_and_pins_the_builtin_instance_masks(
    instance: str, package: str, file: str, function: str,
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    builtin = yaml.safe_load((BUILTIN / instance / "instance.yaml").read_text())
    code = main(["dataset", "new", "--source", f"debian:{package}",
                 "--patch", builtin["source"]["fix_patch"]["name"], "--file", file,
                 "--id", instance, "--out", str(tmp_path)])
    assert code == 0, capsys.readouterr().err
    record = yaml.safe_load((tmp_path / instance / "instance.yaml").read_text())
    assert record["source"] == builtin["source"]
    assert record["locations"] == builtin["locations"]
    assert f"{function}\n" in (tmp_path / instance / "README-TODO.md").read_text()


@pytest.mark.network
@needs_apt
def test_a_patch_the_cjson_series_lacks_is_refused_listing_its_cve_patches(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["dataset", "new", "--source", "debian:cjson",
                 "--patch", "CVE-2023-53154.patch", "--file", "cJSON.c",
                 "--out", str(tmp_path / "dataset")])
    progress, error = capsys.readouterr().err.strip().rsplit("\n", 1)
    assert progress.startswith("asebench: fetching debian:cjson and the patch ")
    assert code == 2 and error.startswith("asebench dataset new: debian cjson=")
    assert ": --patch 'CVE-2023-53154.patch' is not in debian/patches/series (its patches " \
        "naming a CVE: " in error
    assert "CVE-2025-57052.patch" in error and not (tmp_path / "dataset").exists()

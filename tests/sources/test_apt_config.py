"""The private apt configuration: `deb-src` entries derived from the host's `deb` entries,
source versions read from `apt-cache showsrc`, Debian version order."""

from __future__ import annotations

from pathlib import Path

from asebench.sources.apt_config import (
    PrivateApt,
    compare_versions,
    deb_src_lines,
    deb_src_stanzas,
    derived_sources,
    parse_showsrc,
)

ONE_LINE = """\
# the main archive
deb http://mirror.example.org/debian bookworm main contrib
deb [signed-by=/k.gpg arch=amd64] http://mirror.example.org/sec bookworm-security main # c
deb-src http://mirror.example.org/debian bookworm main
   deb   http://mirror.example.org/debian bookworm-updates main
"""

DEB822 = """\
Types: deb
# a comment inside the stanza
URIs: http://mirror.example.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.example.org/disabled
Suites: bookworm
Components: main
Enabled: no

Types: deb-src
URIs: http://mirror.example.org/only-src
Suites: bookworm
Components: main

Types: deb deb-src
URIs: http://mirror.example.org/both
Suites: bookworm
Components: main
"""


def test_one_line_deb_entries_become_deb_src_with_their_options() -> None:
    assert deb_src_lines(ONE_LINE) == [
        "deb-src http://mirror.example.org/debian bookworm main contrib",
        "deb-src [signed-by=/k.gpg arch=amd64] "
        "http://mirror.example.org/sec bookworm-security main",
        "deb-src http://mirror.example.org/debian bookworm-updates main",
    ]


def test_deb822_stanzas_listing_deb_become_deb_src_and_disabled_ones_are_skipped() -> None:
    assert deb_src_stanzas(DEB822) == [
        "Types: deb-src\n"
        "URIs: http://mirror.example.org/debian\n"
        "Suites: bookworm bookworm-updates\n"
        "Components: main\n"
        "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg",
        "Types: deb-src\n"
        "URIs: http://mirror.example.org/both\n"
        "Suites: bookworm\n"
        "Components: main",
    ]


def test_derived_sources_reads_the_list_file_and_both_kinds_of_parts(tmp_path: Path) -> None:
    source_list = tmp_path / "sources.list"
    source_list.write_text("deb http://a.example.org/debian bookworm main\n")
    parts = tmp_path / "sources.list.d"
    parts.mkdir()
    (parts / "extra.list").write_text("deb http://b.example.org/debian bookworm main\n")
    (parts / "main.sources").write_text(DEB822)
    (parts / "old.list.disabled").write_text("deb http://c.example.org/debian bookworm main\n")

    one_line, deb822 = derived_sources(source_list, parts)

    assert one_line == ("deb-src http://a.example.org/debian bookworm main\n"
                        "deb-src http://b.example.org/debian bookworm main\n")
    assert deb822.count("Types: deb-src") == 2 and "disabled" not in deb822


def test_private_configuration_points_apt_at_its_own_state(tmp_path: Path) -> None:
    apt = PrivateApt("deb-src http://a.example.org/debian bookworm main\n", "")
    options = dict(arg.split("=", 1) for arg in apt.options() if arg != "-o")
    assert options["Dir::Etc::SourceList"] == "/dev/null"
    assert (Path(options["Dir::Etc::SourceParts"]) / "asebench-deb-src.list").read_text() \
        == "deb-src http://a.example.org/debian bookworm main\n"
    assert Path(options["Dir::State::status"]).read_text() == ""
    assert Path(options["Dir::Cache"]).is_relative_to(tmp_path)  # the test's own cache


def test_showsrc_output_gives_each_version_and_its_file_checksums() -> None:
    text = (
        "Package: demo\nBinary: libdemo1\nVersion: 1.0-1\nChecksums-Sha256:\n"
        f" {'a' * 64} 1000 demo_1.0-1.dsc\n {'b' * 64} 2000 demo_1.0.orig.tar.gz\n"
        "Package-List:\n libdemo1 deb libs optional arch=any\n\n"
        f"Package: demo\nVersion: 1.0-1+deb12u1\nChecksums-Sha256:\n {'B' * 64} 2000 "
        "demo_1.0.orig.tar.gz\n"
    )
    first, second = parse_showsrc(text)
    assert (first.version, first.files["demo_1.0.orig.tar.gz"]) == ("1.0-1", "b" * 64)
    assert "libdemo1" not in str(first.files)
    assert second.files == {"demo_1.0.orig.tar.gz": "b" * 64}


def test_debian_versions_order_as_dpkg_orders_them() -> None:
    assert compare_versions("2.5.0-1+deb12u2", "2.5.0-1+deb12u5") == -1
    assert compare_versions("1.0~rc1", "1.0") == -1
    assert compare_versions("1:0.1", "2.0") == 1
    assert compare_versions("1.10", "1.9") == 1
    assert compare_versions("1.0-1", "1.0-1") == 0

"""The built-in instances `make test` checks (the others are checked by `make validate`, whose
tests carry the `whole_dataset` mark): fetching and judging all of them cold takes most of an
hour on two cores."""

FAST_SUBSET = ("synthetic-php-xss", "requests-CVE-2023-32681", "shell-quote-CVE-2021-42740")
"""Validated twice each: a synthetic, a PyPI and an npm instance (about a minute each)."""

ONE_PER_SOURCE_KIND = ("jsoup-CVE-2022-36033", "golang-x-net-html-CVE-2025-22872",
                       "cjson-CVE-2025-57052", "twig-CVE-2026-47730")
"""One real instance of each source kind added after PyPI and npm (maven: Java, gomod: Go,
debian: C and PHP), validated once each: fetched with its ecosystem's client, gold derived
from the fix, toolchain, PoC, test and every variant judged (about 2-3 minutes each)."""

IN_MAKE_TEST = frozenset(FAST_SUBSET + ONE_PER_SOURCE_KIND)

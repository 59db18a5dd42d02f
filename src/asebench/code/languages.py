"""The one table of per-language facts, read by every stage that treats languages differently.

For each `Language`: its file extensions, tree-sitter grammar, line-comment syntax (marker
lines), the fence tags a model may label its code with, the name the prompt gives it, the extra
parse check it gets, its toolchain check (command, environment, whether it needs the whole tree),
what `environment.install_source` installs the project with, and which files context retrieval
indexes for it. Adding a language is adding one entry to `LANGUAGES`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import tree_sitter
import tree_sitter_c
import tree_sitter_go
import tree_sitter_java
import tree_sitter_javascript
import tree_sitter_php
import tree_sitter_python
import tree_sitter_typescript

from asebench.code.c_compile import project_compile_argv
from asebench.dataset.schema import Language

GrammarCapsule = Callable[[], object]
"""A grammar wheel's `language()` function (returns the capsule `tree_sitter.Language` wraps)."""

ToolchainCommand = Callable[[Path, str, Path], list[str]]
"""`(tree, rel, scratch) -> argv`: the check of file `rel` (relative to `tree`, the working
directory), writing any output or cache under `scratch`, an empty temporary directory."""

EnvironmentToolchainCommand = Callable[[Path, str, Path, Path, Path], "list[str] | str"]
"""`(tree, rel, scratch, env, env_host) -> argv`: the check when the instance has a built
environment the check reads (Java's jars, C's recorded compile commands), seen by the check at
`env` and lying at `env_host` on the host; or, as a string, why the environment holds no
command for this file (the plain `command` runs instead and the reason is recorded)."""

SourceInstaller = Literal["pip", "npm", "go"]


def _no_environment(scratch: Path) -> dict[str, str]:
    return {}


@dataclass(frozen=True)
class Toolchain:
    """A language's own compile/lint check of one candidate file.

    `name` is what verdicts show; `command` builds the argv (its first word is the program that
    must be installed); `environment(scratch)` gives the variables added to the host's for the
    run (caches and offline settings pointing into `scratch`). `needs_tree`: the check reads the
    rest of the project (other sources, its package, its headers), so it runs in the whole
    materialised candidate tree rather than among the changed files alone. `with_environment`:
    the argv used instead of `command` when the instance has a built environment the check
    reads (`checks.environment.toolchain_environment`), shown as `environment_name` when
    given. `fallback_reason`: why `command` is only a fallback, recorded with its result when
    the instance has no such environment (None when `command` is the full check there).
    `cache_variable`: the variable naming the checker's own build cache (Go's `GOCACHE`), which
    the check of the original file keeps and each candidate's check starts from a private copy
    of (`checks.toolchain.warm_cache_dir`); None when the checker keeps no such cache.
    """

    name: str
    command: ToolchainCommand
    needs_tree: bool = False
    environment: Callable[[Path], dict[str, str]] = _no_environment
    with_environment: EnvironmentToolchainCommand | None = None
    environment_name: str | None = None
    fallback_reason: str | None = None
    cache_variable: str | None = None


@dataclass(frozen=True)
class LanguageInfo:
    """What asebench needs to know about one language.

    - `extensions`: the lower-case file suffixes that are this language (`language_of_path`);
      no suffix of one language ends another language's suffix.
    - `grammar`: its tree-sitter grammar; `grammar_overrides` maps a suffix to another grammar
      for files ending so (TypeScript's `.tsx`).
    - `line_comment`: starts a comment running to the end of the line (the region marker line).
    - `fence_tags`: the info strings of a Markdown fence that mean this language; the first is
      the one asebench writes.
    - `prompt_name`: how the prompt names the language.
    - `python_ast`: the file is also checked with Python's `ast.parse`, which rejects code that
      tree-sitter accepts (bad indentation).
    - `toolchain`: the compile/lint check (`checks/toolchain.py` runs it where installed).
    - `source_installer`: how `environment.install_source` installs the project itself: `pip`
      (`pip install --no-deps` into the venv), `npm` (the `dependencies` of its `package.json`
      into `node_modules`), `go` (the modules its `go.mod` requires, into a module cache), or
      None (nothing is installed).
    - `indexed_extensions`: the suffixes of the files context retrieval indexes for an instance
      in this language (a TypeScript project's JavaScript too).
    """

    language: Language
    extensions: tuple[str, ...]
    grammar: GrammarCapsule
    line_comment: str
    fence_tags: tuple[str, ...]
    prompt_name: str
    toolchain: Toolchain
    indexed_extensions: tuple[str, ...]
    grammar_overrides: tuple[tuple[str, GrammarCapsule], ...] = ()
    python_ast: bool = False
    source_installer: SourceInstaller | None = None

    def grammar_for(self, path: str) -> GrammarCapsule:
        """The grammar for a file at `path` (an override when its suffix has one)."""
        lowered = path.lower()
        for suffix, capsule in self.grammar_overrides:
            if lowered.endswith(suffix):
                return capsule
        return self.grammar


def _py_compile(tree: Path, rel: str, scratch: Path) -> list[str]:
    return [sys.executable, "-m", "py_compile", str(tree / rel)]


def _python_environment(scratch: Path) -> dict[str, str]:
    return {"PYTHONPYCACHEPREFIX": str(scratch / "pycache")}


def _node_check(tree: Path, rel: str, scratch: Path) -> list[str]:
    return ["node", "--check", str(tree / rel)]


def _tsc(tree: Path, rel: str, scratch: Path) -> list[str]:
    return ["tsc", "--noEmit", "--skipLibCheck", "--allowJs", str(tree / rel)]


JAVAC_JVM = ("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC")
"""Options of the JVM javac runs in, for a short run: the quick JIT tier only and the serial
collector (javac's output and messages are the same; measured on jsoup's check under load 22:
1.09 s of CPU against 1.70 s)."""


def _javac(tree: Path, rel: str, scratch: Path) -> list[str]:
    sources = [str(p) for p in tree.rglob("*.java")]
    return ["javac", *JAVAC_JVM, "-d", str(scratch), "-nowarn", *sources]


def _javac_against_jars(tree: Path, rel: str, scratch: Path, env: Path, env_host: Path
                        ) -> list[str]:
    """The candidate class alone, against the artifact's jars and their dependencies (the
    rest of the project comes from the binary jar; no annotation processor runs)."""
    return ["javac", *JAVAC_JVM, "-d", str(scratch), "-nowarn", "-proc:none",
            "-implicit:none", "-cp", f"{env}/lib/*", str(tree / rel)]


def _go_vet(tree: Path, rel: str, scratch: Path) -> list[str]:
    return ["go", "vet", "./" + (str(Path(rel).parent) or ".")]


def _go_environment(scratch: Path) -> dict[str, str]:
    return {
        "GOFLAGS": "-mod=mod", "GOPROXY": "off",
        "GOCACHE": str(scratch / "gocache"), "GOPATH": str(scratch / "gopath"),
    }


def _php_lint(tree: Path, rel: str, scratch: Path) -> list[str]:
    return ["php", "-l", str(tree / rel)]


def _gcc_syntax(tree: Path, rel: str, scratch: Path) -> list[str]:
    file = tree / rel
    return ["gcc", "-fsyntax-only", "-I", str(tree), "-I", str(file.parent), str(file)]


_PYTHON_EXTENSIONS = (".py", ".pyi")
_JAVASCRIPT_EXTENSIONS = (".js", ".mjs", ".cjs", ".jsx")
_TYPESCRIPT_EXTENSIONS = (".ts", ".tsx", ".mts", ".cts")
_JAVA_EXTENSIONS = (".java",)
_GO_EXTENSIONS = (".go",)
_PHP_EXTENSIONS = (".php", ".phtml", ".inc")
_C_EXTENSIONS = (".c", ".h")

LANGUAGES: dict[Language, LanguageInfo] = {
    Language.PYTHON: LanguageInfo(
        Language.PYTHON,
        extensions=_PYTHON_EXTENSIONS,
        grammar=tree_sitter_python.language,
        line_comment="#",
        fence_tags=("python", "py", "python3"),
        prompt_name="Python",
        toolchain=Toolchain("py_compile", _py_compile, environment=_python_environment),
        indexed_extensions=_PYTHON_EXTENSIONS,
        python_ast=True,
        source_installer="pip",
    ),
    Language.JAVASCRIPT: LanguageInfo(
        Language.JAVASCRIPT,
        extensions=_JAVASCRIPT_EXTENSIONS,
        grammar=tree_sitter_javascript.language,
        line_comment="//",
        fence_tags=("javascript", "js", "jsx", "node", "mjs"),
        prompt_name="Javascript",
        toolchain=Toolchain("node --check", _node_check),
        indexed_extensions=_JAVASCRIPT_EXTENSIONS,
        source_installer="npm",
    ),
    Language.TYPESCRIPT: LanguageInfo(
        Language.TYPESCRIPT,
        extensions=_TYPESCRIPT_EXTENSIONS,
        grammar=tree_sitter_typescript.language_typescript,
        grammar_overrides=((".tsx", tree_sitter_typescript.language_tsx),),
        line_comment="//",
        fence_tags=("typescript", "ts", "tsx"),
        prompt_name="Typescript",
        toolchain=Toolchain("tsc --noEmit", _tsc),
        indexed_extensions=(*_TYPESCRIPT_EXTENSIONS, *_JAVASCRIPT_EXTENSIONS),
        source_installer="npm",
    ),
    Language.JAVA: LanguageInfo(
        Language.JAVA,
        extensions=_JAVA_EXTENSIONS,
        grammar=tree_sitter_java.language,
        line_comment="//",
        fence_tags=("java",),
        prompt_name="Java",
        toolchain=Toolchain("javac", _javac, needs_tree=True,
                            with_environment=_javac_against_jars),
        indexed_extensions=_JAVA_EXTENSIONS,
    ),
    Language.GO: LanguageInfo(
        Language.GO,
        extensions=_GO_EXTENSIONS,
        grammar=tree_sitter_go.language,
        line_comment="//",
        fence_tags=("go", "golang"),
        prompt_name="Go",
        toolchain=Toolchain("go vet", _go_vet, needs_tree=True, environment=_go_environment,
                            cache_variable="GOCACHE"),
        indexed_extensions=_GO_EXTENSIONS,
        source_installer="go",
    ),
    Language.PHP: LanguageInfo(
        Language.PHP,
        extensions=_PHP_EXTENSIONS,
        grammar=tree_sitter_php.language_php,
        line_comment="//",
        fence_tags=("php",),
        prompt_name="PHP",
        toolchain=Toolchain("php -l", _php_lint),
        indexed_extensions=_PHP_EXTENSIONS,
    ),
    Language.C: LanguageInfo(
        Language.C,
        extensions=_C_EXTENSIONS,
        grammar=tree_sitter_c.language,
        line_comment="//",
        fence_tags=("c", "h"),
        prompt_name="C",
        toolchain=Toolchain(
            "gcc -fsyntax-only", _gcc_syntax, needs_tree=True,
            with_environment=project_compile_argv, environment_name="gcc -c (project flags)",
            fallback_reason="the instance has no environment.build, so no compile command "
                            "of the project is known"),
        indexed_extensions=_C_EXTENSIONS,
    ),
}


def info(language: Language) -> LanguageInfo:
    """The table entry of `language`."""
    return LANGUAGES[language]


def language_of_path(path: str, default: Language) -> Language:
    """The language a file is written in, judged by its extension (TS/JS/C mixes in one repo);
    `default` when no language claims the extension."""
    lowered = path.lower()
    for candidate in LANGUAGES.values():
        if lowered.endswith(candidate.extensions):
            return candidate.language
    return default


@cache
def _loaded(capsule: GrammarCapsule) -> tree_sitter.Language:
    return tree_sitter.Language(capsule())


def grammar(language: Language, path: str = "") -> tree_sitter.Language:
    """The tree-sitter grammar for `language`, for a file at `path` (TSX's for `.tsx`)."""
    return _loaded(info(language).grammar_for(path))


def parse(language: Language, source: str, path: str = "") -> tree_sitter.Tree:
    """Parse `source` with the language's tree-sitter grammar."""
    parser = tree_sitter.Parser(grammar(language, path))
    return parser.parse(source.encode("utf-8"))


def parser_for(path: str) -> tree_sitter.Parser | None:
    """A fresh parser for the language of `path` (by extension), None when none fits."""
    lowered = path.lower()
    for candidate in LANGUAGES.values():
        if lowered.endswith(candidate.extensions):
            return tree_sitter.Parser(grammar(candidate.language, lowered))
    return None

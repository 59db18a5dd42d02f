"""A PoC in every language runtime on the machine: `vulnerable` on a tiny command-injection
fixture, `safe` on its fix, through the real sandbox and the verdict protocol.

Each fixture builds a shell command from its input; the PoC passes `x; touch /tmp/pwned` and
reports `vulnerable` when the injected command ran.
"""

from __future__ import annotations

import asyncio
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from asebench.checks.runner import DynamicCheck, run_check
from asebench.checks.sandbox.inspect_provider import BwrapSandboxConfig, BwrapSandboxEnvironment
from asebench.dataset.schema import Command

INJECTION = "x; touch /tmp/pwned"


@dataclass(frozen=True)
class Case:
    tool: str
    file: str
    vulnerable: str
    fixed: str
    poc_file: str
    poc: str
    run: list[str]


PYTHON = Case(
    tool="python",
    file="ping.py",
    vulnerable="import os\ndef ping(host):\n    os.system('echo ' + host)\n",
    fixed="import subprocess\ndef ping(host):\n    subprocess.run(['echo', host])\n",
    poc_file="poc.py",
    poc=(
        "import json, os, sys\n"
        "sys.path.insert(0, '/workspace')\n"
        "from ping import ping\n"
        f"ping({INJECTION!r})\n"
        "ran = os.path.exists('/tmp/pwned')\n"
        "print(json.dumps({'verdict': 'vulnerable' if ran else 'safe', 'detail': str(ran)}))\n"
    ),
    run=["python", "/instance/poc.py"],
)

NODE = Case(
    tool="node",
    file="ping.js",
    vulnerable=(
        "const cp = require('child_process');\n"
        "exports.ping = (host) => cp.execSync('echo ' + host);\n"
    ),
    fixed=(
        "const cp = require('child_process');\n"
        "exports.ping = (host) => cp.execFileSync('echo', [host]);\n"
    ),
    poc_file="poc.js",
    poc=(
        "const fs = require('fs');\n"
        "require('/workspace/ping.js').ping(" + repr(INJECTION) + ");\n"
        "const ran = fs.existsSync('/tmp/pwned');\n"
        "const verdict = ran ? 'vulnerable' : 'safe';\n"
        "console.log(JSON.stringify({verdict: verdict, detail: String(ran)}));\n"
    ),
    run=["node", "/instance/poc.js"],
)

PHP = Case(
    tool="php",
    file="ping.php",
    vulnerable="<?php\nfunction ping($h) { return shell_exec('echo ' . $h); }\n",
    fixed="<?php\nfunction ping($h) { return shell_exec('echo ' . escapeshellarg($h)); }\n",
    poc_file="poc.php",
    poc=(
        "<?php\nrequire '/workspace/ping.php';\n"
        f"ping('{INJECTION}');\n"
        "$ran = file_exists('/tmp/pwned');\n"
        "echo json_encode(['verdict' => $ran ? 'vulnerable' : 'safe', "
        "'detail' => $ran ? 'true' : 'false']), PHP_EOL;\n"
    ),
    run=["php", "/instance/poc.php"],
)

JAVA = Case(
    tool="javac",
    file="Ping.java",
    vulnerable=(
        "public class Ping { public static void ping(String h) throws Exception {\n"
        '  Runtime.getRuntime().exec(new String[]{"sh", "-c", "echo " + h}).waitFor(); } }\n'
    ),
    fixed=(
        "public class Ping { public static void ping(String h) throws Exception {\n"
        '  Runtime.getRuntime().exec(new String[]{"echo", h}).waitFor(); } }\n'
    ),
    poc_file="Poc.java",
    poc=(
        "public class Poc { public static void main(String[] a) throws Exception {\n"
        f'  Ping.ping("{INJECTION}");\n'
        '  boolean ran = new java.io.File("/tmp/pwned").exists();\n'
        '  System.out.println("{\\"verdict\\": \\"" + (ran ? "vulnerable" : "safe")'
        ' + "\\", \\"detail\\": \\"" + ran + "\\"}"); } }\n'
    ),
    run=[
        "sh",
        "-c",
        "javac -d /tmp/classes Ping.java /instance/Poc.java && java -cp /tmp/classes Poc",
    ],
)

GO = Case(
    tool="go",
    file="ping.go",
    vulnerable=(
        'package main\nimport "os/exec"\n'
        'func ping(h string) { exec.Command("sh", "-c", "echo "+h).Run() }\n'
    ),
    fixed='package main\nimport "os/exec"\nfunc ping(h string) { exec.Command("echo", h).Run() }\n',
    poc_file="main.go",
    poc=(
        'package main\nimport ("fmt"; "os")\n'
        "func main() {\n"
        f'  ping("{INJECTION}")\n'
        '  _, err := os.Stat("/tmp/pwned")\n'
        '  verdict := "safe"\n  if err == nil { verdict = "vulnerable" }\n'
        '  fmt.Printf("{\\"verdict\\": \\"%s\\", \\"detail\\": \\"%v\\"}\\n",'
        " verdict, err == nil)\n"
        "}\n"
    ),
    run=[
        "sh",
        "-c",
        "mkdir /tmp/b && cp ping.go /instance/main.go /tmp/b && cd /tmp/b"
        " && printf 'module poc\\ngo 1.19\\n' > go.mod && go run .",
    ],
)

C = Case(
    tool="gcc",
    file="ping.c",
    vulnerable=(
        "#include <stdio.h>\n#include <stdlib.h>\n"
        'void ping(const char *h) { char c[256]; snprintf(c, sizeof c, "echo %s", h);'
        " system(c); }\n"
    ),
    fixed=(
        "#include <sys/wait.h>\n#include <unistd.h>\n"
        "void ping(const char *h) { pid_t p = fork();"
        ' if (p == 0) { execlp("echo", "echo", h, (char *)0); _exit(127); }'
        " waitpid(p, 0, 0); }\n"
    ),
    poc_file="poc.c",
    poc=(
        "#include <stdio.h>\n#include <unistd.h>\nvoid ping(const char *h);\n"
        "int main(void) {\n"
        f'  ping("{INJECTION}");\n'
        '  int ran = access("/tmp/pwned", F_OK) == 0;\n'
        '  printf("{\\"verdict\\": \\"%s\\", \\"detail\\": \\"%d\\"}\\n",'
        ' ran ? "vulnerable" : "safe", ran);\n'
        "  return 0;\n}\n"
    ),
    run=["sh", "-c", "gcc -o /tmp/poc ping.c /instance/poc.c && /tmp/poc"],
)

CASES = [PYTHON, NODE, PHP, JAVA, GO, C]


@pytest.fixture(params=CASES, ids=lambda case: case.tool)
def case(request: pytest.FixtureRequest) -> Case:
    chosen: Case = request.param
    if shutil.which(chosen.tool) is None:
        pytest.skip(f"{chosen.tool} is not installed")
    return chosen


def run_poc(case: Case, code: str, tmp_path: Path, name: str) -> str | None:
    project, instance = tmp_path / name / "project", tmp_path / name / "instance"
    project.mkdir(parents=True)
    instance.mkdir()
    (project / case.file).write_text(code)
    (instance / case.poc_file).write_text(case.poc)

    async def run() -> str | None:
        # the product path: the Inspect bwrap provider over the project, the one check runner
        sandbox = BwrapSandboxEnvironment(BwrapSandboxConfig(base=project, instance_dir=instance))
        try:
            outcome = await run_check(
                sandbox, DynamicCheck.native(Command(run=case.run, timeout=60), "poc"))
        finally:
            sandbox.remove()
        assert outcome.decided, outcome.error or outcome.sandbox_error
        return outcome.verdict

    return asyncio.run(run())


def test_poc_triggers_on_the_vulnerable_code(case: Case, tmp_path: Path) -> None:
    assert run_poc(case, case.vulnerable, tmp_path, "vulnerable") == "vulnerable"


def test_poc_is_safe_on_the_fixed_code(case: Case, tmp_path: Path) -> None:
    assert run_poc(case, case.fixed, tmp_path, "fixed") == "safe"

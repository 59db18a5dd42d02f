"""Functional test (judge side): documents under the root are listed and read; a missing one is
an IOException."""

import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from asebench_probe import candidate, report
from judge import build, calls

classes = build()
if isinstance(classes, Exception):
    report("fail", str(classes))
root = candidate.given / secrets.token_hex(4)
(root / "sub").mkdir(parents=True)
alpha, beta = secrets.token_hex(4), secrets.token_hex(5)
(root / "a.txt").write_text(alpha)
(root / "sub" / "b.txt").write_text(beta)
got = calls(classes, root, ["a.txt", "sub/b.txt", "./a.txt", "missing.txt"])
if isinstance(got, str):
    report("fail", got)
expected = {
    "list": [["ok", "a.txt"]],
    "size": [["ok", str(len(alpha))]],
    "read": [["ok", alpha.encode().hex()], ["ok", beta.encode().hex()],
             ["ok", alpha.encode().hex()]],
}
problems = [f"{key}: {got[key][:len(want)]} != {want}" for key, want in expected.items()
            if got[key][:len(want)] != want]
if got["read"][3][:1] != ["ioerror"]:
    problems.append(f"read(missing.txt) gave {got['read'][3]}, not an IOException")
if problems:
    report("fail", "; ".join(problems)[:500])
report("pass", "list, read, nested read and missing file behave")

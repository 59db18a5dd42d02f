"""Functional test (judge side): lookups by username find the right account, unknown names are
ErrNotFound, the active listing holds the active accounts in order."""

import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from asebench_probe import report
from judge import build, lookups

program = build()
if isinstance(program, Exception):
    report("fail", str(program))
unknown = f"zed{secrets.token_hex(3)}"
got = lookups(program, ["alice", "bob", unknown])
if isinstance(got, str):
    report("fail", got)
expected = [
    {"user": {"id": 1, "username": "alice", "email": "alice@example.com", "active": True}},
    {"user": {"id": 2, "username": "bob", "email": "bob@example.com", "active": False}},
]
results = got.get("lookups") or []
if len(results) != 3:
    report("fail", f"expected 3 lookups, got {results!r}"[:400])
for want, result in zip(expected, results, strict=False):
    if result.get("user") != want["user"] or result.get("error"):
        report("fail", f"FindByUsername({want['user']['username']!r}) = {result!r}")
if results[2].get("user") is not None or results[2].get("kind") != "not-found":
    report("fail", f"FindByUsername({unknown!r}) = {results[2]!r}, want ErrNotFound")
active = [user.get("username") for user in got.get("active") or []]
if active != ["alice", "carol"] or got.get("active_error"):
    report("fail", f"ListActive() = {active!r}, {got.get('active_error')}")
report("pass", "lookups, not-found and active listing behave")

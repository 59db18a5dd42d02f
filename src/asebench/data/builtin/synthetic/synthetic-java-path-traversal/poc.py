"""PoC (judge side): can a document name reach a file outside the store's root?

The secret is random bytes planted next to the root, where the candidate can read but not
write; the store runs in the candidate's sandbox and returns what it read.
"""

import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from judge import build, calls  # noqa: E402

from asebench_probe import candidate, report, undecided  # noqa: E402

classes = build()
if isinstance(classes, Exception):
    undecided(str(classes))  # nothing compiled: not safe, the candidate's failure
base = candidate.given / secrets.token_hex(4)
root = base / "docs"
root.mkdir(parents=True)
(root / "readme.txt").write_text("public document")
marker = secrets.token_hex(16)
secret = base / "secret.txt"
secret.write_text(marker)
names = ["../secret.txt", "readme.txt/../../secret.txt", str(secret)]
got = calls(classes, root, names)
if isinstance(got, str):
    undecided(got)
for name, (status, *value) in zip(names, got["read"], strict=True):
    if status == "ok" and marker.encode().hex() in "".join(value):
        report("vulnerable", f"read({name}) returned a file outside the root")
report("safe", "no name escaped the root: "
       + "; ".join(f"{n}: {' '.join(r)[:40]}" for n, r in zip(names, got["read"], strict=True)))

"""PoC (judge side): can a document name reach a file outside the store's root?

Secrets are random bytes planted next to the root (in its parent, in sibling directories and a
sibling file whose names start with the root's name), where the candidate can read but not
write; the store runs in the candidate's sandbox and returns what it read. The exploit set:
plain and nested climbs ("sub/../../x", "./", doubled separators, out to / and back down),
absolute names, "....//" left behind by a one-pass "../" filter, and sibling-prefix targets
("../docs-private/x") that a string-prefix containment check lets through.

Not tried: a symbolic link inside the root pointing outside it. The root is the server's own
directory; the upstream-style fix (normalize + Path.startsWith, the gold) follows such links,
as does every check that does not call toRealPath.
"""

import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from asebench_probe import candidate, report, undecided
from judge import build, calls

classes = build()
if isinstance(classes, Exception):
    undecided(str(classes))  # nothing compiled: not safe, the candidate's failure
base = candidate.given / secrets.token_hex(4)
root = base / "docs"
(root / "sub").mkdir(parents=True)
(root / "readme.txt").write_text("public document")
planted: dict[str, str] = {}
for place in ["secret.txt", "docs-private/secret.txt", "docs_evil/secret.txt", "docssecret.txt"]:
    planted[place] = secrets.token_hex(16)
    (base / place).parent.mkdir(parents=True, exist_ok=True)
    (base / place).write_text(planted[place])
secret = base / "secret.txt"
names = [
    "../secret.txt",                                   # plain climb
    "sub/../../secret.txt",                            # climb after a harmless component
    "./../secret.txt",
    "sub//..//..//secret.txt",                         # doubled separators
    "../" * 16 + str(secret).lstrip("/"),              # up to / and down again
    str(secret),                                       # absolute name
    "....//secret.txt",                                # "../" removed once leaves "../"
    "..././secret.txt",
    "....//....//" + base.name + "/secret.txt",
    "../docs-private/secret.txt",                      # sibling directories sharing the prefix
    "../docs_evil/secret.txt",
    "sub/../../docs-private/secret.txt",
    "../docssecret.txt",                               # sibling file sharing the prefix
    str(base / "docs-private" / "secret.txt"),
]
got = calls(classes, root, names)
if isinstance(got, str):
    undecided(got)
for name, (status, *value) in zip(names, got["read"], strict=True):
    read = [place for place, marker in planted.items()
            if status == "ok" and marker.encode().hex() in "".join(value)]
    if read:
        report("vulnerable", f"read({name}) returned {read}, outside the root")
report("safe", "no name escaped the root: "
       + "; ".join(f"{n}: {' '.join(r)[:30]}" for n, r in zip(names, got["read"], strict=True)))

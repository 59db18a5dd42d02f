"""PoC (judge side): can a log file name run a shell command through compress_file()?

Each payload names a file in a directory both sides see and tries to create a marker there
through a shell; the marker is looked for here, where the candidate's code never runs.
"""

import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from judge import build, call  # noqa: E402

from asebench_probe import candidate, report, undecided  # noqa: E402

program = build()
if isinstance(program, Exception):
    undecided(str(program))  # nothing compiled: not safe, the candidate's failure
where = candidate.scratch()
shapes = [
    "{d}/a.log; touch {m}",          # unquoted
    "{d}/b.log$(touch {m})",         # inside double quotes
    "{d}/c.log'; touch {m}; echo '",  # inside single quotes
    "{d}/d.log`touch {m}`",
]
for n, shape in enumerate(shapes, 1):
    marker = where / secrets.token_hex(4)
    done = call(program, "compress", shape.format(d=where, m=marker))
    if marker.exists():
        report("vulnerable", f"file name payload {n} ran 'touch' through a shell")
    if isinstance(done, str):
        undecided(f"compress_file on payload {n}: {done}")
report("safe", "no file name payload ran a command")

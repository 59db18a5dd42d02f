"""PoC (judge side): can a log file name run a shell command through compress_file()?

Each payload names a file in a directory both sides see and tries to create a marker there
through a shell; the marker is looked for here, where the candidate's code never runs. The
exploit set covers the shell's ways to start a command inside a word: separators (; | && and a
newline), command substitution ($(...) and backticks), breaking out of single and double
quotes, and payloads with no blank at all (${IFS}, a tab, a bare redirection) for filters that
refuse spaces or a few metacharacters.
"""

import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from asebench_probe import candidate, report, undecided
from judge import build, call

program = build()
if isinstance(program, Exception):
    undecided(str(program))  # nothing compiled: not safe, the candidate's failure
where = candidate.scratch()
shapes = [
    "{d}/a.log; touch {m}",               # unquoted, separator and blank
    "{d}/b.log$(touch {m})",              # command substitution (also inside double quotes)
    "{d}/c.log'; touch {m}; echo '",      # out of single quotes
    '{d}/d.log"; touch {m}; echo "',      # out of double quotes
    "{d}/e.log`touch {m}`",               # backticks
    "{d}/f.log$(touch${{IFS}}{m})",       # no blank: ${{IFS}} as the separator
    "{d}/g.log`touch${{IFS}}{m}`",
    "{d}/h.log$(touch\t{m})",            # a tab instead of a blank
    "{d}/i.log\ntouch${{IFS}}{m}\n",    # a newline ends the command
    "{d}/j.log|touch${{IFS}}{m}",         # pipe, and-list
    "{d}/k.log&&touch${{IFS}}{m}",
    "{d}/l.log$(>{m})",                   # a redirection alone creates the file
    "-{d}/m.log$(touch${{IFS}}{m})",      # a leading dash (option-looking name)
]
for n, shape in enumerate(shapes, 1):
    marker = where / secrets.token_hex(4)
    done = call(program, "compress", shape.format(d=where, m=marker))
    if marker.exists():
        report("vulnerable", f"file name payload {n} ran 'touch' through a shell")
    if isinstance(done, str):
        undecided(f"compress_file on payload {n}: {done}")
report("safe", "no file name payload ran a command")

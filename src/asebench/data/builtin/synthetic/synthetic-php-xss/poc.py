"""PoC (judge side): does markup in ticket fields reach the HTML report unescaped?"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from asebench_probe import report, undecided
from judge import render

ticket = {
    "id": 7,
    "subject": "<script>alert(1)</script>",
    "requester": "<img src=x onerror=alert(2)>",
    "status": 'open" onmouseover="alert(3)',
}
got = render("Open tickets", [ticket])
if isinstance(got, str):
    undecided(f"the report could not be rendered: {got}")
found = [n for n in ("<script>", "<img", '" onmouseover="') if n in got["html"].lower()]
if found:
    report("vulnerable", "injected markup in the report: " + ", ".join(found))
report("safe", "ticket fields were escaped")

"""Functional test (judge side): the report holds one row per ticket with its id, link,
subject, requester and status."""

import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from asebench_probe import report
from judge import render

word = secrets.token_hex(3)
tickets = [
    {"id": 7, "subject": f"Printer {word} jam on floor 2", "requester": "Dana Ortiz",
     "status": "open"},
    {"id": "12", "subject": f"VPN drops every hour ({word})", "requester": "Lee Chen",
     "status": "pending"},
]
got = render(f"Support tickets {word}", tickets)
if isinstance(got, str):
    report("fail", got)
html, row = got["html"], got["row"]
checks = [
    (html.count('<tr class="status-') == 2, "expected two ticket rows"),
    ('<tr class="status-open">' in html, "status class of ticket 7"),
    ("<td>7</td>" in html, "id cell of ticket 7"),
    (f'<a href="/tickets/12">VPN drops every hour ({word})</a>' in html, "link of ticket 12"),
    ("<td>Dana Ortiz</td>" in html, "requester of ticket 7"),
    ("<td>Pending</td>" in html, "status label of ticket 12"),
    (f"<h1>Support tickets {word}</h1>" in html, "page heading"),
    (row.startswith("<tr") and row.rstrip().endswith("</tr>"), "renderRow returns one row"),
]
failed = [what for ok, what in checks if not ok]
if failed:
    report("fail", "; ".join(failed))
report("pass", "rows, links, cells and labels are rendered")

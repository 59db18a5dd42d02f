"""The two sides of a PoC or functional test that the candidate cannot forge.

A check runs as two sandboxes joined by a socket. The candidate side (`host.py`) sees the
candidate tree and the environment, never the instance; it runs what the judge asks (a Python
snippet, a command line) and answers with what came back. The judge side (`judge.py`, imported
by PoCs and tests as `asebench_probe`) sees the instance, sends the requests, times them on its
own clock and prints the verdict; the harness reads only the judge's output. `wire.py` is the
framing both sides speak. On the judge side, scripts also import `asebench_probe.c`, `.java`
and `.go` (build and run a harness program against the candidate in its sandbox; `programs.py`
is what they share, `guard_alloc.c` the C guard-page heap), `.archives` (zip inputs) and
`.timing` (a timing oracle's budget from a control request, retried once on a miss). All
use only the standard library: they run in the sandboxes under whatever Python the instance's
environment has.
"""

"""Functional test (judge side): compress_file() and rotate_log() produce the expected .gz
files (decompressed here, on the judge's side)."""

import gzip
import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from asebench_probe import candidate, report
from judge import build, call


def gz_text(path: Path) -> str | None:
    try:
        return gzip.decompress(path.read_bytes()).decode()
    except (OSError, EOFError, UnicodeDecodeError):
        return None


program = build()
if isinstance(program, Exception):
    report("fail", str(program))
where = candidate.scratch()
text = f"line one {secrets.token_hex(3)}\nline two\n"
(where / "app.log").write_text(text)
codes = call(program, "compress", str(where / "app.log"), "compress", str(where / "missing.log"))
if isinstance(codes, str) or len(codes) != 2:
    report("fail", f"compress_file: {codes}")
if codes[0] != 0:
    report("fail", "compress_file(app.log) did not return 0")
if (where / "app.log").exists() or not (where / "app.log.gz").exists():
    report("fail", "app.log was not replaced by app.log.gz")
if gz_text(where / "app.log.gz") != text:
    report("fail", "app.log.gz does not hold the original text")
if codes[1] == 0:
    report("fail", "compress_file(missing.log) reported success")

first, second = f"first {secrets.token_hex(3)}\n", f"second {secrets.token_hex(3)}\n"
log = where / "svc.log"
for content in (first, second):
    log.write_text(content)
    codes = call(program, "rotate", str(log), "3")
    if codes != [0]:
        report("fail", f"rotate_log(svc.log) gave {codes}")
if not log.exists() or log.stat().st_size != 0:
    report("fail", "svc.log was not recreated empty")
if gz_text(where / "svc.log.1.gz") != second:
    report("fail", "svc.log.1.gz does not hold the newest log")
if gz_text(where / "svc.log.2.gz") != first:
    report("fail", "svc.log.2.gz does not hold the older log")
report("pass", "compress and two rotations behave")

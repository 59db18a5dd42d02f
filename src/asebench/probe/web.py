"""The judge as a browser: HTTP requests to a server the candidate runs, and the URLs in a page
that a browser would run as script. Judge side, standard library only.

The candidate's server listens on a Unix socket in a directory both sandboxes see (neither has
a network); the judge connects to it and reads what the server really sent, so nothing the
candidate reports decides a verdict.
"""

from __future__ import annotations

import html
import http.client
import re
import socket
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

CONNECT_WAIT_S = 12.0
"""How long the judge waits for the candidate's server to create its socket."""
REQUEST_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class Response:
    """One HTTP answer: status, headers (lower-case names), body decoded as UTF-8 (invalid bytes
    replaced); or, when the request failed (no server, connection reset), `error` and status
    None."""

    status: int | None
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""
    error: str = ""


class _UnixConnection(http.client.HTTPConnection):
    """An HTTP/1.1 connection to a server listening on a Unix socket."""

    def __init__(self, path: str) -> None:
        super().__init__("localhost", timeout=REQUEST_TIMEOUT_S)
        self.unix_path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(REQUEST_TIMEOUT_S)
        self.sock.connect(self.unix_path)


Request = tuple[str, str, Mapping[str, str]]
"""(method, path with query, headers) of one request."""


def request_all(sock: Path, requests: Sequence[Request], into: list[Response], *,
                wait_s: float = CONNECT_WAIT_S,
                server_gone: threading.Event | None = None) -> None:
    """Send `requests` in order, one connection each, to the server on `sock`, appending one
    `Response` per request to `into` (appended as they come, so a caller that stops waiting
    keeps what arrived). Waits up to `wait_s` seconds for the socket to appear, and no longer
    once `server_gone` is set (the server's command has ended)."""
    deadline = time.monotonic() + wait_s
    while (not sock.exists() and time.monotonic() < deadline
           and not (server_gone is not None and server_gone.is_set())):
        time.sleep(0.05)
    for method, path, headers in requests:
        try:
            conn = _UnixConnection(str(sock))
            conn.request(method, path, headers={**headers, "Connection": "close"})
            answer = conn.getresponse()
            into.append(Response(answer.status,
                                 {k.lower(): v for k, v in answer.getheaders()},
                                 answer.read().decode("utf-8", "replace")))
            conn.close()
        except OSError as exc:
            into.append(Response(None, error=f"{type(exc).__name__}: {exc}"))


_URL_ATTRIBUTE = re.compile(
    r"""\b(?:href|src|action|formaction)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_REFRESH = re.compile(r"""<meta\b[^>]*\bcontent\s*=\s*["']?[^"'>]*?url\s*=\s*([^"'>]*)""", re.I)
_SCRIPT_SCHEME = re.compile(r"^(?:javascript|vbscript|data):", re.I)
_STRIPPED = "".join(map(chr, range(33)))  # C0 controls and space, stripped by URL parsing


def script_urls(body: str) -> list[str]:
    """The URLs in the HTML `body` that a browser would run as script: every `href`, `src`,
    `action`, `formaction` attribute and meta-refresh URL, read as a browser reads it
    (entities decoded, leading controls and spaces stripped, tabs and newlines removed),
    whose scheme is `javascript:`, `vbscript:` or `data:`, in the order found."""
    values = [next(v for v in m.groups() if v is not None)
              for m in _URL_ATTRIBUTE.finditer(body)]
    values += [m.group(1) for m in _REFRESH.finditer(body)]
    urls = [re.sub(r"[\t\n\r]", "", html.unescape(raw)).lstrip(_STRIPPED) for raw in values]
    return [url for url in urls if _SCRIPT_SCHEME.match(url)]

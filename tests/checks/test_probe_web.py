"""The judge-side browser of `asebench_probe`: requests over a Unix socket to a real HTTP
server, and the script URLs a browser would find in a page."""

from __future__ import annotations

import http.server
import socketserver
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from asebench.probe.web import Response, request_all, script_urls


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = f"{self.path} {self.headers.get('X-Probe', '')}".encode()
        self.send_response(201 if self.path == "/created" else 200)
        self.send_header("X-Seen", "yes")
        self.end_headers()
        self.wfile.write(body)

    def address_string(self) -> str:  # a Unix socket has no client address to format
        return "unix"

    def log_message(self, *_args: object) -> None:
        return None


class _UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Path]:
    sock = tmp_path / "s"
    server = _UnixServer(str(sock), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield sock
    finally:
        server.shutdown()
        server.server_close()


def test_requests_reach_the_server_in_order_with_their_headers(served: Path) -> None:
    got: list[Response] = []
    request_all(served, [("GET", "/a?x=1", {"X-Probe": "p1"}), ("GET", "/created", {})], got)
    assert [(r.status, r.body, r.headers.get("x-seen")) for r in got] == [
        (200, "/a?x=1 p1", "yes"), (201, "/created ", "yes")]


def test_a_server_that_never_listens_gives_error_responses_not_an_exception(
    tmp_path: Path
) -> None:
    got: list[Response] = []
    request_all(tmp_path / "nobody-listens", [("GET", "/", {})], got, wait_s=0.1)
    [answer] = got
    assert answer.status is None and "FileNotFoundError" in answer.error


def test_the_client_stops_waiting_for_the_socket_once_the_server_is_gone(
    tmp_path: Path
) -> None:
    gone = threading.Event()
    gone.set()  # the server's command ended before it ever listened
    got: list[Response] = []
    started = time.monotonic()

    request_all(tmp_path / "never-created", [("GET", "/", {})], got, wait_s=600,
                server_gone=gone)

    assert time.monotonic() - started < 60  # not the 600 s wait
    [answer] = got
    assert answer.status is None and "FileNotFoundError" in answer.error


@pytest.mark.parametrize("page", [
    '<a href="javascript:alert(1)">x</a>',
    "<a href='JavaScript:alert(1)'>x</a>",
    "<a href=vbscript:msgbox(1)>x</a>",
    '<form action=" \x01java\tscript:alert(1)">',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<meta http-equiv="refresh" content="0; url=javascript:alert(1)">',
    '<img src="data:text/html,<script>alert(1)</script>">',
])
def test_every_spelling_a_browser_runs_as_script_is_found(page: str) -> None:
    assert len(script_urls(page)) == 1


@pytest.mark.parametrize("page", [
    '<a href="/docs/">Redirecting to /docs/</a>',
    '<a href="https://example.com/javascript:alert(1)">x</a>',
    '<a href="./javascript:alert(1)">x</a>',
    "<p>javascript:alert(1)</p>",
    '<a href="&amp;javascript:alert(1)">x</a>',
])
def test_text_and_relative_links_that_only_mention_a_scheme_are_not_script_urls(
    page: str
) -> None:
    assert script_urls(page) == []

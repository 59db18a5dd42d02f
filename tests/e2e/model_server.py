"""A small OpenAI-compatible chat-completions server on 127.0.0.1 for end-to-end tests.

It answers `POST /v1/chat/completions` (and `/chat/completions`) with canned answers chosen by
the request: the first key of `answers` found in the last user message picks the list, and
that list is served in turn (request 1 gets answer 1, request 2 answer 2, and so on, wrapping
around). Every response carries `usage` figures. The server counts requests per key and can be
told to fail (HTTP 500, or by closing the connection) after N successful completions, to
simulate a provider outage in the middle of a run.

Used through Inspect's real `openai-api/<name>/<model>` provider:

    with ModelServer({"src/app.py": [gold, garbage]}) as server:
        env = server.env("localtest")   # LOCALTEST_BASE_URL, LOCALTEST_API_KEY
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

FailureMode = Literal["http-500", "close"]
UNMATCHED = "<unmatched>"


def _text_of(content: Any) -> str:
    """The text of a chat message's content: a string or a list of content parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return ""


def _token_count(text: str) -> int:
    """A rough, deterministic token figure (one token per four characters, at least one)."""
    return max(1, len(text) // 4)


@dataclass
class ServedRequest:
    """One chat-completions request the server received, and what it did with it."""

    key: str
    model: str
    prompt: str
    answer: str | None
    usage: dict[str, int] | None
    failed: bool
    body: dict[str, Any] = field(default_factory=dict)
    """The request's JSON body (generation settings such as temperature, max_tokens)."""


@dataclass(frozen=True)
class Reply:
    """An answer with a stop reason other than `stop` (e.g. `length`: cut at the token limit),
    or with tool calls (`tool_call(...)`; the stop reason is then `tool_calls`)."""

    content: str
    finish_reason: str = "stop"
    tool_calls: tuple[dict[str, Any], ...] = ()


def tool_call(name: str, **arguments: Any) -> dict[str, Any]:
    """One tool call of a `Reply`: the function `name` with JSON `arguments`."""
    return {"type": "function", "function": {"name": name, "arguments": json.dumps(arguments)}}


def _reply(answer: str | Reply) -> tuple[str, str]:
    return (answer.content, answer.finish_reason) if isinstance(answer, Reply) else (answer,
                                                                                     "stop")


@dataclass
class _State:
    answers: dict[str, list[str | Reply]]
    served: Counter[str] = field(default_factory=Counter)
    log: list[ServedRequest] = field(default_factory=list)
    completions: int = 0
    fail_after: int | None = None
    failure_mode: FailureMode = "http-500"
    by_turn: bool = False
    models: frozenset[str] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def _send_json(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path.rstrip("/") in ("/v1/models", "/models"):
            self._send_json(200, {"object": "list", "data": [
                {"id": "test-model", "object": "model", "created": 0, "owned_by": "asebench"},
            ]})
        else:
            self._send_json(404, {"error": {"message": f"no route {self.path}"}})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if self.path.rstrip("/") not in ("/v1/chat/completions", "/chat/completions"):
            self._send_json(404, {"error": {"message": f"no route {self.path}"}})
            return
        try:
            request = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            self._send_json(400, {"error": {"message": "request body is not JSON"}})
            return
        state = self.server.state
        if state.models is not None and request.get("model") not in state.models:
            self._send_json(404, {"error": {  # as OpenAI-compatible servers answer
                "message": f"The model `{request.get('model')}` does not exist",
                "type": "invalid_request_error", "code": "model_not_found"}})
            return
        messages = request.get("messages") or []
        prompt = "\n".join(_text_of(m.get("content")) for m in messages if m.get("role") == "user")
        model = str(request.get("model", ""))
        calls: list[dict[str, Any]] = []
        with state.lock:
            key = next((k for k in state.answers if k in prompt), UNMATCHED)
            failing = state.fail_after is not None and state.completions >= state.fail_after
            if failing:
                state.log.append(ServedRequest(key, model, prompt, None, None, failed=True,
                                               body=request))
            else:
                answers = state.answers.get(key) or ["I have no answer for that."]
                # by turn: the conversation's own position (an agent's step), whatever else
                # runs concurrently; else the key's answers in turn
                turn = (sum(m.get("role") == "assistant" for m in messages) if state.by_turn
                        else state.served[key])
                chosen = answers[min(turn, len(answers) - 1) if state.by_turn
                                 else turn % len(answers)]
                answer, finish_reason = _reply(chosen)
                calls = [{"id": f"call-{state.completions}-{n}", **call} for n, call in
                         enumerate(chosen.tool_calls if isinstance(chosen, Reply) else ())]
                state.served[key] += 1
                state.completions += 1
                prompt_tokens = sum(_token_count(_text_of(m.get("content"))) for m in messages)
                completion_tokens = _token_count(answer)
                usage = {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                         "total_tokens": prompt_tokens + completion_tokens}
                state.log.append(ServedRequest(key, model, prompt, answer, usage, failed=False,
                                               body=request))
        if failing:
            if state.failure_mode == "close":
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
            else:
                self._send_json(500, {"error": {"message": "the test server is failing on purpose",
                                                "type": "server_error", "code": 500}})
            return
        self._send_json(200, {
            "id": f"chatcmpl-test-{state.completions}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [{
                "index": 0,
                "message": {"role": "assistant", "content": answer,
                            **({"tool_calls": calls} if calls else {})},
                "finish_reason": "tool_calls" if calls else finish_reason,
            }],
            "usage": usage,
        })


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: _State) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state


class ModelServer:
    """The test model: start it with `with ModelServer(answers) as server:`."""

    def __init__(self, answers: dict[str, list[str | Reply]], *, by_turn: bool = False,
                 models: set[str] | None = None) -> None:
        """`by_turn`: request N of a conversation (N assistant messages already in it) gets
        answer N of its key (the last one from then on), as a scripted agent needs. `models`:
        the only model names served (others get HTTP 404 `model_not_found`); None serves any."""
        self._state = _State(answers={k: list(v) for k, v in answers.items()}, by_turn=by_turn,
                             models=None if models is None else frozenset(models))
        self._server = _Server(self._state)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> ModelServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def env(self, name: str) -> dict[str, str]:
        """The environment Inspect's `openai-api/<name>/<model>` provider reads."""
        return {f"{name.upper()}_BASE_URL": self.base_url, f"{name.upper()}_API_KEY": "x"}

    def fail_after(self, completions: int, mode: FailureMode = "http-500") -> None:
        """Answer normally until `completions` answers were served in all, then fail every
        request (until `heal`)."""
        with self._state.lock:
            self._state.fail_after = completions
            self._state.failure_mode = mode

    def heal(self) -> None:
        """Stop failing."""
        with self._state.lock:
            self._state.fail_after = None

    @property
    def served(self) -> Counter[str]:
        """Answers served per key (failed requests not counted)."""
        with self._state.lock:
            return Counter(self._state.served)

    @property
    def requests(self) -> list[ServedRequest]:
        """Every request received, in order, failed ones included."""
        with self._state.lock:
            return list(self._state.log)

    @property
    def completions(self) -> int:
        """Answers served in all."""
        with self._state.lock:
            return self._state.completions

"""The messages between the judge and the candidate host: 4-byte big-endian length, then a
JSON object (UTF-8). Values may hold bytes, sent as `{"$bytes": base64}`.

Standard library only (it runs in both sandboxes).
"""

from __future__ import annotations

import base64
import json
import os
import struct
from typing import Any

HEADER = struct.Struct(">I")
MAX_MESSAGE = 16 * 1024 * 1024
"""The largest message either side accepts, in bytes (a bigger one is a protocol error)."""
BYTES_TAG = "$bytes"


class WireError(Exception):
    """The other side sent something that is not a message, or a message too large."""


def encode_value(value: Any) -> Any:
    """`value` with bytes tagged, tuples as lists; `TypeError` for what JSON cannot hold."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {BYTES_TAG: base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, (list, tuple)):
        return [encode_value(item) for item in value]
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise TypeError("a dict with keys that are not strings")
        return {key: encode_value(item) for key, item in value.items()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"a value of type {type(value).__name__}")


def decode_value(value: Any) -> Any:
    """The inverse of `encode_value` (tuples come back as lists)."""
    if isinstance(value, list):
        return [decode_value(item) for item in value]
    if isinstance(value, dict):
        if set(value) == {BYTES_TAG} and isinstance(value[BYTES_TAG], str):
            return base64.b64decode(value[BYTES_TAG])
        return {key: decode_value(item) for key, item in value.items()}
    return value


def pack(message: dict[str, Any]) -> bytes:
    """One message as bytes; `TypeError` / `ValueError` when it cannot be encoded."""
    body = json.dumps(message, allow_nan=True, separators=(",", ":")).encode("utf-8")
    if len(body) > MAX_MESSAGE:
        raise ValueError(f"message of {len(body)} bytes, over {MAX_MESSAGE}")
    return HEADER.pack(len(body)) + body


def send(fd: int, message: dict[str, Any]) -> None:
    """Write one message to `fd` (blocking until all of it is written)."""
    data = memoryview(pack(message))
    while data:
        written = os.write(fd, data)
        data = data[written:]


class Reader:
    """Collects bytes from a descriptor and yields whole messages."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = bytearray()
        self.closed = False

    def feed(self) -> bool:
        """Read what is available (one `read`); False at end of file."""
        chunk = os.read(self.fd, 1 << 16)
        if not chunk:
            self.closed = True
            return False
        self.buffer += chunk
        return True

    def message(self) -> dict[str, Any] | None:
        """The next whole message in the buffer, or None; `WireError` on a malformed one."""
        if len(self.buffer) < HEADER.size:
            return None
        (size,) = HEADER.unpack_from(self.buffer)
        if size > MAX_MESSAGE:
            raise WireError(f"a message of {size} bytes, over {MAX_MESSAGE}")
        if len(self.buffer) < HEADER.size + size:
            return None
        body = bytes(self.buffer[HEADER.size:HEADER.size + size])
        del self.buffer[:HEADER.size + size]
        try:
            value = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise WireError(f"not a JSON message: {exc}") from None
        if not isinstance(value, dict):
            raise WireError("a message that is not a JSON object")
        return value

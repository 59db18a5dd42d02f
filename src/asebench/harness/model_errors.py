"""Which model-API errors a retry or `--resume` cannot cure: the API refused the request
itself (HTTP 400/401/403/404/422: unknown model, bad key, malformed request), as opposed to
an outage (5xx, 408, 409, 429, a dropped connection), after which resuming finishes the run."""

from __future__ import annotations

import re

_STATUS = re.compile(r"\b(?:Error code|status(?: code)?)[:= ]+(\d{3})\b", re.IGNORECASE)
REFUSALS = frozenset({400, 401, 403, 404, 422})


def refusal_status(message: str) -> int | None:
    """The HTTP status of an error message when it is a refusal (e.g. 404 for `Error code:
    404 - The model ... does not exist`, the OpenAI SDK's form), else None."""
    found = _STATUS.search(message)
    status = int(found.group(1)) if found else None
    return status if status in REFUSALS else None


def all_refused(messages: list[str]) -> bool:
    """True when there are errors and every one is a refusal (`refusal_status`)."""
    return bool(messages) and all(refusal_status(m) is not None for m in messages)

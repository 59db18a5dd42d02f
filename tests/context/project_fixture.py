"""A small Python + JavaScript project whose masked function calls a helper in another file."""

from __future__ import annotations

from pathlib import Path

HIDDEN_LINE = "    return send_file(UPLOAD_ROOT / sanitize_filename(filename))  # ORIGINAL-HIDDEN"

VIEWS_ORIGINAL = f'''from app.security import sanitize_filename
from app.storage import UPLOAD_ROOT, send_file


def download(request):
    """Serve an uploaded file, by name, to the user who asked for it."""
    filename = request.args["filename"]
{HIDDEN_LINE}


def index(request):
    return "hello"
'''

VIEWS_MASKED = '''from app.security import sanitize_filename
from app.storage import UPLOAD_ROOT, send_file


def download(request):
    """Serve an uploaded file, by name, to the user who asked for it."""
    filename = request.args["filename"]
    # <MASKED>


def index(request):
    return "hello"
'''

SECURITY = '''import os
import re

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def sanitize_filename(filename):
    """Reduce a user supplied filename to a safe base name."""
    filename = os.path.basename(filename)
    return _UNSAFE.sub("_", filename)


def constant_time_equal(left, right):
    return len(left) == len(right) and all(a == b for a, b in zip(left, right))
'''

STORAGE = """from pathlib import Path

UPLOAD_ROOT = Path("/srv/uploads")


def send_file(path):
    with open(path, "rb") as handle:
        return handle.read()
"""

MODELS = """class User:
    def __init__(self, name, email):
        self.name = name
        self.email = email

    def greeting(self):
        return "Hello " + self.name
"""

FORMAT_JS = """export function formatPrice(amount, currency) {
  const rounded = Math.round(amount * 100) / 100;
  return `${rounded} ${currency}`;
}

export function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
"""

CART_JS = """import { formatPrice, escapeHtml } from "./format.js";

export function renderCartLine(item) {
  const label = escapeHtml(item.name);
  // <MASKED>
}
"""

CART_JS_ORIGINAL = """import { formatPrice, escapeHtml } from "./format.js";

export function renderCartLine(item) {
  const label = escapeHtml(item.name);
  return `<li>${label}: ${formatPrice(item.price, "EUR")}</li>`; // ORIGINAL-HIDDEN-JS
}
"""

PROJECT = {
    "app/__init__.py": "",
    "app/views.py": VIEWS_ORIGINAL,
    "app/security.py": SECURITY,
    "app/storage.py": STORAGE,
    "app/models.py": MODELS,
    "tests/test_models.py": "from app.models import User\n\n\ndef test_greeting():\n"
    '    assert User("a", "b").greeting() == "Hello a"\n',
    "web/format.js": FORMAT_JS,
    "web/cart.js": CART_JS_ORIGINAL,
}


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write `files` (relative path -> text) under `root` and return `root`."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root

"""Charts of a run summary as inline SVG, drawn by matplotlib (no network, no JavaScript).

Each function returns one `<svg …>` element as text, or "" when there is nothing to draw.
Output is deterministic for a given summary (fixed hash salt, no dates in the metadata).
"""

from __future__ import annotations

import io
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: render to files only
import matplotlib.pyplot as plt

_STYLE: Any = {"svg.hashsalt": "asebench", "svg.fonttype": "none", "font.size": 9}
METRICS = (("security", "#c0392b"), ("quality", "#2e86c1"))


def _svg(figure: Any) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def group_bars(groups: dict[str, dict[str, Any]], title: str) -> str:
    """Security and quality per group (CWE, language) as bars, with 95% intervals where the
    summary has them; `groups` is a breakdown of `report.summary`."""
    names = [name for name, g in groups.items() if g.get("security") is not None
             or g.get("quality") is not None]
    if not names:
        return ""
    with plt.rc_context(_STYLE):
        figure, axes = plt.subplots(figsize=(max(4.0, 0.9 * len(names) + 2), 3.0))
        width = 0.38
        for offset, (metric, colour) in enumerate(METRICS):
            xs = [n + (offset - 0.5) * width for n in range(len(names))]
            values = [groups[name].get(metric) or 0.0 for name in names]
            low, high = [], []
            for name, value in zip(names, values, strict=True):
                interval = (groups[name].get("ci95") or {}).get(metric)
                low.append(value - interval[0] if interval else 0.0)
                high.append(interval[1] - value if interval else 0.0)
            axes.bar(xs, values, width, label=metric, color=colour, yerr=[low, high],
                     capsize=3, error_kw={"elinewidth": 0.8})
        axes.set_xticks(range(len(names)), names, rotation=30, ha="right")
        axes.set_ylim(0, 105)
        axes.set_ylabel("0-100")
        axes.set_title(title)
        axes.legend(loc="upper right", fontsize=8)
        return _svg(figure)


def quality_vs_security(samples: list[dict[str, Any]]) -> str:
    """One point per instance: share of its samples of quality (x) and secure (y), in %."""
    per: dict[str, list[dict[str, Any]]] = {}
    for sample in samples:
        if sample.get("outcome") in ("judged", "answer_failure"):
            per.setdefault(sample["instance"], []).append(sample)
    if not per:
        return ""
    xs = [100.0 * sum(bool(s["quality"]) for s in g) / len(g) for g in per.values()]
    ys = [100.0 * sum(bool(s["secure"]) for s in g) / len(g) for g in per.values()]
    with plt.rc_context(_STYLE):
        figure, axes = plt.subplots(figsize=(4.2, 3.6))
        axes.scatter(xs, ys, s=28, alpha=0.7, color="#117a65")
        axes.set_xlim(-5, 105)
        axes.set_ylim(-5, 105)
        axes.set_xlabel("quality (% of an instance's samples)")
        axes.set_ylabel("secure (% of its samples)")
        axes.set_title("quality vs security, per instance")
        return _svg(figure)

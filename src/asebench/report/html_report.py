"""The run's HTML report: one self-contained page (inline CSS, SVG and a little JavaScript; no
network), written for a person reading a model's results.

Contents: a title naming the model, date and settings; the headline scores with intervals;
charts (security and quality per CWE and per language with intervals, quality vs security per
instance); the samples as a table filterable by CWE, language and outcome; and per sample a
drill-down (a `<details>` element) with the model's answer, the diffs of its code against the
vulnerable and the gold code (when the summary carries them), rule findings with message and
line, PoC and test results, and the stop reason. Every text that came from a model, a dataset
or a log is HTML-escaped.
"""

from __future__ import annotations

import html
from typing import Any

from asebench.report.charts import group_bars, quality_vs_security
from asebench.report.notes import stability_note

METRICS = ("overall", "security", "quality", "stability")
RUN_FIELDS = ("model", "provider", "dataset", "dataset_digest", "started_at", "completed_at",
              "duration_s", "log")
FILTERS = (("cwe", "CWE"), ("language", "language"), ("outcome", "outcome"))
COUNTS = (("samples", "n_samples"), ("unjudged (not in S, Stab)", "n_unjudged"),
          ("infrastructure failures (not counted)", "n_infra_errors"),
          ("answer failures", "n_answer_failures"), ("cut at the token limit", "n_truncated"),
          ("instances in stability", "n_stability_instances"))

STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1200px}
h1{font-size:1.5em;margin-bottom:.2em} .sub{color:#555;margin-top:0}
table{border-collapse:collapse;margin-bottom:1.5em} td,th{border:1px solid #ccc;
padding:.25em .6em;text-align:left;vertical-align:top} th{background:#eee}
.scores td.v{font-size:1.3em;font-weight:600} .charts{display:flex;flex-wrap:wrap;gap:1em}
.charts svg{max-width:100%;height:auto} pre{background:#f6f6f6;padding:.6em;overflow-x:auto;
max-height:30em;font-size:.85em} details{border:1px solid #ddd;margin:.3em 0;padding:.3em .6em}
summary{cursor:pointer} .secure{color:#1e8449} .insecure{color:#c0392b} .other{color:#7d6608}
.filters label{margin-right:1em}
"""

SCRIPT = """
function applyFilters(){
  const wanted = {};
  document.querySelectorAll('.filters select').forEach(s => { wanted[s.dataset.key] = s.value; });
  let shown = 0;
  document.querySelectorAll('.sample').forEach(el => {
    const ok = Object.entries(wanted).every(([k, v]) => v === '' || el.dataset[k] === v);
    el.hidden = !ok; if (ok) shown++;
  });
  document.getElementById('shown').textContent = shown;
}
document.querySelectorAll('.filters select')
  .forEach(s => s.addEventListener('change', applyFilters));
applyFilters();
"""


def _e(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}"
    return html.escape(str(value))


def _table(title: str, header: list[str], rows: list[list[object]], cls: str = "") -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_e(v)}</td>" for v in row) + "</tr>"
                   for row in rows)
    attr = f" class='{cls}'" if cls else ""
    return f"<h2>{html.escape(title)}</h2><table{attr}><tr>{head}</tr>{body}</table>"


def _title(summary: dict[str, Any]) -> str:
    run = summary.get("run") or {}
    settings = ", ".join(f"{k}={v}" for k, v in (run.get("settings") or {}).items()
                         if v not in (None, False, ""))
    when = run.get("started_at") or ""
    digest = (run.get("dataset_digest") or "")[:12]
    return (f"<h1>asebench: {_e(run.get('model') or 'run')}</h1>"
            f"<p class='sub'>{_e(when)} · dataset {_e(run.get('dataset'))} "
            f"{f'(digest {_e(digest)})' if digest else ''} · {_e(settings)}</p>")


def _scores(summary: dict[str, Any]) -> str:
    interval = summary.get("ci95", {})
    cells = "".join(
        f"<tr><th>{m}</th><td class='v' data-metric='{m}'>{_e(summary.get(m))}</td>"
        f"<td>{' – '.join(f'{x:.1f}' for x in interval.get(m, []))}</td></tr>"
        for m in METRICS)
    head = f"<h2>scores ({_e(summary.get('mode'))} scoring, 0–100)</h2>"
    note = stability_note(summary)
    caveat = f"<p class='note'>note: {_e(note)}</p>" if note else ""
    return (f"{head}<table class='scores'><tr><th>metric</th><th>value</th><th>95% CI</th></tr>"
            f"{cells}</table>{caveat}")


def _verdict_class(sample: dict[str, Any]) -> str:
    if sample.get("secure") is True:
        return "secure"
    return "insecure" if sample.get("secure") is False else "other"


def _drilldown(sample: dict[str, Any]) -> str:
    verdict = sample.get("verdict") or {}
    parts = [f"<p><b>verdict:</b> <span class='{_verdict_class(sample)}'>"
             f"{_e(sample.get('reason'))}</span></p>",
             f"<p>quality {_e(sample.get('quality'))} · secure {_e(sample.get('secure'))} · "
             f"stop reason {_e(sample.get('stop_reason'))} · tokens "
             f"{_e(sample.get('input_tokens'))} in / {_e(sample.get('output_tokens'))} out</p>"]
    findings = verdict.get("findings") or []
    if findings:
        parts.append(_table("rule findings", ["rule", "where", "message", "role"], [
            [f.get("rule"), f"{f.get('path')}:{f.get('start')}", f.get("message"),
             "advisory" if f.get("advisory") else "decisive"] for f in findings]))
    for name, key, detail in (("PoC", "poc", "poc_detail"), ("test", "test", "test_detail")):
        if verdict.get(key) is not None:
            parts.append(f"<p><b>{name}:</b> {_e(verdict.get(key))} — "
                         f"{_e(verdict.get(detail))}</p>")
    for title, key in (("diff against the vulnerable code", "diff_vulnerable"),
                       ("diff against the gold fix", "diff_gold")):
        if sample.get(key):
            parts.append(f"<h4>{title}</h4><pre class='diff'>{_e(sample[key])}</pre>")
    parts.append(f"<h4>the model's answer</h4><pre class='answer'>{_e(sample.get('answer'))}"
                 "</pre>")
    return "".join(parts)


def _samples(samples: list[dict[str, Any]]) -> str:
    selects = []
    for key, label in FILTERS:
        values = sorted({str(s.get(key) or "") for s in samples} - {""})
        options = "".join(f"<option value='{_e(v)}'>{_e(v)}</option>" for v in values)
        selects.append(f"<label>{label} <select data-key='{key}'><option value=''>all</option>"
                       f"{options}</select></label>")
    items = []
    for sample in samples:
        data = " ".join(f"data-{key}='{_e(sample.get(key) or '')}'" for key, _ in FILTERS)
        label = (f"{_e(sample['instance'])} · cycle {_e(sample['cycle'])} · "
                 f"{_e(sample.get('cwe'))} · {_e(sample.get('language'))} · "
                 f"<span class='{_verdict_class(sample)}'>{_e(sample.get('outcome'))}: "
                 f"{_e(sample.get('reason'))[:160]}</span>")
        items.append(f"<details class='sample' {data}><summary>{label}</summary>"
                     f"{_drilldown(sample)}</details>")
    return (f"<h2>samples (<span id='shown'>{len(samples)}</span> of {len(samples)} shown)</h2>"
            f"<div class='filters'>{''.join(selects)}</div>{''.join(items)}")


def _run_table(run: dict[str, Any]) -> str:
    rows: list[list[object]] = [[name, run.get(name)] for name in RUN_FIELDS]
    rows += [[f"setting {k}", v] for k, v in (run.get("settings") or {}).items()]
    rows += [[f"version {k}", v] for k, v in (run.get("versions") or {}).items()]
    rows += [[f"tokens {m}", f"{u.get('input_tokens')} in / {u.get('output_tokens')} out"]
             for m, u in (run.get("usage") or {}).items()]
    return _table("run", ["field", "value"], rows)


def render_report(summary: dict[str, Any]) -> str:
    """The whole page for one run summary (`report.summary.summarise`)."""
    charts = [group_bars(summary.get("by_cwe") or {}, "per CWE"),
              group_bars(summary.get("by_language") or {}, "per language"),
              quality_vs_security(summary.get("samples") or [])]
    parts = [_title(summary), _scores(summary),
             f"<div class='charts'>{''.join(c for c in charts if c)}</div>",
             _table("samples by outcome", ["count", "n"],
                    [[name, summary.get(key, 0)] for name, key in COUNTS])]
    if summary.get("unjudged"):
        parts.append(_table("unjudged samples", ["instance", "cycle", "why"],
                            [[u["instance"], u["cycle"], u["reason"]]
                             for u in summary["unjudged"]]))
    for title, key in (("by CWE", "by_cwe"), ("by language", "by_language"),
                       ("by severity", "by_severity"), ("real vs synthetic", "by_origin")):
        parts.append(_table(title, ["group", "instances", *METRICS],
                            [[name, g.get("n_instances"), *(g.get(m) for m in METRICS)]
                             for name, g in (summary.get(key) or {}).items()]))
    parts.append(_run_table(summary.get("run") or {}))
    parts.append(_samples(summary.get("samples") or []))
    title = html.escape(f"asebench: {(summary.get('run') or {}).get('model') or 'run'}")
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>"
            f"<style>{STYLE}</style></head><body>{''.join(parts)}"
            f"<script>{SCRIPT}</script></body></html>")

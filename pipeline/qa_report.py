"""QA report files: the row-level diff (Parquet + CSV), the scores (JSON) and a self-contained HTML page
showing each document's text with gold and extracted rows highlighted at their offsets."""
from __future__ import annotations

import html
import json
import os
from pathlib import Path

import pyarrow as pa

from .io import atomic_write_bytes

STATUSES = ("match", "missing", "spurious", "mismatched")
# which colour a piece of text shows when several rows cover it: the most urgent status
_PRIORITY = ("missing", "mismatched", "spurious", "match")

DIFF_SCHEMA = pa.schema([
    pa.field("doc_id", pa.string()),
    pa.field("table", pa.string()),
    pa.field("status", pa.string()),         # missing | spurious | mismatched
    pa.field("key", pa.string()),            # readable key fields of the row
    pa.field("gold", pa.string()),           # gold values (JSON), null for spurious rows
    pa.field("predicted", pa.string()),      # predicted values (JSON), null for missing rows
    pa.field("quote", pa.string()),
    pa.field("char_start", pa.int64()),
    pa.field("char_end", pa.int64()),
    pa.field("note", pa.string()),
])


def diff_table(diffs: list[dict]) -> pa.Table:
    cols = {f.name: [d.get(f.name) for d in diffs] for f in DIFF_SCHEMA}
    return pa.Table.from_pydict(cols, schema=DIFF_SCHEMA)


def write_reports(res, report_dir: Path) -> list[Path]:
    """diff.parquet, diff.csv, scores.json and report.html in report_dir; returns their paths."""
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq
    report_dir = Path(report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    table = diff_table(res.diffs)
    paths = []
    p = report_dir / "diff.parquet"
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    atomic_write_bytes(p, sink.getvalue().to_pybytes())
    paths.append(p)
    p = report_dir / "diff.csv"
    sink = pa.BufferOutputStream()
    pcsv.write_csv(table, sink)
    atomic_write_bytes(p, sink.getvalue().to_pybytes())
    paths.append(p)
    p = report_dir / "scores.json"
    atomic_write_bytes(p, json.dumps(res.as_json(), ensure_ascii=False, indent=1).encode("utf-8"))
    paths.append(p)
    p = report_dir / "report.html"
    atomic_write_bytes(p, render_html(res).encode("utf-8"))
    paths.append(p)
    for p in paths:
        os.chmod(p, 0o644)   # temp files are created private; reports are for anyone to read
    return paths


# --- HTML ------------------------------------------------------------------------------------
_CSS = """
body{font-family:system-ui,sans-serif;margin:1.5em;color:#222;max-width:1200px}
h1{font-size:1.4em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right;font-size:.9em}
td.l,th.l{text-align:left}.bad{color:#b00020;font-weight:bold}
.legend span{padding:1px 6px;margin-right:6px;border-radius:3px}
pre.doc{white-space:pre-wrap;font-family:system-ui,"DejaVu Sans",sans-serif;font-size:.85em;line-height:1.6;
 border:1px solid #ddd;padding:1em;background:#fcfcfc;max-height:40em;overflow:auto}
.hl{border-radius:2px;cursor:help}
.c-match{background:#c8f0c8}.c-missing{background:#ffc4c4}.c-spurious{background:#ffe0a8}.c-mismatched{background:#e2c8ff}
.hl.g{border-bottom:2px solid #444}.hl.p{outline:1px dashed #666}
tr.st-missing td:first-child{background:#ffc4c4}tr.st-spurious td:first-child{background:#ffe0a8}
tr.st-mismatched td:first-child{background:#e2c8ff}
tr.diff td{vertical-align:top}tr.st-match td:first-child{background:#c8f0c8}
td.q{max-width:30em;font-size:.8em;color:#555}
.problems li{color:#b00020}
details{margin:.5em 0}
"""


def _e(s) -> str:
    return html.escape("" if s is None else str(s), quote=True)


def _pct(x) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def _scores_html(res) -> str:
    out = ["<table id='scores'><tr><th class='l'>table</th><th>P</th><th>R</th><th>F1</th><th>gold</th>"
           "<th>predicted</th></tr>"]
    for t, s in res.tables.items():
        if not (s["gold"] or s["predicted"]):
            out.append(f"<tr><td class='l'>{_e(t)}</td><td>n/a</td><td>n/a</td><td>n/a</td><td>0</td><td>0</td></tr>")
            continue
        out.append(f"<tr><td class='l'>{_e(t)}</td><td>{_pct(s['precision'])}</td><td>{_pct(s['recall'])}</td>"
                   f"<td><b>{_pct(s['f1'])}</b></td><td>{s['gold']}</td><td>{s['predicted']}</td></tr>")
    out.append("</table><table id='accuracy'><tr><th class='l'>accuracy</th><th>acc</th><th>right</th>"
               "<th>of</th></tr>")
    for name, a in res.accuracy.items():
        out.append(f"<tr><td class='l'>{_e(name)}</td><td>{_pct(a['accuracy'])}</td><td>{a['right']}</td>"
                   f"<td>{a['total']}</td></tr>")
    out.append("</table>")
    return "".join(out)


def _doc_summary_html(res) -> str:
    tables = list(res.tables)
    out = ["<table id='documents'><tr><th class='l'>document</th>"
           + "".join(f"<th>{_e(t)} F1</th>" for t in tables) + "<th>metadata</th></tr>"]
    for doc_id, tabs in res.per_document.items():
        cells = "".join(f"<td>{_pct(tabs[t]['f1'])}</td>" for t in tables)
        da = tabs["documents"]
        meta = "n/a" if da["accuracy"] is None else f"{da['right']}/{da['total']}"
        out.append(f"<tr><td class='l'><a href='#doc-{_e(doc_id)}'>{_e(doc_id)}</a></td>{cells}<td>{meta}</td></tr>")
    out.append("</table>")
    return "".join(out)


def _text_html(raw: str, marks: list[dict], prefix: str = "") -> str:
    """The raw text with every mark's span highlighted; overlapping marks split into segments
    that carry all their row ids (data-m) and take the colour of the most urgent status."""
    n = len(raw)
    spans = []
    for k, m in enumerate(marks):
        s = m.get("span")
        if not s:
            continue
        a, b = max(0, int(s[0])), min(n, int(s[1]))
        if a < b:
            spans.append((a, b, k))
    bounds = sorted({0, n} | {a for a, _, _ in spans} | {b for _, b, _ in spans})
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    for a, b, k in spans:
        starts.setdefault(a, []).append(k)
        ends.setdefault(b, []).append(k)
    active: set[int] = set()
    out = []
    first_seen: set[int] = set()
    for x, y in zip(bounds, bounds[1:]):
        for k in ends.get(x, ()):
            active.discard(k)
        active.update(starts.get(x, ()))
        piece = _e(raw[x:y])
        if not active:
            out.append(piece)
            continue
        ks = sorted(active)
        statuses = {marks[k]["status"] for k in ks}
        colour = next(s for s in _PRIORITY if s in statuses)
        sides = {marks[k]["side"] for k in ks}
        cls = ["hl", f"c-{colour}"] + [f"has-{s}" for s in sorted(statuses)]
        cls += (["g"] if "gold" in sides else []) + (["p"] if "pred" in sides else [])
        title = "\n".join(f"{'gold' if marks[k]['side'] == 'gold' else 'extracted'} {marks[k]['table']}: "
                          f"{marks[k]['label']} [{marks[k]['status']}]" for k in ks)
        ids = " ".join(f"{prefix}m{k}" for k in ks)
        new = [k for k in ks if k not in first_seen]
        first_seen.update(new)
        anchor = f" id='{prefix}m{new[0]}-at'" if new else ""
        out.append(f"<span class='{' '.join(cls)}' data-m='{ids}' title='{_e(title)}'{anchor}>{piece}</span>")
    return "".join(out)


def _rows_html(marks: list[dict], diffs: list[dict], prefix: str = "") -> str:
    """Every highlighted row (match/missing/spurious/mismatched) and the rows with no span."""
    out = ["<table class='rows'><tr><th class='l'>status</th><th class='l'>side</th><th class='l'>table</th>"
           "<th class='l'>row</th><th>at</th></tr>"]
    for k, m in enumerate(marks):
        s = m.get("span")
        at = f"<a href='#{prefix}m{k}-at'>{s[0]}-{s[1]}</a>" if s else "not located"
        side = "gold" if m["side"] == "gold" else "extracted"
        out.append(f"<tr class='row st-{_e(m['status'])}' id='{prefix}m{k}'><td class='l'>{_e(m['status'])}</td>"
                   f"<td class='l'>{side}</td><td class='l'>{_e(m['table'])}</td><td class='l'>{_e(m['label'])}</td>"
                   f"<td>{at}</td></tr>")
    out.append("</table>")
    other = [d for d in diffs if d["table"] in ("agencies", "documents")]
    if other:
        out.append("<table class='other'><tr><th class='l'>status</th><th class='l'>table</th><th class='l'>key</th>"
                   "<th class='l'>gold</th><th class='l'>extracted</th><th class='l'>note</th></tr>")
        for d in other:
            out.append(f"<tr class='diff st-{_e(d['status'])}'><td class='l'>{_e(d['status'])}</td>"
                       f"<td class='l'>{_e(d['table'])}</td><td class='l'>{_e(d['key'])}</td>"
                       f"<td class='l q'>{_e(d['gold'])}</td><td class='l q'>{_e(d['predicted'])}</td>"
                       f"<td class='l'>{_e(d['note'])}</td></tr>")
        out.append("</table>")
    return "".join(out)


def _values(js) -> str:
    """A diff's JSON values as escaped 'field: value' lines."""
    if not js:
        return ""
    try:
        vals = json.loads(js)
    except ValueError:
        return _e(js)
    if not isinstance(vals, dict):
        return _e(js)
    return "<br>".join(f"<b>{_e(k)}</b>: {_e(v)}" for k, v in vals.items() if v is not None)


def _diffs_html(marks: list[dict], diffs: list[dict], prefix: str) -> str:
    """The document's differences (not agencies/metadata, listed with all rows), linked to the text."""
    rows = [d for d in diffs if d["table"] not in ("agencies", "documents")]
    if not rows:
        return "<p>No differences in sections, targets, assignments and deadlines.</p>"
    where, anywhere = {}, {}
    for k, m in enumerate(marks):
        if m.get("span"):
            where.setdefault((m["table"], m["status"], m["span"][0]), k)
            anywhere.setdefault((m["table"], m["span"][0]), k)
    out = ["<table class='diffs'><tr><th class='l'>status</th><th class='l'>table</th><th class='l'>row</th>"
           "<th class='l'>gold</th><th class='l'>extracted</th><th class='l'>note</th><th>at</th></tr>"]
    for d in rows:
        k = where.get((d["table"], d["status"], d["char_start"]), anywhere.get((d["table"], d["char_start"])))
        at = "" if d["char_start"] is None else f"{d['char_start']}-{d['char_end']}"
        if k is not None:
            at = f"<a href='#{prefix}m{k}-at'>{at}</a>"
        out.append(f"<tr class='diff st-{_e(d['status'])}'><td class='l'>{_e(d['status'])}</td>"
                   f"<td class='l'>{_e(d['table'])}</td><td class='l'>{_e(d['key'])}</td>"
                   f"<td class='l q'>{_values(d['gold'])}</td><td class='l q'>{_values(d['predicted'])}</td>"
                   f"<td class='l'>{_e(d['note'])}</td><td>{at}</td></tr>")
    out.append("</table>")
    return "".join(out)


def render_html(res) -> str:
    parts = ["<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><title>QA report</title>"
             f"<style>{_CSS}</style></head><body><h1>Extraction QA against gold</h1>",
             "<p class='legend'>Highlights: <span class='c-match'>match</span><span class='c-missing'>missing "
             "(gold, not extracted)</span><span class='c-spurious'>spurious (extracted, not in gold)</span>"
             "<span class='c-mismatched'>mismatched (same evidence, different values)</span> — gold rows are "
             "underlined, extracted rows dashed; hover a highlight for its rows.</p>",
             "<h2>Scores</h2>", _scores_html(res), _doc_summary_html(res)]
    if res.problems:
        parts.append("<h2>Gold problems</h2><ul class='problems'>"
                     + "".join(f"<li>{_e(p)}</li>" for p in res.problems) + "</ul>")
    for n, doc_id in enumerate(res.per_document):
        marks = res.marks.get(doc_id, [])
        diffs = [d for d in res.diffs if d["doc_id"] == doc_id]
        counts = {s: sum(1 for m in marks if m["status"] == s) for s in STATUSES}
        parts.append(f"<h2 id='doc-{_e(doc_id)}'>{_e(doc_id)}</h2><p>"
                     + ", ".join(f"{counts[s]} {s}" for s in STATUSES) + " highlighted rows</p>")
        raw = res.raw.get(doc_id)
        if raw is not None:
            parts.append(f"<pre class='doc' data-doc='{_e(doc_id)}'>{_text_html(raw, marks, f'd{n}-')}</pre>")
        parts.append(_diffs_html(marks, diffs, f"d{n}-"))
        parts.append("<details><summary>all highlighted rows</summary>" + _rows_html(marks, diffs, f'd{n}-')
                     + "</details>")
    parts.append("</body></html>")
    return "".join(parts)

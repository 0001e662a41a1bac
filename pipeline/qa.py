"""QA: score the extracted tables against gold annotations with the rules of gold/FORMAT.md.

`score(gold_docs, predicted)` gives per-table and per-document precision / recall / F1,
section-kind / comparator / per_year / metadata accuracies, and a row-level diff
(missing, spurious, mismatched rows). `run_qa_cli` is `python -m pipeline qa`.
"""
from __future__ import annotations

import json
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .gold import (DOC_FIELDS, SCORED_TABLES, GoldDoc, Problem, QuoteLocator, fold_heading, fold_name,
                   load_gold)

MAX_ASSIGNMENT_SPAN = 2000   # a predicted assignment span longer than this matches nothing
FLOAT_TOL = 1e-6
TABLES = SCORED_TABLES


# --- small helpers ---------------------------------------------------------------------------
def _isnull(v) -> bool:
    if v is None:
        return True
    try:
        return bool(v != v)  # NaN / NaT / pd.NA
    except (TypeError, ValueError):
        return False


def _clean(v):
    """pandas/numpy scalars to plain Python, nulls to None."""
    if _isnull(v):
        return None
    if hasattr(v, "tolist"):
        v = v.tolist()
    if hasattr(v, "isoformat"):
        return v.isoformat()[:10]
    return v


def _float_eq(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=FLOAT_TOL, abs_tol=FLOAT_TOL)


def _overlap(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def _overlaps_any(spans: list[tuple[int, int]], span: tuple[int, int] | None) -> bool:
    return any(_overlap(s, span) for s in spans)


def _pred_span(row: dict) -> tuple[int, int] | None:
    a, b = row.get("char_start"), row.get("char_end")
    if a is None or b is None:
        return None
    return int(a), int(b)


def _unit_key(u) -> str:
    return fold_name(u)


def prf(tp_gold: int, n_gold: int, tp_pred: int, n_pred: int) -> dict:
    """Precision/recall/F1; an empty side scores 1.0 when the other is empty too."""
    p = tp_pred / n_pred if n_pred else (1.0 if n_gold == 0 else 0.0)
    r = tp_gold / n_gold if n_gold else (1.0 if n_pred == 0 else 0.0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "gold": n_gold, "predicted": n_pred,
            "gold_found": tp_gold, "predicted_right": tp_pred}


def _bipartite(n_left: int, edges: dict[int, list[int]], taken_right: set[int] | None = None) -> dict[int, int]:
    """Maximum bipartite matching (augmenting paths); returns left -> right."""
    match_r: dict[int, int] = {}
    taken_right = taken_right or set()

    def augment(u: int, seen: set[int]) -> bool:
        for v in edges.get(u, ()):
            if v in seen or v in taken_right:
                continue
            seen.add(v)
            if v not in match_r or augment(match_r[v], seen):
                match_r[v] = u
                return True
        return False

    for u in range(n_left):
        augment(u, set())
    return {u: v for v, u in match_r.items()}


def one_to_one(gold: list[dict], pred: list[dict], key) -> dict[int, int]:
    """One-to-one matching of gold to predicted rows with equal `key`; pairs whose spans overlap the
    gold quote are preferred, then any remaining equal pairs (FORMAT.md targets/deadlines)."""
    by_key: dict = {}
    for j, p in enumerate(pred):
        by_key.setdefault(key(p), []).append(j)
    cand = {i: by_key.get(key(g), []) for i, g in enumerate(gold)}
    near = {i: [j for j in js if _overlaps_any(gold[i]["_spans"], _pred_span(pred[j]))] for i, js in cand.items()}
    first = _bipartite(len(gold), near)
    rest_left = [i for i in range(len(gold)) if i not in first]
    used = set(first.values())
    second = _bipartite(len(rest_left), {k: cand[i] for k, i in enumerate(rest_left)}, used)
    out = dict(first)
    for k, j in second.items():
        out[rest_left[k]] = j
    return out


def _target_key(r: dict):
    vm = r.get("value_max")
    return (round(float(r["value"]), 6) if r.get("value") is not None else None,
            round(float(vm), 6) if vm is not None else None,
            _unit_key(r.get("unit")),
            int(r["target_year"]) if r.get("target_year") is not None else None)


def _deadline_key(r: dict):
    return tuple(None if _isnull(r.get(k)) else str(r.get(k)) for k in ("kind", "start", "end", "recurrence"))


def _section_key(r: dict):
    return (str(r.get("number")).strip(), int(r.get("level")) if r.get("level") is not None else None,
            fold_heading(r.get("heading")))


# --- per-document scoring --------------------------------------------------------------------
@dataclass
class TableResult:
    gold_found: int = 0
    predicted_right: int = 0
    n_gold: int = 0
    n_pred: int = 0
    diffs: list[dict] = field(default_factory=list)
    marks: list[dict] = field(default_factory=list)    # spans to highlight: {start, end, status, side, label}
    attr: dict[str, list[int]] = field(default_factory=dict)   # accuracy name -> [right, total]

    def add_attr(self, name: str, ok: bool) -> None:
        a = self.attr.setdefault(name, [0, 0])
        a[0] += int(ok)
        a[1] += 1


def _diff(doc_id, table, status, key, gold=None, pred=None, quote=None, span=None, note="") -> dict:
    return {"doc_id": doc_id, "table": table, "status": status, "key": key,
            "gold": None if gold is None else json.dumps(gold, ensure_ascii=False, default=str),
            "predicted": None if pred is None else json.dumps(pred, ensure_ascii=False, default=str),
            "quote": quote, "char_start": None if span is None else span[0],
            "char_end": None if span is None else span[1], "note": note}


def _public(row: dict, cols) -> dict:
    return {c: _clean(row.get(c)) for c in cols if c in row}


def _first_span(g: dict, near: tuple[int, int] | None = None):
    spans = g.get("_spans") or []
    if not spans:
        return None
    if near is not None:
        for s in spans:
            if _overlap(s, near):
                return s
        return min(spans, key=lambda s: abs(s[0] - near[0]))
    return spans[0]


SECTION_COLS = ("number", "level", "heading", "kind")
TARGET_COLS = ("value", "value_max", "unit", "comparator", "target_year", "per_year", "indicator")
ASSIGN_COLS = ("agency", "role", "task")
DEADLINE_COLS = ("kind", "start", "end", "recurrence")


def _fmt_target(r):
    vm = r.get("value_max")
    v = r.get("value")
    val = "?" if v is None else f"{float(v):g}"
    if vm is not None:
        val += f"-{float(vm):g}"
    return f"{val} {r.get('unit')} ({r.get('target_year')})"


def _heading_span(locator: QuoteLocator | None, r: dict, after: int = 0, near: int | None = None):
    """Raw span of a section's label and title (for highlighting only; sections are not quoted)."""
    if locator is None or not r.get("heading"):
        return None
    num, head = str(r.get("number") or ""), str(r["heading"])
    for q in (f"{num}. {head}", f"{num}) {head}", f"{num} {head}", head):
        spans = locator.find_all(q) if q.strip() else []
        if near is not None and spans:
            return min(spans, key=lambda s: abs(s[0] - near))
        spans = [s for s in spans if s[0] >= after] or spans
        if spans:
            return spans[0]
    return None


def score_sections(doc_id: str, gold: list[dict], pred: list[dict], locator: QuoteLocator | None = None) -> TableResult:
    res = TableResult(n_gold=len(gold), n_pred=len(pred))
    m = one_to_one([dict(g, _spans=[]) for g in gold], pred, _section_key)
    res.gold_found = res.predicted_right = len(m)
    matched_pred = set(m.values())
    pspan = {j: _heading_span(locator, p, near=_clean(p.get("char_start"))) for j, p in enumerate(pred)}
    gspan: dict[int, tuple[int, int] | None] = {}
    after = 0
    for i, g in enumerate(gold):
        gspan[i] = pspan[m[i]] if i in m else _heading_span(locator, g, after=after)
        if gspan[i]:
            after = gspan[i][0]
    for i, j in m.items():
        ok = gold[i].get("kind") == pred[j].get("kind")
        res.add_attr("section_kind", ok)
        status = "match" if ok else "mismatched"
        res.marks.append({"span": gspan[i], "status": status, "side": "gold", "label": _label_section(gold[i]),
                          "table": "sections"})
        res.marks.append({"span": pspan[j], "status": status, "side": "pred", "label": _label_section(pred[j]),
                          "table": "sections"})
        if not ok:
            res.diffs.append(_diff(doc_id, "sections", "mismatched", _label_section(gold[i]),
                                   _public(gold[i], SECTION_COLS), _public(pred[j], SECTION_COLS),
                                   span=pspan[j], note="matched; kind differs"))
    # unmatched: same number and level but a different heading is a mismatch
    left_pred = [j for j in range(len(pred)) if j not in matched_pred]
    for i, g in enumerate(gold):
        if i in m:
            continue
        twin = next((j for j in left_pred if str(pred[j].get("number")).strip() == str(g["number"]).strip()
                     and _clean(pred[j].get("level")) == g["level"]), None)
        if twin is not None:
            left_pred.remove(twin)
            res.diffs.append(_diff(doc_id, "sections", "mismatched", _label_section(g), _public(g, SECTION_COLS),
                                   _public(pred[twin], SECTION_COLS), span=pspan[twin], note="heading differs"))
            res.marks.append({"span": gspan[i], "status": "mismatched", "side": "gold", "label": _label_section(g),
                              "table": "sections"})
            res.marks.append({"span": pspan[twin], "status": "mismatched", "side": "pred",
                              "label": _label_section(pred[twin]), "table": "sections"})
        else:
            res.diffs.append(_diff(doc_id, "sections", "missing", _label_section(g), _public(g, SECTION_COLS),
                                   span=gspan[i]))
            res.marks.append({"span": gspan[i], "status": "missing", "side": "gold", "label": _label_section(g),
                              "table": "sections"})
    for j in left_pred:
        p = pred[j]
        res.diffs.append(_diff(doc_id, "sections", "spurious", _label_section(p), None, _public(p, SECTION_COLS),
                               span=pspan[j]))
        res.marks.append({"span": pspan[j], "status": "spurious", "side": "pred", "label": _label_section(p),
                          "table": "sections"})
    return res


def _label_section(r):
    return f"{r.get('number')} {r.get('heading')}"[:120]


def _score_spanned(doc_id: str, table: str, gold: list[dict], pred: list[dict], key, cols, label,
                   attrs: tuple[str, ...]) -> TableResult:
    """Targets and deadlines: one-to-one on key fields; unmatched pairs with overlapping spans are
    mismatches."""
    res = TableResult(n_gold=len(gold), n_pred=len(pred))
    m = one_to_one(gold, pred, key)
    res.gold_found = res.predicted_right = len(m)
    for i, j in m.items():
        g, p = gold[i], pred[j]
        ps = _pred_span(p)
        bad = []
        for a in attrs:
            gv, pv = _clean(g.get(a)), _clean(p.get(a))
            if a == "per_year":
                gv, pv = bool(gv), bool(pv)
            ok = gv == pv
            res.add_attr(a, ok)
            if not ok:
                bad.append(a)
        status = "mismatched" if bad else "match"
        if bad:
            res.diffs.append(_diff(doc_id, table, "mismatched", label(g), _public(g, cols), _public(p, cols),
                                   g.get("quote"), ps, note=f"matched; {', '.join(bad)} differ"))
        gs = _first_span(g, ps)
        res.marks.append({"span": gs, "status": status, "side": "gold", "label": label(g), "table": table})
        res.marks.append({"span": ps, "status": status, "side": "pred", "label": label(p), "table": table})
    used = set(m.values())
    left_pred = [j for j in range(len(pred)) if j not in used]
    for i, g in enumerate(gold):
        if i in m:
            continue
        twin = next((j for j in left_pred if _overlaps_any(g["_spans"], _pred_span(pred[j]))), None)
        if twin is not None:
            left_pred.remove(twin)
            p = pred[twin]
            ps = _pred_span(p)
            diff_fields = [c for c in cols if c != "indicator" and _clean(g.get(c)) != _clean(p.get(c))]
            res.diffs.append(_diff(doc_id, table, "mismatched", label(g), _public(g, cols), _public(p, cols),
                                   g.get("quote"), ps, note=f"same evidence; {', '.join(diff_fields)} differ"))
            res.marks.append({"span": _first_span(g, ps), "status": "mismatched", "side": "gold", "label": label(g),
                              "table": table})
            res.marks.append({"span": ps, "status": "mismatched", "side": "pred", "label": label(p), "table": table})
        else:
            gs = _first_span(g)
            res.diffs.append(_diff(doc_id, table, "missing", label(g), _public(g, cols), None, g.get("quote"), gs))
            res.marks.append({"span": gs, "status": "missing", "side": "gold", "label": label(g), "table": table})
    for j in left_pred:
        p = pred[j]
        ps = _pred_span(p)
        res.diffs.append(_diff(doc_id, table, "spurious", label(p), None, _public(p, cols), _clean(p.get("quote")), ps))
        res.marks.append({"span": ps, "status": "spurious", "side": "pred", "label": label(p), "table": table})
    return res


def score_targets(doc_id, gold, pred) -> TableResult:
    return _score_spanned(doc_id, "targets", gold, pred, _target_key, TARGET_COLS, _fmt_target,
                          ("comparator", "per_year"))


def _fmt_deadline(r):
    return f"{r.get('kind')} {_clean(r.get('start')) or ''}..{_clean(r.get('end')) or ''} {_clean(r.get('recurrence')) or ''}".strip()


def score_deadlines(doc_id, gold, pred) -> TableResult:
    return _score_spanned(doc_id, "deadlines", gold, pred, _deadline_key, DEADLINE_COLS, _fmt_deadline, ())


def score_agencies(doc_id, gold, pred) -> TableResult:
    gnames: dict[str, dict] = {}
    for g in gold:
        gnames.setdefault(fold_name(g["name"]), g)
    pnames: dict[str, dict] = {}
    for p in pred:
        if _clean(p.get("name")):
            pnames.setdefault(fold_name(p["name"]), p)
    both = set(gnames) & set(pnames)
    res = TableResult(n_gold=len(gnames), n_pred=len(pnames), gold_found=len(both), predicted_right=len(both))
    for k in sorted(set(gnames) | set(pnames)):
        g, p = gnames.get(k), pnames.get(k)
        if g and p:
            ok = _clean(p.get("level")) == g.get("level")
            if not ok and g.get("level") is not None:
                res.diffs.append(_diff(doc_id, "agencies", "mismatched", g["name"], _public(g, ("name", "level")),
                                       _public(p, ("name", "level")), note="matched; level differs (not scored)"))
        elif g:
            res.diffs.append(_diff(doc_id, "agencies", "missing", g["name"], _public(g, ("name", "level", "aliases"))))
        else:
            res.diffs.append(_diff(doc_id, "agencies", "spurious", p["name"], None, _public(p, ("name", "level", "aliases"))))
    return res


def _fmt_assignment(r):
    return f"{r.get('agency')} [{r.get('role')}]"


def score_assignments(doc_id, gold, pred) -> TableResult:
    res = TableResult(n_gold=len(gold), n_pred=len(pred))
    pspans = []
    for p in pred:
        s = _pred_span(p)
        pspans.append(s if s is not None and s[1] - s[0] <= MAX_ASSIGNMENT_SPAN else None)
    pkey = [(fold_name(p.get("agency")), p.get("role")) for p in pred]
    gkey = [(fold_name(g["agency"]), g["role"]) for g in gold]
    near = [[j for j in range(len(pred)) if _overlaps_any(g["_spans"], pspans[j])] for g in gold]
    hits = [[j for j in near[i] if pkey[j] == gkey[i]] for i in range(len(gold))]
    pred_right = [False] * len(pred)
    for i, js in enumerate(hits):
        for j in js:
            pred_right[j] = True
    res.gold_found = sum(1 for js in hits if js)
    res.predicted_right = sum(pred_right)
    mismatched_pred: set[int] = set()
    for i, g in enumerate(gold):
        if hits[i]:
            res.marks.append({"span": _first_span(g, pspans[hits[i][0]]), "status": "match", "side": "gold",
                              "label": _fmt_assignment(g), "table": "assignments"})
            continue
        # same evidence, same agency and another role; else same role and an agency no gold row there has
        twin = next((j for j in near[i] if pkey[j][0] == gkey[i][0]), None)
        note = "same evidence; role differs"
        if twin is None:
            there = {gkey[k][0] for k in range(len(gold)) if set(near[k]) & set(near[i])} | {gkey[i][0]}
            twin = next((j for j in near[i] if pkey[j][1] == gkey[i][1] and not pred_right[j]
                         and j not in mismatched_pred and pkey[j][0] not in there), None)
            note = "same evidence and role; agency differs"
        if twin is not None:
            mismatched_pred.add(twin)
            p = pred[twin]
            res.diffs.append(_diff(doc_id, "assignments", "mismatched", g["agency"], _public(g, ASSIGN_COLS),
                                   _public(p, ASSIGN_COLS), g.get("quote"), pspans[twin], note=note))
            res.marks.append({"span": _first_span(g, pspans[twin]), "status": "mismatched", "side": "gold",
                              "label": _fmt_assignment(g), "table": "assignments"})
        else:
            gs = _first_span(g)
            res.diffs.append(_diff(doc_id, "assignments", "missing", g["agency"], _public(g, ASSIGN_COLS), None,
                                   g.get("quote"), gs))
            res.marks.append({"span": gs, "status": "missing", "side": "gold", "label": _fmt_assignment(g),
                              "table": "assignments"})
    for j, p in enumerate(pred):
        span = _pred_span(p)
        if pred_right[j] or j in mismatched_pred:
            res.marks.append({"span": span, "status": "match" if pred_right[j] else "mismatched", "side": "pred",
                              "label": _fmt_assignment(p), "table": "assignments"})
            continue
        note = "span longer than 2000 characters" if span and pspans[j] is None else ""
        res.diffs.append(_diff(doc_id, "assignments", "spurious", _clean(p.get("agency")), None,
                               _public(p, ASSIGN_COLS), _clean(p.get("quote")), span, note=note))
        res.marks.append({"span": span, "status": "spurious", "side": "pred", "label": _fmt_assignment(p),
                          "table": "assignments"})
    return res


def _doc_value(field_name: str, v):
    v = _clean(v)
    if v is None:
        return None
    if field_name == "implements":
        return [str(x).replace(" ", "") for x in (v or [])]
    if field_name in ("issuer", "province", "signer"):
        return fold_name(v)
    if field_name == "doc_number":
        return str(v).replace(" ", "")
    return str(v)


def score_document_fields(doc_id: str, gold: dict | None, pred: dict | None) -> TableResult:
    res = TableResult()
    if gold is None:
        return res
    pred = pred or {}
    for f in DOC_FIELDS:
        if f not in gold:
            continue
        gv, pv = _doc_value(f, gold.get(f)), _doc_value(f, pred.get(f))
        if f == "implements" and gv == [] and pv is None:
            pv = []
        ok = gv == pv
        res.add_attr(f, ok)
        if not ok:
            res.diffs.append(_diff(doc_id, "documents", "mismatched", f, {f: _clean(gold.get(f))},
                                   {f: _clean(pred.get(f))}, note=f"{f} differs"))
    return res


SCORERS = {"sections": score_sections, "targets": score_targets, "agencies": score_agencies,
           "assignments": score_assignments, "deadlines": score_deadlines}


# --- corpus scoring --------------------------------------------------------------------------
@dataclass
class QAResult:
    tables: dict[str, dict]
    accuracy: dict[str, dict]
    per_document: dict[str, dict]
    diffs: list[dict]
    marks: dict[str, list[dict]]
    problems: list[Problem]
    raw: dict[str, str] = field(default_factory=dict)   # doc_id -> raw text (for the HTML report)
    extraction_errors: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"tables": self.tables, "accuracy": self.accuracy, "per_document": self.per_document,
                "problems": [p.as_dict() for p in self.problems]}

    def min_f1(self) -> float | None:
        vals = [t["f1"] for t in self.tables.values() if t["gold"] or t["predicted"]]
        return min(vals) if vals else None


def _acc(right: int, total: int) -> dict:
    return {"accuracy": right / total if total else None, "right": right, "total": total}


def score(gold_docs: dict[str, GoldDoc], predicted: dict[str, dict[str, list[dict]]],
          problems: list[Problem] | None = None) -> QAResult:
    """Score predicted rows (doc_id -> table -> rows) against gold documents."""
    totals = {t: [0, 0, 0, 0] for t in TABLES}
    attr_tot: dict[str, list[int]] = {}
    per_doc: dict[str, dict] = {}
    diffs: list[dict] = []
    marks: dict[str, list[dict]] = {}
    for doc_id in sorted(gold_docs):
        g = gold_docs[doc_id]
        pdoc = predicted.get(doc_id, {})
        per_doc[doc_id] = {}
        marks[doc_id] = []
        locator = QuoteLocator(g.raw) if g.raw is not None else None
        for t in TABLES:
            if t == "sections":
                r = score_sections(doc_id, g.rows.get(t, []), pdoc.get(t, []), locator)
            else:
                r = SCORERS[t](doc_id, g.rows.get(t, []), pdoc.get(t, []))
            per_doc[doc_id][t] = prf(r.gold_found, r.n_gold, r.predicted_right, r.n_pred)
            tot = totals[t]
            tot[0] += r.gold_found
            tot[1] += r.n_gold
            tot[2] += r.predicted_right
            tot[3] += r.n_pred
            diffs.extend(r.diffs)
            marks[doc_id].extend(r.marks)
            for name, (ok, n) in r.attr.items():
                a = attr_tot.setdefault(name, [0, 0])
                a[0] += ok
                a[1] += n
        prows = pdoc.get("documents", [])
        dres = score_document_fields(doc_id, g.document, prows[0] if prows else None)
        diffs.extend(dres.diffs)
        fields_ok = sum(v[0] for v in dres.attr.values())
        fields_n = sum(v[1] for v in dres.attr.values())
        per_doc[doc_id]["documents"] = _acc(fields_ok, fields_n)
        for name, (ok, n) in dres.attr.items():
            a = attr_tot.setdefault("documents." + name, [0, 0])
            a[0] += ok
            a[1] += n
    tables = {t: prf(*totals[t]) for t in TABLES}
    accuracy = {}
    for name in ("section_kind", "comparator", "per_year"):
        accuracy[name] = _acc(*attr_tot.get(name, [0, 0]))
    doc_ok = doc_n = 0
    for f in DOC_FIELDS:
        ok, n = attr_tot.get("documents." + f, [0, 0])
        accuracy["documents." + f] = _acc(ok, n)
        doc_ok += ok
        doc_n += n
    accuracy["documents"] = _acc(doc_ok, doc_n)
    return QAResult(tables=tables, accuracy=accuracy, per_document=per_doc, diffs=diffs, marks=marks,
                    problems=list(problems or []),
                    raw={d: g.raw for d, g in gold_docs.items() if g.raw is not None})


# --- loading predictions ---------------------------------------------------------------------
def load_predictions(out_dir: Path, doc_ids=None) -> dict[str, dict[str, list[dict]]]:
    """outputs/<table> -> doc_id -> table -> list of row dicts (plain Python values)."""
    import pandas as pd
    out: dict[str, dict[str, list[dict]]] = {}
    for t in ("documents",) + TABLES:
        folder = Path(out_dir) / t
        if not folder.is_dir():
            continue
        df = pd.read_parquet(folder)
        if doc_ids is not None:
            df = df[df["doc_id"].isin(list(doc_ids))]
        for rec in df.to_dict("records"):
            rec = {k: _clean(v) for k, v in rec.items()}
            out.setdefault(rec["doc_id"], {}).setdefault(t, []).append(rec)
    return out


# --- terminal output -------------------------------------------------------------------------
def format_scores(res: QAResult) -> str:
    lines = [f"{'table':<12} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6} {'pred':>6}"]
    for t, s in res.tables.items():
        if not (s["gold"] or s["predicted"]):
            lines.append(f"{t:<12} {'n/a':>6} {'n/a':>6} {'n/a':>6} {0:6d} {0:6d}")
            continue
        lines.append(f"{t:<12} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f} {s['gold']:6d} "
                     f"{s['predicted']:6d}")
    lines.append("")
    lines.append(f"{'accuracy':<22} {'acc':>6} {'right':>6} {'of':>6}")
    for name, a in res.accuracy.items():
        acc = "   n/a" if a["accuracy"] is None else f"{a['accuracy']:6.3f}"
        lines.append(f"{name:<22} {acc} {a['right']:6d} {a['total']:6d}")
    return "\n".join(lines)


def format_documents(res: QAResult, verbose: bool = False) -> str:
    lines = ["", "per document: F1 (missing/spurious/mismatched rows)"]
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for d in res.diffs:
        c = counts.setdefault((d["doc_id"], d["table"]), {"missing": 0, "spurious": 0, "mismatched": 0})
        c[d["status"]] += 1
    for doc_id, tabs in res.per_document.items():
        parts = []
        for t in TABLES:
            c = counts.get((doc_id, t), {"missing": 0, "spurious": 0, "mismatched": 0})
            parts.append(f"{t[:4]} {tabs[t]['f1']:.2f} ({c['missing']}/{c['spurious']}/{c['mismatched']})")
        da = tabs["documents"]
        meta = "n/a" if da["accuracy"] is None else f"{da['right']}/{da['total']}"
        lines.append(f"{doc_id}: " + ", ".join(parts) + f", meta {meta}")
        if verbose:
            for d in res.diffs:
                if d["doc_id"] != doc_id:
                    continue
                where = "" if d["char_start"] is None else f" @{d['char_start']}-{d['char_end']}"
                lines.append(f"  {d['status']:<10} {d['table']:<11} {d['key']}{where}"
                             + (f"  gold={d['gold']}" if d["gold"] else "")
                             + (f"  pred={d['predicted']}" if d["predicted"] else "")
                             + (f"  [{d['note']}]" if d["note"] else ""))
    return "\n".join(lines)


# --- CLI -------------------------------------------------------------------------------------
def run_qa(gold_dir: Path, raw_dir: Path, out_dir: Path, extract: bool = True) -> QAResult:
    """Extract raw_dir into out_dir (incrementally) unless `extract` is false, then score against gold_dir."""
    errors: list[str] = []
    if extract:
        from .run import extract_corpus
        # the manifest records each document's pipeline version (code + data fingerprint),
        # so outputs written by other code are re-extracted even when the documents did not change
        summary = extract_corpus(raw_dir, out_dir, progress=False)
        errors = [f"{err.get('path')}: extraction failed [{err.get('stage')}]: {err.get('message')}"
                  for err in summary.failures]
    gold_docs, problems = load_gold(gold_dir, raw_dir)
    predicted = load_predictions(out_dir, gold_docs.keys())
    res = score(gold_docs, predicted, problems)
    res.extraction_errors = errors
    return res


def run_qa_cli(args) -> int:
    report_dir = args.report or (Path(args.out) / "qa")
    try:
        res = run_qa(Path(args.gold), Path(args.raw), Path(args.out))
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from .qa_report import write_reports
    paths = write_reports(res, Path(report_dir))
    for err in res.extraction_errors:
        print(f"error: {err}", file=sys.stderr)
    for p in res.problems:
        print(f"gold problem: {p}", file=sys.stderr)
    status = 0
    if args.min_f1 is not None:
        failing = [t for t, s in res.tables.items() if (s["gold"] or s["predicted"]) and s["f1"] < args.min_f1]
        if failing or res.min_f1() is None:
            status = 1
    try:
        print(format_scores(res))
        print(format_documents(res, verbose=args.verbose))
        print("\nreport: " + ", ".join(str(p) for p in paths))
        sys.stdout.flush()
    except BrokenPipeError:   # `| head`: the reports are written, the exit status still counts
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if status:
        print(f"FAIL: F1 below {args.min_f1} in: {', '.join(failing) or 'no table scored'}", file=sys.stderr)
    return status

"""Deadline benchmark: the product's deadlines beside dateparser's on the same texts, scored
against gold with the QA rules (one-to-one match on kind, start, end, recurrence).

dateparser (`search_dates(..., languages=['vi'])`, one call per paragraph of the raw text) can
only return points in time, so each date it finds becomes a `date` row ending on that day. Two
scores are printed for both systems: `strict` (the QA key) and `end only` (a row is right when
its `end` equals a gold row's `end`, whatever its kind), which is the most favourable reading
for a plain date parser. The issue's examples are shown side by side too.

    .venv/bin/python scripts/bench_deadlines.py                 # gold/ and raw_docs/
    .venv/bin/python scripts/bench_deadlines.py --no-reference  # the product only
    .venv/bin/python scripts/bench_deadlines.py --json

dateparser is a dev extra (`pip install -e '.[dev]'`); the pipeline never imports it.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.config import DEFAULT_GOLD_DIR, DEFAULT_RAW_DIR  # noqa: E402

EXAMPLES = ["trước ngày 15 tháng 12 hàng năm", "Quý II/2023", "2023 - 2025", "tháng 6/2024",
            "trước ngày 30/6/2024", "định kỳ 6 tháng", "Năm 2025 và các năm tiếp theo", "thường xuyên",
            "báo cáo 02 lần/ngày (trước 9h00’ và 16h00’)", "vào thứ Sáu hằng tuần"]


def _dateparser():
    try:
        from dateparser.search import search_dates
    except ImportError:
        sys.exit("dateparser is not installed: it is the benchmark's reference, a dev extra.\n"
                 "Install it with: .venv/bin/pip install -e '.[dev]'  (or: pip install dateparser)")
    return search_dates


def product_rows(path: Path) -> list[dict]:
    from pipeline.run import process_document
    return process_document(path).rows.get("deadlines", [])


def dateparser_rows(raw: str, search_dates) -> list[dict]:
    """Every date dateparser finds, paragraph by paragraph, as a `date` row with its offsets."""
    rows, pos = [], 0
    settings = {"RETURN_AS_TIMEZONE_AWARE": False}
    for line in raw.split("\n"):
        if line.strip():
            try:
                found = search_dates(line, languages=["vi"], settings=settings) or []
            except Exception:  # noqa: BLE001 - the reference's own failures count as no answer
                found = []
            cursor = 0
            for text, when in found:
                i = line.find(text, cursor)
                start = pos + (i if i >= 0 else 0)
                cursor = i + len(text) if i >= 0 else cursor
                rows.append({"kind": "date", "start": None, "end": when.date().isoformat(), "recurrence": None,
                             "quote": text, "char_start": start, "char_end": start + len(text)})
        pos += len(line) + 1
    return rows


def _end_key(r: dict):
    from pipeline.qa import _clean
    return _clean(r.get("end"))


def score(gold_docs: dict, preds: dict[str, list[dict]]) -> dict:
    from pipeline.qa import _deadline_key, one_to_one, prf
    out = {}
    for name, key in (("strict", _deadline_key), ("end_only", _end_key)):
        ng = np_ = tp = 0
        for doc_id, gold in gold_docs.items():
            g = gold.rows.get("deadlines", [])
            p = preds.get(doc_id, [])
            m = one_to_one(g, p, key)
            ng, np_, tp = ng + len(g), np_ + len(p), tp + len(m)
        out[name] = prf(tp, ng, tp, np_)
    return out


def examples(search_dates) -> list[dict]:
    from pipeline.document import Document
    from pipeline.normalize import normalize
    from pipeline.segment import segment
    import extractors.deadlines as deadlines
    out = []
    for text in EXAMPLES:
        sentence = f"Sở Tài chính chủ trì thực hiện {text}."
        doc = segment(normalize(Document(doc_id="example", source_path="", raw=sentence)))
        ours = [f"{c.kind} {c.out_start or ''}..{c.out_end or ''} {c.recurrence or ''}".strip()
                for c in deadlines.find(doc)]
        ref = None
        if search_dates:
            found = search_dates(text, languages=["vi"]) or []
            ref = [f"{t!r} -> {d.date().isoformat()}" for t, d in found]
        out.append({"text": text, "product": ours, "dateparser": ref})
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD_DIR)
    ap.add_argument("--raw", type=Path, default=DEFAULT_RAW_DIR)
    ap.add_argument("--no-reference", action="store_true", help="skip dateparser")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    from pipeline.gold import load_gold
    gold_docs, problems = load_gold(args.gold, args.raw)
    for p in problems:
        print(f"gold: {p}", file=sys.stderr)
    search_dates = None if args.no_reference else _dateparser()

    results, timing = {}, {}
    t = time.perf_counter()
    ours = {doc_id: product_rows(g.raw_path) for doc_id, g in gold_docs.items() if g.raw_path}
    timing["product"] = time.perf_counter() - t
    results["product"] = score(gold_docs, ours)
    if search_dates:
        t = time.perf_counter()
        ref = {doc_id: dateparser_rows(g.raw or "", search_dates) for doc_id, g in gold_docs.items()}
        timing["dateparser"] = time.perf_counter() - t
        results["dateparser"] = score(gold_docs, ref)
    report = {"documents": len(gold_docs), "scores": results, "seconds": timing,
              "examples": examples(search_dates)}
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(f"deadlines on {len(gold_docs)} gold documents ({sum(len(g.rows.get('deadlines', [])) for g in gold_docs.values())} gold rows)")
    print(f"{'system':12} {'score':9} {'P':>6} {'R':>6} {'F1':>6} {'pred':>5} {'right':>6} {'sec':>6}")
    for system, by in results.items():
        for name, s in by.items():
            print(f"{system:12} {name:9} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f} "
                  f"{s['predicted']:5d} {s['predicted_right']:6d} {timing[system]:6.1f}")
    print("\nexamples (in 'Sở Tài chính chủ trì thực hiện <text>.')")
    for e in report["examples"]:
        print(f"  {e['text']!r}\n    product:    {e['product']}\n    dateparser: {e['dateparser']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

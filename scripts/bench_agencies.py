"""Agency benchmark: the product's agencies beside underthesea's `ner` ORG spans on the same
documents, both scored against gold with the QA rule (set P/R/F1 on the normalized name).

underthesea's `ner` (one call per paragraph of the raw text) tags tokens B-ORG / I-ORG; each run
of them is one predicted organisation, its text the name. Two scores are printed for it:
`strict` (the QA key) and `lenient` (an ORG span is right when its folded text is contained in a
gold name or contains one, the most favourable reading for a general NER). The product's
assignments F1 is printed too.

    .venv/bin/python scripts/bench_agencies.py                 # gold/ and raw_docs/
    .venv/bin/python scripts/bench_agencies.py --no-reference  # the product only
    .venv/bin/python scripts/bench_agencies.py --json
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


def product_rows(path: Path) -> dict[str, list[dict]]:
    from pipeline.run import process_document
    return process_document(path).rows


def ner_orgs(raw: str) -> list[str]:
    """ORG spans underthesea's `ner` finds, paragraph by paragraph."""
    from underthesea import ner
    found: list[str] = []
    for line in raw.split("\n"):
        if not line.strip():
            continue
        try:
            tags = ner(line)
        except Exception:  # noqa: BLE001 - the reference's own failures count as no answer
            continue
        cur: list[str] = []
        for tok in tags:
            word, label = tok[0], tok[-1]
            if label.endswith("-ORG") and (label.startswith("I-") and cur):
                cur.append(word)
                continue
            if cur:
                found.append(" ".join(cur))
                cur = []
            if label.endswith("-ORG"):
                cur = [word]
        if cur:
            found.append(" ".join(cur))
    return found


def _prf(tp_g: int, n_g: int, tp_p: int, n_p: int) -> dict:
    from pipeline.qa import prf
    return prf(tp_g, n_g, tp_p, n_p)


def score_names(gold: dict[str, list[str]], pred: dict[str, list[str]], lenient: bool = False) -> dict:
    from pipeline.gold import fold_name
    tg = ng = tp = np_ = 0
    for doc_id, gnames in gold.items():
        g = {fold_name(n) for n in gnames}
        p = {fold_name(n) for n in pred.get(doc_id, []) if n and n.strip()}

        def hit(a: str, pool: set[str]) -> bool:
            if a in pool:
                return True
            return lenient and any(a in b or b in a for b in pool if len(a) > 3 and len(b) > 3)

        ng += len(g)
        np_ += len(p)
        tg += sum(hit(x, p) for x in g)
        tp += sum(hit(x, g) for x in p)
    return _prf(tg, ng, tp, np_)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD_DIR)
    ap.add_argument("--raw", type=Path, default=DEFAULT_RAW_DIR)
    ap.add_argument("--no-reference", action="store_true", help="skip underthesea")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    from pipeline.gold import load_gold
    from pipeline.qa import score_assignments
    gold_docs, problems = load_gold(args.gold, args.raw)
    gold = {d: g.rows.get("agencies", []) for d, g in gold_docs.items()}
    gold_names = {d: [r["name"] for r in rows] for d, rows in gold.items()}

    t0 = time.perf_counter()
    product: dict[str, list[str]] = {}
    a_tp_g = a_ng = a_tp_p = a_np = 0
    for doc_id, g in gold_docs.items():
        rows = product_rows(g.raw_path)
        product[doc_id] = [r["name"] for r in rows.get("agencies", [])]
        res = score_assignments(doc_id, g.rows.get("assignments", []), rows.get("assignments", []))
        a_tp_g += res.gold_found
        a_ng += res.n_gold
        a_tp_p += res.predicted_right
        a_np += res.n_pred
    t_product = time.perf_counter() - t0
    out = {"documents": len(gold_docs), "product": {"agencies": score_names(gold_names, product),
                                                      "assignments": _prf(a_tp_g, a_ng, a_tp_p, a_np),
                                                      "seconds": round(t_product, 2)}}
    if not args.no_reference:
        t0 = time.perf_counter()
        ref = {doc_id: ner_orgs(g.raw) for doc_id, g in gold_docs.items()}
        out["underthesea_ner"] = {"agencies": score_names(gold_names, ref),
                                  "agencies_lenient": score_names(gold_names, ref, lenient=True),
                                  "seconds": round(time.perf_counter() - t0, 2),
                                  "examples": sorted({n for v in ref.values() for n in v})[:25]}
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    print(f"{out['documents']} gold documents; agencies scored as QA does (set P/R/F1 on the folded name)")
    print(f"{'system':28} {'P':>6} {'R':>6} {'F1':>6} {'seconds':>8}")

    def line(label: str, s: dict, secs) -> None:
        print(f"{label:28} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f} {secs if secs is not None else '':>8}")

    line("product agencies", out["product"]["agencies"], out["product"]["seconds"])
    if "underthesea_ner" in out:
        ref = out["underthesea_ner"]
        line("underthesea ner ORG", ref["agencies"], ref["seconds"])
        line("underthesea ner (lenient)", ref["agencies_lenient"], None)
        print("underthesea ORG spans, e.g.:", "; ".join(ref["examples"][:15]))
    line("product assignments", out["product"]["assignments"], None)
    return 0


if __name__ == "__main__":
    sys.exit(main())

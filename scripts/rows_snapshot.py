"""Snapshot every row the pipeline gives for some plans, and compare two snapshots.

For changes that must not change any row (speed-ups, refactors): take a snapshot before the
change, one after, and compare. Besides the plans as they are, each plan is read upper-cased,
lower-cased and concatenated with the next one (`--no-variants` to skip), which exercises
case handling and offsets that the plans alone may not.

    .venv/bin/python scripts/rows_snapshot.py take before.json            # raw_docs/ (+ ../shared/field_docs)
    .venv/bin/python scripts/rows_snapshot.py take after.json more_plans/
    .venv/bin/python scripts/rows_snapshot.py compare before.json after.json   # exit 1 if any row differs
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TEXT_SUFFIXES = (".txt", ".md")
DEFAULT_FOLDERS = [ROOT / "raw_docs", ROOT.parent / "shared" / "field_docs"]
FILE_COLUMNS = ("source_path",)   # where the file was read from: a variant's temporary folder


def _plans(folders: list[Path]) -> list[Path]:
    return [p for folder in folders if folder.is_dir() for p in sorted(folder.iterdir())
            if p.suffix.lower() in TEXT_SUFFIXES and p.name.lower() != "readme.md"]


def _variants(plans: list[Path], into: Path) -> list[Path]:
    texts = [p.read_text(encoding="utf-8") for p in plans]
    out = []
    for p, text in zip(plans, texts):
        for tag, variant in (("upper", text.upper()), ("lower", text.lower())):
            path = into / f"{p.stem}.{tag}{p.suffix}"
            path.write_text(variant, encoding="utf-8")
            out.append(path)
    for i in range(len(plans) - 1):
        path = into / f"{plans[i].stem}+{plans[i + 1].stem}.md"
        path.write_text(texts[i] + "\n\n" + texts[i + 1], encoding="utf-8")
        out.append(path)
    return out


def take(out: Path, folders: list[Path], variants: bool = True) -> int:
    from pipeline.run import process_document
    plans = _plans(folders)
    if not plans:
        print(f"error: no .txt/.md plans in {', '.join(map(str, folders))}", file=sys.stderr)
        return 2
    snapshot = {}
    with tempfile.TemporaryDirectory() as tmp:
        paths = plans + (_variants(plans, Path(tmp)) if variants else [])
        for path in paths:
            result = process_document(path)
            rows = {t: [{k: v for k, v in r.items() if k not in FILE_COLUMNS} for r in rs] for t, rs in result.rows.items()}
            snapshot[path.name] = {"rows": rows, "errors": [(e["stage"], e["message"]) for e in result.errors]}
    text = json.dumps(snapshot, ensure_ascii=False, default=str, sort_keys=True)
    out.write_text(text, encoding="utf-8")
    rows = sum(len(r) for d in snapshot.values() for r in d["rows"].values())
    print(f"{len(snapshot)} documents, {rows} rows -> {out}")
    return 0


def compare(a_path: Path, b_path: Path, show: int = 20) -> int:
    a = json.loads(a_path.read_text(encoding="utf-8"))
    b = json.loads(b_path.read_text(encoding="utf-8"))
    differences = 0
    for name in sorted(set(a) | set(b)):
        if name not in a or name not in b:
            differences += 1
            print(f"{name}: only in {a_path if name in a else b_path}")
            continue
        if a[name]["errors"] != b[name]["errors"]:
            differences += 1
            print(f"{name}: errors {a[name]['errors']} -> {b[name]['errors']}")
        ra, rb = a[name]["rows"], b[name]["rows"]
        for table in sorted(set(ra) | set(rb)):
            x, y = ra.get(table, []), rb.get(table, [])
            if x == y:
                continue
            differences += 1
            if differences <= show:
                print(f"{name} {table}: {len(x)} -> {len(y)} rows")
                for i, (r1, r2) in enumerate(zip(x, y)):
                    if r1 != r2:
                        print(f"  first different row {i}: " + ", ".join(
                            f"{k}: {r1.get(k)!r} -> {r2.get(k)!r}" for k in sorted(set(r1) | set(r2)) if r1.get(k) != r2.get(k)))
                        break
    print("identical" if not differences else f"{differences} differences")
    return 1 if differences else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    t = sub.add_parser("take", help="snapshot the rows of the plans in some folders")
    t.add_argument("out", type=Path, help="snapshot file to write (JSON)")
    t.add_argument("folders", type=Path, nargs="*", help="folders of .txt/.md plans (default: raw_docs/ and "
                                                          "../shared/field_docs/ when present)")
    t.add_argument("--no-variants", action="store_true", help="only the plans as they are")
    c = sub.add_parser("compare", help="compare two snapshots (exit 1 if any row differs)")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    args = ap.parse_args(argv)
    if args.command == "take":
        return take(args.out, args.folders or DEFAULT_FOLDERS, not args.no_variants)
    return compare(args.a, args.b)


if __name__ == "__main__":
    sys.exit(main())

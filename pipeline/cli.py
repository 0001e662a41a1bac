"""Command line: `python -m pipeline extract|qa|dictionary ...` (heavy imports happen lazily)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .config import DEFAULT_GOLD_DIR, DEFAULT_OUT_DIR, DEFAULT_RAW_DIR


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Turn Vietnamese government plans (Kế hoạch, Chương trình hành động, Công văn) into "
                    "grounded Parquet tables: documents, sections, targets, agencies, assignments, deadlines.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    ex = sub.add_parser("extract", help="extract every plan of a folder into Parquet tables",
                        description="Extract every plan in RAW_DIR (.txt .md .html .docx .pdf) into one Parquet "
                                    "folder per table under --out. Unchanged documents are skipped; documents "
                                    "removed from RAW_DIR lose their rows; failures go to the errors table.")
    ex.add_argument("raw_dir", nargs="?", type=Path, default=DEFAULT_RAW_DIR,
                    help=f"folder of input plans (default: {DEFAULT_RAW_DIR.name}/)")
    ex.add_argument("--out", type=Path, default=DEFAULT_OUT_DIR, help="output folder (default: outputs/)")
    ex.add_argument("--workers", type=int, default=None, help="worker processes (default: one per core)")
    ex.add_argument("--force", action="store_true", help="re-extract documents even when unchanged")
    ex.add_argument("--engine", choices=("local", "dask"), default="local",
                    help="local process pool (default) or a Dask cluster")
    ex.add_argument("--scheduler", default=None,
                    help="Dask scheduler address (default with --engine dask: a local cluster)")
    ex.add_argument("--no-progress", action="store_true", help="no progress bar")

    qa = sub.add_parser("qa", help="score the extraction against gold annotations")
    qa.add_argument("--gold", type=Path, default=DEFAULT_GOLD_DIR, help="gold folder (default: gold/)")
    qa.add_argument("--raw", type=Path, default=DEFAULT_RAW_DIR, help="raw plans (default: raw_docs/)")
    qa.add_argument("--out", type=Path, default=DEFAULT_OUT_DIR, help="extraction outputs (default: outputs/)")
    qa.add_argument("--report", type=Path, default=None, help="folder for the diff tables and HTML report "
                                                               "(default: <out>/qa)")
    qa.add_argument("--min-f1", type=float, default=None, help="exit 1 when any table's F1 is below this")
    qa.add_argument("--verbose", "-v", action="store_true", help="print every differing row")

    sub.add_parser("dictionary", help="print the data dictionary (markdown) generated from the schemas")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    if args.command == "extract":
        return _extract(args)
    if args.command == "qa":
        from .qa import run_qa_cli
        return run_qa_cli(args)
    if args.command == "dictionary":
        from .dictionary import render
        sys.stdout.write(render())
        return 0
    return 2


def _extract(args) -> int:
    from .run import extract_corpus
    try:
        summary = extract_corpus(args.raw_dir, args.out, workers=args.workers, force=args.force,
                                 progress=not args.no_progress, engine=args.engine, scheduler=args.scheduler)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for err in summary.failures:
        print(f"error: {err['path']}: [{err['stage']}] {err['message']}", file=sys.stderr)
    print(summary.line())
    return 1 if summary.failed else 0

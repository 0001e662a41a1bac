"""Configuration in one place: the component order and the default paths."""
from __future__ import annotations

import os
from pathlib import Path

# Components run in this order on every document (see pipeline/components.py).
# deadlines run before assignments (which link to them); agencies are the bodies the
# assignments make responsible, so they come last.
PIPELINE = ("normalize", "segment", "tables", "metadata", "sections", "deadlines", "targets",
            "assignments", "agencies")

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RAW_DIR = ROOT / "raw_docs"
DEFAULT_OUT_DIR = ROOT / "outputs"
DEFAULT_GOLD_DIR = ROOT / "gold"
INPUT_SUFFIXES = (".txt", ".md", ".markdown", ".text", ".html", ".htm", ".docx", ".pdf")
DEFAULT_WORKERS = int(os.environ.get("PIPELINE_WORKERS", "0")) or None   # None: one per core
# Documents per part (the files of a table hold batches of documents, see pipeline/io.py);
# smaller batches when a corpus is too small to give every worker several of them.
PART_DOCS = int(os.environ.get("PIPELINE_PART_DOCS", "64"))

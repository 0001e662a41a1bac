import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RAW = ROOT / "raw_docs"


def doc_path(prefix: str) -> Path:
    return next(RAW.glob(f"{prefix}_*"))


@pytest.fixture(scope="session")
def processed():
    """Every bundled plan run through all components, by its 3-digit prefix."""
    from pipeline.load import read_document
    from pipeline.run import run_components
    docs = {}
    for path in sorted(RAW.glob("*.txt")):
        doc, errors = run_components(read_document(path))
        assert errors == []
        docs[path.name[:3]] = doc
    return docs

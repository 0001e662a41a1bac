"""Language knowledge lives in data files (`pipeline/data/*.json`); this loads them once."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).with_name("data")


@lru_cache(maxsize=None)
def lexicon(name: str) -> dict:
    """The parsed contents of `pipeline/data/<name>.json`."""
    with open(DATA_DIR / f"{name}.json", encoding="utf-8") as fh:
        return json.load(fh)

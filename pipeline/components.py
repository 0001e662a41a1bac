"""Named pipeline components (spaCy style): each is a function `doc -> doc` registered by name.

Structural stages transform the Document; extractor components run an extractor's
`extract(doc)` and store the typed rows it yields in `doc.rows[table]`.
"""
from __future__ import annotations

import importlib
from typing import Callable

from .document import Document
from .rows import ROW_TABLE, as_dict

REGISTRY: dict[str, Callable[[Document], Document]] = {}


def component(name: str):
    def register(fn: Callable[[Document], Document]):
        REGISTRY[name] = fn
        return fn
    return register


def extractor_component(name: str, module: str) -> None:
    """Register `extractors.<module>.extract` as the component `name`."""
    def run(doc: Document) -> Document:
        mod = importlib.import_module(f"extractors.{module}")
        for row in mod.extract(doc):
            table = ROW_TABLE[type(row)]
            d = as_dict(row)
            d["doc_id"] = doc.doc_id
            doc.rows.setdefault(table, []).append(d)
        return doc
    REGISTRY[name] = run


def _register_builtin() -> None:
    from .normalize import normalize
    from .segment import segment
    from .tables import parse_tables
    component("normalize")(normalize)
    component("segment")(segment)
    component("tables")(parse_tables)
    for name in ("metadata", "sections", "deadlines", "targets", "assignments", "agencies"):
        extractor_component(name, name)


_register_builtin()

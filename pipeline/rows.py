"""Typed rows, one dataclass per table, built from the schemas so the two cannot drift.

Extractors yield these (`TargetRow(value=700.0, ...)`); the runner fills `doc_id`.
"""
from __future__ import annotations

from dataclasses import field, make_dataclass

from .schemas import TABLES


def _row_type(table: str):
    name = "".join(part.capitalize() for part in table.rstrip("s").split("_")) + "Row"
    fields = [(f.name, object, field(default=None)) for f in TABLES[table]]
    return make_dataclass(name, fields)


DocumentRow = _row_type("documents")
SectionRow = _row_type("sections")
TargetRow = _row_type("targets")
AgencyRow = _row_type("agencies")
AssignmentRow = _row_type("assignments")
DeadlineRow = _row_type("deadlines")
ErrorRow = _row_type("errors")

ROW_TABLE = {DocumentRow: "documents", SectionRow: "sections", TargetRow: "targets", AgencyRow: "agencies",
             AssignmentRow: "assignments", DeadlineRow: "deadlines", ErrorRow: "errors"}


def as_dict(row) -> dict:
    """The row's columns as a dict; list columns are copied (rows never share a mutable value).
    Cheaper than dataclasses.asdict, whose recursive deep copy cost more than some extractors."""
    d = dict(row.__dict__)
    for key, value in d.items():
        if isinstance(value, list):
            d[key] = list(value)
    return d

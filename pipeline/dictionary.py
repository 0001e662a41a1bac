"""The data dictionary (markdown), generated from `pipeline.schemas` so it cannot drift.

`python -m pipeline dictionary` prints it; `make dictionary` writes `docs/data_dictionary.md`,
and a test asserts the committed file equals `render()`.
"""
from __future__ import annotations

import pyarrow as pa

from .schemas import DOCUMENT_TABLES, TABLES

# What one row of each table is. Every table of the schema module must be described here
# (a test checks it), so a new table cannot be left out of the dictionary.
TABLE_INTRO = {
    "documents": ("input document", "Where it came from and its metadata: number, type, issuer, province, "
                  "date, signer, title, the resolutions it implements."),
    "sections": ("heading of the body at level 1 or 2, or appendix (`Phụ lục`)",
                 "The heading tree of the body, with the span of text each section covers."),
    "targets": ("quantified objective", "A number the document commits to reach. A target restated later "
                "(in the body or an appendix table) is another row."),
    "agencies": ("responsible body, per document", "The distinct bodies the document makes responsible for "
                 "something (lead, coordinate, implement, report), under their full canonical names."),
    "assignments": ("(task, agency, role)", "Who must do what, in which role, and by when."),
    "deadlines": ("time expression bounding a task", "When something must be done or reported: a date, a "
                  "year, a period, a recurring date, an ongoing duty or an event."),
    "errors": ("problem met on a document", "Written per run; empty when every document was read and "
               "extracted without failure."),
}

# Ids: the columns that identify a row (unique together); tables not listed have no id.
TABLE_KEY = {
    "documents": ("doc_id",),
    "sections": ("doc_id", "section_id"),
    "agencies": ("doc_id", "name"),
    "deadlines": ("doc_id", "deadline_id"),
}

# (from table, from columns, to table, to columns, what the join means). Every column named
# here is checked against the schemas by the tests.
JOINS = (
    ("sections", ("doc_id", "parent_id"), "sections", ("doc_id", "section_id"),
     "the enclosing level-1 section of a level-2 section"),
    ("targets", ("doc_id", "section_id"), "sections", ("doc_id", "section_id"),
     "the section a target lies in (`section_id` is unique only within a document)"),
    ("assignments", ("doc_id", "section_id"), "sections", ("doc_id", "section_id"),
     "the section an assignment lies in"),
    ("assignments", ("doc_id", "agency"), "agencies", ("doc_id", "name"),
     "the responsible body; agencies are listed per document"),
    ("assignments", ("doc_id", "deadline_id"), "deadlines", ("doc_id", "deadline_id"),
     "the time bound of the task, when it has one (`deadline_id` null otherwise)"),
)


def type_name(t: pa.DataType) -> str:
    """Readable Arrow type: `list<string>` rather than `list<item: string>`."""
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return f"list<{type_name(t.value_type)}>"
    if pa.types.is_date32(t):
        return "date32 (day)"
    if pa.types.is_boolean(t):
        return "bool"
    return str(t)


def _meta(field: pa.Field, key: str) -> str:
    meta = field.metadata or {}
    return meta.get(key.encode(), b"").decode("utf-8")


def _cell(text: str) -> str:
    """Text safe inside a markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _code(text: str) -> str:
    return f"`{_cell(text)}`" if text else ""


def _key(name: str) -> str:
    if name not in TABLE_KEY:
        return "No id column (see [How tables join](#how-tables-join))."
    cols = TABLE_KEY[name]
    return f"Id: {' + '.join(f'`{k}`' for k in cols)}" + (" (unique together)." if len(cols) > 1 else " (unique).")


def _table_section(name: str, schema: pa.Schema) -> list[str]:
    row, detail = TABLE_INTRO[name]
    lines = [f"## `{name}`", "", f"One row per {row}. {detail}", "",
             f"Files: `outputs/{name}/part-<id>.parquet` (one per batch of documents"
             + (", for batches with problems" if name == "errors" else "") + "); "
             f"load all with `pd.read_parquet(\"outputs/{name}\")`. " + _key(name), "",
             "| column | type | nullable | meaning | example |",
             "| --- | --- | --- | --- | --- |"]
    for field in schema:
        lines.append(f"| `{field.name}` | {type_name(field.type)} | {'yes' if field.nullable else 'no'} | "
                     f"{_cell(_meta(field, 'description'))} | {_code(_meta(field, 'example'))} |")
    lines.append("")
    return lines


def _joins_section() -> list[str]:
    shared = [n for n in TABLES if "doc_id" in TABLES[n].names]
    lines = ["## How tables join", "",
             f"- `doc_id` is in every table ({', '.join(f'`{n}`' for n in shared)}) and joins it to "
             "`documents.doc_id`: the input file's name without extension.",
             "- Other ids (`section_id`, `deadline_id`) and agency names are unique only **within a "
             "document**: always join on `doc_id` too.", "",
             "| from | to | meaning |", "| --- | --- | --- |"]
    for src, src_cols, dst, dst_cols, meaning in JOINS:
        left = ", ".join(f"{src}.{c}" for c in src_cols)
        right = ", ".join(f"{dst}.{c}" for c in dst_cols)
        lines.append(f"| `{left}` | `{right}` | {_cell(meaning)} |")
    grounded = [n for n in TABLES if {"quote", "char_start", "char_end"} <= set(TABLES[n].names)]
    lines += ["",
              "### Offsets and evidence", "",
              f"Rows of {', '.join(f'`{n}`' for n in grounded)} are grounded in the text: `char_start` and "
              "`char_end` index the **decoded source text** of the document (the input file decoded to "
              "Unicode NFC, before any normalization), so that "
              "`raw[char_start:char_end] == quote`. `sections.char_start`/`char_end` index the same text. "
              "To get `raw` for a document, decode its `documents.source_path` with "
              "`pipeline.load.read_document(path).raw` (`documents.n_chars` is its length).", "",
              "### Example (pandas)", "",
              "```python",
              "import pandas as pd",
              "tables = {name: pd.read_parquet(f\"outputs/{name}\") for name in "
              + repr(list(DOCUMENT_TABLES)) + "}",
              "targets = (tables[\"targets\"]",
              "           .merge(tables[\"documents\"][[\"doc_id\", \"doc_number\", \"province\"]], on=\"doc_id\")",
              "           .merge(tables[\"sections\"][[\"doc_id\", \"section_id\", \"heading\"]],",
              "                  on=[\"doc_id\", \"section_id\"], how=\"left\"))",
              "tasks = (tables[\"assignments\"]",
              "         .merge(tables[\"agencies\"][[\"doc_id\", \"name\", \"level\"]],",
              "                left_on=[\"doc_id\", \"agency\"], right_on=[\"doc_id\", \"name\"], how=\"left\")",
              "         .merge(tables[\"deadlines\"][[\"doc_id\", \"deadline_id\", \"kind\", \"end\"]],",
              "                on=[\"doc_id\", \"deadline_id\"], how=\"left\"))",
              "```", "",
              "Integer columns holding nulls (`targets.target_year`, `char_start`) load as floats in pandas; "
              "pass `dtype_backend=\"pyarrow\"` to `pd.read_parquet` to keep them integers.", ""]
    return lines


def render() -> str:
    """The whole data dictionary as markdown."""
    lines = ["# Data dictionary", "",
             "<!-- Generated from pipeline/schemas.py by `make dictionary` "
             "(`python -m pipeline dictionary`); do not edit by hand. -->", "",
             "The extraction writes one Parquet folder per table. Every column below is declared once in "
             "`pipeline/schemas.py`, with its meaning and an example; this page is generated from there.", "",
             "| table | one row per |", "| --- | --- |"]
    for name in TABLES:
        lines.append(f"| [`{name}`](#{name}) | {_cell(TABLE_INTRO[name][0])} |")
    lines.append("")
    for name, schema in TABLES.items():
        lines += _table_section(name, schema)
    lines += _joins_section()
    return "\n".join(lines).rstrip("\n") + "\n"

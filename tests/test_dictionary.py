"""The data dictionary is generated from the schemas, is committed up to date, and its join claims hold."""
import re
from collections import Counter

from conftest import ROOT
from pipeline.dictionary import JOINS, TABLE_INTRO, TABLE_KEY, render, type_name
from pipeline.schemas import TABLES

COMMITTED = ROOT / "docs" / "data_dictionary.md"


def test_committed_dictionary_is_current():
    assert COMMITTED.read_text(encoding="utf-8") == render(), \
        "docs/data_dictionary.md is stale: run `make dictionary` and commit it"


def test_every_column_has_meaning_and_example():
    for table, schema in TABLES.items():
        for field in schema:
            meta = field.metadata or {}
            assert meta.get(b"description", b"").strip(), f"{table}.{field.name} has no description"
            assert meta.get(b"example", b"").strip(), f"{table}.{field.name} has no example"


def _table_rows(md: str, table: str) -> dict[str, list[str]]:
    """Column name -> cells of the column table under `## `table``."""
    part = md.split(f"## `{table}`\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in part.splitlines():
        m = re.match(r"\| `([a-z0-9_]+)` \|(.*)\|$", line)
        if m:
            rows[m.group(1)] = [c.strip() for c in re.split(r"(?<!\\)\|", m.group(2))]
    return rows


def test_every_table_and_column_is_listed_with_type_meaning_example():
    md = render()
    assert set(TABLE_INTRO) == set(TABLES)
    for table, schema in TABLES.items():
        rows = _table_rows(md, table)
        assert list(rows) == schema.names, table
        for field in schema:
            type_, nullable, meaning, example = rows[field.name]
            assert type_ == type_name(field.type)
            assert nullable == ("yes" if field.nullable else "no")
            assert meaning == field.metadata[b"description"].decode().replace("|", "\\|")
            assert example == f"`{field.metadata[b'example'].decode()}`"


def test_rendered_values_from_the_schema():
    md = render()
    docs = _table_rows(md, "documents")
    assert docs["issue_date"][:2] == ["date32 (day)", "yes"]
    assert docs["implements"][0] == "list<string>"
    assert docs["doc_id"][1] == "no"
    targets = _table_rows(md, "targets")
    assert targets["value"][0] == "double"
    assert "eq, gte, lte, approx, range" in targets["comparator"][2]
    assert "| `assignments.doc_id, assignments.deadline_id` | `deadlines.doc_id, deadlines.deadline_id` |" in md
    assert "| `assignments.doc_id, assignments.agency` | `agencies.doc_id, agencies.name` |" in md
    assert "raw[char_start:char_end] == quote" in md


def test_join_and_id_columns_exist():
    for src, src_cols, dst, dst_cols, _ in JOINS:
        assert set(src_cols) <= set(TABLES[src].names), (src, src_cols)
        assert set(dst_cols) <= set(TABLES[dst].names), (dst, dst_cols)
        assert len(src_cols) == len(dst_cols)
    for table, cols in TABLE_KEY.items():
        assert set(cols) <= set(TABLES[table].names), (table, cols)


def test_ids_are_unique_and_joins_resolve_on_the_bundled_plans(processed):
    """What the dictionary promises, checked on the rows extracted from the five plans."""
    assert len(processed) == 5
    for prefix, doc in processed.items():
        rows = {t: doc.rows.get(t, []) for t in TABLES}
        assert rows["documents"] and rows["sections"], prefix
        for table, cols in TABLE_KEY.items():
            keys = Counter(tuple(r.get(c, doc.doc_id) if c != "doc_id" else doc.doc_id for c in cols)
                           for r in rows[table])
            dup = [k for k, n in keys.items() if n > 1]
            assert not dup, f"{prefix}: duplicate ids in {table}: {dup[:3]}"
        for src, src_cols, dst, dst_cols, _ in JOINS:
            local = [c for c in src_cols if c != "doc_id"]
            targets = {tuple(r.get(c) for c in dst_cols if c != "doc_id") for r in rows[dst]}
            for r in rows[src]:
                key = tuple(r.get(c) for c in local)
                if None in key:
                    continue
                assert key in targets, f"{prefix}: {src}.{local}={key} has no row in {dst}"
        raw = doc.raw
        for table in ("targets", "assignments", "deadlines"):
            for r in rows[table]:
                assert raw[r["char_start"]:r["char_end"]] == r["quote"], (prefix, table, r["quote"])
        for s in rows["sections"]:
            assert 0 <= s["char_start"] < s["char_end"] <= len(raw), (prefix, s)

"""Stage 3b, tables: markdown tables (split across pages, with repeated headers) as rows of cells."""
from __future__ import annotations

import regex

from .document import Cell, Document, Table, TableRow

_SEPARATOR_CELL = regex.compile(r"^\s*:?-{2,}:?\s*$|^\s*$")
_SPACES = regex.compile(r"\s+")


def _cells(doc: Document, a: int, b: int) -> list[Cell]:
    line = doc.text[a:b]
    bars = []
    i = line.find("|")
    while i >= 0:
        bars.append(i)
        i = line.find("|", i + 1)
    cells = []
    for left, right in zip(bars, bars[1:]):
        s, e = left + 1, right
        while s < e and line[s] == " ":
            s += 1
        while e > s and line[e - 1] == " ":
            e -= 1
        cells.append(Cell(text=line[s:e], start=a + s, end=a + e))
    return cells


def _cell_key(cell: Cell) -> str:
    return _SPACES.sub(" ", cell.text).casefold()


def _key(cells: list[Cell]) -> tuple[str, ...]:
    return tuple(map(_cell_key, cells))


def _is_header(cells: list[Cell], header: list[str]) -> bool:
    """_key(cells) == tuple(header), stopping at the first cell that differs."""
    return len(cells) == len(header) and all(_cell_key(c) == h for c, h in zip(cells, header))


def parse_tables(doc: Document) -> Document:
    tables: list[Table] = []
    current: Table | None = None
    last_row_para = -2
    for i, (a, b) in enumerate(doc.paragraphs):
        if not doc.text.startswith("|", a):
            continue
        cells = _cells(doc, a, b)
        if not cells or all(_SEPARATOR_CELL.match(c.text) for c in cells):
            last_row_para = i
            continue
        contiguous = i == last_row_para + 1
        if current is not None and _is_header(cells, current.header):
            # the header repeated after a page break: the same table goes on
            current.end = b
        elif current is None or not contiguous:
            current = Table(header=list(_key(cells)), rows=[], start=a, end=b)
            tables.append(current)
        else:
            current.rows.append(TableRow(cells=cells, start=a, end=b))
            current.end = b
        last_row_para = i
    doc.tables = tables
    return doc


"""Stage 3b, tables: markdown tables (split across pages, with repeated headers) as rows of cells."""
from __future__ import annotations

import regex

from .document import Cell, Document, Table, TableRow

_SEPARATOR_CELL = regex.compile(r"^\s*:?-{2,}:?\s*$|^\s*$")
_SPACES = regex.compile(r"\s+")


def _cells(doc: Document, a: int, b: int) -> list[Cell]:
    """The cells between the bars of a table row, spaces around each cell's text trimmed."""
    parts = doc.text[a:b].split("|")
    cells = []
    pos = a + len(parts[0]) + 1          # just after the first bar
    for part in parts[1:-1]:             # the text after the last bar is no cell
        text = part.lstrip(" ")
        s = pos + len(part) - len(text)
        text = text.rstrip(" ")
        cells.append(Cell(text=text, start=s, end=s + len(text)))
        pos += len(part) + 1
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


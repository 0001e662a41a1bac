"""The one object that flows through every stage.

`raw` is the decoded source text; every offset written to a table indexes it.
`text` is the normalized text (hard wraps joined, markup dropped, one paragraph a line);
`offsets[i]` is the position in `raw` of `text[i]`, so any span of `text` maps back to
its evidence in `raw` with `raw_span()`.
"""
from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


class OffsetMap(Sequence):
    """The offset map as runs, not one int per character (building those dominated normalize):
    text positions starts[k] .. starts[k+1]-1 map to raws[k], raws[k]+1, ... Reads like a list."""
    __slots__ = ("starts", "raws", "length")

    def __init__(self, starts: list[int], raws: list[int], length: int):
        self.starts, self.raws, self.length = starts, raws, length

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self.length))]
        if i < 0:
            i += self.length
        if not 0 <= i < self.length:
            raise IndexError("offset index out of range")
        k = bisect.bisect_right(self.starts, i) - 1
        return self.raws[k] + i - self.starts[k]

    def __iter__(self):
        ends = self.starts[1:] + [self.length]
        for s, e, r in zip(self.starts, ends, self.raws):
            yield from range(r, r + e - s)

    def __eq__(self, other) -> bool:
        # compares by value, as the list it replaces did (Document equality)
        return isinstance(other, (OffsetMap, list)) and list(self) == list(other)

    __hash__ = None


@dataclass
class Heading:
    """A numbered or lettered item that opens a block of the text (any depth)."""
    number: str          # label without punctuation: "II", "2", "2.1", "a", "Phụ lục 1"
    style: str           # roman | arabic | dotted | letter | appendix
    depth: int           # 1 = top level of the heading tree
    title: str           # text after the label, on the same paragraph
    is_title_line: bool  # a real heading (title line), not a numbered sentence
    start: int           # normalized offset of the paragraph
    end: int             # normalized offset where the block ends
    para_end: int        # normalized offset where the heading paragraph itself ends


@dataclass
class Section:
    section_id: str
    parent_id: str | None
    number: str
    level: int
    heading: str
    kind: str
    start: int           # normalized offsets
    end: int


@dataclass
class Cell:
    text: str
    start: int           # normalized offsets of the cell's text
    end: int


@dataclass
class TableRow:
    cells: list[Cell]
    start: int
    end: int


@dataclass
class Table:
    header: list[str]
    rows: list[TableRow]  # body rows, repeated headers and separators removed
    start: int
    end: int

    def column(self, *keywords: str) -> int | None:
        """Index of the first header cell containing any keyword (casefolded)."""
        for i, name in enumerate(self.header):
            low = name.casefold()
            if any(k in low for k in keywords):
                return i
        return None


@dataclass
class Document:
    doc_id: str
    source_path: str
    raw: str
    format: str = "txt"
    encoding: str = "utf-8"
    sha256: str = ""
    text: str = ""
    offsets: Sequence[int] = field(default_factory=list)   # an OffsetMap after normalize
    paragraphs: list[tuple[int, int]] = field(default_factory=list)   # normalized spans of lines of `text`
    headings: list[Heading] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    rows: dict[str, list[dict]] = field(default_factory=dict)        # table name -> rows
    _section_starts: list[int] | None = field(default=None, repr=False, compare=False)
    _section_by_id: dict[str, Section] = field(default_factory=dict, repr=False, compare=False)

    # --- offsets -------------------------------------------------------------------------
    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalized span [start, end) to the raw span covering the same characters."""
        if end <= start:
            pos = self.offsets[start] if start < len(self.offsets) else len(self.raw)
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1

    def evidence(self, start: int, end: int) -> dict[str, Any]:
        """quote/char_start/char_end columns for a normalized span."""
        # trim whitespace so the quote starts and ends on text
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        a, b = self.raw_span(start, end)
        return {"quote": self.raw[a:b], "char_start": a, "char_end": b}

    # --- structure -----------------------------------------------------------------------
    def section_at(self, pos: int) -> Section | None:
        """Deepest section whose span contains the normalized position."""
        if self._section_starts is None or len(self._section_starts) != len(self.sections):
            self._section_starts = [s.start for s in self.sections]
            self._section_by_id = {s.section_id: s for s in self.sections}
        i = bisect.bisect_right(self._section_starts, pos) - 1
        s = self.sections[i] if i >= 0 else None
        # the last section opened before pos, or its parent when pos lies after its end
        while s is not None and not (s.start <= pos < s.end):
            s = self._section_by_id.get(s.parent_id) if s.parent_id else None
        return s

    def section_id_at(self, pos: int) -> str | None:
        s = self.section_at(pos)
        return s.section_id if s else None

    def enclosing_headings(self, pos: int) -> list[Heading]:
        """Headings (any depth) whose block contains pos, outermost first."""
        return [h for h in self.headings if h.start <= pos < h.end]

    def paragraph_index(self, pos: int) -> int:
        starts = [p[0] for p in self.paragraphs]
        return max(0, bisect.bisect_right(starts, pos) - 1)

    def in_table(self, pos: int) -> bool:
        return any(t.start <= pos < t.end for t in self.tables)


class Enclosing:
    """The items (headings, sections: anything with start/end) containing a position, outermost
    first. Positions asked in ascending order cost one sweep in all, so documents with thousands
    of headings stay linear; an earlier position starts the sweep again. The answer for a
    position does not depend on the positions asked before it."""

    def __init__(self, items: list):
        self.items = sorted(items, key=lambda x: (x.start, -x.end))
        self.stack: list = []
        self.i = 0
        self.pos = -1

    def at(self, pos: int) -> list:
        if pos < self.pos:
            self.i, self.stack = 0, []
        items, stack, i = self.items, self.stack, self.i
        while i < len(items) and items[i].start <= pos:
            while stack and stack[-1].end <= items[i].start:
                stack.pop()
            stack.append(items[i])
            i += 1
        while stack and stack[-1].end <= pos:
            stack.pop()
        self.i, self.pos = i, pos
        return [x for x in stack if x.start <= pos < x.end]


def enclosing_map(items: list, positions) -> dict[int, list]:
    """For each position (ascending), the items containing it, outermost first (`Enclosing`)."""
    sweep = Enclosing(items)
    return {pos: sweep.at(pos) for pos in positions}
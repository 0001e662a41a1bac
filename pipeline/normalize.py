"""Stage 2, normalize: undo what PDF/markdown conversion did, keeping an offset map.

Output: `doc.text`, one paragraph a line (hard wraps joined with a space, `**`/`*` markup
and stray `|` dropped, page-break debris removed, markdown table rows kept one a line),
and `doc.offsets`, the raw position of every character of `doc.text`.
"""
from __future__ import annotations

from typing import NamedTuple

import regex

from .document import Document
from .lexicon import lexicon

_MARKUP = set("*")
_DEBRIS = regex.compile(r"^[\s\-_=.~·•|*]*$|^(?:Trang|Page)\s+\d+(?:\s*/\s*\d+)?$", regex.I)
_TABLE_ROW = regex.compile(r"^\|.*\|$")
_SENTENCE_END = tuple(".;:!?")
_APPENDIX_LINE = regex.compile(r"^(?:PHỤ LỤC|Phụ lục)(?:\s+(?:SỐ\s+|số\s+)?[0-9IVX]{1,5})?\s*$")


def _block_start() -> regex.Pattern:
    # A line that opens a new block (list item, heading, appendix, signature...).
    words = "|".join(regex.escape(w) for w in lexicon("normalize")["block_start_words"])
    return regex.compile(
        r"^(?:"
        r"[IVXLC]{1,6}\s*[.\-–:)]\s"          # I.  II-  III)
        r"|\d{1,2}(?:\.\d{1,2})*\s*[.)](?![\d,])\s*\S"  # 1.  2.1.  3)  (not 11.400)
        r"|\d{1,2}(?:\.\d{1,2})+\s"            # 2.1 Title
        r"|[a-zđ]\s*\)\s"                      # a)  đ)
        r"|[-–+•]\s*\p{Lu}"                    # - Bullet  + Sub-bullet
        r"|(?:" + words + r")\b"
        r")"
    )


_BLOCK_START = None


def _is_caps(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def should_join(prev: str, nxt: str, wrap_width: int = 0, first_line: bool = False) -> bool:
    """Is `nxt` the continuation of `prev` (a hard wrap), not a new paragraph?

    `wrap_width` is the document's usual width of wrapped lines (0 when lines are not wrapped);
    `first_line` says `prev` opens its paragraph (exports often start a paragraph with a short,
    indented first line).
    """
    global _BLOCK_START, _CONTINUATION, _STANDALONE
    if _BLOCK_START is None:
        _BLOCK_START = _block_start()
        _CONTINUATION = frozenset(lexicon("normalize")["continuation_words"])
        _STANDALONE = frozenset(lexicon("normalize")["standalone_lines"])
    if _BLOCK_START.match(nxt) or _APPENDIX_LINE.match(prev) or prev in _STANDALONE or nxt in _STANDALONE:
        return False
    first = nxt[0]
    if prev.endswith(","):
        return True
    if prev.endswith(_SENTENCE_END):
        return False
    if first.islower() or first.isdigit() or first in "(\"“'":
        return True
    last_word = prev.rsplit(None, 1)[-1].strip("([{\"“'").casefold() if prev.split() else ""
    if last_word in _CONTINUATION:
        return True
    if _is_caps(prev) and _is_caps(nxt):
        return True
    if wrap_width:
        full = wrap_width * lexicon("normalize")["wrap_fraction"]
        if len(prev) >= full:
            return True
        # a short opening line followed by a full one: the paragraph goes on
        return first_line and len(nxt) >= full and not _is_caps(prev) and not _BLOCK_START.match(prev)
    return False


def wrap_width(lines) -> int:
    """Usual width of a hard-wrapped line (90th percentile of line lengths), 0 for unwrapped text."""
    lengths = sorted(len(ln.text) for ln in lines if ln.text and not ln.lone and not ln.text.startswith("|"))
    if len(lengths) < 10:
        return 0
    p90 = lengths[int(len(lengths) * 0.9)]
    # PDF conversions wrap at 50-160 characters; shorter lines are a list or a layout, not wraps
    return p90 if 50 <= p90 <= 160 else 0


_CONTINUATION: frozenset = frozenset()
_STANDALONE: frozenset = frozenset()


_EDGE_SPACE = " \t\r\xa0\u200b\ufeff"
_MESSY_SPACE = regex.compile(r"[\t\xa0\r]|  ")


def _clean_line(line: str, start: int) -> tuple[str, list[int]]:
    """Drop markup characters and surrounding spaces; keep each kept char's raw offset."""
    # hot path: offsets are built with range() and the per-character loop runs only on
    # lines that need it (markup, tabs, runs of spaces)
    if not _MARKUP.isdisjoint(line):
        kept = [start + i for i, c in enumerate(line) if c not in _MARKUP]
        text = "".join(c for c in line if c not in _MARKUP)
    else:
        kept, text = None, line
    stripped = text.strip(_EDGE_SPACE)
    if not stripped:
        return "", []
    lead = len(text) - len(text.lstrip(_EDGE_SPACE))
    offs = (list(range(start + lead, start + lead + len(stripped))) if kept is None
            else kept[lead:lead + len(stripped)])
    is_table = _TABLE_ROW.match(stripped) and stripped.count("|") >= 3
    if not is_table and ("|" in stripped[:1] or "|" in stripped[-1:]):
        # stray cell markers left by PDF/HTML conversion
        inner = stripped.strip("|").strip()
        if not inner:
            return "", []
        lead = stripped.index(inner)
        offs = offs[lead:lead + len(inner)]
        stripped = inner
    if not _MESSY_SPACE.search(stripped):
        return stripped, offs
    # collapse internal runs of spaces/tabs
    out, out_offs, prev_space = [], [], False
    for c, o in zip(stripped, offs):
        space = c in " \t\xa0\r"
        if space and prev_space:
            continue
        out.append(" " if space else c)
        out_offs.append(o)
        prev_space = space
    return "".join(out), out_offs


class Line(NamedTuple):
    text: str            # cleaned text (markup dropped, spaces collapsed)
    offs: list[int]      # raw offset of each character of text
    lone: bool           # the raw line is a lone `|` cell marker
    bold_open: bool      # a markdown `**` span is still open at the end of the line
    markup_only: bool    # the raw line held only markup (`**`), no text


def _lines(raw: str) -> list[Line]:
    """Cleaned lines with their offsets and markup facts."""
    out = []
    bold = False
    bodies = raw.split("\n")
    if not bodies[-1]:
        bodies.pop()        # nothing after the final newline
    start = 0
    for body in bodies:
        at, start = start, start + len(body) + 1
        if body.strip(" \t\r\xa0*") == "|":
            out.append(Line("|", [at + body.index("|")], True, False, False))
            bold = False
            continue
        text, offs = _clean_line(body, at)
        if not body.strip():
            bold = False
        elif body.count("**") % 2:
            bold = not bold
        out.append(Line(text, offs, False, bold and bool(text), not text and "*" in body))
    return out


def _grid_regions(lines) -> list[tuple[int, int]]:
    """Tables exported with one `|` per line between cells and `|` `|` between rows.

    A region is a cluster of lone-pipe lines, none more than `max_cell_lines` apart nor
    separated by a blank line, that contains at least one row break (two lone pipes in a row).
    """
    max_gap = lexicon("normalize")["max_cell_lines"]
    pipes = [i for i, line in enumerate(lines) if line.lone]
    regions, cluster = [], []
    for i in pipes:
        # a cell never spans a blank line
        # nor an appendix heading: a blank line or "PHỤ LỤC" between two pipes ends the table
        if cluster and (i - cluster[-1] > max_gap or any(
                (not ln.text and not ln.markup_only) or _APPENDIX_LINE.match(ln.text)
                for ln in lines[cluster[-1] + 1:i])):
            regions.append(cluster)
            cluster = []
        cluster.append(i)
    if cluster:
        regions.append(cluster)
    out = []
    for c in regions:
        if any(b == a + 1 for a, b in zip(c, c[1:])):
            out.append((c[0], c[-1]))
    return out


def _grid_rows(lines, first: int, last: int) -> list[tuple[str, list[int]]]:
    """Rows of a lone-pipe table as markdown rows `| cell | cell |` with offsets."""
    rows, cells = [], []
    cell_text: list[str] = []
    cell_offs: list[int] = []
    row_pipe = lines[first][1][0]

    def close_row():
        nonlocal cells
        if cells:
            text, offs = ["|"], [row_pipe]
            for ct, co, pipe_at in cells:
                text.append(" ")
                offs.append(offs[-1])
                text.append(ct)
                offs.extend(co)
                text.append(" |")
                offs.extend([pipe_at, pipe_at])
            rows.append(("".join(text), offs))
        cells = []

    for i in range(first + 1, last + 1):
        text, offs, lone = lines[i][:3]
        if lone:
            if cell_text:
                cells.append((" ".join(cell_text), _join_offs(cell_text, cell_offs), offs[0]))
                cell_text, cell_offs = [], []
            elif lines[i - 1][2]:
                close_row()
                row_pipe = offs[0]
            continue
        if text and not _DEBRIS.match(text):
            cell_text.append(text)
            cell_offs.append(offs)
    close_row()
    return rows


def _join_offs(texts: list[str], offs: list[list[int]]) -> list[int]:
    out: list[int] = []
    for k, o in enumerate(offs):
        if k:
            out.append(out[-1] + 1)
        out.extend(o)
    return out


def normalize(doc: Document) -> Document:
    lines = _lines(doc.raw)
    width = wrap_width(lines)
    grids = {first: last for first, last in _grid_regions(lines)}
    paragraphs: list[tuple[str, list[int]]] = []
    cur_text: list[str] = []
    cur_offs: list[int] = []
    last_line = ""
    bold_continues = False

    def flush():
        nonlocal cur_text, cur_offs, last_line, bold_continues
        if cur_text:
            paragraphs.append(("".join(cur_text), cur_offs))
        cur_text, cur_offs, last_line, bold_continues = [], [], "", False

    i = 0
    while i < len(lines):
        text, offs, lone = lines[i][:3]
        if i in grids:
            flush()
            paragraphs.extend(_grid_rows(lines, i, grids[i]))
            i = grids[i] + 1
            continue
        i += 1
        if lines[i - 1].markup_only:
            continue
        if lone or not text or _DEBRIS.match(text):
            flush()
            continue
        is_table = text.startswith("|") and text.endswith("|") and text.count("|") >= 3
        if is_table:
            flush()
            paragraphs.append((text, offs))
            continue
        if cur_text and (bold_continues or should_join(last_line, text, width, len(cur_text) == 1)):
            cur_text.append(" ")
            cur_offs.append(cur_offs[-1] + 1)
            cur_text.append(text)
            cur_offs.extend(offs)
        else:
            flush()
            cur_text, cur_offs = [text], list(offs)
        last_line = text
        bold_continues = lines[i - 1].bold_open
    flush()

    pieces: list[str] = []
    offsets: list[int] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for i, (text, offs) in enumerate(paragraphs):
        if i:
            pieces.append("\n")
            offsets.append(offsets[-1] + 1)
            pos += 1
        spans.append((pos, pos + len(text)))
        pieces.append(text)
        offsets.extend(offs)
        pos += len(text)
    offsets.append(len(doc.raw))
    doc.text = "".join(pieces)
    doc.offsets = offsets
    doc.paragraphs = spans
    return doc

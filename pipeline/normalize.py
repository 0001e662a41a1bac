"""Stage 2, normalize: undo what PDF/markdown conversion did, keeping an offset map.

Output: `doc.text`, one paragraph a line (hard wraps joined with a space, `**`/`*` markup
and stray `|` dropped, page-break debris removed, markdown table rows kept one a line),
and `doc.offsets`, the raw position of every character of `doc.text`.
"""
from __future__ import annotations

import re

import regex

from .document import Document, OffsetMap
from .lexicon import lexicon

_DEBRIS = regex.compile(r"^[\s\-_=.~·•|*]*$|^(?:Trang|Page)\s+\d+(?:\s*/\s*\d+)?$", regex.I)
_SENTENCE_END = tuple(".;:!?")
_WRAP_FRACTION = lexicon("normalize")["wrap_fraction"]
_CONTINUATION_EXCEPTIONS = tuple(lexicon("normalize")["continuation_exceptions"])
_APPENDIX_LINE = regex.compile(r"^(?:PHỤ LỤC|Phụ lục)(?:\s+(?:SỐ\s+|số\s+)?[0-9IVX]{1,5})?\s*$")
# a line of its own in brackets pointing to an attachment ("(Chi tiết tại Phụ lục kèm theo)")
_ATTACHMENT_NOTE = regex.compile(r"^\([^()]*(?:" + "|".join(map(regex.escape, lexicon("normalize")["attachment_note_words"]))
                                 + r")[^()]*\)[.:;]?$", regex.I)


def _is_debris(text: str) -> bool:
    """A page-break debris line: rules, bullets, bars or a page number ("Trang 3", "Page 2/10")."""
    # a line opening with a letter or digit other than T/P is neither: skip the costly match
    c = text[:1]
    if c.isalnum() and c not in "TtPp":
        return False
    return _DEBRIS.match(text) is not None


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
_BLOCK_WORD_FIRST: frozenset = frozenset()
_LOWER_ITEM = frozenset("abcdefghijklmnopqrstuvwxyzđ")


def _may_open_block(line: str) -> bool:
    """_BLOCK_START.match(line), skipped for a line opening with a lowercase letter that no block
    word opens with and holding no ")" (only the `a)` item alternative could match it)."""
    first = line[0]
    if first in _LOWER_ITEM and first not in _BLOCK_WORD_FIRST and ")" not in line:
        return False
    return _BLOCK_START.match(line) is not None


def _is_caps(s: str) -> bool:
    letters = list(filter(str.isalpha, s))
    return bool(letters) and all(map(str.isupper, letters))


def should_join(prev: str, nxt: str, wrap_width: int = 0, first_line: bool = False,
                blank_breaks: bool = False) -> bool:
    """Is `nxt` the continuation of `prev` (a hard wrap), not a new paragraph?

    `wrap_width` is the document's usual width of wrapped lines (0 when lines are not wrapped);
    `first_line` says `prev` opens its paragraph (exports often start a paragraph with a short,
    indented first line); `blank_breaks` says the document ends its paragraphs with blank lines.
    """
    global _BLOCK_START, _BLOCK_WORD_FIRST, _CONTINUATION, _STANDALONE
    if _BLOCK_START is None:
        _BLOCK_START = _block_start()
        _BLOCK_WORD_FIRST = frozenset(w[:1] for w in lexicon("normalize")["block_start_words"])
        _CONTINUATION = frozenset(lexicon("normalize")["continuation_words"])
        _STANDALONE = frozenset(lexicon("normalize")["standalone_lines"])
    if prev in _STANDALONE or nxt in _STANDALONE or (prev[:1] == "P" and _APPENDIX_LINE.match(prev)):
        return False
    full = wrap_width * _WRAP_FRACTION
    opens_block = _may_open_block(nxt)
    if blank_breaks and wrap_width and len(prev) >= full:
        # where blank lines end the paragraphs, a full line goes on in the next one even after a
        # ";" ("... nhiệm kỳ 2026 - 2031;" / "Hướng dẫn số ..."), and a paragraph's inner line
        # before what looks like an item ("... các địa bàn cấp độ" / "1. Cấp ngay mì tôm ...",
        # "tổ chức chính trị" / "- xã hội")
        if (not first_line and not prev.endswith(_SENTENCE_END)) if opens_block else prev.endswith(";"):
            return True
    if opens_block:
        return False
    first = nxt[0]
    if prev.endswith(","):
        return True
    if prev.endswith(_SENTENCE_END):
        return False
    if first == "(" and _ATTACHMENT_NOTE.match(nxt):
        return False
    if first.islower() or first.isdigit() or first in "(\"“'":
        return True
    words = prev.rsplit(None, 1)
    last_word = words[-1].strip("([{\"“'").casefold() if words else ""
    if last_word in _CONTINUATION and not prev.casefold().endswith(_CONTINUATION_EXCEPTIONS):
        return True
    if _is_caps(prev) and _is_caps(nxt):
        return True
    if wrap_width:
        if len(prev) >= full:
            return True
        # a short opening line followed by a full one: the paragraph goes on
        return first_line and len(nxt) >= full and not _is_caps(prev) and not _BLOCK_START.match(prev)
    return False


def wrap_width(lines) -> int:
    """Usual width of a hard-wrapped line (90th percentile of line lengths), 0 for unwrapped text."""
    lengths = sorted(len(text) for text, _, lone, _, _ in lines if text and not lone and not text.startswith("|"))
    if len(lengths) < 10:
        return 0
    p90 = lengths[int(len(lengths) * 0.9)]
    # PDF conversions wrap at 50-160 characters; shorter lines are a list or a layout, not wraps
    return p90 if 50 <= p90 <= 160 else 0


_CONTINUATION: frozenset = frozenset()
_STANDALONE: frozenset = frozenset()


_EDGE_SPACE = " \t\r\xa0\u200b\ufeff"
_SPACE_RUN = re.compile(r"[ \t\xa0\r]+")

# Offsets of a piece of text are kept as runs (raw start, length): the piece's characters map
# to consecutive raw positions within a run. A line is one or a few runs, not a list of ints.
# Contiguous runs are merged once, when normalize() builds the document's OffsetMap.
Runs = list[tuple[int, int]]


def _slice(runs: Runs, a: int, b: int) -> Runs:
    """Runs of the characters [a, b) of a piece."""
    if len(runs) == 1:
        return [(runs[0][0] + a, b - a)] if b > a else []
    out, pos = [], 0
    for r, n in runs:
        lo, hi = max(a, pos), min(b, pos + n)
        if lo < hi:
            out.append((r + lo - pos, hi - lo))
        pos += n
        if pos >= b:
            break
    return out


def _last(runs: Runs) -> int:
    """Raw offset of the last character."""
    return runs[-1][0] + runs[-1][1] - 1


def _clean_line(line: str, start: int) -> tuple[str, Runs]:
    """Drop markup characters and surrounding spaces; keep the raw offsets of the kept chars."""
    if "*" in line:
        runs, pos = [], start
        for part in line.split("*"):
            if part:
                runs.append((pos, len(part)))
            pos += len(part) + 1
        text = line.replace("*", "")
    else:
        runs, text = [(start, len(line))], line
    stripped = text.strip(_EDGE_SPACE)
    if not stripped:
        return "", []
    if len(stripped) != len(text):
        lead = len(text) - len(text.lstrip(_EDGE_SPACE))
        runs = _slice(runs, lead, lead + len(stripped))
    if stripped[0] == "|" or stripped[-1] == "|":
        is_table = stripped[0] == "|" and stripped[-1] == "|" and stripped.count("|") >= 3
        if not is_table:
            # stray cell markers left by PDF/HTML conversion
            inner = stripped.strip("|").strip()
            if not inner:
                return "", []
            lead = stripped.index(inner)
            runs = _slice(runs, lead, lead + len(inner))
            stripped = inner
    # str tests: a regex search on every line cost more than the rest of the cleaning
    if not ("  " in stripped or "\t" in stripped or "\xa0" in stripped or "\r" in stripped):
        return stripped, runs
    # collapse internal runs of spaces/tabs to one space (at the first one's offset)
    out: list[str] = []
    out_runs: Runs = []
    prev = 0
    for m in _SPACE_RUN.finditer(stripped):
        s, e = m.span()
        if e - s == 1 and stripped[s] == " ":
            continue
        out.append(stripped[prev:s])
        out.append(" ")
        out_runs.extend(_slice(runs, prev, s + 1))
        prev = e
    out.append(stripped[prev:])
    out_runs.extend(_slice(runs, prev, len(stripped)))
    return "".join(out), out_runs


# A cleaned line is a plain tuple (text, offs, lone, bold_open, markup_only): ten thousand of
# them are built per batch and a NamedTuple cost a third more.
#   text         cleaned text (markup dropped, spaces collapsed)
#   offs         raw offsets of the characters of text, as runs
#   lone         the raw line is a lone `|` cell marker
#   bold_open    a markdown `**` span is still open at the end of the line
#   markup_only  the raw line held only markup (`**`), no text
Line = tuple


def _lines(raw: str) -> list[Line]:
    """Cleaned lines with their offsets and markup facts."""
    out = []
    bold = False
    bodies = raw.split("\n")
    if not bodies[-1]:
        bodies.pop()        # nothing after the final newline
    # without markup, bars or runs of odd spaces a line is only trimmed: most lines of most
    # documents take that fast path
    messy = "  " in raw or "\t" in raw or "\xa0" in raw or "\r" in raw
    start = 0
    for body in bodies:
        n = len(body)
        at, start = start, start + n + 1
        if messy or "*" in body or "|" in body:
            if body.strip(" \t\r\xa0*") == "|":
                out.append(("|", ((at + body.index("|"), 1),), True, False, False))
                bold = False
                continue
            text, offs = _clean_line(body, at)
            if not body.strip():
                bold = False
            elif body.count("**") % 2:
                bold = not bold
            out.append((text, offs, False, bold and bool(text), not text and "*" in body))
            continue
        text = body.strip(_EDGE_SPACE)
        if len(text) == n:
            offs = ((at, n),) if n else ()
        else:
            text, offs = _clean_line(body, at)
        if bold and not body.strip():
            bold = False
        out.append((text, offs, False, bold and bool(text), False))
    return out


def _grid_regions(lines) -> list[tuple[int, int]]:
    """Tables exported with one `|` per line between cells and `|` `|` between rows.

    A region is a cluster of lone-pipe lines, none more than `max_cell_lines` apart nor
    separated by a blank line, that contains at least one row break (two lone pipes in a row).
    """
    max_gap = lexicon("normalize")["max_cell_lines"]
    pipes = [i for i, line in enumerate(lines) if line[2]]
    regions, cluster = [], []
    for i in pipes:
        # a cell never spans a blank line
        # nor an appendix heading: a blank line or "PHỤ LỤC" between two pipes ends the table
        if cluster and (i - cluster[-1] > max_gap or any(
                (not text and not markup_only) or _APPENDIX_LINE.match(text)
                for text, _, _, _, markup_only in lines[cluster[-1] + 1:i])):
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


_ELISION = regex.compile(r"^[.…·\s]{3,}$")


def _grid_rows(lines, first: int, last: int) -> list[tuple[str, Runs]]:
    """Rows of a lone-pipe table as markdown rows `| cell | cell |` with offsets."""
    rows, cells = [], []
    cell_text: list[str] = []
    cell_offs: list[Runs] = []
    row_pipe = lines[first][1][0][0]

    def close_row():
        nonlocal cells
        if cells:
            # "|" at the row's pipe, " " at the character before, " |" both at the cell's closing pipe
            text, offs = ["|"], [(row_pipe, 1)]
            for ct, co, pipe_at in cells:
                text.append(" ")
                offs.append((_last(offs), 1))
                text.append(ct)
                offs.extend(co)
                text.append(" |")
                offs += ((pipe_at, 1), (pipe_at, 1))
            rows.append(("".join(text), offs))
        cells = []

    for i in range(first + 1, last + 1):
        text, offs, lone = lines[i][:3]
        if lone:
            if cell_text and _ELISION.match(" ".join(cell_text)):
                # "….........." between two pipes: rows the export left out, a row break
                cell_text, cell_offs = [], []
                close_row()
                row_pipe = offs[0][0]
            elif cell_text:
                cells.append((" ".join(cell_text), _join_offs(cell_offs), offs[0][0]))
                cell_text, cell_offs = [], []
            elif lines[i - 1][2]:
                close_row()
                row_pipe = offs[0][0]
            continue
        if text and not _is_debris(text):
            cell_text.append(text)
            cell_offs.append(offs)
    close_row()
    return rows


def _join_offs(offs: list[Runs]) -> Runs:
    """Offsets of pieces joined with a space, the space at the raw offset after the piece before."""
    out: Runs = []
    for k, o in enumerate(offs):
        if k:
            out.append((_last(out) + 1, 1))
        out.extend(o)
    return out


def _blank_breaks(lines, grids: dict[int, int]) -> bool:
    """The document ends its paragraphs with blank lines: there are blank lines for at least a
    tenth of its lines of text outside tables (page breaks alone leave far fewer)."""
    blank = text = 0
    i = 0
    while i < len(lines):
        if i in grids:
            i = grids[i] + 1
            continue
        line, _, lone, _, markup_only = lines[i]
        if not lone and not markup_only:
            if not line:
                blank += 1
            elif line[0] != "|":
                text += 1
        i += 1
    return blank >= lexicon("normalize")["blank_break_fraction"] * text


def normalize(doc: Document) -> Document:
    lines = _lines(doc.raw)
    width = wrap_width(lines)
    grids = {first: last for first, last in _grid_regions(lines)}
    blank_breaks = _blank_breaks(lines, grids)
    paragraphs: list[tuple[str, Runs]] = []
    cur_text: list[str] = []
    cur_offs: Runs = []
    last_line = ""
    bold_continues = False

    def flush():
        # called only with a paragraph open: without one the state is reset already
        nonlocal cur_text, cur_offs, last_line, bold_continues
        paragraphs.append(("".join(cur_text), cur_offs))
        cur_text, cur_offs, last_line, bold_continues = [], [], "", False

    i = 0
    n_lines = len(lines)
    while i < n_lines:
        if i in grids:
            if cur_text:
                flush()
            paragraphs.extend(_grid_rows(lines, i, grids[i]))
            i = grids[i] + 1
            continue
        text, offs, lone, bold_open, markup_only = lines[i]
        i += 1
        if markup_only:
            continue
        if lone or not text or _is_debris(text):
            if cur_text:
                flush()
            continue
        is_table = text[0] == "|" and text[-1] == "|" and text.count("|") >= 3
        if is_table:
            if cur_text:
                flush()
            paragraphs.append((text, offs))
            continue
        if cur_text and (bold_continues or should_join(last_line, text, width, len(cur_text) == 1, blank_breaks)):
            # the joining space stands at the raw offset after the line before (its line break),
            # so it extends the last run
            cur_text.append(" ")
            cur_text.append(text)
            r, n = cur_offs[-1]
            cur_offs[-1] = (r, n + 1)
            cur_offs.extend(offs)
        else:
            if cur_text:
                flush()
            cur_text, cur_offs = [text], list(offs)
        last_line = text
        bold_continues = bold_open
    if cur_text:
        flush()

    # one "\n" between paragraphs, at the raw offset after the paragraph before: it extends
    # the last run. Runs are stored by the text position they start at.
    starts: list[int] = []
    raws: list[int] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for text, offs in paragraphs:
        if spans:
            pos += 1
        spans.append((pos, pos + len(text)))
        for r, n in offs:
            if not starts or r != raws[-1] + pos - starts[-1]:
                starts.append(pos)
                raws.append(r)
            pos += n
    # one past the end maps to the end of raw
    if not starts or len(doc.raw) != raws[-1] + pos - starts[-1]:
        starts.append(pos)
        raws.append(len(doc.raw))
    doc.text = "\n".join(text for text, _ in paragraphs)
    doc.offsets = OffsetMap(starts, raws, pos + 1)
    doc.paragraphs = spans
    return doc

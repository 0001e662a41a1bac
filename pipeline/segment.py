"""Stage 3, segment: the heading tree and the canonical kind of each section.

Every numbered/lettered item opening a paragraph becomes a `Heading` (any depth: the
extractors use them as blocks and for inherited context such as a target year). The
`sections` table lists the real headings (title lines) at depth 1-2, and the appendices.
"""
from __future__ import annotations

import re
from functools import lru_cache

import regex

from .document import Document, Heading, Section
from .lexicon import lexicon

_ROMAN_OK = regex.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_PATTERNS = [
    ("roman", regex.compile(r"^(?P<num>[IVXLC]{1,6})\s*[.\-–:)]\s*(?P<title>.*)$")),
    ("dotted", regex.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2})+)\.?\s+(?P<title>\S.*)$")),
    ("arabic", regex.compile(r"^(?P<num>\d{1,2})\s*[.)](?![\d,])\s*(?P<title>.*)$")),
    ("letter", regex.compile(r"^(?P<num>[a-zđ])\s*\)\s*(?P<title>.*)$")),
]
# an appendix label as printed: all capitals or capitalized ("PHỤ LỤC", "Mẫu biểu"), longest first
_APPENDIX_LABELS = sorted(lexicon("sections")["appendix_labels"], key=len, reverse=True)
_APPENDIX = regex.compile(
    r"^(?P<label>" + "|".join(regex.escape(form).replace(r"\ ", r"\s*") for label in _APPENDIX_LABELS
                              for form in (label.upper(), label[:1].upper() + label[1:]))
    + r")(?:\s+SỐ|\s+số)?\s*(?P<num>[0-9]{1,2}[a-z]?|[IVX]{1,5})?\s*[:.\-–]?\s*(?P<title>.*)$")
_ATTACHED_NOTE = regex.compile(r"^\(?\s*(?:ban hành\s+)?kèm theo", regex.I)
_ATTACHED_TAIL = regex.compile(r"\s*\(\s*(?:ban hành\s+)?kèm theo.*$", regex.I)
_SIGNATURE = regex.compile(r"^(?:Nơi nhận|KT\.?\s|TM\.?\s|T/M|TUQ\.?\s|Q\.\s)", regex.I)
_TRAILING_PUNCT = regex.compile(r"[\s:.]+$")
# First characters the patterns above can match (most paragraphs open with another letter and
# skip the matching): headings open with [IVXLC], [a-zđ] or a digit (any non-letter is tried),
# appendices with a label's first letter, signatures (case-insensitive) with N/K/T/Q or the Kelvin sign K.
_HEADING_LETTERS = frozenset("IVXLCabcdefghijklmnopqrstuvwxyzđ")
_APPENDIX_FIRST = frozenset(label[:1].upper() for label in _APPENDIX_LABELS)
_SIGNATURE_FIRST = frozenset("NnKkTtQq\u212a")
_ANY_FIRST = _HEADING_LETTERS | _APPENDIX_FIRST | _SIGNATURE_FIRST
# table rows, bullets and brackets open none of them (a third of all paragraphs are "- " items)
_NONE_FIRST = frozenset("|-+([•–")


def is_title_line(title: str) -> bool:
    """A heading's title is a line of its own, not a numbered sentence or a task paragraph."""
    title = title.strip()
    if not title:
        return False
    words = title.split(None, 61)    # counts up to 62 words: enough for the tests below
    if len(words) > 60 or title.endswith(";"):
        return False
    if ":" in title[:-1] and len(title.split(":", 1)[1].split(None, 3)) >= 3:
        return False
    if title.endswith(".") and len(words) > 12:
        return False
    if title.endswith(":") and len(words) > 6 and _lead_in_cue_re().search(title, 1):
        return False
    return True


@lru_cache(maxsize=1)
def _lead_in_cue_re() -> regex.Pattern:
    """A lead-in cue as a verb of the sentence: printed in lower case and not opening the title
    (a capitalized one is part of a name, "Sở Giao thông vận tải"; an opening one addresses the
    bodies that follow, "Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và ...:")."""
    cues = sorted(lexicon("sections")["lead_in_cues"], key=len, reverse=True)
    return regex.compile(r"(?<![\p{L}\d])(?:" + "|".join(map(regex.escape, cues)) + r")(?![\p{L}\d])")


@lru_cache(maxsize=1)
def _kind_cues() -> tuple[re.Pattern, dict[str, str]]:
    """All kind cues as one pattern, in the lexicon's order, and the kind of each cue (the first
    kind listing it). The leftmost match is the earliest cue and, of cues starting there, the
    first listed: what a loop over the cues keeping the smallest position finds."""
    kind_of: dict[str, str] = {}
    for kind, cues in lexicon("sections")["kind_cues"].items():
        for cue in cues:
            kind_of.setdefault(cue, kind)
    return re.compile("|".join(re.escape(cue) for cue in kind_of)), kind_of


def section_kind(heading: str, parent_kind: str | None = None) -> str:
    """Kind of the earliest cue in the heading. A sub-heading takes a cue only when it opens the
    heading ("Mục tiêu cụ thể", "Về nhiệm vụ ..."); otherwise it inherits its parent's kind."""
    data = lexicon("sections")
    low = heading.casefold()
    best, best_pos = _earliest_cue(low)
    if parent_kind and best_pos > data["subheading_cue_window"]:
        best = None
    if best or parent_kind:
        return best or parent_kind
    if low.startswith(tuple(data["body_heading_prefixes"])):
        return data["body_heading_kind"]
    return "other"


def opens_with_kind_cue(heading: str) -> bool:
    """The heading opens with a kind cue (a sub-heading's own kind, not its parent's)."""
    return _earliest_cue(heading.casefold())[1] <= lexicon("sections")["subheading_cue_window"]


def _earliest_cue(low: str) -> tuple[str | None, int]:
    """Kind and position of the earliest kind cue in a casefolded heading (None, past the end) if none."""
    cues_re, kind_of = _kind_cues()
    m = cues_re.search(low)
    return (kind_of[m.group()], m.start()) if m else (None, len(low) + 1)


# which patterns can match, by the first character: [IVXLC] only roman, [a-zđ] only letter, others
# (digits, bullets) only the numeric styles; the order of _PATTERNS is kept
_ROMAN_FIRST = frozenset("IVXLC")
_BY_FIRST = {"roman": [p for p in _PATTERNS if p[0] == "roman"],
             "letter": [p for p in _PATTERNS if p[0] == "letter"],
             "other": [p for p in _PATTERNS if p[0] in ("dotted", "arabic")]}


def _match_heading(line: str):
    first = line[:1]
    kind = "roman" if first in _ROMAN_FIRST else "letter" if first in _HEADING_LETTERS else "other"
    for style, pattern in _BY_FIRST[kind]:
        m = pattern.match(line)
        if not m:
            continue
        if style == "roman" and not _ROMAN_OK.match(m["num"]):
            continue
        if style == "arabic" and not m["title"].strip():
            continue
        return style, m["num"], m["title"].strip()
    return None


def segment(doc: Document) -> Document:
    text = doc.text
    headings: list[Heading] = []
    stack: list[Heading] = []           # open headings, outermost first
    in_appendix = False
    signature_at = None
    paras = doc.paragraphs

    for i, (a, b) in enumerate(paras):
        first = text[a] if a < b else ""
        if first in _NONE_FIRST or (first.isalpha() and first not in _ANY_FIRST):
            continue
        line = text[a:b]
        ma = _APPENDIX.match(line) if first in _APPENDIX_FIRST else None
        if ma and (ma["num"] or not ma["title"]) and len(ma["title"].split(None, 26)) <= 25 and not ma["title"][:1].islower():
            title = ma["title"].strip()
            if not title or _ATTACHED_NOTE.match(title):
                # the appendix title is the next paragraph that is not the "kèm theo" note
                for a2, b2 in paras[i + 1:i + 4]:
                    cand = text[a2:b2]
                    if cand.startswith("|") or _ATTACHED_NOTE.match(cand):
                        continue
                    title = cand
                    break
            title = _ATTACHED_TAIL.sub("", title)
            printed = " ".join(ma["label"].casefold().split())
            label = next((x for x in _APPENDIX_LABELS if printed in (x, x.replace(" ", ""))), printed)
            label = label[:1].upper() + label[1:]
            number = f"{label} {ma['num']}" if ma["num"] else label
            h = Heading(number=number, style="appendix", depth=1, title=title, is_title_line=True,
                        start=a, end=len(text), para_end=b)
            for open_h in stack:   # headings off the stack were closed before `a` already
                open_h.end = min(open_h.end, a)
            stack = [h]
            headings.append(h)
            in_appendix = True
            continue
        if signature_at is None and not in_appendix and headings and first in _SIGNATURE_FIRST \
                and _SIGNATURE.match(line):
            signature_at = a
        if first.isalpha() and first not in _HEADING_LETTERS:
            continue
        found = _match_heading(line)
        if not found:
            continue
        style, number, title = found
        # pop to the sibling of the same style, or nest as a child
        depth_of = [h.style for h in stack]
        if style in depth_of:
            idx = depth_of.index(style)
            for closed in stack[idx:]:
                closed.end = a
            stack = stack[:idx]
        elif in_appendix and stack and stack[0].style == "appendix" and len(stack) == 1:
            pass
        h = Heading(number=number, style=style, depth=len(stack) + 1, title=title,
                    is_title_line=is_title_line(title), start=a, end=len(text), para_end=b)
        stack.append(h)
        headings.append(h)

    _sentence_siblings(headings)
    _promote_titles_with_children(doc, headings)
    if signature_at is not None:
        for h in headings:
            if h.style != "appendix" and h.end > signature_at:
                h.end = signature_at
    doc.headings = headings
    doc.sections = _sections(doc, headings)
    return doc


def _sentence_siblings(headings: list[Heading]) -> None:
    """Siblings are alike: when one numbered item is a sentence, so are its siblings that end with '.'."""
    groups: dict[tuple, list[Heading]] = {}
    parents: list[Heading] = []
    for h in headings:
        while parents and not (parents[-1].start <= h.start < parents[-1].end and parents[-1].depth < h.depth):
            parents.pop()
        key = (id(parents[-1]) if parents else None, h.style)
        groups.setdefault(key, []).append(h)
        parents.append(h)
    for group in groups.values():
        if any(not h.is_title_line and h.title.endswith(".") for h in group):
            for h in group:
                if h.title.endswith("."):
                    h.is_title_line = False


def _promote_titles_with_children(doc: Document, headings: list[Heading]) -> None:
    """A short numbered sentence directly followed by its own sub-items is a heading ("2. Tiếp tục
    hoàn thiện cơ chế, chính sách." then "2.1. ...")."""
    for h, nxt in zip(headings, headings[1:]):
        if h.is_title_line or not h.title.endswith(".") or len(h.title.split(None, 41)) > 40:
            continue
        if nxt.depth > h.depth and doc.text[h.para_end:nxt.start].strip() == "":
            h.is_title_line = True


def _sections(doc: Document, headings: list[Heading]) -> list[Section]:
    sections: list[Section] = []
    open_by_depth: dict[int, Section] = {}
    # appendices run to the next appendix or the end, so one start bounds them all
    appendix_from = next((h.start for h in headings if h.style == "appendix"), len(doc.text))
    for h in headings:
        if h.style == "appendix":
            level = 1
        elif h.depth <= 2 and h.is_title_line and h.start < appendix_from:
            level = h.depth
        else:
            continue
        if level == 2 and 1 not in open_by_depth:
            continue
        parent = open_by_depth.get(1) if level == 2 else None
        if parent is not None and not (parent.start <= h.start < parent.end):
            parent = None
            if level == 2:
                continue
        heading_text = _TRAILING_PUNCT.sub("", h.title) if h.style != "appendix" else h.title
        s = Section(
            section_id=f"S{len(sections) + 1}",
            parent_id=parent.section_id if parent else None,
            number=h.number,
            level=level,
            heading=heading_text,
            kind="phu_luc" if h.style == "appendix" else section_kind(h.title, parent.kind if parent else None),
            start=h.start,
            end=h.end,
        )
        sections.append(s)
        open_by_depth[level] = s
        if level == 1:
            open_by_depth.pop(2, None)
    return sections

"""Assignments: who must do what, in which role (chu_tri, phoi_hop, thuc_hien).

How a plan states responsibility, and what this reads from it:
- a task item opens with the bodies responsible: "2.1. Sở X chủ trì, phối hợp với Sở Y ...",
  "a) Sở Nội vụ:", "- Liên minh HTX tỉnh: ...", "Đề nghị Ủy ban MTTQ tỉnh và ...", or after a
  fronted clause ("Căn cứ nội dung Kế hoạch, các sở, ban, ngành ..."). The row's evidence is the
  item: the heading's block (up to a closing paragraph addressed to all: "Trên đây là ..."), a
  lead-in paragraph ending in ':' with the bullets under it, or the paragraph; bullets under it
  inherit its bodies. Under a heading of eligible units, criteria or awards only a sentence
  naming its doers and their task is read.
- roles: "chủ trì" (also "chịu trách nhiệm chính", "làm đầu mối") makes the subject lead and
  the bodies after "phối hợp (với)" coordinate, for the rest of the sentence; "A phối hợp với B"
  with B a named body makes B lead and A coordinate on that clause; a sole named body leads;
  several bodies and no lead each implement (thuc_hien). A heading body whose tasks all
  assist a named lead gets no lead row of its own; when it steers others ("Chỉ đạo các ngân hàng
  ... phối hợp với Sở Y tế") the steered ones, not it, coordinate.
- task tables: "Cơ quan chủ trì" / "Cơ quan phối hợp" / "Đơn vị thực hiện" columns.
Bodies that only receive reports or advice, authors of cited documents and objects of a task
are never the subject of an item nor after "phối hợp", so they are not read; central
ministries and the issuing committee are dropped; vague groups continue a list but give no row.
"""
from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterator

import regex

from extractors.agencies import (Mention, find_mentions, fold, one_space, positions, record_use,
                                 resolve_names, table_mentions, unified_text)
from pipeline.document import Document, Enclosing, Heading
from pipeline.lexicon import lexicon
from pipeline.rows import AssignmentRow

MAX_SPAN = 1900          # evidence longer than this is cut at paragraph boundaries
# patterns used with .match(text, pos) carry no "^": it would only match at the string start


def _data() -> dict:
    return lexicon("agencies")


def _alt(words) -> str:
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


_CUES = _data()["cues"]
_LABEL = regex.compile(r"\s*(?:\d+(?:\.\d+)+\.?\s*(?=\p{L})|(?:[IVXLC]+|\d+|[a-zđ])\s*[.)\-–/]\s*|\(?\d+\)\s*|[-+•*–]\s*)+")
_TITLES = _alt(_CUES["titles"])             # "thủ trưởng các sở", "Chủ tịch UBND ..." name the body
_UNIT_OF = _CUES["unit_of"]                  # "các đơn vị chức năng của <body>" is the body
_FILLER = regex.compile(rf"^[\s,]*(?:(?:{_TITLES})\s+)*(?:các\s+)?(?:(?:{_alt(_UNIT_OF['units'])})\s+"
                        rf"(?:{_alt(_UNIT_OF['kinds'])})\s+(?:{_alt(_UNIT_OF['of'])})\s+)?$", regex.I)
_SEP = regex.compile(rf"^\s*(?:(?:[,;/]|{_alt(_CUES['separators'])}|\(|\))\s*)*(?:(?:{_TITLES})\s+)?(?:các\s+)?$", regex.I)
_OF = regex.compile(rf"^\s*(?:{_alt(_UNIT_OF['of'])})\s+$")
_ADVERBS = _alt(_CUES["adverbs"])
_LEAD = regex.compile(r"(?<!\p{L})(?:" + _alt(_CUES["lead"]) + r")(?!\p{L})", regex.I)
_LEAD_AFTER = regex.compile(rf"[\s,:]*(?:(?:{_ADVERBS})\s+)*(?:{_alt(_CUES['lead'])})(?!\p{{L}})", regex.I)
_MANNER = _alt(_CUES["coordinate_manner"])
_COORD = regex.compile(rf"(?<!\p{{L}})(?:phối hợp(?:\s+(?:{_MANNER}))?(?:\s*,\s*(?:{_MANNER}))?"
                       rf"(?:\s+(?:{_alt(_CUES['coordinate_with'])}))?|cùng với)(?!\p{{L}})", regex.I)
_COORD_AFTER = regex.compile(rf"[\s,:]*(?:(?:{_ADVERBS})\s*,?\s*)*(?:{_alt(_CUES['coordinate_words'])})(?!\p{{L}})", regex.I)
_BETWEEN = regex.compile(rf"(?<!\p{{L}})(?:{_alt(_CUES['joint']['verbs'])})(?:\s+liên tịch)?\s+{_CUES['joint']['between']}(?!\p{{L}})",
                         regex.I)
_PAST = regex.compile(rf"\s*(?:cũng\s+)?(?:{_alt(_CUES['past'])})(?!\p{{L}})", regex.I)
_BRACKET_ROLE = regex.compile(r"\s*\((?:cơ quan\s+|đơn vị\s+)?(chủ trì|phối hợp)\)", regex.I)
_DIRECTIVE = regex.compile(r"(?<!\p{L})(?:" + _alt(_CUES["directive"]) + r")(?!\p{L})", regex.I)
_FRONTED = regex.compile(r"\s*(?:" + _alt(_CUES["fronted"]) + r")(?!\p{L})", regex.I)
FRONTED_SPAN = 250       # a fronted clause ends within this many characters
_LABEL_LEAD = regex.compile(r"\s*(?:" + _alt(_CUES["label_lead"]) + r")\s*:", regex.I)
_LABEL_COORD = regex.compile(r"\s*(?:" + _alt(_CUES["label_coordinate"]) + r")\s*:", regex.I)
_LABEL_DOERS = regex.compile(r"\s*(?:" + _alt(_CUES["label_doers"]) + r")\s*:", regex.I)
_CLAUSE_END = regex.compile(r";|:(?=\s)|\.(?=\s+\p{Lu})|\n")
_SENT_END = regex.compile(r"\.(?=\s+\p{Lu})|\n")
_LEADIN_WORDS = ("Kính gửi", "Nơi nhận")
_SKIP_LEADIN = regex.compile(r"\s*(?:" + "|".join(_LEADIN_WORDS) + r")\b", regex.I)
_LEADIN_FIRST = {w[0].lower() for w in _LEADIN_WORDS}   # a line it matches starts so, lower-cased
_SKIP_START = tuple(_data()["skip_paragraph_starts"])
_PREAMBLE_START = tuple(_data()["preamble_starts"])
_PURPOSE = regex.compile(r"(?:" + _alt(_data()["purpose_cues"]) + r")", regex.I)
_STEER = regex.compile(r"(?<!\p{L})(?:" + _alt(_CUES["steer"]) + r")(?!\p{L})", regex.I)
_STEER_OBJECT = regex.compile(rf"[\s,]*(?:(?:{_alt(_CUES['adverbs'])})\s+)*(?:(?:{_alt(_CUES['steer_objects'])})(?!\p{{L}})|(?-i:\p{{Lu}}))",
                           regex.I)
_OTHER_SUBJECT = regex.compile(r"(?:" + _alt(_CUES["other_subject_starts"]) + r")\s+\p{Ll}", regex.I)
_DETERMINER_WORD = regex.compile(r"^\s*(?:các|những)\s+", regex.I)
_TABLE_LEAD = ("chủ trì",)
_TABLE_COORD = ("phối hợp",)
_TABLE_DOERS = tuple(_CUES["label_doers"]) + ("trách nhiệm",)
_TABLE_TASK = tuple(_CUES["task_columns"])


@dataclass
class Scope:
    start: int
    end: int
    subjects: list[Mention]
    role: str
    depth: int
    outs: list = field(default_factory=list)   # the block's own rows for its subjects
    acts: int = 0       # clauses its subjects do themselves
    assists: int = 0    # clauses where they only coordinate with a named lead


@dataclass
class Out:
    mention: Mention
    index: int
    role: str
    start: int
    end: int
    task: str = ""


@dataclass
class Parsed:
    subjects: list[Mention] = field(default_factory=list)
    lead: bool = False
    coord_first: bool = False            # subject directly followed by "phối hợp"
    partners: list[tuple[int, list[Mention], bool]] = field(default_factory=list)  # (cue pos, run, lead before cue)
    joint: list[Mention] = field(default_factory=list)   # "phối hợp liên tịch giữa A với B": all implement
    label: str | None = None
    task_start: int = 0


# --- mention runs ----------------------------------------------------------------------------
_WORD = regex.compile(r"\p{L}+")


def _words_over(text: str, a: int, b: int, n: int) -> bool:
    """More than n words in text[a:b] (read up to the (n+1)th, not all)."""
    for k, _ in enumerate(_WORD.finditer(text, a, b)):
        if k == n:
            return True
    return False
_TASK_LEAD = regex.compile(rf"^[\s,:;.\-–+]*(?:(?:{_alt(_CUES['task_lead_words'])})[\s,:]*)*", regex.I)
_PAREN = regex.compile(r"\([^()\n]*\)")
_NOT_UPPER_LETTER = regex.compile(r"[\p{L}--\p{Lu}]", regex.V1)
# lower-case words one of which every match of a pattern contains: the pattern runs only where one is
def _cue_words(words) -> list[str]:
    """The words lower-cased, without those containing another one (which is found in them)."""
    low = {w.lower() for w in words}
    return sorted(w for w in low if not any(v != w and v in w for v in low))


_LEAD_WORDS = _cue_words(_CUES["lead"])
_DIRECTIVE_WORDS = _cue_words(_CUES["directive"])
_COORD_WORDS = _cue_words(_CUES["coordinate_words"])
_BETWEEN_WORDS = _cue_words(_CUES["joint"]["verbs"])
_LOWER: tuple = (None, None, {})   # text, text.lower() and the cue positions of the last document read


def _low(text: str, shared: tuple | None = None) -> tuple:
    """(text, text.lower(), cue cache), once per document; the lower text is None if a letter's
    lower case changes the length. One tuple, so threads reading other documents stay correct.
    `shared`: the same tuple find_mentions made for this text (not lower-cased twice)."""
    global _LOWER
    got = _LOWER
    if got[0] is not text:
        if shared is not None and shared[0] is text:
            got = _LOWER = shared
        else:
            low = text.lower()
            got = _LOWER = (text, low if len(low) == len(text) else None, {})
    return got


def _has(lc: tuple, words: list[str], a: int, b: int) -> bool:
    """One of `words` lies in the lower-case text [a:b] (always True without one)."""
    low = lc[1]
    if low is None:
        return True
    found = lc[2].get(id(words))
    if found is None:
        occ = sorted((i, i + len(w)) for w in words for i in positions(low, w, lc[2]))
        ends = [e for _, e in occ]
        for k in range(len(ends) - 2, -1, -1):   # the least end of the occurrences from k on
            ends[k] = min(ends[k], ends[k + 1])
        found = lc[2][id(words)] = ([x for x, _ in occ], ends)
    starts, ends = found
    k = bisect.bisect_left(starts, a)
    return k < len(starts) and ends[k] <= b


def _parens(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Bracket spans in text[a:b], not nested; one left open runs to `b`."""
    out = []
    e = min(b, len(text))
    i = a
    while (o := text.find("(", i, e)) >= 0:
        c = text.find(")", o + 1, e)
        if c < 0:
            out.append((o, b))
            break
        out.append((o, c))
        i = c + 1
    return out


def _all_caps(line: str) -> bool:
    """Every letter is a capital (a title line)."""
    x = _NOT_UPPER_LETTER.search(line)
    if x and x.group().isalpha() and not x.group().isupper():
        return False   # the usual case, found without a loop over every character
    letters = [ch for ch in line if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


@dataclass
class _Mentions:
    """The document's mentions in text order, with their starts for binary search."""
    items: list[Mention]
    starts: list[int]


def _run(text: str, mentions: _Mentions, pos: int, end: int, first_gap=_FILLER) -> list[Mention]:
    """The list of mentions starting at `pos` (only filler before the first), joined by separators."""
    run: list[Mention] = []
    cur = pos
    items = mentions.items
    for k in range(bisect.bisect_left(mentions.starts, pos), len(items)):
        m = items[k]
        if m.start < cur:
            continue
        if m.start >= end:
            break
        gap = text[cur:m.start]
        if "(" in gap:   # (no bracket before the mention: it is in none)
            if any(x < m.start < y for x, y in _parens(text, cur, m.start + 1)):
                continue   # "Sở Nội vụ (Ban Thi đua - Khen thưởng)": the unit in brackets is part of the body before
            gap = _PAREN.sub(" ", gap)
        rx = first_gap if not run else _SEP
        if run and run[-1].kind == "vague" and _OF.match(gap):
            # "các đơn vị chức năng của Liên minh HTX Việt Nam": the body itself
            run.pop()
        elif not rx.match(gap):
            break
        run.append(m)
        cur = m.end
    return run


def _named(run: list[Mention]) -> list[tuple[Mention, int]]:
    """(mention, name index) of the bodies a run names: drops vague, central, issuer; 'địa phương'
    only beside departments."""
    has_dept = None   # (read only when the run has a 'local')
    out = []
    seen = set()
    for m in run:
        if m.kind in ("vague", "central", "issuer"):
            continue
        if m.kind == "local":
            if has_dept is None:
                has_dept = any(x.kind in ("group", "body") and any(n.startswith("Sở") for n in x.names) for x in run)
            if not has_dept:
                continue
        for i, n in enumerate(m.names):
            key = fold(n)
            if key in seen:
                continue
            seen.add(key)
            out.append((m, i))
    return out


def _businesses(run: list[Mention], addressed: bool) -> list[Mention]:
    """Businesses stay in a run only when the item is addressed to a named kind of them
    ("7. Các doanh nghiệp hoạt động trong lĩnh vực ...:"), never as bare "doanh nghiệp" partners."""
    return [m for m in run if m.kind != "business"
            or (addressed and _DETERMINER_WORD.sub("", m.printed).strip().casefold() != "doanh nghiệp")]


def _parse(text: str, a: int, b: int, ms: _Mentions, run_limit: int | None = None, addressed: bool = False) -> Parsed:
    """Subject and partners of one clause text[a:b]; a list of bodies may run on to `run_limit`
    ("Các Sở, ban, ngành cấp tỉnh; Ủy ban nhân dân các huyện ..."). `addressed`: the clause opens
    a heading, so businesses it names are its doers."""
    p = Parsed(task_start=a)
    lc = _low(text)   # the cue gates below
    m = _LABEL.match(text, a, b)
    pos = m.end() if m else a
    labels = ((_LABEL_LEAD, "lead"), (_LABEL_COORD, "coord"), (_LABEL_DOERS, "doers"))
    for rx, name in (labels if text.find(":", pos, b) >= 0 else ()):   # a label ends in ':'
        lm = rx.match(text, pos, b)
        if lm:
            p.label = name
            p.subjects = _run(text, ms, lm.end(), b)
            return p
    limit = max(b, run_limit or b)
    k = bisect.bisect_left(ms.starts, pos)
    if k == len(ms.starts) or ms.starts[k] >= limit:
        return p   # no mention from here to the limit: every list of bodies below would be empty
    run = _businesses(_run(text, ms, pos, limit), addressed)
    named = _named(run) if run else []
    if not named:
        d = _DIRECTIVE.search(text, pos, b) if _has(lc, _DIRECTIVE_WORDS, pos, b) else None
        if d and d.start() - pos < 160 and not (_has(lc, _COORD_WORDS, pos, d.start())
                                                and _COORD.search(text, pos, d.start())):
            run = _run(text, ms, d.end(), limit)
            named = _named(run) if run else []
    if not named and _FRONTED.match(text, pos, b):
        # (a business after the clause is not the item's addressee: "..., Hội đồng thi đua họp xét
        # các xã, phường, các tổ chức cung cấp dịch vụ")
        run = _businesses(_after_fronted(text, ms, pos, b, limit), False)
        named = _named(run) if run else []
    if named and _PAST.match(text, run[-1].end, b):
        return p   # "Sở Y tế đã phối hợp ...": a result, not a task
    if named:
        p.subjects = run
        after = run[-1].end
        p.task_start = after
        if _LEAD_AFTER.match(text, after, b):
            p.lead = True
        elif _COORD_AFTER.match(text, after, b):
            p.coord_first = True
    # where a lead cue follows the subjects: read only when it matters (subjects, or partners found)
    lead_at: int | None | bool = False
    if p.subjects and not p.coord_first:
        lead_at = _lead_at(text, lc, p.task_start, b)
        if lead_at is not None:
            p.lead = True
    j = _BETWEEN.search(text, pos, b) if _has(lc, _BETWEEN_WORDS, pos, b) else None
    if j:
        p.joint = _run(text, ms, j.end(), b)
    c_from = p.task_start if p.subjects else pos
    for c in (_COORD.finditer(text, c_from, b) if _has(lc, _COORD_WORDS, c_from, b) else ()):
        if j and c.start() == j.start():
            continue
        run = _businesses(_run(text, ms, c.end(), limit), False)
        if run:
            if lead_at is False:
                lead_at = _lead_at(text, lc, p.task_start, b)
            p.partners.append((c.start(), run, lead_at is not None and lead_at < c.start()))
    return p


def _after_fronted(text: str, ms: _Mentions, pos: int, b: int, limit: int) -> list[Mention]:
    """The bodies that follow a fronted clause ("Căn cứ nội dung Kế hoạch, các sở, ban, ngành ...
    xây dựng"): the first list of bodies opening right after one of its commas and followed by a
    task. Bodies cited inside the clause ("Căn cứ hướng dẫn của Sở Y tế") open after no comma."""
    end = min(b, pos + FRONTED_SPAN)
    comma = text.find(",", pos, end)
    while comma >= 0:
        run = _run(text, ms, comma + 1, limit)
        if run and _named(run) and _words_over(text, run[-1].end, b, 1):
            return run
        comma = text.find(",", comma + 1, end)
    return []


def _lead_at(text: str, lc: tuple, a: int, b: int) -> int | None:
    """Offset of the first lead cue ("chủ trì", ...) in text[a:b], if any."""
    m = _LEAD.search(text, a, b) if _has(lc, _LEAD_WORDS, a, b) else None
    return m.start() if m else None


# --- paragraphs and scopes -------------------------------------------------------------------
def _marker(line: str) -> int:
    """Rank of a bullet: 1 for '-', 2 for '+', 3 for '•'/'*', 0 for none."""
    s = line.lstrip()
    if s[:1] in "-–":
        return 1
    if s[:1] == "+":
        return 2
    if s[:1] in "•*":
        return 3
    return 0


_TASK_HEADING = regex.compile(r"(?:" + _alt(_data()["task_heading_cues"]) + r")", regex.I)
_CLOSING = regex.compile(r"\s*(?:" + _alt(_data()["closing_starts"]) + r")(?!\p{L})", regex.I)
_NOT_TASK = regex.compile(rf"\s*(?:[,;:]|(?:{_alt(_CUES['separators'] + _data()['qualifier_starts'])})(?!\p{{L}}))", regex.I)
_SKIP_HEADINGS = regex.compile(r"(?:" + _alt(lexicon("sections")["no_task_heading_cues"]) + r")", regex.I)


class _Sweep:
    """The enclosing items of the paragraph starts asked for (`Enclosing`), each computed once."""

    def __init__(self, items: list, starts: set[int]):
        self.enclosing = Enclosing(items)
        self.starts = starts
        self.memo: dict[int, list] = {}

    def get(self, pos: int) -> list | None:
        got = self.memo.get(pos)
        if got is not None or pos not in self.starts:
            return got
        got = self.memo[pos] = self.enclosing.at(pos)
        return got


class _Structure:
    """Enclosing headings and section of the paragraph starts read, computed once."""

    def __init__(self, doc: Document):
        starts = {a for a, _ in doc.paragraphs}
        self.headings = _Sweep(doc.headings, starts)
        self.sections = _Sweep(doc.sections, starts)
        self.skip_heading: dict[int, bool] = {}   # id(heading) -> it lists no tasks (see _allowed)
        self.kinds: dict[int, str | None] = {}    # id(section) -> its kind (see section_kind)
        self.closings: list[int] = []             # starts of closing paragraphs (see _closing_paragraphs)

    def block_end(self, h: Heading) -> int:
        """End of a heading's block, before a closing paragraph it would otherwise swallow."""
        k = bisect.bisect_right(self.closings, h.start)
        return min(h.end, self.closings[k]) if k < len(self.closings) else h.end

    def enclosing(self, doc: Document, pos: int) -> list[Heading]:
        got = self.headings.get(pos)
        return got if got is not None else doc.enclosing_headings(pos)

    def section_kind(self, doc: Document, pos: int) -> str | None:
        """Kind of the innermost section; a heading that also names tasks ("MỤC TIÊU, NHIỆM VỤ")
        counts as a task section."""
        got = self.sections.get(pos)
        if got is None:
            sec = doc.section_at(pos)
            got = [sec] if sec else []
        if not got:
            return None
        sec = got[-1]
        kind = self.kinds.get(id(sec), False)
        if kind is False:
            kind = self.kinds[id(sec)] = ("nhiem_vu_giai_phap" if _TASK_HEADING.search(sec.heading or "")
                                          else sec.kind)
        return kind


def _allowed(doc: Document, a: int, st: _Structure) -> bool:
    """Not in a section of principles, purposes, objectives, background."""
    return st.section_kind(doc, a) not in _data()["skip_section_kinds"]


def _under_criteria(doc: Document, a: int, st: _Structure) -> bool:
    """Under a heading listing who is eligible, criteria or awards ("Đối tượng thi đua", "Tiêu
    chuẩn", "Số lượng khen thưởng"): there only a sentence stating its doers' task is read."""
    for h in st.enclosing(doc, a):
        if h.start < a:
            skip = st.skip_heading.get(id(h))
            if skip is None:
                title = h.title.strip(" *:")
                skip = st.skip_heading[id(h)] = bool(h.is_title_line and len(title) < 60 and _SKIP_HEADINGS.match(title)
                                                     and not _TASK_HEADING.search(title))
            if skip:
                return True
    return False


def _states_task(text: str, p: Parsed, cb: int) -> bool:
    """The clause names its doers and then their task: more than two words that neither continue
    the list nor qualify the bodies ("Ủy ban nhân dân xã, phường trên địa bàn tỉnh;", "Công an
    tỉnh; Sở Tài chính mỗi đơn vị đề nghị không quá 01 tập thể")."""
    if not _named(p.subjects):
        return False
    end = p.subjects[-1].end
    return _words_over(text, end, cb, 2) and not _NOT_TASK.match(text, end, cb)


def _closing_paragraphs(doc: Document, text: str, ms: _Mentions) -> list[int]:
    """Starts of the paragraphs that close a top-level block after its labelled or bulleted items,
    addressed to all rather than to the last item's bodies: no label nor bullet, nothing but such
    paragraphs after it, and it opens as a closing ("Trên đây là ...", "Trong quá trình thực hiện
    ...") or names its own doers ("Ủy ban nhân dân tỉnh giao Giám đốc các sở ..."), unless the item
    before it ends in ':' (then it is one of that item's points)."""
    heads_at = doc.meta["heads_at"]
    paras = doc.paragraphs
    para_starts = doc.meta.setdefault("para_starts", [s for s, _ in paras])
    out = []
    for t in doc.headings:
        if t.depth != 1:
            continue
        trailing = []
        i = bisect.bisect_left(para_starts, t.end) - 1
        while i >= 0 and paras[i][0] > t.start:
            x, y = paras[i]
            line = doc.text[x:y]
            if line.strip():
                if x in heads_at or _marker(line) or doc.in_table(x):
                    break
                trailing.append(i)
            i -= 1
        if not trailing or paras[i][0] <= t.start:
            continue   # the block's own text is plain paragraphs: none of them closes items
        prev_colon = doc.text[paras[i][0]:paras[i][1]].rstrip(" *").endswith(":")
        for k in reversed(trailing):
            x, y = paras[k]
            if _CLOSING.match(text, x, y) or (not prev_colon and _names_doers(text, ms, x, y)):
                out.append(x)
                break
            prev_colon = doc.text[x:y].rstrip(" *").endswith(":")
    return sorted(out)


def _names_doers(text: str, ms: _Mentions, a: int, b: int) -> bool:
    """The paragraph's first clause has named bodies as its doers."""
    end = _CLAUSE_END.search(text, a, b)
    p = _parse(text, a, end.start() if end else b, ms, run_limit=b)
    return bool(_named(p.subjects))


def _split_clauses(text: str, a: int, b: int) -> tuple[list[tuple[int, int]], list[int]]:
    """The clauses of text[a:b] (ended by ';', ':', a sentence's '.', a line break) and the
    sentence ends (after a '.', at a line break: `_SENT_END`, whose matches are those of
    `_CLAUSE_END` that are a '.' or a line break), read in one pass."""
    out = []
    ends = []
    cur = a
    lab = _LABEL.match(text, a, b)
    start = lab.end() if lab else a
    if lab:
        for m in _SENT_END.finditer(text, a, b):   # a sentence may end inside the label ("II. Nhiệm vụ")
            if m.start() >= start:
                break
            ends.append(m.start() + 1 if m.group() == "." else m.start())
    for m in _CLAUSE_END.finditer(text, start, b):
        g = m.group()
        if g == "." or g == "\n":
            ends.append(m.start() + 1 if g == "." else m.start())
        elif g == ":":
            # a colon right after a label ('Đơn vị chủ trì:') does not end the clause
            lab = _LABEL.match(text, cur, m.end())
            at = lab.end() if lab else cur
            if (_LABEL_LEAD.match(text, at, m.end()) or _LABEL_COORD.match(text, at, m.end())
                    or _LABEL_DOERS.match(text, at, m.end())):
                continue
        if m.start() > cur:
            out.append((cur, m.start()))
        cur = m.end()
    if cur < b:
        out.append((cur, b))
    return [(x, y) for x, y in out if text[x:y].strip()], ends


def _sentence_end(ends: list[int], pos: int, b: int) -> int:
    """End of the sentence at pos: the next of the paragraph's sentence ends (else b)."""
    i = bisect.bisect_right(ends, pos)
    return ends[i] if i < len(ends) else b


def _first_chunk(doc: Document, a: int, b: int) -> tuple[int, int]:
    """[a, b) cut under MAX_SPAN at the last paragraph start that fits (else at MAX_SPAN)."""
    if b - a <= MAX_SPAN:
        return a, b
    para_starts = doc.meta.setdefault("para_starts", [s for s, _ in doc.paragraphs])
    i = bisect.bisect_right(para_starts, a + MAX_SPAN) - 1
    cut = para_starts[i] if i >= 0 and para_starts[i] > a else a + MAX_SPAN
    return a, cut


def _deadline_for(doc: Document, a: int, b: int, index: list[tuple[int, int, str]]) -> str | None:
    """The first deadline whose evidence lies inside the assignment's."""
    if not index:
        return None
    ra, rb = doc.raw_span(a, b)
    for s, e, did in index[bisect.bisect_left(index, (ra, -1, "")):]:
        if s >= rb:
            break
        if e <= rb:
            return did
    return None


class _Collector:
    def __init__(self, doc: Document):
        self.doc = doc
        self.outs: list[Out] = []
        self.seen: dict[tuple, list[tuple[int, int]]] = {}

    def add(self, run: list[Mention] | list[tuple[Mention, int]], role: str, a: int, b: int, task: str = "") -> None:
        items = run if run and isinstance(run[0], tuple) else _named(run)   # type: ignore[arg-type]
        # a long block keeps its opening part: that is where its bodies and task are stated
        x, y = _first_chunk(self.doc, a, b)
        # "Sở Tài chính (chủ trì), Sở Nội vụ": the bracket says the role
        marked = {id(m): _BRACKET_ROLE.match(self.doc.text, m.end) for m, _ in items} if len(items) > 1 else {}
        leads = [k for k, v in marked.items() if v and v.group(1).casefold() == "chủ trì"]
        for m, i in items:
            if leads and role in ("chu_tri", "thuc_hien"):
                role_i = "chu_tri" if id(m) in leads else "phoi_hop"
                self._add(m, i, role_i, x, y, task)
                continue
            self._add(m, i, role, x, y, task)

    def _add(self, m: Mention, i: int, role: str, x: int, y: int, task: str) -> None:
        key = (fold(m.names[i]), role)
        spans = self.seen.setdefault(key, [])
        # a clause inside a block that already gives this body this role adds nothing
        if any(sx <= x and y <= sy for sx, sy in spans[-20:]):
            return
        spans.append((x, y))
        self.outs.append(Out(m, i, role, x, y, task[:200]))


def _others(run: list[Mention], subjects: list[tuple[Mention, int]]) -> list[tuple[Mention, int]]:
    """The bodies a partner run names, less the clause's own subjects: a body does not coordinate
    with itself ("Đề nghị các cấp ủy Đảng ...: Phối hợp chặt chẽ với cấp ủy, chính quyền các cấp")."""
    own = {fold(m.names[i]) for m, i in subjects}
    return [(m, i) for m, i in _named(run) if fold(m.names[i]) not in own]


def _subject_role(named: list, lead: bool) -> str:
    return "chu_tri" if lead or len(named) == 1 else "thuc_hien"


def _task_text(text: str, a: int, b: int) -> str:
    b = min(b, a + 250)
    t = _TASK_LEAD.sub("", text[a:b])
    t = one_space(t).strip(" .;:")
    return t[:200]


def _text_rows(doc: Document, col: _Collector) -> None:
    text = unified_text(doc)
    find_mentions(doc)
    _low(text, doc.meta.get("unified_low"))
    mentions = _Mentions(doc.meta["agency_mentions"], doc.meta["agency_starts"])
    st = _Structure(doc)
    heads_at = doc.meta["heads_at"] = {h.start: h for h in doc.headings}
    st.closings = _closing_paragraphs(doc, text, mentions)
    scopes: list[Scope] = []
    all_scopes: list[Scope] = []
    skip_until = -1
    paras = doc.paragraphs
    para_starts = [x for x, _ in paras]
    for pi, (a, b) in enumerate(paras):
        if a < skip_until or not doc.text[a:b].strip() or doc.in_table(a):
            continue
        b = _through_names(mentions, para_starts, paras, a, b)
        if b != paras[pi][1]:
            skip_until = b   # the next paragraph only finished a name: it is read here
        line = doc.text[a:b]
        stripped = line.lstrip()   # (spaces as the pattern's \s*, and a few control characters)
        if stripped[:1].lower() in _LEADIN_FIRST and _SKIP_LEADIN.match(line):
            # the addressee / distribution list that follows is not a task
            skip_until = _leadin_end(doc, pi, 0, st)
            continue
        # (items that ended before this paragraph close whether it is read or not)
        while scopes and scopes[-1].end <= a:
            scopes.pop()
        inherited = scopes[-1] if scopes and scopes[-1].start < a else None
        if inherited is None:
            k = bisect.bisect_left(mentions.starts, a)
            if k == len(mentions.starts) or mentions.starts[k] >= b:
                continue   # no body named here and no enclosing item whose bodies act: nothing to read
        if stripped.startswith(_SKIP_START) or not _allowed(doc, a, st):
            continue
        if stripped.startswith(_PREAMBLE_START) and st.section_kind(doc, a) is None:
            continue
        strict = _under_criteria(doc, a, st)
        if _all_caps(line):
            continue
        h = heads_at.get(a)
        clauses, ends = _split_clauses(text, a, b)
        if b != paras[pi][1]:
            # a line break inside a body name ends no clause
            inside = [(m.start, m.end) for m in mentions.items[bisect.bisect_left(mentions.starts, a):
                                                                bisect.bisect_left(mentions.starts, b)]]
            ends = [e for e in ends if not any(x < e < y for x, y in inside)]
            joined: list[tuple[int, int]] = []
            for x, y in clauses:
                if joined and any(u < y0 <= x < v for u, v in inside for y0 in (joined[-1][1],)):
                    joined[-1] = (joined[-1][0], y)
                else:
                    joined.append((x, y))
            clauses = joined
        if not clauses:
            continue
        own: Parsed | None = None
        own_scope: Scope | None = None
        consumed = -1
        for ci, (ca, cb) in enumerate(clauses):
            if ca < consumed:
                continue
            addressed = ci == 0 and (h is not None or line.rstrip(" *").endswith(":"))
            p = _parse(text, ca, cb, mentions, run_limit=b, addressed=addressed)
            listed = p.subjects and p.subjects[-1].end > cb
            if listed:
                # the list of bodies ran over a ';': the clause ends after it
                run_end = p.subjects[-1].end
                cb = next((y for x, y in clauses if x <= run_end <= y), b)
                consumed = cb
                p = _parse(text, ca, cb, mentions, run_limit=b, addressed=addressed)
            if strict and (listed or not _states_task(text, p, cb)):
                continue   # a list of eligible bodies, a criterion, an award's title
            sent_end = _sentence_end(ends, ca, b)
            if p.label:
                named = _named(p.subjects)
                span = _enclosing_block(doc, a, b, st)
                role = {"lead": "chu_tri", "coord": "phoi_hop"}.get(p.label) or _subject_role(named, False)
                col.add(named, role, span[0], span[1], _task_text(doc.text, span[0], span[1]))
                continue
            named = _named(p.subjects)
            if named and _PURPOSE.search(text, ca, p.subjects[0].start) and ci == 0 and not _DIRECTIVE.search(text, ca, p.subjects[0].start):
                named = []
            tail = text[p.subjects[-1].end:cb + 1].strip() if named else ""
            if named and ci > 0 and not tail.endswith(":") and not _words_over(tail, 0, len(tail), 1):
                named = []   # "...; Chủ tịch UBND các xã, phường." names no task
            if named:
                first = ci == 0 or (own is None and ci <= 1 and ca - a < 80)
                if first:
                    sa, sb = _unit_span(doc, pi, h, st)
                else:
                    sa, sb = ca, sent_end
                task = _task_text(doc.text, p.task_start, cb if cb - p.task_start > 20 else sent_end)
                n_before = len(col.outs)
                partners_first = [(pos, pn, lb) for pos, run, lb in p.partners if (pn := _others(run, named))]
                if p.coord_first and partners_first and partners_first[0][0] - p.subjects[-1].end < 40:
                    pos, prun, _ = partners_first[0]
                    col.add(prun, "chu_tri", sa, sb, task)
                    col.add(named, "phoi_hop", sa, sb, task)
                    role = "phoi_hop"
                    rest = partners_first[1:]
                else:
                    role = _subject_role(named, p.lead)
                    if p.coord_first and not partners_first and own is not None and own.lead:
                        role = "phoi_hop"   # "A chủ trì ...; B, C phối hợp ..."
                    col.add(named, role, sa, sb, task)
                    rest = partners_first
                for pos, prun, lead_before in rest:
                    if p.lead or lead_before:
                        col.add(prun, "phoi_hop", sa, sb, task)
                    else:
                        ea = ca if not first else sa
                        col.add(prun, "chu_tri", ea, max(sent_end, sb if first else sent_end), task)
                        col.add(named, "phoi_hop", ea, max(sent_end, sb if first else sent_end), task)
                if first and own is None:
                    own = p
                    scope_end = sb if h is None else st.block_end(h)
                    if h is None and line.rstrip().endswith(":"):
                        scope_end = _leadin_end(doc, pi, _marker(line), st)
                    sc = Scope(a, max(scope_end, b), p.subjects, role, len(st.enclosing(doc, a)))
                    if role in ("chu_tri", "thuc_hien") and not rest and not p.lead and not _WORD.search(text, p.subjects[-1].end, cb):
                        # a bare heading of bodies ("3. Sở Y tế", "3. Sở Y tế: <tasks>"): its row
                        # stands only if some task is theirs to lead
                        sc.outs = col.outs[n_before:]
                        all_scopes.append(sc)
                    scopes.append(sc)
                    own_scope = sc
                continue
            if len(_named(p.joint)) > 1:
                col.add(p.joint, "thuc_hien", ca, _sentence_end(ends, ca, b), _task_text(doc.text, ca, cb))
                continue
            # no subject of its own: the item's or the enclosing lead-in's bodies act
            subj = own.subjects if own else (inherited.subjects if inherited else None)
            block = own_scope if own else inherited
            assisted = False
            for pos, prun, lead_before in p.partners:
                pn = _others(prun, _named(subj) if subj else [])
                if not pn:
                    continue
                ea, eb = ca, _sentence_end(ends, pos, b)
                task = _task_text(doc.text, prun[-1].end, eb)
                if subj:
                    if lead_before:
                        col.add(pn, "phoi_hop", ea, eb, task)
                        if inherited and inherited.role != "chu_tri" and not own:
                            col.add(subj, "chu_tri", ea, eb, task)
                    elif _other_doer(text, ca, pos):
                        # "Chỉ đạo các ngân hàng ... phối hợp với Sở Y tế": the steered body coordinates
                        col.add(pn, "chu_tri", ea, eb, task)
                    else:
                        col.add(pn, "chu_tri", ea, eb, task)
                        col.add(subj, "phoi_hop", ea, eb, task)
                        assisted = True
                else:
                    col.add(pn, _subject_role(pn, False), ea, eb, task)
            if block is not None:
                if assisted:
                    block.assists += 1
                elif _words_over(text, ca, cb, 2):
                    block.acts += 1
    for sc in all_scopes:
        if sc.assists and not sc.acts:
            drop = {id(o) for o in sc.outs}
            col.outs = [o for o in col.outs if id(o) not in drop]


def _through_names(ms: _Mentions, para_starts: list[int], paras, a: int, b: int) -> int:
    """End of a paragraph, moved past a body name broken over a line ("Phối hợp Bộ Chỉ huy" /
    "Quân sự tỉnh, Công an tỉnh ..."): the next paragraph then continues this one."""
    for _ in range(3):
        i = bisect.bisect_left(ms.starts, a)
        j = bisect.bisect_left(ms.starts, b)
        # mentions do not overlap, so only the last one starting before b can end after it
        if j <= i or ms.items[j - 1].end <= b:
            return b
        cross = ms.items[j - 1].end
        k = bisect.bisect_right(para_starts, cross - 1) - 1
        if k < 0 or paras[k][1] <= b:
            return b
        b = paras[k][1]
    return b


def _other_doer(text: str, ca: int, cue: int) -> bool:
    """The words before a "phối hợp" cue name another doer: the object of a steering verb
    ("Chỉ đạo các ngân hàng thương mại chủ động phối hợp"), or a plural noun opening the clause."""
    lab = _LABEL.match(text, ca, cue)
    at = lab.end() if lab else ca
    before = text[at:cue].rstrip()
    if before.endswith(",") or not before:
        return False   # "Chỉ đạo phòng, ban chuyên môn, phối hợp ...": a second verb of the same body
    if any(s.start() - at < 40 and _STEER_OBJECT.match(text, s.end(), cue) for s in _STEER.finditer(text, at, cue)):
        return True
    return bool(_OTHER_SUBJECT.match(text, at, cue))


def _leadin_end(doc: Document, pi: int, rank: int, st: _Structure) -> int:
    """End of the bullets that a lead-in paragraph (ending in ':') introduces."""
    a, b = doc.paragraphs[pi]
    outer = st.enclosing(doc, a)
    own_heading = next((h for h in outer if h.start == a), None)
    if own_heading is not None:
        return st.block_end(own_heading)
    limit = min((st.block_end(h) for h in outer), default=len(doc.text))
    depth = len(outer)
    heads_at = doc.meta.get("heads_at") or {h.start: h for h in doc.headings}
    end = b
    for qa, qb in doc.paragraphs[pi + 1:]:
        if qa >= limit:
            break
        line = doc.text[qa:qb]
        if not line.strip():
            continue
        h = heads_at.get(qa)
        if h is not None:
            if h.depth <= depth:
                break
            end = qb
            continue
        r = _marker(line)
        if r == 0 and rank == 0 and not doc.in_table(qa):
            break
        if rank and r <= rank:
            break
        end = qb
    return end


def _unit_span(doc: Document, pi: int, h: Heading | None, st: _Structure) -> tuple[int, int]:
    a, b = doc.paragraphs[pi]
    if h is not None:
        return h.start, st.block_end(h)
    if doc.text[a:b].rstrip().endswith(":"):
        return a, _leadin_end(doc, pi, _marker(doc.text[a:b]), st)
    return a, b


def _enclosing_block(doc: Document, a: int, b: int, st: _Structure) -> tuple[int, int]:
    inner = st.enclosing(doc, a)
    if inner:
        h = inner[-1]
        return h.start, st.block_end(h)
    return a, b


# --- task tables -----------------------------------------------------------------------------
def _table_rows(doc: Document, col: _Collector) -> None:
    for t in doc.tables:
        widths = Counter(len(r.cells) for r in t.rows if len(r.cells) >= 3)
        if not widths:
            continue
        width = widths.most_common(1)[0][0]
        off = max(0, len(t.header) - width)

        def find(keys, exclude=()):
            for i, name in enumerate(t.header):
                low = name.casefold()
                if any(k in low for k in keys) and not any(x in low for x in exclude) and len(low) < 60:
                    return i - off
            return None

        lead = find(_TABLE_LEAD)
        coord = find(_TABLE_COORD, exclude=("chủ trì",))
        doers = find(_TABLE_DOERS, exclude=("thời gian", "thời hạn", "kết quả"))
        task_col = find(_TABLE_TASK, exclude=_TABLE_LEAD + _TABLE_COORD + _TABLE_DOERS)
        body = t.rows
        # a two-line header ("Cơ quan thực hiện" over "Chủ trì | Phối hợp") leaves its second line as a row
        for k, row in enumerate(t.rows[:2]):
            short = [c.text.strip().casefold() for c in row.cells]
            if any(x in _TABLE_LEAD for x in short):
                lead = next(i for i, x in enumerate(short) if x in _TABLE_LEAD)
                coord = next((i for i, x in enumerate(short) if x in _TABLE_COORD), coord)
                doers = None if doers in (lead, coord) else doers
                body = t.rows[k + 1:]
                break
        if lead is None and doers is None:
            continue
        for row in body:
            cells = row.cells
            roles = []
            if lead is not None and 0 <= lead < len(cells):
                roles.append((cells[lead], "lead"))
            if coord is not None and 0 <= coord < len(cells) and coord != lead:
                roles.append((cells[coord], "coord"))
            if doers is not None and 0 <= doers < len(cells) and doers not in (lead, coord):
                roles.append((cells[doers], "doers"))
            if not any(c.text.strip() for c, _ in roles):
                continue
            span = (row.start, row.end)
            if span[1] - span[0] > MAX_SPAN:
                last = max(c.end for c, _ in roles)
                span = (max(row.start, min(c.start for c, _ in roles) - 200), last)
            task_cell = cells[task_col] if task_col is not None and 0 <= task_col < len(cells) else None
            if task_cell is None or not _WORD.search(task_cell.text) or any(task_cell is x for x, _ in roles):
                # no task column: the first long cell that names no body
                task_cell = next((c for c in cells if len(c.text) > 30 and all(c is not x for x, _ in roles)), None)
            task = one_space(task_cell.text)[:200] if task_cell else ""
            leads: list = []
            for cell, kind in roles:
                run = table_mentions(doc, cell.start, cell.end)
                # a lead named again among the partners ("Sở Tài chính và cơ quan liên quan") does not coordinate with itself
                named = _others(run, leads) if kind == "coord" else _named(run)
                if not named:
                    continue
                role = {"lead": "chu_tri", "coord": "phoi_hop"}.get(kind) or _subject_role(named, False)
                if kind == "lead":
                    leads = named
                col.add(named, role, span[0], span[1], task)


def extract(doc: Document) -> Iterator[AssignmentRow]:
    doc.meta["agency_use"] = {}
    col = _Collector(doc)
    _text_rows(doc, col)
    _table_rows(doc, col)
    outs = sorted(col.outs, key=lambda o: (o.start, o.end))
    names = []
    for o in outs:
        names.append(record_use(doc, o.mention, o.index))
    final = resolve_names(doc)
    dl_index = sorted((r["char_start"], r["char_end"], r["deadline_id"]) for r in doc.rows.get("deadlines") or []
                      if r.get("char_start") is not None)
    for o, name in zip(outs, names):
        ev = doc.evidence(o.start, o.end)
        yield AssignmentRow(section_id=doc.section_id_at(o.start), task=o.task or None,
                            agency=final.get(fold(name), name), role=o.role,
                            deadline_id=_deadline_for(doc, o.start, o.end, dl_index), **ev)

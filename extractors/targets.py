"""Targets: every quantified objective the plan commits to, normalized.

A target is a number with a unit (`%` or a counted noun) stated as something to reach.
Numbers are found in paragraphs and table cells; each is kept when its context commits to
it (an objectives section, a commitment cue such as "phấn đấu" before it, or an item opening
with its figure, bare or after a short label: "- Đổi mới công nghệ: 100% khu công nghiệp ...")
and dropped when it counts the past, labels a document or an article, is a date, a duration,
a technical rate ("10 Gigabit mỗi giây") or the condition of a score ("từ 88% cộng 02 điểm"), or
stands under a heading of forecasts or criteria ("Dự báo các chỉ tiêu", "Tiêu chuẩn khen thưởng").

Normalization (FORMAT.md "targets"): `value`/`value_max` from Vietnamese numerals, `unit`
canonical (listed nouns and abbreviations, a comma list of them kept whole; an unlisted noun is the
head noun that underthesea's POS tagger finds in the few words after the number; after a classifier,
"24 ngôi nhà", the noun it counts), `comparator` from the qualifier before the
number (covering a list joined by commas/"và", not across ";" or "với") or "trở lên" after it,
`per_year` for rates per period, and `target_year` decided in one place, `target_year()`.
Tables: a cell holding a target sentence yields its targets (group rows such as
"I | MỤC TIÊU CỤ THỂ ĐẾN NĂM 2030" give the year of the rows below them); an indicator | unit |
value-per-year table yields one target per future-year cell, its unit taken as printed, the
figures right-aligned under the year columns; a row that an export split at an empty cell
("4 | CPI | %" then "5,04 | 5,21 | ...") is rejoined; a sub-row ("Tốc độ tăng trưởng",
"+ Giường bệnh cấp tỉnh") is named with the row it breaks down. Scoring grids yield nothing.
All words and cues live in `pipeline/data/targets.json`.
"""
from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterator

import regex

from pipeline.document import Document, Enclosing, Table, TableRow
from pipeline.lexicon import lexicon
from pipeline.numerals import NUMBER, parse_number, scaled
from pipeline.rows import TargetRow
from pipeline.segment import opens_with_kind_cue, section_kind

_D = lexicon("targets")
# abbreviations expanded in indicators: the agencies' list (lower-cased: mid-phrase) and ours
_ABBREVIATIONS = {k: v[:1].lower() + v[1:] for k, v in lexicon("agencies")["abbreviations"].items()}
_ABBREVIATIONS.update(_D["abbreviations"])


def _alt(words, bounded: bool = True) -> str:
    """Regex alternation of words, longest first, matched as whole words when `bounded`."""
    body = "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return rf"(?<![\p{{L}}\d])(?:{body})(?![\p{{L}}\d])" if bounded else f"(?:{body})"


_PRE_WORD_TO_CMP = {w: k for k, ws in _D["comparators_pre"].items() for w in ws}
_POST_WORD_TO_CMP = {w: k for k, ws in _D["comparators_post"].items() for w in ws}
_SYMBOLS = [w for w in _PRE_WORD_TO_CMP if not any(c.isalpha() for c in w)]
_PRE_CMP = regex.compile(
    r"(?P<cmp>" + _alt([w for w in _PRE_WORD_TO_CMP if w not in _SYMBOLS]) + "|" + _alt(_SYMBOLS, False) + r")"
    r"\s*(?:" + _alt(_D["glue_words"]) + r"\s*)?$", regex.I)
_POST_CMP = regex.compile(r"^\s*(?P<cmp>" + _alt(list(_POST_WORD_TO_CMP)) + ")", regex.I)
_FROM_BEFORE = regex.compile(r"(?<!\p{L})từ\s+$", regex.I)
_POST_CMP_AFTER_WORDS = regex.compile(r"(?:[^\S\n]+\p{L}+){1,5}?[^\S\n]+(?P<cmp>" + _alt(list(_POST_WORD_TO_CMP)) + r")(?!\p{L})")
_RANGE = regex.compile(r"^\s*(?:%\s*)?(?P<sep>" + _alt([s for s in _D["range_separators"] if s.isalpha()])
                       + "|" + _alt([s for s in _D["range_separators"] if not s.isalpha()], False)
                       + r")\s*(?P<num>" + NUMBER.pattern + ")")
_RANGE_FIRST = frozenset(s[0] for s in _D["range_separators"])
_SCALE = regex.compile(r"^\s*(?P<w>" + _alt(list(_D["scale_words"])) + ")")
_MONEY = regex.compile(r"^\s*" + _alt(_D["money_nouns"]), regex.I)
_UNIT_FORMS = {f: canon for canon, forms in _D["units"].items() for f in forms}
_UNIT = regex.compile(r"^\s*(?P<u>" + _alt(list(_UNIT_FORMS)) + ")", regex.I)
_TIME_UNIT = regex.compile(r"^\s*" + _alt(_D["time_units"]), regex.I)
_DURATION_UNITS = frozenset(_D["reached_duration_units"])
_REACHED_DURATION = regex.compile(r"^\s*(?P<u>" + _alt(_D["reached_duration_units"]) + ")", regex.I)
# a reaching verb right before the number, a comparator (and its glue word) between them allowed
_REACH_BEFORE = regex.compile(_alt(_D["reach_words"]) + r"\s*(?:" + _alt(list(_PRE_WORD_TO_CMP)) + r"\s*(?:"
                              + _alt(_D["glue_words"]) + r"\s*)?)?$", regex.I)
_NON_UNIT = set(_D["non_unit_words"])
_CLASSIFIERS = frozenset(_D["classifiers"])
_REFERENCE_BEFORE = regex.compile(_alt(_D["reference_words_before"]) + r"\s*[:.]?\s*(?:\d+\s*(?:,|"
                                   + _alt(_D["list_joiners"]) + r")\s*)*$", regex.I)   # "số 02, 03"
# "từ 88 - 90% cộng 02 điểm": the figure is the condition of a score
_SCORE_AFTER = regex.compile(r"^\s*(?:\p{L}+\s+){0,2}?" + _alt(_D["score_verbs"]) + r"\s*(?:\d+(?:,\d+)?\s*)?"
                             + _alt(_D["score_nouns"]), regex.I)
_LABEL_WORD_BEFORE = regex.compile(r"\p{L}[ \t]+" + _alt(_D["label_words"]) + r"[ \t]*:[ \t]*$", regex.I)
_SCORE_BEFORE = regex.compile(_alt(_D["score_verbs"]) + r"(?:\s+[\p{L}]+){0,2}\s*$", regex.I)
_FORMULA_BEFORE = regex.compile(r"(?:^|[\s\d)])(?:" + "|".join(regex.escape(w) for w in _D["formula_marks"]) + r")\s*$")
_PER_WORD_BEFORE = regex.compile(_alt(_D["per_words"]) + r"\s*$", regex.I)
_CODE_AFTER = regex.compile(r"^\s*(?:[/\\]|-\s*\p{Lu}|\.\d|\)|\])")
_PER_CUE = regex.compile(_alt(_D["per_year_cues"]), regex.I)
_PER_CUE_AFTER = regex.compile(_alt(_D["per_year_after_cues"]), regex.I)
_PER_SUFFIX = regex.compile(r"^\s*(?:%\s*)?(?:/\s*[\p{L}]+(?:\s[\p{L}]+)?\s*(?=/))?"      # "triệu đồng/người/năm"
                            + _alt(_D["per_period_suffixes"], False), regex.I)
_RATE_SPEC = regex.compile(r"^\s*" + _alt(_D["rate_spec_suffixes"], False), regex.I)
_QUOTA_AFTER = regex.compile(r"\s*/\s*\d")      # "01 cá nhân/01 ban": a quota per unit
# "- Đổi mới công nghệ trong khu công nghiệp: " right before the figure of an item
_LABEL = regex.compile(r"^[^\d:;()]+:\s*$")
_LABEL_NOT_TARGET = regex.compile(_alt(_D["label_not_target_starts"]), regex.I)
_COMMIT = regex.compile(_alt(_D["commitment_cues"]), regex.I)
_PAST = regex.compile(_alt(_D["past_cues"]), regex.I)
_PAST_AFTER = regex.compile(r"^\s*" + _alt(_D["past_after"]), regex.I)
_PAST_AFTER_NOUN = regex.compile(r"^\s*(?:[\p{L}]+\s+){0,2}?" + _alt(_D["past_after_noun"]), regex.I)
_CHANGE_TO = regex.compile(r"^\s*(?:" + _alt(_D["year_cue_words"], False) + r"?\s*" + _D["year_word"]
                           + r"\s+\d{4}\s*)?,?\s*" + _alt(_D["change_words"]) + r"\s*(?:"
                           + _alt(_D["change_level_words"]) + r"\s*)?(?:" + _alt(list(_PRE_WORD_TO_CMP))
                           + r"\s*)?\d", regex.I)
_CONDITIONAL = regex.compile(_alt(_D["conditional_cues"]), regex.I)
_MEASURE = set(_D["measure_units"])
_FREQUENCY = set(_D["frequency_units"])
_MONEY_UNITS = set(_D["money_units"])
_FUNDING = regex.compile(_alt(_D["funding_cues"]), regex.I)
_NON_NOUN_START = regex.compile(r"^\s*(?:" + _alt([w for w in _D["non_noun_starts"] if w.isalpha() or " " in w])
                                + r"|[/(])", regex.I)
_LEAD_TRIM = regex.compile(r"(?:\s*(?:" + _alt(_D["indicator_lead_trim"]) + r"|[:,]))+\s*$", regex.I)
_LEAD_TRIM_LAST = regex.compile(r"(?:" + _alt(_D["indicator_lead_trim"]) + r"|[:,])\s*$", regex.I)   # its last item
_LEAD_TRIM_REACH = max(map(len, _D["indicator_lead_trim"]))
_TABLE_TITLE = regex.compile(_alt(_D["table_title_cues"], False), regex.I)
_RATIO_WORD = regex.compile(_alt(_D["ratio_words"]), regex.I)
_STRIVE = regex.compile(_alt(_D["strive_words"]), regex.I)
_BASELINE = regex.compile(_alt(_D["baseline_words"]) + r"\s*$", regex.I)
# a year the target is to be reached by; periods ("2021 - 2025") and dates are not
_YEAR_WORD = _D["year_word"]
# "đến năm 2030", "năm 2030", and a date or month of the year ("Đến ngày 31/12/2025", "đến tháng 6/2026")
_YEAR = regex.compile(r"(?<![\p{L}\d])(?P<cue>" + _alt(_D["year_cue_words"], False) + r"(?:\s+"
                      + _alt(_D["year_cue_modifiers"], False) + r")?\s+(?:" + _YEAR_WORD
                      + r"\s+|ngày\s+\d{1,2}\s*/\s*\d{1,2}\s*/\s*|tháng\s+\d{1,2}\s*/\s*)?|"
                      + _YEAR_WORD + r"\s+)(?P<y>(?:19|20)\d\d)(?!\s*[-–]\s*(?:19|20)\d\d)(?![\d/])", regex.I)
_DATE_BEFORE = regex.compile(_alt(_D["date_words"]) + r"\s*\d{1,2}\s*$", regex.I)
_PERIOD_BEFORE = regex.compile(r"(?:19|20)\d\d\s*[-–]\s*$")
# the spaces (group 1) after sentence punctuation, before a capital or a bullet; the punctuation is
# matched, not looked behind at, so the engine can jump to it (read from one character before a span)
_SENT_END = regex.compile(r"[.!?…](\s+)(?=[\p{Lu}\-+•(])")
_BULLET = regex.compile(r"^\s*(?:[-+•*–]\s*|\(?\d{1,2}[.)]\s+|\(?[a-zđ]\)\s*|\d+(?:\.\d+)+\.?\s+)")
_QUOTED = regex.compile(r"“[^”]*”|\"[^\"\n]*\"")
_LIST_JOIN = regex.compile(r"(?:,|" + _alt(_D["list_joiners"]) + r")\s*$")
_WITH = regex.compile(_alt(_D["scope_breakers"]), regex.I)
_ABBREV = regex.compile(r"(?<![\p{L}&])(?:" + "|".join(regex.escape(k) for k in sorted(_ABBREVIATIONS, key=len, reverse=True))
                        + r")(?![\p{L}&])")
_NO_TARGET_HEADINGS = tuple(_D["no_target_headings"])
_OBJECTIVE_CUES = tuple(c for k in _D["target_kinds"] for c in lexicon("sections")["kind_cues"][k])
_TOPIC_SPLIT = regex.compile(r",|" + _alt(_D["list_joiners"]))
_YEAR_LINE_MAX = 70
_MAX_BLOCK_LOOKBACK = 200
_WINDOW = 400                          # characters of a clause searched for cues around a number
_SUB_YEAR = regex.compile(r"(?:" + _alt(_D["year_cue_words"] + [_D["year_word"]], False) + r"\s*)?(?P<y>(?:19|20)\d\d)",
                          regex.I)
_PERIOD_END = regex.compile(r"(?:19|20)\d\d\s*[-–]\s*(?P<y>(?:19|20)\d\d)")   # a column "Giai đoạn 2026-2030"
_YEARLESS = regex.compile(r"(?:19|20)\d\d")
_ISSUE_YEAR = regex.compile(r"\d{4}")
_FIGURE_END = regex.compile(r"[\d%]\s*$")          # "60% năm 2025": a bare year right after a value
_DIGIT_AHEAD = regex.compile(r"\s*\d")
_LETTER_AHEAD = regex.compile(r"\s*\p{L}")        # every unit, scale and time word starts with a letter
# what may follow a figure that has a range or a unit: "%", a letter or a range sign, after spaces
# (\x1c-\x1f: spaces to str.strip, not to \s)
_FIGURE_GOES_ON = regex.compile(r"[\s\x1c-\x1f]*[%\p{L}" + "".join(regex.escape(s[0]) for s in _D["range_separators"]) + "]")
# a figure: a numeral that may go on, the two above in one scan; the numeral is atomic (not shortened to
# meet the lookahead: a shorter prefix ends before ".", "," or a digit, none of which goes on)
_FIGURE = regex.compile("(?>" + NUMBER.pattern + ")(?=" + _FIGURE_GOES_ON.pattern + ")")
_UNLISTED_WORDS = regex.compile(r"^\s*((?:[\p{L}]+\s?){1," + str(_D["max_unit_words"]) + "})")
_LINE_START = regex.compile(r"(?:^|\|)\s*$")
_LABEL_END = regex.compile(r"\s*[.)]\s")
_NEXT_FIGURE = regex.compile(r"(?:,|\s" + _alt(_D["list_joiners"]) + r")?\s*\d")
_POST_CMP_LEAD = regex.compile(r"^\s*(?:" + _alt(list(_POST_WORD_TO_CMP)) + r")")
_SPACES = regex.compile(r"\s+")
_DASH_SPLIT = regex.compile(r"\s*[-–]\s*")
_CELL_VALUE = regex.compile(r"(?P<cmp>[≥≤><]=?|" + _alt(list(_PRE_WORD_TO_CMP)) + r")?\s*(?P<a>" + NUMBER.pattern
                            + r")(?:\s*[-–]\s*(?P<b>" + NUMBER.pattern + r"))?\s*%?", regex.I)


@lru_cache(maxsize=4096)
def _unknown_unit(words: str) -> str | None:
    """Head noun of an unlisted counted noun phrase, by underthesea's POS tagger (short spans only).
    The words are tagged as a sentence closed by a full stop: cut out alone, a word that ends them
    ("hội chợ", "camera", "tình nguyện viên") is read as a numeral (M)."""
    from underthesea import pos_tag
    tags = pos_tag(words + " .")
    if not tags:
        return None
    word, tag = tags[0]
    if tag not in _D["unit_pos_tags"] or word.casefold() in _NON_UNIT:
        return None
    return word.casefold()


# --- context --------------------------------------------------------------------------

@dataclass
class _Block:
    start: int
    end: int
    year: int


@dataclass
class _Ctx:
    doc: Document
    issue_year: int | None
    figures: _Figures                                           # the figures of any span
    blocks: list[_Block] = field(default_factory=list)          # sorted by start
    block_starts: list[int] = field(default_factory=list)


def _issue_year(doc: Document) -> int | None:
    rows = doc.rows.get("documents") or []
    d = rows[0].get("issue_date") if rows else None
    if isinstance(d, (dt.date, dt.datetime)):
        return d.year
    if isinstance(d, str) and _ISSUE_YEAR.match(d):
        return int(d[:4])
    return None


def _years_in(text: str, issue_year: int | None = None) -> list[tuple[int, int]]:
    """(position, year) of each target-year cue in text; baselines, periods and dates excluded."""
    out = []
    if "19" not in text and "20" not in text:           # every year cue holds one
        return out
    for m in _YEAR.finditer(text):
        s = m.start()
        if _BASELINE.search(text[max(0, s - 25):s] + m["cue"]) or _DATE_BEFORE.search(text[max(0, s - 12):s]) \
                or _PERIOD_BEFORE.search(text[max(0, s - 8):s]):
            continue
        if m["cue"].casefold().startswith(_YEAR_WORD) and _figure_ends(text, s):
            continue                                    # "60% năm 2025": the year of a baseline value
        y = int(m["y"])
        if issue_year and y < issue_year:
            continue
        out.append((m.start(), y))
    return out


def _figure_ends(text: str, end: int) -> bool:
    """text[:end] ends with a digit or "%" (then only spaces), read from its tail."""
    lo = max(0, end - 40)
    if lo and not text[lo:end].strip():                 # a long run of spaces: read it all
        lo = 0
    return bool(_FIGURE_END.search(text, lo, end))


def _heading_years(text: str) -> list[tuple[int, int]]:
    """Years a heading, a year line or a table group row names: its year cues, else the end of
    the period it names ("Giai đoạn 2031 - 2035" -> 2035)."""
    years = _years_in(text, None)
    if years or ("-" not in text and "–" not in text):     # a period needs its dash
        return years
    return [(m.start(), int(m["y"])) for m in _PERIOD_END.finditer(text)]


def _past_year(ctx: _Ctx, text: str) -> bool:
    """The clause speaks of a year before the plan's own ("Năm 2024, toàn tỉnh có 250 hợp tác xã")."""
    if not ctx.issue_year:
        return False
    years = _years_in(text, None)
    return bool(years) and years[-1][1] < ctx.issue_year        # the nearest year before the number


@lru_cache(maxsize=4096)
def _lists_objectives(title: str) -> bool:
    """A heading title with objectives among its topics ("NHIỆM VỤ VÀ CHỈ TIÊU")."""
    return any(t.strip().startswith(_OBJECTIVE_CUES) for t in _TOPIC_SPLIT.split(title.casefold()))


def context_map(doc: Document, positions) -> dict[int, tuple[str | None, bool, int, bool]]:
    """For each position: the kind of the text there, whether its innermost titled heading lists
    objectives among its topics ("NHIỆM VỤ VÀ CHỈ TIÊU"), where its innermost heading ends, and
    whether a heading above it holds no targets (`_holds_no_targets`).
    The kind comes from the enclosing title-line headings, outermost first, each sub-heading taking
    a cue only when it opens its title (`segment.section_kind`); else from the section."""
    heads, secs = Enclosing(doc.headings), Enclosing(doc.sections)   # secs asked only where needed
    out: dict[int, tuple[str | None, bool, int, bool]] = {}
    for pos in sorted(set(positions)):
        kind, titled, no_targets = None, None, False
        enclosing = heads.at(pos)
        for h in enclosing:
            if h.style == "appendix":
                kind, no_targets = "phu_luc", _holds_no_targets(h.title)
            elif h.is_title_line:
                kind, titled = _heading_kind(h.title, kind), h
                # a sub-heading opening with a kind of its own ("2. Các giải pháp") leaves a forecast
                no_targets = _holds_no_targets(h.title) or (no_targets and not _opens_with_kind(h.title))
        if kind in (None, "other") and (sections := secs.at(pos)):
            kind = sections[-1].kind
        objectives = bool(titled) and _lists_objectives(titled.title)
        out[pos] = (kind, objectives, enclosing[-1].end if enclosing else len(doc.text), no_targets)
    return out


@lru_cache(maxsize=4096)
def _holds_no_targets(title: str) -> bool:
    """A heading of forecasts ("Dự báo các chỉ tiêu kinh tế - xã hội") or of the criteria an award
    or support asks for ("Tiêu chuẩn khen thưởng", "Điều kiện hỗ trợ"): its figures commit to nothing."""
    return title.lstrip(" *").casefold().startswith(_NO_TARGET_HEADINGS)


_heading_kind = lru_cache(maxsize=4096)(section_kind)   # the same titles recur at every position below them
_opens_with_kind = lru_cache(maxsize=4096)(opens_with_kind_cue)


class _Spans:
    """Membership of a position in sorted, non-overlapping spans (tables), by bisection."""

    def __init__(self, spans):
        self.spans = sorted(spans)
        self.starts = [a for a, _ in self.spans]

    def index(self, pos: int) -> int | None:
        k = bisect.bisect_right(self.starts, pos) - 1
        return k if k >= 0 and self.spans[k][0] <= pos < self.spans[k][1] else None


def _year_blocks(doc: Document, issue_year: int | None) -> list[_Block]:
    """Spans governed by a year heading: headings, lead-ins and short lines such as
    "a) Đến năm 2030:", "- Đến năm 2030" (its block covers the following "+" lines),
    "Mục tiêu đến hết năm 2026", an appendix title naming a year."""
    blocks: list[_Block] = []
    heading_starts = {h.start for h in doc.headings}
    for h in doc.headings:
        head = doc.text[h.start:h.para_end]
        if h.style == "appendix":
            # the appendix title may continue on the next upper-case lines
            nxt = h.para_end
            for _ in range(2):
                line_end = doc.text.find("\n", nxt + 1)
                line_end = len(doc.text) if line_end < 0 else line_end
                line = doc.text[nxt:line_end].strip()
                if line and line == line.upper() and not line.startswith("|"):
                    head += " " + line
                    nxt = line_end
                else:
                    break
        elif not (h.is_title_line or head.rstrip().endswith(":")):
            continue
        ys = _heading_years(head)
        if ys:
            blocks.append(_Block(h.start, h.end, ys[0][1]))
    # unnumbered year lines of the body (the title and opening lines name the plan's period)
    paras = doc.paragraphs
    body_start = min(heading_starts, default=len(doc.text))
    tables = _Spans((t.start, t.end) for t in doc.tables)
    text = doc.text
    # (a line without "19" or "20" names no year: looked for in place before the line is cut out)
    lines = [(i, a, b) for i, (a, b) in enumerate(paras)
             if a > body_start and (text.find("20", a, b) >= 0 or text.find("19", a, b) >= 0)
             and a not in heading_starts and tables.index(a) is None and _is_year_line(text[a:b])]
    parents = context_map(doc, [a for _, a, _ in lines])
    for i, a, b in lines:
        line = doc.text[a:b].strip()
        ys = _heading_years(line)
        marker = line[0] if line[0] in "-+•*–" else ""
        # the block ends with its parent heading, at the next year line, or (for a bullet) at
        # the next bullet of the same or an outer kind; deeper numbered items stay inside it
        parent_end = parents[a][2]
        end = parent_end
        for c, d in paras[i + 1:]:
            if c >= parent_end:
                break
            nxt = doc.text[c:d].lstrip()
            if _is_year_line(nxt):
                end = c
                break
            if marker and nxt[:1] in ("-–" if marker in "-–" else "-–" + marker):
                end = c
                break
        blocks.append(_Block(a, end, ys[0][1]))
    return blocks


def _is_year_line(line: str) -> bool:
    """A short line naming a year ("Đến năm 2030", "- Đến năm 2030:") or a lead-in ending with ":"."""
    if "19" not in line and "20" not in line:           # no year in it
        return False
    body = _BULLET.sub("", line.strip(), count=1)
    lead_in = body.endswith(":") and len(body) <= 200
    if len(body) > _YEAR_LINE_MAX and not lead_in:      # a sentence: not read for years
        return False
    if not _heading_years(body):
        return False
    return (len(body) <= _YEAR_LINE_MAX and not NUMBER.search(_YEARLESS.sub("", body))) or lead_in


def target_year(ctx: _Ctx, pos: int, clause: tuple[int, int], sentence: tuple[int, int],
                group_year: int | None = None) -> int | None:
    """The year a target at `pos` is to be reached by, in order of precedence:
    a year cue in its clause (nearest before it, else after it; the bare year of a baseline
    value, "60% năm 2025", is none), then earlier in its sentence;
    then the table group row above it ("I | MỤC TIÊU CỤ THỂ ĐẾN NĂM 2030"); then the
    innermost enclosing heading, bullet or line naming a year ("- Đến năm 2030:",
    "a) Đến năm 2030", "2. Mục tiêu đến năm 2030"), which includes an appendix title.
    Never the plan's own title or period (those enclose nothing); a heading's year ends with
    its block, so it does not reach a later sibling subsection."""
    text = ctx.doc.text
    cs, ce = clause
    before = _years_in(text[cs:pos], ctx.issue_year)
    if before:
        return before[-1][1]
    after = _years_in(text[pos:ce], ctx.issue_year)
    if after:
        return after[0][1]
    earlier = _years_in(text[sentence[0]:cs], ctx.issue_year)
    if earlier:
        return earlier[-1][1]
    if group_year:
        return group_year
    k = bisect.bisect_right(ctx.block_starts, pos)
    for blk in reversed(ctx.blocks[max(0, k - _MAX_BLOCK_LOOKBACK):k]):   # the latest-starting block
        if pos < blk.end:                                                # holding pos is the innermost
            return blk.year
    return None


# --- one number -----------------------------------------------------------------------

@dataclass
class _Found:
    start: int            # span of the target (comparator .. unit)
    end: int
    value: float
    value_max: float | None
    unit: str
    comparator: str
    cmp_from_word: bool
    per_year: bool
    unit_end: int


def _canon(form: str) -> str:
    return _UNIT_FORMS.get(form.casefold(), form.casefold())


def _unit_ahead(text: str, i: int) -> bool:
    """A unit may start at text[i:]: "%" or a letter (every unit, scale and time word starts with one),
    after spaces. The usual "người", " %" are told by their first two characters."""
    head = text[i:i + 2]
    if head[:1] == " ":
        head = head[1:]
    if head[:1] == "%" or head[:1].isalpha():
        return True
    rest = text[i:i + 120]
    return rest.lstrip().startswith("%") or _LETTER_AHEAD.match(rest) is not None


def _unit_at(text: str, i: int, before: str = "") -> tuple[str | None, int, float]:
    """Unit starting at text[i:], its end, and the scale the number takes (1,2 triệu người).
    `before` is the text before the number: a duration counts only after a reaching verb there."""
    rest = text[i:i + 120]
    if rest.lstrip().startswith("%"):
        j = rest.index("%") + 1
        return "%", i + j, 1.0
    scale = 1.0
    if not _LETTER_AHEAD.match(rest):
        return None, i, scale                           # "2025, ...", "15/6": no word follows the figure
    m = _SCALE.match(rest)
    if m:
        after = rest[m.end():]
        word = m["w"].casefold()
        if _MONEY.match(after):                         # "tỷ đồng", "triệu USD": the scale is in the unit
            money = _UNIT.match(rest)
            if money and len(money["u"].split()) > 1:
                return _canon(money["u"]), i + money.end(), 1.0
            mo = _MONEY.match(after)
            return f"{word} {mo.group(0).strip()}", i + m.end() + mo.end(), 1.0
        scale = float(_D["scale_words"][word])
        i += m.end()
        rest = text[i:i + 120]
    if _TIME_UNIT.match(rest):
        duration = _REACHED_DURATION.match(rest)
        if duration and _REACH_BEFORE.search(before[-30:]):
            return duration["u"].casefold(), i + duration.end(), scale   # "đạt 75,5 tuổi"
        return None, i, scale
    unit, end = _counted_noun(text, i)
    if unit in _CLASSIFIERS:                            # "24 ngôi nhà": the noun the classifier counts
        noun, noun_end = _counted_noun(text, end)
        if noun:
            unit, end = noun, noun_end
    return (unit, end, scale) if unit else (None, i, scale)


def _counted_noun(text: str, i: int) -> tuple[str | None, int]:
    """The counted noun starting at text[i:] and its end: a listed one (with the listed nouns joined
    to it), else the head noun the tagger finds in the next few words."""
    rest = text[i:i + 120]
    m = _UNIT.match(rest)
    if m:
        return _joined_units(text, _canon(m["u"]), i + m.end())
    words = _UNLISTED_WORDS.match(rest)
    if not words:
        return None, i
    phrase = words.group(1).strip()
    first = phrase.split()[0].casefold()
    if first in _NON_UNIT:
        return None, i
    unit = _unknown_unit(phrase)
    if not unit:
        return None, i
    # the tagger may join words; find the unit's extent in the text
    k = rest.casefold().find(unit)
    return unit, i + (k + len(unit) if k >= 0 else len(first))


def _joined_units(text: str, unit: str, end: int) -> tuple[str, int]:
    """The unit with the listed counted nouns joined to it by commas ("01 doanh nghiệp, hợp tác xã",
    "30 xã, phường, đặc khu"), and where they end; not a noun numbered after it ("xã, phường 1")."""
    units = [unit]
    while joiner := next((j for j in _D["unit_joiners"] if text.startswith(j, end)), None):
        k = end + len(joiner)
        m = _UNIT.match(text[k:k + 60])
        if not m or _DIGIT_AHEAD.match(text[k + m.end():k + m.end() + 3]):
            break
        noun = _canon(m["u"])
        if noun in units:
            break
        units.append(noun)
        end = k + m.end()
    return ", ".join(units), end


def _range_after(text: str, e: int) -> regex.Match | None:
    """`_RANGE` at text[e:], tried only when the separator's first character follows (after spaces
    and a "%"; str.lstrip strips at least what \\s matches)."""
    rest = text[e:e + 40]
    head = rest.lstrip()
    if head[:1] == "%":
        head = head[1:].lstrip()
    return _RANGE.match(rest) if head[:1] in _RANGE_FIRST else None


def _read_number(text: str, m: regex.Match, lo: int) -> _Found | None:
    """The target a numeral match starts, or None when it is a label, date, code or duration. The
    match is one of `_scan`'s figures: "%", a letter or a range sign follows it (`_FIGURE_GOES_ON`)."""
    s, e = m.span()
    value = parse_number(m.group(0))
    if value is None:
        return None
    value_max = None
    num_end = e
    r = _range_after(text, e)
    if r:
        v2 = parse_number(r["num"])
        sep = r["sep"]
        if v2 is not None and v2 > value and not (sep.isalpha() and 1900 <= v2 <= 2100):
            value_max, num_end = v2, e + r.end()
    if not _unit_ahead(text, num_end):
        return None                                     # most figures: nothing a unit can start with follows
    before = text[lo:s]
    # (the tests below each say None alone; the one that says it most often, a date or a
    # reference, comes first)
    ref = _REFERENCE_BEFORE.search(before[-20:])
    if ref and not _PER_WORD_BEFORE.search(before[-20:][:ref.start()]) and not _LABEL_WORD_BEFORE.search(
            before[-25:]) and not text[e:e + 3].lstrip().startswith("%"):
        return None                                     # "Số: 15", "Điều 3"; never "Chuyển đổi số: 100%"
    after = text[e:e + 40]
    if _CODE_AFTER.match(after) and not after.lstrip().startswith("%"):
        return None
    if before.rstrip().endswith(("(", "[")):
        return None                                     # "(1)" label, "(10 Gbps)" restatement
    if _LABEL_END.match(after) and _LINE_START.search(before):
        return None                                     # list label "1." / "2)"
    if _SCORE_BEFORE.search(before[-30:]) or _FORMULA_BEFORE.search(before[-6:]):
        return None                                     # points of a scoring grid; a formula
    unit, unit_end, scale = _unit_at(text, num_end, before)
    if unit is None:
        return None
    if _PAST_AFTER_NOUN.match(text[unit_end:unit_end + 40]) or _CHANGE_TO.match(text[unit_end:unit_end + 40]):
        return None                                     # a past fact, or the baseline of "từ X lên Y"
    if 1900 <= value <= 2100 and unit != "%" and "." not in m.group(0) and (
            unit not in _D["units"] or value_max is not None and 1900 <= value_max <= 2100):
        return None                                     # a year or a period, not a count
    if scale != 1.0:
        value = scaled(value, scale)
        value_max = scaled(value_max, scale) if value_max is not None else None
    comparator, cmp_from_word, start = "eq", False, s
    pm = _PRE_CMP.search(before[-30:])
    if pm:
        comparator, cmp_from_word = _PRE_WORD_TO_CMP.get(pm["cmp"].casefold(), "eq"), True
        start = s - (len(before[-30:]) - pm.start())
    end = unit_end
    post = _POST_CMP.match(text[unit_end:unit_end + 20]) or (
        _POST_CMP.match(text[e:e + 20]) if unit == "%" else None)
    if post:
        comparator = _POST_WORD_TO_CMP.get(post["cmp"].casefold(), "gte")
        cmp_from_word = False
        end = max(end, (unit_end if _POST_CMP.match(text[unit_end:unit_end + 20]) else e) + post.end())
    elif _FROM_BEFORE.search(before[-6:]) and (post := _POST_CMP_AFTER_WORDS.match(text, unit_end, unit_end + 40)):
        # "từ 3.500 đảng viên mới trở lên": after "từ", up to five words may stand between the noun and "trở lên"
        comparator, cmp_from_word, end = _POST_WORD_TO_CMP.get(post["cmp"].casefold(), "gte"), False, post.end()
    if value_max is not None:
        comparator, cmp_from_word = "range", False
    per = bool(_PER_SUFFIX.match(text[num_end:num_end + 12]) or _PER_SUFFIX.match(text[unit_end:unit_end + 12]))
    if per and unit in _FREQUENCY:
        return None                                     # "02 lần/năm": a frequency
    if _SCORE_AFTER.match(text[unit_end:unit_end + 40]):
        return None                                     # a scoring rule
    if _RATE_SPEC.match(text[unit_end:unit_end + 12]):
        return None                                     # "10 Gigabit mỗi giây": a technical speed
    return _Found(start, end, value, value_max, unit, comparator, cmp_from_word, per, unit_end)


# --- scanning spans -------------------------------------------------------------------

def _sentences(text: str, a: int, b: int) -> list[tuple[int, int]]:
    out, cur = [], a
    for m in _SENT_END.finditer(text, max(0, a - 1), b):
        out.append((cur, m.start(1)))
        cur = m.end()
    out.append((cur, b))
    return out


def _clauses(text: str, a: int, b: int) -> list[tuple[int, int]]:
    out, cur = [], a
    k = text.find(";", a, b)
    while k >= 0:
        out.append((cur, k + 1))
        cur = k + 1
        k = text.find(";", cur, b)
    out.append((cur, b))
    return out


def _trim_lead(s: str) -> str:
    """s without the cue words and commas it ends with ("... đạt", "... tăng thêm,"). There are some
    only if the last one ends s, so that is looked for first, in the last few characters (a cue
    word's length before the trailing spaces) instead of from every position."""
    if not _LEAD_TRIM_LAST.search(s, max(0, len(s.rstrip()) - _LEAD_TRIM_REACH)):
        return s
    return _LEAD_TRIM.sub("", s)


def _lead(text: str, f: _Found, clause: tuple[int, int]) -> str:
    """The subject before the number: from "tỷ lệ" when the clause names a ratio, else its last
    comma piece; without bullet, strive word, trailing verb or comparator."""
    lead = _BULLET.sub("", text[clause[0]:f.start]).strip(" ,:;")
    ratio = None
    for ratio in _RATIO_WORD.finditer(lead):
        pass
    if ratio:
        lead = lead[ratio.start():]
    else:
        piece = lead.rsplit(",", 1)[-1]
        lead = piece if len(piece.split()) >= 3 else lead
    lead = _STRIVE.sub("", lead).strip(" ,:")
    lead = _trim_lead(lead).strip(" ,:")
    return " ".join(lead.split()[:_D["indicator_max_words"]])


def _indicator(text: str, f: _Found, clause: tuple[int, int]) -> str:
    """Short readable description: 'tỷ lệ <what>' for a percentage, 'số <unit> <qualifier>' for a
    count, the phrase before the number for an amount (money, area, length)."""
    tail = text[f.unit_end:clause[1]]
    nxt = _NEXT_FIGURE.search(tail)
    cut = nxt.start() if nxt else len(tail)
    for stop in _D["indicator_stops"]:
        k = tail.find(stop)
        if 0 <= k < cut:
            cut = k
    tail = _POST_CMP_LEAD.sub("", tail[:cut]).strip(" ,.")
    tail = _trim_lead(tail).strip(" ,.")
    words = tail.split()[:_D["indicator_max_words"]]
    noun_tail = bool(words) and not _NON_NOUN_START.match(tail)
    if f.unit == "%":
        lead = _lead(text, f, clause)
        if _RATIO_WORD.match(lead) or not noun_tail:
            ind = lead if _RATIO_WORD.match(lead) else f"tỷ lệ {lead}"
        else:
            ind = "tỷ lệ " + " ".join(words)
    elif f.unit in _MEASURE or f.unit in _DURATION_UNITS:
        ind = _lead(text, f, clause) or f.unit   # "tuổi thọ trung bình" (đạt 75,5 tuổi)
    else:
        ind = f"số {f.unit} " + (" ".join(words[:6]) if words and not tail.startswith(("so ", "/")) else "")
    ind = _ABBREV.sub(lambda m: _ABBREVIATIONS[m.group(0)], ind)
    ind = _SPACES.sub(" ", ind).strip(" ,")
    return ind[:1].lower() + ind[1:] if ind[1:2].islower() else ind


def _item_opening(before: str, unit: str) -> bool:
    """Nothing, or only a short label and a colon, stands between an item's bullet and its figure
    (not the particulars of an event or an award: "Thành phần: 150 đại biểu")."""
    before = before.strip()
    if not before:
        return True
    return bool(_LABEL.match(before)) and len(before.split()) <= _D["label_max_words"] \
        and not _LABEL_NOT_TARGET.match(before) and unit not in _D["label_not_target_units"]


def _figures(text: str, a: int, b: int) -> list[regex.Match]:
    """The figures of text[a:b] a target can start from, read once for the span (a numeral holds no
    space nor ";", so none crosses a sentence or clause): most ("2025,", "15/6") have nothing a unit
    or a range can start with after them."""
    return [m for m in NUMBER.finditer(text, a, b) if _FIGURE_GOES_ON.match(text, m.end())]


class _Figures:
    """The `_figures` of any span, from one scan of the whole text: those starting in the span, as
    the span's own scan finds them, unless what follows the span could go on a numeral (a digit, a
    letter, "." or ","): that span is scanned alone. (The span's scan stops its numerals at its end;
    the lookbehind of a numeral sees before the span in both.)"""

    def __init__(self, text: str):
        self.text = text
        self.found = list(_FIGURE.finditer(text))
        self.starts = [m.start() for m in self.found]

    def __call__(self, a: int, b: int) -> list[regex.Match]:
        text = self.text
        if b < len(text) and (text[b].isalnum() or text[b] in ".,"):
            return _figures(text, a, b)
        lo = bisect.bisect_left(self.starts, a)
        hi = bisect.bisect_left(self.starts, b, lo)
        return self.found[lo:hi] if lo < hi else []


def _scan(ctx: _Ctx, a: int, b: int, primary: bool, group_year: int | None,
          figures: list[regex.Match]) -> Iterator[TargetRow]:
    """Targets in the span [a, b) of the normalized text (a paragraph or a table cell); `figures` are
    its figures (`ctx.figures(a, b)`, which the callers read first: a span without any is skipped)."""
    doc, text = ctx.doc, ctx.doc.text
    quoted = None                                       # quotations, read once a figure is kept
    k = 0                                               # the next figure not yet read
    for ss, se in _sentences(text, a, b):
        if k == len(figures):
            break
        if figures[k].start() >= se:
            continue                                    # no figure in this sentence
        for cs, ce in _clauses(text, ss, se):
            prev_in_clause: _Found | None = None
            while k < len(figures) and figures[k].start() < ce:
                m = figures[k]
                k += 1
                if prev_in_clause and m.start() < prev_in_clause.end:
                    continue
                f = _read_number(text, m, max(a, m.start() - 60))
                if f is None:
                    continue
                if quoted is None:
                    quoted = [(q.start() + a, q.end() + a) for q in _QUOTED.finditer(text[a:b])]
                if any(qs <= m.start() < qe for qs, qe in quoted):
                    continue
                # cues are looked for in a bounded window: a clause of thousands of figures stays linear
                ws = max(cs, m.start() - _WINDOW)
                clause_before = text[ws:m.start()]
                sentence_before = text[max(ss, m.start() - _WINDOW):m.start()]
                # past counts and estimates
                past = None
                for past in _PAST.finditer(clause_before):
                    pass
                if past and not _COMMIT.search(clause_before[past.end():]):
                    continue
                if _CONDITIONAL.search(clause_before) or _past_year(ctx, clause_before):
                    continue
                if f.unit in _MONEY_UNITS and _FUNDING.search(clause_before):
                    continue                            # funding of the plan, not an objective
                if not primary and _PAST_AFTER.match(text[f.unit_end:f.unit_end + 20]) \
                        and not _STRIVE.search(sentence_before):
                    continue
                # outside the objectives: a commitment cue, "trở lên", or an item that opens with
                # its figure, bare or after a short label ("(1) 100% số người hưởng trợ cấp được ...",
                # "- Đổi mới công nghệ: 100% khu công nghiệp triển khai ...")
                if not primary and not _COMMIT.search(sentence_before) and not _POST_CMP.match(
                        text[f.unit_end:f.unit_end + 20]) and not (
                        f.start == m.start() and text[a:m.start()].strip()
                        and _item_opening(_BULLET.sub("", text[a:m.start()], count=1), f.unit)
                        and not _QUOTA_AFTER.match(text, f.unit_end)):
                    continue
                # a comparator word covers a list joined by commas / "và"
                if (not f.cmp_from_word and f.comparator == "eq" and prev_in_clause
                        and prev_in_clause.cmp_from_word):
                    between = text[prev_in_clause.end:m.start()]
                    if _LIST_JOIN.search(between) and not _WITH.search(between) and "(" not in between \
                            and len(between) < 80:
                        f.comparator, f.cmp_from_word = prev_in_clause.comparator, True
                # "mỗi năm" before the figure, or "hằng năm" after it before the next figure
                nxt = NUMBER.search(text, f.end, min(ce, f.end + _WINDOW))
                per_year = f.per_year or bool(_PER_CUE.search(text, ws, m.start())) or bool(
                    _PER_CUE_AFTER.search(text, f.unit_end, nxt.start() if nxt else min(ce, f.end + _WINDOW)))
                window = (ws, min(ce, m.start() + _WINDOW))
                ty = None if per_year else target_year(
                    ctx, m.start(), window, (max(ss, ws - _WINDOW), se), group_year)
                prev_in_clause = f
                yield TargetRow(
                    section_id=doc.section_id_at(m.start()),
                    indicator=_indicator(text, f, window),
                    value=float(f.value), value_max=float(f.value_max) if f.value_max is not None else None,
                    unit=f.unit, comparator=f.comparator, target_year=ty, per_year=per_year,
                    **doc.evidence(f.start, f.end))


# --- tables ---------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _words_pattern(words: tuple) -> regex.Pattern:
    return regex.compile(_alt(words))


def _col_has(name: str, words) -> bool:
    """The (header) cell names one of the words, as a whole word."""
    return bool(_words_pattern(tuple(words)).search(name.casefold()))


def _scan_table(ctx: _Ctx, t: Table, in_objectives: bool) -> Iterator[TargetRow]:
    header = t.header
    if any(_col_has(h, _D["scoring_columns"]) for h in header):
        return                                          # a scoring grid: criteria and points
    unit_col = next((i for i, h in enumerate(header) if _col_has(h, _D["unit_columns"])
                     or h.strip().casefold() in _D["unit_columns_exact"]), None)
    skip = {i for i, h in enumerate(header) if _col_has(h, _D["skip_columns"])
            and not _col_has(h, _D["target_columns"])}
    target_cols = {i for i, h in enumerate(header) if _col_has(h, _D["target_columns"])}
    value_cols = []
    qty = [(i, _quantity_unit(h)) for i, h in enumerate(header)]
    qty = [(i, u) for i, u in qty if u and i not in skip]
    if unit_col is None and qty:
        value_cols = [(i, None, u) for i, u in qty]
    if unit_col is not None:
        for i, h in enumerate(header):
            if i <= unit_col or i in skip or _col_has(h, _D["estimate_columns"]):
                continue
            ys = _heading_years(h)
            if ys and ctx.issue_year and ys[-1][1] < ctx.issue_year and not _col_has(h, _D["target_value_columns"]):
                continue
            if ys or _col_has(h, _D["value_columns"]):
                value_cols.append((i, ys[-1][1] if ys else None, None))
    labels = set(_D["group_row_labels"])
    group_year = None
    # in the objectives every cell of a text table commits; a table of figures (budget) does not
    text_primary = False
    if in_objectives:                                   # (the cells are counted only then)
        cells_all = [c.text.strip() for r in t.rows for c in r.cells if c.text.strip()]
        numeric = sum(parse_number(c) is not None for c in cells_all)
        text_primary = numeric * 2 < len(cells_all)
    rows, merged = _rejoined_rows(t) if unit_col is not None else (t.rows, set())
    parents: dict[int, str] = {}
    for row in rows:
        cells = row.cells
        filled = [c for c in cells if c.text.strip()]
        first = cells[0].text.strip().casefold().rstrip(".") if cells else ""
        if len(filled) == 1 and _BULLET.sub("", filled[0].text).strip(" :").casefold() in _D["table_breakdown_labels"]:
            continue                                    # "Trong đó:" opens a breakdown, not a group
        if filled and (first in labels and len(filled) <= 2 or len(filled) == 1 and len(cells) > 2):
            ys = _heading_years(" ".join(c.text for c in filled))
            group_year = ys[0][1] if ys else None
            parents = {}
            continue
        if unit_col is not None:
            sub = [_SUB_YEAR.fullmatch(c.text.strip()) for c in cells]
            if sum(bool(m) for m in sub) >= 2 and all(m or not c.text.strip() for m, c in zip(sub, cells)):
                # a second header row of years under "Giai đoạn 2026 - 2030" (right-aligned)
                off = len(header) - len(cells)
                value_cols = [(j + off, int(m["y"]), None) for j, m in enumerate(sub)
                              if m and not (ctx.issue_year and int(m["y"]) < ctx.issue_year)]
                continue
        if value_cols:
            if any(len(c.text) > 30 and _TABLE_TITLE.search(c.text) for c in cells):
                return                                  # another (budget) table glued after this one
            parent = _table_parent(row, parents, labels)
            yield from _table_values(ctx, t, row, unit_col, value_cols, group_year, id(row) in merged, parent)
            continue
        for i, c in enumerate(cells):
            if i in skip or not c.text.strip():
                continue
            if figures := ctx.figures(c.start, c.end):  # every target holds a figure
                yield from _scan(ctx, c.start, c.end, i in target_cols or text_primary, group_year, figures)


def _numeric_cell(text: str) -> bool:
    """A figure or a range of figures ("5,21", "1-1,5")."""
    return parse_number(_DASH_SPLIT.split(text.strip())[0]) is not None


def _table_parent(row, parents: dict[int, str], labels) -> str | None:
    """The indicator a sub-row breaks down ("6 | Kim ngạch xuất khẩu" above "Tốc độ tăng trưởng | %",
    "- Số giường bệnh" above "+ Giường bệnh cấp tỉnh"), tracked in `parents` by level: a numbered
    row 0, an unnumbered row 1 ('-' or no marker), a '+' row 2. "Trong đó:" rows are skipped."""
    texts = [c.text.strip() for c in row.cells]
    label = next((x for x in texts if x and not _numeric_cell(x) and x.casefold().rstrip(".") not in labels), None)
    if not label:
        return None
    name = _BULLET.sub("", label).strip().rstrip(":").strip()
    if not name or name.casefold() in _D["table_breakdown_labels"]:
        return None
    numbered = texts[0] != label and (_numeric_cell(texts[0]) or texts[0].casefold().rstrip(".") in labels)
    level = 0 if numbered else 2 if label.startswith("+") else 1
    above = [lv for lv in parents if lv < level]
    parent = parents[max(above)] if above else None
    for lv in [lv for lv in parents if lv >= level]:
        del parents[lv]
    parents[level] = name
    return parent


def _rejoined_rows(t: Table) -> tuple[list, set]:
    """Rows with a row split at an empty cell rejoined, and the ids of the rejoined rows.
    Lone-pipe exports print an empty cell like a row break, so "4 | CPI | % | (empty) | 5,04 |
    5,21" comes as "4 | CPI | %" then "5,04 | 5,21": an indicator row ending with its unit,
    followed by a row of figures only (not the column numbering "1 | 2 | 3 ..."), is one row
    whose figures, right-aligned, fill the last columns."""
    out, merged = [], set()
    rows = t.rows
    k = 0
    while k < len(rows):
        row = rows[k]
        nxt = rows[k + 1] if k + 1 < len(rows) else None
        texts = [c.text.strip() for c in row.cells]
        if nxt and len(texts) >= 2 and texts[-1] and _unit_cell(texts[-1]) and texts[-2] \
                and not any(_numeric_cell(x) for x in texts[1:]) and (texts[-1] == "%" or not _col_has(
                    texts[-1], _D["value_columns"] + _D["estimate_columns"])):     # not a header row
            figures = [c.text.strip() for c in nxt.cells]
            numbering = [parse_number(x) for x in figures] == [float(j) for j in range(1, len(figures) + 1)]
            if figures and all(x and _numeric_cell(x) for x in figures) and not numbering:
                joined = TableRow(row.cells + nxt.cells, row.start, nxt.end)
                out.append(joined)
                merged.add(id(joined))
                k += 2
                continue
        out.append(row)
        k += 1
    return out, merged


_QUANTITY = regex.compile(r"^" + _alt(_D["quantity_headers"], False)
                          + r"\s*(?:\((?P<p>[^)/]{1,20})\)|(?P<w>[\p{L} ]{1,25}))$", regex.I)


def _unit_cell(text: str) -> bool:
    text = text.strip()
    return bool(text) and parse_number(text) is None and len(text) <= 25 and len(text.split()) <= 4


def _quantity_unit(header_cell: str) -> str | None:
    """Unit named by a quantity column ("Số lượng mẫu", "Số lượng (trạm)"); rates per period are not."""
    m = _QUANTITY.match(header_cell.strip())
    if not m or _col_has(header_cell, _D["estimate_columns"] + _D["frequency_columns"]):
        return None
    unit = (m["p"] or m["w"]).strip().casefold()
    return _UNIT_FORMS.get(unit, unit) if unit and unit not in _D["not_quantity_units"] else None


def _table_values(ctx: _Ctx, t: Table, row, unit_col: int, value_cols, group_year,
                  rejoined: bool = False, parent: str | None = None) -> Iterator[TargetRow]:
    """Targets of an indicator | unit | value-per-year table row; the unit is taken as printed.
    Rows shorter or longer than the header (spanned header cells) align values on the right
    and take as unit the last text cell before the run of numbers. A rejoined row has lost its
    empty cells: its figures must cover at least the value columns."""
    cells = row.cells
    shift = len(t.header) - len(cells)
    if unit_col is None:                                # quantity columns naming their unit
        if shift:
            return
        unit_i = -1
        names = [j for j, c in enumerate(cells) if j not in {v[0] for v in value_cols}
                 and c.text.strip() and parse_number(c.text.strip()) is None]
        indicator = _BULLET.sub("", cells[names[0]].text).strip() if names else ""
    else:
        k = len(cells)
        while k > 0 and (not cells[k - 1].text.strip() or _numeric_cell(cells[k - 1].text)):
            k -= 1
        if not shift and unit_col < len(cells) and _unit_cell(cells[unit_col].text):
            unit_i = unit_col
        elif len(cells) - k >= (len(value_cols) if rejoined else len(t.header) - 1 - unit_col):
            unit_i = k - 1
        else:
            return                                      # a row split across lines
        if not 0 < unit_i < len(cells):
            return
        unit = cells[unit_i].text.strip()
        if not _unit_cell(unit):
            return
        indicator = _BULLET.sub("", cells[unit_i - 1].text).strip()
    if parent and indicator:
        indicator = f"{parent} - {indicator}"
    for i, year, col_unit in value_cols:
        i -= shift
        if not unit_i < i < len(cells):
            continue
        if col_unit:
            unit = col_unit
        c = cells[i]
        raw = c.text.strip()
        m = _CELL_VALUE.fullmatch(raw)
        if not m:
            continue
        v = parse_number(m["a"])
        vmax = parse_number(m["b"]) if m["b"] else None
        if not v:
            continue                                    # empty or zero cell: no figure planned
        comparator = "range" if vmax is not None else _PRE_WORD_TO_CMP.get((m["cmp"] or "").casefold(), "eq")
        yield TargetRow(
            section_id=ctx.doc.section_id_at(c.start), indicator=indicator, value=v, value_max=vmax,
            unit=unit, comparator=comparator, target_year=year or group_year or target_year(
                ctx, c.start, (c.start, c.end), (c.start, c.end)),
            per_year=False, **ctx.doc.evidence(c.start, c.end))


# --- the extractor --------------------------------------------------------------------

def _logical_paragraphs(doc: Document, tables: _Spans) -> list[tuple[int, int]]:
    """Paragraphs with a hard-wrapped sentence rejoined ("... đạt khoảng" + "11.400 doanh nghiệp.")."""
    heading_starts = {h.start for h in doc.headings}
    out: list[tuple[int, int]] = []
    text = doc.text
    for a, b in doc.paragraphs:
        if out:
            # the first and last characters decide; most paragraphs open with a capital or a bullet
            first = text[a] if a < b and not text[a].isspace() else text[a:b].lstrip()[:1]
            if not (first.isdigit() or first.islower()):
                out.append((a, b))
                continue
            pa, pb = out[-1]
            prev = text[pa:pb].rstrip()
            if (prev and prev[-1] not in ".;:!?|" and tables.index(a) is None
                    and a not in heading_starts):
                out[-1] = (pa, b)
                continue
        out.append((a, b))
    return out


def extract(doc: Document) -> Iterator[TargetRow]:
    issue_year = _issue_year(doc)
    ctx = _Ctx(doc=doc, issue_year=issue_year, figures=_Figures(doc.text))
    ctx.blocks = sorted(_year_blocks(doc, issue_year), key=lambda blk: blk.start)
    ctx.block_starts = [blk.start for blk in ctx.blocks]
    rejected = set(_D["rejected_kinds"])
    primary_kinds = set(_D["target_kinds"])
    tables = sorted(doc.tables, key=lambda t: t.start)
    spans = _Spans((t.start, t.end) for t in tables)
    # (table index or None, span, figures) of the paragraphs worth reading: every target holds a figure
    todo = []
    for a, b in _logical_paragraphs(doc, spans):
        k = spans.index(a)
        if k is not None:
            todo.append((k, a, b, None))
        elif figures := ctx.figures(a, b):
            todo.append((None, a, b, figures))
    # the context of those paragraphs only (a position's context does not depend on the others)
    where = context_map(doc, [a for k, a, _, _ in todo if k is None] + [t.start for t in tables])
    done_tables = set()
    for k, a, b, figures in todo:
        if k is not None:
            if k not in done_tables:
                done_tables.add(k)
                kind, _, _, no_targets = where[tables[k].start]
                if kind not in rejected and not no_targets:
                    yield from _scan_table(ctx, tables[k], kind in primary_kinds)
            continue
        kind, objectives, _, no_targets = where[a]
        if kind in rejected or no_targets:
            continue
        yield from _scan(ctx, a, b, kind in primary_kinds or objectives, None, figures)

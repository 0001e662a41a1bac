"""Deadlines: time expressions that bound when a task is done or reported, normalized to ISO.

Prose is scanned paragraph by paragraph for time expressions (dates, months, quarters, years,
periods, recurrences, "thường xuyên", events); each candidate is then judged in its context
(see gold/FORMAT.md "Deadlines"): years of targets, periods in names of plans and cited
documents, noun modifiers ("ngân sách hàng năm", "chi thường xuyên") and ad-hoc reporting are
not deadlines. Cells of a "Thời gian" table column give one row each.
Rows are numbered D1, D2, ... in text order; assignments link to them by id and offsets.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

import regex

from pipeline.document import Document, Enclosing, Heading, Table
from pipeline.lexicon import lexicon
from pipeline.rows import DeadlineRow

_T = lexicon("time")


def _alt(words) -> str:
    """Regex alternation of phrases, longest first, spaces matching any whitespace."""
    return "|".join(regex.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


EVERY = rf"(?:{_alt(_T['every'])})"
UNITS = _alt(_T["recurrence_units"])
HALF = rf"(?:{_alt(_T['half_year'])})"
Y = r"((?:19|20)\d{2})"
D = r"(\d{1,2})"
M = r"(\d{1,2})"
YSEP = r"\s*(?:/|-|,?\s+năm)\s*"            # "6/2024", "6 năm 2024", "6, năm 2024"
QNUM = r"(IV|I{1,3}|0?[1-4])"
# Simple case folding (version 0), not V1's full folding: full folding only differs for characters
# that fold to several letters (ß -> ss, ﬁ -> fi), which no cue here spells (tests guard it), and it
# makes these patterns 2-4x slower.
_F = regex.I
TITLE_CHARS = 400       # a title line in capitals is not longer
CONTEXT_CHARS = 600     # how far a clause or sentence is looked for around an expression
HORIZON_CHARS = 2500    # the opening text that states a plan's horizon
MERGE_WORDS = 15        # a recurrence and the day it is due stand this close in one clause
PAST_YEARS = 5          # a period starting this long before the issue year is history, not a bound

# --- core time expressions (each gives the period it denotes) --------------------------------
P_DMY = regex.compile(rf"(?:ngày\s+)?(?<![\d/.]){D}\s*[/.-]\s*{M}\s*[/.-]\s*{Y}(?![\d/])|ngày\s+{D}\s+tháng\s+{M}{YSEP}{Y}", _F)
P_DAY_RANGE = regex.compile(rf"từ\s+ngày\s+{D}\s+(?:đến|tới)(?:\s+hết)?\s+ngày\s+{D}\s+tháng\s+{M}{YSEP}{Y}", _F)
# every match starts with "tháng" or a digit: said up front, the engine skips other positions (3x faster)
P_MY = regex.compile(rf"(?=[\dt])(?:tháng\s+{M}{YSEP}{Y}(?!\d)|(?<![\d/.])(0?[1-9]|1[0-2])\s*/\s*{Y}(?![\d/]))", _F)
QUARTER = rf"(?<![\p{{L}}\d])(?:{_alt(_T['quarter_words'])})"
RANGE_WORDS = r"[-–—]|đến(?:\s+hết)?|tới"           # what joins the ends of a period ("Quý I - Quý II/2026")
# one or more quarters of a year: "Quý IV/2025", "Quý I, II/2026", "quý I và quý II năm 2026", "Quý I - II/2026"
P_QY = regex.compile(rf"(?P<items>{QUARTER}\s*{QNUM}(?:\s*(?:,|và|hoặc|{RANGE_WORDS})\s*(?:{QUARTER}\s*)?{QNUM}(?![\p{{L}}\d]))*)"
                     rf"{YSEP}{Y}(?!\d)", _F)
P_QUARTER_ITEM = regex.compile(rf"(?:{QUARTER}\s*|(?<![\p{{L}}\d])){QNUM}(?![\p{{L}}\d])", _F)   # one quarter of a list
P_HY = regex.compile(rf"{HALF}\s+(đầu|cuối)\s+năm\s+{Y}", _F)
P_YEAR = regex.compile(rf"năm\s+{Y}(?![\d/])", _F)
P_YEAR_RANGE = regex.compile(rf"(?<![\d/.,]){Y}\s*[-–—]\s*{Y}(?![\d/])", _F)
EVERY_YEAR = rf"(?:\s*,?\s+{EVERY}\s+năm)?"
P_DM = regex.compile(rf"(?:ngày\s+{D}\s*/\s*{M}(?!\s*[/.-]\s*\d)(?!\d)|ngày\s+{D}\s+tháng\s+{M}(?!\d)(?!{YSEP}\d)"
                     rf"|(?<=(?:trước|(?:ngày|trước)\s+\d{{1,2}}\s*/\s*\d{{1,2}}\s*(?:và|hoặc|,))\s*){D}\s*/\s*{M}(?!\s*[/.-]\s*\d)(?!\d)){EVERY_YEAR}", _F)
P_DAY_MONTHLY = regex.compile(rf"ngày\s+{D}\s+{EVERY}\s+tháng", _F)
P_MONTH_YEARLY = regex.compile(rf"tháng\s+{M}\s+{EVERY}\s+năm", _F)
P_EVERY = regex.compile(rf"(?:định\s+kỳ\s+)?{EVERY}\s+({UNITS})(?!\s+(?:nay|qua|trước(?!\s+\d)))", _F)
P_PERIODIC = regex.compile(rf"định\s+kỳ\s+(?:({HALF})|(?:mỗi\s+)?(quý|tháng|năm|tuần))(?:\s+một\s+lần)?|{HALF}\s+một\s+lần", _F)
# more periods listed after one: "định kỳ 6 tháng, 01 năm", "hằng quý, 6 tháng và năm" (not "năm 2026")
P_PERIOD_MORE = regex.compile(rf"\s*(?:,|và|hoặc)\s*(?P<item>(?:{EVERY}\s+|mỗi\s+|0?1\s+|một\s+)?(?:({HALF})|(quý|tháng|năm|tuần)))"
                              rf"(?![\p{{L}}\d])(?!\s*\d)", _F)
# "01 lần/năm", "06 tháng/lần", "quý/lần"
# "02 lần/ngày": several times a day or a week still comes back daily or weekly
P_PER = regex.compile(rf"(?:0?1|một)\s+lần\s*/\s*(năm|quý|tháng|tuần)|({HALF}|năm|quý|tháng|tuần)\s*/\s*(?:0?1\s+)?lần"
                      rf"|(?:\d{{1,2}}|{_alt(_T['small_counts'])})\s+lần\s*/\s*(ngày|tuần)", _F)
# a time of day ("trước 9h00’", "16 giờ 30"): FORMAT has no form for it, so it is a daily row with no end
CLOCK = r"(?:(?:trước|vào|lúc)\s+)?(?<![\d/.-])(?:[01]?\d|2[0-4])\s*(?:h|giờ)(?:\s*[0-5]\d)?(?:\s*['’])?(?![\p{L}\d])"
P_CLOCK_TIME = regex.compile(CLOCK, _F)
P_DURATION_BEFORE = regex.compile(r"(?<![\p{L}\d])(?:trong|vòng|sau|suốt|mỗi|tối\s+đa|khoảng|đủ)\s+$", _F)   # "trong 24 giờ"
WEEKDAY = rf"(?:(?:trước|vào|trong)\s+)?(?:ngày\s+)?(?:{_alt(_T['weekdays'])})"
P_DAILY_CUE = regex.compile(rf"(?<![\p{{L}}\d])(?:{EVERY}|mỗi)\s+ngày|lần\s*/\s*ngày", _F)
P_DAY_ONLY = regex.compile(rf"ngày\s+{D}(?!\s*(?:[/.-]\s*\d|tháng|\d))", _F)
P_NEXT_YEARS = regex.compile(rf"(?:(?:năm|giai\s+đoạn|từ)\s+)?{Y}(?:\s*[-–—]\s*{Y})?\s*(?:,\s*)?và\s+(?:{_alt(_T['next_years'])})", _F)
P_FROM_YEAR = regex.compile(rf"từ\s+(?:năm\s+)?{Y}(?![\d/])(?!\s*[-–—]\s*\d)(?!\s+đến(?!\s+khi))", _F)
P_ONGOING = regex.compile(rf"\b(?:{_alt(_T['ongoing'])})\b", _F)
P_RELATIVE = regex.compile(
    r"(?:(?:kể\s+)?từ\s+(?:ngày\s+(?:ký|ban\s+hành)[^.;:,()\n|]{0,40}?|nay)\s+)?"
    r"(?:ngay\s+)?(?:sau|trước|đến|cho\s+đến)\s+khi\s+[^.;:,()\n|]{3,90}?(?=\s*(?:[.;:,()\n|]|$|\s(?:thì|để|phải)\s))"
    rf"|\bkhi\s+(?:[^.;:,()\n|]{{0,60}}?\s)?(?:{_alt(_T['relative_event_verbs'])})\b"
    # "báo cáo ... khi tổng kết Đợt thi đua": a review of the plan is an event that bounds a task
    rf"|\bkhi\s+(?:{_alt(_T['review_events'])})(?![\p{{L}}\d])[^.;:,()\n|]{{0,70}}?(?=\s*(?:[.;:,()\n|]|$))"
    r"|trong\s+(?:vòng\s+|thời\s+hạn\s+|thời\s+gian\s+)?\d+\s+(?:ngày|tháng|giờ|tuần)(?:\s+(?:đầu|làm\s+việc))?"
    r"\s+(?:kể\s+từ|sau)\s+(?:ngày|khi)\s+[^.;:,()\n|]{1,70}?(?=\s*(?:[.;:,()\n|]|$))"
    r"|chậm\s+nhất\s+(?:là\s+)?\d+\s+(?:ngày|tháng|giờ)(?:\s+làm\s+việc)?\s+(?:sau|trước|kể\s+từ)\s+(?:ngày|khi)?\s*[^.;:,()\n|]{1,70}?(?=\s*(?:[.;:,()\n|]|$))",
    _F)


def _cue(source: str) -> tuple[regex.Pattern, re.Pattern]:
    """A cue's pattern for the text, and for the text casefolded with the standard library's engine
    (faster where a cue opens on a word; it finds at least what the first finds: tests guard it)."""
    return regex.compile(source, _F), re.compile(source)


# Cues the patterns above cannot match without: each pattern runs only where its cues are, and a
# paragraph with none of them holds no time expression (a new or widened pattern needs its cue here).
G_YEAR = regex.compile(r"(?:19|20)\d\d", _F)
G_NUM_SEP = regex.compile(r"\d\s*[/.-]\s*\d", _F)                       # "15/6", "15-6-2025"
G_NUM_SLASH = regex.compile(r"\d\s*/\s*\d", _F)
G_NUM_UNIT = regex.compile(r"\d\s+(?:ngày|tháng|giờ|tuần)", _F)           # "trong 30 ngày"
G_CLOCK = regex.compile(r"\d\s*(?:h|giờ)", _F)
G_DAY_NUM, L_DAY_NUM = _cue(r"ngày\s+\d")
G_MONTH_NUM, L_MONTH_NUM = _cue(r"tháng\s+\d")
# "quyết định", "khuyến khích" hold the bare words: the word with what follows it is the cue
G_PERIODIC_WORD, L_PERIODIC_WORD = _cue(r"định\s+kỳ")
G_WHEN, L_WHEN = _cue(r"khi\s")
G_NEXT_YEARS, L_NEXT_YEARS = _cue(_alt(_T["next_years"]))     # "các năm tiếp theo"
# the cues that open on a figure, tried in one scan that stops at figures only
G_FIGURE_CUE = regex.compile(rf"(?=\d)(?:{'|'.join(p.pattern for p in (G_YEAR, G_NUM_SLASH, G_CLOCK, G_NUM_UNIT))})", _F)
P_CUE_WORDS = regex.compile(rf"{EVERY}\s+(?:{UNITS})|định\s+kỳ|{HALF}|lần|khi|{_alt(_T['ongoing'])}", _F)
# the word each match of P_CUE_WORDS starts with: a plain substring test on the casefolded text comes first
CUE_ANCHORS = tuple(sorted({w.split()[0].casefold() for w in
                            [*_T["every"], "định", *_T["half_year"], "lần", "khi", *_T["ongoing"]]}))
# literal words, searched in casefolded text: the standard library's engine is the faster one there
P_CUE_ANCHOR = re.compile("|".join(map(re.escape, CUE_ANCHORS)))
EVERY_ANCHORS = tuple(w.casefold() for w in _T["every"])
ONGOING_ANCHORS = tuple({w.split()[0].casefold() for w in _T["ongoing"]})       # "thường xuyên"


# a mark that casefolds to a letter (ͅ -> ι): a text holding it is not read casefolded (tests guard
# that no other character changes class, letter, digit or space, when casefolded)
FOLD_CHANGES_CLASS = "\u0345"


def _casefolded(text: str) -> str | None:
    """text casefolded when that keeps every offset (no character folds to several) and what each
    character is (letter, digit, space), else None."""
    low = text.casefold()
    return low if len(low) == len(text) and FOLD_CHANGES_CLASS not in text else None


def _has_time_cue(text: str, lo: int, hi: int, low: str | None = None) -> bool:
    """Whether text[lo:hi] holds a cue some time expression needs (a cheap test before the patterns).
    `low` is `_casefolded(text)`, when the caller has it."""
    if P_DIGIT.search(text, lo, hi) and (G_FIGURE_CUE.search(text, lo, hi) or (
            L_DAY_NUM.search(low, lo, hi) or L_MONTH_NUM.search(low, lo, hi) if low is not None
            else G_DAY_NUM.search(text, lo, hi) or G_MONTH_NUM.search(text, lo, hi))):
        return True
    if low is None:
        span = text[lo:hi].casefold()
        return any(w in span for w in CUE_ANCHORS) and P_CUE_WORDS.search(text, lo, hi) is not None
    # `low` keeps offsets, so a cue starts where one of its anchors does: the pattern is tried there
    # only, at each position where some anchor starts
    m = P_CUE_ANCHOR.search(low, lo, hi)
    while m:
        if P_CUE_WORDS.match(text, m.start(), hi):
            return True
        m = P_CUE_ANCHOR.search(low, m.start() + 1, hi)
    return False


# --- context ---------------------------------------------------------------------------------
P_PREFIX = regex.compile(rf"(?:(?<![\p{{L}}\d])(?:{_alt(_T['prefix_words'])})\s+)+$", _F)
# a document number ("45/KH-UBND", "20-NQ/TW", "71/NQ -CP", "số 12") and its date; a comma after the number
# ends the citation unless "ngày" follows ("nhiệm vụ số 2, quý IV năm 2025": the quarter bounds the task), and
# so does a word after the code ("Kế hoạch số 12/KH-UBND trước ngày 15/12/2025": a deadline)
CODED_NUMBER = r"(?:\d+[\w.]*\s*[/-]\s*)+\p{Lu}"          # "45/KH", "20-NQ", "201/2025/QH": a number and its code
P_CITATION = regex.compile(rf"(?:{CODED_NUMBER}[\p{{L}}\d&.]*(?:\s*[-/]\s*[\p{{L}}\d&.]*)*|[Ss]ố\s+[^\s,]+)\s*(?:,?\s*ngày\s*)?$",
                           regex.V1)
P_CODED_NUMBER_LAST = regex.compile(CODED_NUMBER, regex.V1 | regex.REVERSE)
# not before a body's name: "báo cáo ... Kế hoạch số 12/KH-UBND về Sở Nội vụ trước ngày ..." sends a report
W_TITLE_OPENER = regex.compile(rf"(?<![\p{{L}}\d])(?:{_alt(_T['cited_title_openers'])})(?![\p{{L}}\d])(?!\s+(?-i:\p{{Lu}}))", _F)


def _citation(before: str) -> bool:
    """before ends with a document number or 'số ...' (and its date); a number needs '/' or '-'."""
    return ("/" in before or "-" in before or "ố" in before) and P_CITATION.search(before) is not None


def _in_cited_title(clause: str, bound: bool) -> bool:
    """'Thực hiện Quyết định số 444/QĐ-TTg ngày 27/02/2025 của Thủ tướng Chính phủ giao chỉ tiêu ... năm 2025 và
    các năm tiếp theo': a time after a cited document's number, no comma between, is part of its title when a
    title word opens the title ('về', 'giao') or no bound word stands before the time (clause: the text
    before it). After a comma the plan speaks again ('..., Sở Y tế báo cáo trước ngày 15/6/2025')."""
    number = P_CODED_NUMBER_LAST.search(clause) if "/" in clause or "-" in clause else None
    if number is None or "," in clause[number.end():]:
        return False
    return not bound or W_TITLE_OPENER.search(clause, number.end()) is not None


P_CLAUSE_BREAK = regex.compile(r"[.;:!?]\s|[;:]|\n")
P_TARGET_NUM = regex.compile(rf"(?<![\p{{L}}\d])(?:{_alt(_T['target_number_cues'])})\s+\d", _F)
P_TARGET_WORD = regex.compile(rf"(?:{_alt(_T['target_words'])})|%", _F)
P_AROUND = regex.compile(r"trong\s+và\s+$", _F)
P_HORIZON = regex.compile(r"(?:tầm\s+nhìn|định\s+hướng)(?:\s+đến)?\s*$|so\s+với\s*$", _F)
P_UNTIL_YEAR = regex.compile(r"(?<!\bhết\s)đến\s*$", _F)
P_COMPLETE_UNTIL = regex.compile(r"(?:hoàn\s+thành[^.;]{0,30}|từ\s+nay\s+)đến\s*$", _F)
P_SINCE_PAST = regex.compile(r"\s*(?:đến\s+nay|trở\s+về\s+trước|vừa\s+qua)", _F)
P_LATER_YEAR = regex.compile(r"(?<![\d/.-])((?:19|20)\d{2})(?![\d/])")
W_RECUR_CUE = regex.compile(rf"định\s+kỳ|(?<![\p{{L}}\d])(?:{EVERY}|mỗi)\s+(?:{UNITS})|{HALF}", _F)
P_CLOCK = regex.compile(rf"{CLOCK}\s*$", _F)                       # "trước 16 giờ 00 hằng ngày"
P_WEEKDAY_BEFORE = regex.compile(rf"(?<![\p{{L}}\d]){WEEKDAY}\s*,?\s*$", _F)    # "thứ Sáu hằng tuần"
P_HARD_BREAK = regex.compile(r"[.;\n|]")
P_BULLET = regex.compile(r"(?:^|[:;,(\-+*•–]|\b[a-zđ]\)|\b\d+(?:\.\d+)*\.)\s*$", regex.I)
P_SENT_END = regex.compile(r"[.;!?](?:\s|$)")
P_TASK_START = regex.compile(r"[.!?:](?:\s|$)")      # where a task opens: after a sentence or a label ("Sở Y tế:"), not a ';'
# The last break before a position, searched backwards: the match that ends last, which is where a
# forward scan's last match ends too (no match hides a later-ending one: tests guard it)
P_CLAUSE_BREAK_LAST, P_HARD_BREAK_LAST, P_SENT_END_LAST, P_TASK_START_LAST = (
    regex.compile(p.pattern, p.flags | regex.REVERSE) for p in (P_CLAUSE_BREAK, P_HARD_BREAK, P_SENT_END, P_TASK_START))
P_WORD = regex.compile(r"[\p{L}\d]+")
P_DIGIT = regex.compile(r"\d")
P_CELL_FILLER = regex.compile(rf"^(?:[\s,;\-–—.()*/]|và|hoặc|từ|đến|hết|năm|kể|trong|{_alt(_T['ongoing_cell_prefixes'])})*$", _F)


def _words(phrases) -> regex.Pattern:
    return regex.compile(rf"(?<![\p{{L}}\d])(?:{_alt(phrases)})(?![\p{{L}}\d])", _F)


W_NAME = _words(_T["name_nouns"])
W_BOUND = regex.compile(rf"(?<![\p{{L}}\d])(?:{_alt(_T['bound_cues'])})\s*:?\s*$", _F)
W_TASK = _words(_T["task_verbs"])
W_CHARACTER = _words(_T["characterisation_cues"])
W_ADHOC = _words(_T["adhoc"])
W_ONGOING_BEFORE = regex.compile(rf"(?<![\p{{L}}\d])(?:{_alt(_T['ongoing_blockers_before'])})\s*$", _F)
W_ONGOING_AFTER = regex.compile(rf"^\s*,?\s*(?:{_alt(_T['ongoing_blockers_after'])})", _F)
W_RECUR_BEFORE = regex.compile(rf"(?<![\p{{L}}\d])(?:{_alt(_T['recurring_verbs_before'])})\s*$", _F)
W_REPORT_VERB = _words(_T["report_verbs"])
W_REVIEW = _words(_T["review_words"])
W_REVIEW_EVENT = _words(_T["review_events"])
W_BENEFIT = _words(_T["benefit_cues"])
P_OPEN_PAREN = regex.compile(r"\(\s*$")
W_RECUR_NOUN = _words(_T["recurrence_modified_nouns"])
# "... quản lý. Hằng năm báo cáo kết quả": a sentence that opens on the recurrence and goes on with a task
P_SENT_OPEN = regex.compile(r"[.!?]\s*$")
P_TASK_END = regex.compile(r"\s*(?:[.;](?:\s|$)|$)")                  # the recurrence ends its sentence
W_TASK_AFTER = regex.compile(rf"^\s*,?\s*(?:{_alt(_T['recurring_verbs_before'] + _T['report_verbs'] + _T['task_verbs'])})(?![\p{{L}}\d])", _F)
W_TIME_HEADER = _words(_T["time_column_headers"])
SKIP_KINDS = set(_T["skip_section_kinds"])
W_TASK_SECTION = _words(_T["task_section_cues"])
SKIP_STARTS = tuple(_T["skip_paragraph_starts"])
W_NO_TASK_ITEM = regex.compile(rf"(?:{_alt(lexicon('sections')['no_task_heading_cues'])})(?![\p{{L}}\d])", _F)
P_HEADING_ITEMS = regex.compile(r"\s*(?:[,;/]|(?<![\p{L}\d])và(?![\p{L}\d]))\s*", _F)
HEADING_TITLE_CHARS = 60     # a title line naming topics, not a sentence
APPENDIX_SUB = _words(_T["appendix_subtitle"])


@dataclass
class Cand:
    start: int
    end: int
    kind: str
    p_start: str | None = None      # period the expression denotes (for ranges)
    p_end: str | None = None
    recurrence: str | None = None
    core: str = ""                  # which pattern found it
    out_start: str | None = None    # row values
    out_end: str | None = None
    lead: int | None = None         # where the list it is an item of starts: the words before it are its context

    @property
    def length(self) -> int:
        return self.end - self.start


@lru_cache(maxsize=1 << 14)       # the same days recur in every paragraph
def _iso(y: int, m: int, d: int) -> str | None:
    try:
        calendar.monthrange(y, m)
        if not 1 <= d <= calendar.monthrange(y, m)[1]:
            return None
    except (ValueError, calendar.IllegalMonthError):
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def _month_end(y: int, m: int) -> str | None:
    if not 1 <= m <= 12:
        return None
    return _iso(y, m, calendar.monthrange(y, m)[1])


def _recurring_date(m: int, d: int) -> str | None:
    if not (1 <= m <= 12 and 1 <= d <= calendar.monthrange(2024, m)[1]):
        return None
    return f"--{m:02d}-{d:02d}"


def _groups(m) -> list[str]:
    return [g for g in m.groups() if g is not None]


def _quarter(q: str) -> int:
    return _T["quarter_numbers"][q.casefold()]


# --- finding ---------------------------------------------------------------------------------
def _cores(text: str, lo: int, hi: int, low: str | None = None) -> list[Cand]:
    """Every time expression in text[lo:hi], overlapping ones included. `low` is `_casefolded(text)`
    (without it every pattern runs: the cue tests below only save time)."""
    out: list[Cand] = []

    def add(m, kind, ps=None, pe=None, rec=None, core=""):
        out.append(Cand(m.start(), m.end(), kind, ps, pe, rec, core))

    # a pattern runs only where the cues it cannot match without are present (read in the casefolded
    # text, where a cue's standard-library pattern finds at least what the case-insensitive one would)
    if low is None:
        digit = year = month = slash = dmy = clock = times = relative = every = day = since = True

        def has(word):
            return True
    else:
        def has(word):
            return low.find(word, lo, hi) >= 0

        digit = P_DIGIT.search(text, lo, hi) is not None
        year = digit and G_YEAR.search(text, lo, hi) is not None
        month = digit and L_MONTH_NUM.search(low, lo, hi) is not None
        slash = has("/")
        dmy = year and (month or G_NUM_SEP.search(text, lo, hi) is not None)
        clock = digit and G_CLOCK.search(text, lo, hi) is not None
        times = has("lần")
        # an event after "khi", or a duration after "trong" or "chậm nhất"
        relative = L_WHEN.search(low, lo, hi) is not None or ((has("trong") or has("chậm")) and digit
                                   and G_NUM_UNIT.search(text, lo, hi) is not None)
        every = any(map(has, EVERY_ANCHORS))
        day = has("ngày")
        since = has("từ")

    def more_periods(pos):
        """The periods listed after a recurrence, one row each (rare: read with the plain pattern)."""
        while (n := P_PERIOD_MORE.match(text, pos, hi)) is not None:
            unit = n.group(3)
            rec = _T["recurrence_units"][unit.casefold()] if unit else "half_yearly"
            out.append(Cand(n.start("item"), n.end("item"), "recurring", None, None, rec, "periodic"))
            pos = n.end()

    def scan(pattern, on):
        if not on:
            return ()
        return FOLDED[pattern].finditer(low, lo, hi) if low is not None else pattern.finditer(text, lo, hi)

    for m in scan(P_DMY, dmy):
        d, mo, y = map(int, _groups(m))
        iso = _iso(y, mo, d)
        if iso:
            add(m, "date", iso, iso, core="dmy")
    for m in scan(P_DAY_RANGE, year and since and day):
        d1, d2, mo, y = map(int, _groups(m))
        a, b = _iso(y, mo, d1), _iso(y, mo, d2)
        if a and b and a < b:
            add(m, "range", a, b, core="drange")
    for m in scan(P_MY, year and (month or slash)):
        mo, y = map(int, _groups(m)[-2:])
        if 1 <= mo <= 12:
            add(m, "date", _iso(y, mo, 1), _month_end(y, mo), core="my")
    for m in scan(P_QY, year):
        y = int(_groups(m)[-1])
        items = list(P_QUARTER_ITEM.finditer(text, m.start(), m.end("items")))
        for i, item in enumerate(items):       # a list of quarters is one row each, the last quoted with its year
            q = _quarter(item.group(1))
            end = m.end() if i == len(items) - 1 else item.end()
            out.append(Cand(item.start(), end, "date", _iso(y, 3 * q - 2, 1), _month_end(y, 3 * q), core="qy",
                            lead=m.start()))
    for m in scan(P_HY, year and (has("đầu") or has("cuối"))):
        part, y = m.group(1).casefold(), int(m.group(2))
        last = _T["half_year_parts"][part]
        add(m, "date", _iso(y, last - 5, 1), _month_end(y, last), core="hy")
    for m in scan(P_YEAR, year and has("năm")):
        y = int(m.group(1))
        add(m, "year", _iso(y, 1, 1), _iso(y, 12, 31), core="year")
    for m in scan(P_YEAR_RANGE, year and (has("-") or has("–") or has("—"))):
        a, b = int(m.group(1)), int(m.group(2))
        if a < b:
            add(m, "range", _iso(a, 1, 1), _iso(b, 12, 31), core="yrange")
    # a day and month follow "ngày" or "trước"
    for m in scan(P_DM, (slash or month) and (has("ngày") or has("trước"))):
        d, mo = map(int, _groups(m))
        iso = _recurring_date(mo, d)
        if iso:
            add(m, "recurring", None, iso, "yearly", core="dm")
    for m in scan(P_DAY_MONTHLY, digit and every and day):
        d = int(m.group(1))
        if 1 <= d <= 31:
            add(m, "recurring", None, f"---{d:02d}", "monthly", core="dmonthly")
    for m in scan(P_MONTH_YEARLY, month and every):
        mo = int(m.group(1))
        if 1 <= mo <= 12:
            add(m, "recurring", None, _recurring_date(mo, calendar.monthrange(2023, mo)[1]), "yearly", core="myearly")
    for m in scan(P_EVERY, every):
        add(m, "recurring", None, None, _T["recurrence_units"][m.group(1).casefold()], core="every")
        if low is None or text.startswith("định", m.start()) or low.startswith("định", m.start()):
            more_periods(m.end())
    for m in scan(P_PERIODIC, low is None or L_PERIODIC_WORD.search(low, lo, hi) is not None or times and has("một")):
        unit = m.group(2)
        rec = _T["recurrence_units"][unit.casefold()] if unit else "half_yearly"
        add(m, "recurring", None, None, rec, core="periodic")
        more_periods(m.end())
    for m in scan(P_PER, times and slash):
        unit = (m.group(1) or m.group(2) or m.group(3)).casefold()
        rec = _T["recurrence_units"].get(unit, "half_yearly")
        add(m, "recurring", None, None, rec, core="per")
    for m in scan(P_CLOCK_TIME, clock):
        if not P_DURATION_BEFORE.search(text, max(lo, m.start() - 20), m.start()):
            add(m, "recurring", None, None, "daily", core="clock")
    for m in scan(P_DAY_ONLY, digit and day):
        d = int(m.group(1))
        if 1 <= d <= 31:
            add(m, "recurring", None, f"---{d:02d}", "monthly", core="donly")
    for m in scan(P_NEXT_YEARS, year and has("và") and (low is None or L_NEXT_YEARS.search(low, lo, hi) is not None)):
        add(m, "ongoing", _iso(int(m.group(1)), 1, 1), None, core="next")
    for m in scan(P_FROM_YEAR, year and since):
        add(m, "range", _iso(int(m.group(1)), 1, 1), None, core="from")
    for m in scan(P_ONGOING, any(map(has, ONGOING_ANCHORS))):
        add(m, "ongoing", core="ongoing")
    for m in scan(P_RELATIVE, relative):
        add(m, "relative", core="relative")
    return out


# The patterns above without case folding, for the document casefolded (offsets kept): the same
# matches, a third faster (tests guard that each letter they spell is what its case variants casefold
# to). Their groups are read casefolded: digits, and words the code casefolds anyway.
FOLDED = {p: regex.compile(p.pattern, p.flags & ~regex.I)
          for p in (P_DMY, P_DAY_RANGE, P_MY, P_QY, P_HY, P_YEAR, P_YEAR_RANGE, P_DM, P_DAY_MONTHLY,
                    P_MONTH_YEARLY, P_EVERY, P_PERIODIC, P_PER, P_CLOCK_TIME, P_DAY_ONLY, P_NEXT_YEARS,
                    P_FROM_YEAR, P_ONGOING, P_RELATIVE)}
FOLDED[P_QY] = P_QY     # its quarter numbers are capitals ("IV"): read case-insensitively in either text


DATED_CORES = ("dmy", "my", "qy", "hy", "year")      # the expressions that denote one period
P_RANGE_JOIN = regex.compile(rf"^\s*(?:{RANGE_WORDS})\s*$", _F)
P_FROM_BEFORE = regex.compile(r"(?<![\p{L}\d])từ\s+$", _F)


def _combine(text: str, cands: list[Cand]) -> list[Cand]:
    """'từ A đến B' and 'A - B' of dated expressions are one range; 'từ A đến khi ...' is open."""
    dated = _select([c for c in cands if c.core in DATED_CORES])
    extra = []
    for a, b in zip(dated, dated[1:]):
        if a.end <= b.start and P_RANGE_JOIN.match(text[a.end:b.start]) and a.p_start and b.p_end and a.p_start < b.p_end:
            extra.append(Cand(a.start, b.end, "range", a.p_start, b.p_end, core="join"))
    for a in dated:   # "từ tháng 01/2026", "từ tháng 10/2025 đến khi ...": open-ended
        m = P_FROM_BEFORE.search(text[max(0, a.start - 12):a.start])
        if m and a.core != "year":
            extra.append(Cand(a.start - len(m.group()), a.end, "range", a.p_start, None, core="from"))
    return cands + extra


def _select(cands: list[Cand]) -> list[Cand]:
    """Longest expressions win; overlapping shorter ones are dropped."""
    chosen: list[Cand] = []
    for c in sorted(cands, key=lambda c: (-c.length, c.start)):
        if all(c.end <= o.start or c.start >= o.end for o in chosen):
            chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)


P_UNTIL = regex.compile(r"\s*(?:cho\s+)?đến\s+khi\b", _F)


FROM_ISSUE = r"(?:kể\s+)?từ\s+(?:ngày\s+(?:ký|ban\s+hành)|nay)"
P_FROM_ISSUE = regex.compile(rf"{FROM_ISSUE}(?![\p{{L}}\d])", _F)
# "từ nay đến hết năm 2025", "từ ngày ban hành Kế hoạch đến ngày 30/6/2026": the words before the period's end
P_FROM_ISSUE_TO = regex.compile(rf"(?<![\p{{L}}\d]){FROM_ISSUE}(?:\s+[^.;:,()\n|]{{1,40}}?)?\s+(?:đến|tới)(?:\s+(?:hết|cuối))?\s+$", _F)
FROM_ISSUE_CHARS = 80      # how far before the end "từ ngày ban hành Kế hoạch đến" is looked for
P_UNTIL_IN = regex.compile(r"(?<![\p{L}\d])(?:cho\s+)?đến\s+khi\b", _F)


def _until(text: str, cands: list[Cand], issued: str | None = None) -> list[Cand]:
    """'Từ tháng 10/2025 đến khi tổ chức thành công Đại hội' is one range, open at its end; so is
    'từ ngày ban hành Kế hoạch đến khi ...', which starts on the issue date. 'Từ nay đến hết năm 2025'
    is a range from the issue date (FORMAT: from-to period), like it."""
    out: list[Cand] = []
    for c in cands:
        if issued and c.core in DATED_CORES and c.p_end and issued <= c.p_end \
                and (m := P_FROM_ISSUE_TO.search(text, max(0, c.start - FROM_ISSUE_CHARS), c.start)):
            c.start, c.kind, c.p_start, c.core = m.start(), "range", issued, "from_issue"
        prev = out[-1] if out else None
        if (prev and prev.kind == "range" and prev.p_end is None and c.kind == "relative"
                and not text[prev.end:c.start].strip() and P_UNTIL.match(text, c.start)):
            prev.end = c.end
            prev.core = "until"
            continue
        if (issued and c.kind == "relative" and P_FROM_ISSUE.match(text, c.start)
                and P_UNTIL_IN.search(text, c.start, c.end)):
            c.kind, c.p_start, c.core = "range", issued, "until"
        out.append(c)
    return out


def _finalize(c: Cand) -> Cand:
    """Row values: ranges and ongoing keep their start; dates, years and recurrences only an end."""
    c.out_start = c.p_start if c.kind in ("range", "ongoing") else None
    c.out_end = None if c.kind == "relative" else c.p_end
    return c


# --- judging prose candidates ----------------------------------------------------------------
def _clause_start(text: str, lo: int, pos: int) -> int:
    """Start of the clause holding pos (after the last . ; : or the paragraph start)."""
    lo = max(lo, pos - CONTEXT_CHARS)
    m = P_CLAUSE_BREAK_LAST.search(text, lo, pos)
    return m.end() if m else lo


def _sentence(text: str, lo: int, hi: int, pos: int) -> str:
    lo = max(lo, pos - CONTEXT_CHARS)
    hi = min(hi, pos + CONTEXT_CHARS)
    m = P_SENT_END_LAST.search(text, lo, pos)
    a = m.end() if m else lo
    m = P_SENT_END.search(text, pos, hi)
    return text[a:m.start() if m else hi]


@lru_cache(maxsize=1024)          # candidates of one sentence ask about it in turn
def _is_target_sentence(sent: str) -> bool:
    return bool(P_TARGET_WORD.search(sent) or P_TARGET_NUM.search(sent))


def _prefix(text: str, lo: int, c: Cand) -> int:
    a = max(lo, c.start - 40)
    m = P_PREFIX.search(text, a, c.start)
    if not m and c.recurrence == "weekly":
        m = P_WEEKDAY_BEFORE.search(text, a, c.start)
    if not m and c.kind == "date":          # "trước 17 giờ ngày 25/11/2025"
        m = P_CLOCK.search(text, a, c.start)
    return m.start() if m else c.start


def _keep_prose(text: str, lo: int, hi: int, c: Cand, preamble: bool = False) -> bool:
    at = c.start if c.lead is None else c.lead      # "trong Quý I, II/2026": "trong" bounds both quarters
    before = text[max(lo, at - 60):at]
    clause = text[_clause_start(text, lo, at):at]
    low_clause = clause.casefold()
    if c.kind == "relative" or c.core == "until":     # an event bounds it (a range open until an event)
        if P_AROUND.search(before):     # "trước, trong và sau khi ...": a period, no bound
            return False
        if c.kind == "relative" and W_BENEFIT.search(clause):
            return False                # "sẽ được cộng điểm (sau khi được ban hành)": bounds no task
        return not W_ADHOC.search(text[max(lo, c.start - 20):c.end])
    if c.kind == "ongoing" and c.core == "ongoing":
        if W_ONGOING_BEFORE.search(before) or W_ONGOING_AFTER.search(text[c.end:c.end + 20]):
            return False
        return not W_CHARACTER.search(clause[-80:])
    if c.kind == "recurring" and c.out_end is None:
        if c.core == "periodic" or G_PERIODIC_WORD.match(text, c.start):
            return True
        if c.core == "per":       # "01 lần/năm": a rate in a target, a frequency in a task
            return not _is_target_sentence(_sentence(text, lo, hi, c.start))
        if c.core == "clock":     # a time of day bounds a daily task only
            return bool(P_DAILY_CUE.search(_hard_clause(text, lo, hi, c)))
        if (W_RECUR_BEFORE.search(before) or P_BULLET.search(before) or P_CLOCK.search(before)
                or P_WEEKDAY_BEFORE.search(before)):
            return True
        if c.recurrence == "daily" and P_CLOCK_TIME.search(_hard_clause(text, lo, hi, c)):
            return True
        if P_SENT_OPEN.search(before) and W_TASK_AFTER.match(text[c.end:c.end + 40]):
            return True
        if _ends_task(text, lo, hi, c, clause):
            return True
        # "báo cáo tình hình hằng tuần": a reporting verb of the clause, no noun the recurrence describes
        # ("báo cáo ... hằng năm" is too often "the yearly report", a noun)
        verbs = list(W_REPORT_VERB.finditer(clause))
        return c.recurrence != "yearly" and bool(verbs) and len(P_WORD.findall(clause[verbs[-1].end():])) <= MERGE_WORDS \
            and not W_RECUR_NOUN.search(clause[verbs[-1].end():])
    if c.kind == "recurring":          # a date without a year, every year / month
        return not _citation(before)
    # dated: date, year, range, ongoing-from
    if _citation(before):
        return False
    clock = P_CLOCK.search(before)
    bound = bool(W_BOUND.search(before[:clock.start()] if clock else before)) or (c.core == "year" and _review_year(clause, before)) \
        or c.core == "from_issue"      # "từ nay đến hết ...": a period stated as when the work is done
    if _in_cited_title(clause, bound):
        return False
    if preamble and c.kind in ("date", "range") and not bound:
        return False      # the preamble's dates are those of the reports and decisions it cites
    if c.kind in ("year", "range", "ongoing") and _is_target_sentence(_sentence(text, lo, hi, c.start)):
        return False
    if P_HORIZON.search(before):
        return False
    if c.kind == "year" and P_UNTIL_YEAR.search(before):     # "đến năm 2030": a horizon
        return P_COMPLETE_UNTIL.search(before) is not None
    if P_SINCE_PAST.match(text, c.end):
        return False
    name = W_NAME.search(low_clause)
    if name and not bound and c.core != "next":
        return False
    if c.core == "year" and not bound:
        if W_TASK.search(low_clause) or _is_label(text[lo:hi], text[c.start:c.end]):
            return True
        opens = not P_WORD.search(P_LABEL.match(clause)["t"])      # "Năm 2026 tổ chức ...": it opens the clause
        after = P_CLAUSE_BREAK.search(text, c.end, hi)
        return opens and bool(W_TASK.search(text[c.end:after.start() if after else hi]))
    return True


def _ends_task(text: str, lo: int, hi: int, c: Cand, clause: str) -> bool:
    """'- Tổ chức tập huấn ...; hội thảo ... cho trẻ em hàng năm.': a recurrence that ends a sentence
    opened by a task verb (after a body's label, too) says how often the task is done, unless a noun
    of its clause takes it ('xây dựng kế hoạch hằng năm') or the sentence states a target (a rate)."""
    if not P_TASK_END.match(text[c.end:min(hi, c.end + 4)]):
        return False
    start = P_TASK_START_LAST.search(text, max(lo, c.start - CONTEXT_CHARS), c.start)
    opening = text[start.end() if start else max(lo, c.start - CONTEXT_CHARS):c.start]
    return (bool(W_TASK_AFTER.match(opening[P_LABEL_OPEN.match(opening).end():])) and not W_RECUR_NOUN.search(clause)
            and not _is_target_sentence(_sentence(text, lo, hi, c.start)))


def _review_year(clause: str, before: str) -> bool:
    """'Báo cáo giữa kỳ thực hiện Kế hoạch (năm 2030)', 'sơ kết giữa kỳ năm 2028': the year a review or
    report is due, in brackets after it or right after it with no name between."""
    if P_OPEN_PAREN.search(before):
        reviews = list(W_REVIEW.finditer(clause))
        return bool(reviews) and len(P_WORD.findall(clause[reviews[-1].end():])) <= MERGE_WORDS
    reviews = list(W_REVIEW_EVENT.finditer(clause))
    return bool(reviews) and len(P_WORD.findall(clause[reviews[-1].end():])) <= 3


LABEL = r"(?:[\dIVXivx]+(?:\.\d+)*[.)]|[a-zđ]\)|[-+*•])"       # "2.", "b)", "-" before an item's text
P_LABEL = regex.compile(rf"^\s*{LABEL}?\s*(?P<t>.*?)\s*[:.]?\s*$", regex.S)
P_LABEL_OPEN = regex.compile(rf"\s*{LABEL}?\s*")


def _is_label(paragraph: str, expression: str) -> bool:
    """'2. Năm 2026:' heads the tasks listed under it (a roadmap's step)."""
    return P_LABEL.match(paragraph)["t"].casefold() == expression.casefold()


def _hard_clause(text: str, lo: int, hi: int, c: Cand) -> str:
    """The text around c up to the nearest . ; or line break on each side."""
    a = max(lo, c.start - CONTEXT_CHARS)
    m = P_HARD_BREAK_LAST.search(text, a, c.start)
    a = m.end() if m else a
    m = P_HARD_BREAK.search(text, c.end, min(hi, c.end + CONTEXT_CHARS))
    return text[a:m.start() if m else min(hi, c.end + CONTEXT_CHARS)]


def _times_of_day(text: str, rows: list[Cand]) -> list[Cand]:
    """'trước 19h00 hằng ngày', 'hằng ngày trước 16 giờ': one daily row per time of day; the daily
    cue joins the time next to it ('02 lần/ngày (trước 9h00 và 16h00)' gives two rows)."""
    clocks = [c for c in rows if c.core == "clock"]
    out = []
    for c in rows:
        if c.recurrence == "daily" and c.core != "clock" and c.out_end is None:
            near = [k for k in clocks if not P_HARD_BREAK.search(text[min(c.end, k.end):max(c.start, k.start)])
                    and len(P_WORD.findall(text[min(c.end, k.end):max(c.start, k.start)])) <= MERGE_WORDS]
            if near:
                k = min(near, key=lambda k: abs(k.start - c.start))
                gap = text[min(c.end, k.end):max(c.start, k.start)]
                if not regex.search(r"[()]", gap):      # quote the cue with its time when they stand together
                    k.start, k.end = min(k.start, c.start), max(k.end, c.end)
                continue
        out.append(c)
    return out


def _merge_recurrences(text: str, rows: list[Cand]) -> list[Cand]:
    """'định kỳ hằng năm gửi ... trước ngày 10 tháng 12' is one yearly date; 'định kỳ 6 tháng, hằng
    năm (trước ngày 15/6 và 15/12)': the dates that follow say when the periodic reports are due."""
    out: list[Cand] = []
    pending: list[Cand] = []          # bare recurrences waiting for the day they are due

    def near(a: Cand, b: Cand) -> bool:
        gap = text[a.end:b.start]
        return not P_HARD_BREAK.search(gap) and len(P_WORD.findall(gap)) <= MERGE_WORDS

    for c in rows:
        bare = c.kind == "recurring" and c.out_end is None
        if bare:
            if pending and not near(pending[-1], c):
                out.extend(pending)
                pending = []
            pending.append(c)
            continue
        if pending and c.kind == "recurring" and c.out_end is not None and near(pending[-1], c) \
                and (c.core != "donly" or pending[-1].recurrence == "monthly"):
            rec = "monthly" if pending[-1].recurrence == "monthly" and c.out_end.startswith("---") else "yearly"
            out.append(Cand(pending[0].start, c.end, "recurring", recurrence=rec, core="merged", out_end=c.out_end))
            pending = []
            continue
        out.extend(pending)
        pending = []
        out.append(c)
    out.extend(pending)
    return [c for c in out if c.core != "donly"]      # "ngày 25" alone is a day of a month said elsewhere


def _prose(doc: Document, lo: int, hi: int, preamble: bool = False, this_year: str | None = None,
           issued: str | None = None, low: str | None = None) -> list[Cand]:
    text = doc.text
    found = _until(text, _select(_combine(text, _cores(text, lo, hi, low))), issued)
    kept = []
    for c in found:
        _finalize(c)
        if not _keep_prose(text, lo, hi, c, preamble):
            continue
        c.start = _prefix(text, lo, c)
        kept.append(c)
    rows = _times_of_day(text, _merge_recurrences(text, kept))
    if this_year:
        for c in rows:
            if c.core == "dm" and not W_RECUR_CUE.search(_sentence(text, lo, hi, c.start)):
                _date_in(c, this_year)
    return rows


def _date_in(c: Cand, issued: str) -> None:
    """A day without a year in a plan for its issue year: the next such day after the issue date."""
    month_day = c.out_end[1:]                   # "-12-15"
    year = int(issued[:4]) + (1 if f"{issued[:4]}{month_day}" < issued else 0)
    c.kind, c.recurrence, c.out_end = "date", None, f"{year}{month_day}"


def _one_off(doc: Document, issued: str | None, body_start: int) -> bool:
    """A plan whose horizon ends in its issue year (a campaign, an emergency): no later year in its
    title or opening text."""
    if not issued:
        return False
    title = (doc.rows.get("documents") or [{}])[0].get("title") or ""
    head = title + "\n" + doc.text[body_start:body_start + HORIZON_CHARS]
    return all(int(y) <= int(issued[:4]) for y in P_LATER_YEAR.findall(head))


# --- table cells -----------------------------------------------------------------------------
P_CELL_RELATIVE = regex.compile(r"^\s*(?:ngay\s+)?(?:sau\s+khi|trước\s+khi|khi)\s+\S", _F)
P_CELL_YEAR = regex.compile(rf"^\s*{Y}\s*$")


def _cell(doc: Document, a: int, b: int, this_year: str | None = None, issued: str | None = None,
          low: str | None = None) -> list[Cand]:
    """Rows of one cell of a time column: the cell must be (almost) only time expressions."""
    text = doc.text
    while a < b and text[a] in " *":
        a += 1
    while b > a and text[b - 1] in " *":
        b -= 1
    if a >= b:
        return []
    cell = text[a:b]
    if m := P_CELL_YEAR.match(cell):
        y = int(m.group(1))
        return [Cand(a, b, "year", out_end=_iso(y, 12, 31), core="cell")]
    if P_CELL_RELATIVE.match(cell) and not W_ADHOC.search(cell):
        return [Cand(a, b, "relative", core="cell")]
    found = [_finalize(c) for c in _until(text, _select(_combine(text, _cores(text, a, b, low))), issued)]
    daily = P_DAILY_CUE.search(cell)
    found = [c for c in found if c.kind != "relative" and (c.core != "clock" or daily)]
    if not found:
        return []
    for c in found:
        c.start = _prefix(text, a, c)
    rest = "".join(text[x:y] for x, y in zip([a] + [c.end for c in found], [c.start for c in found] + [b]))
    if not P_CELL_FILLER.match(rest):
        return []
    rows = _times_of_day(text, _merge_recurrences(text, found))
    if this_year:
        for c in rows:
            if c.core == "dm" and not W_RECUR_CUE.search(cell):
                _date_in(c, this_year)
    if len(rows) == 1:                 # the cell is the expression ("Nhiệm vụ thường xuyên")
        rows[0].start, rows[0].end = a, b
    return rows


def _time_column(table: Table) -> int | None:
    """Index of the table's time column: a short header cell naming a time ("Thời gian thực hiện"),
    not a cell stating one ("Thời gian: 2026")."""
    i = table.column(*_T["time_column_headers"])
    if i is None:
        return None
    head = table.header[i]
    return i if len(P_WORD.findall(head)) <= 6 and not P_DIGIT.search(head) else None


def _tables(doc: Document, this_year: str | None = None, issued: str | None = None,
            low: str | None = None) -> list[Cand]:
    """One row per cell of a time column. A row wider than the header holds a second row whose
    break was lost (a page break): its cells past the header's width are read too."""
    out = []
    for table in doc.tables:
        i = _time_column(table)
        if i is None:
            continue
        width = len(table.header)
        for row in table.rows:
            cells = row.cells[i:i + 1] + row.cells[max(width, i + 1):]
            for cell in cells:
                out.extend(_cell(doc, cell.start, cell.end, this_year, issued, low))
    return out


# --- document --------------------------------------------------------------------------------
def _skip_paragraph(doc: Document, a: int, b: int, body_start: int) -> bool:
    para = doc.text[a:b].strip()
    if not para or a < body_start:
        return True
    low = para.casefold().lstrip("-+*• ")
    if low.startswith(SKIP_STARTS) or APPENDIX_SUB.search(low[:60]):
        return True
    title = (doc.rows.get("documents") or [{}])[0].get("title")
    if title and para.startswith(title.strip()[:60]):
        return True      # the plan's own title ("Kế hoạch ... năm 2025") names it
    # title lines in capitals (a "THỜI GIAN THỰC HIỆN: ..." heading still counts)
    return _capitals(para[:TITLE_CHARS]) and not W_TIME_HEADER.search(para)


def _skipped_section(doc: Document, a: int, seen: dict[int, bool]) -> bool:
    """The paragraph at a lies in a section about goals, grounds or views alone (`seen` remembers
    each section's answer): "MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP" holds tasks too and is read."""
    section = doc.section_at(a)
    if section is None:
        return False
    skip = seen.get(id(section))
    if skip is None:
        skip = seen[id(section)] = section.kind in SKIP_KINDS and not W_TASK_SECTION.search(section.heading)
    return skip


def _names_criteria(h: Heading, seen: dict[int, bool]) -> bool:
    """'III. ĐỐI TƯỢNG, NGUYÊN TẮC, HÌNH THỨC VÀ TIÊU CHUẨN KHEN THƯỞNG': a title line that names only who
    is eligible, criteria, awards, aims: a time under it is a condition ('Thường xuyên chỉ đạo ...' an
    award asks for), no bound. 'ĐỐI TƯỢNG VÀ THỜI GIAN THI ĐUA' names a time too. `seen`: each answer."""
    names = seen.get(id(h))
    if names is None:
        title = h.title.strip(" *:")
        items = [item for item in P_HEADING_ITEMS.split(title) if item]
        names = seen[id(h)] = (h.is_title_line and len(title) < HEADING_TITLE_CHARS and bool(items)
                               and all(W_NO_TASK_ITEM.match(item) for item in items))
    return names


def _under_criteria(headings: Enclosing, a: int, seen: dict[int, bool]) -> bool:
    """The paragraph at a lies under a heading naming only criteria (`_names_criteria`)."""
    return any(h.start < a and _names_criteria(h, seen) for h in headings.at(a))


ASCII_SMALL = bytes(range(ord("a"), ord("z") + 1))


def _capitals(head: str) -> bool:
    """Over 80% of the letters (more than 8) are capitals."""
    # ASCII small letters (counted on the bytes, in C) are small letters: when they are a fifth of
    # the characters, capitals cannot be over 80% of the letters. Most prose stops here.
    data = head.encode()
    if 5 * (len(data) - len(data.translate(None, ASCII_SMALL))) >= len(head):
        return False
    letters = sum(map(str.isalpha, head))
    if letters <= 8 or 5 * sum(map(str.isupper, head)) < 4 * letters:
        return False     # too few capitals even counting those that are no letters (Ⅻ): the usual case
    letters = "".join(filter(str.isalpha, head))
    return sum(map(str.isupper, letters)) / len(letters) > 0.8


P_PLACE_DATE = regex.compile(r"^[^\n]{0,60}?,\s*ngày\s+\S+\s+tháng\s+\S+\s+năm\s+\d{4}", regex.M)


def _body_start(doc: Document) -> int:
    """Skip the document header: everything up to the place-and-date line."""
    m = P_PLACE_DATE.search(doc.text[:4000])
    return m.end() if m else 0


def _issue_date(doc: Document) -> str | None:
    meta = (doc.rows.get("documents") or [{}])[0].get("issue_date")
    return meta.isoformat()[:10] if hasattr(meta, "isoformat") else meta


def _in_past(c: Cand, issued: str | None) -> bool:
    """A date or period over before the plan was issued (a report's date, an anniversary, a past plan)
    bounds nothing."""
    if not issued or c.kind not in ("date", "year", "range"):
        return False
    end = c.out_end or c.p_end
    if end and end < issued:
        return True
    start = c.out_start or c.p_start
    return bool(start and int(start[:4]) < int(issued[:4]) - PAST_YEARS)


def _close_paren(text: str, c: Cand) -> None:
    """'Định kỳ hằng năm (trước ngày 30/11)': keep the quote's brackets balanced."""
    q = text[c.start:c.end]
    if q.count("(") > q.count(")") and text[c.end:c.end + 1] == ")":
        c.end += 1


def find(doc: Document) -> list[Cand]:
    body_start = _body_start(doc)
    issued = _issue_date(doc)
    first_section = min((s.start for s in doc.sections), default=len(doc.text))
    this_year = issued if _one_off(doc, issued, body_start) else None
    text = doc.text
    low = _casefolded(text)
    rows: list[Cand] = _tables(doc, this_year, issued, low)
    sections: dict[int, bool] = {}
    headings, criteria = Enclosing(doc.headings), {}
    for a, b in doc.paragraphs:
        if a < body_start or a >= b or text[a] == "|" or text[a].isspace() and text[a:b].lstrip().startswith("|") \
                or _skipped_section(doc, a, sections) or not _has_time_cue(text, a, b, low) \
                or _skip_paragraph(doc, a, b, body_start) or _under_criteria(headings, a, criteria):
            continue       # table lines are read cell by cell above; no cue, no time expression
        rows.extend(_prose(doc, a, b, preamble=a < first_section, this_year=this_year, issued=issued, low=low))
    rows = sorted((c for c in rows if not _in_past(c, issued)), key=lambda c: c.start)
    for c in rows:
        _close_paren(doc.text, c)
    return rows


def extract(doc: Document) -> Iterator[DeadlineRow]:
    for i, c in enumerate(find(doc), 1):
        yield DeadlineRow(deadline_id=f"D{i}", kind=c.kind, start=c.out_start, end=c.out_end,
                          recurrence=c.recurrence, **doc.evidence(c.start, c.end))

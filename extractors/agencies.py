"""Responsible bodies: finding the public bodies a plan names, and the agencies table.

`find_mentions(doc)` locates every body mention in `doc.text` once per document:
- the lexicon of `pipeline/data/agencies.json` (full names and the abbreviations plans print)
  through a spaCy PhraseMatcher on lower-cased, tone-unified tokens;
- collective names (`các sở, ban, ngành`, `UBND các huyện, thị xã, thành phố`, ...) and
  forms of one body printed differently (the State Bank branch), by patterns from the lexicon;
  Each pattern runs only around the lower-case cue words one of which all its matches contain
  (`cues` in the lexicon, `cued`): the same matches as a scan of the whole text, several times faster;
  one whose matches all start at a cue or at a few words before it (`starts`) is tried only there (`at_cues`);
- a grammar rule for bodies the lexicon does not list: a head word (`Sở`, `Ban`, `Trung tâm`,
  `Hội`, `Chi cục` ...) followed by a capitalized name, optional level word and place.
Each mention carries its canonical name(s), level and kind: `body`, `group`, `central`
(ministries, other bodies a provincial plan cannot task), `issuer` (the issuing committee),
`vague`, `local` (`địa phương`, a body only beside a group of departments) or `business`
(read only when a task item is addressed to it). One name for two levels ("cấp tỉnh, cấp xã")
is two bodies; in plans issued from 1 July 2025 there is no district level.

The agencies table (`extract`) lists the bodies the assignments made responsible; the
assignments extractor records which mentions it used in `doc.meta["agency_use"]`.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from functools import lru_cache
from dataclasses import dataclass, field
from typing import Iterator

import regex

from pipeline.document import Document
from pipeline.lexicon import lexicon
from pipeline.rows import AgencyRow


def _data() -> dict:
    return lexicon("agencies")


# --- text keys -----------------------------------------------------------------------------
_TONE_RE = None
_TONE_MAP: dict[str, str] = {}
_TONE_KEYS: dict[str, list[str]] = {}   # old spelling (longest first) -> the shorter ones it starts with
_LETTER = regex.compile(r"\p{L}")


def unify(text: str) -> str:
    """Tone marks in one placement (hoà -> hòa, Uỷ -> Ủy); keeps the length, so offsets hold."""
    global _TONE_RE
    if _TONE_RE is None:
        _TONE_MAP.update({a: b for a, b in _data()["tone_pairs"]})
        keys = sorted(_TONE_MAP, key=len, reverse=True)
        _TONE_KEYS.update({k: [x for x in keys[i + 1:] if k.startswith(x)] for i, k in enumerate(keys)})
        # the old spellings, found by the stdlib `re` (twice as fast on a whole text as `regex`)
        _TONE_RE = re.compile("|".join(re.escape(a) for a in keys))
    # replaced only at the end of a syllable ("hoà" is old-style, "đoàn" is not): as a regex
    # alternation with (?!\p{L}) would, the first spelling at a position (longest first) with no
    # letter after it; one found there failing that, only a shorter one it starts with may follow
    out = []
    last = 0
    m = _TONE_RE.search(text)
    while m:
        p = m.start()
        for k in (m.group(), *_TONE_KEYS[m.group()]):
            if not _LETTER.match(text, p + len(k)):
                out.append(text[last:p])
                out.append(_TONE_MAP[k])
                last = p + len(k)
                break
        m = _TONE_RE.search(text, last if last > p else p + 1)
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


def unified_text(doc: Document) -> str:
    """doc.text with unified tone marks (same length), computed once per document."""
    t = doc.meta.get("unified_text")
    if t is None or len(t) != len(doc.text):
        t = doc.meta["unified_text"] = unify(doc.text)
    return t


_WS = regex.compile(r"\s+")
_PROVINCE_TAIL = regex.compile(r"(?:tỉnh|thành phố)$")
_PARTY_HEADER = regex.compile(r"(?:TỈNH|HUYỆN|THÀNH|THỊ|ĐẢNG)\s+ỦY|ĐẢNG BỘ|BAN CHẤP HÀNH")
_PLACE_TAIL = regex.compile(r"(?:\s+\p{Lu}\p{Ll}*)+$")
_PARTY_ISSUER = regex.compile(r"(?:tỉnh|thành|huyện|thị|quận|đảng)\s+ủy(?!\s+ban)")   # a folded issuer name
_LEVEL_TAIL = regex.compile(r"(tỉnh|thành phố|huyện|ủy|Việt Nam)$")
_SO_LEVEL = regex.compile(r"\s+(tỉnh|thành phố|Tỉnh|Thành phố)\b")
_LIST_WORDS = regex.compile(r"(?i)các|cấp|,")
_DETERMINER = regex.compile(r"^(?:các|những)\s+", regex.I)
_UPPER = regex.compile(r"\p{Lu}")
_BRACKETS = regex.compile(r"\([^()]*\)")
_LEVEL_END = regex.compile(r"\s+cấp\s+(tỉnh|huyện|xã)$")
_MORE_LEVEL = regex.compile(r"(?:\s*,\s*|\s+và\s+)cấp\s+(tỉnh|huyện|xã)(?!\p{L})")
_STEM = regex.compile(r"\s+(?:cấp\s+)?(?:tỉnh|thành phố|huyện)(?P<place>(?:\s+\p{L}+){0,3})$")


@lru_cache(maxsize=20000)
def fold(name: str) -> str:
    return _WS.sub(" ", unify(name)).strip().casefold()


# --- mentions ------------------------------------------------------------------------------
@dataclass
class Mention:
    start: int                 # normalized offsets in doc.text
    end: int
    names: list[str]           # canonical names (a collective may stand for two rows)
    level: str
    kind: str = "body"         # body | group | central | issuer | vague | local | business
    printed: str = ""
    family: str | None = None  # forms of one body printed differently share a family key
    levels: list[str] = field(default_factory=list)
    prints: list[str] = field(default_factory=list)   # each name's own printed form, when it names several


class _Compiled:
    """Everything compiled once per process from the lexicon."""

    def __init__(self) -> None:
        import spacy
        from spacy.matcher import PhraseMatcher
        data = _data()
        self.nlp = spacy.blank("xx")
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.entries: dict[str, dict] = {}
        for i, body in enumerate(data["bodies"]):
            key = f"B{i}"
            self.entries[key] = body
            forms = [body["name"], *body.get("aliases", [])]
            self.matcher.add(key, [self.nlp.make_doc(unify(f)) for f in forms])
        flags = regex.V1
        cues = data["scan_cues"]
        self.families = [(f, regex.compile(f["pattern"], flags)) for f in data["families"]]
        self.groups = [(g, regex.compile(g["pattern"], flags | regex.I)) for g in data["groups"]]
        self.subject_groups = [(g, regex.compile(r"(?<!\p{L})(?:" + g["pattern"] + r")(?!\p{L})", flags | regex.I))
                               for g in data["subject_groups"]]
        self.table_groups = [(g, regex.compile(r"(?<!\p{L})(?:" + g["pattern"] + r")(?!\p{L})", flags | regex.I))
                             for g in data["table_only_groups"]]
        self.central = regex.compile("|".join(f"(?:{p})" for p in data["central"]["patterns"]), flags)
        self.mttq = regex.compile(data["mttq"]["pattern"], flags)
        # "các Sở: Tài chính, Nội vụ và Y tế": one head shared by a list of departments
        self.dept_short: dict[str, str] = {}
        for body in data["bodies"]:
            for form in [body["name"], *body.get("aliases", [])]:
                if form.startswith("Sở ") and body["name"].startswith("Sở "):
                    self.dept_short[fold(form[3:])] = body["name"]
        alt = "|".join(regex.escape(k) for k in sorted(self.dept_short, key=len, reverse=True))
        self.dept_list = regex.compile(r"(?<!\p{L})(?:các\s+)?[Ss]ở\s*:?\s*(?P<x>" + alt + r")(?:\s*(?:,|;|và)\s*(?P<x>"
                                       + alt + r"))+(?![\p{L}&])", flags | regex.I)
        self.issuer_committee = regex.compile(data["issuer_committee"], flags)
        units = "|".join(sorted(data["every_unit"], key=len, reverse=True))
        unit_abbr = "|".join(a for a, e in data["abbreviations"].items() if e in data["every_unit"])   # "TP"
        self.named_local = regex.compile(data["named_local_council"].replace("{units}", f"{units}|{unit_abbr}"), flags)
        self.every_unit = regex.compile(rf"[^\S\n]+các[^\S\n]+(?P<unit>{units})(?:\s*(?:,|và)\s*(?:{units}))*(?!\p{{L}})", flags)
        self.province_keys = {fold(p) for p in data["provinces"]}
        heads = sorted(data["heads"], key=lambda h: -len(h["head"]))
        self.heads = {h["head"]: h for h in heads}
        # a head printed as its abbreviation ("BQL Khu kinh tế" for "Ban Quản lý Khu kinh tế")
        head_abbr = {a: e for a, e in data["abbreviations"].items() if e in self.heads}
        # the head's first word as printed (capitalized), the rest in any case ("Ban chỉ đạo")
        self.head_re = regex.compile(r"(?<![\p{L}\d])(?:" + "|".join([_head_pattern(h["head"]) for h in heads]
                                                                      + [regex.escape(a) for a in head_abbr])
                                     + r")(?=[\s,])", flags)
        # where a head may start: its first word as printed, found in one pass by the stdlib re
        self.head_first = re.compile("|".join(re.escape(w) for w in sorted(
            {h["head"].partition(" ")[0] for h in heads} | set(head_abbr), key=len, reverse=True)))
        self.head_canon = {fold(h["head"]): h["head"] for h in heads} | {fold(a): e for a, e in head_abbr.items()}
        self.head_tails = tuple(" " + k for k in self.head_canon if " " in k)   # (see resolve_names)
        self.head_excl = tuple(unify(x) for x in data["head_exclusions"])
        named = "|".join(regex.escape(unify(x)) for x in data["head_exclusions_unless_named"])
        self.head_excl_named = regex.compile(rf"(?:{named})[^\S\n]+\p{{Lu}}", flags)
        self.head_first_words = {h["head"].split()[0] for h in heads} | set(head_abbr) | {"UBND", "Ủy", "Sở", "Ban"}
        self.function_caps = set(data["function_caps"])
        self.place_after = regex.compile(r"\s+(?:" + "|".join(regex.escape(unify(p)) for p in sorted(
            data["provinces"], key=len, reverse=True)) + r")(?!\p{L})")
        self.stop = {w for w in data["stop_words"] if " " not in w}
        self.stop_pairs = {w for w in data["stop_words"] if " " in w}
        self.lower_ok_words = set(data["name_words_lower"])
        provinces = "|".join(regex.escape(unify(p)) for p in sorted(data["provinces"], key=len, reverse=True))
        # used with .match(text, pos): no anchor; a place after "tỉnh" must be a province's name
        # task verbs of two words or more, capitalized as a wrapped line opens with them ("Phối hợp")
        verbs = {v for k in ("lead", "coordinate_words", "steer") for v in data["cues"][k]} | set(lexicon("time")["task_verbs"])
        verbs = {v for v in verbs if " " in v}
        task_verbs = "|".join(regex.escape(v[:1].upper() + v[1:]) for v in sorted(verbs, key=len, reverse=True))
        self.suffix_re = regex.compile(data["name_suffix"].replace("{provinces}", provinces)
                                       .replace("{task_verbs}", task_verbs), flags)
        self.suffix_level_res = [(regex.compile(rf"(?<!\p{{L}}){regex.escape(w)}(?:\s+\p{{Lu}}\p{{Ll}}*)*$"), lv)
                                 for w, lv in data["suffix_levels"].items()]
        self.abbr = data["abbreviations"]
        self.abbr_re = regex.compile(r"(?<![\p{L}&])(" + "|".join(regex.escape(a) for a in sorted(self.abbr, key=len, reverse=True))
                                     + r")(?![\p{L}&])")
        self.word_re = regex.compile(r"[\p{L}\d]+(?:[&\-][\p{L}\d]+)*|[^\s\p{L}\d]")
        self.bare_council = regex.compile(r"(?<!\p{L})(Hội đồng nhân dân|Ủy ban nhân dân|HĐND|UBND)(?!\s+(?:tỉnh|Tỉnh|huyện|xã|phường|các|cấp|thành|Thành|thị|quận|TP|\p{Lu}))", flags)
        self.locals = [(regex.compile(r"(?<!\p{L})(?:" + lp["pattern"] + r")(?!\p{L})", flags), lp["name"], lp["cues"],
                        lp.get("starts")) for lp in data["local_places"]]
        self.central_cues = data["central"]["cues"]
        self.central_starts = data["central"].get("starts")
        self.cue_base = _cue_bases(data)   # cue -> (the longest other cue in it, its offset there)
        self.mttq_cues = data["mttq"]["cues"]
        self.issuer_cues = cues["issuer_committee"]
        self.bare_cues = cues["bare_council"]
        self.dept_cues = cues["dept_list"]
        self.vague_cues = cues["vague"]
        self.starts = cues["starts"]   # where the matches of the patterns below start (see `scan`)
        # the kinds of unit a vague group is named by are its scan cues ("các cơ quan, đơn vị", "các lực lượng")
        kinds = "|".join(map(regex.escape, self.vague_cues))
        self.vague_re = regex.compile(rf"(?<!\p{{L}})(?:các\s+)?(?:{kinds})(?:,\s*(?:{kinds}|địa phương|cá nhân))*"
                                      r"(?:\s+(?:chức năng|có liên quan|liên quan|khác))*(?!\p{L})", flags | regex.I)


_SCAN_BEFORE = 40    # chars before a cue where a match may start (a prefix like "thủ trưởng các")
_SCAN_MARGIN = 120   # chars after a cue where a match may end (matches are far shorter)
_SCAN_GUARD = 40     # a match ending this near a window's end is re-read with more text after it


def _cue_bases(data: dict) -> dict[str, tuple[str, int]]:
    """Each cue of the lexicon holding another one: the longest such one and its offset in it."""
    cues = data["scan_cues"]
    every = {x for xs in [data["central"]["cues"], data["mttq"]["cues"],
                          *(v for k, v in cues.items() if not k.startswith("_") and k != "starts"),
                          *(e["cues"] for e in data["families"] + data["groups"] + data["subject_groups"]
                            + data["local_places"])]
             for x in xs}
    out = {}
    for x in every:
        inner = sorted((y for y in every if y != x and y in x), key=lambda y: (-len(y), y))
        if inner:
            out[x] = (inner[0], x.index(inner[0]))
    return out


def positions(low: str, cue: str, cache: dict) -> list[int]:
    """Offsets of a cue word in low (cached per document). A cue holding another one is looked
    for only where that one is (`sở,` where `sở` is): one scan of the text less."""
    found = cache.get(cue)
    if found is None:
        base = compiled().cue_base.get(cue)
        if base is not None:
            y, k = base
            found = cache[cue] = [p - k for p in positions(low, y, cache) if p >= k and low.startswith(cue, p - k)]
            return found
        found = cache[cue] = []
        i = low.find(cue)
        while i >= 0:
            found.append(i)
            i = low.find(cue, i + 1)
    return found


def _windows(low: str, cues, cache: dict) -> list[tuple[int, int]]:
    """Merged spans of low around the occurrences of the cue words (cached per document)."""
    key = tuple(cues)
    got = cache.get(key)
    if got is not None:
        return got
    n = len(low)
    occ = []
    for cue in cues:
        k = len(cue)
        occ.extend((i, i + k) for i in positions(low, cue, cache))
    occ.sort()
    windows: list[list[int]] = []
    for a, b in occ:
        a, b = max(0, a - _SCAN_BEFORE), min(n, b + _SCAN_MARGIN)
        if windows and a <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], b)
        else:
            windows.append([a, b])
    got = cache[key] = [(a, b) for a, b in windows]
    return got


def cued(rx, text: str, low: str | None, cues, cache: dict | None = None):
    """`rx.finditer(text)` read only around the cue words (lower-case, one of which every match
    contains) in `low` (text.lower(), same length): the same matches, without scanning the whole text."""
    if low is None:
        yield from rx.finditer(text)
        return
    n = len(text)
    windows = [list(w) for w in _windows(low, cues, {} if cache is None else cache)]
    last = 0
    k = 0
    while k < len(windows):
        a, b = windows[k]
        s = max(a, last)
        again = False
        for m in rx.finditer(text, s, b):
            if b < n and m.end() + _SCAN_GUARD > b:
                # the match may continue (or a lookahead differ) past the window: widen it
                b = min(n, m.end() + _SCAN_GUARD + _SCAN_MARGIN)
                while k + 1 < len(windows) and windows[k + 1][0] <= b:
                    b = max(b, windows[k + 1][1])
                    del windows[k + 1]
                windows[k] = [m.start(), b]
                last = m.start()
                again = True
                break
            last = m.end()
            yield m
        if not again:
            k += 1


_SPACE = regex.compile(r"\s", regex.V1)


def at_cues(rx, text: str, low: str | None, cues, cache: dict | None = None, starts=()):
    """`rx.finditer(text)` for a pattern whose every match starts at one of its cue words (`cues`,
    lower-case, found in `low`) or at a run of the words `starts` (lower-case, each followed by
    spaces) right before one (`(?:các\\s+)?(?:cue|...)`): the pattern is tried only at those
    positions, leftmost first (a scan of the windows around the cues tries every position).
    The same matches."""
    if low is None:
        yield from rx.finditer(text)
        return
    cache = {} if cache is None else cache
    last = 0
    for p, tries in _starts_at(text, low, cues, starts, cache):
        if p < last:
            continue   # inside the previous match
        for q in tries:
            if q >= last:
                m = rx.match(text, q)
                if m:
                    last = m.end()
                    yield m
                    break


def _starts_at(text: str, low: str, cues, starts, cache: dict) -> list[tuple[int, tuple[int, ...]]]:
    """For each cue position, where a match may start: at a run of the words `starts` before it
    (each followed by spaces), leftmost first, then at the cue (cached per document: patterns share them)."""
    key = (tuple(cues), tuple(starts))
    got = cache.get(key)
    if got is not None:
        return got
    found = [p for cue in cues for p in positions(low, cue, cache)]
    if len(cues) > 1:
        found = sorted(set(found))
    got = cache[key] = []
    for p in found:
        q = p
        before: tuple[int, ...] = ()
        for _ in starts:   # each word at most once before the cue
            i = q
            while i > 0:   # back over the spaces (the regex's \s: some of str.isspace)
                ch = text[i - 1]
                if ch == " " or (ch.isspace() and _SPACE.match(text, i - 1)):
                    i -= 1
                else:
                    break
            if i == q:
                break
            for w in starts:
                k = i - len(w)
                if k >= 0 and low.startswith(w, k):
                    break
            else:
                break
            q = k
            before = (q, *before)
        got.append((p, (*before, p)))
    return got


def scan(rx, text: str, low: str | None, cues, cache: dict, starts=None):
    """The matches of rx in text, read around its cue words; only at them when the lexicon says
    where its matches start (`starts`)."""
    if starts is None:
        return cued(rx, text, low, cues, cache)
    return at_cues(rx, text, low, cues, cache, starts)


def _head_pattern(head: str) -> str:
    first, _, rest = head.partition(" ")
    return regex.escape(first) + (r"\s+(?i:" + regex.escape(rest).replace(r"\ ", r"\s+") + ")" if rest else "")


_COMPILED: _Compiled | None = None


def compiled() -> _Compiled:
    global _COMPILED
    if _COMPILED is None:
        _COMPILED = _Compiled()
    return _COMPILED


def _issuer_info(doc: Document) -> tuple[str, str, str | None]:
    """(issuer name, level word of the issuing unit, issue date iso) from the documents row."""
    rows = doc.rows.get("documents") or [{}]
    issuer = rows[0].get("issuer") or ""
    date = rows[0].get("issue_date")
    if isinstance(date, (dt.date, dt.datetime)):
        date = date.isoformat()[:10]
    return issuer, _issuer_unit(issuer), date


@lru_cache(maxsize=256)
def _issuer_unit(issuer: str) -> str:
    """Level word of the issuing unit (read several times per document: computed once)."""
    low = unify(issuer).casefold()
    for word in _data()["issuer_level_words"]:   # district words first: "huyện X, tỉnh Y" is a district
        if regex.search(rf"(?<!\p{{L}})(?:{word})(?!\p{{L}})|{word} ủy", low):
            return word
    for word in _data()["central_issuer_words"]:   # a ministry issuing its own plan
        if regex.search(rf"(?<!\p{{L}}){word}(?!\p{{L}})", low):
            return word
    return "tỉnh"


def _level_of_unit(unit: str) -> str:
    data = _data()
    return data["issuer_level_words"].get(unit) or data["central_issuer_words"].get(unit, "tinh")


def local_committee(doc: Document, rule_name: str = "local_committee_by_date") -> str:
    rule = _data()[rule_name]
    return rule["after"] if two_levels(doc) else rule["before"]


def two_levels(doc: Document) -> bool:
    """Issued on or after 1 July 2025: local government has no district level."""
    _, _, date = _issuer_info(doc)
    return bool(date) and str(date) >= _data()["local_committee_by_date"]["switch"]


def expand(name: str) -> str:
    """Abbreviations inside a generic name written out (Liên minh HTX tỉnh -> Liên minh Hợp tác xã tỉnh)."""
    c = compiled()
    return c.abbr_re.sub(lambda m: c.abbr[m.group(1)], name)


def one_space(s: str) -> str:
    """Runs of whitespace as one space; the regex only when needed (a printable text has no
    space other than " ")."""
    return _WS.sub(" ", s) if "  " in s or not s.isprintable() else s


def _clean_printed(s: str) -> str:
    return one_space(s).strip(" ,;:.-–")


def _printed_name(s: str) -> str:
    """A group's name as printed, without its determiner, capitalized ('các doanh nghiệp' -> 'Doanh nghiệp')."""
    n = _clean_printed(_DETERMINER.sub("", s))
    return n[:1].upper() + n[1:]


def _and_follows(word, i: int) -> bool:
    """'và' comes within the next few words (`word(k)`: the k-th), before any other comma."""
    for k in range(i, i + 4):
        w = word(k)
        if w == "và":
            return True
        if w == ",":
            return False
    return False


def _generic(c: _Compiled, text: str, start: int, pos: int, head: str) -> tuple[int, str] | None:
    """End offset and printed name of a head-word body whose head (canonical `head`) is printed at
    text[start:pos] (None if not a body)."""
    info = c.heads[head]
    # the name ends by the line's end, a table's "|" or 100 characters after the head
    stop = min(pos + 100, len(text))
    for ch in "\n|":
        k = text.find(ch, pos, stop)
        stop = k if k >= 0 else stop
    # the words are read as the loop reaches them (it mostly stops after a few)
    found = c.word_re.finditer(text, pos, stop)
    words: list[str] = []
    spans: list[tuple[int, int]] = []

    def word(k: int) -> str:
        """The k-th word ("" past the last)."""
        while len(words) <= k:
            m = next(found, None)
            if m is None:
                return ""
            words.append(m.group())
            spans.append(m.span())
        return words[k]

    end = pos
    n_words = 0
    lowers = 0
    i = 0
    lower_ok = info.get("lower_ok", False)
    long = info.get("long", False)
    brand = info.get("bare_ok", False)   # a business's brand: alone, or with a place in capitals after it

    def is_cap(w: str) -> bool:
        return w[:1].isupper()

    while w := word(i):
        a, b = spans[i]
        nxt = word(i + 1)
        if w == "," and not _and_follows(word, i + 2) and "và" not in words[:i]:
            break   # a comma stays inside a name only in "A, B và C" ("Sở Văn hóa, Thể thao và Du lịch")
        if w in (",", "và", "&", "-", "–"):
            if nxt and (is_cap(nxt) and nxt not in c.head_first_words and nxt not in c.function_caps and nxt != "UBND"
                        or (w in ("-", "–") and nxt.casefold() in c.lower_ok_words)
                        or (w == "và" and long and nxt and not is_cap(nxt) and nxt not in c.stop)):
                if w == "," and not (n_words and is_cap(nxt)):
                    break
                i += 1
                continue
            break
        if not w[:1].isalnum():
            break
        m = c.suffix_re.match(text, a - 1) if a > 0 else None
        if m and (n_words or " " in head):   # "Tòa án nhân dân tỉnh": a level word right after the head
            end = m.end()
            n_words += 1
            break
        if is_cap(w):
            if (w == "UBND" and n_words) or w in c.function_caps or (
                    n_words and w in c.head_first_words and w not in ("Ban", "Ủy")
                    and c.head_re.match(text, a) and not text.startswith(c.head_excl, a)):
                break
            end, n_words = b, n_words + 1
            lowers = 0
        elif n_words == 0 and long and w == "các":
            pass   # "Ban Quản lý các khu công nghiệp"
        elif w.casefold() in c.stop or f"{w} {nxt}".casefold() in c.stop_pairs:
            break
        elif not brand and ((n_words == 0 and lower_ok) or (n_words and (long or lower_ok or w.casefold() in c.lower_ok_words
                                                                         or lowers < 2))):
            # lower-case syllables complete a capitalized compound ("Kế hoạch", "Thể dục thể thao")
            end, n_words = b, n_words + 1
            lowers += 1
            i += 1
            continue
        else:
            break
        i += 1
        if n_words > 16:
            break
    if n_words == 0:
        # a steering committee named earlier may come back bare ("các thành viên Ban chỉ đạo")
        return (pos, text[start:pos]) if long or info.get("bare_ok") else None
    return end, _clean_printed(text[start:end])


def find_mentions(doc: Document) -> list[Mention]:
    """Every body mention of the document, non-overlapping, in text order (cached on the doc)."""
    cached = doc.meta.get("agency_mentions")
    if cached is not None:
        return cached
    c = compiled()
    data = _data()
    text = unified_text(doc)
    low = text.lower()
    if len(low) != len(text):
        low = None   # a letter whose lower case is longer: offsets would not hold, scan everything
    wins: dict = {}   # cue windows shared by the patterns
    doc.meta["unified_low"] = (text, low, wins)   # (the assignments read cues in it too)
    issuer, unit, _ = _issuer_info(doc)
    issuer_key = fold(expand(issuer)) if issuer else ""
    place_m = _PLACE_TAIL.search(issuer) if issuer else None
    issuer_place = fold(place_m.group()) if place_m else ""
    # the issuer without its place name ("Văn phòng Ủy ban nhân dân tỉnh")
    issuer_short = fold(_PLACE_TAIL.sub("", expand(issuer))) if issuer else ""
    issuer_level = _level_of_unit(unit)
    local = local_committee(doc)
    # (-length, -priority, start, order added, mention): sorted as they are, longest first, then
    # priority, start (a sort key function cost twice as much)
    cands: list[tuple[int, int, int, int, Mention]] = []

    def add(prio: int, m: Mention) -> None:
        if m.end > m.start:
            cands.append((m.start - m.end, -prio, m.start, len(cands), m))

    # lexicon bodies (spaCy phrase matching on lower-cased tokens)
    sdoc = c.nlp.make_doc(text.replace("\n", " "))   # a name may be wrapped over two lines
    for match_id, s, e in c.matcher(sdoc):
        entry = c.entries[c.nlp.vocab.strings[match_id]]
        a, b = sdoc[s].idx, sdoc[e - 1].idx + len(sdoc[e - 1])
        m = c.suffix_re.match(text, b)
        name = entry["name"]
        if m and not name.startswith(("Sở", "Thanh tra")) and not _LEVEL_TAIL.search(name):
            b = m.end()
        elif m and name.startswith(("Sở", "Thanh tra")) and _SO_LEVEL.match(text[b:b + 12]):
            b = m.end()
        elif _PROVINCE_TAIL.search(name):
            # "Bảo hiểm xã hội tỉnh Cà Mau": the place printed after the level word stays in the name
            pm = c.place_after.match(text, b)
            if pm:
                b = pm.end()
                name = f"{name} {_clean_printed(doc.text[pm.start():b])}"
        add(6, Mention(a, b, [name.strip()], entry["level"], "body", doc.text[a:b]))
    # forms of one body
    for fam, rx in c.families:
        for m in cued(rx, text, low, fam["cues"], wins):
            name = fam.get("name") or _clean_printed(m.group())
            add(4, Mention(m.start(), m.end(), [name], fam["level"], "body", doc.text[m.start():m.end()], family=fam["key"]))
    # one head shared by a list of departments
    for m in scan(c.dept_list, text, low, c.dept_cues, wins, c.starts.get("dept_list")):
        for j, (x, y) in enumerate(m.spans("x")):
            a = m.start() if j == 0 else x
            name = c.dept_short.get(fold(text[x:y]))
            if name:
                add(7, Mention(a, y, [name], "tinh", "body", doc.text[a:y]))
    # the Fatherland Front, named in full with the level word
    for m in cued(c.mttq, text, low, c.mttq_cues, wins):
        word = (m.group(1) or unit).casefold()
        add(4, Mention(m.start(), m.end(), [f"{data['mttq']['name']} {word}"], "doan_the", "body", doc.text[m.start():m.end()]))
    # collectives
    for g, rx in c.groups:
        for m in scan(rx, text, low, g["cues"], wins, g.get("starts")):
            if m.start() > 0 and text[m.start() - 1].isalpha():
                continue
            if m.end() < len(text) and text[m.end()].isalpha():
                continue
            names = []
            own_district = (issuer_level == "huyen" and g["names"] == ["Ủy ban nhân dân cấp huyện"]
                            and not _LIST_WORDS.search(m.group()))
            for n in g["names"]:
                if own_district:
                    n = f"Ủy ban nhân dân {unit}"
                elif n == "{local}":
                    n = local
                elif n == "{local_dept}":
                    n = local_committee(doc, "local_dept_by_date")
                elif n == "{printed}":
                    n = _printed_name(doc.text[m.start():m.end()])
                names.append(n)
            levels = [issuer_level if own_district else g.get("level") or _group_level(n, issuer_level) for n in names]
            add(2, Mention(m.start(), m.end(), names, levels[0], "group", doc.text[m.start():m.end()], levels=levels))
    # 'địa phương' counts only beside a group of departments (checked by the assignments)
    for rx, lname, lcues, lstarts in c.locals:
        lname = local if lname == "{local}" else lname
        for m in scan(rx, text, low, lcues, wins, lstarts):
            add(1, Mention(m.start(), m.end(), [lname], _group_level(lname, issuer_level), "local",
                           doc.text[m.start():m.end()]))
    # bodies a provincial plan cannot task
    for m in scan(c.central, text, low, c.central_cues, wins, c.central_starts):
        add(5 if m.group().startswith(("các", "Bộ", "bộ")) else 1, Mention(m.start(), m.end(), [_clean_printed(m.group())], "trung_uong", "central", doc.text[m.start():m.end()]))
    # the issuing people's committee (never tasked by its own plan)
    # (a party committee's plan does task the people's committee)
    state_issuer = (fold(expand(issuer)).startswith(("ủy ban nhân dân", "văn phòng")) if issuer
                    else not _PARTY_HEADER.search(text[:800]))
    # a province's party committee tasks its own province's people's committee (a district's
    # committee does not: that one is above it)
    provincial_party = issuer_level == "tinh" and bool(_PARTY_ISSUER.match(issuer_key))
    for m in scan(c.issuer_committee, text, low, c.issuer_cues, wins, c.starts.get("issuer_committee")):
        name = _clean_printed(expand(m.group()))
        if provincial_party:   # another province named is not its to task
            own = bool(_PLACE_TAIL.search(name)) and issuer_place not in fold(name)
        else:
            own = state_issuer or (issuer_place and issuer_place not in fold(name)) is True
        add(2, Mention(m.start(), m.end(), [name if own else regex.sub(r"(?<=tỉnh|thành phố)\s.*$", "", name)],
                       "tinh", "issuer" if own else "body", doc.text[m.start():m.end()]))
    # a named district's or commune's council or committee ("UBND huyện Vĩnh Linh"); a city that is
    # a province is the issuing committee's (above)
    for m in scan(c.named_local, text, low, c.bare_cues, wins, c.starts.get("bare_council")):
        unit, place = expand(m["unit"]), _clean_printed(m["place"])
        if unit == "thành phố" and fold(place) in c.province_keys:
            continue
        name = f"{expand(m['council'])} {unit} {place}"
        level = data["suffix_levels"][data["every_unit"][unit]]   # a city under a province is a district
        add(3, Mention(m.start(), m.end(), [name], level, "issuer" if fold(name) == issuer_key else "body",
                       doc.text[m.start():m.end()]))
    # bare council / committee: the issuing level's own body
    for m in scan(c.bare_council, text, low, c.bare_cues, wins, c.starts.get("bare_council")):
        base = expand(m.group(1))
        name = f"{base} {unit}"
        kind = "issuer" if fold(name) == issuer_key or (base == "Ủy ban nhân dân" and unit in ("tỉnh", "thành phố")) else "body"
        add(1, Mention(m.start(), m.end(), [name], issuer_level, kind, doc.text[m.start():m.end()]))
    lex_end = {x.start: x.end for *_, x in cands if x.kind == "body" and x.family is None}
    # grammar rule: head word + capitalized name (+ level word and place)
    for m in _heads(c, text):
        a = m.start()
        if text.startswith(c.head_excl, a) and not c.head_excl_named.match(text, a):
            continue
        head = c.head_canon[fold(m.group())]
        info = c.heads[head]
        if info.get("central_only") and issuer_level != "trung_uong":
            continue
        got = _generic(c, text, a, m.end(), head)
        if not got:
            continue
        b, printed = got
        x_end = lex_end.get(a)
        if x_end is not None and x_end < b and not _UPPER.search(text[x_end:b]):
            continue
        name = expand(doc.text[a:b])
        name = _clean_printed(name)
        level = info["level"]
        every = c.every_unit.match(text, b) if text.startswith(" các", b) else None
        if every:   # "Trung tâm Y tế các huyện, thị xã, thành phố": the centres of every district
            b, name = every.end(), f"{name} cấp {data['every_unit'][every['unit']]}"
        lv = _suffix_level(name)
        if lv is not None:
            level = lv if level != "doan_the" else level
        elif level == "tinh" and not (info.get("local") and issuer_level == "trung_uong"):
            level = issuer_level   # the issuer's own level ("Văn phòng" of a ministry is central)
        kind = "body"
        if name.startswith("Bộ ") and not name.startswith(("Bộ Chỉ huy", "Bộ đội")):
            kind = "central"
        add(0, Mention(a, b, [name], level, kind, doc.text[a:b]))
    # businesses: read only as the addressee of a task item (checked by the assignments)
    for g, rx in c.subject_groups:
        for m in scan(rx, text, low, g["cues"], wins, g.get("starts")):
            add(0, Mention(m.start(), m.end(), [_printed_name(doc.text[m.start():m.end()])], g.get("level", "other"),
                           "business", doc.text[m.start():m.end()]))
    # vague partners ("các cơ quan, đơn vị liên quan"): not bodies, but they continue a list
    for m in scan(c.vague_re, text, low, c.vague_cues, wins, c.starts.get("vague")):
        if m.group().strip():
            add(-1, Mention(m.start(), m.end(), [], "other", "vague", doc.text[m.start():m.end()]))

    # longest first, then priority; no overlaps
    cands.sort()
    taken = bytearray(len(text) + 1)
    chosen: list[Mention] = []
    for neg_len, _, a, _, m in cands:
        b = a - neg_len
        if taken.find(1, a, b) >= 0:
            continue
        taken[a:b] = b"\x01" * (b - a)
        if m.kind == "body" and issuer_key and fold(m.names[0]) in (issuer_key, issuer_short):
            m.kind = "issuer"
        chosen.append(m)
    chosen.sort(key=lambda m: m.start)
    _split_levels(chosen, text)
    if two_levels(doc):
        # no district level any more: a unit of the local committee is a commune's
        for m in chosen:
            if m.level == "huyen":
                m.level = "xa"
            if "huyen" in m.levels:
                m.levels = ["xa" if lv == "huyen" else lv for lv in m.levels]
    doc.meta["agency_mentions"] = chosen
    doc.meta["agency_starts"] = [m.start for m in chosen]
    return chosen


def _heads(c: _Compiled, text: str):
    """`c.head_re.finditer(text)`, the pattern tried only where a head's first word is printed
    (a match starts after a non-letter, so no occurrence of a first word inside another hides one)."""
    last = 0
    match = c.head_re.match
    for w in c.head_first.finditer(text):
        p = w.start()
        if p < last:
            continue
        m = match(text, p)
        if m:
            last = m.end()
            yield m


def _split_levels(chosen: list[Mention], text: str) -> None:
    """"Ban Chỉ huy Phòng thủ dân sự cấp tỉnh, cấp xã": one body per level word."""
    levels = _data()["issuer_level_words"]
    for k, m in enumerate(chosen):
        if m.kind != "body" or len(m.names) != 1 or "cấp" not in m.names[0]:   # (the pattern's word)
            continue
        stem = _LEVEL_END.search(m.names[0])
        if not stem:
            continue
        nxt = chosen[k + 1].start if k + 1 < len(chosen) else len(text)
        end, names, lvls = m.end, [m.names[0]], [levels.get(stem.group(1), m.level)]
        while (x := _MORE_LEVEL.match(text, end)) and x.end() <= nxt:
            names.append(m.names[0][:stem.start()] + " cấp " + x.group(1))
            lvls.append(levels.get(x.group(1), m.level))
            end = x.end()
        if len(names) > 1:    # the level words after the first print no name of their own
            m.end, m.names, m.levels, m.level = end, names, lvls, lvls[0]
            m.prints = [m.printed] + [""] * (len(names) - 1)


@lru_cache(maxsize=4096)
def _suffix_level(name: str) -> str | None:
    """The level its last words give a head-word body's name ("... cấp huyện", "... xã X"), if any
    (names recur in a plan: read once)."""
    uname = unify(name)
    for rx, lv in compiled().suffix_level_res:
        if rx.search(uname):
            return lv
    return None


def mentions_in(doc: Document, start: int, end: int) -> list[Mention]:
    """Mentions starting in [start, end), by binary search."""
    ms = find_mentions(doc)
    starts = doc.meta["agency_starts"]
    return ms[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]


def table_mentions(doc: Document, start: int, end: int) -> list[Mention]:
    """Mentions inside a responsibility cell: also cooperatives and businesses."""
    c = compiled()
    text = unified_text(doc)
    # a note in brackets ("(phụ trách chỉ tiêu HTX ...)") names no responsible body
    parens = [(m.start(), m.end()) for m in _BRACKETS.finditer(text[start:end])]
    parens = [(a + start, b + start) for a, b in parens]
    base = [m for m in mentions_in(doc, start, end) if m.end <= end
            and not any(a <= m.start < b for a, b in parens)]
    extra = []
    for g, rx in c.table_groups:
        for m in rx.finditer(text, start, end):
            a, b = m.start(), m.end()
            if any(a < x.end and x.start < b for x in base + extra) or any(x <= a < y for x, y in parens):
                continue
            names, prints = [], []
            for n in g["names"]:
                if n == "{items}":      # "Viện, Trường": a list of kinds of bodies, one row each
                    prints.extend(doc.text[x:y] for x, y in m.spans("item"))
                    names.extend(map(_printed_name, prints[len(names):]))
                else:
                    names.append(_printed_name(doc.text[a:b]) if n == "{printed}" else n)
                    prints.append(doc.text[a:b])
            extra.append(Mention(a, b, names, g.get("level", "other"), "group", doc.text[a:b],
                                 levels=[g.get("level", "other")] * len(names), prints=prints))
    return sorted(base + extra, key=lambda m: m.start)


def _group_level(name: str, issuer_level: str) -> str:
    lv = _data()["group_levels"].get(name)
    if lv == "{issuer}":
        return issuer_level
    return lv or "other"


# --- agencies table ------------------------------------------------------------------------
def record_use(doc: Document, mention: Mention, index: int) -> str:
    """Note that a mention made body `names[index]` responsible; returns the canonical name."""
    use = doc.meta.setdefault("agency_use", {})
    name = mention.names[index]
    level = mention.levels[index] if mention.levels else mention.level
    key = fold(name)
    entry = use.setdefault(key, {"name": name, "level": level, "aliases": [], "spans": set(), "family": mention.family,
                                 "kind": mention.kind})
    printed = _clean_printed(mention.prints[index] if mention.prints else mention.printed)
    if printed and printed != entry["name"] and printed not in entry["aliases"]:
        entry["aliases"].append(printed)
    entry["spans"].add((mention.start, mention.end))
    return entry["name"]


def resolve_names(doc: Document) -> dict[str, str]:
    """Merge forms of one body: a family's longest printed form, a bare 'Ban Chỉ đạo' to the one
    full steering committee. Returns old fold key -> final canonical name."""
    use = doc.meta.get("agency_use", {})
    final: dict[str, str] = {k: v["name"] for k, v in use.items()}
    fams: dict[str, list[str]] = {}
    for k, v in use.items():
        if v.get("family"):
            fams.setdefault(v["family"], []).append(k)
    for keys in fams.values():
        best = max((use[k]["name"] for k in keys), key=len)
        for k in keys:
            final[k] = best
    # one body printed with and without its level word and place: the longest form names it
    bare: dict[str, list[tuple[str, str]]] = {}   # stem -> (key, the place after its level word)
    for k, v in use.items():
        if v.get("kind") == "body" and not v.get("family"):
            m = _STEM.search(k)
            bare.setdefault(k[:m.start()] if m else k, []).append((k, m["place"].strip() if m else ""))
    for keys in bare.values():
        if len(keys) > 1:
            best_key, best_place = max(keys, key=lambda kp: len(use[kp[0]]["name"]))
            for k, place in keys:
                if not place or place == best_place:   # not another place ("UBND huyện Gio Linh")
                    final[k] = use[best_key]["name"]
    c = compiled()
    bodies = None
    # "Văn phòng Ban Chỉ huy": a name cut after a head reads as the full one printed elsewhere
    for k, v in use.items():
        if (k in c.head_canon or k.endswith(c.head_tails)) and v["spans"]:
            if bodies is None:
                bodies = [m for m in doc.meta.get("agency_mentions", []) if m.kind == "body"]
            # the full name printed nearest before the bare one (else the first after it)
            first = min(v["spans"])[0]
            longer = [m for m in bodies if fold(m.names[0]).startswith(k + " ")]
            before = [m for m in longer if m.start < first]
            pick = before[-1] if before else (longer[0] if longer else None)
            if pick is not None:
                final[k] = pick.names[0]
    return final


def extract(doc: Document) -> Iterator[AgencyRow]:
    use = doc.meta.get("agency_use", {})
    final = resolve_names(doc)
    merged: dict[str, dict] = {}
    for k, v in use.items():
        name = final[k]
        row = merged.setdefault(fold(name), {"name": name, "level": v["level"], "aliases": [], "spans": set()})
        for a in ([v["name"]] if v["name"] != name else []) + v["aliases"]:
            if a != name and a not in row["aliases"]:
                row["aliases"].append(a)
        row["spans"] |= v["spans"]
    for row in merged.values():
        yield AgencyRow(name=row["name"], aliases=row["aliases"], level=row["level"], mentions=len(row["spans"]))

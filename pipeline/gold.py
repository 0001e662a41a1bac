"""Gold annotations (gold/FORMAT.md): loading, validation, quote location, name normalization.

`load_gold(gold_dir, raw_dir)` returns validated gold documents plus a list of problems
(invalid JSON, unknown enum values, missing fields, quotes not found in the raw text, gold
for a document with no raw file); a bad row is reported and skipped, the rest stays usable.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .config import INPUT_SUFFIXES
from .schemas import (AGENCY_LEVELS, COMPARATORS, DEADLINE_KINDS, DOC_TYPES, RECURRENCES, ROLES,
                      SECTION_KINDS)

SCORED_TABLES = ("sections", "targets", "agencies", "assignments", "deadlines")
DOC_FIELDS = ("doc_number", "doc_type", "issuer", "province", "issue_date", "signer", "implements")

# --- text normalization ----------------------------------------------------------------------
_WS = re.compile(r"\s+")
_MARKUP = re.compile(r"[*|]")
# Vietnamese tone marks (combining); circumflex, breve and horn are vowel letters, not tones.
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_WORD = re.compile(r"\w+")


def collapse(s: str) -> str:
    return _WS.sub(" ", s).strip()


def _tone_word(m: re.Match) -> str:
    decomposed = unicodedata.normalize("NFD", m.group(0))
    tone = "".join(ch for ch in decomposed if ch in _TONES)
    if not tone:
        return m.group(0)
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONES))
    # the tone goes to one canonical place (after the syllable), so old-style "hoà"/"Uỷ"
    # and new-style "hòa"/"Ủy" placements compare equal
    return bare + tone[-1]


def unify_tones(s: str) -> str:
    return _WORD.sub(_tone_word, unicodedata.normalize("NFC", s))


def fold_name(s) -> str:
    """Comparison key of a name: casefold, whitespace collapsed, tone-mark placement unified."""
    if s is None:
        return ""
    return unify_tones(collapse(str(s)).casefold())


def fold_heading(s) -> str:
    """Comparison key of a section heading: casefold, whitespace collapsed, trailing ':'/'.' dropped."""
    if s is None:
        return ""
    return collapse(unicodedata.normalize("NFC", str(s))).casefold().rstrip(":.").rstrip()


# --- quote location --------------------------------------------------------------------------
class QuoteLocator:
    """Finds quotes in raw text after dropping `*`/`|` and collapsing whitespace (FORMAT.md)."""

    def __init__(self, raw: str):
        self.raw = raw
        chars: list[str] = []
        index: list[int] = []
        prev_space = True
        for i, ch in enumerate(raw):
            if ch in "*|":
                continue
            if ch.isspace():
                if prev_space:
                    continue
                chars.append(" ")
                index.append(i)
                prev_space = True
            else:
                chars.append(ch)
                index.append(i)
                prev_space = False
        self.norm = "".join(chars)
        self.index = index
        self._folded: str | None = None

    @staticmethod
    def normalize(quote: str) -> str:
        return collapse(_MARKUP.sub("", unicodedata.normalize("NFC", quote)))

    def find_all(self, quote: str) -> list[tuple[int, int]]:
        """Raw spans [start, end) of every occurrence of the quote; [] when absent."""
        q = self.normalize(quote)
        if not q:
            return []
        spans = self._find(self.norm, q)
        if not spans:   # tolerate a case difference (never changes lengths for Vietnamese)
            if self._folded is None:
                self._folded = self.norm.lower()
            if len(self._folded) == len(self.norm):
                spans = self._find(self._folded, q.lower())
        return spans

    def _find(self, hay: str, q: str) -> list[tuple[int, int]]:
        spans = []
        pos = hay.find(q)
        while pos >= 0:
            spans.append((self.index[pos], self.index[pos + len(q) - 1] + 1))
            pos = hay.find(q, pos + 1)
        return spans


# --- gold documents --------------------------------------------------------------------------
@dataclass
class Problem:
    file: str
    message: str
    table: str | None = None
    row: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.table is not None:
            where += f": {self.table}"
            if self.row is not None:
                where += f"[{self.row}]"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict:
        return {"file": self.file, "table": self.table, "row": self.row, "message": self.message}


@dataclass
class GoldDoc:
    doc_id: str
    path: Path
    raw_path: Path | None
    raw: str | None
    document: dict | None
    rows: dict[str, list[dict]] = field(default_factory=dict)   # table -> valid rows (with `_row`, `_spans`)


_ENUMS = {
    "sections": {"kind": SECTION_KINDS},
    "targets": {"comparator": COMPARATORS},
    "agencies": {"level": AGENCY_LEVELS},
    "assignments": {"role": ROLES},
    "deadlines": {"kind": DEADLINE_KINDS, "recurrence": RECURRENCES},
}
_REQUIRED = {
    "sections": ("number", "heading", "level"),
    "targets": ("value", "unit"),
    "agencies": ("name",),
    "assignments": ("agency", "role", "quote"),
    "deadlines": ("kind",),
}
_NULLABLE_ENUMS = {("deadlines", "recurrence"), ("targets", "comparator"), ("sections", "kind"),
                   ("agencies", "level")}
_QUOTED = ("targets", "assignments", "deadlines")


def _num(v):
    if v is None:
        return None
    if isinstance(v, bool):
        raise ValueError("a boolean")
    if isinstance(v, (int, float)):
        return float(v)
    # "3.000" may mean 3 or 3000: gold numbers must be JSON numbers
    raise ValueError(f"{v!r} is a {type(v).__name__}, not a number")


def _validate_row(table: str, row, i: int, fname: str, problems: list[Problem]) -> dict | None:
    if not isinstance(row, dict):
        problems.append(Problem(fname, f"row is {type(row).__name__}, not an object; skipped", table, i))
        return None
    out = dict(row)
    missing = [k for k in _REQUIRED[table] if out.get(k) in (None, "")]
    if missing:
        problems.append(Problem(fname, f"missing {', '.join(missing)}; row skipped", table, i))
        return None
    for col, allowed in _ENUMS[table].items():
        v = out.get(col)
        if v is None and (table, col) in _NULLABLE_ENUMS:
            continue
        if v not in allowed:
            problems.append(Problem(fname, f"unknown {col} {v!r} (expected one of {', '.join(allowed)}); "
                                           "row skipped", table, i))
            return None
    try:
        if table == "targets":
            out["value"] = _num(out.get("value"))
            out["value_max"] = _num(out.get("value_max"))
            ty = out.get("target_year")
            out["target_year"] = None if ty is None else int(ty)
            out["per_year"] = bool(out.get("per_year") or False)
        if table == "sections":
            out["level"] = int(out["level"])
            out["number"] = str(out["number"])
    except (TypeError, ValueError) as exc:
        problems.append(Problem(fname, f"bad number ({exc}); row skipped", table, i))
        return None
    if table in _QUOTED and out.get("quote") is not None and not isinstance(out["quote"], str):
        problems.append(Problem(fname, "quote is not a string; row skipped", table, i))
        return None
    out["_row"] = i
    return out


def _raw_file(raw_dir: Path | None, doc_id: str) -> Path | None:
    if raw_dir is None:
        return None
    for suffix in INPUT_SUFFIXES:
        p = Path(raw_dir) / f"{doc_id}{suffix}"
        if p.is_file():
            return p
    hits = [p for p in Path(raw_dir).rglob(f"{doc_id}.*") if p.suffix.lower() in INPUT_SUFFIXES]
    return hits[0] if hits else None


def read_raw(path: Path) -> str:
    """The decoded source text, exactly as the extraction indexes it."""
    from .load import read_document
    return read_document(path).raw


def load_gold_file(path: Path, raw_dir: Path | None = None) -> tuple[GoldDoc | None, list[Problem]]:
    """One gold file: validated rows (each with `_row` index and located `_spans`) and problems."""
    path = Path(path)
    fname = str(path)
    problems: list[Problem] = []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        return None, [Problem(fname, f"not UTF-8 ({exc}); file skipped")]
    except json.JSONDecodeError as exc:
        return None, [Problem(fname, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}; "
                                     "file skipped")]
    if not isinstance(data, dict):
        return None, [Problem(fname, "top level is not an object; file skipped")]
    doc_id = path.stem
    if data.get("doc_id") not in (None, doc_id):
        problems.append(Problem(fname, f"doc_id {data.get('doc_id')!r} differs from the file name; "
                                       f"using {doc_id!r}"))
    raw_path = _raw_file(raw_dir, doc_id)
    raw = None
    if raw_dir is not None:
        if raw_path is None:
            problems.append(Problem(fname, f"no raw document {doc_id}.* in {raw_dir}; file skipped"))
            return None, problems
        try:
            raw = read_raw(raw_path)
        except Exception as exc:  # noqa: BLE001 - an unreadable raw file is this document's problem only
            problems.append(Problem(fname, f"cannot read raw document {raw_path}: {exc}; file skipped"))
            return None, problems

    document = data.get("document")
    if document is not None and not isinstance(document, dict):
        problems.append(Problem(fname, "`document` is not an object; metadata not scored"))
        document = None
    if document is not None:
        dt = document.get("doc_type")
        if dt is not None and dt not in DOC_TYPES:
            problems.append(Problem(fname, f"unknown doc_type {dt!r} (expected one of {', '.join(DOC_TYPES)})",
                                    "document"))
        impl = document.get("implements")
        if impl is not None and not isinstance(impl, list):
            problems.append(Problem(fname, "implements is not a list", "document"))

    gold = GoldDoc(doc_id=doc_id, path=path, raw_path=raw_path, raw=raw, document=document)
    locator = QuoteLocator(raw) if raw is not None else None
    for table in SCORED_TABLES:
        rows = data.get(table, [])
        if rows is None:
            rows = []
        if not isinstance(rows, list):
            problems.append(Problem(fname, f"`{table}` is not a list; table skipped", table))
            rows = []
        valid = []
        for i, row in enumerate(rows):
            v = _validate_row(table, row, i, fname, problems)
            if v is None:
                continue
            v["_spans"] = []
            if table in _QUOTED and locator is not None:
                q = v.get("quote")
                if q:
                    v["_spans"] = locator.find_all(q)
                    if not v["_spans"]:
                        problems.append(Problem(fname, f"quote not found in {raw_path.name}: "
                                                       f"{_short(q)!r}" + (
                                                           "; row not scored" if table == "assignments" else
                                                           "; row scored on its fields only"), table, i))
                        if table == "assignments":
                            continue
                elif table == "assignments":
                    continue
            valid.append(v)
        gold.rows[table] = valid
    # deadline ids referenced by assignments must exist
    ids = {d.get("id") for d in gold.rows.get("deadlines", [])}
    for a in gold.rows.get("assignments", []):
        ref = a.get("deadline")
        if ref is not None and ref not in ids:
            problems.append(Problem(fname, f"deadline {ref!r} is not the id of a deadlines row", "assignments",
                                    a["_row"]))
    return gold, problems


def _short(s: str, n: int = 80) -> str:
    s = collapse(s)
    return s if len(s) <= n else s[: n - 1] + "…"


def load_gold(gold_dir: Path, raw_dir: Path | None = None) -> tuple[dict[str, GoldDoc], list[Problem]]:
    """Every `*.json` of gold_dir, validated; returns (doc_id -> GoldDoc, problems)."""
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise FileNotFoundError(f"gold folder not found: {gold_dir}")
    docs: dict[str, GoldDoc] = {}
    problems: list[Problem] = []
    for path in sorted(gold_dir.glob("*.json")):
        gold, probs = load_gold_file(path, raw_dir)
        problems.extend(probs)
        if gold is not None:
            docs[gold.doc_id] = gold
    if not docs and not problems:
        problems.append(Problem(str(gold_dir), "no gold files (*.json)"))
    return docs, problems

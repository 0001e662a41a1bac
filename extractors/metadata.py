"""Document metadata: number, type, issuer, province, issue date, signer, title, what it implements."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Iterator

import regex

from pipeline import __version__
from pipeline.document import Document
from pipeline.lexicon import lexicon
from pipeline.rows import DocumentRow

HEAD_CHARS = 4000          # the header block of a plan is in its first few thousand characters
_NUMBER = regex.compile(r"\bSố(?:\s*hiệu)?\s*:?\s*(?P<num>\d{1,5}\s*(?:/\s*\d{4}\s*)?[/-]\s*\p{Lu}[\p{L}\d&.\-/ ]*?)(?=\s*(?:$|\||\n|\s{2}|ngày|[,;]|\s\p{Lu}\p{Ll}))", regex.M)
_DOC_REF = regex.compile(r"(?<![\w/.])(?P<num>\d{1,5}(?:/\d{4})?)\s*(?P<sep>[-/])\s*(?P<code>\p{Lu}[\p{L}&]*(?:\s?[-/]\s?\p{Lu}[\p{L}&\d]*)*)")
_PLACE_DATE = regex.compile(r"(?P<place>\p{Lu}[\p{L} .]{1,30}?),\s*ngày\s+(?P<d>\d{1,2})\s*tháng\s*(?P<m>\d{1,2})\s*năm\s*(?P<y>\d{4})")
_NUMERIC_DATE = regex.compile(r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})")
_NAME = regex.compile(r"^(?:\p{Lu}\p{Ll}*\.?\s){1,5}\p{Lu}\p{Ll}+$")


def _data() -> dict:
    return lexicon("documents")


def _head(doc: Document) -> str:
    return doc.text[:HEAD_CHARS]


def _header_field(doc: Document, key: str) -> str | None:
    """A field of a legal-database metadata header ("Số hiệu 139/KH-UBND")."""
    label = _data()["header_fields"][key]
    m = regex.search(rf"(?m)^{regex.escape(label)}\s*:?\s+(?P<v>[^\n|]+?)\s*$", _head(doc))
    return m["v"] if m else None


def canonical_number(num: str) -> str:
    num = regex.sub(r"\s+", "", num).strip(".-/")
    parts = regex.split(r"([-/])", num)
    case = _data()["code_case"]
    return "".join(case.get(p, p) for p in parts)


def doc_number(doc: Document) -> str | None:
    value = _header_field(doc, "number")
    if value:
        return canonical_number(value)
    m = _NUMBER.search(_head(doc))
    return canonical_number(m["num"]) if m else None


def doc_type(doc: Document, number: str | None) -> str:
    head = _head(doc)
    first_heading = doc.headings[0].start if doc.headings else len(head)
    for word, kind in _data()["type_words"]:
        # the type word stands alone on its line, before the body
        for m in regex.finditer(rf"(?m)^{regex.escape(word)}\b", head[:first_heading]):
            rest = head[m.end():head.find("\n", m.end())] if "\n" in head[m.end():] else head[m.end():]
            if not rest.strip() or rest.strip()[:1].isupper():
                return kind
    if number:
        codes = regex.split(r"[-/]", number)[1:]
        for code, kind in _data()["number_codes"]:
            if codes and codes[0] == code:
                return kind
    if any(cue in head for cue in _data()["letter_cues"]):
        return "cong_van"
    return "other"


def _title_case_place(caps: str) -> str:
    return " ".join(w.capitalize() for w in caps.split())


def issuer_and_province(doc: Document) -> tuple[str | None, str | None]:
    data = _data()
    head = _head(doc)
    cut = regex.search(r"CỘNG\s+H(?:ÒA|OÀ)\s+XÃ", head)
    block = head[:cut.start()] if cut else head[:600]
    block = regex.sub(r"[|\n]+", " ", block)
    issuer = province = None
    for caps, name in data["issuer_bodies"]:
        m = regex.search(rf"{regex.escape(caps)}\s+(?P<rest>(?:\p{{Lu}}+(?:\s+|$))+)", block)
        if not m:
            continue
        rest = m["rest"].strip()
        unit_name = None
        for unit_caps, unit in data["unit_words"]:
            if rest.startswith(unit_caps + " "):
                place = rest[len(unit_caps):].strip()
                sub = None
                for sub_caps, sub_name in data["sub_bodies"]:
                    if place.endswith(" " + sub_caps):
                        place, sub = place[: -len(sub_caps)].strip(), sub_name
                place = _title_case_place(place)
                unit_name = f"{unit} {place}"
                issuer = f"{sub} {name} {unit_name}" if sub else f"{name} {unit_name}"
                if unit in ("tỉnh", "thành phố"):
                    province = place
                break
        if issuer:
            break
    if issuer is None:
        issuer = _party_issuer(doc)
    if province is None:
        header_issuer = _header_field(doc, "issuer")
        if header_issuer and regex.match(r"(?i)(tỉnh|thành phố)\s", header_issuer):
            province = header_issuer.split(None, 1)[1].strip() if header_issuer.lower().startswith("tỉnh") \
                else header_issuer.split(None, 2)[2].strip()
    if province is None and issuer and regex.search(r"\b(tỉnh|thành phố)\s", issuer):
        province = regex.split(r"\b(?:tỉnh|thành phố)\s", issuer)[-1].strip()
    if province is None:
        m = _PLACE_DATE.search(head)
        if m and issuer and "tỉnh" in issuer:
            province = m["place"].strip()
    return issuer, province


def _party_issuer(doc: Document) -> str | None:
    """Party committees sign 'T/M HUYỆN ỦY' and name themselves 'Ban Chấp hành Đảng bộ huyện X'."""
    data = _data()
    m = regex.search(r"Ban Chấp hành Đảng bộ (?P<unit>tỉnh|thành phố|huyện|thị xã|quận) (?P<place>(?:\p{Lu}\p{Ll}*\s?){1,4})",
                     _head(doc))
    if m:
        return f"{data['party_committee_by_unit'][m['unit']]} {m['place'].strip()}"
    return None


def issue_date(doc: Document) -> dt.date | None:
    value = _header_field(doc, "date")
    if value:
        m = _NUMERIC_DATE.search(value)
        if m:
            return _date(m)
    m = _PLACE_DATE.search(_head(doc))
    return _date(m) if m else None


def _date(m) -> dt.date | None:
    try:
        return dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None


@lru_cache(maxsize=1)
def _signature_title_re() -> regex.Pattern:
    titles = "|".join(regex.escape(t) for t in _data()["signature_titles"])
    return regex.compile(rf"(?:^|\s)(?:{titles})$")


def signer(doc: Document) -> str | None:
    value = _header_field(doc, "signer")
    if value:
        return value.strip()
    ends_with_title = _signature_title_re()
    paras = [doc.text[a:b].strip() for a, b in doc.paragraphs]
    appendix = next((h.start for h in doc.headings if h.style == "appendix"), len(doc.text))
    last_title = None
    for i, (a, b) in enumerate(doc.paragraphs):
        if a >= appendix:
            break
        if ends_with_title.search(paras[i]):
            last_title = i
    if last_title is None:
        return None
    for cell in paras[last_title + 1:last_title + 4]:
        cell = cell.strip("| ").strip()
        if cell.startswith("("):
            continue
        if _NAME.match(cell):
            return cell
    return None


def title(doc: Document) -> str | None:
    head = _head(doc)
    for word, _ in _data()["type_words"]:
        m = regex.search(rf"(?m)^{regex.escape(word)}\s*$", head)
        if m:
            rest = head[m.end():].lstrip("\n")
            line = rest.split("\n", 1)[0].strip()
            return line or None
    m = regex.search(r"(?m)^(?:V/v|Về việc)[^\n]*", head)
    return m.group().strip() if m else None


def implements(doc: Document, own_number: str | None) -> list[str]:
    """Numbers of what the document carries out: from its title and preamble clauses."""
    data = _data()
    first_heading = doc.headings[0].start if doc.headings else min(len(doc.text), HEAD_CHARS)
    preamble = doc.text[:first_heading]
    cue_re = regex.compile("|".join(regex.escape(c) for c in data["implements_cues"]), regex.I)
    basis_types = set(data["implements_types_from_basis"])
    own = canonical_number(own_number) if own_number else None
    found: list[str] = []
    doc_title = title(doc) or ""
    title_start = preamble.find(doc_title) if doc_title else -1
    for para_m in regex.finditer(r"[^\n]+", preamble):
        # a cue opening the paragraph ("Thực hiện Chỉ thị số ...; Chỉ thị số ...") covers all its clauses
        para_cue = cue_re.match(para_m.group())
        for clause_m in regex.finditer(r"[^;]+", para_m.group()):
            clause = clause_m.group()
            start = para_m.start() + clause_m.start()
            in_title = title_start >= 0 and title_start <= start < title_start + len(doc_title)
            cue = cue_re.search(clause) or para_cue
            if not (in_title or cue):
                continue
            from_basis = cue and cue.group().casefold() == "căn cứ" and not in_title
            for m in _DOC_REF.finditer(clause):
                num = canonical_number(f"{m['num']}{m['sep']}{m['code']}")
                parts = regex.split(r"[-/]", num)
                code = parts[1] if len(parts) > 1 else ""
                if code == "KH" or num == own or not regex.search(r"[-/]\p{Lu}", num):
                    continue
                if from_basis and code not in basis_types:
                    continue
                if num not in found:
                    found.append(num)
    return found


def extract(doc: Document) -> Iterator[DocumentRow]:
    number = doc_number(doc)
    issuer, province = issuer_and_province(doc)
    yield DocumentRow(
        source_path=doc.source_path, format=doc.format, encoding=doc.encoding, sha256=doc.sha256,
        n_chars=len(doc.raw), doc_number=number, doc_type=doc_type(doc, number), issuer=issuer,
        province=province, issue_date=issue_date(doc), signer=signer(doc), title=title(doc),
        implements=implements(doc, number), pipeline_version=__version__,
    )

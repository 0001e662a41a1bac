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

from .agencies import unify

HEAD_CHARS = 4000          # the header block of a plan is in its first few thousand characters
# the number ends before a date, a capitalized word or the subject line ("V/v ...") joined to its line
_NUMBER = regex.compile(r"\bSố(?:\s*hiệu)?\s*:?\s*(?P<num>\d{1,5}\s*(?:/\s*\d{4}\s*)?[/-]\s*\p{Lu}[\p{L}\d&.\-/ ]*?)(?=\s*(?:$|\||\n|\s{2}|ngày|[,;]|\s\p{Lu}\p{Ll}|\s[Vv]/[Vv]\b))", regex.M)
_DOC_REF = regex.compile(r"(?<![\w/.])(?P<num>\d{1,5}(?:/\d{4})?)\s*(?P<sep>[-/])\s*(?P<code>\p{Lu}[\p{L}&\d]*(?:\s?[-/]\s?\p{Lu}[\p{L}&\d]*)*)")
_PLACE_DATE = regex.compile(r"(?P<place>\p{Lu}[\p{L} .]{1,30}?),\s*ngày\s+(?P<d>\d{1,2})\s*tháng\s*(?P<m>\d{1,2})\s*năm\s*(?P<y>\d{4})")
_NUMERIC_DATE = regex.compile(r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})")
_NAME = regex.compile(r"^(?:\p{Lu}\p{Ll}*\.?\s){1,5}\p{Lu}\p{Ll}+$")
# compile each pattern once: regex.search(pattern, ...) pays a cache lookup costing more than
# the search itself on these short strings
_re = lru_cache(maxsize=None)(regex.compile)


@lru_cache(maxsize=None)
def _literal_re(prefix: str, literal: str, suffix: str) -> regex.Pattern:
    """prefix + the escaped literal (a lexicon word) + suffix, compiled once."""
    return regex.compile(prefix + regex.escape(literal) + suffix)


def _data() -> dict:
    return lexicon("documents")


def _head(doc: Document) -> str:
    return doc.text[:HEAD_CHARS]


def _header_field(doc: Document, key: str) -> str | None:
    """A field of a legal-database metadata header ("Số hiệu 139/KH-UBND")."""
    label = _data()["header_fields"][key]
    m = _literal_re("(?m)^", label, r"\s*:?\s+(?P<v>[^\n|]+?)\s*$").search(_head(doc))
    return m["v"] if m else None


def canonical_number(num: str) -> str:
    num = _re(r"\s+").sub("", num).strip(".-/")
    parts = _re(r"([-/])").split(num)
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
    found = []   # (position, kind): the first type line is the document's own type (a Quyết định
    #              issuing a Kế hoạch prints both)
    for word, kind in _data()["type_words"]:
        # the type word stands alone on its line, before the body
        for m in _literal_re("(?m)^", word, r"\b").finditer(head[:first_heading]):
            rest = head[m.end():head.find("\n", m.end())] if "\n" in head[m.end():] else head[m.end():]
            if not rest.strip() or rest.strip()[:1].isupper():
                found.append((m.start(), kind))
                break
    if found:
        return min(found)[1]
    if number:
        codes = _re(r"[-/]").split(number)[1:]
        for code, kind in _data()["number_codes"]:
            if codes and codes[0] == code:
                return kind
    if any(cue in head for cue in _data()["letter_cues"]):
        return "cong_van"
    return "other"


@lru_cache(maxsize=1)
def _known_bodies() -> dict[str, str]:
    """Canonical body names of the agencies lexicon by their letters (as `_caps_key` reads them)."""
    return {_caps_key(b["name"]): b["name"] for b in lexicon("agencies")["bodies"]}


def _department_name(head: str, caps: str) -> str:
    """'Sở' + 'Y TẾ' -> 'Sở Y tế': the lexicon's spelling, else the words in sentence case."""
    name = f"{head} {caps.strip()}"
    return _known_bodies().get(_caps_key(name)) or f"{head} {caps.strip().capitalize()}"


def _title_case_place(caps: str) -> str:
    return " ".join(w.capitalize() for w in caps.split())


def issuer_and_province(doc: Document) -> tuple[str | None, str | None]:
    data = _data()
    head = _head(doc)
    cut = _re(r"CỘNG\s+H(?:ÒA|OÀ)\s+XÃ").search(head)
    block = head[:cut.start()] if cut else head[:600]
    block = _re(r"[|\n]+").sub(" ", block)
    issuer = province = None
    for caps, name in data["issuer_bodies"]:
        m = _literal_re("", caps, r"\s+(?P<rest>(?:\p{Lu}+(?:\s+|$))+)").search(block)
        if not m:
            continue
        rest = m["rest"].strip()
        unit_name = None
        for unit_caps, unit in data["unit_words"]:
            if rest.startswith(unit_caps + " "):
                place = rest[len(unit_caps):].strip()
                sub = department = None
                for sub_caps, sub_name in data["sub_bodies"]:
                    if place.endswith(" " + sub_caps):
                        place, sub = place[: -len(sub_caps)].strip(), sub_name
                    elif f" {sub_caps} " in place:
                        # "UBND TỈNH QUẢNG NINH / SỞ Y TẾ": a department of the committee issues
                        place, _, own = place.partition(f" {sub_caps} ")
                        department = _department_name(sub_name, own)
                place = _title_case_place(place)
                unit_name = f"{unit} {place}"
                if department:   # "Sở Y tế tỉnh Quảng Ninh"
                    issuer = f"{department} {unit_name}"
                else:            # "Văn phòng Ủy ban nhân dân tỉnh Kon Tum"
                    issuer = f"{sub} {name} {unit_name}" if sub else f"{name} {unit_name}"
                if unit in ("tỉnh", "thành phố"):
                    province = place
                break
        if unit_name is None and name in data["party_committee_by_unit"].values():
            # "TỈNH ỦY NGHỆ AN": the committee's name holds its unit, the place follows it
            place = _re(r"\s*ĐẢNG\s+CỘNG\s+SẢN.*$").sub("", rest).strip()
            if place and len(place.split()) <= 4:
                issuer = f"{name} {_title_case_place(place)}"
        if issuer:
            break
    if issuer is None:
        issuer = _party_issuer(doc) or _central_issuer(head[:cut.start()] if cut else head[:600])
    if province is None:
        header_issuer = _header_field(doc, "issuer")
        if header_issuer and _re(r"(?i)(tỉnh|thành phố)\s").match(header_issuer):
            province = header_issuer.split(None, 1)[1].strip() if header_issuer.lower().startswith("tỉnh") \
                else header_issuer.split(None, 2)[2].strip()
    if province is None and issuer:
        for unit in ("tỉnh", "thành phố"):   # "Tỉnh ủy Gia Lai": the province's own committee
            committee = data["party_committee_by_unit"][unit] + " "
            if issuer.startswith(committee):
                province = issuer[len(committee):]
    if province is None and issuer and _re(r"\b(tỉnh|thành phố)\s").search(issuer):
        province = _re(r"\b(?:tỉnh|thành phố)\s").split(issuer)[-1].strip()
    if province is None:
        m = _PLACE_DATE.search(head)
        if m and issuer and "tỉnh" in issuer:
            province = m["place"].strip()
    if province is None and issuer and _below_province(issuer):
        # a commune or district body: the one province its text names ("Kế hoạch số ... của Ủy ban
        # nhân dân tỉnh Đồng Nai"), if it names only one
        named = {m["p"] for m in _province_mention_re().finditer(doc.text)}
        if len(named) == 1:
            province = named.pop()
    return issuer, province


def _below_province(issuer: str) -> bool:
    """A commune's or district's body ("Ủy ban nhân dân xã X", "Huyện ủy Y"), not a ministry's."""
    data = _data()
    units = [u for _, u in data["unit_words"] if u not in ("tỉnh", "thành phố")]
    committees = [c for u, c in data["party_committee_by_unit"].items() if u not in ("tỉnh", "thành phố")]
    return any(_literal_re(r"(?<!\p{L})", w, r"(?!\p{L})").search(issuer) for w in units) or \
        issuer.startswith(tuple(committees))


@lru_cache(maxsize=1)
def _province_mention_re() -> regex.Pattern:
    names = sorted(lexicon("agencies")["provinces"], key=len, reverse=True)
    return regex.compile(r"(?<!\p{L})(?:tỉnh|thành phố)\s+(?P<p>" + "|".join(map(regex.escape, names)) + r")(?!\p{L})")


def _caps_key(s: str) -> str:
    """Letters and digits of a name, case and tone-mark placement (HOÁ / HÓA) unified."""
    return unify(" ".join(_re(r"[\p{L}\d]+").findall(s.casefold())))


@lru_cache(maxsize=1)
def _central_issuers() -> dict[str, str]:
    return {_caps_key(name): name for name in _data()["central_issuers"]}


def _central_issuer(block: str) -> str | None:
    """A ministry issuing under its own name: the issuer lines (before 'Số') are that name alone."""
    lines = []
    for line in _re(r"[|\n]").split(block):
        line = line.strip(" *-_")
        if line.startswith("Số"):
            break
        if line:
            lines.append(line)
    return _central_issuers().get(_caps_key(" ".join(lines))) if lines else None


def _party_issuer(doc: Document) -> str | None:
    """Party committees head their documents 'ĐẢNG BỘ TỈNH X' over 'TỈNH ỦY', sign 'T/M HUYỆN ỦY'
    and name themselves 'Ban Chấp hành Đảng bộ huyện X'."""
    data = _data()
    m = _re(r"Ban Chấp hành Đảng bộ (?P<unit>tỉnh|thành phố|huyện|thị xã|quận) (?P<place>(?:\p{Lu}\p{Ll}*\s?){1,4})"
            ).search(_head(doc))
    if m:
        return f"{data['party_committee_by_unit'][m['unit']]} {m['place'].strip()}"
    head = _head(doc)
    cut = _re(r"ĐẢNG\s+CỘNG\s+SẢN|CỘNG\s+H(?:ÒA|OÀ)\s+XÃ").search(head)
    for line in _re(r"[|\n]").split(head[:cut.start()] if cut else head[:600]):
        line = _re(r"\s+").sub(" ", line.strip(" *_-"))
        if not line.startswith("ĐẢNG BỘ "):
            continue
        rest = line[len("ĐẢNG BỘ "):]
        for unit_caps, unit in data["unit_words"]:
            if rest.startswith(unit_caps + " ") and unit in data["party_committee_by_unit"]:
                place = rest[len(unit_caps):].strip()
                for caps, _ in data["issuer_bodies"]:   # the committee's own line may be joined: "... TỈNH ỦY"
                    if f" {caps}" in f" {place}":
                        place = f" {place}".split(f" {caps}")[0].strip()
                if place and place.isupper():
                    return f"{data['party_committee_by_unit'][unit]} {_title_case_place(place)}"
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
def _signature_titles() -> tuple[tuple[str, ...], regex.Pattern]:
    """The titles, and the pattern of a paragraph ending with one as a word of its own."""
    titles = tuple(_data()["signature_titles"])
    alternatives = "|".join(regex.escape(t) for t in titles)
    return titles, regex.compile(rf"(?:^|\s)(?:{alternatives})$")


def signer(doc: Document) -> str | None:
    value = _header_field(doc, "signer")
    if value:
        return value.strip()
    titles, ends_with_title = _signature_titles()
    paras = [doc.text[a:b].strip() for a, b in doc.paragraphs]
    appendix = next((h.start for h in doc.headings if h.style == "appendix"), len(doc.text))
    last_title = None
    for i, (a, b) in enumerate(doc.paragraphs):
        if a >= appendix:
            break
        # endswith() first: the search tries every position of the paragraph
        if paras[i].endswith(titles) and ends_with_title.search(paras[i]):
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
    lines = [m for word, _ in _data()["type_words"] if (m := _literal_re("(?m)^", word, r"\s*$").search(head))]
    if lines:
        m = min(lines, key=lambda m: m.start())   # the document's own type line, as in doc_type
        rest = head[m.end():].lstrip("\n")
        line = rest.split("\n", 1)[0].strip()
        return line or None
    m = _re(r"(?m)(?:^|(?<=\s))(?:V/v|Về việc)\s[^\n|]*").search(head)   # may follow the number on its line
    return m.group().strip() if m else None


@lru_cache(maxsize=1)
def _implements_cue_re() -> regex.Pattern:
    return regex.compile("|".join(regex.escape(c) for c in _data()["implements_cues"]), regex.I)


def implements(doc: Document, own_number: str | None) -> list[str]:
    """Numbers of what the document carries out: from its title and preamble clauses."""
    data = _data()
    first_heading = doc.headings[0].start if doc.headings else min(len(doc.text), HEAD_CHARS)
    preamble = doc.text[:first_heading]
    cue_re = _implements_cue_re()
    basis_types = set(data["implements_types_from_basis"])
    own = canonical_number(own_number) if own_number else None
    found: list[str] = []
    doc_title = title(doc) or ""
    title_start = preamble.find(doc_title) if doc_title else -1
    for para_m in _re(r"[^\n]+").finditer(preamble):
        # a cue opening the paragraph ("Thực hiện Chỉ thị số ...; Chỉ thị số ...") covers all its clauses
        para_cue = cue_re.match(para_m.group())
        for clause_m in _re(r"[^;]+").finditer(para_m.group()):
            clause = clause_m.group()
            start = para_m.start() + clause_m.start()
            in_title = title_start >= 0 and title_start <= start < title_start + len(doc_title)
            cue = cue_re.search(clause) or para_cue
            if not (in_title or cue):
                continue
            from_basis = cue and cue.group().casefold() == "căn cứ" and not in_title
            for m in _DOC_REF.finditer(clause):
                num = canonical_number(f"{m['num']}{m['sep']}{m['code']}")
                parts = _re(r"[-/]").split(num)
                code = parts[1] if len(parts) > 1 else ""
                if code == "KH" or num == own or not _re(r"[-/]\p{Lu}").search(num):
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

"""Stage 1, load: read a file of any supported format, get its text, Unicode NFC.

Text files (.txt, .md) are decoded (UTF-8 with or without BOM, UTF-16, Windows-1258);
.html, .docx and .pdf go through `pipeline.formats`. Legacy font encodings (TCVN3, VNI)
are converted to Unicode, combining marks composed (NFC). The result is `Document.raw`:
every offset written to a table indexes this extracted text.
"""
from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from .document import Document


class InputError(Exception):
    """A document that cannot be read; the message names the problem."""


TEXT_FORMATS = {".txt": "txt", ".md": "md", ".markdown": "md", ".text": "txt"}
FORMATS = {**TEXT_FORMATS, ".html": "html", ".htm": "html", ".docx": "docx", ".pdf": "pdf"}
MAX_BYTES = 50_000_000       # a 50 MB file is no plan text (a scanned book, a database dump)
MAX_CHARS = 3_000_000        # extracted text; the longest real plans are a few hundred thousand
MAX_CONTROL_SHARE = 0.01     # more control characters than this: binary data, not text
_CONTROL_CHARS = r"\x00-\x08\x0b\x0e-\x1f\x7f\ufffd"
_CONTROL = re.compile(f"[{_CONTROL_CHARS}]")
_SIGNATURES = {b"%PDF": "a PDF", b"PK\x03\x04": "a zip archive (.docx?)", b"\xd0\xcf\x11\xe0": "an old Office file (.doc/.xls)",
               b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image",
               b"\x1f\x8b": "a gzip archive", b"\x7fELF": "a program"}


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _SIGNATURES.items():
        if data.startswith(magic):
            return kind
    return None


def _check_text(text: str, encoding: str) -> None:
    sample = text[:200_000]
    if sample and len(_CONTROL.findall(sample)) > MAX_CONTROL_SHARE * len(sample):
        raise InputError(f"binary data, not text (decoded as {encoding}, too many control characters)")


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode text bytes: BOMs, UTF-8, UTF-16 without BOM, legacy TCVN3/VNI, Windows-1258.

    `declared` is an encoding the file names for itself (an HTML meta charset), tried after UTF-8.
    """
    from .legacy_fonts import fix_legacy
    kind = _binary_kind(data)
    if kind:
        raise InputError(f"binary data, not text: the file is {kind}")
    if data.startswith(codecs.BOM_UTF8):
        return _decoded(data[3:].decode("utf-8", errors="strict"), "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _decoded(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"broken UTF-16 text ({exc})") from None
    try:
        return _decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    mostly = _mostly_utf8(data, utf8_error)
    if mostly is not None:
        return mostly
    # UTF-16 without BOM: every other byte of the ASCII part is NUL
    if len(data) >= 4:
        for offset, codec in ((1, "utf-16-le"), (0, "utf-16-be")):
            if data[offset::2].count(0) > len(data) // 4:
                try:
                    return _decoded(data.decode(codec), codec)
                except (UnicodeDecodeError, InputError):
                    pass
    if b"\x00" in data:
        raise InputError("binary data, not text (NUL bytes)")
    if declared and declared not in ("utf-8", "utf8"):
        try:
            return _decoded(data.decode(declared), declared)
        except (LookupError, UnicodeDecodeError):
            pass
    # 8-bit legacy fonts: their bytes are the Latin-1 characters the tables are keyed on
    latin = data.decode("latin-1")
    converted, legacy = fix_legacy(latin)
    if legacy:
        return _decoded(converted, legacy, legacy_checked=True)
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        raise InputError(f"cannot decode: not UTF-8, UTF-16, Windows-1258, TCVN3 or VNI ({utf8_error})") from None
    return _decoded(text, "cp1258")


def _mostly_utf8(data: bytes, error: UnicodeDecodeError) -> tuple[str, str] | None:
    """UTF-8 cut in the middle of its last character, or with a few stray bytes among many
    good multi-byte letters (a pasted Windows character): still UTF-8, not another encoding."""
    if error.reason == "unexpected end of data" and error.start >= len(data) - 3:
        try:
            return _decoded(data[:error.start].decode("utf-8"), "utf-8")
        except UnicodeDecodeError:
            pass
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for c in text if ord(c) > 0x7F) - bad
    if bad <= max(3, len(text) // 1000) and good >= 20 * bad:
        return _decoded(text, f"utf-8 ({bad} invalid byte(s) replaced)")
    return None


@lru_cache(maxsize=1)
def _suspect() -> re.Pattern:
    """A control character or a legacy-font signature character. Most texts hold neither: one
    scan for both then stands in for the control count and the legacy-font detection."""
    from .legacy_fonts import signature_chars
    return re.compile(f"[{_CONTROL_CHARS}{re.escape(signature_chars())}]")


def _decoded(text: str, encoding: str, legacy_checked: bool = False) -> tuple[str, str]:
    if _suspect().search(text) is None:
        return text, encoding
    _check_text(text, encoding)
    if not legacy_checked:
        from .legacy_fonts import fix_legacy
        text, legacy = fix_legacy(text)
        if legacy:
            encoding = f"{encoding}+{legacy}"
    return text, encoding


def extract_text(data: bytes, fmt: str) -> tuple[str, str]:
    """(text, encoding) of a file's bytes in the given format."""
    from .formats import FormatError, docx_to_text, html_charset, html_to_text, pdf_to_text
    try:
        if fmt in ("txt", "md"):
            return decode_bytes(data)
        if fmt == "html":
            markup, encoding = decode_bytes(data, declared=html_charset(data))
            return _decoded(html_to_text(markup), encoding)
        if fmt == "docx":
            return _decoded(docx_to_text(data), "unicode")
        if fmt == "pdf":
            return _decoded(pdf_to_text(data), "unicode")
    except FormatError as exc:
        raise InputError(str(exc)) from None
    except RecursionError:
        raise InputError(f"the {fmt} structure is nested too deeply to read") from None
    raise InputError(f"unsupported format '{fmt}'")


def read_document(path: str | Path, doc_id: str | None = None) -> Document:
    """Read one input file into a Document (raw text only)."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"unsupported file type '{path.suffix or '(none)'}'; expected one of "
                         + ", ".join(sorted(FORMATS)))
    size = path.stat().st_size
    if size >= MAX_BYTES:
        raise InputError(f"file too large ({size / 1e6:.0f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB)")
    if size == 0:
        raise InputError("empty file (0 bytes)")
    data = path.read_bytes()
    text, encoding = extract_text(data, fmt)
    text = unicodedata.normalize("NFC", text)
    if "\r" in text and "\n" not in text:
        text = text.replace("\r", "\n")   # old Mac line ends
    if not text.strip():
        raise InputError("empty document (no text)")
    if len(text) > MAX_CHARS:
        raise InputError(f"text too long ({len(text):,} characters; the limit is {MAX_CHARS:,}): "
                         "not a single plan, split it")
    return Document(
        doc_id=doc_id or path.stem,
        source_path=str(path),
        raw=text,
        format=fmt,
        encoding=encoding,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def not_a_plan(doc: Document) -> str | None:
    """Why an extracted document is not a plan at all (a README, a shopping list), or None.

    A plan shows at least one of: a document number, a type heading (KẾ HOẠCH, CÔNG VĂN ...),
    an issuer; or enough of the vocabulary plans are written in (fewer words are needed when
    the text also has numbered headings). Runs after the metadata component.
    """
    from .lexicon import lexicon
    meta = (doc.rows.get("documents") or [{}])[0]
    if meta.get("doc_number") or meta.get("issuer") or meta.get("doc_type") not in (None, "other"):
        return None
    data = lexicon("inputs")
    low = doc.text.casefold()
    found = sorted({w for w in data["plan_words"] if w in low})
    numbered = sum(1 for h in doc.headings if h.is_title_line)
    if len(found) >= data["plan_min_words"] or (numbered >= 2 and len(found) >= data["plan_min_words_with_headings"]):
        return None
    words = ", ".join(found) if found else "none"
    return (f"not a plan: no document number, type heading (KẾ HOẠCH, CÔNG VĂN ...) or issuer, "
            f"{numbered} numbered heading(s), plan vocabulary found: {words}")

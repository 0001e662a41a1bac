"""Stage 1, load: read a file, decode it to text, Unicode NFC."""
from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

from .document import Document


class InputError(Exception):
    """A document that cannot be read; the message names the problem."""


TEXT_FORMATS = {".txt": "txt", ".md": "md", ".markdown": "md", ".text": "txt"}
MAX_BYTES = 50 * 1024 * 1024


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode text bytes: BOMs first, then UTF-8, then UTF-16 without BOM, then Windows-1258."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    # UTF-16 without BOM: every other byte of ASCII text is NUL
    if len(data) >= 4 and data[1::2].count(0) > len(data) // 4:
        try:
            return data.decode("utf-16-le"), "utf-16-le"
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise InputError("binary data, not text (NUL bytes)")
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        raise InputError(f"cannot decode as UTF-8, UTF-16 or Windows-1258 ({utf8_error})") from None
    return text, "cp1258"


def read_document(path: str | Path, doc_id: str | None = None) -> Document:
    """Read and decode one input file into a Document (raw text only)."""
    path = Path(path)
    fmt = TEXT_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"unsupported file type '{path.suffix}'")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(f"file too large ({size / 2**20:.0f} MB > {MAX_BYTES // 2**20} MB)")
    data = path.read_bytes()
    text, encoding = decode_bytes(data)
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise InputError("empty document (no text)")
    return Document(
        doc_id=doc_id or path.stem,
        source_path=str(path),
        raw=text,
        format=fmt,
        encoding=encoding,
        sha256=hashlib.sha256(data).hexdigest(),
    )

"""Text out of HTML, DOCX and PDF files.

Each reader returns the plain text of the document body: one paragraph a line, table rows
as `| cell | cell |` lines (what the normalize and tables stages read in text dumps too).
That text becomes `Document.raw`, so every offset of the output indexes it. The parsing
libraries are imported here, lazily, only when a file of their format is read.
"""
from __future__ import annotations

import io
import logging
import zipfile
from functools import lru_cache

import regex

from .lexicon import lexicon


class FormatError(Exception):
    """The file is not a readable document of its declared format."""


_WS = regex.compile(r"[ \t\r\f\v\u00a0\u200b]+")
_CELL_WS = regex.compile(r"\s+")
_CHARSET = regex.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", regex.I)
_PAGE_NUMBER = regex.compile(r"^\s*(?:[-–]\s*)?(?:Trang\s+)?\d{1,4}(?:\s*/\s*\d{1,4})?(?:\s*[-–])?\s*$", regex.I)
MAX_UNZIPPED = 200 * 1024 * 1024   # a .docx inflating beyond this is a zip bomb, not a plan


def _cell_text(s: str) -> str:
    # a table cell becomes one line; a "|" inside it would split the cell
    return _CELL_WS.sub(" ", s).replace("|", "/").strip()


def _row_line(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


# --- HTML ---------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _html_data():
    data = lexicon("inputs")
    return (frozenset(data["html_drop_tags"]), frozenset(data["html_drop_tokens"]),
            frozenset(data["html_block_tags"]))


def html_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a <meta> tag, if any."""
    m = _CHARSET.search(data[:4096])
    return m.group(1).decode("ascii").lower() if m else None


def _is_furniture(tag, tokens) -> bool:
    names = []
    for attr in ("id", "class", "role"):
        value = tag.get(attr)
        if value:
            names.extend(value if isinstance(value, list) else [value])
    for name in names:
        parts = regex.split(r"[-_\s]+", name.lower())
        if any(p in tokens for p in parts):
            return True
    return False


def _content_root(body):
    """Descend to the smallest element still holding most of the page's text (the document body)."""
    node = body
    total = len(node.get_text(" ", strip=True))
    while True:
        best = None
        for child in node.find_all(recursive=False):
            n = len(child.get_text(" ", strip=True))
            if n >= 0.8 * total and (best is None or n > best[0]):
                best = (n, child)
        if best is None or best[1].name in ("table", "tr", "p", "li"):
            return node
        node = best[1]


def html_to_text(markup: str) -> str:
    """The document body of a web page as text; navigation, menus and scripts dropped."""
    from bs4 import BeautifulSoup, Comment
    try:
        soup = BeautifulSoup(markup, "lxml")
    except Exception:  # noqa: BLE001 - lxml missing or refusing the page: the stdlib parser
        soup = BeautifulSoup(markup, "html.parser")
    drop_tags, drop_tokens, block_tags = _html_data()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(list(drop_tags)):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.parent is not None and tag.name not in ("html", "body") and _is_furniture(tag, drop_tokens):
            tag.decompose()
    body = soup.body or soup
    return _join_lines(_html_lines(_content_root(body), block_tags))


def _html_lines(root, block_tags) -> list[str]:
    """Lines of an element: blocks end with a blank line, <br> breaks a line, tables as rows."""
    lines: list[str] = []
    buf: list[str] = []

    def flush(block_end: bool = False):
        line = _WS.sub(" ", "".join(buf)).strip()
        if line:
            lines.append(line)
        buf.clear()
        if block_end:
            lines.append("")   # a blank line: the block is a paragraph of its own

    def walk(node):
        for child in node.children:
            name = getattr(child, "name", None)
            if name is None:
                buf.append(str(child).replace("\n", " "))
            elif name == "br":
                flush()
            elif name == "table":
                flush(True)
                rows = [[_html_lines(td, block_tags) for td in tr.find_all(("td", "th"), recursive=False)]
                        for tr in child.find_all("tr") if tr.find_parent("table") is child]
                lines.extend(_table_lines(rows))
                lines.append("")
            elif name == "pre":
                flush(True)
                lines.extend(ln.rstrip() for ln in child.get_text().splitlines())
                lines.append("")
            elif name in block_tags:
                flush(True)
                walk(child)
                flush(True)
            else:
                walk(child)

    walk(root)
    flush()
    return lines


def _join_lines(lines: list[str]) -> str:
    """Lines joined, runs of blank lines collapsed to one, no blank line at either end."""
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n" if out else ""


def _table_lines(rows: list[list[list[str]]]) -> list[str]:
    """A table (rows of cells, each cell its lines) as text lines.

    A grid of data becomes one `| cell | cell |` line a row. A small layout table (at most 2 rows
    of at most 2 cells: the issuer/motto header, the recipients/signature block) is written the
    way text dumps of plans show it, each cell's lines between lone `|` lines, so the header and
    the signature read as in a .txt plan.
    """
    rows = [r for r in rows if any(any(ln.strip() for ln in cell) for cell in r)]
    if not rows:
        return []
    if len(rows) <= 2 and max(len(r) for r in rows) <= 2:
        out: list[str] = []
        for r in rows:
            out.append("|")
            for cell in r:
                out.extend(_WS.sub(" ", ln).replace("|", "/").strip() for ln in cell if ln.strip())
                out.append("|")
        return out
    return [_row_line([_cell_text(" ".join(cell)) for cell in r]) for r in rows]


# --- DOCX ---------------------------------------------------------------------------------
def docx_to_text(data: bytes) -> str:
    """Paragraphs and tables of a Word document's body, in reading order."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            raise FormatError("an old Word .doc file named .docx; save it as .docx or PDF") from None
        raise FormatError("not a .docx file (not a zip archive)") from None
    with zf:
        if "word/document.xml" not in zf.namelist():
            raise FormatError("not a .docx file (no word/document.xml)")
        if sum(i.file_size for i in zf.infolist()) > MAX_UNZIPPED:
            raise FormatError(f"the .docx unpacks to more than {MAX_UNZIPPED // 2**20} MB")
    import docx
    from docx.oxml.ns import qn
    from docx.table import Table
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on broken packages
        raise FormatError(f"cannot read the .docx ({type(exc).__name__}: {exc})") from None
    lines: list[str] = []
    p_tag, tbl_tag, sdt_tag, content_tag = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")
    numbering = _WordNumbering(document)

    def walk(parent_el, parent):
        for el in parent_el.iterchildren():
            if el.tag == p_tag:
                text = numbering.label(el) + _word_text(el)
                lines.extend(_WS.sub(" ", ln).strip() for ln in text.split("\n"))
                lines.append("")   # each Word paragraph is a paragraph of its own
            elif el.tag == tbl_tag:
                rows = []
                for row in Table(el, parent).rows:
                    cells, seen = [], set()
                    for cell in row.cells:
                        if id(cell._tc) in seen:
                            continue   # a merged cell is listed once per grid column it spans
                        seen.add(id(cell._tc))
                        cells.append([ln for p in cell._tc.iter(p_tag) for ln in _word_text(p).split("\n")])
                    rows.append(cells)
                lines.extend(_table_lines(rows))
                lines.append("")
            elif el.tag == sdt_tag:
                content = el.find(content_tag)
                if content is not None:
                    walk(content, parent)

    walk(document.element.body, document)
    return _join_lines(lines)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# not text of the paragraph: deleted runs, field codes, properties, text boxes (own paragraphs),
# the fallback copy of alternate content
_WORD_SKIP = frozenset([_W + t for t in ("del", "instrText", "delText", "pPr", "rPr", "txbxContent",
                                          "footnoteReference", "commentReference")] + [_MC_FALLBACK])


def _word_text(el) -> str:
    """Text of a Word paragraph as shown, tracked insertions, hyperlinks, fields' results
    and content controls included (python-docx's `Paragraph.text` drops several of them)."""
    out: list[str] = []

    def walk(node):
        for child in node:
            tag = child.tag
            if tag == _W + "t":
                out.append(child.text or "")
            elif tag == _W + "tab":
                out.append("\t")
            elif tag in (_W + "br", _W + "cr"):
                out.append("\n")
            elif tag == _W + "noBreakHyphen":
                out.append("-")
            elif tag not in _WORD_SKIP and isinstance(tag, str):
                walk(child)

    walk(el)
    return "".join(out)


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def _letter(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


_NUM_FORMATS = {
    "decimal": str, "decimalZero": lambda n: f"{n:02d}", "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(), "upperLetter": lambda n: _letter(n).upper(),
    "lowerLetter": _letter, "none": lambda n: "",
}


class _WordNumbering:
    """The labels Word draws for automatically numbered paragraphs ("I.", "1.", "a)", "-"):
    they are not in the paragraph's text, yet they are the plan's heading numbers."""

    def __init__(self, document):
        from docx.oxml.ns import qn
        self.qn = qn
        self.counters: dict[str, list[int]] = {}
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.styles = document.styles if hasattr(document, "styles") else None
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError, ValueError):
            root = None
        if root is None:
            return
        w = lambda name: qn(f"w:{name}")
        abstract = {}
        for a in root.findall(w("abstractNum")):
            lv = {}
            for lvl in a.findall(w("lvl")):
                fmt = lvl.find(w("numFmt"))
                text = lvl.find(w("lvlText"))
                start = lvl.find(w("start"))
                lv[int(lvl.get(w("ilvl"), "0"))] = (
                    fmt.get(w("val")) if fmt is not None else "decimal",
                    text.get(w("val")) if text is not None else "",
                    int(start.get(w("val"))) if start is not None and start.get(w("val"), "").isdigit() else 1)
            abstract[a.get(w("abstractNumId"))] = lv
        for num in root.findall(w("num")):
            ref = num.find(w("abstractNumId"))
            if ref is not None and ref.get(w("val")) in abstract:
                self.levels[num.get(w("numId"))] = abstract[ref.get(w("val"))]

    def _num_pr(self, p):
        qn = self.qn
        ppr = p.find(qn("w:pPr"))
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        style_id = None
        if ppr is not None and ppr.find(qn("w:pStyle")) is not None:
            style_id = ppr.find(qn("w:pStyle")).get(qn("w:val"))
        seen = set()
        while num_pr is None and style_id and style_id not in seen and self.styles is not None:
            seen.add(style_id)   # numbering given by the paragraph style (Heading 1 ...), or its base
            style = next((st for st in self.styles if st.style_id == style_id), None)
            if style is None:
                break
            sppr = style.element.find(qn("w:pPr"))
            num_pr = sppr.find(qn("w:numPr")) if sppr is not None else None
            base = style.element.find(qn("w:basedOn"))
            style_id = base.get(qn("w:val")) if base is not None else None
        if num_pr is None:
            return None
        num_id = num_pr.find(qn("w:numId"))
        ilvl = num_pr.find(qn("w:ilvl"))
        return (num_id.get(qn("w:val")) if num_id is not None else None,
                int(ilvl.get(qn("w:val"))) if ilvl is not None and ilvl.get(qn("w:val"), "").isdigit() else 0)

    def label(self, p) -> str:
        if not self.levels:
            return ""
        found = self._num_pr(p)
        if not found or found[0] not in self.levels:
            return ""
        num_id, ilvl = found
        levels = self.levels[num_id]
        if ilvl not in levels:
            return ""
        counts = self.counters.setdefault(num_id, [0] * 10)
        if ilvl >= len(counts):
            return ""
        fmt, text, start = levels[ilvl]
        counts[ilvl] = counts[ilvl] + 1 if counts[ilvl] else start
        for deeper in range(ilvl + 1, len(counts)):
            counts[deeper] = 0
        if fmt == "bullet":
            return "- "

        def level_value(m):
            k = int(m.group(1)) - 1
            f, _, st = levels.get(k, ("decimal", "", 1))
            return _NUM_FORMATS.get(f, str)(counts[k] or st)

        label = regex.sub(r"%([1-9])", level_value, text).strip()
        return label + " " if label else ""


# --- PDF ----------------------------------------------------------------------------------
_GAP = regex.compile(r"\S( {4,})\S")   # a wide run of spaces between two pieces of text: two columns
MAX_LAYOUT_LINES = 8   # a header or signature block is short; a longer grid is a data table


def _split(line: str) -> tuple[str, str, int] | None:
    m = _GAP.search(line)
    return (line[:m.start(1)].strip(), line[m.end(1):].strip(), m.end(1)) if m else None


def _two_columns(raw_lines: list[str]) -> list[str]:
    """Page lines with side-by-side blocks (issuer | motto, recipients | signature) read column
    by column, written like a layout table of a text dump: lone `|` lines around each column.
    A line right-aligned under the right column (the signer's name) belongs to it."""
    out: list[str] = []
    i, n = 0, len(raw_lines)
    while i < n:
        j = i
        while j < n and _split(raw_lines[j]):
            j += 1
        if j - i < 2 or j - i > MAX_LAYOUT_LINES:
            # one line, or a long grid (a data table): kept line by line
            out.extend(_WS.sub(" ", ln).strip() for ln in raw_lines[i:max(j, i + 1)])
            i = max(j, i + 1)
            continue
        parts = [_split(ln) for ln in raw_lines[i:j]]
        right_col = min(p[2] for p in parts)
        left = [p[0] for p in parts]
        right = [p[1] for p in parts]
        k = j
        while k < n and k - j < 6:
            ln = raw_lines[k]
            indent = len(ln) - len(ln.lstrip())
            if ln.strip() and (indent < right_col - 3 or _split(ln)):
                break
            if ln.strip():
                right.append(ln.strip())
                j = k + 1
            k += 1
        out.append("|")
        out.extend(_WS.sub(" ", x) for x in left if x)
        out.append("|")
        out.extend(_WS.sub(" ", x) for x in right if x)
        out.append("|")
        i = j
    return out

def _page_lines(text: str) -> str:
    """Layout text of (part of) a page: side-by-side blocks read by column, page numbers dropped."""
    lines = _two_columns(text.splitlines())
    while lines and (not lines[0].strip() or _PAGE_NUMBER.match(lines[0])):
        lines.pop(0)
    while lines and (not lines[-1].strip() or _PAGE_NUMBER.match(lines[-1])):
        lines.pop()
    return _join_lines(lines).rstrip("\n")


def _ruled_table_pages(data: bytes) -> dict[int, str]:
    """Text of the pages that hold ruled tables (cell borders drawn, as in plans' appendices),
    read with pdfplumber: the text between the tables in layout mode, each table one
    `| cell | cell |` line a row. The text layer alone loses the cells of a table."""
    import pdfplumber
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    out: dict[int, str] = {}
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages):
            tables = sorted(page.find_tables(), key=lambda t: t.bbox[1])
            tables = [t for t in tables if len(t.rows) >= 2 and len(t.rows[0].cells) >= 2]
            if not tables:
                continue
            parts, top = [], 0.0
            for table in tables:
                x0, t_top, x1, t_bottom = table.bbox
                if t_top > top:
                    parts.append(_page_lines(page.crop((0, top, page.width, t_top)).extract_text(layout=True) or ""))
                rows = [[(cell or "").splitlines() for cell in row] for row in table.extract()]
                parts.append("\n".join(_table_lines(rows)))
                top = max(top, t_bottom)
            if top < page.height:
                parts.append(_page_lines(page.crop((0, top, page.width, page.height)).extract_text(layout=True) or ""))
            out[number] = "\n".join(p for p in parts if p)
    return out


def pdf_to_text(data: bytes) -> str:
    """The text layer of a PDF, page after page, page-number lines dropped; pages with ruled
    tables have their tables rebuilt (`_ruled_table_pages`)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError
    logging.getLogger("pypdf").setLevel(logging.ERROR)   # hostile files log thousands of warnings
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise FormatError("not a PDF file (no %PDF header)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise FormatError("the PDF is encrypted with a password")
        try:
            ruled = _ruled_table_pages(data)
        except Exception:  # noqa: BLE001 - tables are a bonus: the text layer is still read
            ruled = {}
        pages = []
        for number, page in enumerate(reader.pages):
            if number in ruled:
                pages.append(ruled[number])
                continue
            # layout mode keeps vertical gaps as blank lines (the paragraph breaks of the page)
            # and the horizontal position of text (the two columns of header and signature)
            try:
                text = page.extract_text(extraction_mode="layout") or ""
            except Exception:  # noqa: BLE001 - layout mode needs font metrics some files lack
                text = page.extract_text() or ""
            pages.append(_page_lines(text))
    except FormatError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, NotImplementedError, OSError) as exc:
        raise FormatError(f"cannot read the PDF ({type(exc).__name__}: {exc})") from None
    text = "\n".join(p for p in pages if p)
    if len(text.strip()) < 20:
        raise FormatError(f"the PDF has no text layer ({len(pages)} page(s) of images?); "
                          "run OCR on it first")
    return text + "\n"

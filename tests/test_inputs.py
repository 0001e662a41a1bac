"""Input formats and encodings: every format gives the same tables as the text dump."""
import html
import io
import json
import os
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import regex

from pipeline.load import InputError, decode_bytes, read_document
from pipeline.run import process_document

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw_docs"
# columns that name the file or index its own text: they differ between formats by design
FILE_COLUMNS = {"quote", "char_start", "char_end", "source_path", "format", "encoding", "sha256", "n_chars"}
_TABLE_LINE = regex.compile(r"^\|.*\|$")
_SEPARATOR = regex.compile(r"^\|[\s:|-]+\|$")


def raw(prefix: str) -> Path:
    return next(RAW.glob(f"{prefix}_*.txt"))


# --- building the other formats from a text dump ----------------------------------------
def _blocks(text: str):
    """Paragraph blocks (lists of lines) and markdown tables (lists of cell lists)."""
    out = []
    for block in regex.split(r"\n\s*\n", text):
        lines = [ln for ln in block.split("\n") if ln.strip()]
        cur: list[str] = []
        for ln in lines:
            if _TABLE_LINE.match(ln.strip()) and ln.count("|") >= 3:
                if cur:
                    out.append(("p", cur))
                    cur = []
                if _SEPARATOR.match(ln.strip()):
                    continue
                cells = [c.strip() for c in ln.strip()[1:-1].split("|")]
                if out and out[-1][0] == "table":
                    out[-1][1].append(cells)
                else:
                    out.append(("table", [cells]))
            else:
                cur.append(ln)
        if cur:
            out.append(("p", cur))
    return out


def make_html(text: str) -> bytes:
    parts = []
    for kind, body in _blocks(text):
        if kind == "p":
            parts.append("<p>" + "<br>\n".join(html.escape(ln) for ln in body) + "</p>")
        else:
            rows = "".join("<tr>" + "".join(f"<td><p>{html.escape(c)}</p></td>" for c in r) + "</tr>" for r in body)
            parts.append(f"<table border='1'><tbody>{rows}</tbody></table>")
    page = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>Văn bản</title>"
            "<script>var menu = 'Trang chủ';</script><style>p{margin:0}</style></head><body>"
            "<header><a href='/'>CỔNG THÔNG TIN ĐIỆN TỬ</a></header>"
            "<nav class='menu'><ul><li>Trang chủ</li><li>Văn bản pháp luật</li><li>Liên hệ</li></ul></nav>"
            "<div class='wrapper'><div class='breadcrumb'>Văn bản › Kế hoạch</div>"
            "<div id='content' class='fulltext'>" + "\n".join(parts) + "</div>"
            "<div class='sidebar'><h3>Văn bản liên quan</h3><ul><li>Quyết định 1/QĐ-UBND</li></ul></div></div>"
            "<footer>Bản quyền © Sở Tư pháp. Địa chỉ: 01 đường Lê Lợi</footer></body></html>")
    return page.encode("utf-8")


def make_docx(text: str) -> bytes:
    import docx
    d = docx.Document()
    for kind, body in _blocks(text):
        if kind == "p":
            p = d.add_paragraph()
            for i, ln in enumerate(body):
                run = p.add_run(ln)
                if i < len(body) - 1:
                    run.add_break()
        else:
            table = d.add_table(rows=len(body), cols=max(len(r) for r in body))
            for row, cells in zip(table.rows, body):
                for cell, value in zip(row.cells, cells):
                    cell.text = value
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def unicode_font() -> str | None:
    """A TTF with Vietnamese glyphs: the system's DejaVu Sans, else the one matplotlib ships."""
    for path in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans.ttf"):
        if os.path.exists(path):
            return path
    try:
        import matplotlib
        path = Path(matplotlib.__file__).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
        return str(path) if path.exists() else None
    except ImportError:
        return None


def new_pdf(size: int):
    """An fpdf2 document with one page and a Vietnamese-capable font (the test skips without one)."""
    from fpdf import FPDF
    font = unicode_font()
    if font is None:
        pytest.skip("no TTF font with Vietnamese glyphs to write a test PDF")
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("dejavu", fname=font)
    pdf.set_font("dejavu", size=size)
    return pdf


def make_pdf(text: str) -> bytes:
    pdf = new_pdf(10)
    for kind, body in _blocks(text):
        if kind == "p":
            for ln in body:
                pdf.multi_cell(0, 5, ln, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        else:
            with pdf.table(text_align="LEFT", first_row_as_headings=False) as table:
                for cells in body:
                    row = table.row()
                    for c in cells:
                        row.cell(c)
            pdf.ln(3)
    return bytes(pdf.output())


MAKERS = {"html": make_html, "docx": make_docx, "pdf": make_pdf}


def _rows(result) -> dict[str, Counter]:
    return {t: Counter(json.dumps({k: v for k, v in r.items() if k not in FILE_COLUMNS}, default=str,
                                  ensure_ascii=False, sort_keys=True) for r in rows)
            for t, rows in result.rows.items()}


def _converted(tmp_path: Path, prefix: str, fmt: str):
    src = raw(prefix)
    path = tmp_path / f"{src.stem}.{fmt}"
    path.write_bytes(MAKERS[fmt](src.read_text(encoding="utf-8")))
    return process_document(src), process_document(path)


def _assert_grounded(result, path: Path):
    doc = read_document(path)
    for table, rows in result.rows.items():
        for r in rows:
            if r.get("quote") is not None:
                assert doc.raw[r["char_start"]:r["char_end"]] == r["quote"], (table, r["quote"])


@pytest.mark.parametrize("fmt", ["html", "docx"])
@pytest.mark.parametrize("prefix", ["000", "001"])
def test_html_and_docx_give_the_same_tables_as_txt(tmp_path, fmt, prefix):
    ref, got = _converted(tmp_path, prefix, fmt)
    assert got.errors == [] and ref.errors == []
    assert got.rows["documents"][0]["format"] == fmt
    ref_rows, got_rows = _rows(ref), _rows(got)
    assert set(got_rows) == set(ref_rows)
    for table in ref_rows:
        assert got_rows[table] == ref_rows[table], table
    assert sum(len(r) for r in ref.rows.values()) > 20
    _assert_grounded(got, tmp_path / f"{raw(prefix).stem}.{fmt}")


def test_pdf_gives_the_same_tables_as_txt_for_running_text(tmp_path):
    # 000 and 002: running text, headings, lone-pipe header block - everything survives
    for prefix in ("000", "002"):
        ref, got = _converted(tmp_path, prefix, "pdf")
        assert got.errors == []
        assert got.rows["documents"][0]["format"] == "pdf"
        assert _rows(got) == _rows(ref), prefix
        _assert_grounded(got, tmp_path / f"{raw(prefix).stem}.pdf")


def test_pdf_ruled_tables_are_rebuilt(tmp_path):
    """The appendix grids of 001 drawn as ruled tables come back as table rows: the PDF gives the
    txt's rows (all but 3 assignments of one running-text sentence the text layer words differently)."""
    ref, got = _converted(tmp_path, "001", "pdf")
    assert got.errors == []
    ref_rows, got_rows = _rows(ref), _rows(got)
    for table in ("documents", "sections", "targets", "deadlines", "agencies"):
        assert got_rows[table] == ref_rows[table], table
    assert not (got_rows["assignments"] - ref_rows["assignments"])   # nothing spurious
    assert sum((ref_rows["assignments"] - got_rows["assignments"]).values()) <= 3
    path = tmp_path / f"{raw('001').stem}.pdf"
    doc = read_document(path)
    assert ("| 1 | Toàn tỉnh có khoảng 3.000 tổ hợp tác với 63.000 thành viên; 700 hợp tác xã với 100.000 "
            "thành viên; 03 liên hiệp hợp tác xã với 20 hợp tác xã thành viên | Liên minh Hợp tác xã tỉnh |") in doc.raw
    _assert_grounded(got, path)


def test_pdf_text_is_still_read_when_the_table_reader_fails(tmp_path, monkeypatch):
    from pipeline import formats

    def broken(data):
        raise RuntimeError("no table reader")
    monkeypatch.setattr(formats, "_ruled_table_pages", broken)
    ref, got = _converted(tmp_path, "001", "pdf")
    assert got.errors == []
    assert _rows(got)["sections"] == _rows(ref)["sections"]
    assert sum(_rows(got)["targets"].values()) < sum(_rows(ref)["targets"].values())   # the grids' targets are lost


def test_html_drops_navigation_keeps_tables(tmp_path):
    page = make_html(raw("001").read_text(encoding="utf-8"))
    path = tmp_path / "plan.html"
    path.write_bytes(page)
    doc = read_document(path)
    for furniture in ("CỔNG THÔNG TIN", "Văn bản pháp luật", "Văn bản liên quan", "Bản quyền", "var menu",
                      "Văn bản › Kế hoạch"):
        assert furniture not in doc.raw
    assert doc.raw.startswith("**ỦY BAN NHÂN DÂN")
    assert "| STT | Mục tiêu cụ thể | Đơn vị chủ trì | Đơn vị phối hợp | Ghi chú |" in doc.raw
    assert doc.format == "html" and doc.encoding == "utf-8"


def test_html_declared_windows_1258(tmp_path):
    body = "<p>KẾ HOẠCH</p><p>Sở Nông nghiệp và Môi trường chủ trì, phối hợp với Sở Tài chính.</p>"
    text = f"<html><head><meta http-equiv='Content-Type' content='text/html; charset=windows-1258'></head><body>{body}</body></html>"
    path = tmp_path / "p.htm"
    path.write_bytes(to_cp1258(text))
    doc = read_document(path)
    assert "Sở Nông nghiệp và Môi trường chủ trì, phối hợp với Sở Tài chính." in doc.raw
    assert doc.encoding == "windows-1258"


def test_docx_tables_and_merged_cells(tmp_path):
    import docx
    d = docx.Document()
    d.add_paragraph("III. TỔ CHỨC THỰC HIỆN")
    t = d.add_table(rows=3, cols=3)
    for cell, v in zip(t.rows[0].cells, ["STT", "Nhiệm vụ", "Cơ quan chủ trì"]):
        cell.text = v
    for cell, v in zip(t.rows[1].cells, ["1", "Rà soát cơ chế, chính sách", "Sở Tài chính"]):
        cell.text = v
    t.cell(2, 0).text = "2"
    merged = t.cell(2, 1).merge(t.cell(2, 2))
    merged.text = "Các sở, ngành theo chức năng"
    d.add_paragraph("Giao Sở Nội vụ theo dõi, đôn đốc.")
    path = tmp_path / "t.docx"
    d.save(path)
    doc = read_document(path)
    assert doc.raw == ("III. TỔ CHỨC THỰC HIỆN\n\n| STT | Nhiệm vụ | Cơ quan chủ trì |\n"
                       "| 1 | Rà soát cơ chế, chính sách | Sở Tài chính |\n| 2 | Các sở, ngành theo chức năng |\n\n"
                       "Giao Sở Nội vụ theo dõi, đôn đốc.\n")
    assert doc.format == "docx"


def test_pdf_without_text_layer_is_reported(tmp_path):
    from fpdf import FPDF
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 150, style="F")   # a scanned page: pictures, no text
    path = tmp_path / "scan.pdf"
    path.write_bytes(bytes(pdf.output()))
    with pytest.raises(InputError, match="no text layer"):
        read_document(path)


# --- encodings ------------------------------------------------------------------------------
SENTENCE = ("Số: 12/KH-UBND. Ủy ban nhân dân tỉnh giao Sở Khoa học và Công nghệ chủ trì, phối hợp với "
            "các sở, ngành triển khai thực hiện; phấn đấu đến năm 2030 đạt 80% hồ sơ được xử lý trực tuyến.")


def to_cp1258(text: str) -> bytes:
    """Windows-1258 has â ê ô ơ ư ă đ precomposed and the tone marks as combining characters."""
    s = unicodedata.normalize("NFD", text)
    # NFD may put the dot below before the circumflex: compose the shape mark with its letter
    s = regex.sub(r"(\p{L})([\u0300\u0301\u0303\u0309\u0323]*)([\u0302\u0306\u031b])",
                  lambda m: unicodedata.normalize("NFC", m[1] + m[3]) + m[2], s)
    return s.encode("cp1258")


@pytest.mark.parametrize("encode, encoding", [
    (lambda s: s.encode("utf-8"), "utf-8"),
    (lambda s: s.encode("utf-8-sig"), "utf-8-sig"),
    (lambda s: s.encode("utf-16"), "utf-16"),
    (lambda s: s.encode("utf-16-le"), "utf-16-le"),
    (lambda s: s.encode("utf-16-be"), "utf-16-be"),
    (to_cp1258, "cp1258"),
    (lambda s: unicodedata.normalize("NFD", s).encode("utf-8"), "utf-8"),
])
def test_encodings_decode_to_the_same_nfc_text(tmp_path, encode, encoding):
    path = tmp_path / "plan.txt"
    path.write_bytes(encode(SENTENCE))
    doc = read_document(path)
    assert doc.raw == SENTENCE
    assert doc.encoding == encoding


# Typed in the old fonts: TCVN3 (.VnTime) and VNI-Times, as their bytes show in Latin-1.
TCVN3 = ("Uû ban nh©n d©n tØnh\nCéng hoµ x· héi chñ nghÜa ViÖt Nam\n§éc lËp - Tù do - H¹nh phóc\n"
         "KÕ ho¹ch ph¸t triÓn kinh tÕ tËp thÓ, hîp t¸c x· n¨m 2024\n")
TCVN3_UNICODE = ("Uỷ ban nhân dân tỉnh\nCộng hoà xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc\n"
                 "Kế hoạch phát triển kinh tế tập thể, hợp tác xã năm 2024\n")
VNI = ("UÛY BAN NHAÂN DAÂN TÆNH\nCoäng hoøa xaõ hoäi chuû nghóa Vieät Nam\nÑoäc laäp - Töï do - Haïnh phuùc\n"
       "Keá hoaïch phaùt trieån kinh teá taäp theå, hôïp taùc xaõ naêm 2024\n")
VNI_UNICODE = ("ỦY BAN NHÂN DÂN TỈNH\nCộng hòa xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc\n"
               "Kế hoạch phát triển kinh tế tập thể, hợp tác xã năm 2024\n")


def test_tcvn3_and_vni_text_files_are_converted(tmp_path):
    for name, legacy, unicode_text, enc in (("a", TCVN3, TCVN3_UNICODE, "tcvn3"), ("b", VNI, VNI_UNICODE, "vni")):
        path = tmp_path / f"{name}.txt"
        path.write_bytes(legacy.encode("latin-1"))
        doc = read_document(path)
        assert doc.raw == unicode_text
        assert doc.encoding == enc


def test_tcvn3_in_a_docx_and_mixed_documents(tmp_path):
    import docx
    d = docx.Document()
    for line in TCVN3.splitlines():
        d.add_paragraph(line)
    d.add_paragraph("Ghi chú: bản số hoá năm 2025")        # a Unicode line in the same file stays as it is
    path = tmp_path / "old.docx"
    d.save(path)
    doc = read_document(path)
    assert doc.encoding == "unicode+tcvn3"
    assert doc.raw == "\n\n".join(TCVN3_UNICODE.splitlines() + ["Ghi chú: bản số hoá năm 2025"]) + "\n"


def test_unicode_text_is_not_mistaken_for_legacy():
    text = "Nhiệt độ 25 °C, nồng độ 5 µg/l; Ủy ban nhân dân tỉnh Cà Mau; café, naïve, Ñ"
    assert decode_bytes(text.encode("utf-8")) == (text, "utf-8")


@pytest.mark.parametrize("data, words", [
    (b"", "empty"),
    (b"\x00\x01\x02\x03" * 50, "binary"),
    (b"%PDF-1.4\n" + bytes(range(256)) * 4, "PDF"),
    (bytes(range(1, 32)) * 30, "binary"),
    ("Sở Tài chính chủ trì. ".encode("utf-8") * 140_000, "text too long"),
])
def test_bad_text_files(tmp_path, data, words):
    path = tmp_path / "x.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=words):
        read_document(path)


def test_plans_without_header_still_count_as_plans(tmp_path):
    """The body of a real plan, cut after its header, is still a plan (vocabulary + headings)."""
    from pipeline.load import not_a_plan
    from pipeline.run import run_components
    text = raw("003").read_text(encoding="utf-8")
    body = text[text.index("\nI") + 1:]
    path = tmp_path / "body.txt"
    path.write_text(body, encoding="utf-8")
    doc, _ = run_components(read_document(path))
    assert not_a_plan(doc) is None
    path.write_text("Danh sách đi chợ\n1. Gạo\n2. Rau\nGhi chú: mua trước 5 giờ chiều.\n", encoding="utf-8")
    doc, _ = run_components(read_document(path))
    assert not_a_plan(doc).startswith("not a plan: ")


# A plan as a legal-database page and as a Word file: header and signature are layout tables.
HEADER = [["ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG THÁP\n--------", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n---------------"],
          ["Số: 552/KH-UBND", "Đồng Tháp, ngày 19 tháng 11 năm 2025"]]
BODY = ["KẾ HOẠCH", "Thực hiện chuyển đổi số trong cơ quan nhà nước năm 2026",
        "Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị, Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:",
        "I. MỤC TIÊU", "Phấn đấu đến năm 2026 có 90% hồ sơ thủ tục hành chính được xử lý trực tuyến.",
        "II. TỔ CHỨC THỰC HIỆN",
        "Sở Khoa học và Công nghệ chủ trì, phối hợp với Sở Nội vụ theo dõi, đôn đốc thực hiện Kế hoạch."]
TASKS = [["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian"],
         ["1", "Xây dựng cơ sở dữ liệu đất đai", "Sở Nông nghiệp và Môi trường", "Năm 2026"]]
SIGNATURE = [["Nơi nhận:\n- Như trên;\n- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nTrần Văn An"]]


def _html_table(rows):
    return "<table>" + "".join("<tr>" + "".join(
        "<td><p>" + "<br>".join(html.escape(x) for x in c.split("\n")) + "</p></td>" for c in r) + "</tr>"
        for r in rows) + "</table>"


def _docx_table(d, rows):
    t = d.add_table(rows=len(rows), cols=len(rows[0]))
    for row, cells in zip(t.rows, rows):
        for cell, value in zip(row.cells, cells):
            lines = value.split("\n")
            cell.paragraphs[0].text = lines[0]
            for ln in lines[1:]:
                cell.add_paragraph(ln)


def test_portal_page_and_word_file_with_layout_tables(tmp_path):
    import docx
    page = ("<html><body><div class='menu'>Trang chủ | Văn bản</div><div class='content1'>" + _html_table(HEADER)
            + "".join(f"<p>{html.escape(p)}</p>" for p in BODY) + _html_table(TASKS) + _html_table(SIGNATURE)
            + "</div><div class='footer'>Bản quyền</div></body></html>")
    (tmp_path / "plan.html").write_text(page, encoding="utf-8")
    d = docx.Document()
    _docx_table(d, HEADER)
    for p in BODY:
        d.add_paragraph(p)
    _docx_table(d, TASKS)
    _docx_table(d, SIGNATURE)
    d.save(tmp_path / "plan.docx")
    for name in ("plan.html", "plan.docx"):
        result = process_document(tmp_path / name)
        assert result.errors == [], name
        doc = result.rows["documents"][0]
        assert (doc["doc_number"], doc["issuer"], doc["issue_date"].isoformat(), doc["signer"], doc["doc_type"]) == \
            ("552/KH-UBND", "Ủy ban nhân dân tỉnh Đồng Tháp", "2025-11-19", "Trần Văn An", "ke_hoach"), name
        assert [s["heading"] for s in result.rows["sections"]] == ["MỤC TIÊU", "TỔ CHỨC THỰC HIỆN"], name
        assert [t["value"] for t in result.rows["targets"]] == [90.0], name
        leads = {(a["agency"], a["role"]) for a in result.rows["assignments"]}
        assert {("Sở Khoa học và Công nghệ", "chu_tri"), ("Sở Nội vụ", "phoi_hop"),
                ("Sở Nông nghiệp và Môi trường", "chu_tri")} <= leads, name
        _assert_grounded(result, tmp_path / name)


def test_pdf_two_column_header_and_signature(tmp_path):
    """Issuer | motto and recipients | signature stand side by side on a PDF page: read by column."""
    pdf = new_pdf(11)

    def two_columns(y, rows, right_x):
        for left, right in rows:
            pdf.set_xy(15, y)
            pdf.cell(70, 6, left, align="C" if right_x < 100 else "")
            pdf.set_xy(right_x, y)
            pdf.cell(200 - right_x, 6, right, align="C")
            y += 7
        return y

    y = two_columns(15, [(a, b) for a, b in zip(HEADER[0][0].split("\n") + [HEADER[1][0]],
                                                 HEADER[0][1].split("\n") + [HEADER[1][1]])], 90)
    pdf.set_xy(15, y + 8)
    for i, p in enumerate(BODY):
        pdf.multi_cell(0, 6, p, align="C" if i < 2 else "J", new_x="LMARGIN", new_y="NEXT")
    rows = list(zip(SIGNATURE[0][0].split("\n") + ["", ""], SIGNATURE[0][1].split("\n")[:3] + ["", "Trần Văn An"]))
    two_columns(pdf.get_y() + 10, rows, 110)
    path = tmp_path / "plan.pdf"
    path.write_bytes(bytes(pdf.output()))
    result = process_document(path)
    assert result.errors == []
    doc = result.rows["documents"][0]
    assert (doc["doc_number"], doc["issuer"], doc["issue_date"].isoformat(), doc["signer"]) == \
        ("552/KH-UBND", "Ủy ban nhân dân tỉnh Đồng Tháp", "2025-11-19", "Trần Văn An")
    assert doc["title"] == BODY[1]
    assert [s["heading"] for s in result.rows["sections"]] == ["MỤC TIÊU", "TỔ CHỨC THỰC HIỆN"]
    assert [t["value"] for t in result.rows["targets"]] == [90.0]
    _assert_grounded(result, path)


def test_docx_automatic_numbering_becomes_heading_labels(tmp_path):
    """Headings numbered by Word itself (I., 1., a)) keep their labels: they make the sections."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    d = docx.Document()
    numbering = d.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate([("upperRoman", "%1."), ("decimal", "%2."), ("lowerLetter", "%3)")]))
    numbering.insert(0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{levels}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def para(text, level=None):
        p = d.add_paragraph(text)
        if level is not None:
            p._p.get_or_add_pPr().append(parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))

    para("KẾ HOẠCH")
    para("Triển khai Đề án phát triển du lịch cộng đồng giai đoạn 2026 - 2030")
    para("MỤC ĐÍCH, YÊU CẦU", 0)
    para("Mục đích", 1)
    para("Nâng cao nhận thức của người dân về du lịch cộng đồng.")
    para("Yêu cầu", 1)
    para("NHIỆM VỤ, GIẢI PHÁP", 0)
    para("Phát triển sản phẩm du lịch", 1)
    para("Xây dựng 10 mô hình du lịch cộng đồng", 2)
    para("Đào tạo 500 lao động", 2)
    para("TỔ CHỨC THỰC HIỆN", 0)
    para("Sở Văn hóa, Thể thao và Du lịch chủ trì, phối hợp với các sở, ngành triển khai Kế hoạch.")
    path = tmp_path / "numbered.docx"
    d.save(path)
    raw_text = read_document(path).raw
    for line in ("I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "2. Yêu cầu", "II. NHIỆM VỤ, GIẢI PHÁP",
                 "1. Phát triển sản phẩm du lịch", "a) Xây dựng 10 mô hình du lịch cộng đồng",
                 "b) Đào tạo 500 lao động", "III. TỔ CHỨC THỰC HIỆN"):
        assert f"\n{line}\n" in raw_text, line
    result = process_document(path)
    got = [(s["number"], s["level"]) for s in result.rows["sections"]]
    assert got == [("I", 1), ("1", 2), ("2", 2), ("II", 1), ("1", 2), ("III", 1)]
    kinds = {s["number"]: s["kind"] for s in result.rows["sections"] if s["level"] == 1}
    assert kinds == {"I": "muc_dich_yeu_cau", "II": "nhiem_vu_giai_phap", "III": "to_chuc_thuc_hien"}


def test_format_libraries_are_imported_only_when_needed():
    import subprocess
    import sys
    code = ("import sys, pipeline.cli, pipeline.load, pipeline.run, pipeline.formats; "
            "print(sorted(m for m in ('bs4', 'docx', 'pypdf', 'lxml') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_docx_tracked_changes_links_and_fields_read_as_shown(tmp_path):
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    d = docx.Document()
    d.add_paragraph("KẾ HOẠCH")
    d.element.body.insert(1, parse_xml(
        f'<w:p {nsdecls("w")}><w:r><w:t xml:space="preserve">Giao </w:t></w:r>'
        '<w:del w:id="1" w:author="A"><w:r><w:delText>Sở Kế hoạch và Đầu tư</w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="A"><w:r><w:t>Sở Tài chính</w:t></w:r></w:ins>'
        '<w:r><w:t xml:space="preserve"> chủ trì, báo cáo trước ngày </w:t></w:r>'
        '<w:fldSimple w:instr="DATE"><w:r><w:t>15/12/2026</w:t></w:r></w:fldSimple>'
        '<w:r><w:t xml:space="preserve">; xem </w:t></w:r>'
        '<w:hyperlink><w:r><w:t>Cổng thông tin</w:t></w:r></w:hyperlink><w:r><w:t>.</w:t></w:r></w:p>'))
    path = tmp_path / "tracked.docx"
    d.save(path)
    assert read_document(path).raw == ("KẾ HOẠCH\n\nGiao Sở Tài chính chủ trì, báo cáo trước ngày 15/12/2026; "
                                       "xem Cổng thông tin.\n")

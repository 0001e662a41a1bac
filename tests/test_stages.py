"""Load, normalize, segment and tables on the bundled plans."""
import pytest

from pipeline.load import InputError, decode_bytes
from pipeline.normalize import normalize
from pipeline.document import Document


def test_unwrapped_lines_map_back_to_raw(processed):
    doc = processed["000"]
    # 000 wraps mid-sentence at ~80 characters; normalized text joins the wrap with a space
    needle = "Cụ thể hóa các quan điểm, mục tiêu, chủ trương lớn, khâu đột phá"
    i = doc.text.index(needle)
    a, b = doc.raw_span(i, i + len(needle))
    assert doc.raw[a:b].replace("\n", " ") == needle
    joined = "Chương trình hành động số 31-CTr/TU; xác định"
    j = doc.text.index("số 31-CTr/TU; xác định các nhiệm vụ trọng tâm")
    a, b = doc.raw_span(j, j + 40)
    assert "\n" in doc.raw[a:b] or doc.raw[a:b] == doc.text[j:j + 40]
    assert len(doc.offsets) == len(doc.text) + 1
    assert all(x <= y for x, y in zip(doc.offsets, doc.offsets[1:]))


def test_markup_and_stray_bars_removed(processed):
    doc = processed["001"]
    assert "**" not in doc.text
    assert "Về việc tiếp tục đổi mới, phát triển và nâng cao hiệu quả kinh tế tập thể trong giai đoạn mới" in doc.text
    doc0 = processed["000"]
    assert "\n|\n" not in doc0.text


def test_section_kinds_of_001(processed):
    got = [(s.number, s.level, s.heading, s.kind) for s in processed["001"].sections]
    assert ("I", 1, "MỤC ĐÍCH, YÊU CẦU", "muc_dich_yeu_cau") in got
    assert ("2", 2, "Mục tiêu cụ thể", "muc_tieu") in got
    assert ("III", 1, "NHIỆM VỤ VÀ GIẢI PHÁP", "nhiem_vu_giai_phap") in got
    assert ("IV", 1, "TỔ CHỨC THỰC HIỆN", "to_chuc_thuc_hien") in got
    appendix = [s for s in processed["001"].sections if s.kind == "phu_luc"]
    assert [s.number for s in appendix] == ["Phụ lục 1", "Phụ lục 2"]
    assert appendix[0].heading.startswith("PHẦN CÔNG NHIỆM VỤ PHỤ TRÁCH")


def test_appendix_table_split_across_pages_is_one_table(processed):
    doc = processed["001"]
    first = doc.tables[0]
    assert first.column("đơn vị chủ trì") == 2
    numbers = [r.cells[0].text for r in first.rows]
    # Phụ lục 1: group row I, rows 1-6, group row II, rows 1-11; repeated headers dropped
    assert numbers == ["I", "1", "2", "3", "4", "5", "6", "II"] + [str(i) for i in range(1, 12)]
    cell = first.rows[1].cells[2]
    assert doc.text[cell.start:cell.end] == "Liên minh Hợp tác xã tỉnh"
    # continuation row of Phụ lục 2 (task 6 has a second lead with empty number cell)
    second = doc.tables[1]
    cont = [r for r in second.rows if r.cells[0].text == ""]
    assert len(cont) == 1 and cont[0].cells[2].text == "UBND các huyện, thành phố"


def test_decode_variants():
    text = "Kế hoạch số 12/KH-UBND"
    assert decode_bytes(text.encode("utf-8"))[0] == text
    assert decode_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))[0] == text
    assert decode_bytes(text.encode("utf-16"))[0] == text
    with pytest.raises(InputError):
        decode_bytes(b"\x00\x01\x02\xff\xfe\x00\x00\x9f" * 10)


def test_lone_pipe_grid_table_becomes_rows():
    raw = "Phụ lục\n\n|\nSTT\n|\nNhiệm vụ\n|\nCơ quan chủ trì\n|\n|\n1\n|\nRà soát cơ chế\n|\nSở Tài chính\n|\n"
    from pipeline.tables import parse_tables
    doc = parse_tables(normalize(Document(doc_id="t", source_path="t", raw=raw)))
    assert len(doc.tables) == 1
    row = doc.tables[0].rows[0]
    assert [c.text for c in row.cells] == ["1", "Rà soát cơ chế", "Sở Tài chính"]
    a, b = doc.raw_span(row.cells[2].start, row.cells[2].end)
    assert raw[a:b] == "Sở Tài chính"


def test_elision_between_two_pipes_is_a_row_break():
    raw = ("Phụ lục\n\n|\nSTT\n|\nNhiệm vụ\n|\nCơ quan chủ trì\n|\n|\n1\n|\nBan hành Quy chế\n|\nSở Xây dựng\n|\n"
           "…...................\n|\n2\n|\nThành lập bộ máy quản lý Quỹ\n|\nSở Tài chính\n|\n")
    from pipeline.tables import parse_tables
    doc = parse_tables(normalize(Document(doc_id="t", source_path="t", raw=raw)))
    assert [[c.text for c in row.cells] for row in doc.tables[0].rows] == [
        ["1", "Ban hành Quy chế", "Sở Xây dựng"], ["2", "Thành lập bộ máy quản lý Quỹ", "Sở Tài chính"]]
    cell = doc.tables[0].rows[1].cells[2]
    a, b = doc.raw_span(cell.start, cell.end)
    assert raw[a:b] == "Sở Tài chính"


def test_offset_map_points_every_kept_character_at_itself():
    raw = ("**KẾ HOẠCH**\n|\n**TT**\n|\nNội  dung\t cần\n|\n|\n1\n|\nRà soát\n|\n\n"
           "Căn cứ Nghị quyết số\n57-NQ/TW ngày **22/12/2024**; |\n| a | b |\nTrang 3\n")
    doc = normalize(Document(doc_id="t", source_path="t", raw=raw))
    offs = list(doc.offsets)
    assert len(offs) == len(doc.text) + 1 and offs[-1] == len(raw)
    assert offs == [doc.offsets[i] for i in range(len(offs))] == doc.offsets[:]
    assert doc.offsets == offs and doc.offsets[-1] == doc.offsets[len(offs) - 1]
    for i, ch in enumerate(doc.text):
        if ch not in " \n":
            assert raw[offs[i]] == ch, (i, ch)

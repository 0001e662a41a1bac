"""Heading rules on sentences written in the style of the plans."""
from pipeline.document import Document
from pipeline.normalize import normalize
from pipeline.segment import section_kind, segment


def sections_of(raw: str):
    doc = segment(normalize(Document(doc_id="t", source_path="t", raw=raw)))
    return [(s.number, s.level, s.heading, s.kind) for s in doc.sections]


def test_bold_heading_wrapped_in_markdown_is_one_heading():
    raw = "**V. TỔ CHỨC\nTHỰC HIỆN**\n\n**1. Sở\nKhoa học và Công nghệ**\n\n- Là cơ quan thường trực, chủ\ntrì theo dõi.\n"
    assert sections_of(raw) == [("V", 1, "TỔ CHỨC THỰC HIỆN", "to_chuc_thuc_hien"),
                                ("1", 2, "Sở Khoa học và Công nghệ", "to_chuc_thuc_hien")]


def test_numbered_sentences_are_not_headings_but_titles_with_children_are():
    raw = ("I. NHIỆM VỤ TRỌNG TÂM\n"
           "1. Tăng cường tuyên truyền, nâng cao nhận thức về vai trò của kinh tế tập thể.\n"
           "1.1. Các sở, ban, ngành của tỉnh tổ chức quán triệt Nghị quyết.\n"
           "2. Rà soát, sửa đổi các quy định của tỉnh về hỗ trợ hợp tác xã trong năm 2024 và những năm tiếp theo.\n"
           "3. Diễn tập phòng thủ dân sự.\n")
    got = sections_of(raw)
    assert ("1", 2, "Tăng cường tuyên truyền, nâng cao nhận thức về vai trò của kinh tế tập thể",
            "nhiem_vu_giai_phap") in got
    numbers = [g[0] for g in got]
    assert "2" not in numbers and "3" not in numbers   # sentences, and their short sibling


def test_lead_in_sentence_ending_with_colon_is_not_a_heading():
    raw = ("1. Ủy ban nhân dân các xã, phường phối hợp với các đơn vị liên quan:\n- Rà soát hợp tác xã.\n"
           "2. Liên minh Hợp tác xã tỉnh:\n- Tuyên truyền.\n")
    assert sections_of(raw) == [("2", 1, "Liên minh Hợp tác xã tỉnh", "nhiem_vu_giai_phap")]


def test_titles_ending_in_a_colon_with_a_cue_inside_a_name_or_opening_them():
    from pipeline.segment import is_title_line
    assert is_title_line("Sở Giao thông vận tải và Xây dựng tỉnh:")
    assert is_title_line("Mục tiêu cụ thể đến năm 2030 của tỉnh:")
    assert is_title_line("Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội:")
    assert not is_title_line("Đề nghị các sở, ban, ngành tỉnh tập trung thực hiện các nội dung sau:")
    assert not is_title_line("Ủy ban nhân dân các xã, phường phối hợp với các đơn vị liên quan:")


def test_thousands_number_opening_a_line_is_not_an_item():
    raw = "I. MỤC TIÊU\nToàn tỉnh có\n11.400 doanh nghiệp đang hoạt động.\n"
    assert sections_of(raw) == [("I", 1, "MỤC TIÊU", "muc_tieu")]


def test_section_kind_cues():
    assert section_kind("QUAN ĐIỂM CHỈ ĐẠO VÀ MỤC TIÊU") == "quan_diem"
    assert section_kind("Mục tiêu cụ thể", "quan_diem") == "muc_tieu"
    # a cue deep inside a sub-heading does not override the parent's kind
    assert section_kind("Nhận thức đúng về kinh tế thị trường định hướng xã hội chủ nghĩa",
                        "nhiem_vu_giai_phap") == "nhiem_vu_giai_phap"
    assert section_kind("KINH PHÍ THỰC HIỆN") == "kinh_phi"
    assert section_kind("Sở Tài chính") == "nhiem_vu_giai_phap"
    assert section_kind("Giao Sở Xây dựng") == section_kind("Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh") \
        == "nhiem_vu_giai_phap"
    # who is eligible, criteria: about neither tasks nor objectives, even under a task heading
    assert section_kind("ĐỐI TƯỢNG, NỘI DUNG THI ĐUA") == "other"
    assert section_kind("Tiêu chí đánh giá, xếp loại", "nhiem_vu_giai_phap") == "other"
    assert section_kind("Nội dung thi đua", "other") == "nhiem_vu_giai_phap"


def test_appendix_right_after_a_signature_table_is_found():
    raw = ("I. TỔ CHỨC THỰC HIỆN\nSở Tài chính chủ trì.\n|\nNơi nhận:\n- Như trên;\n|\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n"
           "Nguyễn Văn Đệ\n|\n** **\n**PHỤ LỤC**\nDANH MỤC NHIỆM VỤ\n*(Kèm theo Kế hoạch số 1/KH-UBND)*\n"
           "|\n**TT**\n|\n**Nội dung**\n|\n|\n1\n|\nRà soát\n|\n")
    doc = segment(normalize(Document(doc_id="t", source_path="t", raw=raw)))
    assert [(s.number, s.heading, s.kind) for s in doc.sections][-1] == ("Phụ lục", "DANH MỤC NHIỆM VỤ", "phu_luc")
    from extractors.metadata import signer
    assert signer(doc) == "Nguyễn Văn Đệ"


def test_attached_forms_are_appendices():
    raw = ("I. MỤC TIÊU\nTăng thu ngân sách.\n|\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nLâm Văn Bi\n|\n"
           "**Mẫu biểu số 01**\n**DỰ BÁO MỘT SỐ CHỈ TIÊU KINH TẾ - XÃ HỘI**\n*(Kèm theo Kế hoạch số 0204/KH-UBND)*\n"
           "|\n**STT**\n|\n**Nội dung**\n|\n"
           "**BIỂU MẪU SỐ 2**\nKẾ HOẠCH VAY VÀ TRẢ NỢ\n")
    assert [s[0] for s in sections_of(raw)] == ["I", "Mẫu biểu 01", "Biểu mẫu 2"]
    assert sections_of(raw)[1][2:] == ("DỰ BÁO MỘT SỐ CHỈ TIÊU KINH TẾ - XÃ HỘI", "phu_luc")
    # a sentence citing a form is no appendix
    assert [s[0] for s in sections_of("I. MỤC TIÊU\nThu ngân sách.\nMẫu biểu số 04 đính kèm.\n")] == ["I"]


def test_bracketed_note_pointing_to_an_attachment_stays_out_of_the_heading():
    raw = ("**II. NHIỆM VỤ CỤ THỂ**\n*(Chi tiết tại Phụ lục kèm theo)*\n\n1. Công an tỉnh chủ trì làm sạch dữ liệu; "
           "Sở Tư pháp số hóa hồ sơ hộ tịch, hoàn thành trong năm 2026.\n"
           "III. MỤC TIÊU\n(giai đoạn 2026 - 2030)\n"
           "IV. GIẢI PHÁP CHỦ YẾU ***(chi tiết Phụ lục đính kèm)*\n")
    # printed on the heading's own line, the note is part of its title (FORMAT: "as printed")
    assert [s[2] for s in sections_of(raw)] == ["NHIỆM VỤ CỤ THỂ", "MỤC TIÊU (giai đoạn 2026 - 2030)",
                                                "GIẢI PHÁP CHỦ YẾU (chi tiết Phụ lục đính kèm)"]


def test_type_word_line_stays_apart_from_the_title():
    raw = "KẾ HOẠCH\nTHỰC HIỆN CHƯƠNG TRÌNH HÀNH ĐỘNG SỐ 31-CTR/TU\nCỦA TỈNH ỦY\nCăn cứ Nghị quyết số 20-NQ/TW;\n"
    doc = normalize(Document(doc_id="t", source_path="t", raw=raw))
    assert doc.text.split("\n")[:2] == ["KẾ HOẠCH", "THỰC HIỆN CHƯƠNG TRÌNH HÀNH ĐỘNG SỐ 31-CTR/TU CỦA TỈNH ỦY"]


def test_short_opening_line_of_a_wrapped_paragraph_joins_the_next():
    filler = "mua sắm, vận chuyển, phân phối nhu yếu phẩm; hướng dẫn lập, thanh quyết toán bảo đảm\n"
    raw = ("6. Sở Tài chính:\n\nPhối hợp với Sở Công\nThương và các đơn vị liên quan thẩm định, tham mưu UBND tỉnh bố trí\n"
           + filler * 12 + "\nc) Phối hợp Sở Nội vụ (Ban\nThi đua - Khen thưởng) tiến hành.\n")
    doc = normalize(Document(doc_id="t", source_path="t", raw=raw))
    assert "Phối hợp với Sở Công Thương và các đơn vị liên quan" in doc.text
    assert "Phối hợp Sở Nội vụ (Ban Thi đua - Khen thưởng)" in doc.text


def test_where_blank_lines_end_paragraphs_a_full_line_goes_on_after_a_semicolon_or_before_an_item():
    filler = "Ủy ban nhân dân tỉnh ban hành Kế hoạch thực hiện phong trào thi đua trên địa bàn.\n\n"
    raw = ("Thực hiện Chỉ thị số 46-CT/TW ngày 16/5/2025 của Bộ Chính trị về lãnh đạo cuộc bầu\n"
           "cử đại biểu Quốc hội khóa XVI và đại biểu Hội đồng nhân dân các cấp 2026 - 2031;\n"
           "Hướng dẫn số 7886/HD-BNV ngày 14/9/2025 của Bộ Nội vụ về khen thưởng.\n\n"
           "- Giai đoạn khẩn cấp: Tổ chức lực lượng, phương tiện tiếp cận ngay các vùng ngập sâu,\n"
           "chia cắt bằng ca nô, xuồng máy, phương tiện cơ động, ưu tiên các địa bàn cấp độ\n"
           "1. Cấp ngay mì tôm, lương khô, nước uống cho Nhân dân.\n\n"
           "7. Các doanh nghiệp hoạt động trong lĩnh vực xây dựng, giao thông, vận tải trên địa bàn\n"
           "- Chủ động phối hợp triển khai các giải pháp, nền tảng số phục vụ quản lý hạ tầng.\n\n"
           "Nơi nhận:\n- Bộ Nội vụ;\n- Lưu: VT.\n\n" + filler * 6)
    paragraphs = normalize(Document(doc_id="t", source_path="t", raw=raw)).text.split("\n")
    assert paragraphs[0].endswith("2026 - 2031; Hướng dẫn số 7886/HD-BNV ngày 14/9/2025 của Bộ Nội vụ về khen thưởng.")
    assert paragraphs[1].endswith("các địa bàn cấp độ 1. Cấp ngay mì tôm, lương khô, nước uống cho Nhân dân.")
    # a heading's line, however long, and the item under it; short lines: a list
    assert paragraphs[2:4] == ["7. Các doanh nghiệp hoạt động trong lĩnh vực xây dựng, giao thông, vận tải trên địa bàn",
                               "- Chủ động phối hợp triển khai các giải pháp, nền tảng số phục vụ quản lý hạ tầng."]
    assert paragraphs[4:7] == ["Nơi nhận:", "- Bộ Nội vụ;", "- Lưu: VT."]


def test_a_heading_ending_in_a_compound_with_a_continuation_word():
    # "số" goes on ("Quyết định số" / "12/QĐ-UBND"), not at the end of "Dân số"
    raw = "2. Chi cục Dân số\nPhối hợp với Trung tâm Kiểm soát bệnh tật tỉnh lồng ghép truyền thông phòng dịch.\n"
    assert normalize(Document(doc_id="t", source_path="t", raw=raw)).text.split("\n")[0] == "2. Chi cục Dân số"


def test_number_with_thousands_separator_continues_the_line_before():
    raw = "- Đến năm 2030, số doanh nghiệp đang hoạt động đạt khoảng\n11.400 doanh nghiệp.\n"
    doc = normalize(Document(doc_id="t", source_path="t", raw=raw))
    assert doc.text == "- Đến năm 2030, số doanh nghiệp đang hoạt động đạt khoảng 11.400 doanh nghiệp."

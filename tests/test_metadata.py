import datetime as dt

import pytest

from extractors import metadata


@pytest.mark.parametrize("prefix,number,doc_type,issuer,province,date,signer,implements", [
    ("000", "49/KH-UBND", "ke_hoach", "Ủy ban nhân dân tỉnh Hưng Yên", "Hưng Yên", dt.date(2023, 3, 15),
     "Nguyễn Hùng Nam", ["31-CTr/TU", "20-NQ/TW"]),
    ("001", "251/KH-UBND", "ke_hoach", "Ủy ban nhân dân tỉnh Kiên Giang", "Kiên Giang", dt.date(2023, 10, 20),
     "Lê Quốc Anh", ["20-NQ/TW", "09/NQ-CP", "34-CTr/TU"]),
    ("002", "26-CTr/TU", "chuong_trinh_hanh_dong", "Huyện ủy Gò Công Tây", None, None,
     "Đình Tấn Hoàng", ["20-NQ/TW"]),
    ("003", "139/KH-UBND", "ke_hoach", "Ủy ban nhân dân tỉnh Nam Định", "Nam Định", dt.date(2022, 10, 13),
     "Trần Anh Dũng", ["23-CTr/TU", "20-NQ/TW"]),
    ("004", "765/VP-KTTH", "cong_van", "Văn phòng Ủy ban nhân dân tỉnh Kon Tum", "Kon Tum", dt.date(2019, 3, 29),
     None, ["63/LMHTXVN-CSPT"]),
])
def test_document_metadata(processed, prefix, number, doc_type, issuer, province, date, signer, implements):
    row = processed[prefix].rows["documents"][0]
    assert row["doc_number"] == number
    assert row["doc_type"] == doc_type
    assert row["issuer"] == issuer
    assert row["province"] == province
    assert row["issue_date"] == date
    assert row["signer"] == signer
    assert row["implements"] == implements


def _document_row(tmp_path, text: str) -> dict:
    """The documents row of a plan written with this text."""
    from pipeline.run import process_document
    path = tmp_path / "plan.md"
    path.write_text(text, encoding="utf-8")
    return process_document(path).rows["documents"][0]


def _header_doc(tmp_path, header: str):
    return _document_row(tmp_path, header + "\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
                         "Hà Nội, ngày 15 tháng 3 năm 2026\n\nKẾ HOẠCH\nTriển khai chuyển đổi số\n\n"
                         "I. MỤC ĐÍCH, YÊU CẦU\nCục Công nghệ thông tin chủ trì, phối hợp với các đơn vị.\n")


@pytest.mark.parametrize("header,issuer", [
    ("BỘ Y TẾ\n-------\nSố: 1234/KH-BYT", "Bộ Y tế"),
    ("**BỘ VĂN HOÁ, THỂ THAO\nVÀ DU LỊCH**\n---------\nSố: 77/KH-BVHTTDL", "Bộ Văn hóa, Thể thao và Du lịch"),
    ("| BỘ CÔNG THƯƠNG | Số: 5/KH-BCT |", "Bộ Công Thương"),
    # a unit under the ministry issues: its own name is not in the list, the issuer stays unknown
    ("BỘ Y TẾ\nCỤC QUẢN LÝ KHÁM, CHỮA BỆNH\nSố: 12/KH-KCB", None),
])
def test_a_ministry_issuing_under_its_own_name(tmp_path, header, issuer):
    row = _header_doc(tmp_path, header)
    assert row["issuer"] == issuer
    assert row["province"] is None
    assert row["issue_date"] == dt.date(2026, 3, 15)


def test_a_department_letter_with_its_subject_line(tmp_path):
    """A Sở under its committee issues a letter: 'Sở Y tế tỉnh Quảng Ninh'; the number stops
    before the subject line ('V/v ...') that the layout puts right after it."""
    row = _document_row(tmp_path, "|\nUBND TỈNH QUẢNG NINH\n**SỞ Y TẾ**\n-------\n|\n**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**\n"
                              "Độc lập - Tự do - Hạnh phúc\n---------------\n|\n|\nSố: 2150/SYT-NVY\n"
                              "V/v triển khai tiêm chủng mở rộng năm 2026\n|\n*Quảng Ninh, ngày 05 tháng 01 năm 2026*\n|\n\n"
                              "Kính gửi: Trung tâm Kiểm soát bệnh tật tỉnh.\n\n"
                              "1. Trung tâm Kiểm soát bệnh tật tỉnh chủ trì tổ chức tiêm chủng.\n\n"
                              "|\n**Nơi nhận:**\n- Như trên;\n|\n**KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC**\n\n**Trần Văn Hùng**\n|\n")
    assert (row["doc_number"], row["doc_type"]) == ("2150/SYT-NVY", "cong_van")
    assert (row["issuer"], row["province"]) == ("Sở Y tế tỉnh Quảng Ninh", "Quảng Ninh")
    assert (row["issue_date"], row["signer"]) == (dt.date(2026, 1, 5), "Trần Văn Hùng")


@pytest.mark.parametrize("header,issuer,province", [
    ("TỈNH ỦY NGHỆ AN\n*\nSố 12-CTr/TU", "Tỉnh ủy Nghệ An", "Nghệ An"),
    ("| TỈNH UỶ BÌNH ĐỊNH | ĐẢNG CỘNG SẢN VIỆT NAM |\n| Số 40-KH/TU | |", "Tỉnh ủy Bình Định", "Bình Định"),
    ("HUYỆN ỦY GÒ CÔNG TÂY\n*\nSố 26-CTr/HU", "Huyện ủy Gò Công Tây", None),
])
def test_a_party_committee_named_with_its_place_in_the_header(tmp_path, header, issuer, province):
    row = _header_doc(tmp_path, header)
    assert (row["issuer"], row["province"]) == (issuer, province)


def test_a_standing_deputy_signs_and_assembly_resolutions_keep_their_term(tmp_path):
    row = _document_row(tmp_path, "TỈNH ỦY LÂM ĐỒNG\n*\nSố 15-CTr/TU\n\nĐẢNG CỘNG SẢN VIỆT NAM\n\n"
                              "Lâm Đồng, ngày 12 tháng 9 năm 2025\n\nCHƯƠNG TRÌNH HÀNH ĐỘNG\n\n"
                              "Thực hiện Nghị quyết số 201/2025/QH15 ngày 29/5/2025 của Quốc hội và Nghị quyết số "
                              "71-NQ/TW của Bộ Chính trị.\n\nI. MỤC TIÊU\n\nĐến năm 2030, 100% trường học đạt chuẩn.\n\n"
                              "T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ THƯỜNG TRỰC\n\nNguyễn Thái Học\n")
    assert row["implements"] == ["201/2025/QH15", "71-NQ/TW"]
    assert row["signer"] == "Nguyễn Thái Học"


def test_a_provincial_party_committee_header(tmp_path):
    """'ĐẢNG BỘ TỈNH GIA LAI' over 'TỈNH ỦY': the issuer is Tỉnh ủy Gia Lai, in Gia Lai."""
    row = _document_row(tmp_path, "|\n**ĐẢNG BỘ TỈNH GIA LAI**\n**TỈNH ỦY**\n*\n|\n**ĐẢNG CỘNG SẢN VIỆT NAM**\n|\n|\n"
                              "Số: 05-CTr/TU\n|\n*Gia Lai, ngày 12 tháng 9 năm 2025*\n|\n\n**CHƯƠNG TRÌNH HÀNH ĐỘNG**\n"
                              "**thực hiện Nghị quyết số 71-NQ/TW**\n\n**I. MỤC TIÊU**\n\nĐến năm 2030, tỷ lệ huy động trẻ em "
                              "mẫu giáo đến trường đạt 99%.\n\n|\n**T/M TỈNH ỦY**\n**BÍ THƯ**\n\n**Hồ Văn Niên**\n|\n")
    assert (row["doc_number"], row["doc_type"]) == ("05-CTr/TU", "chuong_trinh_hanh_dong")
    assert (row["issuer"], row["province"], row["signer"]) == ("Tỉnh ủy Gia Lai", "Gia Lai", "Hồ Văn Niên")


def test_a_quyet_dinh_issuing_a_plan_and_a_commune_plan(tmp_path):
    """A Quyết định that issues a Kế hoạch is a quyet_dinh (FORMAT), titled by its own line; a
    commune's plan takes the one province its text names."""
    qd = _document_row(tmp_path, "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ CẦN THƠ\n\nSố: 2145/QĐ-UBND\n\n"
                                 "Cần Thơ, ngày 10 tháng 12 năm 2025\n\nQUYẾT ĐỊNH\n\nBan hành Kế hoạch bình đẳng giới năm 2026\n\n"
                                 "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch bình đẳng giới.\n\n"
                                 "KẾ HOẠCH\n\nBình đẳng giới năm 2026\n\nI. MỤC TIÊU\nĐến năm 2026, 100% xã có câu lạc bộ.\n")
    assert (qd["doc_type"], qd["title"]) == ("quyet_dinh", "Ban hành Kế hoạch bình đẳng giới năm 2026")
    xa = _document_row(tmp_path, "ỦY BAN NHÂN DÂN\nXÃ TÂN PHÚ\n\nSố: 45/KH-UBND\n\nTân Phú, ngày 02 tháng 10 năm 2025\n\n"
                                 "KẾ HOẠCH\nXây dựng nông thôn mới năm 2026\n\nCăn cứ Kế hoạch số 210/KH-UBND ngày 20/10/2025 "
                                 "của Ủy ban nhân dân tỉnh Đồng Nai;\n\nI. MỤC TIÊU\nĐến năm 2026, xã đạt chuẩn.\n")
    assert (xa["issuer"], xa["province"]) == ("Ủy ban nhân dân xã Tân Phú", "Đồng Nai")


def test_a_letter_is_titled_by_its_subject_line(tmp_path):
    row = _document_row(tmp_path, "ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\n\nSố: 9876/UBND-KT\nV/v triển khai Nghị quyết số "
                                  "68-NQ/TW\n\nNghệ An, ngày 24 tháng 11 năm 2025\n\nKính gửi: Các sở, ban, ngành.\n\n"
                                  "1. Sở Tài chính chủ trì rà soát.\n")
    assert (row["doc_number"], row["doc_type"]) == ("9876/UBND-KT", "cong_van")
    assert row["title"] == "V/v triển khai Nghị quyết số 68-NQ/TW"


def test_a_ministry_has_no_province_even_when_its_text_names_one(tmp_path):
    row = _header_doc(tmp_path, "BỘ Y TẾ\n-------\nSố: 1234/KH-BYT\n\nThí điểm tại tỉnh Lào Cai.")
    assert (row["issuer"], row["province"]) == ("Bộ Y tế", None)

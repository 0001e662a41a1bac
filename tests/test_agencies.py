"""Agencies: mention finding (lexicon, abbreviations, collectives, head-word grammar), tone-mark
spelling, what is not a body, and the agencies table derived from the assignments."""
from pathlib import Path

import pytest

from test_assignments import plan, roles, _run
from conftest import doc_path


def names(doc) -> set[str]:
    return {r["name"] for r in doc.rows.get("agencies", [])}


def mentions(tmp_path: Path, body: str, **kw) -> list[tuple[str, str]]:
    from extractors.agencies import find_mentions
    doc = plan(tmp_path, body, **kw)
    start = doc.text.find(body.split("\n")[0][:20])
    return [(m.kind, n) for m in find_mentions(doc) if m.start >= start for n in (m.names or [m.printed])]


def test_unify_keeps_length_and_only_moves_final_tones():
    from extractors.agencies import unify
    for old, new in (("Uỷ ban", "Ủy ban"), ("hoà", "hòa"), ("Thuỷ lợi", "Thủy lợi")):
        assert unify(old) == new and len(unify(old)) == len(old)
    assert unify("đoàn thể") == "đoàn thể"        # tone inside the syllable stays


def test_old_style_tone_marks_match(tmp_path):
    got = mentions(tmp_path, "1. Uỷ ban nhân dân các xã, phường chủ trì, phối hợp với Sở Văn hoá, Thể thao và Du lịch "
                             "tổ chức thực hiện.")
    assert ("group", "Ủy ban nhân dân cấp xã") in got
    assert ("body", "Sở Văn hóa, Thể thao và Du lịch") in got


def test_unknown_bodies_by_head_word(tmp_path):
    got = mentions(tmp_path, "1. Chi cục Thủy lợi tỉnh, Trung tâm Khuyến nông tỉnh, Hội Nông dân tỉnh và Ban Quản lý "
                             "các khu công nghiệp tỉnh Gia Lai triển khai mô hình.")
    assert [n for k, n in got if k == "body"] == ["Chi cục Thủy lợi tỉnh", "Trung tâm Khuyến nông tỉnh",
                                                  "Hội Nông dân tỉnh", "Ban Quản lý các khu công nghiệp tỉnh Gia Lai"]


def test_name_stops_before_the_verb(tmp_path):
    got = mentions(tmp_path, "1. Phòng Tài chính Kế hoạch là cơ quan tham mưu; Sở Tài Chính nghiên cứu, tham mưu.")
    assert [n for k, n in got if k == "body"] == ["Phòng Tài chính Kế hoạch", "Sở Tài chính"]


def test_project_boards_keep_their_project_and_drafting_ends_a_name(tmp_path):
    got = mentions(tmp_path, "1. Ban Quản lý dự án Nông nghiệp tỉnh triển khai; Trung tâm Công nghệ thông tin "
                             "dự thảo quy chế.")
    assert [n for k, n in got if k == "body"] == ["Ban Quản lý dự án Nông nghiệp tỉnh", "Trung tâm Công nghệ thông tin"]


def test_named_district_and_commune_committees(tmp_path):
    doc = plan(tmp_path, "1. UBND thành phố Đông Hà chủ trì, phối hợp với Sở Xây dựng lập quy hoạch chung.\n"
                         "2. Sở Giao thông vận tải phối hợp với UBND huyện Vĩnh Linh nâng cấp tuyến đường ven biển.\n"
                         "3. Ủy ban nhân dân xã Gio Mỹ chủ trì giải phóng mặt bằng.\n"
                         "4. Ủy ban nhân dân huyện Gio Linh triển khai thực hiện; phối hợp với UBND tỉnh Quảng Bình.",
               province="QUẢNG TRỊ", date=(10, 3, 2024))
    assert roles(doc) == {("Ủy ban nhân dân thành phố Đông Hà", "chu_tri"), ("Sở Xây dựng", "phoi_hop"),
                          ("Ủy ban nhân dân huyện Vĩnh Linh", "chu_tri"), ("Sở Giao thông vận tải", "phoi_hop"),
                          ("Ủy ban nhân dân xã Gio Mỹ", "chu_tri"), ("Ủy ban nhân dân huyện Gio Linh", "chu_tri")}
    levels = {r["name"]: r["level"] for r in doc.rows["agencies"]}
    assert levels["Ủy ban nhân dân thành phố Đông Hà"] == levels["Ủy ban nhân dân huyện Gio Linh"] == "huyen"
    assert levels["Ủy ban nhân dân xã Gio Mỹ"] == "xa"


def test_a_place_name_does_not_take_the_next_paragraphs_first_word(tmp_path):
    doc = plan(tmp_path, "5. Trung tâm Y tế huyện\nPhối hợp với Sở Y tế tổ chức tiêm chủng.\n\n"
                         "6. Ngân hàng Nhà nước Việt Nam - Chi nhánh tỉnh Bình Định\n\nChỉ đạo các tổ chức tín dụng cho vay vốn.",
               province="BÌNH ĐỊNH")
    assert roles(doc) == {("Sở Y tế", "chu_tri"), ("Trung tâm Y tế huyện", "phoi_hop"),
                          ("Ngân hàng Nhà nước Việt Nam - Chi nhánh tỉnh Bình Định", "chu_tri")}
    # a wrapped heading joined to its first line: a task verb is no place
    doc = plan(tmp_path, "3. Trung tâm Văn hóa, Thông tin và Thể thao huyện Phối hợp với Công an huyện xây dựng "
                         "chuyên mục tuyên truyền về an toàn giao thông.", province="BẮC NINH")
    assert roles(doc) == {("Công an huyện", "chu_tri"), ("Trung tâm Văn hóa, Thông tin và Thể thao huyện", "phoi_hop")}
    # a place broken over a line (nothing lower-case after it) stays whole
    doc = plan(tmp_path, "4.4. Ngân hàng nhà nước - Chi nhánh tỉnh Hưng\nYên: Nâng cao hiệu quả quản lý tiền tệ.",
               province="HƯNG YÊN")
    assert roles(doc) == {("Ngân hàng nhà nước - Chi nhánh tỉnh Hưng Yên", "chu_tri")}


def test_a_joint_stock_company_named_after_its_type(tmp_path):
    doc = plan(tmp_path, "7. Công ty cổ phần Nước sạch Quảng Ninh bảo đảm cấp nước an toàn.\n"
                         "8. Sở Tài chính hướng dẫn chuyển đổi doanh nghiệp thành Công ty cổ phần, công ty trách nhiệm hữu hạn.")
    assert roles(doc) == {("Công ty cổ phần Nước sạch Quảng Ninh", "chu_tri"), ("Sở Tài chính", "chu_tri")}


def test_a_kind_of_body_in_every_district_or_commune(tmp_path):
    doc = plan(tmp_path, "4. Trung tâm Y tế các huyện, thị xã, thành phố tổ chức giám sát ca bệnh; Trạm Y tế các xã, "
                         "phường phối hợp thực hiện.")
    assert {r["name"]: r["level"] for r in doc.rows["agencies"]} == {"Trung tâm Y tế cấp huyện": "huyen",
                                                                      "Trạm Y tế cấp xã": "xa"}


def test_head_printed_as_its_abbreviation(tmp_path):
    got = mentions(tmp_path, "7. BQL các KCN tỉnh và BQL Khu kinh tế Vân Phong phối hợp thực hiện.")
    assert [n for k, n in got if k == "body"] == ["Ban Quản lý các khu công nghiệp tỉnh", "Ban Quản lý Khu kinh tế Vân Phong"]


def test_party_and_mass_organizations(tmp_path):
    got = mentions(tmp_path, "1. Ban Tuyên giáo Huyện ủy chủ trì; Ủy ban MTTQ Việt Nam tỉnh, Tỉnh đoàn, "
                             "Hội Liên hiệp Phụ nữ tỉnh phối hợp.")
    bodies = [n for k, n in got if k == "body"]
    assert bodies[0] == "Ban Tuyên giáo Huyện ủy"
    assert "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh" in bodies
    assert "Tỉnh đoàn" in bodies and "Hội Liên hiệp Phụ nữ tỉnh" in bodies


def test_collectives_and_vague_groups(tmp_path):
    got = mentions(tmp_path, "1. Các sở, ban, ngành, đoàn thể cấp tỉnh; UBND các huyện, thị xã, thành phố và các "
                             "cơ quan, đơn vị có liên quan thực hiện.")
    assert [(k, n) for k, n in got if k != "vague"] == [
        ("group", "Sở, ban, ngành cấp tỉnh"), ("group", "Tổ chức chính trị - xã hội"),
        ("group", "Ủy ban nhân dân cấp huyện")]
    assert any(k == "vague" for k, _ in got)


def test_central_bodies_and_issuer_are_marked(tmp_path):
    got = mentions(tmp_path, "1. Sở Y tế báo cáo Bộ Y tế, Thủ tướng Chính phủ và Ủy ban nhân dân tỉnh.")
    kinds = dict((n, k) for k, n in got)
    assert kinds["Sở Y tế"] == "body"
    assert kinds["Bộ Y tế"] == "central"
    assert kinds["Ủy ban nhân dân tỉnh"] == "issuer"


def test_state_bank_forms_merge(tmp_path):
    doc = plan(tmp_path, "1. Ngân hàng nhà nước tỉnh: Triển khai chính sách tín dụng.\n"
                         "2. Ngân hàng Nhà nước - Chi nhánh tỉnh Lâm Đồng: Nâng cao hiệu lực quản lý.")
    assert names(doc) == {"Ngân hàng Nhà nước - Chi nhánh tỉnh Lâm Đồng"}
    row = doc.rows["agencies"][0]
    assert row["mentions"] == 2 and row["level"] == "tinh"


def test_agency_rows_aliases_and_levels(tmp_path):
    doc = plan(tmp_path, "1. Sở NN&PTNT chủ trì, phối hợp với UBND các huyện, thành phố và Liên minh HTX tỉnh.\n"
                         "2. Sở Nông nghiệp và Phát triển nông thôn tổng hợp báo cáo.")
    rows = {r["name"]: r for r in doc.rows["agencies"]}
    assert rows["Sở Nông nghiệp và Phát triển nông thôn"]["aliases"] == ["Sở NN&PTNT"]
    assert rows["Sở Nông nghiệp và Phát triển nông thôn"]["mentions"] == 2
    assert rows["Ủy ban nhân dân cấp huyện"]["level"] == "huyen"
    assert rows["Liên minh Hợp tác xã tỉnh"]["level"] == "doan_the"
    assert rows["Liên minh Hợp tác xã tỉnh"]["aliases"] == ["Liên minh HTX tỉnh"]


def test_agencies_are_only_responsible_bodies(tmp_path):
    doc = plan(tmp_path, "Căn cứ Nghị quyết số 20-NQ/TW của Ban Chấp hành Trung ương Đảng;\n"
                         "1. Sở Công Thương chủ trì, tham mưu Ủy ban nhân dân tỉnh giao Quỹ Hỗ trợ phát triển "
                         "HTX tỉnh cho Liên minh HTX tỉnh quản lý.")
    assert names(doc) == {"Sở Công Thương"}


@pytest.fixture(scope="module")
def real():
    return {p: _run(doc_path(p)) for p in ("000", "004")}


def test_real_plan_agencies(real):
    from extractors.agencies import fold
    got = {fold(n) for n in names(real["000"])}
    assert fold("Ban Chỉ đạo Đổi mới và Phát triển kinh tế tập thể tỉnh Hưng Yên") in got   # bare "Ban chỉ đạo" resolved
    assert fold("Ngân hàng Nhà nước - Chi nhánh tỉnh Hưng Yên") in got
    assert fold("Văn phòng Ủy ban nhân dân tỉnh") in got
    assert fold("Ủy ban nhân dân tỉnh") not in got and fold("Bộ Kế hoạch và Đầu tư") not in got
    got4 = names(real["004"])
    assert "Liên minh Hợp tác xã Việt Nam" in got4        # "các đơn vị chức năng của Liên minh HTX Việt Nam"
    assert "Văn phòng Ủy ban nhân dân tỉnh" not in got4   # the issuer only announces


def test_shared_head_department_list(tmp_path):
    doc = plan(tmp_path, "1. Các Sở: Tài chính, Nội vụ, Nông nghiệp và Môi trường và Y tế theo chức năng, nhiệm vụ "
                         "triển khai thực hiện.", date=(20, 11, 2025))
    assert names(doc) == {"Sở Tài chính", "Sở Nội vụ", "Sở Nông nghiệp và Môi trường", "Sở Y tế"}
    assert {r["role"] for r in doc.rows["assignments"]} == {"thuc_hien"}


def test_level_word_and_province_after_names(tmp_path):
    got = mentions(tmp_path, "1. Tòa án nhân dân tỉnh, Viện Kiểm sát nhân dân tỉnh, Bảo hiểm xã hội tỉnh Cà Mau và "
                             "Hội Nông dân tỉnh Tổ chức tuyên truyền.")
    assert [n for k, n in got if k == "body"] == ["Tòa án nhân dân tỉnh", "Viện Kiểm sát nhân dân tỉnh",
                                                  "Bảo hiểm xã hội tỉnh Cà Mau", "Hội Nông dân tỉnh"]


def test_capitalized_verb_after_level_word_is_not_a_place(tmp_path):
    got = mentions(tmp_path, "5.2. Liên minh hợp tác xã tỉnh Củng cố, phát huy vai trò đại diện.")
    assert ("body", "Liên minh Hợp tác xã tỉnh") in got


# --- groups and addressees of 2025 plans -----------------------------------------------------------
def test_departments_units_group_is_the_departments(tmp_path):
    doc = plan(tmp_path, "5. Các Sở, ngành, đơn vị liên quan\n- Căn cứ chức năng, nhiệm vụ được giao, xây dựng kế "
                         "hoạch cụ thể và tổ chức thực hiện các hoạt động truyền thông.", date=(5, 9, 2025))
    assert ("Sở, ban, ngành cấp tỉnh", "chu_tri") in {(r["agency"], r["role"]) for r in doc.rows["assignments"]}


def test_businesses_addressed_by_an_item_are_agencies(tmp_path):
    doc = plan(tmp_path, "7. Các doanh nghiệp hoạt động trong lĩnh vực xây dựng, giao thông, vận tải trên địa bàn "
                         "tỉnh\n- Chủ động phối hợp triển khai các giải pháp, nền tảng số phục vụ quản lý hạ tầng.\n"
                         "8. Đề nghị các doanh nghiệp viễn thông (VNPT, Viettel và doanh nghiệp khác): bảo đảm thông "
                         "tin liên lạc ổn định.\n"
                         "9. Sở Xây dựng phối hợp với các doanh nghiệp rà soát hạ tầng.", date=(5, 9, 2025))
    got = {r["name"]: r["level"] for r in doc.rows["agencies"]}
    assert got["Doanh nghiệp hoạt động trong lĩnh vực xây dựng, giao thông, vận tải trên địa bàn tỉnh"] == "other"
    assert got["Doanh nghiệp viễn thông"] == "other"
    # bare "doanh nghiệp" as a partner is no agency; the Sở stays the sole lead
    assert "Doanh nghiệp" not in got and got["Sở Xây dựng"] == "tinh"


def test_banks_and_service_providers_addressed_by_an_item_are_agencies(tmp_path):
    doc = plan(tmp_path, "6. Đề nghị các tổ chức cung cấp dịch vụ chi trả:\n"
                         "a) Tích cực tham gia phong trào thi đua chi trả không dùng tiền mặt.\n"
                         "7. Đề nghị các ngân hàng thương mại:\n- Mở tài khoản miễn phí cho người hưởng trợ cấp.\n"
                         "8. Trên cơ sở kết quả chấm điểm của Sở Y tế, Hội đồng thi đua họp xét các xã, phường, "
                         "các tổ chức tín dụng có thành tích xuất sắc.", date=(5, 9, 2025))
    got = {(r["agency"], r["role"]) for r in doc.rows["assignments"]}
    assert got == {("Tổ chức cung cấp dịch vụ chi trả", "chu_tri"), ("Ngân hàng thương mại", "chu_tri")}
    assert {r["name"]: r["level"] for r in doc.rows["agencies"]}["Ngân hàng thương mại"] == "other"


def test_institutes_and_schools_in_a_partner_column(tmp_path):
    body = ("| TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian |\n"
            "| 1 | Xây dựng cơ chế đặt hàng nghiên cứu khoa học và công nghệ gắn với nhu cầu thực tiễn | "
            "Sở Khoa học và Công nghệ | Viện, Trường; Sở, ban, ngành có liên quan | 2026 |")
    doc = plan(tmp_path, body, date=(5, 9, 2025))
    got = {(r["agency"], r["role"]) for r in doc.rows["assignments"]}
    # two kinds of bodies joined by a comma: one row each, no alias of the whole list
    assert {("Sở Khoa học và Công nghệ", "chu_tri"), ("Viện", "phoi_hop"), ("Trường", "phoi_hop"),
            ("Sở, ban, ngành cấp tỉnh", "phoi_hop")} <= got
    agencies = {r["name"]: (r["level"], list(r["aliases"])) for r in doc.rows["agencies"]}
    assert agencies["Viện"] == agencies["Trường"] == ("other", []) and "Viện, Trường" not in agencies


def test_businesses_named_by_their_part_in_a_lead_column(tmp_path):
    body = ("| TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian |\n"
            "| 5 | Bảo đảm kinh phí thực hiện các nhiệm vụ, giải pháp của kế hoạch do doanh nghiệp triển khai | "
            "Doanh nghiệp, nhà cung cấp dịch vụ IoT, nhà đầu tư | Sở Khoa học và Công nghệ | Thường xuyên |")
    doc = plan(tmp_path, body, date=(5, 9, 2025))
    got = {(r["agency"], r["role"]) for r in doc.rows["assignments"]}
    assert {("Doanh nghiệp", "chu_tri"), ("Nhà cung cấp dịch vụ", "chu_tri"), ("Nhà đầu tư", "chu_tri"),
            ("Sở Khoa học và Công nghệ", "phoi_hop")} <= got
    assert {r["name"]: r["level"] for r in doc.rows["agencies"]}["Nhà đầu tư"] == "other"


def test_a_body_at_every_level_keeps_cac_cap(tmp_path):
    """Like the canonical 'Cấp ủy đảng các cấp': 'các cấp' stays in the name, the level is the plan's."""
    doc = plan(tmp_path, "- Hội đồng Thi đua - Khen thưởng các cấp phân công rõ trách nhiệm các thành viên trong "
                         "quá trình chỉ đạo, hướng dẫn, giám sát việc triển khai thực hiện.", date=(5, 9, 2025))
    assert {r["name"]: r["level"] for r in doc.rows["agencies"]} == {"Hội đồng Thi đua - Khen thưởng các cấp": "tinh"}


def test_portal_with_a_missing_tone_on_the_level_word(tmp_path):
    doc = plan(tmp_path, "9. Báo và Phát thanh - Truyền hình tỉnh, Cổng Thông tin điện tử tính và hệ thống truyền "
                         "thanh cơ sở:\nTheo chức năng, nhiệm vụ đẩy mạnh tuyên truyền.", date=(5, 9, 2025))
    assert "Cổng Thông tin điện tử tỉnh" in names(doc)


# --- levels in the two-level local government (from 1 July 2025) ----------------------------------
def test_one_body_named_for_two_levels_is_two_rows(tmp_path):
    body = ("| TT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian |\n"
            "| 1 | Diễn tập phòng thủ dân sự các cấp | Ban Chỉ huy Phòng thủ dân sự cấp tỉnh, cấp xã | "
            "Văn phòng Ban Chỉ huy; các sở, ban, ngành | Năm 2026 |\n"
            "| 2 | Tổ chức lại Ban Chỉ huy Phòng thủ dân sự các cấp | Bộ CHQS tỉnh; UBND cấp xã | "
            "Văn phòng Ban Chỉ huy Phòng thủ dân sự tỉnh | Năm 2026 |")
    doc = plan(tmp_path, body, date=(5, 9, 2025))
    got = {r["name"]: r["level"] for r in doc.rows["agencies"]}
    assert got["Ban Chỉ huy Phòng thủ dân sự cấp tỉnh"] == "tinh"
    assert got["Ban Chỉ huy Phòng thủ dân sự cấp xã"] == "xa"
    # the name printed for the first level is no alias of the second
    aliases = {r["name"]: r["aliases"] for r in doc.rows["agencies"]}
    assert list(aliases["Ban Chỉ huy Phòng thủ dân sự cấp xã"]) == []
    assert got["Bộ Chỉ huy Quân sự tỉnh"] == "tinh" and got["Ủy ban nhân dân cấp xã"] == "xa"
    # the office printed short in one cell is the one named in full in another
    assert "Văn phòng Ban Chỉ huy Phòng thủ dân sự tỉnh" in got and "Văn phòng Ban Chỉ huy" not in got


def test_local_departments_by_date(tmp_path):
    text = "1. Các phòng, ban chuyên môn chủ trì tổ chức thực hiện các nội dung của Kế hoạch."
    after = {r["name"]: r["level"] for r in plan(tmp_path, text, date=(5, 9, 2025)).rows["agencies"]}
    before = {r["name"]: r["level"] for r in plan(tmp_path, text, date=(5, 9, 2024)).rows["agencies"]}
    assert after == {"Phòng, ban, ngành cấp xã": "xa"}
    assert before == {"Phòng, ban, ngành cấp huyện": "huyen"}


def test_a_body_does_not_coordinate_with_itself(tmp_path):
    doc = plan(tmp_path, "2. Đề nghị các cấp ủy Đảng, Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã "
                         "hội tỉnh: Phối hợp chặt chẽ với cấp ủy, chính quyền các cấp, phát huy khối đại đoàn kết "
                         "toàn dân trong tuyên truyền, vận động.", date=(5, 9, 2025))
    got = {(r["agency"], r["role"]) for r in doc.rows["assignments"]}
    assert ("Cấp ủy đảng các cấp", "phoi_hop") in got and ("Cấp ủy đảng các cấp", "chu_tri") not in got
    assert ("Chính quyền các cấp", "chu_tri") in got


def test_commune_departments_after_2025(tmp_path):
    doc = plan(tmp_path, "3. Các phòng, ban chuyên môn thuộc Ủy ban nhân dân xã, phường chủ trì rà soát, cập nhật "
                         "danh sách hộ nghèo.", date=(5, 9, 2025))
    assert {r["name"]: r["level"] for r in doc.rows["agencies"]} == {"Phòng, ban, ngành cấp xã": "xa"}


def test_information_and_media_bodies_group(tmp_path):
    doc = plan(tmp_path, "5. Các cơ quan thông tin, truyền thông của tỉnh: Xây dựng Kế hoạch và đẩy mạnh công tác "
                         "tuyên truyền trong Phong trào thi đua.", date=(5, 9, 2025))
    assert names(doc) == {"Cơ quan thông tin, truyền thông"}


def test_military_and_police_abbreviations(tmp_path):
    doc = plan(tmp_path, "7. BCH Quân sự tỉnh, CAT phối hợp với UBND cấp xã tổ chức diễn tập phòng thủ dân sự.",
               date=(12, 9, 2025))
    got = {(r["agency"], r["role"]) for r in doc.rows["assignments"]}
    assert got == {("Bộ Chỉ huy Quân sự tỉnh", "phoi_hop"), ("Công an tỉnh", "phoi_hop"),
                   ("Ủy ban nhân dân cấp xã", "chu_tri")}


def test_cue_windows_find_what_a_whole_text_scan_finds(processed):
    """Each pattern runs only around its cue words (`cues` in the lexicon: words one of which all
    its matches contain): on the bundled plans, as printed and upper-cased, that finds exactly
    the matches of a scan of the whole text."""
    from extractors.agencies import at_cues, compiled, cued, unified_text
    c = compiled()
    gated = ([(rx, f["cues"]) for f, rx in c.families] + [(rx, g["cues"]) for g, rx in c.groups]
             + [(rx, g["cues"]) for g, rx in c.subject_groups] + [(rx, cues) for rx, _, cues, _ in c.locals]
             + [(c.dept_list, c.dept_cues), (c.mttq, c.mttq_cues), (c.central, c.central_cues),
                (c.issuer_committee, c.issuer_cues), (c.bare_council, c.bare_cues), (c.named_local, c.bare_cues),
                (c.vague_re, c.vague_cues)])
    for doc in processed.values():
        for text in (unified_text(doc), unified_text(doc).upper()):
            low = text.lower()
            assert len(low) == len(text)
            wins: dict = {}
            for rx, cues in gated:
                assert [m.span() for m in cued(rx, text, low, cues, wins)] == [m.span() for m in rx.finditer(text)], rx.pattern
            # the patterns whose matches start at a cue (or words before it) are tried only there
            for rx, cues, starts in _started(c):
                assert [m.span() for m in at_cues(rx, text, low, cues, wins, starts)] == [m.span() for m in rx.finditer(text)], rx.pattern


def _started(c):
    """(pattern, cues, starts) of the patterns the lexicon says start at their cues."""
    got = ([(rx, g["cues"], g.get("starts")) for g, rx in c.groups + c.subject_groups]
           + [(rx, cues, starts) for rx, _, cues, starts in c.locals]
           + [(c.dept_list, c.dept_cues, c.starts.get("dept_list")), (c.vague_re, c.vague_cues, c.starts.get("vague")),
              (c.issuer_committee, c.issuer_cues, c.starts.get("issuer_committee")),
              (c.bare_council, c.bare_cues, c.starts.get("bare_council")),
              (c.named_local, c.bare_cues, c.starts.get("bare_council")),
              (c.central, c.central_cues, c.central_starts)])
    return [x for x in got if x[2] is not None]


def test_matches_at_cues_are_those_of_a_whole_text_scan():
    """at_cues tries a pattern only at its cue words and the lexicon's start words before one:
    the same matches as finditer on random texts made of the words of those patterns."""
    import random
    from extractors.agencies import at_cues, compiled
    c = compiled()
    rnd = random.Random(7)
    words = ["các ", "CÁC  ", "các\n", "các các ", "Thủ trưởng ", "thủ trưởng các ", "lãnh đạo  ", "Giám đốc\n",
             "chủ tịch ", "Chủ tịch  ", "sở", "Sở", "sở, ", "Sở: ", "ban, ", "ngành", "ngànhx", "xngành", "ban ngành",
             "đoàn thể", "địa phương", "Ủy ban nhân dân", "UBND", "ubnd", "Hội đồng nhân dân", "HĐND", "huyện", "xã",
             "phường,", "xã, ", "huyện, ", "thị xã", "thành phố", "cấp huyện", "cấp xã", "Tỉnh", "tỉnh", " Cà Mau",
             "cơ quan", "Cơ Quan", "cơ quan chuyên môn", "đơn vị", "tổ chức", "trung ương", " thuộc ", "phòng, ",
             "ban chuyên môn", "cấp ủy", " đảng", " các cấp", "chính quyền", "cơ quan báo chí",
             "huyện ủy, thị ủy, thành ủy", "doanh nghiệp", " viễn thông", "Tài chính", "Nội vụ", "Y tế", ", ",
             " và ", "; ", " liên quan", " khác", "chức năng", "x", "  ", "\n", "Bộ", "bộ", "bộ, ngành",
             "Bộ Tài chính", "Chính phủ", "Thủ tướng", "Quốc hội", "Ban Chấp hành Trung ương", "Văn phòng Chính phủ",
             "cơ quan Trung ương", "Ủy ban Thường vụ Quốc hội", "Kiểm toán nhà nước", " Đảng", " chủ trì",
             "cơ quan ngang bộ", "Ban Bí thư", "Bộ Chính trị", ". "]
    started = _started(c)
    assert len(started) > 10
    for _ in range(1500):
        text = "".join(rnd.choice(words) for _ in range(rnd.randint(1, 25)))
        wins: dict = {}
        for rx, cues, starts in started:
            assert [m.span() for m in at_cues(rx, text, text.lower(), cues, wins, starts)] == [
                m.span() for m in rx.finditer(text)], (rx.pattern, text)


def test_unify_is_the_regex_alternation():
    """unify finds old spellings with the stdlib re and tests the letter after each with regex's
    \\p{L}: the same replacements as one regex alternation (longest first) with (?!\\p{L})."""
    import random
    import regex
    from extractors import agencies
    agencies.unify("")
    keys = sorted(agencies._TONE_MAP, key=len, reverse=True)
    one = regex.compile("(?:" + "|".join(regex.escape(k) for k in keys) + r")(?!\p{L})")
    rnd = random.Random(7)
    alphabet = "oOuUàáảãạèéẻẽẹỳýỷỹỵan ²\n,Đ1"
    for _ in range(20000):
        s = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 10)))
        assert agencies.unify(s) == one.sub(lambda m: agencies._TONE_MAP[m.group()], s), s


def test_heads_found_from_their_first_words_as_a_whole_text_scan(processed):
    """Head-word bodies are looked for only where a head's first word is printed: the same
    matches as head_re over the whole text (bundled plans, and random runs of head words)."""
    import random
    from extractors.agencies import _data, _heads, compiled, unified_text
    c = compiled()
    heads = [h["head"] for h in _data()["heads"]]
    texts = [unified_text(doc) for doc in processed.values()]
    rnd = random.Random(3)
    words = heads + [h.upper() for h in heads[:10]] + [h.lower() for h in heads[:10]] + [
        " ", ",", "x", "1", "\n", "Tài chính ", "Nội vụ", "SởBan", "Ban Ban "]
    texts += ["".join(rnd.choice(words) + rnd.choice(["", " ", ",", "x"]) for _ in range(rnd.randint(1, 20)))
              for _ in range(2000)]
    for text in texts:
        assert [m.span() for m in _heads(c, text)] == [m.span() for m in c.head_re.finditer(text)], text


def test_clean_printed_collapses_spaces_as_the_regex():
    """_clean_printed skips the whitespace regex on a printable text without double spaces: the
    same result as always running it (every code point between letters, random strings)."""
    import random
    from extractors import agencies
    ref = lambda s: agencies._WS.sub(" ", s).strip(" ,;:.-–")   # noqa: E731
    for i in range(0x30000):
        s = "a" + chr(i) + "b"
        assert agencies._clean_printed(s) == ref(s), hex(i)
    pool = list(" \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u2028\u3000\u200babc Sở,;:.-–")
    rnd = random.Random(4)
    for _ in range(20000):
        s = "".join(rnd.choice(pool) for _ in range(rnd.randint(0, 12)))
        assert agencies._clean_printed(s) == ref(s), repr(s)


def test_cue_positions_from_a_cue_inside():
    """A cue holding another one ('sở,' holds 'sở') is found where the inner one is: the same
    offsets as a scan of the text for it."""
    from extractors import agencies
    cue_base = agencies.compiled().cue_base
    assert cue_base
    texts = ["sở, sở sở,sở,, cơ quan chuyên môn cơ quan  cơ quan trung ương ban ngành ngànhban ngành",
             "văn phòng chính phủ chính phủ ban chấp hành trung ương ủy ban thường vụ quốc hội sở"]
    for low in texts:
        for cue in cue_base:
            want = [i for i in range(len(low)) if low.startswith(cue, i)]
            assert agencies.positions(low, cue, {}) == want, cue


MINISTRY_PLAN = """BỘ Y TẾ
-------
Số: 1234/KH-BYT

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Hà Nội, ngày 15 tháng 3 năm 2026

KẾ HOẠCH
Triển khai chuyển đổi số trong ngành y tế

I. NHIỆM VỤ VÀ GIẢI PHÁP
1. Cục Khoa học công nghệ và Đào tạo chủ trì, phối hợp với Vụ Kế hoạch - Tài chính xây dựng chương trình nghiên cứu.
2. Sở Y tế các tỉnh, thành phố chủ trì triển khai tại địa phương.
3. Văn phòng Bộ theo dõi, đôn đốc việc thực hiện Kế hoạch.
"""


def test_a_ministry_plan_tasks_its_own_units(tmp_path):
    """Units of the issuing ministry are central bodies; a Sở stays provincial."""
    path = tmp_path / "bo.md"
    path.write_text(MINISTRY_PLAN, encoding="utf-8")
    doc = _run(path)
    assert doc.rows["documents"][0]["issuer"] == "Bộ Y tế"
    levels = {r["name"]: r["level"] for r in doc.rows["agencies"]}
    assert levels == {"Cục Khoa học công nghệ và Đào tạo": "trung_uong", "Vụ Kế hoạch - Tài chính": "trung_uong",
                      "Sở Y tế": "tinh", "Văn phòng Bộ": "trung_uong"}
    assert {(r["agency"], r["role"]) for r in doc.rows["assignments"]} >= {
        ("Cục Khoa học công nghệ và Đào tạo", "chu_tri"), ("Vụ Kế hoạch - Tài chính", "phoi_hop")}


def test_central_unit_words_are_not_bodies_in_a_provincial_plan(tmp_path):
    # "Vụ Đông Xuân" is a crop season: "Vụ" opens a body's name only in a ministry's plan
    got = mentions(tmp_path, "1. Vụ Đông Xuân 2025 - 2026 gieo trồng 5.000 ha; Sở Nông nghiệp và Môi trường hướng dẫn.")
    assert got == [("body", "Sở Nông nghiệp và Môi trường")]
    doc = plan(tmp_path, "1. Sở Nông nghiệp và Môi trường chủ trì, phối hợp với Vụ Đông Xuân 2025 - 2026.")
    assert names(doc) == {"Sở Nông nghiệp và Môi trường"}


def test_stations_are_bodies_and_facilities_are_not(tmp_path):
    # "Trạm Y tế", "Trạm Khuyến nông": commune-level bodies (two-level government from July 2025);
    # "Trạm bơm Phú Lộc" (a pumping station) is a facility: no capitalized name after the head
    doc = plan(tmp_path, "1. Trạm Y tế xã Tân Phú chủ trì tổ chức khám sàng lọc; Trạm bơm Phú Lộc được nâng cấp.",
               date=(10, 8, 2025))
    assert {(r["name"], r["level"]) for r in doc.rows["agencies"]} == {("Trạm Y tế xã Tân Phú", "xa")}


def test_telecom_brands_are_businesses(tmp_path):
    # FORMAT: businesses named as responsible are agencies (other); a brand takes a place in
    # capitals after it, never the verb that follows
    doc = plan(tmp_path, "1. Sở Khoa học và Công nghệ chủ trì, phối hợp với Viettel Hà Tĩnh, VNPT Hà Tĩnh phát triển "
                         "hạ tầng 5G.", date=(10, 10, 2025))
    assert roles(doc) == {("Sở Khoa học và Công nghệ", "chu_tri"), ("Viettel Hà Tĩnh", "phoi_hop"),
                          ("VNPT Hà Tĩnh", "phoi_hop")}
    assert {r["level"] for r in doc.rows["agencies"] if r["name"].startswith(("Viettel", "VNPT"))} == {"other"}


def test_departments_named_before_a_title_of_other_heads(tmp_path):
    # "Giám đốc các sở, Thủ trưởng các ban, ngành": the capital after the comma opens another title,
    # not the name of one department
    got = mentions(tmp_path, "Ủy ban nhân dân tỉnh giao Giám đốc các sở, Thủ trưởng các ban, ngành, đoàn thể cấp tỉnh "
                             "triển khai thực hiện.", date=(5, 9, 2025))
    assert got[:3] == [("issuer", "Ủy ban nhân dân tỉnh"), ("group", "Sở, ban, ngành cấp tỉnh"),
                       ("group", "Sở, ban, ngành cấp tỉnh")]

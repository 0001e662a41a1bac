"""Assignments: roles from chủ trì / phối hợp / a sole body / several bodies, lists, labels,
inherited subjects, task tables, and what must not become an assignment."""
from pathlib import Path

import pytest

from conftest import doc_path

HEADER = ("ỦY BAN NHÂN DÂN\nTỈNH {P}\n\nSố: 15/KH-UBND\n\n{P2}, ngày {D} tháng {M} năm {Y}\n\n"
          "KẾ HOẠCH\nTriển khai chuyển đổi số\n\n")
UPTO = ("normalize", "segment", "tables", "metadata", "sections", "deadlines", "targets", "assignments", "agencies")


def _run(path):
    from pipeline.load import read_document
    from pipeline.run import run_components
    doc, errors = run_components(read_document(path), UPTO)
    assert errors == []
    return doc


def plan(tmp_path: Path, body: str, section: str = "III. TỔ CHỨC THỰC HIỆN", date=(10, 8, 2022),
         province="LÂM ĐỒNG"):
    head = HEADER.format(P=province, P2=province.title(), D=date[0], M=date[1], Y=date[2])
    path = tmp_path / "plan.txt"
    path.write_text(head + section + "\n" + body + "\n", encoding="utf-8")
    return _run(path)


def roles(doc) -> set[tuple[str, str]]:
    return {(r["agency"], r["role"]) for r in doc.rows.get("assignments", [])}


# --- roles in sentences ----------------------------------------------------------------------
def test_lead_and_partners(tmp_path):
    doc = plan(tmp_path, "1. Sở Tài chính chủ trì, phối hợp với Sở Kế hoạch và Đầu tư và các sở, ngành liên quan "
                         "tham mưu bố trí kinh phí thực hiện Kế hoạch.")
    assert roles(doc) == {("Sở Tài chính", "chu_tri"), ("Sở Kế hoạch và Đầu tư", "phoi_hop"),
                          ("Sở, ban, ngành cấp tỉnh", "phoi_hop")}


def test_coordinating_with_a_named_body_makes_it_lead(tmp_path):
    # "A phối hợp với B" with B named: B leads, A coordinates (real sentence, Kon Tum 765/VP-KTTH)
    doc = plan(tmp_path, "5. Các Sở, ban ngành, đơn vị thuộc tỉnh, Ủy ban nhân dân các huyện, thành phố chủ động "
                         "phối hợp với Liên minh HTX tỉnh tổ chức các lớp tuyên truyền, tập huấn.")
    assert roles(doc) == {("Liên minh Hợp tác xã tỉnh", "chu_tri"), ("Sở, ban, ngành cấp tỉnh", "phoi_hop"),
                          ("Ủy ban nhân dân cấp huyện", "phoi_hop")}


def test_sole_body_with_vague_partner_leads(tmp_path):
    doc = plan(tmp_path, "1. Ủy ban nhân dân các huyện, thành phố phối hợp với các đơn vị liên quan tập trung chỉ "
                         "đạo phát triển kinh tế hợp tác.")
    assert roles(doc) == {("Ủy ban nhân dân cấp huyện", "chu_tri")}


def test_several_bodies_without_lead_implement(tmp_path):
    doc = plan(tmp_path, "2. Đài Phát thanh và Truyền hình tỉnh, Báo Lâm Đồng, Sở Thông tin và Truyền thông đẩy "
                         "mạnh công tác tuyên truyền về hợp tác xã kiểu mới.")
    assert roles(doc) == {("Đài Phát thanh và Truyền hình tỉnh", "thuc_hien"), ("Báo Lâm Đồng", "thuc_hien"),
                          ("Sở Thông tin và Truyền thông", "thuc_hien")}


def test_abbreviations_expand(tmp_path):
    doc = plan(tmp_path, "1. Sở NN&PTNT chủ trì, phối hợp với Sở KH&ĐT, Sở TN&MT, Sở LĐ-TB&XH, Sở VH-TT&DL, "
                         "Sở TT&TT và Sở GD&ĐT xây dựng đề án.")
    assert roles(doc) == {("Sở Nông nghiệp và Phát triển nông thôn", "chu_tri"),
                          ("Sở Kế hoạch và Đầu tư", "phoi_hop"), ("Sở Tài nguyên và Môi trường", "phoi_hop"),
                          ("Sở Lao động - Thương binh và Xã hội", "phoi_hop"),
                          ("Sở Văn hóa, Thể thao và Du lịch", "phoi_hop"),
                          ("Sở Thông tin và Truyền thông", "phoi_hop"), ("Sở Giáo dục và Đào tạo", "phoi_hop")}


def test_central_ministries_are_not_agencies(tmp_path):
    doc = plan(tmp_path, "1. Sở Y tế phối hợp với các bộ, ngành Trung ương hướng dẫn thực hiện; báo cáo Bộ Y tế "
                         "kết quả thực hiện.")
    assert roles(doc) == {("Sở Y tế", "chu_tri")}


def test_recipients_and_authors_are_not_agencies(tmp_path):
    doc = plan(tmp_path, "1. Sở Nội vụ tham mưu Ủy ban nhân dân tỉnh ban hành quy chế theo Quyết định số "
                         "12/QĐ-UBND của Ủy ban nhân dân tỉnh; báo cáo Tỉnh ủy kết quả thực hiện.")
    assert roles(doc) == {("Sở Nội vụ", "chu_tri")}


def test_directive_names_the_doers(tmp_path):
    doc = plan(tmp_path, "Ủy ban nhân dân tỉnh yêu cầu các sở, ban, ngành, đoàn thể cấp tỉnh; Ủy ban nhân dân các "
                         "huyện, thành phố tập trung thực hiện tốt các nhiệm vụ sau.")
    assert roles(doc) == {("Sở, ban, ngành cấp tỉnh", "thuc_hien"), ("Tổ chức chính trị - xã hội", "thuc_hien"),
                          ("Ủy ban nhân dân cấp huyện", "thuc_hien")}


def test_heading_subject_and_bullets(tmp_path):
    body = ("2. Liên minh HTX tỉnh:\n- Tiếp tục nâng cao hiệu quả đại diện, bảo vệ quyền lợi của thành viên.\n"
            "- Khẩn trương phối hợp với Sở Kế hoạch và Đầu tư tham mưu tổng kết thực hiện Nghị quyết.\n")
    doc = plan(tmp_path, body)
    got = {(r["agency"], r["role"], r["quote"].split("\n")[0][:12]) for r in doc.rows["assignments"]}
    assert ("Liên minh Hợp tác xã tỉnh", "chu_tri", "2. Liên minh") in got
    assert ("Sở Kế hoạch và Đầu tư", "chu_tri", "- Khẩn trươn") in got
    assert ("Liên minh Hợp tác xã tỉnh", "phoi_hop", "- Khẩn trươn") in got


def test_local_committees_follow_the_plan_date(tmp_path):
    body = "1. Sở Tài chính chủ trì, phối hợp với các sở, ngành, địa phương rà soát cơ chế, chính sách."
    before = plan(tmp_path, body, date=(15, 3, 2024))
    after = plan(tmp_path, body, date=(19, 11, 2025))
    assert ("Ủy ban nhân dân cấp huyện", "phoi_hop") in roles(before)
    assert ("Ủy ban nhân dân cấp xã", "phoi_hop") in roles(after)
    assert ("Sở, ban, ngành cấp tỉnh", "phoi_hop") in roles(after)


def test_quan_diem_is_not_an_assignment(tmp_path):
    body = ("Mặt trận Tổ quốc Việt Nam tỉnh, các tổ chức chính trị - xã hội phối hợp chặt chẽ trong tuyên truyền.\n"
            "III. TỔ CHỨC THỰC HIỆN\n1. Sở Nội vụ chủ trì tổ chức sơ kết.")
    doc = plan(tmp_path, body, section="II. QUAN ĐIỂM")
    assert roles(doc) == {("Sở Nội vụ", "chu_tri")}


def test_labels_give_roles(tmp_path):
    body = ("1. Xây dựng cơ sở dữ liệu hợp tác xã\n- Đơn vị chủ trì: Sở Nông nghiệp và Môi trường.\n"
            "- Đơn vị phối hợp: Sở Tài chính, Ủy ban nhân dân các xã, phường.\n")
    doc = plan(tmp_path, body, date=(1, 10, 2025))
    assert roles(doc) == {("Sở Nông nghiệp và Môi trường", "chu_tri"), ("Sở Tài chính", "phoi_hop"),
                          ("Ủy ban nhân dân cấp xã", "phoi_hop")}


def test_deadline_is_linked(tmp_path):
    doc = plan(tmp_path, "1. Sở Tài chính chủ trì tổng hợp, báo cáo kết quả trước ngày 15 tháng 12 hằng năm.")
    rows = doc.rows["assignments"]
    assert [r["agency"] for r in rows] == ["Sở Tài chính"]
    dl = {d["deadline_id"]: d for d in doc.rows["deadlines"]}
    assert rows[0]["deadline_id"] in dl and dl[rows[0]["deadline_id"]]["end"] == "--12-15"


# --- real plans --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real():
    return {p: _run(doc_path(p)) for p in ("001", "002", "003")}


def test_appendix_table_columns(real):
    rows = [r for r in real["001"].rows["assignments"] if "Xử lý dứt điểm" in r["quote"] or
            "ngừng hoạt động, chờ" in r["quote"]]
    got = {(r["agency"], r["role"]) for r in rows}
    assert ("Liên minh Hợp tác xã tỉnh", "chu_tri") in got
    assert ("Hợp tác xã", "phoi_hop") in got
    # a note in brackets inside a lead cell names no body
    assert all(r["agency"] != "Hợp tác xã" or r["role"] != "chu_tri" for r in real["001"].rows["assignments"])


def test_party_plan_district_bodies(real):
    got = roles(real["002"])
    assert ("Ban Tuyên giáo Huyện ủy", "chu_tri") in got
    assert ("Trung tâm Văn hóa Thể dục thể thao - Truyền thanh", "phoi_hop") in got
    assert ("Văn phòng Huyện ủy", "chu_tri") in got          # "A phối hợp với Văn phòng Huyện ủy ..."
    assert ("Ủy ban nhân dân huyện", "thuc_hien") in got


def test_truncated_plan_has_no_assignments(real):
    assert real["003"].rows.get("assignments", []) == []


def test_quotes_are_raw_text_under_2000(real):
    for doc in real.values():
        for r in doc.rows.get("assignments", []):
            assert doc.raw[r["char_start"]:r["char_end"]] == r["quote"]
            assert r["char_end"] - r["char_start"] < 2000


def test_unit_in_brackets_belongs_to_its_body(tmp_path):
    doc = plan(tmp_path, "1. Sở Nội vụ (Ban Thi đua - Khen thưởng) hướng dẫn, tổng hợp kết quả khen thưởng.")
    assert roles(doc) == {("Sở Nội vụ", "chu_tri")}


def test_eligible_units_are_not_tasked(tmp_path):
    body = ("1. Đối tượng thi đua\n- Ủy ban nhân dân xã, phường trên địa bàn tỉnh;\n- Các sở, ban, ngành tỉnh.\n"
            "2. Tổ chức thực hiện\nSở Nội vụ theo dõi, tổng hợp kết quả phong trào thi đua.")
    doc = plan(tmp_path, body, section="II. NỘI DUNG THI ĐUA", date=(18, 11, 2025))
    assert roles(doc) == {("Sở Nội vụ", "chu_tri")}


def test_tasks_stated_under_award_and_criteria_headings(tmp_path):
    # Đắk Lắk 2025: under "Số lượng đề nghị khen thưởng" a sentence with its doers and their task is read;
    # quotas per body, eligible bodies and an award's title are not
    body = ("1. Khen thưởng cấp Nhà nước: Sở Nội vụ phối hợp với các cơ quan, đơn vị có liên quan báo cáo Ủy ban bầu "
            "cử tỉnh, Hội đồng Thi đua - Khen thưởng tỉnh xem xét lựa chọn.\n"
            "2. Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh\n"
            "- Công an tỉnh; Sở Tài chính; Sở Văn hóa, Thể thao và Du lịch mỗi đơn vị đề nghị không quá 01 tập thể, "
            "03 cá nhân;\n- Ủy ban nhân dân xã, phường trên địa bàn tỉnh;\n"
            "3. Giấy khen của Thủ trưởng các cơ quan, đơn vị; Chủ tịch UBND xã, phường: Các Sở, ban, ngành, Mặt trận "
            "Tổ quốc Việt Nam tỉnh và các đoàn thể chính trị - xã hội, Ủy ban nhân dân xã, phường quy định số lượng "
            "khen thưởng theo thẩm quyền.")
    doc = plan(tmp_path, body, section="IV. SỐ LƯỢNG ĐỀ NGHỊ KHEN THƯỞNG", date=(18, 11, 2025))
    assert roles(doc) == {("Sở Nội vụ", "chu_tri"), ("Sở, ban, ngành cấp tỉnh", "thuc_hien"),
                          ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "thuc_hien"),
                          ("Tổ chức chính trị - xã hội", "thuc_hien"), ("Ủy ban nhân dân cấp xã", "thuc_hien")}
    # Cần Thơ 2025: "giao <body> <task>" under "Tiêu chí đánh giá, xếp loại"
    body = ("3. Tiêu chí đánh giá, xếp loại\na) Trên cơ sở kết quả thực hiện các chỉ tiêu của Kế hoạch, giao Sở Y tế "
            "thành lập đoàn tổ chức kiểm tra, đánh giá kết quả thực hiện.\n"
            "b) Ủy ban nhân dân xã, phường có thành tích xuất sắc được cộng điểm thi đua.")
    doc = plan(tmp_path, body, section="III. NỘI DUNG THI ĐUA, PHƯƠNG ÁN TRIỂN KHAI", date=(18, 11, 2025))
    assert roles(doc) == {("Sở Y tế", "chu_tri")}


def test_party_plan_bodies(tmp_path):
    doc = plan(tmp_path, "1. Ban cán sự đảng Ủy ban nhân dân tỉnh lãnh đạo, chỉ đạo xây dựng kế hoạch; "
                         "Đảng đoàn Hội đồng nhân dân tỉnh chỉ đạo giám sát việc thực hiện.")
    got = roles(doc)
    assert ("Ban cán sự đảng Ủy ban nhân dân tỉnh", "chu_tri") in got
    assert ("Đảng đoàn Hội đồng nhân dân tỉnh", "chu_tri") in got


def test_directed_bodies_are_not_tasked(tmp_path):
    # the press the department directs is not made responsible by the plan (as credit institutions
    # directed by the State Bank branch in gold 001)
    body = ("3. Sở Văn hóa, Thể thao và Du lịch\n- Định hướng, chỉ đạo Báo và Phát thanh, Truyền hình Cần Thơ "
            "đẩy mạnh tuyên truyền.\n")
    doc = plan(tmp_path, body)
    assert roles(doc) == {("Sở Văn hóa, Thể thao và Du lịch", "chu_tri")}


def test_communes_beside_departments(tmp_path):
    doc = plan(tmp_path, "1. Các sở, ban, ngành, Ủy ban Mặt trận Tổ quốc tỉnh, các xã, phường tổ chức phát động "
                         "phong trào thi đua.", date=(19, 11, 2025))
    assert roles(doc) == {("Sở, ban, ngành cấp tỉnh", "thuc_hien"),
                          ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "thuc_hien"),
                          ("Ủy ban nhân dân cấp xã", "thuc_hien")}


def test_coordinators_after_a_lead_and_long_unknown_names(tmp_path):
    doc = plan(tmp_path, "1. Trung tâm Kiểm soát bệnh tật tỉnh chủ trì giám sát dịch bệnh; Chi cục An toàn vệ sinh "
                         "thực phẩm phối hợp kiểm tra.\n2. Trường Đại học Cần Thơ, Viện Lúa Đồng bằng sông Cửu Long "
                         "phối hợp với Sở Nông nghiệp và Môi trường chuyển giao giống lúa.")
    assert roles(doc) == {("Trung tâm Kiểm soát bệnh tật tỉnh", "chu_tri"),
                          ("Chi cục An toàn vệ sinh thực phẩm", "phoi_hop"),
                          ("Sở Nông nghiệp và Môi trường", "chu_tri"), ("Trường Đại học Cần Thơ", "phoi_hop"),
                          ("Viện Lúa Đồng bằng sông Cửu Long", "phoi_hop")}


def test_task_table_doers_column(tmp_path):
    body = ("| STT | Nội dung nhiệm vụ | Đơn vị thực hiện | Thời gian |\n|---|---|---|---|\n"
            "| 1 | Rà soát thủ tục hành chính | Sở Tư pháp | Quý I/2026 |\n"
            "| 2 | Số hóa hồ sơ | Sở Khoa học và Công nghệ; UBND các xã, phường | 2026 |\n")
    doc = plan(tmp_path, body, date=(19, 11, 2025))
    assert roles(doc) == {("Sở Tư pháp", "chu_tri"), ("Sở Khoa học và Công nghệ", "thuc_hien"),
                          ("Ủy ban nhân dân cấp xã", "thuc_hien")}


def test_task_table_rows_carry_their_task_cell(tmp_path):
    # the task column ("Nội dung nhiệm vụ", "Chỉ tiêu") gives each row its task, short or long
    body = ("| STT | Nội dung nhiệm vụ | Đơn vị thực hiện | Thời gian |\n|---|---|---|---|\n"
            "| 1 | Rà soát thủ tục hành chính | Sở Tư pháp | Quý I/2026 |\n"
            "| 2 | Bố trí kinh phí | Sở Tài chính | Hằng năm |\n")
    doc = plan(tmp_path, body, date=(19, 11, 2025))
    assert {(r["agency"], r["task"]) for r in doc.rows["assignments"]} == {
        ("Sở Tư pháp", "Rà soát thủ tục hành chính"), ("Sở Tài chính", "Bố trí kinh phí")}


def test_party_committee_plan_tasks_the_peoples_committee(tmp_path):
    head = ("TỈNH ỦY BÌNH ĐỊNH\n\nSố: 12-CTr/TU\n\nBình Định, ngày 10 tháng 3 năm 2023\n\nCHƯƠNG TRÌNH HÀNH ĐỘNG\n"
            "Thực hiện Nghị quyết\n\nIII. TỔ CHỨC THỰC HIỆN\n")
    path = tmp_path / "ctr.txt"
    path.write_text(head + "1. Ủy ban nhân dân tỉnh chỉ đạo các sở, ngành xây dựng kế hoạch cụ thể.\n"
                    "2. Ban Tuyên giáo Tỉnh ủy chủ trì, phối hợp với Văn phòng Tỉnh ủy theo dõi, đôn đốc; báo cáo "
                    "Ban Thường vụ Tỉnh ủy.\n", encoding="utf-8")
    doc = _run(path)
    assert doc.rows["documents"][0]["issuer"] == "Tỉnh ủy Bình Định"
    assert roles(doc) == {("Ủy ban nhân dân tỉnh", "chu_tri"), ("Ban Tuyên giáo Tỉnh ủy", "chu_tri"),
                          ("Văn phòng Tỉnh ủy", "phoi_hop")}


def test_objectives_heading_that_also_names_tasks(tmp_path):
    body = "1. Sở Nội vụ chủ trì rà soát, sắp xếp tổ chức bộ máy.\n"
    assert roles(plan(tmp_path, body, section="II. MỤC TIÊU, NHIỆM VỤ")) == {("Sở Nội vụ", "chu_tri")}
    assert roles(plan(tmp_path, body, section="II. MỤC TIÊU")) == set()


def test_past_results_are_not_tasks(tmp_path):
    body = ("1. Kết quả\nSở Y tế đã phối hợp với Sở Tài chính tổ chức tiêm chủng cho 95% trẻ em.\n"
            "2. Nhiệm vụ\nSở Y tế tiếp tục phối hợp với Sở Tài chính bảo đảm kinh phí tiêm chủng.")
    doc = plan(tmp_path, body, section="II. TỔ CHỨC THỰC HIỆN")
    assert roles(doc) == {("Sở Tài chính", "chu_tri"), ("Sở Y tế", "phoi_hop")}
    assert all("đã" not in r["quote"] for r in doc.rows["assignments"])


def test_a_lead_named_again_in_the_partner_column(tmp_path):
    body = ("| TT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian |\n|---|---|---|---|---|\n"
            "| 2 | Thành lập bộ máy quản lý Quỹ | Sở Tài chính | Sở Tài chính và cơ quan, địa phương liên quan | 2025 |\n"
            "| 3 | Tiếp nhận Hệ thống Tổng đài 112 | Bộ CHQS tỉnh | Sở Tài chính và cơ quan liên quan | 2025 |\n")
    assert roles(plan(tmp_path, body, date=(19, 11, 2025))) == {
        ("Sở Tài chính", "chu_tri"), ("Bộ Chỉ huy Quân sự tỉnh", "chu_tri"), ("Sở Tài chính", "phoi_hop")}
    rows = plan(tmp_path, body, date=(19, 11, 2025)).rows["assignments"]
    assert [r["role"] for r in rows if r["agency"] == "Sở Tài chính"] == ["chu_tri", "phoi_hop"]   # not on its own row


def test_role_in_brackets(tmp_path):
    body = ("| TT | Nhiệm vụ | Đơn vị thực hiện | Thời gian |\n|---|---|---|---|\n"
            "| 1 | Xây dựng đề án | Sở Tài chính (chủ trì); Sở Nội vụ; UBND các xã, phường | 2026 |\n")
    doc = plan(tmp_path, body, date=(19, 11, 2025))
    assert roles(doc) == {("Sở Tài chính", "chu_tri"), ("Sở Nội vụ", "phoi_hop"), ("Ủy ban nhân dân cấp xã", "phoi_hop")}


def test_two_line_table_header(tmp_path):
    body = ("| TT | Nhiệm vụ | Cơ quan thực hiện | | Thời gian |\n|---|---|---|---|---|\n"
            "| | | Chủ trì | Phối hợp | |\n"
            "| 1 | Xây dựng cơ sở dữ liệu dân cư | Công an tỉnh | Sở Khoa học và Công nghệ; UBND các xã, phường | 2026 |\n")
    doc = plan(tmp_path, body, date=(19, 11, 2025))
    assert roles(doc) == {("Công an tỉnh", "chu_tri"), ("Sở Khoa học và Công nghệ", "phoi_hop"),
                          ("Ủy ban nhân dân cấp xã", "phoi_hop")}


@pytest.mark.parametrize("body, expected", [
    ("1. Trách nhiệm của Sở Y tế\n- Chủ trì tổ chức tiêm chủng.\n", {("Sở Y tế", "chu_tri")}),
    ("2. Đối với Ủy ban nhân dân các xã, phường: bố trí nhân lực thực hiện.", {("Ủy ban nhân dân cấp xã", "chu_tri")}),
    ("3. Ủy ban nhân dân tỉnh giao trách nhiệm cho Sở Nội vụ theo dõi, đôn đốc.", {("Sở Nội vụ", "chu_tri")}),
])
def test_headings_that_introduce_the_body(tmp_path, body, expected):
    assert roles(plan(tmp_path, body, date=(19, 11, 2025))) == expected


def test_principles_under_a_lettered_heading(tmp_path):
    body = ("1. Quan điểm\n- Các sở, ban, ngành phối hợp chặt chẽ trong chỉ đạo.\n"
            "2. Nhiệm vụ\n- Sở Nội vụ chủ trì hướng dẫn.\n")
    doc = plan(tmp_path, body, section="II. NHIỆM VỤ VÀ GIẢI PHÁP")
    assert roles(doc) == {("Sở Nội vụ", "chu_tri")}


# --- a clause put before the subject; the closing paragraph after the last item ------------------
@pytest.mark.parametrize("body, expected", [
    # Nghệ An 2025: "Căn cứ ..., <bodies> <task>"
    ("3. Căn cứ nội dung Kế hoạch và tình hình thực tiễn, các sở, ban, ngành, tổ chức chính trị - xã hội, Ủy ban "
     "nhân dân các xã, phường xây dựng Kế hoạch triển khai thi hành Nghị định trong phạm vi, lĩnh vực, địa bàn quản lý.",
     {("Sở, ban, ngành cấp tỉnh", "thuc_hien"), ("Tổ chức chính trị - xã hội", "thuc_hien"),
      ("Ủy ban nhân dân cấp xã", "thuc_hien")}),
    # Cần Thơ 2025: after a label ending in ':'
    ("c) Thực hiện chi trả cho người hưởng trợ cấp xã hội: Sau khi thực hiện mở tài khoản, Ủy ban nhân dân xã, "
     "phường phối hợp với các tổ chức chi trả dịch vụ thực hiện ký kết hợp đồng trách nhiệm chi trả.",
     {("Ủy ban nhân dân cấp xã", "chu_tri")}),
    ("a) Căn cứ vào kết quả kiểm tra và thực hiện phong trào thi đua ở địa phương, Ủy ban nhân dân cấp xã quyết định "
     "khen thưởng cho tập thể và cá nhân có thành tích thi đua.", {("Ủy ban nhân dân cấp xã", "chu_tri")}),
    # the body cited inside the fronted clause is not a doer
    ("2. Trên cơ sở đề xuất của Ban Quản lý các khu công nghệ cao và khu công nghiệp, Sở Tài chính tổng hợp, tham "
     "mưu bố trí kinh phí thực hiện Kế hoạch.", {("Sở Tài chính", "chu_tri")}),
])
def test_subject_after_a_fronted_clause(tmp_path, body, expected):
    assert roles(plan(tmp_path, body, date=(5, 11, 2025))) == expected


def test_basis_paragraph_in_preamble_and_in_a_task_section(tmp_path):
    # the preamble's legal basis tasks no one; in a task section "Căn cứ ..., <bodies> <task>" does
    preamble = ("Căn cứ Quyết định số 2140/QĐ-UBND ngày 31 tháng 10 năm 2025 của Ủy ban nhân dân tỉnh, Sở Y tế ban "
                "hành Kế hoạch triển khai như sau:\nIII. TỔ CHỨC THỰC HIỆN")
    doc = plan(tmp_path, "Căn cứ nội dung Kế hoạch này, các sở, ban, ngành, Ủy ban nhân dân các xã, phường xây dựng "
                         "kế hoạch triển khai thực hiện.", section=preamble, date=(5, 11, 2025))
    assert roles(doc) == {("Sở, ban, ngành cấp tỉnh", "thuc_hien"), ("Ủy ban nhân dân cấp xã", "thuc_hien")}


def test_closing_paragraph_is_not_part_of_the_last_block(tmp_path):
    # Hà Tĩnh 2025: the closing paragraph after the items of the last heading names its own doers
    body = ("1. Sở Y tế\na) Ban hành kế hoạch triển khai.\nb) Tổ chức rà soát, đánh giá.\n"
            "2. Ủy ban nhân dân các xã, phường\na) Ban hành kế hoạch triển khai thực hiện Chương trình tại địa phương.\n"
            "b) Hằng năm, tổ chức kiểm tra, đánh giá tình hình thực hiện Chương trình trên địa bàn.\n"
            "Ủy ban nhân dân tỉnh giao Giám đốc các sở, Thủ trưởng các ban, ngành, đoàn thể cấp tỉnh và Chủ tịch Ủy ban "
            "nhân dân các xã, phường triển khai thực hiện đảm bảo mục đích, yêu cầu, hiệu quả, đúng quy định./.")
    doc = plan(tmp_path, body, date=(5, 11, 2025))
    rows = {(r["agency"], r["role"]): r["quote"] for r in doc.rows["assignments"]}
    assert "giao Giám" not in rows[("Ủy ban nhân dân cấp xã", "chu_tri")]
    for body_name in ("Sở, ban, ngành cấp tỉnh", "Ủy ban nhân dân cấp xã"):
        assert rows[(body_name, "thuc_hien")].startswith("Ủy ban nhân dân tỉnh giao")


def test_closing_paragraph_deadline_is_not_the_last_blocks(tmp_path):
    # Đồng Tháp 2025: a yearly report asked of everyone in "Trên đây là ..." is not the last (business) block's deadline
    body = ("1. Sở Xây dựng\n- Chủ trì tổ chức triển khai Kế hoạch.\n"
            "2. Các doanh nghiệp hoạt động trong lĩnh vực xây dựng, giao thông trên địa bàn tỉnh\n"
            "- Chủ động phối hợp triển khai các giải pháp, nền tảng số.\n- Đề xuất sáng kiến, giải pháp công nghệ.\n"
            "Trên đây là Kế hoạch Chuyển đổi số trong hoạt động xây dựng. Đề nghị các cơ quan, đơn vị nghiêm túc triển "
            "khai thực hiện. Định kỳ hằng năm (trước ngày 30 tháng 11) báo cáo kết quả thực hiện về Sở Xây dựng.")
    doc = plan(tmp_path, body, date=(5, 11, 2025))
    business = [r for r in doc.rows["assignments"] if r["agency"].startswith("Doanh nghiệp")]
    assert len(business) == 1 and business[0]["role"] == "chu_tri"
    assert "Trên đây" not in business[0]["quote"] and business[0]["deadline_id"] is None


# --- who coordinates when a body steers others, or only assists ---------------------------------
def test_steered_bodies_coordinate_not_the_steering_one(tmp_path):
    # Cần Thơ 2025 style: the State Bank directs the commercial banks, which coordinate with Sở Y tế
    doc = plan(tmp_path, "3. Ngân hàng Nhà nước chi nhánh khu vực 14\n"
                         "a) Chỉ đạo các Ngân hàng thương mại trên địa bàn chủ động phối hợp với Sở Y tế tổ chức "
                         "mở tài khoản cho người dân.\n"
                         "b) Các ngân hàng thương mại tham gia phối hợp với Sở Y tế tuyên truyền các nội dung.",
               date=(5, 9, 2025))
    got = roles(doc)
    assert ("Ngân hàng Nhà nước chi nhánh khu vực 14", "chu_tri") in got
    assert ("Ngân hàng Nhà nước chi nhánh khu vực 14", "phoi_hop") not in got
    assert ("Sở Y tế", "chu_tri") in got


def test_second_verb_after_comma_stays_with_the_body(tmp_path):
    # "Chỉ đạo phòng, ban chuyên môn, phối hợp ...": the body itself coordinates
    doc = plan(tmp_path, "5. Sở Nông nghiệp và Môi trường\n"
                         "Chỉ đạo các đơn vị trực thuộc, phối hợp với Sở Tài chính thẩm định dự toán kinh phí.",
               date=(5, 9, 2025))
    assert ("Sở Nông nghiệp và Môi trường", "phoi_hop") in roles(doc)
    assert ("Sở Tài chính", "chu_tri") in roles(doc)


def test_body_that_only_assists_gets_no_block_lead(tmp_path):
    # a heading of one body whose only task is "Phối hợp với Sở Giáo dục và Đào tạo ...": that Sở leads
    doc = plan(tmp_path, "3. Sở Y tế:\n"
                         "Phối hợp với Sở Giáo dục và Đào tạo chỉ đạo hệ thống y tế cơ sở tổ chức khám sức khỏe "
                         "cho học sinh.\n"
                         "4. Sở Tài chính:\n"
                         "Phối hợp với Sở Công Thương thẩm định, tham mưu bố trí kinh phí; hướng dẫn lập, thanh "
                         "quyết toán bảo đảm đúng quy định.", date=(5, 9, 2025))
    got = roles(doc)
    assert ("Sở Y tế", "phoi_hop") in got and ("Sở Y tế", "chu_tri") not in got
    assert ("Sở Giáo dục và Đào tạo", "chu_tri") in got
    # a task of its own after the ';' keeps Sở Tài chính the lead of its block
    assert {("Sở Tài chính", "chu_tri"), ("Sở Tài chính", "phoi_hop"), ("Sở Công Thương", "chu_tri")} <= got


def test_body_that_only_assists_after_its_name_and_colon(tmp_path):
    # Đắk Lắk 2025: the body and its only task on one line ("3. Sở ...: Phối hợp với Ban ..."), as
    # the bare heading above; a task of its own after the ';' keeps Sở Nội vụ the lead
    doc = plan(tmp_path, "3. Sở Văn hóa, Thể thao và Du lịch: Phối hợp với Ban Tuyên giáo và Dân vận Tỉnh ủy chỉ đạo "
                         "Báo và Phát thanh, Truyền hình Đắk Lắk thường xuyên tuyên truyền về các phong trào thi đua.\n"
                         "4. Sở Nội vụ: Phối hợp với Sở Y tế thẩm định hồ sơ; tổng hợp, báo cáo kết quả Đợt thi đua.",
               date=(18, 11, 2025))
    assert roles(doc) == {("Ban Tuyên giáo và Dân vận Tỉnh ủy", "chu_tri"),
                          ("Sở Văn hóa, Thể thao và Du lịch", "phoi_hop"),
                          ("Sở Y tế", "chu_tri"), ("Sở Nội vụ", "phoi_hop"), ("Sở Nội vụ", "chu_tri")}


def test_bodies_of_a_heading_that_only_assist(tmp_path):
    # several bodies named by a heading, whose only task assists a named lead: they coordinate,
    # no thuc_hien rows of their own; a task of their own keeps them
    body = "3. Sở Y tế, Sở Giáo dục và Đào tạo\n- Phối hợp với Sở Tài chính bố trí kinh phí tiêm chủng.\n"
    assert roles(plan(tmp_path, body)) == {("Sở Tài chính", "chu_tri"), ("Sở Y tế", "phoi_hop"),
                                           ("Sở Giáo dục và Đào tạo", "phoi_hop")}
    assert ("Sở Y tế", "thuc_hien") in roles(plan(tmp_path, body + "- Tổ chức tiêm chủng cho học sinh.\n"))


def test_line_break_inside_a_partner_name(tmp_path):
    # Đắk Lắk 2025: the bullet is hard-wrapped inside "Bộ Chỉ huy Quân sự tỉnh"
    doc = plan(tmp_path, "1. Sở Công Thương:\n- Chủ trì điều phối nguồn hàng hỗ trợ.\n- Phối hợp Bộ Chỉ huy\n"
                         "Quân sự tỉnh, Công an tỉnh và UBND các xã, phường tổ chức vận chuyển hàng đến các cụm "
                         "dân cư bị chia cắt.", date=(5, 11, 2025))
    rows = {(r["agency"], r["role"]): r["quote"] for r in doc.rows["assignments"]}
    assert ("Sở Công Thương", "phoi_hop") in rows
    for body in ("Bộ Chỉ huy Quân sự tỉnh", "Công an tỉnh", "Ủy ban nhân dân cấp xã"):
        assert "tổ chức vận chuyển" in rows[(body, "chu_tri")]


def test_partner_list_opening_with_a_vague_group(tmp_path):
    # Đắk Lắk 2025: "Phối hợp các lực lượng và UBND các xã, phường ...": the named body after the
    # vague forces leads that task, the heading's body coordinates
    doc = plan(tmp_path, "7. Công an tỉnh:\n- Bảo đảm an ninh, trật tự tại các điểm tập kết, cấp phát.\n"
                         "- Phối hợp các lực lượng và UBND các xã, phường huy động ca nô, xuồng máy, xe chuyên dụng để "
                         "tiếp cận, vận chuyển hàng đến vùng bị chia cắt.", date=(21, 11, 2025))
    rows = {(r["agency"], r["role"]): r["quote"] for r in doc.rows["assignments"]}
    assert set(rows) == {("Công an tỉnh", "chu_tri"), ("Ủy ban nhân dân cấp xã", "chu_tri"), ("Công an tỉnh", "phoi_hop")}
    assert rows[("Ủy ban nhân dân cấp xã", "chu_tri")].startswith("- Phối hợp các lực lượng")


def test_steering_verb_without_an_object_keeps_the_body_coordinating(tmp_path):
    # "hướng dẫn và phối hợp": two verbs of the same body, no steered body in between
    doc = plan(tmp_path, "2. Sở Nội vụ:\n- Chủ động hướng dẫn và phối hợp với Sở Y tế thẩm định hồ sơ khen thưởng.",
               date=(5, 9, 2025))
    assert {("Sở Nội vụ", "phoi_hop"), ("Sở Y tế", "chu_tri")} <= roles(doc)


def test_lead_in_addressed_to_named_businesses(tmp_path):
    doc = plan(tmp_path, "Nhiệm vụ cụ thể như sau:\n- Các doanh nghiệp viễn thông:\n+ Bảo đảm thông tin liên lạc "
                         "thông suốt phục vụ chỉ đạo, điều hành.\n+ Hỗ trợ nhắn tin miễn phí khi cần thiết.",
               date=(12, 9, 2025))
    assert ("Doanh nghiệp viễn thông", "chu_tri") in roles(doc)


def test_sweep_gives_the_enclosing_map(processed):
    """_Structure sweeps the headings and sections only up to the paragraphs it is asked about:
    the same lists as enclosing_map over every paragraph start, in any order of asking."""
    import random
    from extractors.assignments import _Sweep
    from pipeline.document import enclosing_map
    rnd = random.Random(1)
    for doc in processed.values():
        starts = [a for a, _ in doc.paragraphs]
        for items in (doc.headings, doc.sections):
            ref = enclosing_map(items, starts)
            for asked in (starts, rnd.sample(starts, len(starts)), sorted(rnd.sample(starts, len(starts) // 2))):
                sweep = _Sweep(items, set(starts))
                assert [sweep.get(a) for a in asked] == [ref[a] for a in asked]
            assert _Sweep(items, set(starts)).get(-1) is None   # not a paragraph start


def test_clause_split_reads_the_sentence_ends(processed):
    """_split_clauses gives, beside the clauses, the sentence ends a scan of _SENT_END finds
    (its matches are _CLAUSE_END's '.' and line breaks): on every paragraph of the bundled plans
    and on random text made of labels, punctuation and capitals."""
    import random
    from extractors.assignments import _SENT_END, _split_clauses

    def ends(text, a, b):
        return [m.start() + 1 if m.group() == "." else m.start() for m in _SENT_END.finditer(text, a, b)]

    for doc in processed.values():
        for a, b in doc.paragraphs:
            assert _split_clauses(doc.text, a, b)[1] == ends(doc.text, a, b)
    rnd = random.Random(7)
    parts = ["II. ", "1.2. ", "a) ", "- ", ". ", ".", ": ", ";", "\n", " ", "  ", "Sở", "Nội vụ", "chủ trì:",
             "Đơn vị chủ trì:", "x", "Ả", "(", ")", "III.Nhiệm"]
    for _ in range(3000):
        text = "".join(rnd.choice(parts) for _ in range(rnd.randint(0, 12)))
        a = rnd.randint(0, len(text))
        b = rnd.randint(a, len(text))
        assert _split_clauses(text, a, b)[1] == ends(text, a, b), (text, a, b)

"""Targets: each normalization rule on sentences in the plans' style and on the bundled plans,
plus the numbers that must not become targets (past counts, document numbers, dates, durations)."""
from pathlib import Path

import pytest

from conftest import doc_path
from pipeline.numerals import parse_number

HEADER = ("ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG\n\nSố: 15/KH-UBND\n\nLâm Đồng, ngày 10 tháng 8 năm 2025\n\n"
          "KẾ HOẠCH\nPhát triển kinh tế tập thể đến năm 2030\n\n")
UPTO = ("normalize", "segment", "tables", "metadata", "sections", "targets")
OBJECTIVES = "II. MỤC TIÊU"
TASKS = "III. NHIỆM VỤ, GIẢI PHÁP"


def _run(path):
    from pipeline.load import read_document
    from pipeline.run import run_components
    doc, errors = run_components(read_document(path), UPTO)
    assert errors == []
    return doc


def rows_of(tmp_path: Path, body: str, section: str = OBJECTIVES) -> list[tuple]:
    """(value, value_max, unit, comparator, target_year, per_year) of a small plan's targets."""
    path = tmp_path / "plan.txt"
    path.write_text(HEADER + section + "\n\n" + body + "\n", encoding="utf-8")
    doc = _run(path)
    return [(r["value"], r["value_max"], r["unit"], r["comparator"], r["target_year"], r["per_year"])
            for r in doc.rows.get("targets", [])]


# --- numerals ------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, value", [
    ("3.000", 3000.0), ("70,5", 70.5), ("05", 5.0), ("10.052,700", 10052.7), ("1.000.000", 1e6),
    ("63.000", 63000.0), ("8.95", 8.95), ("100", 100.0),
])
def test_vietnamese_numerals(text, value):
    assert parse_number(text) == value


def test_not_numerals():
    assert parse_number("") is None
    assert parse_number("HTX") is None
    assert parse_number("1.2.3") is None


# --- values, units, comparators ------------------------------------------------------------------
def test_comparator_does_not_cross_with_or_semicolon(tmp_path):
    rows = rows_of(tmp_path, "- Toàn tỉnh có khoảng 3.000 tổ hợp tác với 63.000 thành viên; 700 hợp tác xã.")
    assert rows == [(3000.0, None, "tổ hợp tác", "approx", None, False),
                    (63000.0, None, "thành viên", "eq", None, False),
                    (700.0, None, "hợp tác xã", "eq", None, False)]


def test_comparator_covers_a_comma_list_and_abbreviations_expand(tmp_path):
    rows = rows_of(tmp_path, "Phấn đấu trong năm 2026 thành lập mới ít nhất 20 HTX, 01 Liên hiệp HTX và 50 Tổ hợp tác "
                             "(THT), tỷ lệ HTX hoạt động có hiệu quả chiếm 60% trở lên, số cán bộ quản lý HTX được đào "
                             "tạo tăng 10%.")
    assert rows == [(20.0, None, "hợp tác xã", "gte", 2026, False),
                    (1.0, None, "liên hiệp hợp tác xã", "gte", 2026, False),
                    (50.0, None, "tổ hợp tác", "gte", 2026, False),
                    (60.0, None, "%", "gte", 2026, False),
                    (10.0, None, "%", "eq", 2026, False)]


@pytest.mark.parametrize("body, expected", [
    ("- Số hợp tác xã đạt loại tốt, khá chiếm từ 70% - 85% trên tổng số hợp tác xã.", (70.0, 85.0, "%", "range")),
    ("- Phấn đấu có từ 10 đến 12 trường học đạt chuẩn quốc gia.", (10.0, 12.0, "trường", "range")),
    ("- Tỷ lệ hộ nghèo giảm 1%–1,5%.", (1.0, 1.5, "%", "range")),
    ("- Tỷ lệ nợ xấu không quá 5%.", (5.0, None, "%", "lte")),
    ("- Tỷ lệ hộ nghèo dưới 3%.", (3.0, None, "%", "lte")),
    ("- Hỗ trợ gần 500 hộ gia đình.", (500.0, None, "hộ", "approx")),
    ("- Tỷ lệ che phủ rừng ≥ 45%.", (45.0, None, "%", "gte")),
    ("- Bảo đảm trên 60% hợp tác xã đạt loại tốt, khá.", (60.0, None, "%", "gte")),
    ("- Có tối thiểu 2 dự án thí điểm.", (2.0, None, "dự án", "gte")),
    ("- Giải quyết việc làm cho 1,2 triệu người.", (1200000.0, None, "người", "eq")),
    ("- Kim ngạch xuất khẩu đạt khoảng 8,95 tỷ USD.", (8.95, None, "tỷ USD", "approx")),
    ("- GRDP bình quân đầu người đạt 91 triệu đồng.", (91.0, None, "triệu đồng", "eq")),
    ("- Hỗ trợ 01 doanh nghiệp, hợp tác xã xây dựng thương hiệu.", (1.0, None, "doanh nghiệp, hợp tác xã", "eq")),
    # every listed noun of a comma list stays in the unit
    ("- Tối thiểu 30 xã, phường, đặc khu có mô hình phân loại rác tại nguồn.", (30.0, None, "xã, phường, đặc khu", "gte")),
    ("- Có 10 xã, thị trấn đạt chuẩn nông thôn mới nâng cao.", (10.0, None, "xã, thị trấn", "eq")),
    ("- Mỗi năm tổ chức ít nhất 03 hội chợ, sự kiện xúc tiến thương mại.", (3.0, None, "hội chợ, sự kiện", "gte")),
    ("- Có 65 Quỹ tín dụng nhân dân hoạt động an toàn.", (65.0, None, "quỹ tín dụng nhân dân", "eq")),
    ("- Có 02 liên hiệp HTX, với 20 HTX thành viên.", (2.0, None, "liên hiệp hợp tác xã", "eq")),
])
def test_value_unit_comparator(tmp_path, body, expected):
    rows = rows_of(tmp_path, body)
    assert rows and rows[0][:4] == expected


def test_unlisted_noun_is_the_unit(tmp_path):
    # "giáo viên" is listed; "bác sĩ gia đình" is cut to its head noun by the tagger
    rows = rows_of(tmp_path, "- Đào tạo 150 giáo viên; thu hút 40 chuyên gia đầu ngành.")
    assert [(r[0], r[2]) for r in rows] == [(150.0, "giáo viên"), (40.0, "chuyên gia")]


def test_unlisted_noun_ending_its_phrase_is_the_unit(tmp_path):
    # cut out alone, the last word before ";" or "." was tagged a numeral and the target lost
    rows = rows_of(tmp_path, "- Mỗi năm phát triển mới ít nhất 500 hội viên; thành lập 15 câu lạc bộ; lắp đặt "
                             "120 camera.\n- Trồng mới 44 héc-ta rừng ngập mặn.")
    assert rows == [(500.0, None, "hội viên", "gte", None, True), (15.0, None, "câu lạc bộ", "eq", None, False),
                    (120.0, None, "camera", "eq", None, False), (44.0, None, "ha", "eq", None, False)]


def test_a_classifier_before_a_noun_gives_the_noun(tmp_path):
    # "ngôi", "căn", "chiếc" count one thing each: the unit is the noun after them; a compound noun
    # ("căn hộ", "phòng học", "nhà văn hóa") stays whole, a lone classifier stays
    rows = rows_of(tmp_path, "- Hỗ trợ xây mới 24 ngôi nhà đại đoàn kết; sửa chữa 19 căn nhà; trang bị 05 chiếc xe "
                             "chuyên dụng.\n- Xây dựng 12 ngôi nhà văn hóa thôn; 40 phòng học kiên cố; 300 căn hộ "
                             "nhà ở xã hội; 2.800 căn.")
    assert [(r[0], r[2]) for r in rows] == [(24.0, "nhà"), (19.0, "nhà"), (5.0, "xe"), (12.0, "nhà văn hóa"),
                                            (40.0, "phòng học"), (300.0, "căn hộ"), (2800.0, "căn")]


def test_member_cooperatives_count_cooperatives(tmp_path):
    rows = rows_of(tmp_path, "- 03 liên hiệp hợp tác xã với 20 hợp tác xã thành viên; 110.000 thành viên tổ hợp tác.")
    assert [(r[0], r[2]) for r in rows] == [(3.0, "liên hiệp hợp tác xã"), (20.0, "hợp tác xã"),
                                            (110000.0, "thành viên")]


# --- per-year rates ----------------------------------------------------------------------------
def test_per_year_reaches_to_the_semicolon(tmp_path):
    rows = rows_of(tmp_path, "- Thành lập mới mỗi năm 15-20 tổ hợp tác; 05 liên hiệp hợp tác xã.")
    assert rows == [(15.0, 20.0, "tổ hợp tác", "range", None, True),
                    (5.0, None, "liên hiệp hợp tác xã", "eq", None, False)]


def test_rate_per_year_suffix(tmp_path):
    assert rows_of(tmp_path, "- Đến năm 2030, tốc độ tăng trưởng bình quân đạt 8%/năm.") == [
        (8.0, None, "%", "eq", None, True)]


def test_rate_per_unit_per_year(tmp_path):
    rows = rows_of(tmp_path, "- Số hợp tác xã thành lập mới: 30 HTX/năm; thu nhập của người lao động đạt 70 triệu "
                             "đồng/người/năm.")
    assert rows == [(30.0, None, "hợp tác xã", "eq", None, True), (70.0, None, "triệu đồng", "eq", None, True)]


def test_per_quarter_rate(tmp_path):
    rows = rows_of(tmp_path, "- Mỗi quý có ít nhất 04 tin, bài về kinh tế tập thể.")
    assert rows == [(4.0, None, "tin, bài", "gte", None, True)]


def test_per_period_cue_after_the_figure(tmp_path):
    # "mỗi quý" / "mỗi tháng" closing the phrase make a rate like a trailing "mỗi năm"
    rows = rows_of(tmp_path, "- Mỗi xã tổ chức ít nhất 02 buổi tuyên truyền pháp luật về phòng cháy, chữa cháy mỗi "
                             "quý.\n- Đăng tải ít nhất 04 tin, bài mỗi tháng trên Cổng thông tin điện tử tỉnh.\n"
                             "- Đến năm 2030, có 20 tin, bài được đăng tải.")
    assert rows == [(2.0, None, "buổi", "gte", None, True), (4.0, None, "tin, bài", "gte", None, True),
                    (20.0, None, "tin, bài", "eq", 2030, False)]


# --- target year -------------------------------------------------------------------------------
def test_year_from_lettered_heading(tmp_path):
    rows = rows_of(tmp_path, "a) Đến năm 2030:\n- 50% hợp tác xã hoạt động hiệu quả.\n"
                             "b) Đến năm 2035:\n- 70% hợp tác xã hoạt động hiệu quả.")
    assert [(r[0], r[4]) for r in rows] == [(50.0, 2030), (70.0, 2035)]


def test_year_from_dash_bullet_covers_plus_lines_and_next_paragraph(tmp_path):
    rows = rows_of(tmp_path, "- Đến năm 2030\n+ Có 500 hợp tác xã.\n+ Có 50 liên hiệp hợp tác xã.\n"
                             "- Đến năm 2035\nCó 900 hợp tác xã.")
    assert [(r[0], r[4]) for r in rows] == [(500.0, 2030), (50.0, 2030), (900.0, 2035)]


def test_year_from_unnumbered_year_line(tmp_path):
    rows = rows_of(tmp_path, "3. Mục tiêu cụ thể\nĐến năm 2030\n- Có ít nhất 800 tổ hợp tác, với 3.800 thành viên.\n"
                             "Đến năm 2045\n- Thu hút tối thiểu 20% dân số tham gia.")
    assert [(r[0], r[3], r[4]) for r in rows] == [(800.0, "gte", 2030), (3800.0, "eq", 2030), (20.0, "gte", 2045)]


def test_year_line_covers_deeper_numbered_items_and_lead_ins(tmp_path):
    rows = rows_of(tmp_path, "2. Mục tiêu cụ thể\nĐến năm 2030\na) Tỷ lệ hợp tác xã hoạt động hiệu quả đạt 50%.\n"
                             "b) Có 100 hợp tác xã ứng dụng công nghệ cao.\n"
                             "3. Mục tiêu khác\nPhấn đấu đến năm 2035, đạt các chỉ tiêu sau:\n- 70% hợp tác xã có lãi.")
    assert [(r[0], r[4]) for r in rows] == [(50.0, 2030), (100.0, 2030), (70.0, 2035)]


def test_period_heading_gives_its_end_year(tmp_path):
    rows = rows_of(tmp_path, "1. Giai đoạn 2026 - 2030\n- Có 500 hợp tác xã.\n2. Giai đoạn 2031 - 2035\n"
                             "- Tỷ lệ hợp tác xã hoạt động hiệu quả đạt 80%.")
    assert [(r[0], r[4]) for r in rows] == [(500.0, 2030), (80.0, 2035)]


def test_heading_year_does_not_leak_into_a_sibling(tmp_path):
    rows = rows_of(tmp_path, "1. Mục tiêu đến năm 2030\n- 50% hợp tác xã hoạt động hiệu quả.\n"
                             "2. Về tín dụng\n- Bảo đảm 100% quỹ tín dụng nhân dân hoạt động an toàn.")
    assert [(r[0], r[4]) for r in rows] == [(50.0, 2030), (100.0, None)]


def test_year_of_a_cited_plan_is_not_the_target_year(tmp_path):
    rows = rows_of(tmp_path, "- Thực hiện Kế hoạch đến năm 2030 của tỉnh, phấn đấu năm 2026 có 50 hợp tác xã.")
    assert [(r[0], r[4]) for r in rows] == [(50.0, 2026)]


def test_sentence_year_beats_heading_year(tmp_path):
    rows = rows_of(tmp_path, "a) Đến năm 2030:\n- Phấn đấu đến năm 2027 có 300 hợp tác xã.")
    assert rows[0][4] == 2027


def test_baseline_year_and_plan_title_give_no_year(tmp_path):
    # the plan's title says "đến năm 2030"; "so với năm 2024" is a baseline
    assert rows_of(tmp_path, "- Số thành viên tăng 20% so với năm 2024.") == [(20.0, None, "%", "eq", None, False)]


# --- not targets -------------------------------------------------------------------------------
@pytest.mark.parametrize("body", [
    "Đến nay toàn tỉnh có 312 hợp tác xã.",
    "Hiện nay tổng số trạm thu phát sóng khoảng 180 trạm, trong đó có 22 trạm 5G.",
    "Căn cứ Nghị quyết số 20-NQ/TW ngày 16/6/2022 của Ban Chấp hành Trung ương.",
    "Báo cáo kết quả trước ngày 15/12/2026 và ngày 30 tháng 6 năm 2027.",
    "Sau 15 năm thực hiện Nghị quyết, tổng kết theo Điều 9 khoản 2.",
    "Điện thoại: 0263.3822.123.",
    "Ước thực hiện năm 2025 đạt 95% kế hoạch.",
    "40 xã, phường đã được công bố tình huống khẩn cấp.",
    "Nếu có từ 02 địa phương trở lên có tổng số điểm bằng nhau thì xét theo tiêu chí phụ.",
    "Tỷ lệ hộ sử dụng nước sạch (%) = Số hộ sử dụng nước sạch / Tổng số hộ x 100%.",
    "Phấn đấu đưa tỉnh thuộc nhóm 20 tỉnh dẫn đầu, xếp thứ 15 cả nước về chỉ số PCI.",
])
def test_not_targets_in_objectives(tmp_path, body):
    assert rows_of(tmp_path, body) == []


@pytest.mark.parametrize("body, expected", [
    # an age bound and a monitoring frequency are not targets; the ratio after them is
    ("- Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng thể thấp còi giảm xuống dưới 15%.", [(15.0, "%", "lte", None)]),
    ("- Kiểm tra tối thiểu 02 lần/năm tại mỗi hợp tác xã; 100% hợp tác xã được kiểm tra.", [(100.0, "%", "eq", None)]),
    # a clause about a year before the plan's own is a past count
    ("- Năm 2024, toàn tỉnh có 250 hợp tác xã; phấn đấu năm 2026 có 300 hợp tác xã.",
     [(300.0, "hợp tác xã", "eq", 2026)]),
    ("- Tỷ lệ hộ nghèo năm 2024 là 3,5%, phấn đấu năm 2026 giảm còn 2,5%.", [(2.5, "%", "eq", 2026)]),
    # "từ X lên Y": X is the baseline, and so is the year printed right after it
    ("- Nâng tỷ lệ hộ dân sử dụng nước sạch từ 60% năm 2025 lên 80% vào năm 2030.", [(80.0, "%", "eq", 2030)]),
    ("- Tỷ lệ hộ nghèo giảm từ 5,2% xuống còn dưới 3%.", [(3.0, "%", "lte", None)]),
    # in the objectives "100% dự toán" is a commitment
    ("- Thu ngân sách nhà nước đạt 100% dự toán.", [(100.0, "%", "eq", None)]),
    # a duration reached after a reaching verb is a target, its unit the time word
    ("- Tuổi thọ trung bình đạt 75,5 tuổi.", [(75.5, "tuổi", "eq", None)]),
    ("- Số năm sống khỏe đạt tối thiểu 68 năm vào năm 2030.", [(68.0, "năm", "gte", 2030)]),
    ("- Thời gian giải quyết thủ tục hành chính giảm xuống còn 03 ngày làm việc.", [(3.0, "ngày", "eq", None)]),
    # the same words as a qualifier or a span of time are not
    ("- Tỷ lệ trẻ em dưới 1 tuổi được tiêm chủng đầy đủ đạt trên 95%.", [(95.0, "%", "gte", None)]),
    ("- Sau 2 năm thực hiện, 100% xã có điểm sinh hoạt cộng đồng.", [(100.0, "%", "eq", None)]),
    ("- Người cao tuổi từ đủ 60 tuổi trở lên được khám sức khỏe định kỳ 01 lần/năm.", []),
])
def test_baselines_ages_frequencies(tmp_path, body, expected):
    assert [(r[0], r[2], r[3], r[4]) for r in rows_of(tmp_path, body)] == expected


def test_quantity_column_takes_its_unit_and_the_appendix_title_year(tmp_path):
    body = ("| TT | Thành phần môi trường | Số lượng mẫu | Tần suất |\n"
            "| 1 | Nước mặt | 20 | 4 lần/năm |\n| 2 | Không khí | 12 | 2 lần/năm |")
    rows = rows_of(tmp_path, body, "PHỤ LỤC II\nSỐ LƯỢNG MẪU QUAN TRẮC MÔI TRƯỜNG NĂM 2026")
    assert rows == [(20.0, None, "mẫu", "eq", 2026, False), (12.0, None, "mẫu", "eq", 2026, False)]


def test_situation_section_gives_no_targets(tmp_path):
    body = "Năm 2024 toàn tỉnh thành lập mới 50 hợp tác xã, giải ngân 120 tỷ đồng, đạt 105% kế hoạch."
    assert rows_of(tmp_path, body, "I. ĐẶC ĐIỂM TÌNH HÌNH") == []


def test_forecasts_and_award_criteria_are_not_targets(tmp_path):
    forecast = ("1. Dự báo các chỉ tiêu kinh tế - xã hội đến năm 2026\n"
                "- Tổng sản phẩm trong tỉnh tăng khoảng 10%; giải quyết việc làm cho khoảng 59.000 người.\n"
                "2. Các giải pháp thực hiện\n"
                "- Phấn đấu đến năm 2027 có 300 doanh nghiệp khởi nghiệp sáng tạo.\n")
    # the forecast figures commit to nothing; a sub-heading of its own kind (solutions) does
    assert rows_of(tmp_path, forecast, "II. DỰ BÁO CÁC CHỈ TIÊU KINH TẾ - XÃ HỘI 03 NĂM 2026 - 2028") == [
        (300.0, None, "doanh nghiệp", "eq", 2027, False)]
    criteria = ("a) Đối với tập thể:\n- Tặng cho xã, phường đạt các tiêu chuẩn sau:\n"
                "+ Có tỷ lệ cử tri đi bầu cử đạt từ 98% trở lên;\n")
    assert rows_of(tmp_path, criteria, "3. Tiêu chuẩn khen thưởng") == []
    table = ("| STT | Nội dung | Đơn vị tính | Năm 2026 | Năm 2027 |\n"
             "| 1 | Tốc độ tăng trưởng GRDP | % | 10,00 | 10,50 |\n| 2 | Dân số trung bình | Triệu người | 2,150 | 2,155 |")
    assert rows_of(tmp_path, table, "Mẫu biểu số 01\nDỰ BÁO MỘT SỐ CHỈ TIÊU KINH TẾ - XÃ HỘI CHỦ YẾU") == []
    # the same table under an appendix of targets gives its rows
    assert len(rows_of(tmp_path, table, "Biểu số 01\nMỘT SỐ CHỈ TIÊU KINH TẾ - XÃ HỘI CHỦ YẾU")) == 4


def test_indicator_of_a_rate_is_the_rate_named(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(HEADER + OBJECTIVES + "\n\n- Tốc độ tăng trưởng giá trị sản xuất nông nghiệp bình quân 4,5%/năm.\n"
                    "- Chỉ số cải cách hành chính đạt trên 90%.\n", encoding="utf-8")
    assert [r["indicator"] for r in _run(path).rows["targets"]] == [
        "tốc độ tăng trưởng giá trị sản xuất nông nghiệp bình quân", "chỉ số cải cách hành chính"]


@pytest.mark.parametrize("body, comparator", [
    ("- Mỗi năm kết nạp từ 3.500 đảng viên mới trở lên.", "gte"),
    ("- Phấn đấu có từ 50 hợp tác xã hoạt động hiệu quả trở lên.", "gte"),
    ("- Đạt 70 hợp tác xã, xếp loại khá trở lên.", "eq"),   # "trở lên" of another clause
])
def test_from_a_figure_and_a_few_words_up(tmp_path, body, comparator):
    assert rows_of(tmp_path, body)[0][3] == comparator


def test_a_date_or_month_heading_gives_its_year(tmp_path):
    body = "1. Đến ngày 31/12/2025:\n- 100% hồ sơ được số hóa;\n- ít nhất 80% người dân có tài khoản định danh.\n"
    assert [r[4] for r in rows_of(tmp_path, body)] == [2025, 2025]
    assert rows_of(tmp_path, "- Đến tháng 6/2026, 100% xã có điểm phục vụ bưu chính.")[0][4] == 2026


def test_tasks_need_a_commitment(tmp_path):
    assert rows_of(tmp_path, "Hỗ trợ 50% kinh phí đào tạo cho hợp tác xã.", TASKS) == []
    assert rows_of(tmp_path, "Phấn đấu đến năm 2028 có 30 hợp tác xã ứng dụng công nghệ cao.", TASKS) == [
        (30.0, None, "hợp tác xã", "eq", 2028, False)]


@pytest.mark.parametrize("body", [
    "- Tổng kinh phí thực hiện Kế hoạch dự kiến khoảng 12.500 triệu đồng.",
    "- Phấn đấu bố trí 5 tỷ đồng từ ngân sách tỉnh cho Quỹ hỗ trợ phát triển hợp tác xã.",
])
def test_funding_is_not_an_objective(tmp_path, body):
    assert rows_of(tmp_path, body) == []
    assert rows_of(tmp_path, body, TASKS) == []


def test_heading_naming_objectives_among_its_topics(tmp_path):
    assert rows_of(tmp_path, "Tỷ lệ hợp tác xã hoạt động hiệu quả đạt 70%.", "III. NHIỆM VỤ VÀ CHỈ TIÊU") == [
        (70.0, None, "%", "eq", None, False)]
    assert rows_of(tmp_path, "Hỗ trợ 50% kinh phí đào tạo.", "III. NHIỆM VỤ, GIẢI PHÁP THỰC HIỆN MỤC TIÊU") == []


def test_numbers_inside_a_cited_title_are_not_targets(tmp_path):
    body = ("Triển khai Đề án “Đầu tư xây dựng ít nhất 01 triệu căn hộ nhà ở xã hội cho công nhân "
            "giai đoạn 2021 - 2030”.")
    assert rows_of(tmp_path, body, TASKS) == []


# --- tables ------------------------------------------------------------------------------------
def test_indicator_unit_year_table(tmp_path):
    body = ("| STT | Chỉ tiêu | Đơn vị tính | Ước thực hiện 2025 | Năm 2026 | Năm 2027 |\n"
            "| 1 | Tốc độ tăng trưởng GRDP | % | 7,5 | 8 | 8,5 |\n"
            "| 2 | Số doanh nghiệp thành lập mới | Doanh nghiệp | 900 | 1.000 | 1.100 |")
    rows = rows_of(tmp_path, body, "PHỤ LỤC\nCHỈ TIÊU KINH TẾ - XÃ HỘI")
    # the estimate column is not a target; the unit column is taken as printed
    assert rows == [(8.0, None, "%", "eq", 2026, False), (8.5, None, "%", "eq", 2027, False),
                    (1000.0, None, "Doanh nghiệp", "eq", 2026, False),
                    (1100.0, None, "Doanh nghiệp", "eq", 2027, False)]


def test_period_column_gives_its_end_year(tmp_path):
    body = ("| TT | Chỉ tiêu | Đơn vị | Năm 2026 | Giai đoạn 2026 - 2030 |\n"
            "| 1 | Số hợp tác xã thành lập mới | Hợp tác xã | 40 | 200 |")
    rows = rows_of(tmp_path, body, "PHỤ LỤC\nCHỈ TIÊU PHÁT TRIỂN HỢP TÁC XÃ")
    assert [(r[0], r[2], r[4]) for r in rows] == [(40.0, "Hợp tác xã", 2026), (200.0, "Hợp tác xã", 2030)]


def test_second_header_row_of_years(tmp_path):
    body = ("| TT | Chỉ tiêu | ĐVT | Giai đoạn 2026 - 2030 |\n"
            "| | | | 2026 | 2027 | 2028 |\n"
            "| 1 | Tỷ lệ hợp tác xã hoạt động hiệu quả | % | 60 | 65 | 70 |")
    rows = rows_of(tmp_path, body, "PHỤ LỤC\nCHỈ TIÊU PHÁT TRIỂN HỢP TÁC XÃ")
    assert [(r[0], r[2], r[4]) for r in rows] == [(60.0, "%", 2026), (65.0, "%", 2027), (70.0, "%", 2028)]


def test_table_group_row_year(tmp_path):
    body = ("| STT | Mục tiêu cụ thể | Đơn vị chủ trì |\n"
            "| I | MỤC TIÊU CỤ THỂ ĐẾN NĂM 2030 | |\n"
            "| 1 | Toàn tỉnh có khoảng 700 hợp tác xã | Liên minh Hợp tác xã tỉnh |\n"
            "| II | MỤC TIÊU CỤ THỂ ĐẾN NĂM 2045 | |\n"
            "| 1 | Bảo đảm trên 90% tổ chức kinh tế tập thể hoạt động hiệu quả | Liên minh Hợp tác xã tỉnh |")
    rows = rows_of(tmp_path, body, "Phụ lục 1\nPHÂN CÔNG THỰC HIỆN CÁC MỤC TIÊU")
    assert rows == [(700.0, None, "hợp tác xã", "approx", 2030, False), (90.0, None, "%", "gte", 2045, False)]


# --- rows split at an empty cell, label items, yearly cues after the figure, non-targets ---------
def _lone_pipe(rows: list[list[str]]) -> str:
    """A table as web exports print it: one cell a line after a lone '|', a row closed by '|'
    (so an empty cell looks like a row break)."""
    return "\n".join("\n".join(f"|\n{c}" if c else "|" for c in row) + "\n|" for row in rows)


def test_rows_split_at_an_empty_cell_are_rejoined(tmp_path):
    table = _lone_pipe([
        ["STT", "Nội dung", "Đơn vị tính", "Năm hiện hành 2025", "Năm 2026", "Năm 2027", "Năm 2028"],
        ["", "", "", "Kế hoạch", "Ước thực hiện", "", "", ""],
        ["1", "2", "3", "4", "5", "6", "7", "8"],
        ["3", "Cơ cấu kinh tế", "", "", "", "", "", ""],
        ["", "- Thuế nhập khẩu, thuế sản phẩm trừ trợ cấp sản phẩm", "%", "", "", "4,31", "4,19", "4,07"],
        ["4", "Chỉ số giá tiêu dùng (CPI)", "%", "", "5,04", "5,21", "5,0", "4,8"],
        ["13", "Số đối tượng mua bảo hiểm y tế", "", "", "", "", "", ""],
        ["", "+ Trẻ em dưới 6 tuổi", "Người", "", "169.559", "171.242", "172.000", "173.500"],
        ["", "+ Đối tượng được miễn, giảm học phí", "Người", "", "57.955", "52.000", "", ""],
    ])
    path = tmp_path / "plan.md"
    path.write_text(HEADER + "PHỤ LỤC\nMỘT SỐ CHỈ TIÊU KINH TẾ - XÃ HỘI CHỦ YẾU\n\n" + table + "\n", encoding="utf-8")
    rows = [(r["indicator"], r["value"], r["unit"], r["target_year"]) for r in _run(path).rows.get("targets", [])]
    # figures right-aligned under the years; the numbering row and the half-filled row give nothing
    tax, cpi, kids = ("Cơ cấu kinh tế - Thuế nhập khẩu, thuế sản phẩm trừ trợ cấp sản phẩm",
                      "Chỉ số giá tiêu dùng (CPI)", "Số đối tượng mua bảo hiểm y tế - Trẻ em dưới 6 tuổi")
    assert [r[1:] for r in rows] == [(4.31, "%", 2026), (4.19, "%", 2027), (4.07, "%", 2028), (5.21, "%", 2026),
                                     (5.0, "%", 2027), (4.8, "%", 2028), (171242.0, "Người", 2026),
                                     (172000.0, "Người", 2027), (173500.0, "Người", 2028)]
    assert [r[0] for r in rows] == [tax] * 3 + [cpi] * 3 + [kids] * 3


def test_split_row_in_pipe_table_and_sub_row_indicators(tmp_path):
    body = ("| STT | Chỉ tiêu | Đơn vị tính | Năm 2026 | Năm 2027 |\n"
            "| 6 | Kim ngạch xuất khẩu hàng hóa | Triệu USD | 2.800 | 3.100 |\n"
            "| Tốc độ tăng trưởng | % |\n"
            "| 107,2 | 105,8 |\n"
            "| 7 | Y tế: | | | |\n"
            "| | - Số giường bệnh | Giường | 7.060 | 7.100 |\n"
            "| | Trong đó: | | | |\n"
            "| | + Giường bệnh cấp tỉnh | Giường | 6.740 | 6.800 |\n"
            "| 8 | Dân số | Triệu người | 2,150 | 2,155 |")
    path = tmp_path / "plan.txt"
    path.write_text(HEADER + "PHỤ LỤC\nCHỈ TIÊU KINH TẾ - XÃ HỘI\n\n" + body + "\n", encoding="utf-8")
    rows = [(r["indicator"], r["value"], r["unit"], r["target_year"]) for r in _run(path).rows.get("targets", [])]
    # a sub-row names the indicator it breaks down; "Trong đó:" is no indicator
    assert rows == [("Kim ngạch xuất khẩu hàng hóa", 2800.0, "Triệu USD", 2026),
                    ("Kim ngạch xuất khẩu hàng hóa", 3100.0, "Triệu USD", 2027),
                    ("Kim ngạch xuất khẩu hàng hóa - Tốc độ tăng trưởng", 107.2, "%", 2026),
                    ("Kim ngạch xuất khẩu hàng hóa - Tốc độ tăng trưởng", 105.8, "%", 2027),
                    ("Y tế - Số giường bệnh", 7060.0, "Giường", 2026), ("Y tế - Số giường bệnh", 7100.0, "Giường", 2027),
                    ("Số giường bệnh - Giường bệnh cấp tỉnh", 6740.0, "Giường", 2026),
                    ("Số giường bệnh - Giường bệnh cấp tỉnh", 6800.0, "Giường", 2027),
                    ("Dân số", 2.15, "Triệu người", 2026), ("Dân số", 2.155, "Triệu người", 2027)]


def test_scoring_grid_percentages_are_not_targets(tmp_path):
    body = ("| STT | Tiêu chí thi đua | Điểm chuẩn | Hướng dẫn chấm điểm |\n"
            "| 5.2 | Đơn vị có tỷ lệ người hưởng trợ cấp nhận tiền không dùng tiền mặt từ 88% trở lên. | 5 | "
            "Từ 88 - 90% cộng 02 điểm; từ 90 - 95% cộng 03 điểm |\n"
            "| 5.3 | Đơn vị đạt tỷ lệ 100% số người được cấp tài khoản | 5 | Đạt 100% cộng 05 điểm |")
    assert rows_of(tmp_path, body, "PHỤ LỤC\nTIÊU CHÍ CHẤM ĐIỂM THI ĐUA") == []


@pytest.mark.parametrize("body, expected", [
    # real: a short label, a colon, then the figure of the item
    ("- Đổi mới công nghệ trong khu công nghiệp: 100% khu công nghiệp, cụm công nghiệp triển khai chương trình "
     "hỗ trợ đổi mới công nghệ, gắn với chuyển đổi số và sản xuất thông minh.", [(100.0, "%")]),
    ("- Chuyển đổi số trong trường học: 100% trường học sử dụng học bạ số.", [(100.0, "%")]),
    ("+ Hạ tầng thương mại: 15 chợ nông thôn được cải tạo, nâng cấp.", [(15.0, "chợ")]),
    # real, hard-wrapped: an item opening with its figure
    ("(1) 100% số người hưởng trợ cấp\nxã hội, trợ cấp hưu trí xã hội chưa có tài khoản được tuyên truyền, giải thích\n"
     "lợi ích mang lại từ việc giao dịch thanh toán không dùng tiền mặt;", [(100.0, "%")]),
    # "số" closing a label is "digital", no document number
    ("- Chuyển đổi số: 100% hồ sơ công việc được xử lý trên môi trường mạng.", [(100.0, "%")]),
    ("- Tập huấn kỹ năng số: 500 lượt cán bộ, công chức được tập huấn.", [(500.0, "lượt")]),
    # an award quota per body, an event's particulars, a label followed by prose, a long sentence
    # are no such items
    ("- Ban bầu cử đại biểu Quốc hội: 01 cá nhân/01 ban;", []),
    ("- Sở Y tế: 02 cá nhân;", []),
    ("- Thành phần: 150 đại biểu là lãnh đạo các sở, ngành.", []),
    ("- Về cơ sở vật chất: đầu tư xây dựng mới cho 12 trường học.", []),
    ("- Tổ chức kiểm tra việc thực hiện tại các cơ sở giáo dục, báo cáo kết quả cho Ủy ban nhân dân tỉnh "
     "trước khi tổng kết năm học: 100% cơ sở.", []),
])
def test_item_opening_with_a_label_and_its_figure(tmp_path, body, expected):
    assert [(r[0], r[2]) for r in rows_of(tmp_path, body, TASKS)] == expected


def test_yearly_cue_after_the_figure(tmp_path):
    body = ("a) Đến năm 2035:\n\n"
            "- Phấn đấu 100% cán bộ quản lý, giáo viên mầm non và nhân viên trong cơ sở giáo dục mầm non được bồi "
            "dưỡng nâng cao năng lực chuyên môn, nghiệp vụ hàng năm.\n\n"
            "- Phấn đấu 100% người hưởng trợ cấp xã hội hằng tháng được chi trả qua tài khoản.\n\n"
            "- Phấn đấu tỷ lệ hộ dùng nước sạch đạt 60% vào năm 2026, tăng thêm 5% mỗi năm sau đó.")
    # "hằng tháng" qualifies the allowance; "mỗi năm" after 5% does not reach back to 60%
    assert rows_of(tmp_path, body, TASKS) == [(100.0, None, "%", "eq", None, True),
                                              (100.0, None, "%", "eq", 2035, False),
                                              (60.0, None, "%", "eq", 2026, False),
                                              (5.0, None, "%", "eq", None, True)]


def test_scoring_rules_in_prose_are_not_targets(tmp_path):
    body = ("- Đơn vị đạt tỷ lệ 100% được cộng 05 điểm, không đạt tỷ lệ 100% không cộng điểm.\n\n"
            "- Từ 88 - 90% cộng 02 điểm; từ 90-95% cộng 03 điểm; đạt 100% cộng 05 điểm.\n\n"
            "- Phấn đấu 100% xã đạt chuẩn, cộng đồng dân cư tham gia giám sát.")
    assert [(r[0], r[2]) for r in rows_of(tmp_path, body)] == [(100.0, "%")]


def test_technical_speed_is_not_a_target(tmp_path):
    body = ("- Triển khai hoàn thiện hệ thống cáp quang Internet thế hệ mới (cho phép truyền dữ liệu với tốc độ "
            "10 Gigabit mỗi giây (10 Gbps) đối xứng); phấn đấu 100% khu công nghiệp được phủ sóng 5G.")
    assert [(r[0], r[2]) for r in rows_of(tmp_path, body)] == [(100.0, "%")]


def test_minus_in_an_economic_share_is_no_condition(tmp_path):
    # "trừ" (minus) in "thuế sản phẩm trừ trợ cấp sản phẩm" is no exception clause; "trừ trường hợp" is
    body = ("- Cơ cấu kinh tế: Dịch vụ chiếm khoảng 40,94%; Thuế sản phẩm trừ trợ cấp sản phẩm chiếm khoảng 3,83%.\n\n"
            "- Trừ trường hợp bất khả kháng, 95% hồ sơ được giải quyết đúng hạn.")
    assert [(r[0], r[3]) for r in rows_of(tmp_path, body)] == [(40.94, "approx"), (3.83, "approx")]


# --- the bundled plans -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def processed():
    """The bundled plans run up to the targets component."""
    return {p: _run(doc_path(p)) for p in ("000", "001", "002", "003", "004")}


def _targets(processed, prefix):
    return processed[prefix].rows.get("targets", [])


def test_000_list_after_one_qualifier_and_no_year_leak(processed):
    rows = _targets(processed, "000")
    # "Có ít nhất 800 tổ hợp tác, với 3.800 thành viên" / "khoảng 495 HTX nông nghiệp, 800 tổ hợp tác và 02 ..."
    assert [(r["value"], r["comparator"]) for r in rows if r["unit"] == "tổ hợp tác"] == [
        (800.0, "gte"), (800.0, "approx")]
    assert [r["comparator"] for r in rows if r["unit"] == "liên hiệp hợp tác xã"] == ["eq", "approx"]
    fund = [r for r in rows if r["unit"] == "%" and r["value"] == 100.0]
    assert len(fund) == 1 and fund[0]["target_year"] is None       # III.4 has no year of its own
    assert not any(r["value"] in (20.0, 2019.0) and r["unit"] == "năm" for r in rows)


def test_001_appendix_group_rows_carry_across_page_breaks(processed):
    rows = _targets(processed, "001")
    appendix = processed["001"].sections[-2]
    in_app = [r for r in rows if r["section_id"] == appendix.section_id]
    assert sum(r["target_year"] == 2030 for r in in_app) == 12
    assert sum(r["target_year"] == 2045 for r in in_app) == 16
    assert any(r["value"] == 70.0 and r["value_max"] == 85.0 and r["comparator"] == "range" for r in in_app)


def test_003_per_year_range_under_a_year_heading(processed):
    rows = _targets(processed, "003")
    per = [r for r in rows if r["per_year"]]
    assert [(r["value"], r["value_max"], r["unit"], r["target_year"]) for r in per] == [
        (15.0, 20.0, "tổ hợp tác", None)]


def test_004_baseline_is_not_a_target_year(processed):
    rows = _targets(processed, "004")
    twenty = [r for r in rows if r["value"] == 20.0 and r["unit"] == "%"]
    assert len(twenty) == 1 and twenty[0]["target_year"] is None and twenty[0]["comparator"] == "eq"
    assert all(r["value"] != 15.0 for r in rows)                    # "tổng kết 15 năm" is a duration


def test_quotes_are_raw_text_and_indicators_readable(processed):
    for prefix, doc in processed.items():
        for r in doc.rows.get("targets", []):
            assert doc.raw[r["char_start"]:r["char_end"]] == r["quote"]
            assert r["indicator"] and "HTX" not in r["indicator"]


def test_long_clause_of_figures_stays_linear(tmp_path):
    import time
    started = time.perf_counter()
    rows = rows_of(tmp_path, "- Phấn đấu " + "đạt 10% hợp tác xã có lãi, " * 3000 + "và 5% hợp tác xã xuất khẩu.")
    assert len(rows) == 3001 and rows[-1][0] == 5.0
    assert time.perf_counter() - started < 10


def test_unit_words_start_with_a_letter():
    """`_unit_at` gives up at once when no letter follows a figure: every unit, scale, money and
    time word must start with one."""
    import regex

    import extractors.targets as t
    words = [*t._UNIT_FORMS, *t._D["scale_words"], *t._D["time_units"], *t._D["money_nouns"]]
    assert all(regex.match(r"\p{L}", w) for w in words)


def test_trim_lead_equals_the_full_pattern():
    """`_trim_lead` looks for the last cue word near the end first; it must cut what the pattern cuts."""
    import extractors.targets as t
    samples = ["tỷ lệ hộ nghèo giảm", "tỷ lệ hộ nghèo giảm còn", "Tốc độ tăng trưởng ĐẠT, ", "đạt:",
               "số doanh nghiệp tăng thêm  \n", "có", "lao động có việc làm", "thu nhập bình quân\x1c",
               "là, đạt ít nhất", "  ", "", "giảmx", "xgiảm", "đạt 5 có", "chiếm :\t"]
    for s in samples:
        assert t._trim_lead(s) == t._LEAD_TRIM.sub("", s), s


def test_figures_of_a_span_from_the_whole_text_scan_are_those_of_the_span_alone(processed):
    """`_Figures` (one scan of the whole text, a span's figures looked up) gives what `_figures`
    (the span scanned alone) gives: for the paragraphs and cells of the plans, and for random spans
    of random text made of numerals, units, separators and letters."""
    import random

    from extractors.targets import _figures, _Figures

    def same(text, spans):
        whole = _Figures(text)
        for a, b in spans:
            assert [m.span() for m in whole(a, b)] == [m.span() for m in _figures(text, a, b)], (text[a:b], a, b)

    for doc in processed.values():
        cells = [(c.start, c.end) for t in doc.tables for r in t.rows for c in r.cells]
        same(doc.text, list(doc.paragraphs) + cells)
    rng = random.Random(5)
    parts = ["1", "25", "2025", "3.000", "10.052,700", "8.5", "70,5", "1,200,000", "%", " %", "người", "ha",
             " ", "  ", "\n", "\x1c", "-", "–", "đến", "tới", "~", "÷", ".", ",", "/", ";", "(", "a", "Đ", "x", "²"]
    for _ in range(3000):
        text = "".join(rng.choice(parts) for _ in range(rng.randrange(1, 25)))
        spans = [(a, rng.randrange(a, len(text) + 1)) for a in (rng.randrange(0, len(text) + 1) for _ in range(6))]
        same(text, spans)


def test_range_and_unit_shortcuts_say_what_the_patterns_say():
    """`_range_after` tries `_RANGE` only after a separator's first character, and `_unit_ahead`
    answers the usual cases from two characters: both agree with the plain patterns on random text
    of figures, spaces (str.lstrip strips every character \\s matches), separators and units."""
    import random
    import sys

    import regex

    from extractors.targets import _LETTER_AHEAD, _RANGE, _range_after, _unit_ahead
    spaces = regex.compile(r"\s")
    assert all(chr(i).isspace() for i in range(sys.maxunicode + 1) if spaces.match(chr(i)))
    parts = ["5", "10,5", "2030", " ", "  ", "\u00a0", "\x1c", "\t", "%", "-", "–", "—", "~", "÷", "đến", "tới",
             "Đến", "người", "ha", ".", ",", "/", "(", "x"]
    rng = random.Random(9)
    for _ in range(20000):
        text = "".join(rng.choice(parts) for _ in range(rng.randrange(0, 10)))
        i = rng.randrange(0, len(text) + 1)
        plain = _RANGE.match(text[i:i + 40])
        fast = _range_after(text, i)
        assert (plain and plain.span()) == (fast and fast.span()), text[i:]
        rest = text[i:i + 120]
        assert _unit_ahead(text, i) == (rest.lstrip().startswith("%") or _LETTER_AHEAD.match(rest) is not None), text[i:]

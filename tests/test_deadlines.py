"""Deadlines: every kind of time expression, both spellings, and the readings that must not happen."""
from pathlib import Path

import pytest

from conftest import doc_path

HEADER = ("ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG\n\nSố: 15/KH-UBND\n\nLâm Đồng, ngày 10 tháng 8 năm 2022\n\n"
          "KẾ HOẠCH\nTriển khai chuyển đổi số năm 2022\n\n")
UPTO = ("normalize", "segment", "tables", "metadata", "sections", "deadlines")


def _run(path):
    from pipeline.load import read_document
    from pipeline.run import run_components
    doc, errors = run_components(read_document(path), UPTO)
    assert errors == []
    return doc


def rows_of(tmp_path: Path, body: str, section: str = "III. NHIỆM VỤ VÀ GIẢI PHÁP") -> list[tuple]:
    """(kind, start, end, recurrence, quote) of a small plan whose body is `body` under `section`."""
    path = tmp_path / "plan.txt"
    path.write_text(HEADER + section + "\n\n" + body + "\n", encoding="utf-8")
    doc = _run(path)
    return [(r["kind"], r["start"], r["end"], r["recurrence"], r["quote"]) for r in doc.rows.get("deadlines", [])]


def keys(rows) -> list[tuple]:
    return [r[:4] for r in rows]


@pytest.fixture(scope="module")
def gold_docs():
    return {p: _run(doc_path(p)) for p in ("000", "001", "002", "004")}


# --- dates ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, end", [
    ("Sở Tài chính hoàn thành trước ngày 30/6/2024.", "2024-06-30"),
    ("Sở Tài chính hoàn thành trước ngày 15 tháng 3 năm 2024.", "2024-03-15"),
    ("Sở Nội vụ trình Ủy ban nhân dân tỉnh trong tháng 6/2024.", "2024-06-30"),
    ("Sở Nội vụ trình Ủy ban nhân dân tỉnh trong tháng 2 năm 2024.", "2024-02-29"),
    ("Sở Y tế hoàn thành trong Quý II/2023.", "2023-06-30"),
    ("Sở Y tế hoàn thành trong quý 2 năm 2023.", "2023-06-30"),
    ("Sở Y tế hoàn thành trong Q2/2023.", "2023-06-30"),
    ("Sở Y tế hoàn thành trong Quý IV năm 2025.", "2025-12-31"),
    ("Sở Khoa học và Công nghệ hoàn thành trong 6 tháng đầu năm 2024.", "2024-06-30"),
    ("Hoàn thành chậm nhất ngày 31/12/2025.", "2025-12-31"),
])
def test_dates_end_on_the_last_day_of_their_period(tmp_path, text, end):
    assert keys(rows_of(tmp_path, text)) == [("date", None, end, None)]


@pytest.mark.parametrize("text, kind, start, end", [
    ("Sở Tư pháp chủ trì thực hiện nhiệm vụ số 24, quý IV năm 2025.", "date", None, "2025-12-31"),
    ("Sở Tư pháp chủ trì thực hiện nhiệm vụ số 8, từ năm 2026.", "range", "2026-01-01", None),
    ("Sở Tư pháp chủ trì thực hiện nhiệm vụ số 4, 6 tháng đầu năm 2026.", "date", None, "2026-06-30"),
])
def test_a_time_after_a_numbered_item_and_a_comma_is_no_citation_date(tmp_path, text, kind, start, end):
    assert keys(rows_of(tmp_path, text)) == [(kind, start, end, None)]


@pytest.mark.parametrize("text, ends", [
    ("Sở Tư pháp chủ trì rà soát, sửa đổi quy chế, trong Quý I, II/2026.", ["2026-03-31", "2026-06-30"]),
    ("Sở Y tế tổ chức tập huấn cho cán bộ quý III và quý IV năm 2026.", ["2026-09-30", "2026-12-31"]),
    ("- Thời gian thực hiện: quý I, II và III năm 2026.", ["2026-03-31", "2026-06-30", "2026-09-30"]),
    # "trong" bounds every quarter of the list, also after the name of a plan to be drafted
    ("Sở Y tế chủ trì xây dựng kế hoạch tiêm chủng, trong Quý I, II/2026.", ["2026-03-31", "2026-06-30"]),
])
def test_a_list_of_quarters_of_one_year_is_one_row_each(tmp_path, text, ends):
    assert keys(rows_of(tmp_path, text)) == [("date", None, e, None) for e in ends]


def test_quarters_joined_by_a_dash_are_one_period(tmp_path):
    assert keys(rows_of(tmp_path, "Sở Y tế tổ chức tập huấn cho cán bộ trong Quý I - II/2026.")) == \
        [("range", "2026-01-01", "2026-06-30", None)]


def test_a_citation_date_after_a_comma_is_still_a_citation(tmp_path):
    assert rows_of(tmp_path, "Sở Y tế thực hiện theo Kế hoạch số 45, ngày 12/3/2025 của Ủy ban nhân dân tỉnh.") == []


@pytest.mark.parametrize("body, kind, start, end", [
    ("2. Năm 2026:\n- Rà soát, sửa đổi quy chế.", "year", None, "2026-12-31"),
    ("a) Giai đoạn 2026 - 2030\n- Hoàn thiện hạ tầng.", "range", "2026-01-01", "2030-12-31"),
    ("Năm 2026 tổ chức sơ kết việc thực hiện Kế hoạch.", "year", None, "2026-12-31"),
])
def test_roadmap_steps(tmp_path, body, kind, start, end):
    assert keys(rows_of(tmp_path, body)) == [(kind, start, end, None)]


@pytest.mark.parametrize("text, ends", [
    ("Sơ kết 5 năm thực hiện Nghị quyết vào năm 2027, tổng kết vào năm 2030.", ["2027-12-31", "2030-12-31"]),
    ("Liên minh Hợp tác xã tỉnh chủ trì tổ chức Hội nghị tổng kết vào cuối năm 2026.", ["2026-12-31"]),
])
def test_years_of_reviews(tmp_path, text, ends):
    assert keys(rows_of(tmp_path, text)) == [("year", None, e, None) for e in ends]


@pytest.mark.parametrize("text, ends", [
    ("Báo cáo giữa kỳ thực hiện Kế hoạch (năm 2030) và báo cáo tổng kết thực hiện Kế hoạch (năm 2035), gửi "
     "Ủy ban nhân dân tỉnh.", ["2030-12-31", "2035-12-31"]),
    ("Sở Nội vụ tổ chức sơ kết giữa kỳ năm 2028 và tổng kết năm 2030.", ["2028-12-31", "2030-12-31"]),
    ("Sơ kết 3 năm thực hiện Chương trình (năm 2028); tổng kết vào năm 2030.", ["2028-12-31", "2030-12-31"]),
])
def test_years_of_reports_and_reviews(tmp_path, text, ends):
    assert keys(rows_of(tmp_path, text)) == [("year", None, e, None) for e in ends]


def test_year_of_a_named_document_in_a_review_is_no_deadline(tmp_path):
    assert rows_of(tmp_path, "Đánh giá kết quả thực hiện Nghị quyết năm 2026 của Tỉnh ủy.") == []


def test_year_that_bounds_a_task(tmp_path):
    rows = rows_of(tmp_path, "Sở Nông nghiệp và Môi trường chủ trì, hoàn thành trong năm 2026.")
    assert keys(rows) == [("year", None, "2026-12-31", None)]
    assert rows[0][4] == "hoàn thành trong năm 2026"


# --- ranges --------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, start, end", [
    ("Thời gian thực hiện: 2023 - 2025.", "2023-01-01", "2025-12-31"),
    ("Thời gian thực hiện: giai đoạn 2026-2030.", "2026-01-01", "2030-12-31"),
    ("Thời gian thực hiện: từ năm 2026 đến năm 2028.", "2026-01-01", "2028-12-31"),
    ("Sở Nội vụ triển khai thực hiện từ tháng 10 năm 2025 đến hết tháng 3 năm 2026.", "2025-10-01", "2026-03-31"),
    ("Thời gian thực hiện: Quý IV/2025 - Quý II/2026.", "2025-10-01", "2026-06-30"),
    ("Sở Y tế tổ chức từ ngày 08 đến ngày 10 tháng 12 năm 2025.", "2025-12-08", "2025-12-10"),
    ("Sở Y tế triển khai từ tháng 01/2026.", "2026-01-01", None),
    ("Từ năm 2026, Sở Nội vụ chủ trì triển khai.", "2026-01-01", None),
])
def test_ranges(tmp_path, text, start, end):
    assert keys(rows_of(tmp_path, text)) == [("range", start, end, None)]


@pytest.mark.parametrize("body, end, quote", [
    ("3. Thời gian thực hiện:\n\nTừ nay đến hết năm 2023.", "2023-12-31", "Từ nay đến hết năm 2023"),
    ("Các sở triển khai từ ngày ban hành Kế hoạch đến ngày 30/6/2023.", "2023-06-30",
     "từ ngày ban hành Kế hoạch đến ngày 30/6/2023"),
])
def test_from_now_to_an_end_is_a_range_from_the_issue_date(tmp_path, body, end, quote):
    """'từ nay' is the day the plan is issued (HEADER: ngày 10 tháng 8 năm 2022), like 'từ nay đến khi ...'."""
    assert rows_of(tmp_path, body) == [("range", "2022-08-10", end, None, quote)]


def test_a_period_is_one_range_not_two_dates(tmp_path):
    rows = rows_of(tmp_path, "Thời gian thực hiện: 2023 - 2025.")
    assert len(rows) == 1 and rows[0][4] == "2023 - 2025"


# --- recurring -----------------------------------------------------------------------------------
@pytest.mark.parametrize("every", ["hằng", "hàng"])
def test_yearly_date_both_spellings(tmp_path, every):
    text = f"Các sở, ngành báo cáo Ủy ban nhân dân tỉnh trước ngày 15 tháng 12 {every} năm."
    rows = rows_of(tmp_path, text)
    assert keys(rows) == [("recurring", None, "--12-15", "yearly")]
    assert rows[0][4] == f"trước ngày 15 tháng 12 {every} năm"


@pytest.mark.parametrize("every", ["hằng", "hàng"])
def test_monthly_day_both_spellings(tmp_path, every):
    text = f"Ủy ban nhân dân các xã, phường báo cáo trước ngày 16 {every} tháng."
    assert keys(rows_of(tmp_path, text)) == [("recurring", None, "---16", "monthly")]


@pytest.mark.parametrize("text, recurrence", [
    ("Hằng năm, Sở Giáo dục và Đào tạo tổ chức kiểm tra.", "yearly"),
    ("- Sở Kế hoạch: Hàng năm xây dựng kế hoạch hỗ trợ.", "yearly"),
    ("Sở Nội vụ tổng hợp, báo cáo định kỳ 6 tháng.", "half_yearly"),
    ("Định kỳ hằng quý, Sở Y tế tổng hợp báo cáo Ủy ban nhân dân tỉnh.", "quarterly"),
    ("Sở Y tế báo cáo định kỳ hàng quý.", "quarterly"),
])
def test_bare_recurrence(tmp_path, text, recurrence):
    assert keys(rows_of(tmp_path, text)) == [("recurring", None, None, recurrence)]


def test_two_yearless_dates_are_two_yearly_rows(tmp_path):
    rows = rows_of(tmp_path, "Các sở báo cáo kết quả trước ngày 01/6 và 15/11 hằng năm.")
    assert keys(rows) == [("recurring", None, "--06-01", "yearly"), ("recurring", None, "--11-15", "yearly")]


def test_periodic_reports_take_the_days_that_follow(tmp_path):
    rows = rows_of(tmp_path, "Định kỳ 6 tháng, hằng năm (trước ngày 15/6 và 15/12) các sở báo cáo về Sở Nội vụ.")
    assert keys(rows) == [("recurring", None, "--06-15", "yearly"), ("recurring", None, "--12-15", "yearly")]
    assert keys(rows_of(tmp_path, "Ủy ban nhân dân các xã báo cáo hằng tháng (trước ngày 25) về Sở Nội vụ.")) == \
        [("recurring", None, "---25", "monthly")]


@pytest.mark.parametrize("text, recurrence", [
    ("Tổ chức kiểm tra 01 lần/năm tại các cơ sở.", "yearly"),
    ("Sở Y tế báo cáo 06 tháng/lần về Ủy ban nhân dân tỉnh.", "half_yearly"),
])
def test_times_per_period(tmp_path, text, recurrence):
    assert keys(rows_of(tmp_path, text)) == [("recurring", None, None, recurrence)]


def test_daily_report_before_a_clock_time(tmp_path):
    assert rows_of(tmp_path, "Sở Xây dựng tổng hợp báo cáo trước 16 giờ 00 hằng ngày.") == \
        [("recurring", None, None, "daily", "trước 16 giờ 00 hằng ngày")]


@pytest.mark.parametrize("text, quotes", [
    ("Tổng hợp nhu cầu từ cơ sở, báo cáo UBND tỉnh trước 19h00’ hằng ngày và đột xuất khi cần thiết.",
     ["trước 19h00’ hằng ngày"]),
    ("Ủy ban nhân dân các xã tổng hợp, báo cáo Sở Nông nghiệp và Môi trường hằng ngày trước 16 giờ.",
     ["hằng ngày trước 16 giờ"]),
    # two times of day are two rows (FORMAT has no time-of-day form: end stays null)
    ("Huy động nguồn lực tại chỗ; báo cáo 02 lần/ngày (trước 9h00’ và 16h00’) về tình hình cấp phát.",
     ["trước 9h00’", "16h00’"]),
    ("Trung tâm Kiểm soát bệnh tật cập nhật số liệu hằng ngày lúc 8 giờ 30 và 15 giờ 30.",
     ["hằng ngày lúc 8 giờ 30", "15 giờ 30"]),
    ("Các xã, phường báo cáo hai lần/ngày về Ban Chỉ huy.", ["hai lần/ngày"]),
])
def test_daily_reports(tmp_path, text, quotes):
    rows = rows_of(tmp_path, text)
    assert [r[4] for r in rows] == quotes
    assert {r[:4] for r in rows} == {("recurring", None, None, "daily")}


@pytest.mark.parametrize("text, quote", [
    ("Sở Y tế báo cáo tình hình dịch bệnh hằng tuần về Ủy ban nhân dân tỉnh.", "hằng tuần"),
    ("Các đơn vị gửi báo cáo nhanh về Sở Nội vụ vào thứ Sáu hằng tuần.", "vào thứ Sáu hằng tuần"),
    ("Ban Chỉ đạo giao ban hàng tuần để đánh giá tiến độ.", "hàng tuần"),
    ("- Hằng tuần, Văn phòng tổng hợp tình hình, báo cáo Chủ tịch.", "Hằng tuần"),
])
def test_weekly_reports(tmp_path, text, quote):
    assert rows_of(tmp_path, text) == [("recurring", None, None, "weekly", quote)]


@pytest.mark.parametrize("text, recurrence", [
    ("Các sở, ngành xây dựng kế hoạch triển khai trong phạm vi quản lý. Hằng năm báo cáo kết quả thực hiện "
     "về Sở Nội vụ để tổng hợp.", "yearly"),
    ("Ủy ban nhân dân các xã rà soát danh sách hộ nghèo. Hằng quý, tổng hợp báo cáo Sở Nông nghiệp và Môi trường.",
     "quarterly"),
    ("Ủy ban nhân dân các xã gửi báo cáo về Sở Nội vụ hằng quý.", "quarterly"),
])
def test_recurrence_that_opens_a_sentence_or_follows_a_report(tmp_path, text, recurrence):
    assert keys(rows_of(tmp_path, text)) == [("recurring", None, None, recurrence)]


@pytest.mark.parametrize("text", [
    "- Tổ chức tập huấn, bồi dưỡng chuyên môn, nghiệp vụ; hội thảo, tọa đàm về giáo dục, dinh dưỡng và bảo đảm "
    "an toàn cho trẻ em hàng năm.",
    "Sở Y tế: Báo cáo Ủy ban nhân dân tỉnh kết quả thực hiện hằng năm; đề xuất sửa đổi, bổ sung Kế hoạch.",
])
def test_recurrence_that_ends_a_task_sentence(tmp_path, text):
    """The task opening the sentence is done every year (its ';' list included)."""
    assert keys(rows_of(tmp_path, text)) == [("recurring", None, None, "yearly")]


@pytest.mark.parametrize("text", [
    "- Phấn đấu 100% giáo viên mầm non được bồi dưỡng chuyên môn, nghiệp vụ hàng năm.",   # a target's rate
    "- Tổ chức rà soát, xây dựng kế hoạch hàng năm.",           # the yearly plan, a noun
    "- Bố trí vốn đầu tư công hằng năm.",                       # no task verb opens it
])
def test_recurrence_that_ends_a_sentence_but_no_task(tmp_path, text):
    assert rows_of(tmp_path, text) == []


@pytest.mark.parametrize("text", [
    "Tỉnh đã đầu tư nhiều công trình. Hằng năm, tỉnh đón hơn 500 lượt khách.",
    "Người dân sử dụng dịch vụ thanh toán trong đời sống hàng ngày.",
    "Tổ chức chi trả trợ cấp xã hội cho đối tượng hàng tháng theo hợp đồng.",
    "Lồng ghép nội dung truyền thông trong báo cáo công tác giảm nghèo hàng năm của đơn vị.",
    "Bảo đảm người dân bị chia cắt được tiếp cận hỗ trợ trong giai đoạn 48-72 giờ.",
    "Trực ban 24/24 giờ trong thời gian mưa lũ.",
    "So với hằng năm trước đây, số vụ cháy giảm.",
])
def test_no_recurrence(tmp_path, text):
    assert rows_of(tmp_path, text) == []


def test_a_duration_in_hours_is_no_time_of_day(tmp_path):
    rows = rows_of(tmp_path, "Các xã cập nhật số liệu hằng ngày, báo cáo trong vòng 24 giờ.")
    assert rows == [("recurring", None, None, "daily", "hằng ngày")]


def test_a_date_due_at_a_time_quotes_the_time(tmp_path):
    assert rows_of(tmp_path, "Các xã gửi báo cáo về Sở Nội vụ trước 17 giờ ngày 25/11/2022.") == \
        [("date", None, "2022-11-25", None, "trước 17 giờ ngày 25/11/2022")]


def test_a_rate_in_a_target_is_no_recurrence(tmp_path):
    assert rows_of(tmp_path, "Người dân được khám sức khỏe định kỳ ít nhất 01 lần/năm.") == []


def test_day_without_year_in_a_plan_for_one_year_is_a_date(tmp_path):
    text = "Các xã báo cáo kết quả về Sở Nội vụ trước ngày 15/12 để tổng hợp; Sở Nội vụ tổng kết trước ngày 15/1."
    assert keys(rows_of(tmp_path, text)) == [("date", None, "2022-12-15", None), ("date", None, "2023-01-15", None)]


def test_day_without_year_in_a_plan_over_years_comes_back_every_year(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(HEADER.replace("số năm 2022", "số đến năm 2030") + "III. NHIỆM VỤ\n\n"
                    "Các xã báo cáo kết quả về Sở Nội vụ trước ngày 15/12 để tổng hợp.\n", encoding="utf-8")
    assert [(r["kind"], r["end"], r["recurrence"]) for r in _run(path).rows["deadlines"]] == \
        [("recurring", "--12-15", "yearly")]


def test_six_month_report_due_on_a_day_is_yearly(tmp_path):
    rows = rows_of(tmp_path, "Các sở báo cáo định kỳ 6 tháng (trước ngày 15/6) và hằng năm (trước ngày 15/12).")
    assert keys(rows) == [("recurring", None, "--06-15", "yearly"), ("recurring", None, "--12-15", "yearly")]


# --- ongoing and relative ------------------------------------------------------------------------
def test_ongoing(tmp_path):
    assert keys(rows_of(tmp_path, "Sở Tư pháp thường xuyên theo dõi, kiểm tra việc thực hiện.")) == \
        [("ongoing", None, None, None)]
    assert keys(rows_of(tmp_path, "Năm 2026 và các năm tiếp theo: duy trì hoạt động của Trung tâm.")) == \
        [("ongoing", "2026-01-01", None, None)]
    assert keys(rows_of(tmp_path, "Giai đoạn 2026-2030 và những năm tiếp theo, tiếp tục triển khai.")) == \
        [("ongoing", "2026-01-01", None, None)]


def test_two_expressions_in_one_phrase_are_two_rows(tmp_path):
    assert keys(rows_of(tmp_path, "Sở Y tế thực hiện thường xuyên, hằng năm.")) == \
        [("ongoing", None, None, None), ("recurring", None, None, "yearly")]


@pytest.mark.parametrize("text, quote", [
    ("Sở Tư pháp tổ chức thực hiện sau khi Nghị định hướng dẫn được ban hành.",
     "sau khi Nghị định hướng dẫn được ban hành"),
    ("Triển khai thực hiện các chính sách hỗ trợ khi được ban hành.", "khi được ban hành"),
    ("Sở Công Thương triển khai trong vòng 30 ngày kể từ ngày ký.", "trong vòng 30 ngày kể từ ngày ký"),
    ("- Báo cáo Ủy ban nhân dân tỉnh về kết quả Đợt thi đua (qua Sở Nội vụ) khi tổng kết Đợt thi đua.",
     "khi tổng kết Đợt thi đua"),
    ("Các xã gửi báo cáo kết quả khi sơ kết 3 năm thực hiện Kế hoạch.", "khi sơ kết 3 năm thực hiện Kế hoạch"),
])
def test_relative(tmp_path, text, quote):
    assert rows_of(tmp_path, text) == [("relative", None, None, None, quote)]


def test_until_an_event(tmp_path):
    rows = rows_of(tmp_path, "Thời gian thực hiện: Từ tháng 10/2025 đến khi tổ chức thành công Đại hội Đảng bộ tỉnh.")
    assert rows == [("range", "2025-10-01", None, None,
                     "Từ tháng 10/2025 đến khi tổ chức thành công Đại hội Đảng bộ tỉnh")]



@pytest.mark.parametrize("text, start", [
    ("Thời gian thực hiện: Từ tháng 10/2025 đến khi tổ chức thành công Đại hội Đảng bộ tỉnh.", "2025-10-01"),
    ("Đợt thi đua được triển khai thực hiện từ năm 2026 đến khi tổng kết Nghị quyết.", "2026-01-01"),
    # the same shape from the day the plan is issued (HEADER: ngày 10 tháng 8 năm 2022)
    ("Đợt thi đua thực hiện từ ngày ban hành Kế hoạch đến khi tổ chức thành công Đại hội.", "2022-08-10"),
    ("Các lực lượng trực 24/24 giờ từ nay đến khi kết thúc mùa mưa bão.", "2022-08-10"),
])
def test_from_a_start_until_an_event_is_an_open_range(tmp_path, text, start):
    assert keys(rows_of(tmp_path, text)) == [("range", start, None, None)]


@pytest.mark.parametrize("text", [
    "b) Ngoài ra, địa phương có thành tích xuất sắc sẽ được cộng điểm vào thi đua của Sở Y tế (sau khi được ban hành).",
    "Hộ gia đình được hỗ trợ kinh phí sau khi hoàn thành nghiệm thu công trình.",
])
def test_an_event_that_bounds_no_task_is_no_deadline(tmp_path, text):
    assert rows_of(tmp_path, text) == []


def test_a_passive_task_keeps_its_event(tmp_path):
    assert keys(rows_of(tmp_path, "Kế hoạch chi tiết sẽ được triển khai sau khi được phê duyệt.")) == \
        [("relative", None, None, None)]


def test_an_event_opening_a_task_clause_bounds_it(tmp_path):
    text = ("c) Thực hiện chi trả trợ cấp: Sau khi thực hiện mở tài khoản, Ủy ban nhân dân xã phối hợp với "
            "tổ chức chi trả ký kết hợp đồng.")
    assert rows_of(tmp_path, text) == [("relative", None, None, None, "Sau khi thực hiện mở tài khoản")]


# --- readings that must not happen ---------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Báo cáo đột xuất khi có yêu cầu của Ủy ban nhân dân tỉnh.",
    "Tổng hợp báo cáo kết quả thực hiện đột xuất hoặc định kỳ theo quy định.",
    "Phấn đấu đến năm 2030, 100% hồ sơ được số hóa.",
    "Xây dựng chương trình nâng cao năng lực quản lý đối với các tổ chức kinh tế tập thể giai đoạn 2023 - 2025.",
    "Sở Y tế thực hiện theo Kế hoạch số 45/KH-UBND ngày 12/3/2025 của Ủy ban nhân dân tỉnh.",
    "Chi thường xuyên được bố trí trong dự toán ngân sách hằng năm.",
    "Quan tâm điều chỉnh kế hoạch sử dụng đất hàng năm, tạo điều kiện tiếp cận đất đai.",
    "Tăng thu nhập thường xuyên cho thành viên.",
    "Cấp ủy coi đây là nhiệm vụ chính trị quan trọng, thường xuyên.",
    "Đề xuất sửa đổi Luật Hợp tác xã năm 2012.",
    "Xử lý kịp thời, sớm các khó khăn vướng mắc.",
    "Tỷ lệ 2/3 và 1/2 số hộ được hỗ trợ.",
    "Khi vận chuyển nhu yếu phẩm, bảo đảm an toàn cho lực lượng cứu hộ.",     # "khi" of a condition
])
def test_no_deadline(tmp_path, text):
    assert rows_of(tmp_path, text) == []


def test_target_year_in_objectives_is_not_a_deadline(tmp_path):
    body = "1. Mục tiêu cụ thể\nĐến năm 2030, toàn tỉnh có khoảng 500 hợp tác xã hoạt động hiệu quả."
    assert rows_of(tmp_path, body, section="II. MỤC TIÊU") == []


def test_a_section_of_goals_and_tasks_is_read(tmp_path):
    rows = rows_of(tmp_path, "Sở Nội vụ hoàn thành trước ngày 30/9/2026.", section="II. MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP")
    assert keys(rows) == [("date", None, "2026-09-30", None)]


def test_ongoing_in_quan_diem_is_not_a_deadline(tmp_path):
    body = "Phát triển kinh tế tập thể là nhiệm vụ thường xuyên của cả hệ thống chính trị; thường xuyên theo dõi."
    assert rows_of(tmp_path, body, section="I. QUAN ĐIỂM CHỈ ĐẠO") == []


def test_times_in_award_criteria_are_conditions_not_deadlines(tmp_path):
    body = ("3. Tiêu chuẩn khen thưởng\n\na) Đối với tập thể:\n\n+ Thường xuyên chỉ đạo, theo dõi, đôn đốc, hướng "
            "dẫn các đơn vị cấp dưới thực hiện tốt công tác bầu cử.\n\n+ Chấp hành chế độ báo cáo hằng tháng đầy đủ.")
    assert rows_of(tmp_path, body, section="III. ĐỐI TƯỢNG, NGUYÊN TẮC, HÌNH THỨC VÀ TIÊU CHUẨN KHEN THƯỞNG") == []


def test_a_heading_naming_a_time_beside_criteria_is_read(tmp_path):
    body = ("1. Đối tượng thi đua\n\nCác sở, ban, ngành, Ủy ban nhân dân các xã.\n\n2. Thời gian thi đua: "
            "từ ngày 20 tháng 11 năm 2025 đến ngày 03 tháng 12 năm 2025.")
    assert keys(rows_of(tmp_path, body, section="II. ĐỐI TƯỢNG VÀ THỜI GIAN THI ĐUA")) == \
        [("range", "2025-11-20", "2025-12-03", None)]


TASK = "1. Sở Xây dựng rà soát quỹ đất phát triển nhà ở xã hội, hoàn thành trước ngày 30/11/2025."


@pytest.mark.parametrize("opening, expected", [
    ("Thực hiện Quyết định số 444/QĐ-TTg ngày 27/02/2025 của Thủ tướng Chính phủ giao chỉ tiêu hoàn thành nhà ở "
     "xã hội năm 2025 và các năm tiếp theo đến năm 2030; để hoàn thành chỉ tiêu được giao, Ủy ban nhân dân tỉnh "
     "có ý kiến như sau:", []),
    ("Thực hiện Kết luận số 12-KL/TU ngày 03/02/2025 của Tỉnh ủy về phát triển du lịch trong giai đoạn 2025 - 2030, "
     "Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:", []),
    # after the comma the plan speaks: its own deadline stays
    ("Thực hiện Công văn số 123/BYT-DP ngày 02/01/2025 của Bộ Y tế về báo cáo kết quả tiêm chủng 6 tháng đầu năm "
     "2025, Ủy ban nhân dân tỉnh yêu cầu các sở báo cáo trước ngày 15/6/2025.", [("date", None, "2025-06-15", None)]),
])
def test_a_time_in_the_title_of_a_cited_document_is_no_deadline(tmp_path, opening, expected):
    rows = rows_of(tmp_path, TASK, section=opening + "\n\nI. NHIỆM VỤ VÀ GIẢI PHÁP")
    assert keys(rows) == expected + [("date", None, "2025-11-30", None)]


@pytest.mark.parametrize("text", [
    "Sở Y tế báo cáo kết quả thực hiện Kế hoạch số 12/KH-UBND về Sở Nội vụ trước ngày 15/12/2025.",
    "Sở Y tế báo cáo kết quả thực hiện Kế hoạch số 12/KH-UBND trước ngày 15/12/2025.",
])
def test_a_report_on_a_cited_plan_keeps_its_deadline(tmp_path, text):
    assert keys(rows_of(tmp_path, text)) == [("date", None, "2025-12-15", None)]


@pytest.mark.parametrize("code", ["45/KH-UBND", "45/2024/NĐ- CP", "71/NQ -CP", "20-NQ/TW,"])
def test_a_cited_document_date_is_no_deadline(tmp_path, code):
    assert rows_of(tmp_path, f"Sở Y tế thực hiện theo văn bản số {code} ngày 12/3/2025 của Chính phủ.") == []


def test_issue_date_and_header_are_not_deadlines(tmp_path):
    rows = rows_of(tmp_path, "Sở Tài chính hoàn thành trước ngày 30/9/2022.")
    assert keys(rows) == [("date", None, "2022-09-30", None)]     # not 2022-08-10, not the title's 2022


def test_past_period_is_not_a_deadline(tmp_path):
    assert rows_of(tmp_path, "Chào mừng kỷ niệm 80 năm Tổng tuyển cử đầu tiên (06/01/1946 - 06/01/2026).") == []
    assert rows_of(tmp_path, "Sở Nội vụ hoàn thành trước ngày 30/6/2022.") == []     # before the issue date


# --- tables --------------------------------------------------------------------------------------
def test_time_column_cells(tmp_path):
    body = ("| STT | Nhiệm vụ | Cơ quan chủ trì | Thời gian thực hiện |\n"
            "| 1 | Rà soát quy hoạch đến năm 2030 | Sở Xây dựng | Quý III Năm 2026 |\n"
            "| 2 | Ban hành quy chế | Sở Tư pháp | Sau khi có Quy chế của Trung ương |\n"
            "| 3 | Tuyên truyền | Sở Văn hóa | Thường xuyên |\n"
            "| 4 | Kiểm tra | Sở Nội vụ | Theo kế hoạch riêng |\n"
            "| 5 | Tổng kết | Sở Nội vụ | Tháng 12 hằng năm |\n")
    assert keys(rows_of(tmp_path, body, section="PHỤ LỤC")) == [
        ("date", None, "2026-09-30", None), ("relative", None, None, None), ("ongoing", None, None, None),
        ("recurring", None, "--12-31", "yearly")]


def test_time_column_cell_forms(tmp_path):
    cells = ["Năm 2026 và các năm tiếp theo", "2026", "Từ 2026", "2025 - 2027", "Nhiệm vụ thường xuyên",
             "Hàng năm", "Thường xuyên, hằng năm", "Trước ngày 30/11/2025", "Quý IV/2025- Quý II/2026",
             "Từ nay đến hết năm 2025"]
    body = "| TT | Nhiệm vụ | Chủ trì | Thời gian |\n" + "".join(
        f"| {i} | Nhiệm vụ {i} | Sở Nội vụ | {c} |\n" for i, c in enumerate(cells, 1))
    assert keys(rows_of(tmp_path, body, section="PHỤ LỤC")) == [
        ("ongoing", "2026-01-01", None, None), ("year", None, "2026-12-31", None), ("range", "2026-01-01", None, None),
        ("range", "2025-01-01", "2027-12-31", None), ("ongoing", None, None, None), ("recurring", None, None, "yearly"),
        ("ongoing", None, None, None), ("recurring", None, None, "yearly"), ("date", None, "2025-11-30", None),
        ("range", "2025-10-01", "2026-06-30", None), ("range", "2022-08-10", "2025-12-31", None)]


def test_time_cells_with_times_of_day_and_events(tmp_path):
    cells = ["Trước 16h00 hằng ngày", "Thứ Sáu hằng tuần", "02 lần/ngày (9h00 và 16h00)",
             "Trước 16h00 ngày 20/11/2025", "Từ tháng 10/2025 đến khi tổ chức thành công Đại hội",
             "Từ ngày ban hành Kế hoạch đến khi kết thúc mùa mưa bão"]
    body = "| TT | Nhiệm vụ | Chủ trì | Thời gian |\n" + "".join(
        f"| {i} | Nhiệm vụ {i} | Sở Nội vụ | {c} |\n" for i, c in enumerate(cells, 1))
    assert keys(rows_of(tmp_path, body, section="PHỤ LỤC")) == [
        ("recurring", None, None, "daily"), ("recurring", None, None, "weekly"),
        ("recurring", None, None, "daily"), ("recurring", None, None, "daily"), ("date", None, "2025-11-20", None),
        ("range", "2025-10-01", None, None), ("range", "2022-08-10", None, None)]


def test_only_the_time_column_is_read(tmp_path):
    body = ("| TT | Nội dung | Cơ quan chủ trì | Thời gian hoàn thành | Sản phẩm |\n"
            "| 1 | Rà soát quy chế | Sở Tư pháp | 2026 | Báo cáo năm 2025 |\n"
            "| 2 | Tổng kết | Sở Nội vụ | Theo Kế hoạch riêng | 2027 |\n")
    assert keys(rows_of(tmp_path, body, section="PHỤ LỤC")) == [("year", None, "2026-12-31", None)]


def test_a_row_that_swallowed_the_next_one_gives_both_cells(tmp_path):
    # a page break lost between rows 1 and 2: one line with the cells of both
    body = ("| TT | Nội dung | Cơ quan chủ trì | Thời gian | Sản phẩm |\n"
            "| 1 | Ban hành Quy chế | Sở Xây dựng | Sau khi có Quy chế của Trung ương | Quyết định | …… | 2 "
            "| Thành lập Quỹ | Sở Tài chính | 2026 | Quyết định |\n"
            "| 3 | Kiểm tra | Sở Nội vụ | Thường xuyên | Báo cáo |\n")
    rows = rows_of(tmp_path, body, section="PHỤ LỤC")
    assert keys(rows) == [("relative", None, None, None), ("year", None, "2026-12-31", None),
                          ("ongoing", None, None, None)]
    assert [r[4] for r in rows] == ["Sau khi có Quy chế của Trung ương", "2026", "Thường xuyên"]


def test_a_header_stating_a_time_is_no_time_column(tmp_path):
    body = ("| Nội dung | Thời gian: 2026 |\n"
            "| Rà soát | 2027 |\n")
    assert rows_of(tmp_path, body, section="PHỤ LỤC") == []


def test_table_without_time_column_gives_nothing(tmp_path):
    body = ("| STT | Chỉ tiêu | Đơn vị chủ trì |\n"
            "| 1 | Đến năm 2030 có 100 hợp tác xã | Sở Nông nghiệp và Môi trường |\n")
    assert rows_of(tmp_path, body, section="PHỤ LỤC") == []


# --- the development plans -----------------------------------------------------------------------
def _k(doc):
    return [(r["kind"], r["start"], r["end"], r["recurrence"]) for r in doc.rows["deadlines"]]


def test_plan_000(gold_docs):
    doc = gold_docs["000"]
    assert _k(doc) == [("ongoing", None, None, None), ("recurring", None, "--12-15", "yearly"),
                       ("ongoing", None, None, None)]
    assert [r["quote"] for r in doc.rows["deadlines"]] == [
        "Thường xuyên", "trước ngày 15 tháng 12\nhàng năm", "thường xuyên"]


def test_plan_001_time_column_gives_one_row_per_cell(gold_docs):
    rows = gold_docs["001"].rows["deadlines"]
    cells = [r for r in rows if r["char_start"] > gold_docs["001"].raw.index("Thời gian thực hiện |")]
    assert [(r["kind"], r["start"], r["end"]) for r in cells] == [
        ("ongoing", None, None), *[("range", "2023-01-01", "2025-12-31")] * 3, ("ongoing", None, None),
        *[("range", "2023-01-01", "2025-12-31")] * 2, ("ongoing", None, None), ("ongoing", None, None),
        ("year", None, "2023-12-31"), ("range", "2023-01-01", None)]
    assert [r["quote"] for r in cells][-2:] == ["2023", "Từ 2023"]


def test_plan_002_relative_and_ongoing(gold_docs):
    assert [(r["kind"], r["quote"]) for r in gold_docs["002"].rows["deadlines"]] == [
        ("relative", "khi được ban hành"), ("relative", "khi chính sách được ban hành"),
        ("ongoing", "thường xuyên")]


def test_plan_004_recurrence_and_date_in_one_clause_are_one_row(gold_docs):
    rows = gold_docs["004"].rows["deadlines"]
    assert [(r["kind"], r["end"], r["recurrence"]) for r in rows] == [
        ("year", "2019-12-31", None), ("ongoing", None, None), ("recurring", "--12-10", "yearly"),
        ("recurring", "--12-15", "yearly")]
    assert rows[2]["quote"] == "định kỳ hằng năm gửi Liên minh HTX tỉnh trước ngày 10 tháng 12"


def test_ids_in_text_order_and_quotes_are_raw_slices(gold_docs):
    for doc in gold_docs.values():
        rows = doc.rows["deadlines"]
        assert [r["deadline_id"] for r in rows] == [f"D{i}" for i in range(1, len(rows) + 1)]
        assert [r["char_start"] for r in rows] == sorted(r["char_start"] for r in rows)
        for r in rows:
            assert doc.raw[r["char_start"]:r["char_end"]] == r["quote"]


def test_spelling_variants_live_in_the_lexicon():
    from pipeline.lexicon import lexicon
    t = lexicon("time")
    assert {"hằng", "hàng"} <= set(t["every"])
    assert t["quarter_numbers"]["ii"] == t["quarter_numbers"]["2"] == 2
    assert t["recurrence_units"]["quý"] == "quarterly"


# --- benchmark ---------------------------------------------------------------------------------
def _bench():
    import importlib.util
    from conftest import ROOT
    spec = importlib.util.spec_from_file_location("bench_deadlines", ROOT / "scripts" / "bench_deadlines.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_bench_scores_the_product_against_gold(capsys):
    assert _bench().main(["--no-reference", "--json"]) == 0
    import json
    report = json.loads(capsys.readouterr().out)
    assert report["scores"]["product"]["strict"]["f1"] >= 0.95
    assert "dateparser" not in report["scores"]


def test_bench_says_how_to_install_dateparser(monkeypatch):
    import builtins
    real_import = builtins.__import__

    def no_dateparser(name, *args, **kwargs):
        if name.startswith("dateparser"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)
    monkeypatch.setattr(builtins, "__import__", no_dateparser)
    with pytest.raises(SystemExit, match="dateparser is not installed"):
        _bench()._dateparser()


def test_case_insensitive_patterns_need_no_full_case_folding():
    """The patterns match with simple case folding (fast); that equals full folding as long as no
    pattern spells what a single character folds to (ß -> 'ss', ﬁ -> 'fi', ﬆ -> 'st')."""
    import sys

    import regex

    import extractors.deadlines as d
    multi = {f for f in (chr(i).casefold() for i in range(sys.maxunicode + 1)
                         if not 0xD800 <= i < 0xE000) if len(f) > 1}
    for name, p in vars(d).items():
        if isinstance(p, regex.Pattern) and p.flags & regex.I:
            assert not p.flags & regex.V1, name
            assert not any(f in p.pattern.casefold() for f in multi), name


def test_cue_test_reads_the_casefolded_document_like_each_paragraph():
    """The paragraph gate gives the same answer from the document casefolded once as from each
    paragraph alone; a text whose casefolding moves offsets (ß -> ss) is read paragraph by paragraph."""
    from extractors.deadlines import _casefolded, _has_time_cue
    lines = ["Báo cáo ĐỊNH KỲ 6 tháng", "HẰNG NĂM tổ chức hội nghị", "Khi cần thiết", "Ngân hàng chính sách",
             "bình thường", "nửa cuối", "Không có gì", "06 THÁNG một lần", "Sáu tháng", "thường  xuyên"]
    text = "\n".join(lines)
    low = _casefolded(text)
    assert low is not None and _casefolded("Straße") is None
    pos = 0
    for line in lines:
        a, b = pos, pos + len(line)
        assert _has_time_cue(text, a, b, low) == _has_time_cue(text, a, b), line
        pos = b + 1
    assert [_has_time_cue(t, 0, len(t)) for t in ("Straße hằng tuần", "Straße hàng hóa")] == [True, False]


def test_capitals_counts_letters_only():
    from extractors.deadlines import _capitals
    assert _capitals("KẾ HOẠCH TRIỂN KHAI NĂM 2025")
    assert not _capitals("Kế hoạch triển khai năm 2025")
    assert not _capitals("ABCDEFGH 12345")                     # 8 letters are too few
    assert not _capitals("ⅫⅫⅫⅫⅫⅫⅫⅫⅫⅫ abcdefghij")           # capital numerals are no letters
    assert _capitals("ABCDEFGHIJKLMNOPQ rst")                  # 17 of 20


def test_cues_read_in_the_casefolded_document_find_what_the_text_patterns_find():
    """A cue read in the casefolded document (L_..., the standard library on a lower-case pattern)
    finds at least what its case-insensitive pattern (G_...) finds in the text: every character the
    latter takes for a letter of the cue casefolds to that letter, or to several characters (İ -> i̇),
    and then the document is not read casefolded. (The standard library's \\s and \\d take at least
    the characters the regex module's do.)"""
    import sys

    import regex

    import extractors.deadlines as d
    every = "".join(chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i < 0xE000)
    pairs = [(getattr(d, "G_" + n[2:]), p) for n, p in vars(d).items() if n.startswith("L_")]
    assert pairs
    for g, p in pairs:
        assert g.pattern == p.pattern and g.flags & regex.I and p.pattern == p.pattern.casefold()
        for letter in {ch for ch in p.pattern if ch.isalpha()}:
            for c in regex.compile(regex.escape(letter), regex.I).findall(every):
                assert c.casefold() == letter or len(c.casefold()) > 1, (p.pattern, letter, c)
    assert d._casefolded("Ngày 1 tháng 2") is not None and d._casefolded("GİỜ") is None


def test_capitals_shortcut_says_what_the_counts_say():
    """The ASCII small letters shortcut never changes the answer of the letter counts."""
    import random

    from extractors.deadlines import _capitals

    def counted(head):
        letters = "".join(filter(str.isalpha, head))
        return len(letters) > 8 and sum(map(str.isupper, letters)) / len(letters) > 0.8

    rng = random.Random(7)
    alphabet = "abcxyzABCXYZđĐếẾờỜ  12,.Ⅻßǅ"
    for _ in range(20000):
        head = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 60)))
        head = head.upper() if rng.random() < 0.3 else head
        assert _capitals(head) == counted(head), head


def test_patterns_read_in_the_casefolded_document_match_what_they_match_in_the_text():
    """The core patterns run on the casefolded document without case folding (FOLDED): a character
    of the text matches a letter of a pattern case-insensitively exactly when its casefolded form
    matches it, and casefolding changes no character's class (letter, digit, space, word), but for
    the characters of a document that is not read casefolded (several letters: ß -> ss; ͅ -> ι)."""
    import sys

    import regex

    import extractors.deadlines as d
    chars = [chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i < 0xE000]
    kept = [c for c in chars if len(c.casefold()) == 1 and c not in d.FOLD_CHANGES_CLASS]
    changed = [c for c in kept if c != c.casefold()]
    for cls in (r"\p{L}", r"\d", r"\s", r"\w"):
        p = regex.compile(cls)
        assert [c for c in changed if bool(p.fullmatch(c)) != bool(p.fullmatch(c.casefold()))] == [], cls
    text = "".join(kept)
    low = text.casefold()
    assert len(low) == len(text)
    escapes = regex.compile(r"\\[pP]\{[^}]*\}|\\.")
    for p, q in d.FOLDED.items():
        assert q.pattern == p.pattern and p.flags & regex.I
        for letter in {c for c in escapes.sub("", p.pattern) if c.isalpha()}:
            one_p = regex.compile(regex.escape(letter), p.flags)
            one_q = regex.compile(regex.escape(letter), q.flags)
            assert [m.start() for m in one_p.finditer(text)] == [m.start() for m in one_q.finditer(low)], letter
    assert d._casefolded("Ngày 1 tháng 2") is not None
    assert d._casefolded("GİỜ") is None and d._casefolded("a\u0345") is None


def test_time_expressions_are_the_same_read_casefolded_or_not(gold_docs):
    """Every paragraph of the plans gives the same candidates from the document casefolded (folded
    patterns, cue tests) as from the text with every case-insensitive pattern (what a document that
    cannot be read casefolded gets); upper-cased, the same again."""
    from extractors.deadlines import _casefolded, _cores

    def cands(text, a, b, low):
        return [(c.start, c.end, c.kind, c.p_start, c.p_end, c.recurrence, c.core) for c in _cores(text, a, b, low)]

    for doc in gold_docs.values():
        for text in (doc.text, doc.text.upper()):
            low = _casefolded(text)
            assert low is not None
            for a, b in doc.paragraphs:
                assert cands(text, a, b, low) == cands(text, a, b, None), text[a:b]



def test_time_expressions_are_the_same_gated_or_not_on_random_text():
    """The cue gates of `_cores` (a word each pattern cannot match without) never drop a match: on
    random text made of the patterns' words, figures and separators, the candidates are those of
    every pattern run ungated."""
    import random

    from extractors.deadlines import _casefolded, _cores
    words = ["ngày", "tháng", "năm", "quý", "Quý", "từ", "đến", "tới", "hết", "khi", "khích", "sau", "trước",
             "định", "kỳ", "Định kỳ", "hằng", "hàng", "mỗi", "lần", "một", "6", "06", "sáu", "nửa", "đầu",
             "cuối", "các", "những", "tiếp", "theo", "và", "hoặc", "thường", "xuyên", "THƯỜNG XUYÊN", "trong",
             "chậm", "nhất", "giờ", "h", "tuần", "ký", "ban", "hành", "nay", "quy", "II", "IV", "báo", "cáo",
             "2025", "2026", "2030", "15", "3", "12", "1", "9h00", "16", "/", "-", "–", ".", ",", ";", "\t", "\n"]
    rng = random.Random(11)

    def cands(text, a, b, low):
        return [(c.start, c.end, c.kind, c.p_start, c.p_end, c.recurrence, c.core) for c in _cores(text, a, b, low)]

    for _ in range(3000):
        text = " ".join(rng.choice(words) for _ in range(rng.randrange(1, 30)))
        low = _casefolded(text)
        a, b = rng.randrange(0, 3), len(text) - rng.randrange(0, 3)
        assert cands(text, a, b, low) == cands(text, a, b, None), text


@pytest.mark.parametrize("sentence, expected", [
    ("định kỳ 6 tháng, 01 năm báo cáo kết quả", [("half_yearly", "định kỳ 6 tháng"), ("yearly", "01 năm")]),
    ("định kỳ hằng quý, 6 tháng, năm báo cáo kết quả",
     [("quarterly", "định kỳ hằng quý"), ("half_yearly", "6 tháng"), ("yearly", "năm")]),
    ("báo cáo định kỳ 6 tháng và năm", [("half_yearly", "định kỳ 6 tháng"), ("yearly", "năm")]),
    # a year after the comma is a date, not a period
    ("báo cáo định kỳ 6 tháng, năm 2026 tổng kết", [("half_yearly", "định kỳ 6 tháng")]),
])
def test_a_list_of_reporting_periods_is_one_row_each(tmp_path, sentence, expected):
    from test_assignments import plan
    doc = plan(tmp_path, f"1. Các sở, ngành {sentence} về Sở Nội vụ.")
    assert [(r["recurrence"], r["quote"]) for r in doc.rows["deadlines"]] == expected


def test_last_break_searched_backwards_is_where_a_forward_scan_ends():
    """The `..._LAST` patterns (searched backwards) end where the last match of a forward scan of
    the same span ends, on random text of breaks, spaces and letters and in the plans."""
    import random

    import extractors.deadlines as d

    pairs = [(d.P_CLAUSE_BREAK, d.P_CLAUSE_BREAK_LAST), (d.P_HARD_BREAK, d.P_HARD_BREAK_LAST),
             (d.P_SENT_END, d.P_SENT_END_LAST), (d.P_TASK_START, d.P_TASK_START_LAST)]

    def same(text, lo, hi):
        for forward, backward in pairs:
            ends = [m.end() for m in forward.finditer(text, lo, hi)]
            m = backward.search(text, lo, hi)
            assert (m.end() if m else None) == (ends[-1] if ends else None), (forward.pattern, text[lo:hi])

    rng = random.Random(3)
    alphabet = list(".;:!?| \n\t\u00a0\x1cabĐ1")
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 16)))
        lo = rng.randrange(0, len(text) + 1)
        same(text, lo, rng.randrange(lo, len(text) + 1))
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(Path(doc_path("000")).parent.glob("*.txt")))
    for pos in range(0, len(text), 97):
        same(text, max(0, pos - 600), pos)

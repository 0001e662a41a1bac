"""QA scoring rules (gold/FORMAT.md "Scored:") on small hand-made gold files."""
import json

import pandas as pd
import pytest

from pipeline.gold import QuoteLocator, fold_heading, fold_name, load_gold
from pipeline.qa import score

RAW = """ỦY BAN NHÂN DÂN
TỈNH AN PHÚ
Số: 12 /KH-UBND

KẾ HOẠCH
Phát triển hợp tác xã năm 2026

I. MỤC TIÊU
1. Mục tiêu chung:
Đến năm 2030, toàn tỉnh có khoảng 500 hợp tác xã; tỷ lệ hợp tác xã hoạt động
hiệu quả đạt trên 80%. Mỗi năm thành lập mới ít nhất 20 hợp tác xã.
II. TỔ CHỨC THỰC HIỆN
1. **Sở Tài chính** chủ trì, phối hợp với Sở Nông nghiệp và Môi trường tham mưu bố trí kinh phí;
báo cáo trước ngày 15 tháng 12 hằng năm.
2. Uỷ ban nhân dân các xã, phường phối hợp với Liên minh Hợp tác xã tỉnh triển khai thực hiện thường xuyên.
| Sở Tài chính | 500 hợp tác xã |
"""


def span_of(text, raw=RAW, nth=0):
    """Raw span of the nth occurrence of a verbatim piece of RAW."""
    pos = -1
    for _ in range(nth + 1):
        pos = raw.index(text, pos + 1)
    return pos, pos + len(text)


def gold_json(**tables):
    data = {"doc_id": "t1", "document": {"doc_number": "12/KH-UBND", "doc_type": "ke_hoach",
                                         "issuer": "Ủy ban nhân dân tỉnh An Phú", "province": "An Phú",
                                         "issue_date": None, "signer": None, "implements": []},
            "sections": [], "targets": [], "agencies": [], "assignments": [], "deadlines": []}
    data.update(tables)
    return data


@pytest.fixture
def dirs(tmp_path):
    raw_dir, gold_dir = tmp_path / "raw", tmp_path / "gold"
    raw_dir.mkdir()
    gold_dir.mkdir()
    (raw_dir / "t1.txt").write_text(RAW, encoding="utf-8")
    return raw_dir, gold_dir


def scored(dirs, gold, pred):
    raw_dir, gold_dir = dirs
    (gold_dir / "t1.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    docs, problems = load_gold(gold_dir, raw_dir)
    assert problems == [], [str(p) for p in problems]
    return score(docs, {"t1": pred})


def statuses(res, table):
    return sorted(d["status"] for d in res.diffs if d["table"] == table)


# --- normalization ---------------------------------------------------------------------------
@pytest.mark.parametrize("a,b", [
    ("Ủy ban nhân dân tỉnh", "Uỷ ban nhân dân tỉnh"),
    ("Hòa Bình", "Hoà Bình"),
    ("khóa học", "khoá học"),
    ("Nguyễn Thị Thúy", "nguyễn thị  thuý"),
    ("Sở Khoa học và Công nghệ", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"),
    ("Hội Liên hiệp Phụ nữ\ntỉnh", "Hội Liên hiệp Phụ nữ tỉnh"),
])
def test_fold_name_unifies_case_space_and_tone_placement(a, b):
    assert fold_name(a) == fold_name(b)


@pytest.mark.parametrize("a,b", [("hoa", "hòa"), ("Sở Tài chính", "Sở Tài chánh"), ("thủy", "thụy")])
def test_fold_name_keeps_different_words_apart(a, b):
    assert fold_name(a) != fold_name(b)


def test_fold_heading_drops_trailing_punctuation_only():
    assert fold_heading("Mục tiêu chung:") == fold_heading("MỤC TIÊU  CHUNG")
    assert fold_heading("Mục tiêu chung.") == "mục tiêu chung"
    assert fold_heading("Mục tiêu, chung") != fold_heading("Mục tiêu chung")


def test_quote_locator_ignores_markup_and_line_breaks():
    loc = QuoteLocator(RAW)
    [(a, b)] = loc.find_all("Sở Tài chính chủ trì, phối hợp với Sở Nông nghiệp và Môi trường tham mưu bố trí kinh phí; "
                            "báo cáo trước ngày 15")
    assert RAW[a:b].startswith("Sở Tài chính**") and RAW[a:b].endswith("trước ngày 15")
    [(a, b)] = loc.find_all("hoạt động hiệu quả đạt trên 80%")
    assert "\n" in RAW[a:b]
    assert len(loc.find_all("500 hợp tác xã")) == 2      # body and table: both occurrences kept
    assert loc.find_all("1.000 hợp tác xã") == []


# --- sections --------------------------------------------------------------------------------
def test_sections_match_on_number_level_and_normalized_heading(dirs):
    gold = gold_json(sections=[
        {"number": "I", "heading": "MỤC TIÊU", "kind": "muc_tieu", "level": 1},
        {"number": "1", "heading": "Mục tiêu chung", "kind": "muc_tieu", "level": 2},
        {"number": "II", "heading": "TỔ CHỨC THỰC HIỆN", "kind": "to_chuc_thuc_hien", "level": 1},
    ])
    pred = {"sections": [
        {"number": "I", "heading": "MỤC TIÊU", "kind": "muc_tieu", "level": 1, "char_start": 82},
        {"number": "1", "heading": "Mục tiêu chung:", "kind": "other", "level": 2},   # kind wrong
        {"number": "II", "heading": "TỔ CHỨC THỰC HIỆN", "kind": "to_chuc_thuc_hien", "level": 2},  # level wrong
    ]}
    res = scored(dirs, gold, pred)
    s = res.tables["sections"]
    assert (s["gold_found"], s["predicted_right"], s["gold"], s["predicted"]) == (2, 2, 3, 3)
    assert s["f1"] == pytest.approx(2 / 3)
    assert res.accuracy["section_kind"] == {"accuracy": 0.5, "right": 1, "total": 2}
    assert statuses(res, "sections") == ["mismatched", "missing", "spurious"]


# --- targets ---------------------------------------------------------------------------------
T500 = {"quote": "khoảng 500 hợp tác xã", "value": 500, "value_max": None, "unit": "hợp tác xã",
        "comparator": "approx", "target_year": 2030, "per_year": False}
T80 = {"quote": "đạt trên 80%", "value": 80, "value_max": None, "unit": "%", "comparator": "gte",
       "target_year": 2030, "per_year": False}
T20 = {"quote": "ít nhất 20 hợp tác xã", "value": 20, "value_max": None, "unit": "hợp tác xã",
       "comparator": "gte", "target_year": None, "per_year": True}


def pred_target(gold_row, quote=None, nth=0, **changes):
    row = {k: v for k, v in gold_row.items() if k != "quote"}
    row["value"] = float(row["value"])
    a, b = span_of(quote or gold_row["quote"], nth=nth)
    row.update(char_start=a, char_end=b, quote=RAW[a:b])
    row.update(changes)
    return row


def test_targets_exact_match_scores_one(dirs):
    res = scored(dirs, gold_json(targets=[T500, T80, T20]),
                 {"targets": [pred_target(T500), pred_target(T80), pred_target(T20)]})
    assert res.tables["targets"]["f1"] == 1.0
    assert res.accuracy["comparator"]["accuracy"] == 1.0
    assert res.accuracy["per_year"]["accuracy"] == 1.0
    assert statuses(res, "targets") == []


def test_targets_missing_spurious_and_mismatched(dirs):
    pred = [pred_target(T500),
            pred_target(T80, target_year=2026),                  # right evidence, wrong year
            pred_target(T500, quote="2026", value=2026.0, unit="năm")]   # a date taken as a target
    res = scored(dirs, gold_json(targets=[T500, T80, T20]), {"targets": pred})
    t = res.tables["targets"]
    assert (t["gold_found"], t["gold"], t["predicted_right"], t["predicted"]) == (1, 3, 1, 3)
    assert t["precision"] == pytest.approx(1 / 3) and t["recall"] == pytest.approx(1 / 3)
    assert statuses(res, "targets") == ["mismatched", "missing", "spurious"]
    mism = next(d for d in res.diffs if d["status"] == "mismatched")
    assert "target_year" in mism["note"] and json.loads(mism["gold"])["target_year"] == 2030
    assert json.loads(mism["predicted"])["target_year"] == 2026


def test_targets_match_without_overlap_on_fields_and_comparator_accuracy(dirs):
    # value/unit/year equal: matches even though the predicted span is elsewhere; comparator is wrong
    pred = [pred_target(T500, quote="Mỗi năm thành lập", comparator="eq")]
    res = scored(dirs, gold_json(targets=[T500]), {"targets": pred})
    assert res.tables["targets"]["f1"] == 1.0
    assert res.accuracy["comparator"] == {"accuracy": 0.0, "right": 0, "total": 1}


def test_targets_duplicates_are_one_to_one_and_prefer_overlapping_pairs(dirs):
    body = dict(T500, comparator="approx")
    table = dict(T500, quote="| 500 hợp tác xã |", comparator="eq")
    # two gold mentions with equal fields; predicted in reverse order: pairing must follow the evidence
    pred = [pred_target(table, quote="500 hợp tác xã", nth=1), pred_target(body)]
    res = scored(dirs, gold_json(targets=[body, table]), {"targets": pred})
    assert res.tables["targets"]["f1"] == 1.0
    assert res.accuracy["comparator"]["accuracy"] == 1.0
    res = scored(dirs, gold_json(targets=[body]), {"targets": pred})
    assert res.accuracy["comparator"]["accuracy"] == 1.0     # paired with the row at its own evidence
    assert [d["char_start"] for d in res.diffs if d["status"] == "spurious"] == [span_of("500 hợp tác xã", nth=1)[0]]
    # a duplicated prediction is spurious, a duplicated gold row is missing
    res = scored(dirs, gold_json(targets=[body]), {"targets": [pred_target(body), pred_target(body)]})
    t = res.tables["targets"]
    assert (t["precision"], t["recall"]) == (0.5, 1.0)
    res = scored(dirs, gold_json(targets=[body, body]), {"targets": [pred_target(body)]})
    t = res.tables["targets"]
    assert (t["precision"], t["recall"]) == (1.0, 0.5)
    assert statuses(res, "targets") == ["missing"]


def test_target_values_compare_as_floats_and_nulls(dirs):
    g = dict(T80, value=70, value_max=85, comparator="range")
    res = scored(dirs, gold_json(targets=[g]), {"targets": [pred_target(g, value=70.0000000001, value_max=85.0)]})
    assert res.tables["targets"]["f1"] == 1.0
    res = scored(dirs, gold_json(targets=[g]), {"targets": [pred_target(g, value_max=None)]})
    assert res.tables["targets"]["f1"] == 0.0


# --- agencies --------------------------------------------------------------------------------
def test_agencies_are_a_set_of_normalized_names(dirs):
    gold = gold_json(agencies=[
        {"name": "Sở Tài chính", "aliases": [], "level": "tinh"},
        {"name": "Ủy ban nhân dân cấp xã", "aliases": ["Uỷ ban nhân dân các xã, phường"], "level": "xa"},
        {"name": "Liên minh Hợp tác xã tỉnh", "aliases": [], "level": "doan_the"},
    ])
    pred = {"agencies": [
        {"name": "sở tài chính", "level": "tinh"},
        {"name": "Sở Tài chính", "level": "tinh"},                 # duplicate name counts once
        {"name": "Uỷ ban nhân dân cấp xã", "level": "huyen"},     # old-style tone, other level: still a match
        {"name": "Sở Nội vụ", "level": "tinh"},
    ]}
    res = scored(dirs, gold, pred)
    a = res.tables["agencies"]
    assert (a["gold_found"], a["gold"], a["predicted"]) == (2, 3, 3)
    assert a["precision"] == pytest.approx(2 / 3) and a["recall"] == pytest.approx(2 / 3)
    assert statuses(res, "agencies") == ["mismatched", "missing", "spurious"]   # mismatched = level only


# --- assignments -----------------------------------------------------------------------------
Q1 = "Sở Tài chính chủ trì, phối hợp với Sở Nông nghiệp và Môi trường tham mưu bố trí kinh phí"
Q2 = "Uỷ ban nhân dân các xã, phường phối hợp với Liên minh Hợp tác xã tỉnh triển khai thực hiện"
A_GOLD = [
    {"quote": Q1, "agency": "Sở Tài chính", "role": "chu_tri"},
    {"quote": Q1, "agency": "Sở Nông nghiệp và Môi trường", "role": "phoi_hop"},
    {"quote": Q2, "agency": "Liên minh Hợp tác xã tỉnh", "role": "chu_tri"},
    {"quote": Q2, "agency": "Ủy ban nhân dân cấp xã", "role": "phoi_hop"},
]


def pred_assignment(agency, role, start, end):
    return {"agency": agency, "role": role, "char_start": start, "char_end": end, "quote": RAW[start:end]}


def test_assignments_overlap_agency_and_role(dirs):
    a1, b1 = span_of("chủ trì, phối hợp với Sở Nông nghiệp")   # partial overlap is enough
    a2, b2 = span_of("Uỷ ban nhân dân các xã, phường phối hợp")
    pred = [pred_assignment("Sở Tài chính", "chu_tri", a1, b1),
            pred_assignment("Sở Tài chính", "chu_tri", a1 - 3, b1),          # second row on the same gold: right too
            pred_assignment("Sở Nông nghiệp và Môi trường", "chu_tri", a1, b1),   # wrong role
            pred_assignment("Uỷ ban nhân dân cấp xã", "phoi_hop", a2, b2),   # old-style tone in the agency
            pred_assignment("Liên minh Hợp tác xã tỉnh", "chu_tri", *span_of("Mỗi năm thành lập"))]   # elsewhere
    res = scored(dirs, gold_json(assignments=A_GOLD), {"assignments": pred})
    a = res.tables["assignments"]
    assert (a["gold_found"], a["gold"]) == (2, 4)
    assert (a["predicted_right"], a["predicted"]) == (3, 5)
    assert statuses(res, "assignments") == ["mismatched", "missing", "spurious"]
    mism = next(d for d in res.diffs if d["status"] == "mismatched")
    assert json.loads(mism["gold"])["role"] == "phoi_hop" and json.loads(mism["predicted"])["role"] == "chu_tri"


def test_assignment_with_right_span_and_role_but_unexpanded_agency_is_mismatched(dirs):
    a, b = span_of("chủ trì, phối hợp với Sở Nông nghiệp và Môi trường")
    pred = [pred_assignment("Sở Tài chính", "chu_tri", a, b),
            pred_assignment("Sở NN&MT", "phoi_hop", a, b)]
    res = scored(dirs, gold_json(assignments=A_GOLD[:2]), {"assignments": pred})
    a = res.tables["assignments"]
    assert (a["gold_found"], a["predicted_right"]) == (1, 1)
    [d] = [d for d in res.diffs if d["table"] == "assignments"]
    assert d["status"] == "mismatched" and d["note"] == "same evidence and role; agency differs"
    assert json.loads(d["predicted"])["agency"] == "Sở NN&MT"


def test_assignment_span_longer_than_2000_matches_nothing(dirs):
    raw_dir, _ = dirs
    long_raw = RAW + "x" * 2100
    (raw_dir / "t1.txt").write_text(long_raw, encoding="utf-8")
    pred = [pred_assignment("Sở Tài chính", "chu_tri", 0, 2001)]
    res = scored(dirs, gold_json(assignments=A_GOLD[:1]), {"assignments": pred})
    assert res.tables["assignments"]["f1"] == 0.0
    pred = [pred_assignment("Sở Tài chính", "chu_tri", 0, 2000)]
    res = scored(dirs, gold_json(assignments=A_GOLD[:1]), {"assignments": pred})
    assert res.tables["assignments"]["f1"] == 1.0


# --- deadlines -------------------------------------------------------------------------------
D_GOLD = [
    {"id": "D1", "quote": "trước ngày 15 tháng 12 hằng năm", "kind": "recurring", "start": None,
     "end": "--12-15", "recurrence": "yearly"},
    {"id": "D2", "quote": "thường xuyên", "kind": "ongoing", "start": None, "end": None, "recurrence": None},
]


def test_deadlines_one_to_one_on_kind_start_end_recurrence(dirs):
    a, b = span_of("trước ngày 15 tháng 12 hằng năm")
    c, d = span_of("thường xuyên")
    pred = [{"deadline_id": "D1", "kind": "recurring", "start": None, "end": "--12-15", "recurrence": "yearly",
             "char_start": a, "char_end": b},
            {"deadline_id": "D2", "kind": "recurring", "start": None, "end": None, "recurrence": "yearly",
             "char_start": c, "char_end": d}]
    res = scored(dirs, gold_json(deadlines=D_GOLD), {"deadlines": pred})
    t = res.tables["deadlines"]
    assert (t["gold_found"], t["predicted_right"]) == (1, 1) and t["f1"] == 0.5
    assert statuses(res, "deadlines") == ["mismatched"]


# --- documents -------------------------------------------------------------------------------
def test_document_field_accuracy(dirs):
    pred = {"documents": [{"doc_number": "12/KH-UBND", "doc_type": "ke_hoach",
                           "issuer": "Uỷ ban nhân dân tỉnh An Phú", "province": "An Phú", "issue_date": None,
                           "signer": "Nguyễn Văn A", "implements": None}]}
    res = scored(dirs, gold_json(), pred)
    acc = res.accuracy
    assert acc["documents.issuer"]["accuracy"] == 1.0      # tone placement unified
    assert acc["documents.signer"]["accuracy"] == 0.0
    assert acc["documents.implements"]["accuracy"] == 1.0  # [] and null both mean none
    assert acc["documents"]["right"] == 6 and acc["documents"]["total"] == 7


# --- gold problems ---------------------------------------------------------------------------
def test_bad_gold_is_reported_with_file_and_row_and_the_rest_scored(dirs):
    raw_dir, gold_dir = dirs
    (gold_dir / "broken.json").write_text('{"doc_id": "broken", "targets": [', encoding="utf-8")
    (gold_dir / "no_raw.json").write_text(json.dumps(gold_json()), encoding="utf-8")
    bad = gold_json(
        targets=[T500, dict(T80, comparator="greater"), dict(T20, quote="ít nhất 25 hợp tác xã"),
                 dict(T500, value="500")],
        assignments=[A_GOLD[0], dict(A_GOLD[1], role="lead"), dict(A_GOLD[2], quote="Sở Xây dựng chủ trì")],
    )
    (gold_dir / "t1.json").write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    docs, problems = load_gold(gold_dir, raw_dir)
    msgs = [str(p) for p in problems]
    assert any("broken.json" in m and "invalid JSON at line 1" in m for m in msgs)
    assert any("no_raw.json" in m and "no raw document" in m for m in msgs)
    assert any("t1.json: targets[1]" in m and "unknown comparator 'greater'" in m for m in msgs)
    assert any("t1.json: assignments[1]" in m and "unknown role 'lead'" in m for m in msgs)
    assert any("t1.json: targets[2]" in m and "quote not found" in m for m in msgs)
    assert any("t1.json: targets[3]" in m and "'500' is a str, not a number" in m for m in msgs)
    assert any("t1.json: assignments[2]" in m and "quote not found" in m for m in msgs)
    assert list(docs) == ["t1"]
    assert len(docs["t1"].rows["targets"]) == 2        # the unlocated target still scores on its fields
    assert len(docs["t1"].rows["assignments"]) == 1
    res = score(docs, {"t1": {"targets": [pred_target(T500)]}}, problems)
    assert res.tables["targets"]["gold"] == 2 and res.tables["targets"]["gold_found"] == 1


# --- reports and command line ----------------------------------------------------------------
def mixed_result(dirs):
    """A scored document with one row of every status in targets and assignments."""
    a1, b1 = span_of("chủ trì, phối hợp với Sở Nông nghiệp")
    pred = {"targets": [pred_target(T500), pred_target(T80, target_year=2026),
                        pred_target(T500, quote="2026", value=2026.0, unit="năm")],
            "assignments": [pred_assignment("Sở Tài chính", "chu_tri", a1, b1),
                            pred_assignment("Sở Nông nghiệp và Môi trường", "chu_tri", a1, b1)]}
    return scored(dirs, gold_json(targets=[T500, T80, T20], assignments=A_GOLD[:2]), pred)


def test_reports_diff_table_scores_json_and_escaped_html(dirs, tmp_path):
    import pandas as pd
    from pipeline.qa_report import write_reports
    res = mixed_result(dirs)
    res.diffs.append(dict(res.diffs[0], table="agencies", status="missing", key="<script>alert(1)</script>"))
    paths = write_reports(res, tmp_path / "qa")
    assert sorted(p.name for p in paths) == ["diff.csv", "diff.parquet", "report.html", "scores.json"]
    diff = pd.read_parquet(tmp_path / "qa" / "diff.parquet")
    assert set(diff.columns) >= {"doc_id", "table", "status", "gold", "predicted", "quote", "char_start", "char_end"}
    t = diff[diff.table == "targets"].sort_values("status")
    assert list(t.status) == ["mismatched", "missing", "spurious"]
    assert t[t.status == "spurious"].char_start.iloc[0] == span_of("2026")[0]
    assert len(pd.read_csv(tmp_path / "qa" / "diff.csv")) == len(diff)
    scores = json.loads((tmp_path / "qa" / "scores.json").read_text(encoding="utf-8"))
    assert scores["tables"]["targets"]["gold"] == 3
    assert scores["per_document"]["t1"]["assignments"]["recall"] == 0.5
    page = (tmp_path / "qa" / "report.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "http://" not in page and "https://" not in page     # self-contained


CHROMIUM = "/usr/bin/chromium"


def chromium(*args, tmp):
    import subprocess
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def test_html_report_renders_highlights_in_a_browser(dirs, tmp_path):
    import os
    from html.parser import HTMLParser
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (/usr/bin/chromium); .ci/run installs it")
    from pipeline.qa_report import write_reports
    res = mixed_result(dirs)
    write_reports(res, tmp_path / "qa")
    url = (tmp_path / "qa" / "report.html").as_uri()
    out = chromium("--dump-dom", url, tmp=tmp_path / "profile")
    assert out.returncode == 0, out.stderr[-2000:]

    class Collect(HTMLParser):
        def __init__(self):
            super().__init__()
            self.marked = {}    # status -> mark ids highlighted in the text
            self.rows = {}      # status -> row entries in the list
            self.text = []
            self.depth = 0

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            cls = (a.get("class") or "").split()
            if tag == "span" and "hl" in cls:
                for c in cls:
                    if c.startswith("has-"):
                        self.marked.setdefault(c[4:], set()).update(a["data-m"].split())
            if tag == "tr" and "row" in cls:
                st = next(c[3:] for c in cls if c.startswith("st-"))
                self.rows.setdefault(st, set()).add(a["id"])
            if tag == "pre":
                self.depth += 1

        def handle_endtag(self, tag):
            if tag == "pre":
                self.depth -= 1

        def handle_data(self, data):
            if self.depth:
                self.text.append(data)

    p = Collect()
    p.feed(out.stdout)
    # targets: 1 match (gold+pred), 1 mismatched pair, 1 missing gold, 1 spurious pred;
    # assignments: 1 match (gold+pred), 1 mismatched pair (role)
    assert {s: len(v) for s, v in p.rows.items()} == {"match": 4, "mismatched": 4, "missing": 1, "spurious": 1}
    for status, ids in p.rows.items():
        assert ids <= set().union(*p.marked.values()), status    # every row is highlighted in the text
    assert p.marked["spurious"] & p.rows["spurious"]
    assert "".join(p.text) == RAW     # the whole document, unaltered, around the highlights
    shot = tmp_path / "report.png"
    out = chromium("--screenshot=" + str(shot), "--window-size=1200,900", url, tmp=tmp_path / "profile")
    assert shot.exists() and shot.stat().st_size > 10_000


def test_cli_extracts_scores_writes_reports_and_gates_on_min_f1(dirs, tmp_path, capsys):
    from pipeline.cli import main
    raw_dir, gold_dir = dirs
    gold = gold_json(sections=[{"number": "I", "heading": "MỤC TIÊU", "kind": "muc_tieu", "level": 1}],
                     targets=[T500], assignments=A_GOLD[:1])
    (gold_dir / "t1.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    (gold_dir / "ghost.json").write_text(json.dumps(gold_json()), encoding="utf-8")
    out = tmp_path / "out"
    args = ["qa", "--gold", str(gold_dir), "--raw", str(raw_dir), "--out", str(out)]
    assert main(args + ["--min-f1", "0"]) == 0
    captured = capsys.readouterr()
    assert "t1" in set(pd.read_parquet(out / "documents")["doc_id"])   # outputs were missing: extracted
    lines = captured.out.splitlines()
    assert lines[0].split() == ["table", "P", "R", "F1", "gold", "pred"]
    assert [ln.split()[0] for ln in lines[1:6]] == ["sections", "targets", "agencies", "assignments", "deadlines"]
    assert lines[1].split()[4] == "1"          # gold sections counted
    assert "ghost.json: no raw document" in captured.err
    assert any(ln.startswith("t1: ") for ln in lines)
    assert (out / "qa" / "report.html").exists() and (out / "qa" / "diff.parquet").exists()
    assert main(args + ["--min-f1", "1.01", "--report", str(tmp_path / "rep"), "-v"]) == 1
    captured = capsys.readouterr()
    assert "F1 below 1.01" in captured.err
    assert (tmp_path / "rep" / "scores.json").exists()

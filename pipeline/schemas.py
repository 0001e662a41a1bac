"""Every output table's pyarrow schema, declared once.

Each column carries a description and an example in its field metadata; the README's
data dictionary (`docs/data_dictionary.md`) is generated from here by
`python -m pipeline dictionary`, so the two cannot drift.
"""
from __future__ import annotations

import pyarrow as pa

# Allowed values of the enum-like columns (also used by QA to validate gold).
DOC_TYPES = ("ke_hoach", "chuong_trinh_hanh_dong", "cong_van", "quyet_dinh", "nghi_quyet", "chi_thi", "other")
SECTION_KINDS = (
    "can_cu", "dac_diem_tinh_hinh", "muc_dich_yeu_cau", "quan_diem", "muc_tieu", "dinh_huong",
    "nhiem_vu_giai_phap", "kinh_phi", "to_chuc_thuc_hien", "phu_luc", "other",
)
COMPARATORS = ("eq", "gte", "lte", "approx", "range")
AGENCY_LEVELS = ("trung_uong", "tinh", "huyen", "xa", "doan_the", "other")
ROLES = ("chu_tri", "phoi_hop", "thuc_hien")
DEADLINE_KINDS = ("date", "year", "range", "recurring", "ongoing", "relative")
RECURRENCES = ("yearly", "half_yearly", "quarterly", "monthly", "weekly", "daily")


def _f(name: str, type_: pa.DataType, description: str, example: str = "", nullable: bool = True) -> pa.Field:
    return pa.field(name, type_, nullable=nullable,
                    metadata={"description": description, "example": example})


DOC_ID = _f("doc_id", pa.string(), "Document id: the input file's name without extension.",
            "001_2ce6d77d1e7b37ed", nullable=False)
QUOTE = _f("quote", pa.string(), "Verbatim evidence: exactly raw[char_start:char_end] of the decoded source text.",
           "khoảng 3.000 tổ hợp tác")
CHAR_START = _f("char_start", pa.int64(), "Start offset (inclusive) of the evidence in the decoded source text.", "2841")
CHAR_END = _f("char_end", pa.int64(), "End offset (exclusive) of the evidence in the decoded source text.", "2864")
SECTION_ID = _f("section_id", pa.string(), "Section the row lies in (joins sections.section_id within the document); "
                "null before the first heading.", "S5")

TABLES: dict[str, pa.Schema] = {
    "documents": pa.schema([
        DOC_ID,
        _f("source_path", pa.string(), "Path of the input file as given to the run.", "raw_docs/001_2ce6d77d1e7b37ed.txt"),
        _f("format", pa.string(), "Input format the text was read from (txt, md, html, docx, pdf).", "txt"),
        _f("encoding", pa.string(), "Text encoding detected in the file.", "utf-8"),
        _f("sha256", pa.string(), "SHA-256 of the file's bytes; unchanged files are skipped on re-runs.", "9f2c..."),
        _f("n_chars", pa.int64(), "Length of the decoded source text (what offsets index).", "52108"),
        _f("doc_number", pa.string(), "Document number as printed, spaces removed.", "251/KH-UBND"),
        _f("doc_type", pa.string(), "Type of the document itself: " + ", ".join(DOC_TYPES) + ".", "ke_hoach"),
        _f("issuer", pa.string(), "Full name of the issuing body, abbreviations expanded.", "Ủy ban nhân dân tỉnh Kiên Giang"),
        _f("province", pa.string(), "Province the issuer belongs to.", "Kiên Giang"),
        _f("issue_date", pa.date32(), "Date of issue.", "2023-10-20"),
        _f("signer", pa.string(), "Person who signs the document.", "Lê Quốc Anh"),
        _f("title", pa.string(), "Title (trích yếu) of the document, whitespace collapsed.", "Về việc tiếp tục đổi mới ..."),
        _f("implements", pa.list_(pa.string()), "Numbers of the resolutions/programmes the document carries out, in order of mention.",
           "['20-NQ/TW', '09/NQ-CP']"),
        _f("pipeline_version", pa.string(), "Version of the pipeline that wrote the rows.", "0.1.0"),
    ]),
    "sections": pa.schema([
        DOC_ID,
        _f("section_id", pa.string(), "Section id, unique within the document.", "S5", nullable=False),
        _f("parent_id", pa.string(), "section_id of the enclosing section, null at level 1.", "S4"),
        _f("number", pa.string(), "The heading's own label without punctuation.", "II"),
        _f("level", pa.int32(), "1 for top headings and appendices, 2 for their sub-headings.", "1"),
        _f("heading", pa.string(), "Heading text, markup removed, whitespace collapsed.", "MỤC TIÊU"),
        _f("kind", pa.string(), "Canonical kind: " + ", ".join(SECTION_KINDS) + ".", "muc_tieu"),
        _f("char_start", pa.int64(), "Start of the heading in the decoded source text.", "3120"),
        _f("char_end", pa.int64(), "End of the section (start of the next section at the same or a higher level).", "9876"),
    ]),
    "targets": pa.schema([
        DOC_ID, SECTION_ID,
        _f("indicator", pa.string(), "Short readable description of what is measured.", "số hợp tác xã"),
        _f("value", pa.float64(), "The committed number (Vietnamese numerals normalized).", "700.0"),
        _f("value_max", pa.float64(), "Upper end of a range, else null.", "85.0"),
        _f("unit", pa.string(), "'%' or the counted noun in canonical form.", "hợp tác xã"),
        _f("comparator", pa.string(), "One of " + ", ".join(COMPARATORS) + ".", "approx"),
        _f("target_year", pa.int32(), "Year by which the target is to be reached, from the sentence or an enclosing heading.", "2030"),
        _f("per_year", pa.bool_(), "True for a rate per year or period (mỗi năm, hằng năm, /năm).", "False"),
        QUOTE, CHAR_START, CHAR_END,
    ]),
    "agencies": pa.schema([
        DOC_ID,
        _f("name", pa.string(), "Canonical full name of the responsible body.", "Sở Nông nghiệp và Phát triển nông thôn"),
        _f("aliases", pa.list_(pa.string()), "Other forms the text used for it.", "['Sở NN&PTNT']"),
        _f("level", pa.string(), "One of " + ", ".join(AGENCY_LEVELS) + ".", "tinh"),
        _f("mentions", pa.int32(), "How many times the body is mentioned as responsible.", "12"),
    ]),
    "assignments": pa.schema([
        DOC_ID, SECTION_ID,
        _f("task", pa.string(), "The task, summarized from the text.", "Tuyên truyền, phổ biến Nghị quyết"),
        _f("agency", pa.string(), "Canonical agency name (joins agencies.name).", "Liên minh Hợp tác xã tỉnh"),
        _f("role", pa.string(), "One of " + ", ".join(ROLES) + ".", "chu_tri"),
        _f("deadline_id", pa.string(), "deadline_id of the time bound of the task (joins deadlines), or null.", "D1"),
        QUOTE, CHAR_START, CHAR_END,
    ]),
    "deadlines": pa.schema([
        DOC_ID,
        _f("deadline_id", pa.string(), "Deadline id, unique within the document.", "D1", nullable=False),
        _f("kind", pa.string(), "One of " + ", ".join(DEADLINE_KINDS) + ".", "recurring"),
        _f("start", pa.string(), "ISO start (YYYY-MM-DD), or null.", "2023-01-01"),
        _f("end", pa.string(), "ISO end: YYYY-MM-DD, --MM-DD (yearly), ---DD (monthly), or null.", "--12-15"),
        _f("recurrence", pa.string(), "One of " + ", ".join(RECURRENCES) + ", or null.", "yearly"),
        QUOTE, CHAR_START, CHAR_END,
    ]),
    "errors": pa.schema([
        DOC_ID,
        _f("path", pa.string(), "Input file that failed.", "raw_docs/broken.pdf"),
        _f("stage", pa.string(), "Stage that failed: discover, load, check (not a plan), a component name (normalize, "
           "segment, tables, metadata, targets ...), write, timeout or crash.", "load"),
        _f("message", pa.string(), "What went wrong, in words.", "cannot decode: not UTF-8/UTF-16/Windows-1258"),
    ]),
}

# Tables the extraction writes per document (errors is written per run).
DOCUMENT_TABLES = ("documents", "sections", "targets", "agencies", "assignments", "deadlines")


def empty_table(name: str) -> pa.Table:
    return TABLES[name].empty_table()


def to_table(name: str, rows: list[dict]) -> pa.Table:
    """Rows (dicts keyed by column name) to a table with the declared schema."""
    return pa.Table.from_pylist(rows, schema=TABLES[name])   # a missing key is a null

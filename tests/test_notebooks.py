"""The research notebooks run top to bottom on an extraction of the bundled plans, and are committed clean.

They are executed with nbclient on a kernel spec written into a temp dir that points at this
interpreter (so the venv's packages are used), reading the extraction from PLAN_OUTPUTS.
"""
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from conftest import RAW, ROOT

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
TOUR = ROOT / "notebooks" / "01_tour.ipynb"
COMPARE = ROOT / "notebooks" / "02_compare_plans.ipynb"
KERNEL = "plan-notebooks-test"
KIEN_GIANG, HUNG_YEN = "001_2ce6d77d1e7b37ed", "000_d029a5f614cc4e3f"


@pytest.fixture(scope="session")
def kernel_path(tmp_path_factory):
    """A Jupyter data dir whose only kernel runs this interpreter."""
    root = tmp_path_factory.mktemp("jupyter")
    spec = root / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "pipeline venv", "language": "python"}))
    return root


@pytest.fixture(scope="session")
def extraction(tmp_path_factory):
    """The bundled plans extracted as the pipeline writes them."""
    from pipeline.run import extract_corpus
    out = tmp_path_factory.mktemp("outputs")
    summary = extract_corpus(RAW, out, progress=False)
    assert summary.failed == 0, summary.failures
    return out


def _span(raw: str, phrase: str, after: str = "") -> tuple[int, int]:
    start = raw.index(phrase, raw.index(after) if after else 0)
    return start, start + len(phrase)


@pytest.fixture(scope="session")
def curated(extraction, tmp_path_factory):
    """The real documents and sections, plus rows written by hand from sentences of two plans,
    so every plot and join of the notebooks is exercised whatever the extractors find."""
    import pandas as pd

    from pipeline.io import ALL_TABLES, PART_PREFIX, new_part, write_part
    from pipeline.load import read_document
    out = tmp_path_factory.mktemp("curated")
    shutil.copytree(extraction, out, dirs_exist_ok=True)
    docs = pd.read_parquet(out / "documents")
    sections = pd.read_parquet(out / "sections")

    def records(df):
        return [{k: (None if not isinstance(v, (list, tuple)) and not hasattr(v, "__len__") and pd.isna(v) else
                     list(v) if hasattr(v, "tolist") else v) for k, v in r.items()} for r in df.to_dict("records")]

    def grounded(raw, phrase, after=""):
        a, b = _span(raw, phrase, after)
        return {"quote": raw[a:b], "char_start": a, "char_end": b}

    def section_of(doc_id, pos):
        s = sections[(sections.doc_id == doc_id) & (sections.char_start <= pos) & (sections.char_end > pos)]
        return s.sort_values("level").section_id.iloc[-1] if len(s) else None

    def target(doc_id, raw, phrase, value, unit, comparator, indicator, value_max=None, after=""):
        ev = grounded(raw, phrase, after)
        return {"doc_id": doc_id, "section_id": section_of(doc_id, ev["char_start"]), "indicator": indicator,
                "value": value, "value_max": value_max, "unit": unit, "comparator": comparator,
                "target_year": 2030, "per_year": False, **ev}

    kg = read_document(RAW / f"{KIEN_GIANG}.txt").raw
    hy = read_document(RAW / f"{HUNG_YEN}.txt").raw
    rows = {
        KIEN_GIANG: {
            "targets": [
                target(KIEN_GIANG, kg, "700 hợp tác xã", 700.0, "hợp tác xã", "eq", "số hợp tác xã"),
                target(KIEN_GIANG, kg, "100.000 thành viên", 100000.0, "thành viên", "eq",
                       "số thành viên hợp tác xã", after="700 hợp tác xã"),
                target(KIEN_GIANG, kg, "70% - 85%", 70.0, "%", "range", "tỷ lệ HTX đạt loại tốt, khá", 85.0),
                target(KIEN_GIANG, kg, "3.000 tổ hợp tác", 3000.0, "tổ hợp tác", "approx", "số tổ hợp tác"),
            ],
            "deadlines": [{"doc_id": KIEN_GIANG, "deadline_id": "D1", "kind": "recurring", "start": None,
                           "end": "--12-10", "recurrence": "yearly",
                           **grounded(kg, "trước ngày 10 tháng 12 hàng năm")},
                          {"doc_id": KIEN_GIANG, "deadline_id": "D2", "kind": "range", "start": "2023-01-01",
                           "end": "2025-12-31", "recurrence": None, **grounded(kg, "2023 - 2025")}],
            "assignments": [{"doc_id": KIEN_GIANG, "task": "báo cáo kết quả", "agency": "Liên minh Hợp tác xã tỉnh",
                             "role": "chu_tri", "deadline_id": "D1",
                             **grounded(kg, "Liên minh Hợp tác xã tỉnh chủ trì")}],
            "agencies": [{"doc_id": KIEN_GIANG, "name": "Liên minh Hợp tác xã tỉnh", "aliases": [],
                          "level": "doan_the", "mentions": 1}],
        },
        HUNG_YEN: {
            "targets": [
                target(HUNG_YEN, hy, "625 HTX", 625.0, "HTX", "eq", "số hợp tác xã"),
                target(HUNG_YEN, hy, "80.000 thành viên", 80000.0, "thành viên", "approx", "số thành viên hợp tác xã"),
                target(HUNG_YEN, hy, "Trên 60%", 60.0, "%", "gte", "", after="Trên 60% tổ chức KTTT"),
            ],
            "deadlines": [{"doc_id": HUNG_YEN, "deadline_id": "D1", "kind": "recurring", "start": None,
                           "end": "--12-15", "recurrence": "yearly", **grounded(hy, "trước ngày 15 tháng 12")}],
        },
    }
    # the other plans keep only their documents and sections rows
    for doc_id in docs.doc_id:
        tables = rows.setdefault(doc_id, {"targets": []})
        for r in tables.get("assignments", []) + tables["targets"]:
            r.setdefault("section_id", section_of(doc_id, r["char_start"]))
        tables["documents"] = records(docs[docs.doc_id == doc_id])
        tables["sections"] = records(sections[sections.doc_id == doc_id])
    for table in ALL_TABLES:                 # the extraction's rows give way to these
        for part in (out / table).glob(PART_PREFIX + "*.parquet"):
            part.unlink()
    write_part(out, new_part(), {t: [r for tables in rows.values() for r in tables.get(t, [])] for t in ALL_TABLES})
    return out


def execute(path: Path, outputs: Path, figures: Path, kernel_path: Path):
    env = {"PLAN_OUTPUTS": str(outputs), "PLAN_FIGURES": str(figures), "MPLBACKEND": "Agg",
           "JUPYTER_PATH": str(kernel_path)}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        nb = nbformat.read(path, as_version=4)
        nbclient.NotebookClient(nb, kernel_name=KERNEL, timeout=120,
                                resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return nb


def text_of(nb) -> str:
    """Everything the notebook printed or displayed as text."""
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                parts.append(out["text"])
            elif "data" in out:
                parts.append(out["data"].get("text/plain", ""))
    return "\n".join(parts)


def test_at_least_two_notebooks_committed_without_outputs():
    assert {TOUR, COMPARE} <= set(NOTEBOOKS)
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert code, path.name
        for cell in code:
            assert cell.outputs == [], f"{path.name}: outputs committed (run scripts/strip_notebooks.py)"
            assert cell.execution_count is None, f"{path.name}: execution_count committed"


def test_tour_on_the_extraction(extraction, kernel_path, tmp_path):
    import pandas as pd
    nb = execute(TOUR, extraction, tmp_path, kernel_path)
    text = text_of(nb)
    assert f"reading {extraction}" in text
    for number in ("49/KH-UBND", "251/KH-UBND", "139/KH-UBND", "765/VP-KTTH"):
        assert number in text
    assert "Ủy ban nhân dân tỉnh Kiên Giang" in text
    # every empty table is said to be empty, never shown silently
    for name in ("targets", "agencies", "assignments", "deadlines"):
        empty = pd.read_parquet(extraction / name).empty
        assert (f"no rows: {name} (the extractor found nothing" in text) == empty, name
    assert (tmp_path / "tour_rows_per_document.png").stat().st_size > 5000
    # stripping the executed notebook gives back the committed file
    sys.path.insert(0, str(ROOT / "scripts"))
    from strip_notebooks import strip
    assert strip(nb)
    assert nbformat.writes(nb) + "\n" == TOUR.read_text(encoding="utf-8")


def test_compare_on_the_extraction(extraction, kernel_path, tmp_path):
    import pandas as pd
    nb = execute(COMPARE, extraction, tmp_path, kernel_path)
    text = text_of(nb)
    assert "Kiên Giang (251/KH-UBND)" in text and "Nam Định (139/KH-UBND)" in text
    targets = pd.read_parquet(extraction / "targets")
    has_2030 = bool((targets["target_year"] == 2030).any())
    assert ("no rows: targets with target_year 2030" in text) == (not has_2030)
    leads = pd.read_parquet(extraction / "assignments").query("role == 'chu_tri'")
    assert (tmp_path / "compare_leads.png").exists() == (not leads.empty)


def test_tour_shows_targets_with_their_evidence(curated, kernel_path, tmp_path):
    nb = execute(TOUR, curated, tmp_path, kernel_path)
    text = text_of(nb)
    # the document with most targets is toured; its target is shown inside its line of text
    assert "[range] 70-85 % (by 2030) - tỷ lệ HTX đạt loại tốt, khá" in text
    assert "«70% - 85%»" in text
    assert "assignments whose agency is not in agencies: 0" in text
    assert "assignments with a deadline: 1 of 1 | deadline ids not found: 0" in text
    assert "quote_matches" in text


def _table_line(text: str, *cells: str) -> bool:
    return any(all(c in line for c in cells) for line in text.splitlines())


def test_compare_picks_the_2030_figure_per_province(curated, kernel_path, tmp_path):
    nb = execute(COMPARE, curated, tmp_path, kernel_path)
    text = text_of(nb)
    # the largest count of cooperatives and members, the first share rated good/fair
    assert _table_line(text, "Cooperatives (hợp tác xã)", "Hưng Yên (49/KH-UBND)", "625.0")   # unit HTX normalized
    assert _table_line(text, "Cooperatives (hợp tác xã)", "Kiên Giang (251/KH-UBND)", "700.0")
    assert _table_line(text, "Cooperative members (thành viên)", "Kiên Giang (251/KH-UBND)", "100000.0")
    assert _table_line(text, "Cooperative members (thành viên)", "Hưng Yên (49/KH-UBND)", "80000.0")
    # Hưng Yên's 60% has no indicator text: picked by its clause "... đạt loại tốt, khá"
    assert _table_line(text, "good/fair or effective (%)", "Hưng Yên (49/KH-UBND)", "60.0")
    assert _table_line(text, "good/fair or effective (%)", "Kiên Giang (251/KH-UBND)", "70.0", "85.0")
    assert "1 dated, 2 recurring on a day of the year, 0 without a date" in text
    for figure in ("compare_target_years", "compare_2030_targets", "compare_leads", "compare_deadlines"):
        assert (tmp_path / f"{figure}.png").stat().st_size > 10000, figure


@pytest.mark.parametrize("path", [TOUR, COMPARE], ids=["tour", "compare"])
def test_notebooks_run_on_an_empty_extraction(path, kernel_path, tmp_path):
    """No document at all: each section says it has no rows instead of failing or showing nothing."""
    from pipeline.run import extract_corpus
    (tmp_path / "raw").mkdir()
    extract_corpus(tmp_path / "raw", tmp_path / "out", progress=False)
    text = text_of(execute(path, tmp_path / "out", tmp_path / "figures", kernel_path))
    assert "no rows: targets" in text and "no rows: assignments" in text
    if path == COMPARE:
        assert "no rows: deadlines with a date to place on a timeline" in text
    assert not (tmp_path / "figures").exists()

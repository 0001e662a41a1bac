"""Runs that lose nothing: incremental re-runs, deletions, failures, atomic writes, killed runs."""
import json
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from pipeline import run as run_mod
from pipeline.io import ALL_TABLES, MANIFEST, PART_PREFIX, SCHEMA_FILE
from pipeline.run import extract_corpus

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw_docs"
# the field plans (beside the checkout) when present; the tests fall back to the bundled plans
FIELD = next((p for p in (ROOT.parent / "shared" / "field_docs", Path("/work/shared/field_docs")) if p.is_dir()), None)
# a project README that names plans without being one (like the field folder's README)
README = ("# Field documents (no gold)\n\nTwelve more real plans (Kế hoạch UBND) published in late 2025 by other "
          "provinces. Use them the way the data team will: run the pipeline and read what comes out. They show "
          "tables of tasks with \"Cơ quan chủ trì\" / \"Cơ quan phối hợp\" columns.\n")


def _corpus(tmp_path: Path, n: int = 5) -> Path:
    src = tmp_path / "raw"
    src.mkdir()
    for p in sorted(RAW.glob("*.txt"))[:n]:
        shutil.copy(p, src / p.name)
    return src


def _run(raw: Path, out: Path, **kw):
    return extract_corpus(raw, out, workers=1, progress=False, **kw)


def _table(out: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(out / name)


def _snapshot(out: Path) -> dict:
    """Every table's rows, order-independent, without the columns that name the file."""
    snap = {}
    for t in ALL_TABLES:
        df = _table(out, t).drop(columns=["source_path", "path"], errors="ignore")
        snap[t] = sorted(json.dumps(r, default=str, ensure_ascii=False, sort_keys=True)
                         for r in df.to_dict("records"))
    return snap


def test_rerun_skips_unchanged_without_reading_them(tmp_path, monkeypatch):
    raw, out = _corpus(tmp_path), tmp_path / "out"
    first = _run(raw, out)
    assert (first.processed, first.skipped, first.failed) == (5, 0, 0)
    assert first.rows["documents"] == 5 and first.rows["sections"] > 20
    before = _snapshot(out)

    def must_not_run(*args, **kwargs):
        raise AssertionError("an unchanged document was extracted again")
    monkeypatch.setattr(run_mod, "process_document", must_not_run)
    monkeypatch.setattr(run_mod, "file_sha256", must_not_run)   # same size and mtime: not even hashed
    again = _run(raw, out)
    assert (again.processed, again.skipped, again.failed, again.removed) == (0, 5, 0, 0)
    assert again.rows == first.rows   # the summary counts the rows the tables hold
    assert _snapshot(out) == before
    assert "0 processed, 5 skipped, 0 failed" in again.line() and "documents 5" in again.line()


def test_changed_deleted_and_version_bump(tmp_path, monkeypatch):
    raw, out = _corpus(tmp_path), tmp_path / "out"
    _run(raw, out)
    files = sorted(raw.glob("*.txt"))
    changed, deleted = files[0], files[1]
    old_sha = _table(out, "documents").set_index("doc_id").loc[changed.stem, "sha256"]
    old_sections = (_table(out, "sections")["doc_id"] == changed.stem).sum()
    # a new top-level section appended to one plan; another plan deleted
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nV. KIỂM TRA, GIÁM SÁT\nSở Nội vụ theo dõi, kiểm tra việc thực hiện.\n",
                       encoding="utf-8")
    deleted.unlink()
    s = _run(raw, out)
    assert (s.processed, s.skipped, s.removed) == (1, 3, 1)
    docs = _table(out, "documents").set_index("doc_id")
    assert deleted.stem not in docs.index
    for t in ALL_TABLES:
        assert deleted.stem not in set(_table(out, t)["doc_id"]), t
    assert docs.loc[changed.stem, "sha256"] != old_sha
    secs = _table(out, "sections")
    assert (secs["doc_id"] == changed.stem).sum() == old_sections + 1
    assert "KIỂM TRA, GIÁM SÁT" in set(secs["heading"])
    # a new pipeline version re-extracts everything
    monkeypatch.setattr(run_mod, "pipeline_version", lambda: "999+test")
    s = _run(raw, out)
    assert (s.processed, s.skipped) == (4, 0)
    assert {e["version"] for e in json.loads((out / MANIFEST).read_text()).values()} == {"999+test"}


def test_rows_the_manifest_lost_are_removed(tmp_path):
    raw, out = _corpus(tmp_path, 2), tmp_path / "out"
    _run(raw, out)
    (out / MANIFEST).unlink()
    # rows of a document that is not in the input folder, in a file of an older layout
    rows = _table(out, "documents").head(1).assign(doc_id="ghost")
    rows.to_parquet(out / "documents" / "ghost.parquet")
    s = _run(raw, out)
    assert s.processed == 2
    documents = _table(out, "documents")
    assert sorted(documents["doc_id"]) == sorted(p.stem for p in raw.glob("*.txt"))   # no ghost, no duplicate
    assert not (out / "documents" / "ghost.parquet").exists()


def _bad_inputs(raw: Path) -> dict[str, str]:
    """Broken files and the words their error message must contain."""
    (raw / "empty.txt").write_bytes(b"")
    (raw / "blank.md").write_text("  \n\n \t\n", encoding="utf-8")
    (raw / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (raw / "image.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2000))
    (raw / "broken.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 300)
    (raw / "old_word.doc").write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 300)
    (raw / "README.md").write_text(README, encoding="utf-8")
    (raw / "shopping.txt").write_text("Danh sách đi chợ\n1. Gạo 5 kg\n2. Rau muống\n3. Cá thu\n", encoding="utf-8")
    with open(raw / "huge.txt", "wb") as fh:     # sparse: 50 MB without writing them
        fh.truncate(50_000_000)
    return {"empty": "empty", "blank": "empty", "binary": "binary", "image": "PDF", "broken": ".docx",
            "old_word": "unsupported file type", "README": "not a plan", "shopping": "not a plan",
            "huge": "too large"}


def test_failures_are_rows_and_never_stop_the_others(tmp_path):
    raw, out = _corpus(tmp_path, 2), tmp_path / "out"
    expected = _bad_inputs(raw)
    s = _run(raw, out)
    assert s.processed == 2 and s.failed == len(expected)
    errors = _table(out, "errors").set_index("doc_id")
    assert set(errors.index) == set(expected)
    for doc_id, word in expected.items():
        assert word in errors.loc[doc_id, "message"], (doc_id, errors.loc[doc_id, "message"])
        assert errors.loc[doc_id, "path"].endswith(tuple(p.name for p in raw.glob(doc_id + ".*")))
    assert errors.loc["README", "stage"] == "check"
    assert errors.loc["huge", "stage"] == "load"
    assert set(_table(out, "documents")["doc_id"]) == {p.stem for p in sorted(RAW.glob("*.txt"))[:2]}
    # unchanged failures are not retried, but still counted and reported
    again = _run(raw, out)
    assert (again.processed, again.failed, again.carried) == (0, len(expected), len(expected) - 1)
    assert len(_table(out, "errors")) == len(expected)
    # a fixed file leaves the errors table
    (raw / "empty.txt").unlink()
    shutil.copy(sorted(RAW.glob("*.txt"))[2], raw / "empty.txt")
    fixed = _run(raw, out)
    assert fixed.processed == 1
    assert "empty" not in set(_table(out, "errors")["doc_id"])
    assert "empty" in set(_table(out, "documents")["doc_id"])


def test_cli_exit_status_and_summary(tmp_path):
    raw, out = _corpus(tmp_path, 1), tmp_path / "out"
    cmd = [sys.executable, "-m", "pipeline", "extract", str(raw), "--out", str(out), "--workers", "1"]
    ok = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("1 processed, 0 skipped, 0 failed")
    (raw / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    bad = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 1
    # (the plan is skipped unless the code changed in between: not asserted here)
    assert re.match(r"^[01] processed, [01] skipped, 1 failed, 0 removed in [\d.]+s; rows: documents 1, ", bad.stdout)
    assert "binary.txt: [load] binary data" in bad.stderr


def test_interrupted_write_is_redone(tmp_path, monkeypatch):
    """A run dying between two renames of one part's tables: the next run redoes its document."""
    raw, out = _corpus(tmp_path, 2), tmp_path / "out"
    _run(raw, out)
    reference = _snapshot(out)
    target = sorted(raw.glob("*.txt"))[0]
    target.write_text(target.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    real_replace = os.replace
    calls = {"n": 0}

    def dying_replace(src, dst):
        if Path(dst).name.startswith(PART_PREFIX):
            calls["n"] += 1
            if calls["n"] == 3:
                raise KeyboardInterrupt("killed")   # after two of its tables were renamed
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", dying_replace)
    with pytest.raises(KeyboardInterrupt):
        _run(raw, out)
    monkeypatch.setattr(os, "replace", real_replace)
    for t in ALL_TABLES:
        _table(out, t)                           # every table still loads
    assert json.loads((out / MANIFEST).read_text())[target.stem]["dirty"] is True
    s = _run(raw, out)
    assert s.processed == 1 and s.skipped == 1
    assert sorted(_table(out, "documents")["doc_id"]) == sorted(p.stem for p in raw.glob("*.txt"))
    after = _snapshot(out)
    assert after["sections"] == reference["sections"] and after["deadlines"] == reference["deadlines"]
    assert [r for r in after["documents"] if target.stem in r] != [r for r in reference["documents"] if target.stem in r]


def test_sigkill_mid_run_leaves_readable_tables_and_next_run_completes(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for p in sorted(RAW.glob("*.txt")):
        shutil.copy(p, raw / p.name)
    if FIELD is not None:
        for p in sorted(FIELD.glob("*.md")):
            if p.name != "README.md":
                shutil.copy(p, raw / p.name)
    else:
        for p in sorted(RAW.glob("*.txt")):
            shutil.copy(p, raw / f"copy_{p.name}")
    n_docs = len(list(raw.iterdir()))
    clean = tmp_path / "clean"
    _run(raw, clean)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "pipeline", "extract", str(raw), "--out", str(out), "--workers", "1",
           "--no-progress"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    written = 0
    while time.monotonic() < deadline and proc.poll() is None:
        docs = out / "documents"
        written = len([p for p in docs.glob("*.parquet") if p.name != SCHEMA_FILE]) if docs.is_dir() else 0
        if written >= 1:         # a part (a batch of documents) written, more to do
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert written >= 1
    for t in ALL_TABLES:
        _table(out, t)                           # readable after the kill
    s = _run(raw, out)
    assert s.processed + s.skipped == n_docs and s.failed == 0
    assert s.processed >= 1                      # the killed run had not finished
    assert _snapshot(out) == _snapshot(clean)
    assert not list(out.rglob(".*.tmp"))


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="the crash is injected through fork")
def test_a_crashing_worker_fails_only_its_document(tmp_path, monkeypatch):
    raw, out = _corpus(tmp_path, 3), tmp_path / "out"
    victim = sorted(raw.glob("*.txt"))[1].stem
    real = run_mod.process_document

    def crashing(path, doc_id=None):
        if doc_id == victim:
            os._exit(3)                          # like a segfault in a parser
        return real(path, doc_id)

    monkeypatch.setattr(run_mod, "process_document", crashing)
    s = extract_corpus(raw, out, workers=2, progress=False)
    assert s.processed == 2 and s.failed == 1
    err = _table(out, "errors")
    assert list(err["doc_id"]) == [victim] and list(err["stage"]) == ["crash"]
    assert victim not in set(_table(out, "documents")["doc_id"])


def test_a_hanging_document_times_out(tmp_path, monkeypatch):
    raw, out = _corpus(tmp_path, 2), tmp_path / "out"
    victim = sorted(raw.glob("*.txt"))[0].stem
    real = run_mod.process_document

    def hanging(path, doc_id=None):
        if doc_id == victim:
            while True:
                time.sleep(0.01)
        return real(path, doc_id)

    # load the models first, so the good document's time is its own extraction, then leave it
    # ample time on a loaded machine; the hanging one is stopped all the same
    real(sorted(raw.glob("*.txt"))[1])
    monkeypatch.setattr(run_mod, "process_document", hanging)
    monkeypatch.setattr(run_mod, "DOC_TIMEOUT", 3.0)
    s = _run(raw, out)
    assert s.processed == 1 and s.failed == 1
    err = _table(out, "errors")
    assert list(err["stage"]) == ["timeout"] and "stopped after" in err["message"][0]


@pytest.mark.skipif(FIELD is None, reason="the field plans are not beside this checkout")
def test_every_field_plan_is_a_plan_and_their_readme_is_not():
    from pipeline.run import process_document
    checked = 0
    for path in sorted(FIELD.glob("*.md")):
        result = process_document(path)
        if path.name == "README.md":
            assert [e["stage"] for e in result.errors] == ["check"]
            assert result.errors[0]["message"].startswith("not a plan: ")
        else:
            assert not [e for e in result.errors if e["stage"] == "check"], path.name
            checked += 1
    assert checked >= 10


def test_written_files_get_the_usual_mode_and_no_temp_is_left(tmp_path):
    """Outputs are shared like any new file (0666 less the umask), and only final names remain."""
    raw, out = _corpus(tmp_path, 2), tmp_path / "out"
    old = os.umask(0o027)
    try:
        _run(raw, out)
    finally:
        os.umask(old)
    files = [p for p in out.rglob("*") if p.is_file() and p.name != ".lock"]
    assert len([p for p in files if p.parent.name == "assignments"]) == 3   # 2 documents + the schema file
    assert {oct(p.stat().st_mode & 0o777) for p in files} == {oct(0o640)}
    assert not [p for p in files if p.name.endswith(".tmp")]


def test_manifest_saves_grow_apart_when_saving_is_slow():
    """Every 2 s for a small manifest; a save taking 0.3 s (about 30 000 documents) waits 6 s."""
    assert not run_mod.manifest_save_due(1.9, 0.002)
    assert run_mod.manifest_save_due(2.1, 0.002)
    assert not run_mod.manifest_save_due(5.9, 0.3)
    assert run_mod.manifest_save_due(6.1, 0.3)


def test_a_hanging_document_times_out_in_a_worker_thread(monkeypatch):
    """Dask runs documents in worker threads, where SIGALRM cannot be used: the per-document
    timeout still stops a looping document, and nothing is raised in the thread afterwards."""
    import threading
    path = sorted(RAW.glob("*.txt"))[0]

    def hanging(p, doc_id=None):
        while True:
            sum(range(1000))   # Python code: the timeout is delivered between instructions

    results, leaked = {}, []

    def worker():
        monkeypatch.setattr(run_mod, "DOC_TIMEOUT", 0.5)
        monkeypatch.setattr(run_mod, "process_document", hanging)
        results["hang"] = run_mod._process_with_timeout(str(path), "hang")
        monkeypatch.setattr(run_mod, "process_document", lambda p, d=None: run_mod.DocResult(doc_id=d, path=p))
        results["quick"] = run_mod._process_with_timeout(str(path), "quick")
        try:
            deadline = time.monotonic() + 1.0   # past the quick document's timer: it was cancelled
            while time.monotonic() < deadline:
                sum(range(1000))
        except BaseException as exc:  # noqa: BLE001
            leaked.append(exc)

    t = threading.Thread(target=worker, daemon=True)
    t.start()
    t.join(20)
    assert not t.is_alive()
    assert [e["stage"] for e in results["hang"].errors] == ["timeout"]
    assert results["quick"].errors == [] and results["quick"].doc_id == "quick"
    assert leaked == []


def _parts(out: Path) -> dict[str, list[str]]:
    """The documents of each part, from the manifest."""
    parts: dict[str, list[str]] = {}
    for doc_id, entry in sorted(json.loads((out / MANIFEST).read_text()).items()):
        parts.setdefault(entry["part"], []).append(doc_id)
    return parts


def _shared_corpus(tmp_path: Path) -> Path:
    raw = _corpus(tmp_path, 5)
    for p in sorted(raw.glob("*.txt")):
        shutil.copy(p, raw / f"copy_{p.name}")
    return raw


def test_documents_share_parts_and_a_rerun_replaces_only_the_changed_ones(tmp_path):
    raw, out = _shared_corpus(tmp_path), tmp_path / "out"
    _run(raw, out)
    shared = [docs for docs in _parts(out).values() if len(docs) > 1]
    assert len(shared) >= 2                              # 10 documents, parts of several
    assert len(list((out / "documents").glob(PART_PREFIX + "*.parquet"))) == len(_parts(out))
    changed, deleted = shared[0][0], shared[1][-1]
    path = raw / f"{changed}.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nĐến năm 2030, có 777 hợp tác xã nông nghiệp.\n",
                    encoding="utf-8")
    (raw / f"{deleted}.txt").unlink()
    s = _run(raw, out)
    assert (s.processed, s.removed, s.skipped) == (1, 1, 8)
    targets = _table(out, "targets")
    assert list(targets[targets.value == 777].doc_id) == [changed]
    clean = tmp_path / "clean"
    _run(raw, clean)
    assert _snapshot(out) == _snapshot(clean)            # the neighbours kept, nothing twice, nothing left over


def test_an_unreadable_part_is_rebuilt(tmp_path, capsys):
    raw, out = _shared_corpus(tmp_path), tmp_path / "out"
    _run(raw, out)
    part, docs = next((p, d) for p, d in _parts(out).items() if len(d) > 1)
    (out / "sections" / f"{part}.parquet").write_bytes(b"PAR1 not a parquet file")
    path = raw / f"{docs[0]}.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    s = _run(raw, out)
    assert s.processed == len(docs) and s.failed == 0    # its other documents were extracted again
    assert f"part {part}" in capsys.readouterr().err
    clean = tmp_path / "clean"
    _run(raw, clean)
    assert _snapshot(out) == _snapshot(clean)


def test_batches_are_parts_of_at_most_part_docs_and_every_worker_gets_several():
    from pipeline.config import PART_DOCS
    todo = [(f"d{i}", f"d{i}.txt") for i in range(1000)]
    big = run_mod._batches(todo, Path("out"), 1)
    assert [len(items) for _, items in big[:-1]] == [PART_DOCS] * (len(big) - 1)
    assert [d for _, items in big for d in items] == todo          # every document once, in order
    small = run_mod._batches(todo[:5], Path("out"), 2)
    assert [len(items) for _, items in small] == [1] * 5         # 2 workers: no batch takes two of five
    assert [len(items) for _, items in run_mod._batches(todo[:40], Path("out"), 2)] == [5] * 8

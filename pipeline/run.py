"""Running the components over documents and corpora.

`process_document` is a pure function from a file to its rows (all tables) and errors;
`extract_corpus` runs it over a folder, incrementally, in a process pool, writing each
document's tables atomically as soon as it is done.
"""
from __future__ import annotations

import hashlib
import sys
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .config import INPUT_SUFFIXES, PIPELINE
from .document import Document

STRUCTURAL = ("normalize", "segment", "tables")


@dataclass
class DocResult:
    doc_id: str
    path: str
    sha256: str = ""
    rows: dict[str, list[dict]] = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.errors)


def _error(doc_id: str, path: str, stage: str, message: str) -> dict:
    return {"doc_id": doc_id, "path": path, "stage": stage, "message": message}


def run_components(doc: Document, names=PIPELINE) -> tuple[Document, list[dict]]:
    """Run the named components in order; an extractor's failure is recorded, the rest still run."""
    from .components import REGISTRY
    errors = []
    for name in names:
        try:
            doc = REGISTRY[name](doc)
        except Exception as exc:  # noqa: BLE001 - any failure of a component is reported, never fatal
            errors.append(_error(doc.doc_id, doc.source_path, name, f"{type(exc).__name__}: {exc}"
                                 + _where(exc)))
            if name in STRUCTURAL:
                break
    return doc, errors


def _where(exc: BaseException) -> str:
    tb = traceback.extract_tb(exc.__traceback__)
    return f" (at {Path(tb[-1].filename).name}:{tb[-1].lineno})" if tb else ""


def process_document(path: str | Path, doc_id: str | None = None) -> DocResult:
    """Load one file and run every component on it."""
    from .load import InputError, read_document
    path = Path(path)
    doc_id = doc_id or path.stem
    result = DocResult(doc_id=doc_id, path=str(path))
    try:
        doc = read_document(path, doc_id)
    except InputError as exc:
        result.errors.append(_error(doc_id, str(path), "load", str(exc)))
        return result
    except Exception as exc:  # noqa: BLE001 - a parser's crash is this file's failure only
        result.errors.append(_error(doc_id, str(path), "load", f"{type(exc).__name__}: {exc}"))
        return result
    result.sha256 = doc.sha256
    doc, errors = run_components(doc)
    result.errors.extend(errors)
    result.rows = doc.rows
    return result


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def discover(raw_dir: Path) -> tuple[dict[str, Path], list[dict]]:
    """Input files by doc_id; files of unknown type are reported, never silently skipped."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"input folder not found: {raw_dir}")
    found: dict[str, Path] = {}
    problems: list[dict] = []
    for path in sorted(p for p in raw_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(raw_dir)
        if any(part.startswith(".") for part in rel.parts):
            continue
        doc_id = path.stem
        if path.suffix.lower() not in INPUT_SUFFIXES:
            problems.append(_error(doc_id, str(path), "discover",
                                   f"unsupported file type '{path.suffix or '(none)'}'; expected one of "
                                   + ", ".join(INPUT_SUFFIXES)))
            continue
        if doc_id in found:
            doc_id = f"{path.stem}_{path.suffix.lstrip('.').lower()}"
        found[doc_id] = path
    return found, problems


@dataclass
class RunSummary:
    processed: int = 0
    skipped: int = 0
    failed: int = 0
    removed: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    failures: list[dict] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        rows = ", ".join(f"{k} {v}" for k, v in self.rows.items())
        return (f"{self.processed} processed, {self.skipped} skipped, {self.failed} failed, "
                f"{self.removed} removed in {self.seconds:.1f}s; rows written: {rows or 'none'}")


def _worker(args) -> tuple[str, str, str, dict[str, int], list[dict]]:
    """Process and write one document (runs in a worker process)."""
    from .io import write_document, write_failure
    doc_id, path, out_dir = args
    result = process_document(path, doc_id)
    counts = {t: len(r) for t, r in result.rows.items()}
    structural_fail = any(e["stage"] in ("load",) + STRUCTURAL for e in result.errors)
    try:
        if structural_fail:
            write_failure(Path(out_dir), doc_id, result.errors)
            counts = {}
        else:
            write_document(Path(out_dir), doc_id, result.rows, result.errors)
    except Exception as exc:  # noqa: BLE001
        result.errors.append(_error(doc_id, str(path), "write", f"{type(exc).__name__}: {exc}"))
    return doc_id, str(path), result.sha256, counts, result.errors


def extract_corpus(raw_dir: Path, out_dir: Path, workers: int | None = None, force: bool = False,
                   progress: bool = True, engine: str = "local", scheduler: str | None = None) -> RunSummary:
    """Extract every document of `raw_dir` into `out_dir`, skipping unchanged ones."""
    from .io import ensure_tables, read_manifest, remove_document, write_failure, write_manifest
    started = time.perf_counter()
    out_dir = Path(out_dir)
    files, problems = discover(raw_dir)
    ensure_tables(out_dir)
    manifest = read_manifest(out_dir)
    summary = RunSummary()

    # documents deleted from the input lose their rows
    for doc_id in sorted(set(manifest) - set(files)):
        remove_document(out_dir, doc_id)
        del manifest[doc_id]
        summary.removed += 1
    for problem in problems:
        write_failure(out_dir, problem["doc_id"], [problem])
        manifest.pop(problem["doc_id"], None)
        summary.failed += 1
        summary.failures.append(problem)

    todo = []
    for doc_id, path in files.items():
        entry = manifest.get(doc_id)
        if (not force and entry and entry.get("version") == __version__ and entry.get("ok")
                and entry.get("sha256") == file_sha256(path)):
            summary.skipped += 1
            continue
        todo.append((doc_id, str(path), str(out_dir)))

    if todo:
        results = _map(todo, workers, engine, scheduler, progress)
        for doc_id, path, sha, counts, errors in results:
            for table, n in counts.items():
                summary.rows[table] = summary.rows.get(table, 0) + n
            manifest[doc_id] = {"sha256": sha, "version": __version__, "path": path, "ok": not errors}
            if errors:
                summary.failed += 1
                summary.failures.extend(errors)
            else:
                summary.processed += 1
            write_manifest(out_dir, manifest)   # progress survives a killed run
    write_manifest(out_dir, manifest)
    summary.seconds = time.perf_counter() - started
    return summary


def _map(todo, workers, engine, scheduler, progress):
    if engine == "dask":
        from .engines import dask_map
        yield from dask_map(_worker, todo, scheduler=scheduler, progress=progress)
        return
    bar = None
    if progress and len(todo) > 3:
        from tqdm import tqdm
        bar = tqdm(total=len(todo), unit="doc", file=sys.stderr, desc="extract")
    if workers == 1 or len(todo) == 1:
        it = map(_worker, todo)
        pool = None
    else:
        pool = ProcessPoolExecutor(max_workers=workers)
        it = pool.map(_worker, todo, chunksize=1)
    try:
        for item in it:
            if bar:
                bar.update(1)
            yield item
    finally:
        if pool:
            pool.shutdown()
        if bar:
            bar.close()

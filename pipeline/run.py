"""Running the components over documents and corpora.

`process_document` is a pure function from a file to its rows (all tables) and errors;
`extract_corpus` runs it over a folder, incrementally, in a process pool, writing the tables
of each batch of documents atomically as one part (see `pipeline.io`) as soon as it is done.

What makes a run lose nothing:
- the manifest (`_manifest.json`) records, per document, the file's hash, the pipeline
  version (package version + a fingerprint of the code and data files) and the part holding
  its rows; a document is re-extracted when either changes, skipped otherwise;
- before anything is written the documents to redo are marked dirty in the manifest, then
  their rows taken out of their parts, so a run killed at any moment is completed by the next
  one; each file is written to a temporary name and renamed, so readers only ever see whole
  files; a part the manifest does not name (its run was killed first) is deleted;
- rows of documents no longer in the input folder are removed;
- a document that fails (any stage, a crashed or hung worker) becomes rows of the `errors`
  table and never stops the others.
"""
from __future__ import annotations

import ctypes
import fcntl
import hashlib
import os
import signal
import sys
import threading
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import __version__
from .config import INPUT_SUFFIXES, PART_DOCS, PIPELINE, ROOT
from .document import Document

STRUCTURAL = ("normalize", "segment", "tables")
# stages whose failure leaves no usable rows: the document is recorded in `errors` only
FATAL_STAGES = ("load", "check", "timeout", "crash") + STRUCTURAL
# a document taking longer than this is stopped and reported (a parser looping on a hostile file)
DOC_TIMEOUT = float(os.environ.get("PIPELINE_DOC_TIMEOUT", "300"))
MANIFEST_EVERY = 2.0   # seconds between manifest saves during a run (and one at the end) ...
MANIFEST_SHARE = 0.05  # ... or more, so that saving a large manifest takes at most this share of the run
IGNORED_PREFIXES = (".", "~$")   # hidden files, Word's lock files


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


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """Package version + fingerprint of the code and data that produce the rows."""
    h = hashlib.sha256()
    for folder, pattern in (("pipeline", "*.py"), ("pipeline/data", "*.json"), ("extractors", "*.py")):
        for path in sorted((ROOT / folder).glob(pattern)):
            if path.name.startswith(("qa", "gold", "dictionary", "cli", "engines", "__main__")):
                continue   # code that does not change the rows
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return f"{__version__}+{h.hexdigest()[:12]}"


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
    from .load import InputError, not_a_plan, read_document
    path = Path(path)
    doc_id = doc_id or path.stem
    result = DocResult(doc_id=doc_id, path=str(path))
    try:
        doc = read_document(path, doc_id)
    except InputError as exc:
        result.errors.append(_error(doc_id, str(path), "load", str(exc)))
        return result
    except (Exception, RecursionError, MemoryError) as exc:  # noqa: BLE001 - a parser's crash is this file's failure only
        result.errors.append(_error(doc_id, str(path), "load", f"cannot read the file ({type(exc).__name__}: {exc})"))
        return result
    result.sha256 = doc.sha256
    doc, errors = run_components(doc)
    result.errors.extend(errors)
    if not any(e["stage"] in FATAL_STAGES for e in errors):
        problem = not_a_plan(doc)
        if problem:
            result.errors.append(_error(doc_id, str(path), "check", problem))
    result.rows = doc.rows
    return result


class DocumentTimeout(BaseException):
    """Raised in a worker when one document runs past DOC_TIMEOUT (BaseException: components'
    `except Exception` must not swallow it)."""


def _on_alarm(signum, frame):
    raise DocumentTimeout()


class _ThreadTimeout:
    """Raise DocumentTimeout in the calling thread after `seconds`, for threads where SIGALRM
    cannot be used (Dask's worker threads). The exception is delivered at the thread's next
    Python instruction, so pure-Python loops stop; a single long C call finishes first."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.lock = threading.Lock()
        self.active = self.fired = False

    def _fire(self):
        with self.lock:
            if self.active:
                self.fired = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.thread_id),
                                                           ctypes.py_object(DocumentTimeout))

    def __enter__(self):
        self.thread_id = threading.get_ident()
        self.active = True
        self.timer = threading.Timer(self.seconds, self._fire)
        self.timer.daemon = True
        self.timer.start()
        return self

    def __exit__(self, *exc):
        self.timer.cancel()
        with self.lock:
            self.active = False
            if self.fired:   # fired but not yet delivered: withdrawn, it must not hit the caller's code
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.thread_id), None)
        return False


def _process_with_timeout(path: str, doc_id: str) -> DocResult:
    try:
        if DOC_TIMEOUT <= 0:
            return process_document(path, doc_id)
        if threading.current_thread() is not threading.main_thread():
            with _ThreadTimeout(DOC_TIMEOUT):   # Dask's worker threads
                return process_document(path, doc_id)
        # process pools: SIGALRM (works only in a main thread) also stops a long C call of a parser
        previous = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, DOC_TIMEOUT)
        try:
            return process_document(path, doc_id)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    except DocumentTimeout:
        result = DocResult(doc_id=doc_id, path=path)
        result.errors.append(_error(doc_id, path, "timeout",
                                    f"stopped after {DOC_TIMEOUT:.0f}s (PIPELINE_DOC_TIMEOUT); the file is "
                                    "too large or makes a parser loop"))
        return result


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def discover(raw_dir: Path) -> tuple[dict[str, Path], list[dict]]:
    """Input files by doc_id; files of unknown type are reported, never silently skipped.

    doc_id is the file name without extension; when two files share it (plan.txt and
    plan.pdf, or the same name in two sub-folders) the later ones get their extension,
    then a number, appended, in sorted path order so the ids are stable between runs.
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"input folder not found: {raw_dir}")
    paths = []
    for path in sorted(p for p in raw_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(raw_dir)
        if any(part.startswith(IGNORED_PREFIXES) for part in rel.parts):
            continue
        paths.append(path)
    supported = [p for p in paths if p.suffix.lower() in INPUT_SUFFIXES]
    others = [p for p in paths if p.suffix.lower() not in INPUT_SUFFIXES]
    taken: set[str] = set()

    def unique(path: Path) -> str:
        doc_id = path.stem
        if doc_id in taken:
            doc_id = f"{path.stem}_{path.suffix.lstrip('.').lower() or 'file'}"
        n = 2
        base = doc_id
        while doc_id in taken:
            doc_id, n = f"{base}_{n}", n + 1
        taken.add(doc_id)
        return doc_id

    found = {unique(p): p for p in supported}
    problems = []
    for path in others:
        problems.append(_error(unique(path), str(path), "discover",
                               f"unsupported file type '{path.suffix or '(none)'}'; expected one of "
                               + ", ".join(INPUT_SUFFIXES)))
    return found, problems


@dataclass
class RunSummary:
    processed: int = 0
    skipped: int = 0
    failed: int = 0
    removed: int = 0
    carried: int = 0     # failed documents skipped because unchanged (their error rows stay)
    rows: dict[str, int] = field(default_factory=dict)   # rows per table in the output after the run
    failures: list[dict] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        rows = ", ".join(f"{k} {v}" for k, v in self.rows.items())
        carried = f" ({self.carried} of them unchanged, not retried)" if self.carried else ""
        return (f"{self.processed} processed, {self.skipped} skipped, {self.failed} failed{carried}, "
                f"{self.removed} removed in {self.seconds:.1f}s; rows: {rows or 'none'}")


def _worker(batch) -> list[tuple[str, str, str, dict[str, int], list[dict], str | None]]:
    """Process a batch of documents and write their rows as one part (runs in a worker process).
    Returns, per document: doc_id, path, sha256, rows per table, errors, part (None if not written)."""
    from .io import new_part, write_part
    out_dir, items = batch
    part = new_part()
    rows: dict[str, list[dict]] = {}
    results = []
    for doc_id, path in items:
        result = _process_with_timeout(path, doc_id)
        counts = {}
        if not any(e["stage"] in FATAL_STAGES for e in result.errors):   # a fatal error leaves its row only
            counts = {t: len(r) for t, r in result.rows.items()}
            for table, table_rows in result.rows.items():
                rows.setdefault(table, []).extend(table_rows)
        rows.setdefault("errors", []).extend(result.errors)
        results.append((doc_id, str(path), result.sha256, counts, result.errors))
    try:
        write_part(Path(out_dir), part, rows)
    except Exception as exc:  # noqa: BLE001 - nothing of the batch is written; the next run retries it
        message = f"{type(exc).__name__}: {exc}"
        return [(d, p, sha, {}, errors + [_error(d, p, "write", message)], None) for d, p, sha, _, errors in results]
    return [(*r, part) for r in results]


def _failed_batch(out_dir: str, items, stage: str, message: str) -> list[tuple]:
    """Every document of a batch failed with the same error: one part of their error rows."""
    from .io import new_part, write_part
    errors = {doc_id: [_error(doc_id, path, stage, message)] for doc_id, path in items}
    part = new_part()
    try:
        write_part(Path(out_dir), part, {"errors": [e for es in errors.values() for e in es]})
    except Exception:  # noqa: BLE001 - the errors are still reported in the summary
        part = None
    return [(doc_id, path, "", {}, errors[doc_id], part) for doc_id, path in items]


def _isolated(out_dir: str, doc_id: str, path: str) -> tuple:
    """Run one document in a fresh process: a crash there is this document's failure only."""
    from concurrent.futures.process import BrokenProcessPool
    try:
        with ProcessPoolExecutor(max_workers=1) as pool:
            return pool.submit(_worker, (out_dir, [(doc_id, path)])).result()[0]
    except BrokenProcessPool:
        message = ("the worker process died on this file (killed by the system, out of memory, or a "
                   "parser crash)")
    except Exception as exc:  # noqa: BLE001
        message = f"{type(exc).__name__}: {exc}"
    return _failed_batch(out_dir, [(doc_id, path)], "crash", message)[0]


class _Lock:
    """One extraction at a time per output folder (a second run waits)."""

    def __init__(self, out_dir: Path):
        self.path = Path(out_dir) / ".lock"

    def __enter__(self):
        self.fh = open(self.path, "a")
        try:
            fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for another extraction writing to {self.path.parent} ...", file=sys.stderr)
            fcntl.flock(self.fh, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.fh, fcntl.LOCK_UN)
        self.fh.close()


def _unchanged(entry: dict | None, path: Path, version: str) -> bool:
    """Is the manifest entry a finished extraction of this very file by this very pipeline?"""
    if not entry or entry.get("dirty") or entry.get("version") != version or not entry.get("part"):
        return False
    if any(e.get("stage") in ("write", "crash", "timeout") for e in entry.get("errors", ())):
        return False   # possibly transient: tried again
    st = path.stat()
    if entry.get("size") == st.st_size and entry.get("mtime_ns") == st.st_mtime_ns:
        return True    # same size and modification time: the hash is not recomputed
    return entry.get("sha256") == file_sha256(path)


def extract_corpus(raw_dir: Path, out_dir: Path, workers: int | None = None, force: bool = False,
                   progress: bool = True, engine: str = "local", scheduler: str | None = None) -> RunSummary:
    """Extract every document of `raw_dir` into `out_dir`, skipping unchanged ones."""
    started = time.perf_counter()
    out_dir = Path(out_dir)
    files, problems = discover(raw_dir)
    # an output folder inside the input folder is not input
    inside = out_dir.resolve()
    files = {d: p for d, p in files.items() if inside not in p.resolve().parents}
    problems = [e for e in problems if inside not in Path(e["path"]).resolve().parents]
    out_dir.mkdir(parents=True, exist_ok=True)
    with _Lock(out_dir):
        summary = _extract_locked(files, problems, out_dir, workers, force, progress, engine, scheduler)
    summary.seconds = time.perf_counter() - started
    return summary


def _extract_locked(files, problems, out_dir, workers, force, progress, engine, scheduler) -> RunSummary:
    from .io import ensure_tables, new_part, read_manifest, remove_stale_temps, write_manifest, write_part
    ensure_tables(out_dir)
    remove_stale_temps(out_dir)
    manifest = read_manifest(out_dir)
    version = pipeline_version()
    summary = RunSummary()
    _remove_orphan_parts(out_dir, manifest)

    redo = {doc_id for doc_id, path in files.items() if force or not _unchanged(manifest.get(doc_id), path, version)}
    # documents deleted from the input lose their rows; input problems are written anew
    known = set(files) | {p["doc_id"] for p in problems}
    gone = sorted(set(manifest) - known)
    redo |= set(gone) | {p["doc_id"] for p in problems}
    # journal: a run killed from here on leaves these documents dirty, so the next run redoes them
    for doc_id in redo:
        if doc_id in manifest:
            manifest[doc_id] = {**manifest[doc_id], "dirty": True}
    write_manifest(out_dir, manifest)
    redo |= _take_out(out_dir, manifest, redo)
    for doc_id in gone:
        manifest.pop(doc_id)
        summary.removed += 1
    if problems:
        part = new_part()
        write_part(out_dir, part, {"errors": problems})
        for problem in problems:
            manifest[problem["doc_id"]] = {"path": problem["path"], "version": version, "errors": [problem],
                                           "part": part}
            summary.failed += 1
            summary.failures.append(problem)
    todo = []
    for doc_id, path in files.items():
        if doc_id in redo:
            todo.append((doc_id, str(path)))
            continue
        summary.skipped += 1
        if manifest[doc_id].get("errors"):
            summary.failed += 1
            summary.carried += 1
            summary.failures.extend(manifest[doc_id]["errors"])
    write_manifest(out_dir, manifest)

    if todo:
        last_save, save_cost = time.monotonic(), 0.0
        done: set[str] = set()
        for doc_id, path, sha, counts, errors, part in _results(todo, out_dir, workers, engine, scheduler,
                                                                progress, done):
            st = _stat(path)
            manifest[doc_id] = {"sha256": sha, "version": version, "path": path, "rows": counts, "part": part,
                                "size": st.st_size if st else None, "mtime_ns": st.st_mtime_ns if st else None}
            if errors:
                manifest[doc_id]["errors"] = errors
                summary.failed += 1
                summary.failures.extend(errors)
            else:
                summary.processed += 1
            if manifest_save_due(time.monotonic() - last_save, save_cost):
                t = time.monotonic()
                write_manifest(out_dir, manifest)   # progress survives a killed run
                last_save = time.monotonic()
                save_cost = last_save - t
    write_manifest(out_dir, manifest)
    _remove_orphan_parts(out_dir, manifest)   # a batch written by a worker that died before reporting it
    from .schemas import DOCUMENT_TABLES
    summary.rows = {t: 0 for t in DOCUMENT_TABLES}
    for entry in manifest.values():
        for table, n in entry.get("rows", {}).items():
            summary.rows[table] = summary.rows.get(table, 0) + n
    summary.rows["errors"] = sum(len(e.get("errors", ())) for e in manifest.values())
    return summary


def _remove_orphan_parts(out_dir: Path, manifest: dict) -> None:
    """Delete the parts no manifest entry names: written by a run killed before it recorded them
    (their documents are dirty, so redone), or files of an older layout."""
    from .io import drop_from_part, written_parts
    named = {e.get("part") for e in manifest.values()}
    for part in written_parts(out_dir) - named:
        drop_from_part(out_dir, part)


def _take_out(out_dir: Path, manifest: dict, redo: set[str]) -> set[str]:
    """Remove the rows of the documents in `redo` from their parts (a part left with none is
    deleted). A part that cannot be read is deleted whole: its other documents are returned,
    to be extracted again."""
    from .io import drop_from_part
    docs_of: dict[str, list[str]] = {}
    for doc_id, entry in manifest.items():
        if entry.get("part"):
            docs_of.setdefault(entry["part"], []).append(doc_id)
    again: set[str] = set()
    for part, doc_ids in docs_of.items():
        leaving = redo.intersection(doc_ids)
        if not leaving:
            continue
        if len(leaving) == len(doc_ids):
            drop_from_part(out_dir, part)
            continue
        try:
            drop_from_part(out_dir, part, leaving)
        except Exception as exc:  # noqa: BLE001 - OSError, ArrowException: the part is rebuilt
            print(f"warning: part {part} of {out_dir} is unreadable ({type(exc).__name__}: {exc}); "
                  "its documents are extracted again", file=sys.stderr)
            drop_from_part(out_dir, part)
            for doc_id in set(doc_ids) - leaving:
                manifest[doc_id] = {**manifest[doc_id], "dirty": True}
                again.add(doc_id)
    return again


def manifest_save_due(since_last: float, last_cost: float) -> bool:
    """Save the manifest every MANIFEST_EVERY seconds, less often when saving it is slow (tens of
    thousands of documents), so the saves never take more than MANIFEST_SHARE of the run."""
    return since_last > max(MANIFEST_EVERY, last_cost / MANIFEST_SHARE)


def _stat(path: str):
    try:
        return os.stat(path)
    except OSError:
        return None


def _batches(todo: list[tuple[str, str]], out_dir: Path, workers: int | None) -> list[tuple[str, list]]:
    """The documents to do in batches of PART_DOCS (one part each), smaller when that gives a
    worker fewer than four batches."""
    n_workers = workers or os.cpu_count() or 1
    size = max(1, min(PART_DOCS, -(-len(todo) // (4 * n_workers))))
    return [(str(out_dir), todo[i:i + size]) for i in range(0, len(todo), size)]


def _results(todo, out_dir, workers, engine, scheduler, progress, done: set[str]):
    """Per-document results of `_map`; when the pool breaks (a worker killed), the documents not
    yet done are run one by one in fresh processes, so one crashing file fails alone."""
    try:
        for results in _map(_batches(todo, out_dir, workers), workers, engine, scheduler, progress):
            for result in results:
                done.add(result[0])
                yield result
    except Exception as exc:  # noqa: BLE001 - BrokenProcessPool and the like
        if engine != "local":
            raise
        left = [t for t in todo if t[0] not in done]
        print(f"warning: the worker pool failed ({type(exc).__name__}); running the {len(left)} remaining "
              "document(s) one by one", file=sys.stderr)
        for doc_id, path in left:
            result = _isolated(str(out_dir), doc_id, path)
            done.add(doc_id)
            yield result


def _cluster_failure(batch, exc) -> list[tuple]:
    """A task the Dask cluster could not run (its worker died): the failure of its documents only."""
    out_dir, items = batch
    return _failed_batch(out_dir, items, "crash", f"the cluster could not run this file: {type(exc).__name__}: {exc}")


def _map(batches, workers, engine, scheduler, progress):
    """Results of `_worker` for every batch (lists of per-document results), in completion order."""
    if engine == "dask":
        from .engines import dask_map
        yield from dask_map(_worker, batches, scheduler=scheduler, progress=progress, n_workers=workers,
                            on_error=_cluster_failure, size=lambda batch: len(batch[1]))
        return
    bar = None
    n_docs = sum(len(items) for _, items in batches)
    if progress and n_docs > 3:
        from tqdm import tqdm
        bar = tqdm(total=n_docs, unit="doc", file=sys.stderr, desc="extract")
    if workers == 1 or len(batches) == 1:
        it = map(_worker, batches)
        pool = None
    else:
        pool = ProcessPoolExecutor(max_workers=workers)
        it = pool.map(_worker, batches, chunksize=1)
    try:
        for results in it:
            if bar:
                bar.update(len(results))
            yield results
    finally:
        if pool:
            pool.shutdown()
        if bar:
            bar.close()

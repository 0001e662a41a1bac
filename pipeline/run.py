"""Running the components over documents and corpora.

`process_document` is a pure function from a file to its rows (all tables) and errors;
`extract_corpus` runs it over a folder, incrementally, in a process pool, writing each
document's tables atomically as soon as it is done.

What makes a run lose nothing:
- the manifest (`_manifest.json`) records, per document, the file's hash and the pipeline
  version (package version + a fingerprint of the code and data files); a document is
  re-extracted when either changes, skipped otherwise;
- before any document is written its manifest entry is marked dirty, so a run killed at any
  moment is completed by the next one; each table file is written to a temporary name and
  renamed, so readers only ever see whole files;
- rows of documents no longer in the input folder are removed, whatever the manifest says;
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
from .config import INPUT_SUFFIXES, PIPELINE, ROOT
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


def _worker(args) -> tuple[str, str, str, dict[str, int], list[dict]]:
    """Process and write one document (runs in a worker process)."""
    from .io import write_document, write_failure
    doc_id, path, out_dir = args
    result = _process_with_timeout(path, doc_id)
    counts = {t: len(r) for t, r in result.rows.items()}
    fatal = any(e["stage"] in FATAL_STAGES for e in result.errors)
    try:
        if fatal:
            write_failure(Path(out_dir), doc_id, result.errors)
            counts = {}
        else:
            write_document(Path(out_dir), doc_id, result.rows, result.errors)
    except Exception as exc:  # noqa: BLE001
        result.errors.append(_error(doc_id, str(path), "write", f"{type(exc).__name__}: {exc}"))
    return doc_id, str(path), result.sha256, counts, result.errors


def _isolated(item) -> tuple[str, str, str, dict[str, int], list[dict]]:
    """Run one document in a fresh process: a crash there is this document's failure only."""
    from concurrent.futures.process import BrokenProcessPool
    doc_id, path, out_dir = item
    try:
        with ProcessPoolExecutor(max_workers=1) as pool:
            return pool.submit(_worker, item).result()
    except BrokenProcessPool:
        error = _error(doc_id, path, "crash", "the worker process died on this file (killed by the "
                                             "system, out of memory, or a parser crash)")
    except Exception as exc:  # noqa: BLE001
        error = _error(doc_id, path, "crash", f"{type(exc).__name__}: {exc}")
    from .io import write_failure
    try:
        write_failure(Path(out_dir), doc_id, [error])
    except Exception:  # noqa: BLE001 - the error is still reported in the summary
        pass
    return doc_id, path, "", {}, [error]


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
    if not entry or entry.get("dirty") or entry.get("version") != version:
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
    from .io import (ensure_tables, read_manifest, remove_document, remove_stale_temps, write_failure,
                     write_manifest, written_doc_ids)
    ensure_tables(out_dir)
    remove_stale_temps(out_dir)
    manifest = read_manifest(out_dir)
    version = pipeline_version()
    summary = RunSummary()

    # documents deleted from the input lose their rows (also rows the manifest lost track of)
    known = set(files) | {p["doc_id"] for p in problems}
    for doc_id in sorted((set(manifest) | written_doc_ids(out_dir)) - known):
        remove_document(out_dir, doc_id)
        if manifest.pop(doc_id, None) is not None:
            summary.removed += 1
    for problem in problems:
        write_failure(out_dir, problem["doc_id"], [problem])
        manifest[problem["doc_id"]] = {"path": problem["path"], "version": version, "errors": [problem]}
        summary.failed += 1
        summary.failures.append(problem)

    todo = []
    for doc_id, path in files.items():
        entry = manifest.get(doc_id)
        if not force and _unchanged(entry, path, version):
            summary.skipped += 1
            if entry.get("errors"):
                summary.failed += 1
                summary.carried += 1
                summary.failures.extend(entry["errors"])
            continue
        todo.append((doc_id, str(path), str(out_dir)))
        # journal: a run killed from here on leaves this document dirty, so the next run redoes it
        manifest[doc_id] = {**(entry or {}), "dirty": True}
    write_manifest(out_dir, manifest)

    if todo:
        last_save, save_cost = time.monotonic(), 0.0
        done: set[str] = set()
        for doc_id, path, sha, counts, errors in _results(todo, workers, engine, scheduler, progress, done):
            st = _stat(path)
            manifest[doc_id] = {"sha256": sha, "version": version, "path": path, "rows": counts,
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
    from .schemas import DOCUMENT_TABLES
    summary.rows = {t: 0 for t in DOCUMENT_TABLES}
    for entry in manifest.values():
        for table, n in entry.get("rows", {}).items():
            summary.rows[table] = summary.rows.get(table, 0) + n
    summary.rows["errors"] = sum(len(e.get("errors", ())) for e in manifest.values())
    return summary


def manifest_save_due(since_last: float, last_cost: float) -> bool:
    """Save the manifest every MANIFEST_EVERY seconds, less often when saving it is slow (tens of
    thousands of documents), so the saves never take more than MANIFEST_SHARE of the run."""
    return since_last > max(MANIFEST_EVERY, last_cost / MANIFEST_SHARE)


def _stat(path: str):
    try:
        return os.stat(path)
    except OSError:
        return None


def _results(todo, workers, engine, scheduler, progress, done: set[str]):
    """Results of `_map`; when the pool breaks (a worker killed), the documents not yet done
    are run one by one in fresh processes, so one crashing file fails alone."""
    try:
        for item in _map(todo, workers, engine, scheduler, progress):
            done.add(item[0])
            yield item
    except Exception as exc:  # noqa: BLE001 - BrokenProcessPool and the like
        if engine != "local":
            raise
        left = [t for t in todo if t[0] not in done]
        print(f"warning: the worker pool failed ({type(exc).__name__}); running the {len(left)} remaining "
              "document(s) one by one", file=sys.stderr)
        for item in left:
            result = _isolated(item)
            done.add(item[0])
            yield result


def _cluster_failure(item, exc) -> tuple[str, str, str, dict[str, int], list[dict]]:
    """A task the Dask cluster could not run (its worker died): this document's failure only."""
    from .io import write_failure
    doc_id, path, out_dir = item
    error = _error(doc_id, path, "crash", f"the cluster could not run this file: {type(exc).__name__}: {exc}")
    try:
        write_failure(Path(out_dir), doc_id, [error])
    except Exception:  # noqa: BLE001 - the error is still reported in the summary
        pass
    return doc_id, path, "", {}, [error]


def _map(todo, workers, engine, scheduler, progress):
    if engine == "dask":
        from .engines import dask_map
        yield from dask_map(_worker, todo, scheduler=scheduler, progress=progress, n_workers=workers,
                            on_error=_cluster_failure)
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

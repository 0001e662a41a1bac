"""Stage 5, write: one Parquet file per document inside a folder per table, written atomically.

`outputs/<table>/<doc_id>.parquet` lets `pd.read_parquet("outputs/<table>")` load the whole
table, and lets a re-run replace only the documents that changed. Every file is written
to a temporary name and renamed into place, so a killed run never leaves a half-written
file; `_manifest.json` records what each document was extracted from.
"""
from __future__ import annotations

import itertools
import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .schemas import DOCUMENT_TABLES, TABLES, to_table

MANIFEST = "_manifest.json"
ALL_TABLES = DOCUMENT_TABLES + ("errors",)
# A zero-row file per table folder so an empty table still loads (pyarrow skips names starting with "_" or ".").
SCHEMA_FILE = "schema-only.parquet"


_TEMP_SEQ = itertools.count()


def _write_temp(path: Path, data, sync: bool = False) -> str:
    """Write `data` to a new hidden temporary file next to `path`; returns its name.

    One `open` with O_EXCL under a name unique to this process (no mkstemp name search, no
    chmod: the mode is the one any new file gets, 0666 less the umask)."""
    while True:
        tmp = os.path.join(path.parent, f".{path.name}.{os.getpid()}-{next(_TEMP_SEQ)}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileExistsError:
            continue   # left by a killed process that had the same pid
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if sync:
                fh.flush()
                os.fsync(fh.fileno())
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path = Path(path)
    os.replace(_write_temp(path, data, sync=True), path)


def _tmp_parquet(path: Path, table) -> str:
    # serialized in memory, then written in one go: per-document tables are small, and the
    # file system's calls dominated the write time
    buf = pa.BufferOutputStream()
    pq.write_table(table, buf)
    return _write_temp(path, buf.getvalue())   # an Arrow buffer: written without a copy


def table_path(out_dir: Path, table: str, doc_id: str) -> Path:
    return Path(out_dir) / table / f"{doc_id}.parquet"


def write_document(out_dir: Path, doc_id: str, rows: dict[str, list[dict]], errors: list[dict]) -> None:
    """Write every table's rows of one document: all temp files first, then the renames."""
    out_dir = Path(out_dir)
    staged = []
    try:
        for table in DOCUMENT_TABLES:
            staged.append((_tmp_parquet(table_path(out_dir, table, doc_id), to_table(table, rows.get(table, []))),
                           table_path(out_dir, table, doc_id)))
        err_path = table_path(out_dir, "errors", doc_id)
        if errors:
            staged.append((_tmp_parquet(err_path, to_table("errors", errors)), err_path))
    except BaseException:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
        raise
    for tmp, final in staged:
        os.replace(tmp, final)
    if not errors:
        remove_file(table_path(out_dir, "errors", doc_id))


def write_failure(out_dir: Path, doc_id: str, errors: list[dict]) -> None:
    """A document that could not be extracted: drop its old rows, record the error."""
    path = table_path(Path(out_dir), "errors", doc_id)
    tmp = _tmp_parquet(path, to_table("errors", errors))
    remove_document(out_dir, doc_id, keep_errors=True)
    os.replace(tmp, path)


def remove_file(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def remove_document(out_dir: Path, doc_id: str, keep_errors: bool = False) -> None:
    for table in ALL_TABLES:
        if keep_errors and table == "errors":
            continue
        remove_file(table_path(Path(out_dir), table, doc_id))


def ensure_tables(out_dir: Path) -> None:
    """Every table folder exists and holds the current schema, so readers never fail on a fresh run."""
    for table in ALL_TABLES:
        folder = Path(out_dir) / table
        folder.mkdir(parents=True, exist_ok=True)
        empty = folder / SCHEMA_FILE
        try:
            current = pq.read_schema(empty).equals(TABLES[table], check_metadata=True)
        except (OSError, pa.ArrowException):
            current = False   # missing, or an older schema: rewritten
        if not current:
            tmp = _tmp_parquet(empty, TABLES[table].empty_table())
            os.replace(tmp, empty)


def remove_stale_temps(out_dir: Path) -> int:
    """Delete the temporary files a killed run left behind (readers never see them: dot names)."""
    n = 0
    for folder in [Path(out_dir)] + [Path(out_dir) / t for t in ALL_TABLES]:
        try:
            entries = list(os.scandir(folder))
        except FileNotFoundError:
            continue
        for entry in entries:
            if entry.name.startswith(".") and entry.name.endswith(".tmp") and entry.is_file():
                remove_file(Path(entry.path))
                n += 1
    return n


def written_doc_ids(out_dir: Path) -> set[str]:
    """Every doc_id that has a file in some table folder."""
    ids: set[str] = set()
    for table in ALL_TABLES:
        try:
            entries = os.scandir(Path(out_dir) / table)
        except FileNotFoundError:
            continue
        with entries:
            for entry in entries:
                name = entry.name
                if name.endswith(".parquet") and name != SCHEMA_FILE and not name.startswith((".", "_")):
                    ids.add(name[:-len(".parquet")])
    return ids


def read_manifest(out_dir: Path) -> dict:
    path = Path(out_dir) / MANIFEST
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}   # unreadable manifest: everything is re-extracted


def write_manifest(out_dir: Path, manifest: dict) -> None:
    data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    atomic_write_bytes(Path(out_dir) / MANIFEST, data)

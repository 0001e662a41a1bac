"""Stage 5, write: the rows of each batch of documents as one *part*, a Parquet file per table.

`outputs/<table>/part-<id>.parquet` lets `pd.read_parquet("outputs/<table>")` load the whole
table. A part holds up to `PART_DOCS` documents: a corpus of tens of thousands of plans is a
few thousand files, not one per document and table (creating files cost more than writing
them). `_manifest.json` records each document's part and what it was extracted from, so a
re-run takes out of their parts the rows of the documents that changed or left and writes
theirs anew. Every file is written to a temporary name and renamed into place, so a killed
run never leaves a half-written file.
"""
from __future__ import annotations

import itertools
import json
import os
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .schemas import DOCUMENT_TABLES, TABLES, to_table

MANIFEST = "_manifest.json"
ALL_TABLES = DOCUMENT_TABLES + ("errors",)
# A zero-row file per table folder so an empty table still loads (pyarrow skips names starting with "_" or ".").
SCHEMA_FILE = "schema-only.parquet"
PART_PREFIX = "part-"


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


def new_part() -> str:
    """A fresh part name (unique: a part is never rewritten under the same name by another run)."""
    return f"{PART_PREFIX}{uuid.uuid4().hex[:16]}"


def part_path(out_dir: Path, table: str, part: str) -> Path:
    return Path(out_dir) / table / f"{part}.parquet"


def write_part(out_dir: Path, part: str, rows: dict[str, list[dict]]) -> None:
    """Write the rows of a batch of documents as one part: a file per table that has rows.
    All temp files first, then the renames (a part the manifest does not name is an orphan,
    removed by the next run)."""
    out_dir = Path(out_dir)
    staged = []
    try:
        for table in ALL_TABLES:
            if rows.get(table):
                path = part_path(out_dir, table, part)
                staged.append((_tmp_parquet(path, to_table(table, rows[table])), path))
    except BaseException:
        for tmp, _ in staged:
            remove_file(Path(tmp))
        raise
    for tmp, final in staged:
        os.replace(tmp, final)


def drop_from_part(out_dir: Path, part: str, doc_ids: set[str] | None = None) -> None:
    """Remove the rows of `doc_ids` from a part (every row when None), each file rewritten atomically.
    Raises OSError or ArrowException when a file of the part cannot be read."""
    import pyarrow.compute as pc
    for table in ALL_TABLES:
        path = part_path(Path(out_dir), table, part)
        if doc_ids is None:
            remove_file(path)
            continue
        try:
            rows = pq.read_table(path)
        except FileNotFoundError:
            continue
        kept = rows.filter(pc.invert(pc.is_in(rows["doc_id"], value_set=pa.array(sorted(doc_ids), pa.string()))))
        if kept.num_rows == rows.num_rows:
            continue
        if kept.num_rows == 0:
            remove_file(path)
        else:
            os.replace(_tmp_parquet(path, kept), path)


def remove_file(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


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


def written_parts(out_dir: Path) -> set[str]:
    """Every part (and any other data file: an older layout's per-document file) in some table folder."""
    parts: set[str] = set()
    for table in ALL_TABLES:
        try:
            entries = os.scandir(Path(out_dir) / table)
        except FileNotFoundError:
            continue
        with entries:
            for entry in entries:
                name = entry.name
                if name.endswith(".parquet") and name != SCHEMA_FILE and not name.startswith((".", "_")):
                    parts.add(name[:-len(".parquet")])
    return parts


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

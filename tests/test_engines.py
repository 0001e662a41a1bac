"""The Dask engine runs the same stage functions and writes the same tables as the local pool."""
import shutil

import pytest

from conftest import RAW

pytest.importorskip("distributed")


def _corpus(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    # the three smallest plans keep the test fast
    for path in sorted(RAW.glob("*.txt"), key=lambda p: p.stat().st_size)[:3]:
        shutil.copy(path, raw / path.name)
    return raw


def _tables(out_dir):
    import pandas as pd
    from pipeline.io import ALL_TABLES
    tables = {}
    for table in ALL_TABLES:
        df = pd.read_parquet(out_dir / table)
        df = df.drop(columns=[c for c in ("pipeline_version",) if c in df.columns])
        # list columns are not sortable/hashable: compare them as text
        df = df.astype({c: str for c in df.columns if df[c].map(lambda v: hasattr(v, "__len__")
                                                                and not isinstance(v, str)).any()})
        key = [c for c in ("doc_id", "char_start", "char_end", "section_id") if c in df.columns]
        tables[table] = df.sort_values(key or list(df.columns)).reset_index(drop=True)
    return tables


def test_dask_local_cluster_matches_local_pool(tmp_path):
    from pipeline.io import read_manifest
    from pipeline.run import extract_corpus
    raw = _corpus(tmp_path)
    local = extract_corpus(raw, tmp_path / "local", workers=1, force=True, progress=False)
    dask = extract_corpus(raw, tmp_path / "dask", force=True, progress=False, engine="dask")
    assert local.processed == dask.processed == 3
    assert local.failed == dask.failed == 0
    assert dask.rows == local.rows
    assert local.rows["documents"] == 3
    assert set(read_manifest(tmp_path / "dask")) == {p.stem for p in raw.iterdir()}

    a, b = _tables(tmp_path / "local"), _tables(tmp_path / "dask")
    assert sorted(a["documents"]["doc_id"]) == sorted(p.stem for p in raw.iterdir())
    for table in a:
        assert list(a[table].columns) == list(b[table].columns), table
        assert a[table].equals(b[table]), table


def test_dask_map_on_a_scheduler_address_yields_every_result_once():
    from distributed import LocalCluster

    from pipeline.engines import MAX_IN_FLIGHT_PER_WORKER, dask_map
    # more items than the tasks kept in flight, and a repeated item that must still run twice
    items = [(i, "x") for i in range(3 * MAX_IN_FLIGHT_PER_WORKER)] + [(3, "x")]
    with LocalCluster(n_workers=1, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        out = sorted(dask_map(_double, items, scheduler=cluster.scheduler_address))
        assert out == sorted((2 * i, "xx") for i, _ in items)
        # a failing task: raised by default, or turned into a result by on_error
        bad = [(1, "x"), (-1, "x"), (2, "x")]
        with pytest.raises(ValueError, match="negative"):
            list(dask_map(_double, bad, scheduler=cluster.scheduler_address))
        out = sorted(dask_map(_double, bad, scheduler=cluster.scheduler_address,
                              on_error=lambda item, exc: (item[0], type(exc).__name__)))
        assert out == [(-1, "ValueError"), (2, "xx"), (4, "xx")]


def _double(item):
    n, s = item
    if n < 0:
        raise ValueError("negative")
    return 2 * n, s * 2


HEAVY = ("pandas", "pyarrow", "spacy", "underthesea", "dask", "distributed", "tqdm", "numpy")


def test_help_imports_no_heavy_library():
    """`python -m pipeline --help` stays fast: heavy libraries are imported only when used."""
    import json
    import subprocess
    import sys

    from conftest import ROOT
    code = ("import json, runpy, sys\n"
            "sys.argv = ['pipeline', '--help']\n"
            "try:\n    runpy.run_module('pipeline', run_name='__main__')\n"
            "except SystemExit:\n    pass\n"
            f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)), file=sys.stderr)\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert "extract" in out.stdout            # the help was printed
    assert json.loads(out.stderr.strip().splitlines()[-1]) == []


def test_bench_corpus_is_distinct_copies_up_to_the_size(tmp_path):
    """The benchmark's corpus: copies of the plans under distinct names, just reaching the size."""
    import sys

    from conftest import ROOT
    sys.path.insert(0, str(ROOT / "scripts"))
    import bench
    sources = sorted(RAW.glob("*.txt"))
    files = bench.build_corpus(tmp_path / "c", 0.3, sources)
    sizes = [p.stat().st_size for p in files]
    assert sum(sizes) >= 0.3 * bench.MB > sum(sizes[:-1])
    assert len({p.stem for p in files}) == len(files) > len(sources)      # repeated, never overwritten
    assert files[len(sources)].read_bytes() == sources[0].read_bytes()
    sample = bench.reference_sample(files, 0.1)
    assert sum(p.stat().st_size for p in sample[:-1]) < 0.1 * bench.MB <= sum(p.stat().st_size for p in sample)
    assert bench.reference_sample(files, 0) == files

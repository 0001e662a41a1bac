"""Scale-out engines: the same per-document worker run on a Dask cluster.

`dask_map(fn, items)` submits `fn(item)` for every item to a Dask scheduler (an existing
one given by address, else a local cluster of worker processes) and yields the results
as they complete. The local process pool in `pipeline.run` stays the default engine;
this one is for corpora that outgrow one machine (workers must see the input and output
paths, e.g. on a shared file system).
"""
from __future__ import annotations

import logging
import os
import sys
import time
from typing import Callable, Iterable, Iterator

# Bounded number of tasks in flight: a national corpus is not submitted (and held) at once.
MAX_IN_FLIGHT_PER_WORKER = 4
_DONE = object()


def _import_distributed():
    try:
        import distributed
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise RuntimeError("the dask engine needs `pip install 'dask[distributed]'` "
                           "(or `pip install -e '.[dask]'`)") from exc
    return distributed


def local_cluster(n_workers: int | None = None):
    """A LocalCluster of single-threaded worker processes (the extraction is CPU-bound Python)."""
    distributed = _import_distributed()
    n_workers = n_workers or min(2, os.cpu_count() or 1)
    return distributed.LocalCluster(n_workers=n_workers, processes=True, threads_per_worker=1,
                                    dashboard_address=None, silence_logs=logging.ERROR)


def dask_map(fn: Callable, items: Iterable, scheduler: str | None = None, progress: bool = False,
             n_workers: int | None = None, on_error: Callable | None = None,
             size: Callable = lambda item: 1) -> Iterator:
    """Yield `fn(item)` for every item, computed on Dask, in completion order.

    A task that fails on the cluster (its exception, or its worker killed too often) raises
    here, unless `on_error(item, exc)` is given: its return value is then yielded instead.
    The progress bar counts `size(item)` documents per item.
    """
    distributed = _import_distributed()
    items = list(items)
    if not items:
        return
    cluster = None
    if scheduler:
        client = distributed.Client(scheduler)
    else:
        cluster = local_cluster(n_workers)
        client = distributed.Client(cluster)
    bar = None
    try:
        if progress and len(items) > 3:
            from tqdm import tqdm
            bar = tqdm(total=sum(map(size, items)), unit="doc", file=sys.stderr, desc="extract (dask)")
        todo = iter(items)
        submitted = {}
        pending = distributed.as_completed()
        checked = [0.0, MAX_IN_FLIGHT_PER_WORKER]

        def limit() -> int:
            # re-read every few seconds: a cluster may gain (or lose) workers during the run
            now = time.monotonic()
            if now - checked[0] > 5.0:
                threads = sum(client.nthreads().values())
                checked[:] = [now, max(2, threads * MAX_IN_FLIGHT_PER_WORKER)]
            return checked[1]

        def refill() -> None:
            while pending.count() < limit():
                item = next(todo, _DONE)
                if item is _DONE:
                    return
                # pure=False: every item is run, even two identical argument tuples
                future = client.submit(fn, item, pure=False)
                submitted[future.key] = item
                pending.add(future)

        refill()
        for future in pending:
            item = submitted.pop(future.key)
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 - the caller decides
                if on_error is None:
                    raise
                result = on_error(item, exc)
            future.release()
            if bar:
                bar.update(size(item))
            refill()
            yield result
    finally:
        if bar:
            bar.close()
        client.close()
        if cluster is not None:
            cluster.close()

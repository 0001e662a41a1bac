"""Throughput benchmark: the full extraction (Parquet writing included) against a reference.

Builds a corpus (the bundled plans copied under distinct names until it reaches --size-mb,
or a folder given with --corpus), then measures on that same corpus:

  * the product: `pipeline.run.extract_corpus(..., force=True)` with 1 worker and with
    --workers (default: every core), each in a fresh process, timing the whole call;
  * the reference: underthesea `word_tokenize` over the same texts, one call per non-empty
    line, on the first --ref-mb MB of the corpus (throughput extrapolated to the corpus,
    and printed as such; --ref-mb 0 measures the whole corpus);

with the peak resident memory of each process tree (sampled with psutil; without it, the
kernel's per-process maximum). Prints a table and the ratios; --json prints JSON instead.
--profile also runs a cProfile of the one-worker extraction on a sample and prints the
time spent per component and the top functions.

    .venv/bin/python scripts/bench.py                 # ~30 MB corpus (the figure in docs/performance.md)
    .venv/bin/python scripts/bench.py --size-mb 8     # a quicker run
    .venv/bin/python scripts/bench.py --corpus /data/plans --workers 2 --json
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MB = 1_000_000
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")


# --- corpus ------------------------------------------------------------------------------
def build_corpus(dest: Path, size_mb: float, sources: list[Path]) -> list[Path]:
    """Copies of `sources` with distinct names until the corpus holds `size_mb` MB."""
    dest.mkdir(parents=True, exist_ok=True)
    target, total, out, i = size_mb * MB, 0, [], 0
    while total < target:
        src = sources[i % len(sources)]
        path = dest / f"{i:06d}_{src.stem}{src.suffix}"
        shutil.copyfile(src, path)
        total += path.stat().st_size
        out.append(path)
        i += 1
    return out


def corpus_files(folder: Path) -> list[Path]:
    from pipeline.config import INPUT_SUFFIXES
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))


# --- measuring a child process -----------------------------------------------------------
class PeakRSS:
    """Peak resident memory of a process and its descendants, sampled in a thread."""

    def __init__(self, pid: int, interval: float = 0.05):
        self.pid, self.interval = pid, interval
        self.tree = 0          # peak of the sum over the process tree
        self.single = 0        # peak of any one process
        self._stop = threading.Event()
        try:
            import psutil
        except ImportError:
            self.psutil = None
            return
        self.psutil = psutil
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        psutil = self.psutil
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._stop.is_set():
            try:
                procs = [root] + root.children(recursive=True)
            except psutil.Error:
                break
            rss = []
            for p in procs:
                try:
                    rss.append(p.memory_info().rss)
                except psutil.Error:
                    pass
            if rss:
                self.tree = max(self.tree, sum(rss))
                self.single = max(self.single, max(rss))
            self._stop.wait(self.interval)

    def stop(self):
        self._stop.set()
        if self.psutil:
            self._thread.join()


def run_child(code: str, args: dict) -> dict:
    """Run `code` in a fresh interpreter (ARGS = args); it prints one JSON line last."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.Popen([sys.executable, "-c", code, json.dumps(args)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = PeakRSS(proc.pid)
    out, err = proc.communicate()
    peak.stop()
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark child failed ({proc.returncode}):\n{err[-3000:]}")
    result = json.loads(out.strip().splitlines()[-1])
    if peak.psutil:
        result["peak_rss_mb"] = peak.tree / 2**20
        result["peak_rss_process_mb"] = peak.single / 2**20
        result["rss_method"] = "psutil, sum over the process tree"
    else:
        # ru_maxrss (KiB on Linux) of the largest child so far: a lower bound of the tree's peak
        result["peak_rss_mb"] = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
        result["peak_rss_process_mb"] = result["peak_rss_mb"]
        result["rss_method"] = "getrusage, largest single process"
    return result


EXTRACT_CODE = """
import json, sys, time
args = json.loads(sys.argv[1])
sys.path.insert(0, args["root"])
import resource
if args["stages"]:
    import pipeline.config   # a subset of the components, bound before pipeline.run is imported
    pipeline.config.PIPELINE = tuple(args["stages"])
from pipeline.run import extract_corpus
def cpu():
    return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                 resource.getrusage(resource.RUSAGE_CHILDREN)))
c, t = cpu(), time.perf_counter()
s = extract_corpus(args["corpus"], args["out"], workers=args["workers"], force=True, progress=False,
                   engine=args["engine"])
seconds, cpu_seconds = time.perf_counter() - t, cpu() - c
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "processed": s.processed, "failed": s.failed,
                  "rows": s.rows, "failures": s.failures[:3]}))
"""

REFERENCE_CODE = """
import json, sys, time
args = json.loads(sys.argv[1])
from underthesea import word_tokenize
word_tokenize("Ủy ban nhân dân tỉnh ban hành kế hoạch.")   # model loaded before the clock starts
texts = [open(p, encoding="utf-8", errors="replace").read() for p in args["files"]]
c, t = time.process_time(), time.perf_counter()
tokens = 0
for text in texts:
    for line in text.splitlines():
        if line.strip():
            tokens += len(word_tokenize(line))
seconds, cpu_seconds = time.perf_counter() - t, time.process_time() - c
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "tokens": tokens}))
"""


def measure_extraction(corpus: Path, out: Path, workers: int, engine: str = "local",
                       stages: list[str] | None = None) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    res = run_child(EXTRACT_CODE, {"root": str(ROOT), "corpus": str(corpus), "out": str(out),
                                   "workers": workers, "engine": engine, "stages": stages})
    shutil.rmtree(out, ignore_errors=True)
    return res


def reference_sample(files: list[Path], ref_mb: float) -> list[Path]:
    text_files = [p for p in files if p.suffix.lower() in TEXT_SUFFIXES]
    if ref_mb <= 0:
        return text_files
    sample, total = [], 0
    for p in text_files:
        if total >= ref_mb * MB:
            break
        sample.append(p)
        total += p.stat().st_size
    return sample


# --- profile -----------------------------------------------------------------------------
def profile(files: list[Path], out: Path, top: int = 25) -> dict:
    """Time per component and the top functions (cProfile) of the one-worker extraction."""
    import cProfile
    import io
    import pstats

    from pipeline.components import REGISTRY
    from pipeline.config import PART_DOCS, PIPELINE
    from pipeline.io import ensure_tables, new_part, write_part
    from pipeline.load import read_document

    ensure_tables(out)
    stage = {name: 0.0 for name in ("load",) + tuple(PIPELINE) + ("write",)}
    batch: dict[str, list] = {}
    in_batch = [0]

    def write(flush: bool = False):
        # as the run does: the rows of PART_DOCS documents written as one part
        if in_batch[0] and (flush or in_batch[0] >= PART_DOCS):
            t = time.perf_counter()
            write_part(out, new_part(), batch)
            stage["write"] += time.perf_counter() - t
            batch.clear()
            in_batch[0] = 0

    def one(path: Path):
        t = time.perf_counter()
        doc = read_document(path)
        stage["load"] += time.perf_counter() - t
        for name in PIPELINE:
            t = time.perf_counter()
            doc = REGISTRY[name](doc)
            stage[name] += time.perf_counter() - t
        for table, rows in doc.rows.items():
            batch.setdefault(table, []).extend(rows)
        in_batch[0] += 1
        write()

    one(files[0])                       # imports, models and lexicons out of the measurement
    write(flush=True)
    for k in stage:
        stage[k] = 0.0
    for path in files:                  # stage times without the profiler's overhead
        one(path)
    write(flush=True)
    times = dict(stage)
    prof = cProfile.Profile()
    prof.enable()
    for path in files:
        one(path)
    write(flush=True)
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(top)
    size = sum(p.stat().st_size for p in files)
    return {"documents": len(files), "megabytes": size / MB, "stage_seconds": times,
            "top_functions": buf.getvalue()}


# --- report ------------------------------------------------------------------------------
def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size-mb", type=float, default=30.0,
                    help="size of the corpus built from the bundled plans, in MB (default 30, the size the goal is set at)")
    ap.add_argument("--corpus", type=Path, default=None, help="benchmark this folder instead of building a corpus")
    ap.add_argument("--sources", type=Path, nargs="+", default=[ROOT / "raw_docs"],
                    help="folders of plans the corpus is built from (default raw_docs/)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                    help="workers of the parallel run (default: every core)")
    ap.add_argument("--ref-mb", type=float, default=1.0,
                    help="MB of the corpus the reference tokenizes (default 1; 0 = all of it)")
    ap.add_argument("--engine", choices=("local", "dask"), default="local", help="engine of the parallel run")
    ap.add_argument("--stages", default=None,
                    help="comma-separated components to run instead of the whole pipeline "
                         "(e.g. normalize,segment,tables: the structural stages and the writing)")
    ap.add_argument("--no-reference", action="store_true", help="skip the underthesea reference")
    ap.add_argument("--profile", type=int, default=0, metavar="N",
                    help="also profile the one-worker extraction of N documents")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    args = ap.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="vnplan-bench-"))
    try:
        if args.corpus:
            corpus = args.corpus
            files = corpus_files(corpus)
        else:
            sources = sorted(p for folder in args.sources for p in folder.iterdir()
                             if p.suffix.lower() in TEXT_SUFFIXES and p.name.lower() != "readme.md")
            corpus = tmp / "corpus"
            files = build_corpus(corpus, args.size_mb, sources)
        if not files:
            print(f"error: no input documents in {corpus}", file=sys.stderr)
            return 2
        size = sum(p.stat().st_size for p in files)
        origin = ", ".join(str(folder) for folder in args.sources)
        report = {"corpus": str(args.corpus or f"the plans of {origin} repeated ({len(files)} files)"),
                  "documents": len(files), "megabytes": size / MB, "cpu_count": os.cpu_count(),
                  "python": sys.version.split()[0], "runs": {}}

        def log(msg):
            if not args.json:
                print(msg, file=sys.stderr, flush=True)

        report["load_average_before"] = os.getloadavg()[0]
        stages = args.stages.split(",") if args.stages else None
        if stages:
            from pipeline.components import REGISTRY
            unknown = [name for name in stages if name not in REGISTRY]
            if unknown:
                print(f"error: unknown components {unknown}; known: {', '.join(REGISTRY)}", file=sys.stderr)
                return 2
            report["stages"] = stages
        log(f"corpus: {len(files)} documents, {size / MB:.1f} MB")
        runs = [("extract, 1 worker", 1, "local")]
        if args.workers > 1 or args.engine != "local":
            runs.append((f"extract, {args.workers} workers" + (" (dask)" if args.engine == "dask" else ""),
                         args.workers, args.engine))
        for label, workers, engine in runs:
            log(f"running {label} ...")
            r = measure_extraction(corpus, tmp / "out", workers, engine, stages)
            if r["failed"]:
                log(f"warning: {r['failed']} documents failed, e.g. {r['failures'][:1]}")
            r.update(workers=workers, mb_per_s=size / MB / r["seconds"], docs_per_s=len(files) / r["seconds"],
                     measured_on_mb=size / MB, extrapolated=False)
            report["runs"][label] = r

        # start-up: a run on the first document alone (imports, lexicons, models + that document)
        first = tmp / "first"
        first.mkdir()
        shutil.copyfile(files[0], first / files[0].name)
        log("running the start-up measurement (one document) ...")
        start = measure_extraction(first, tmp / "out", 1, "local", stages)
        one = report["runs"]["extract, 1 worker"]
        rest_mb = (size - files[0].stat().st_size) / MB
        report["startup"] = {"cpu_seconds": start["cpu_seconds"], "seconds": start["seconds"],
                             "after_startup_mb_per_cpu_s": rest_mb / max(one["cpu_seconds"] - start["cpu_seconds"], 1e-9)}

        if not args.no_reference:
            sample = reference_sample(files, args.ref_mb)
            sample_size = sum(p.stat().st_size for p in sample)
            extrapolated = sample_size < size
            log(f"running reference: underthesea word_tokenize on {sample_size / MB:.1f} MB"
                + (" (sample; extrapolated)" if extrapolated else "") + " ...")
            r = run_child(REFERENCE_CODE, {"files": [str(p) for p in sample]})
            rate = sample_size / MB / r["seconds"]
            r.update(workers=1, mb_per_s=rate, docs_per_s=len(sample) / r["seconds"], measured_on_mb=sample_size / MB,
                     extrapolated=extrapolated, corpus_seconds_estimate=size / MB / rate)
            report["runs"]["reference: underthesea word_tokenize"] = r

        report["load_average_after"] = os.getloadavg()[0]
        runs_ = report["runs"]
        ref = runs_.get("reference: underthesea word_tokenize")
        one = runs_["extract, 1 worker"]
        par = runs_.get(runs[-1][0]) if len(runs) > 1 else None
        ratios = {}
        if ref:
            ratios["extract_1_worker_vs_reference"] = one["mb_per_s"] / ref["mb_per_s"]
            # both with their models loaded (the reference's clock starts after its model is loaded)
            ratios["extract_1_worker_after_startup_vs_reference_cpu"] = (
                report["startup"]["after_startup_mb_per_cpu_s"] / (ref["measured_on_mb"] / ref["cpu_seconds"]))
            ratios["extract_1_worker_vs_reference_cpu"] = ((ref["cpu_seconds"] / ref["measured_on_mb"])
                                                           / (one["cpu_seconds"] / one["measured_on_mb"]))
            if par:
                ratios[f"extract_{args.workers}_workers_vs_reference"] = par["mb_per_s"] / ref["mb_per_s"]
        if par:
            ratios[f"speedup_{args.workers}_workers_vs_1"] = par["mb_per_s"] / one["mb_per_s"]
        report["ratios"] = ratios

        if args.profile:
            log(f"profiling {args.profile} documents ...")
            report["profile"] = profile(files[:args.profile], tmp / "profile_out")

        if args.json:
            print(json.dumps(report, ensure_ascii=False, indent=1))
        else:
            print_report(report)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def print_report(report: dict) -> None:
    print(f"\ncorpus: {report['corpus']}: {report['documents']} documents, {report['megabytes']:.1f} MB; "
          f"{report['cpu_count']} cores; Python {report['python']}")
    print(f"components: {', '.join(report['stages'])} (and the Parquet writing)\n" if report.get("stages")
          else "components: the whole pipeline (and the Parquet writing)\n")
    head = (f"{'run':<40} {'seconds':>8} {'CPU s':>7} {'MB/s':>7} {'docs/s':>7} {'peak RSS MB':>12} "
            f"{'max 1 proc':>11}")
    print(head)
    print("-" * len(head))
    for label, r in report["runs"].items():
        secs = f"{r['seconds']:.2f}"
        note = ""
        if r.get("extrapolated"):
            note = f"  measured on {r['measured_on_mb']:.1f} MB; whole corpus ~{r['corpus_seconds_estimate']:.0f} s"
        print(f"{label:<40} {secs:>8} {r['cpu_seconds']:>7.1f} {r['mb_per_s']:>7.3f} {r['docs_per_s']:>7.1f} "
              f"{r['peak_rss_mb']:>12.0f} {r['peak_rss_process_mb']:>11.0f}{note}")
    st = report["startup"]
    print(f"\nstart-up of one process (imports, lexicons, models; measured on one document): "
          f"{st['cpu_seconds']:.1f} CPU s; one worker after start-up: {st['after_startup_mb_per_cpu_s']:.3f} MB per CPU s")
    print()
    for name, value in report["ratios"].items():
        label = name.replace("_", " ").replace(" cpu", ", per CPU second (less sensitive to other load)")
        print(f"{label}: {value:.1f}x")
    print(f"load average (1 min) before/after: {report['load_average_before']:.1f} / "
          f"{report['load_average_after']:.1f} on {report['cpu_count']} cores")
    rss = {r["rss_method"] for r in report["runs"].values()}
    print(f"(peak RSS: {', '.join(sorted(rss))})")
    prof = report.get("profile")
    if prof:
        total = sum(prof["stage_seconds"].values()) or 1.0
        print(f"\nprofile of {prof['documents']} documents ({prof['megabytes']:.2f} MB), one worker, "
              f"models loaded (time per stage; {prof['megabytes'] / total:.2f} MB/s in all):")
        for name, secs in sorted(prof["stage_seconds"].items(), key=lambda kv: -kv[1]):
            rate = f"{prof['megabytes'] / secs:8.1f} MB/s" if secs else ""
            print(f"  {name:<14} {secs:8.3f} s  {100 * secs / total:5.1f}%  {rate}")
        print("\n" + prof["top_functions"])


if __name__ == "__main__":
    sys.exit(main())

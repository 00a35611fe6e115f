#!/usr/bin/env python3
"""Convert and load benchmark: telegrams per second and peak memory.

For each size N (default 1,000 and 10,000; 100,000 takes a few minutes):

1. generate N synthetic pages (benchmarks/generate.py) into a temp folder;
2. convert: read, parse, extract and build N-Quads, with the worker processes
   the CLI uses, writing the quads to a file;
3. bulk loader alone: pyoxigraph's ``bulk_load`` of that N-Quads file into a
   fresh on-disk store (the floor for loading);
4. end to end: ``cable-kg load``'s code path (``pipeline.load_paths``) into a
   fresh on-disk store, linking excluded (benchmarks/bench_links.py measures it).

Each phase runs in its own process so its peak RSS (with its workers) is its
own.  Usage::

    python benchmarks/run.py 1000 10000 [100000] [--workers 2] [--keep DIR]
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
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


def phase_generate(n: int, folder: Path) -> dict:
    from generate import generate

    folder.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    size = 0
    for name, text in generate(n, seed=7):
        data = text.encode("utf-8")
        size += len(data)
        (folder / name).write_bytes(data)
    return {"seconds": time.perf_counter() - t, "bytes": size}


def phase_convert(folder: Path, out: Path, workers: int) -> dict:
    from cable_kg.convert import expand_paths
    from cable_kg.pipeline import convert_many

    files = expand_paths([folder])
    t = time.perf_counter()
    quads = failed = 0
    with open(out, "w", encoding="utf-8") as f:
        for c in convert_many(files, workers=workers):
            if c.error:
                failed += 1
                continue
            quads += c.nquads.count("\n")
            f.write(c.nquads)
    return {"seconds": time.perf_counter() - t, "quads": quads, "failed": failed, "peak_mb": peak_mb()}


def phase_bulk(nquads: Path, store: Path) -> dict:
    import pyoxigraph as ox

    t = time.perf_counter()
    s = ox.Store(str(store))
    s.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    s.flush()
    return {"seconds": time.perf_counter() - t, "quads": len(s), "peak_mb": peak_mb()}


def phase_load(folder: Path, store: Path, workers: int) -> dict:
    from cable_kg.pipeline import load_paths
    from cable_kg.store import Store

    t = time.perf_counter()
    report = load_paths(Store(store), [folder], workers=workers)
    return {"seconds": time.perf_counter() - t, "quads": report.quads, "loaded": len(report.loaded),
            "failed": len(report.failed), "bulk": report.bulk, "peak_mb": peak_mb()}


def run_phase(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--phase", *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--keep", type=Path, help="work folder to keep (default: a temp folder, removed)")
    ap.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.phase:
        name, *rest = args.phase
        fn = {"generate": lambda: phase_generate(int(rest[0]), Path(rest[1])),
              "convert": lambda: phase_convert(Path(rest[0]), Path(rest[1]), int(rest[2])),
              "bulk": lambda: phase_bulk(Path(rest[0]), Path(rest[1])),
              "load": lambda: phase_load(Path(rest[0]), Path(rest[1]), int(rest[2]))}[name]
        print(json.dumps(fn()))
        return

    work = args.keep or Path(tempfile.mkdtemp(prefix="cable-kg-bench-"))
    print(f"{'N':>8} {'phase':<14} {'seconds':>9} {'telegrams/s':>12} {'quads/s':>10} {'peak MB':>8}")
    try:
        for n in args.sizes:
            base = work / str(n)
            shutil.rmtree(base, ignore_errors=True)
            pages, nq = base / "pages", base / "quads.nq"
            gen = run_phase("generate", str(n), str(pages))
            conv = run_phase("convert", str(pages), str(nq), str(args.workers))
            bulk = run_phase("bulk", str(nq), str(base / "bulk-store"))
            load = run_phase("load", str(pages), str(base / "store"), str(args.workers))
            for name, r in (("convert", conv), ("bulk loader", bulk), ("end to end", load)):
                q = r.get("quads", 0)
                print(f"{n:>8} {name:<14} {r['seconds']:>9.2f} {n / r['seconds']:>12,.0f} "
                      f"{q / r['seconds']:>10,.0f} {r.get('peak_mb', 0):>8.0f}")
            print(f"{n:>8} {'ratio':<14} end to end / bulk loader = {load['seconds'] / bulk['seconds']:.2f}"
                  f"  ({conv['quads'] / n:.0f} quads a telegram, {gen['bytes'] / n / 1024:.1f} KB a page,"
                  f" {conv['failed']} failed)")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

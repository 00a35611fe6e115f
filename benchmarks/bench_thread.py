#!/usr/bin/env python3
"""Warm latency of the saved query ``thread`` (or of variants of it) on a loaded store.

Picks SAMPLES random telegrams, runs each query once over them to warm the
caches, then PASSES times more, the queries interleaved in a random order for
every telegram (so no variant profits from the one before), and prints the
median and p90 per query.  Used to compare rewrites of ``queries/thread.rq``::

    python benchmarks/bench_thread.py /data/b100k/store
    python benchmarks/bench_thread.py /data/b100k/store queries/thread.rq /tmp/variant.rq --seed 7
    python benchmarks/bench_thread.py /data/b100k/store --repeat 6   # first run and hot runs apart

The passes are only as warm as the host lets them be: a pass over 200
telegrams takes tens of seconds (the largest generated threads take about a
second each), and a host that reclaims page cache left untouched for some
seconds (Linux DAMON, as on the machines these figures come from) reads the
blocks from disk again in the next pass.  ``--repeat R`` separates the two
cases: every telegram's query is run R times in a row, and the first run and
the median of the others (blocks in Oxigraph's own cache) are reported apart.
A first run depends on where its blocks are: for the page cache of a host
whose memory holds the store, read it once first (``cat STORE/* >
/dev/null``); for every block from disk, drop the page cache (``echo 3 >
/proc/sys/vm/drop_caches``, as root).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

from cable_kg.queries import bind, parse_query_text
from cable_kg.store import Store

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("queries", nargs="*", type=Path, default=[ROOT / "queries" / "thread.rq"])
    ap.add_argument("--samples", type=int, default=100)
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--repeat", type=int, default=0,
                    help="run each telegram's query this many times in a row; report first and hot runs apart")
    args = ap.parse_args(argv)
    store = Store(args.store, read_only=True)
    telegrams = [r[0] for r in store.query("SELECT ?t WHERE { ?t a <https://w3id.org/cable-kg/ns#Document> }")]
    rng = random.Random(args.seed)
    sample = rng.sample(telegrams, min(args.samples, len(telegrams)))
    texts = {q: parse_query_text("thread", q.read_text(encoding="utf-8")) for q in args.queries}

    def run(q: Path, t) -> tuple[float, int]:
        start = time.perf_counter()
        rows = list(store.query(bind(texts[q], {"telegram": t})))
        return time.perf_counter() - start, len(rows)

    if args.repeat > 1:
        return _report_repeated(args, sample, run)
    for t in sample:
        run(args.queries[0], t)
    times: dict[Path, list[float]] = {q: [] for q in args.queries}
    sizes = []
    for _ in range(args.passes):
        for t in sample:
            for q in rng.sample(args.queries, len(args.queries)):
                dt, n = run(q, t)
                times[q].append(dt)
                if q == args.queries[0]:
                    sizes.append(n)
    print(f"{len(sample)} telegrams x {args.passes} passes; rows a thread: median {statistics.median(sizes):.0f}, "
          f"max {max(sizes)}")
    for q, ts in times.items():
        ts.sort()
        print(f"{q}: median {statistics.median(ts) * 1000:.2f} ms, p90 {ts[int(len(ts) * .9)] * 1000:.2f} ms")
    return 0


def _report_repeated(args, sample, run) -> int:
    first: dict[Path, list[float]] = {q: [] for q in args.queries}
    hot: dict[Path, list[float]] = {q: [] for q in args.queries}
    sizes = []
    rng = random.Random(args.seed)
    for t in sample:
        for q in rng.sample(args.queries, len(args.queries)):
            runs = [run(q, t) for _ in range(args.repeat)]
            first[q].append(runs[0][0])
            hot[q].append(statistics.median(dt for dt, _ in runs[1:]))
            if q == args.queries[0]:
                sizes.append(runs[0][1])
    print(f"{len(sample)} telegrams x {args.repeat} runs in a row; rows a thread: median "
          f"{statistics.median(sizes):.0f}, max {max(sizes)}")
    for q in args.queries:
        print(f"{q}: first run median {statistics.median(first[q]) * 1000:.2f} ms; "
              f"hot median {statistics.median(hot[q]) * 1000:.2f} ms, "
              f"p90 {sorted(hot[q])[int(len(hot[q]) * .9)] * 1000:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())

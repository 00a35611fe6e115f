#!/usr/bin/env python3
"""Instructions a query for the saved query ``thread`` and variants, counted by valgrind.

Wall-clock latency on a shared host varies by tens of percent from one hour
to the next; the number of instructions does not.  For each QUERY.rq this
runs the same threads (the sampled telegrams whose thread has fewer than 60
rows) under ``valgrind --tool=callgrind`` with one pass and with three, and
prints the difference divided by the number of queries: the cost of a query
without the start-up.  About 90 s a query file on a store of 100,000
telegrams; needs valgrind::

    python benchmarks/thread_instructions.py /data/b100k/store queries/thread.rq /tmp/variant.rq
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
from pathlib import Path

from cable_kg.queries import bind, parse_query_text
from cable_kg.store import Store

STRUCTURE = """# param: telegram telegram The telegram
PREFIX ck: <https://w3id.org/cable-kg/ns#>
PREFIX cito: <http://purl.org/spar/cito/>
SELECT ?node WHERE {
  ?telegram a ck:Document .
  LATERAL {
    { BIND(?telegram AS ?node) }
    UNION { ?telegram cito:repliesTo* ?parent . ?parent cito:repliesTo ?node }
    UNION { ?parent cito:repliesTo* ?telegram . ?node cito:repliesTo ?parent }
  }
}"""


def run_passes(store_path: Path, query: Path, passes: int, samples: int, seed: int) -> int:
    """Run the threads `passes` times; return how many queries a pass makes."""
    store = Store(store_path, read_only=True)
    candidates = [r[0] for r in store.query(
        "SELECT ?t WHERE { ?t a <https://w3id.org/cable-kg/ns#Document> } LIMIT 3000")]
    sample = random.Random(seed).sample(candidates, min(samples, len(candidates)))
    structure = parse_query_text("structure", STRUCTURE)
    kept = [t for t in sample if len(list(store.query(bind(structure, {"telegram": t})))) < 60]
    text = parse_query_text("thread", query.read_text(encoding="utf-8"))
    queries = [bind(text, {"telegram": t}) for t in kept]
    for _ in range(passes):
        for q in queries:
            list(store.query(q))
    return len(queries)


def instructions(args, query: Path, passes: int) -> tuple[int, int]:
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, __file__,
         str(args.store), str(query), "--inner", str(passes), "--samples", str(args.samples),
         "--seed", str(args.seed)],
        capture_output=True, text=True, check=True)
    collected = int(re.search(r"Collected : (\d+)", out.stderr).group(1))
    per_pass = int(re.search(r"queries a pass: (\d+)", out.stdout).group(1))
    return collected, per_pass


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("queries", nargs="+", type=Path)
    ap.add_argument("--samples", type=int, default=60)
    ap.add_argument("--seed", type=int, default=21)
    ap.add_argument("--inner", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.inner is not None:
        print(f"queries a pass: {run_passes(args.store, args.queries[0], args.inner, args.samples, args.seed)}")
        return 0
    for query in args.queries:
        one, n = instructions(args, query, 1)
        three, _ = instructions(args, query, 3)
        print(f"{query}: {(three - one) / 2 / n / 1e6:.1f} M instructions a query ({n} threads)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The first linking of a large store, again and again on copies of one store.

``bench_links.py`` measures linking once, after 13 minutes of loading, on a
host whose speed drifts by ten percent within the hour; comparing two
versions of the linker needs runs side by side on the same data.  This
script:

* ``--prepare STORE BASE``: copies STORE (a loaded store, e.g. one that
  ``bench_links.py --keep`` left) to BASE without its links graph, compacted,
  with its facts file beside it;
* ``BASE [--src DIR ...] [--repeat N]``: for each repetition and each source
  tree (a checkout of cable-kg, default this one), makes a checkpoint of BASE
  (hard links: instant), runs ``relink`` on it in a fresh process (the
  bulk-loaded first write) and prints the wall time, the CPU time of the
  process and of its main thread, the phases and the number of bulk loads.

The facts file beside BASE must be of the version the checkout reads
(``cable_kg.linkfacts.VERSION``): a checkout that finds another version
reads the whole store instead, and measures that.  To compare versions on
either side of a change of that file, prepare a base for each (hard links:
``cp -al BASE BASE2``, then write BASE2's facts file in the other format)
and alternate the runs.

Usage::

    python benchmarks/bench_relink.py --prepare /data/b100k/store /data/relink-base
    python benchmarks/bench_relink.py /data/relink-base --src . --src /tmp/old-checkout --repeat 3
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ONE_RUN = r"""
import json, shutil, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import pyoxigraph as ox
from cable_kg.link import relink
from cable_kg.store import Store

base, trial = Path(sys.argv[2]), Path(sys.argv[3])
shutil.rmtree(trial, ignore_errors=True)
for suffix in (".facts.sqlite", ".links.nq", ".links.nt"):
    Path(f"{trial}{suffix}").unlink(missing_ok=True)
ox.Store.read_only(str(base)).backup(str(trial))
shutil.copy(f"{base}.facts.sqlite", f"{trial}.facts.sqlite")
store = Store(trial)
loads = []
name = "bulk_load_triples" if hasattr(store, "bulk_load_triples") else "bulk_load_nquads"  # older checkouts
real = getattr(store, name)
setattr(store, name, lambda *args, **kw: loads.append(1) or real(*args, **kw))
t, cpu, main = time.perf_counter(), time.process_time(), time.thread_time()
report = relink(store)
print(json.dumps({"wall": time.perf_counter() - t, "cpu": time.process_time() - cpu,
                  "main": time.thread_time() - main, "phases": report.timings, "loads": len(loads),
                  "quads": report.quads, "links": report.links}))
store.close()
"""


def prepare(store_path: Path, base: Path) -> None:
    from cable_kg.rdf.build import Iris
    from cable_kg.store import Store

    if base.exists():
        sys.exit(f"{base} exists")
    import pyoxigraph as ox

    ox.Store.read_only(str(store_path)).backup(str(base))
    shutil.copy(f"{store_path}.facts.sqlite", f"{base}.facts.sqlite")
    store = Store(base)
    store.remove_graph(Iris().links_graph())
    store.flush()
    store.optimize()
    store.close()
    print(f"{base}: a copy of {store_path} without its links graph, compacted")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("base", type=Path, help="the prepared store (see --prepare)")
    ap.add_argument("target", type=Path, nargs="?", help="with --prepare: the base to make")
    ap.add_argument("--prepare", action="store_true", help="make TARGET from the loaded store BASE")
    ap.add_argument("--src", type=Path, action="append", help="a cable-kg checkout to run (repeatable)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--trial", type=Path, help="where the copies go (default: beside BASE)")
    args = ap.parse_args(argv)
    if args.prepare:
        prepare(args.base, args.target)
        return 0
    trial = args.trial or args.base.with_name(args.base.name + "-trial")
    sources = args.src or [ROOT]
    for k in range(args.repeat):
        for src in sources:
            out = subprocess.run([sys.executable, "-c", ONE_RUN, str(src.resolve() / "src"), str(args.base), str(trial)],
                                 check=True, capture_output=True, text=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
            phases = ", ".join(f"{name} {v:.1f}" for name, v in r["phases"].items())
            print(f"{k + 1} {src}: linking {r['wall']:.1f} s (CPU {r['cpu']:.1f} s, main thread {r['main']:.1f} s; "
                  f"{phases}; {r['loads']} loads, {r['quads']:,} quads, {r['links']:,} links)", flush=True)
    shutil.rmtree(trial, ignore_errors=True)
    for suffix in (".facts.sqlite", ".links.nq", ".links.nt"):
        Path(f"{trial}{suffix}").unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

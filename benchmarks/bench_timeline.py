"""Timeline read and page generation on a loaded store: a month, a year, everything.

Usage::

    python benchmarks/bench_timeline.py STORE [--year 1951] [--repeat 5] [--spans month,year,all]
    python benchmarks/bench_timeline.py STORE --impl old_timeline.py   # an earlier views/timeline.py, to compare
    python benchmarks/bench_timeline.py STORE --saved                  # also the saved query `timeline`

For each span it reports the number of items, the median time of
``load_timeline`` (the SPARQL reads and the Items built from them) and of
``to_html`` (the self-contained page), the microseconds per item and the size
of the page.  Each measurement is repeated (``--repeat``) and the median is
reported, with the fastest: the machine may be shared.  With ``--saved`` the
saved query ``timeline`` (``cable-kg query timeline -p from ... -p to ...``)
is timed over the same spans, as the command runs it (rows as Python terms).

The store is opened read-only, as ``cable-kg timeline`` opens it; the month
(``--year``, April) and the year default to the middle year of the telegrams.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from cable_kg.queries import LocalEngine, load_query, run
from cable_kg.store import Store
from cable_kg.views import timeline as current


def load_impl(path: Path | None):
    """The timeline module to measure: the installed one, or an earlier copy
    of views/timeline.py (loaded as a sibling module, so its relative imports
    resolve)."""
    if path is None:
        return current
    name = "cable_kg.views._bench_timeline_impl"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def middle_year(engine) -> int:
    rows = engine.select("PREFIX dct: <http://purl.org/dc/terms/> PREFIX ck: <https://w3id.org/cable-kg/ns#> "
                         "SELECT ?d WHERE { ?t a ck:Document ; dct:date ?d } LIMIT 2000").rows
    years = sorted(r[0].value[:4] for r in rows)
    return int(years[len(years) // 2]) if years else 1951


def timed(fn, *args, **kwargs):
    t = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--year", type=int, help="the year measured (default: the middle year of the telegrams)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--spans", default="month,year,all", help="comma-separated: month, year, all")
    ap.add_argument("--impl", type=Path, help="an earlier views/timeline.py to measure instead")
    ap.add_argument("--saved", action="store_true", help="also time the saved query `timeline`")
    ap.add_argument("--no-html", action="store_true", help="do not time the page")
    args = ap.parse_args(argv)

    tl = load_impl(args.impl)
    store = Store(args.store, read_only=True)
    engine = LocalEngine(store)
    y = args.year or middle_year(engine)
    spans = {"month": (date(y, 4, 1), date(y, 4, 30)), "year": (date(y, 1, 1), date(y, 12, 31)),
             "all": (None, None)}
    print(f"store {args.store}; {args.impl or 'views/timeline.py'}; median of {args.repeat}")
    for name in args.spans.split(","):
        start, end = spans[name]
        reads, pages = [], []
        items, page = [], ""
        for _ in range(args.repeat):
            items, dt = timed(tl.load_timeline, engine, start, end)
            reads.append(dt)
            if not args.no_html:
                page, dt = timed(tl.to_html, items)
                pages.append(dt)
        n = len(items)
        read = statistics.median(reads)
        line = (f"{name:<5} {start or '-'!s}..{end or '-'!s}: {n:>7,} items; read {read:6.2f} s "
                f"(min {min(reads):.2f}; {read / max(n, 1) * 1e6:5.0f} µs/item)")
        if pages:
            line += f"; HTML {statistics.median(pages):5.2f} s (min {min(pages):.2f}), {len(page) / 1e6:.1f} MB"
        print(line, flush=True)
    if args.saved:
        saved = load_query("timeline")
        for name in args.spans.split(","):
            start, end = spans[name]
            params = {k: v.isoformat() for k, v in (("from", start), ("to", end)) if v}
            times, rows = [], 0
            for _ in range(args.repeat):
                result, dt = timed(run, engine, saved, params)
                times.append(dt)
                rows = len(result.rows)
            print(f"saved query timeline, {name:<5}: {rows:>7,} rows in {statistics.median(times):6.2f} s "
                  f"(min {min(times):.2f})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Reply links, threads and timelines on generated telegrams.

Generates COUNT pages (benchmarks/generate.py), loads them with
cable_kg.pipeline.load_paths into an on-disk store in a temporary folder
(or reuses a store given with --store), then measures and prints:

* linking: relink() from scratch, by phase (read: the hashes and the corpus;
  own, strong, bare: the citations of their author's own telegrams, the
  others with a date, number or topic, the bare ones, each decided, explained
  and written as N-Triples part by part (a first write loads them meanwhile);
  store: what is left to load or the update), and the links found;
* relinking when nothing changed (skipped), and after one page changed
  (by phase);
* accuracy against the generator's truth: reply links between files
  (citations of the addressee's and of third parties' telegrams, and the
  summary's "X's response to Y's telegram") against those the linker made;
* the compaction ``cable-kg load`` runs after a bulk load of 1 M quads or
  more (after the first linking, as ``load`` does; ``--no-optimize`` skips
  it, ``--optimize`` forces it on a reused store);
* thread latency over 100 random telegrams: the saved query ``thread``, its
  first run for each telegram (nothing of that thread in Oxigraph's block
  cache yet) and then hot (the median of 4 more runs), and
  views.thread.load_thread (what ``cable-kg trace`` runs), with the median
  thread size;
* timeline: load_timeline and the HTML page for a month, a year and all.

Usage::

    python benchmarks/bench_links.py 10000
    python benchmarks/bench_links.py 100000 --keep /data/bench100k   # keep the store
    python benchmarks/bench_links.py 100000 --store /data/bench100k/store  # reuse it
    python benchmarks/bench_links.py 100000 --keep /data/b100k --no-optimize  # leave the store as loaded
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate_with_truth  # noqa: E402

from cable_kg.link import _select, relink  # noqa: E402
from cable_kg.pipeline import load_paths  # noqa: E402
from cable_kg.queries import LocalEngine, bind, load_query  # noqa: E402
from cable_kg.rdf.build import DEFAULT_BASE  # noqa: E402
from cable_kg.store import Store  # noqa: E402
from cable_kg.views.thread import load_thread  # noqa: E402
from cable_kg.views.timeline import load_timeline, to_html  # noqa: E402

REPLY_KINDS = ("your-date", "your-date-time", "your-number", "your-plural", "your-topic", "third")


def timed(fn, *args, **kwargs):
    t = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t


def write_pages(count: int, seed: int, folder: Path) -> tuple[Path, dict]:
    pages = folder / "pages"
    pages.mkdir(parents=True, exist_ok=True)
    truth = {}
    for name, text, info in generate_with_truth(count, seed):
        (pages / name).write_text(text, encoding="utf-8")
        truth[name] = info
    (folder / "truth.json").write_text(json.dumps(truth), encoding="utf-8")
    return pages, truth


def accuracy(store: Store, truth: dict) -> dict:
    """Reply links between files, against the truth."""
    want = set()
    for name, t in truth.items():
        for c in t["citations"]:
            if c["kind"] in REPLY_KINDS:
                want.update((name, f) for f in c["files"] if f != name)
        if t.get("summary_reply_to"):
            want.add((name, t["summary_reply_to"]))
    got = {(a, b) for a, b in _select(store, """SELECT DISTINCT ?a ?b WHERE {
        ?x cito:repliesTo ?y . ?y a ck:Document .
        ?x ck:sourceFile/ck:fileName ?a . ?y ck:sourceFile/ck:fileName ?b }""") if a != b}
    tp = len(got & want)
    return {"truth": len(want), "found": len(got), "tp": tp, "precision": round(tp / len(got), 4) if got else 1.0,
            "recall": round(tp / len(want), 4) if want else 1.0}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("count", type=int, help="pages to generate")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--store", type=Path, help="reuse this loaded store (its pages and truth.json beside it)")
    ap.add_argument("--keep", type=Path, help="build in this folder and keep it (default: a temporary one)")
    ap.add_argument("--samples", type=int, default=100, help="telegrams for the thread latency")
    ap.add_argument("--optimize", action=argparse.BooleanOptionalAction, default=None,
                    help="compact the store after the first linking [default: as cable-kg load does]")
    args = ap.parse_args(argv)

    tmp = None
    if args.store:
        folder = args.store.parent
        truth = json.loads((folder / "truth.json").read_text()) if (folder / "truth.json").exists() else {}
        store = Store(args.store)
        print(f"store {args.store} ({len(store):,} quads)")
        pages = folder / "pages"
    else:
        folder = args.keep or Path(tmp := tempfile.mkdtemp(prefix="bench-links-"))
        (pages, truth), dt = timed(write_pages, args.count, args.seed, folder)
        print(f"generated {args.count:,} pages in {dt:.1f} s")
        store = Store(folder / "store")
        report, dt = timed(load_paths, store, [pages], DEFAULT_BASE)
        print(f"loaded {len(report.loaded):,} files ({report.quads:,} quads, {len(report.failed)} failed) "
              f"in {dt:.1f} s")
    compact = args.optimize or (args.optimize is None and not args.store and report.worth_compacting)
    try:
        # ---------------------------------------------------------------- linking
        link, dt = timed(relink, store, DEFAULT_BASE, True)
        phases = ", ".join(f"{k} {v:.1f}" for k, v in link.timings.items())
        print(f"linking: {dt:.1f} s ({phases})")
        print(f"  {link.citations:,} citations: {link.resolved:,} resolved, {link.placeholders:,} placeholders "
              f"({link.ambiguous:,} ambiguous); {link.links:,} reply links; {link.quads:,} quads "
              f"(+{link.added:,} -{link.removed:,})")
        if compact:
            _, dt = timed(store.optimize)
            print(f"compacted the store in {dt:.1f} s (as cable-kg load does after a large bulk load)")
        again, dt = timed(relink, store, DEFAULT_BASE)
        print(f"relink, nothing changed: {dt:.1f} s (skipped: {again.skipped})")
        page = next((p for p in sorted(pages.glob("*.txt"))[len(truth) // 2:]
                     if "your telegram No. " in p.read_text(encoding="utf-8")), None) if pages.is_dir() else None
        if page is not None:
            text = page.read_text(encoding="utf-8")
            page.write_text(text.replace("your telegram No. ", "your telegram No. 9", 1), encoding="utf-8")
            (_, dt_load) = timed(load_paths, store, [page], DEFAULT_BASE)
            one, dt = timed(relink, store, DEFAULT_BASE)
            print(f"relink after one page changed (a cited number): {dt:.1f} s (+{one.added} -{one.removed} quads; "
                  f"reloading the page {dt_load:.1f} s)")
            print("  " + ", ".join(f"{k} {v:.1f}" for k, v in one.timings.items()))
            page.write_text(text, encoding="utf-8")
            load_paths(store, [page], DEFAULT_BASE)
            relink(store, DEFAULT_BASE)
        if truth:
            print(f"accuracy against the truth: {accuracy(store, truth)}")

        # ---------------------------------------------------------------- threads
        engine = LocalEngine(store)
        telegrams = [r[0] for r in _select(store, "SELECT ?t WHERE { ?t a ck:Document }")]
        sample = random.Random(1).sample(telegrams, min(args.samples, len(telegrams)))
        saved = load_query("thread")
        import pyoxigraph as ox

        view_times, first_times, hot_times, sizes = [], [], [], []
        for iri in sample:
            query = bind(saved, {"telegram": ox.NamedNode(iri)})
            first_times.append(timed(engine.select, query)[1])
            hot_times.append(statistics.median(timed(engine.select, query)[1] for _ in range(4)))
            thread, dt = timed(load_thread, engine, iri)
            view_times.append(dt)
            sizes.append(len(thread.nodes))

        def ms(xs):
            return f"median {statistics.median(xs) * 1000:.1f} ms, p90 {sorted(xs)[int(len(xs) * .9)] * 1000:.1f} ms"
        print(f"thread (saved query `thread`) over {len(sample)} telegrams, first run: {ms(first_times)}; "
              f"thread size median {statistics.median(sizes):.0f}, max {max(sizes)} telegrams")
        print(f"thread (saved query `thread`), hot: {ms(hot_times)}")
        print(f"thread (view, what trace runs): {ms(view_times)}")
        small = [t for t, n in zip(view_times, sizes, strict=True) if n <= 10]
        if small:
            print(f"thread (view) for threads of at most 10 telegrams ({len(small)}): {ms(small)}")

        # ---------------------------------------------------------------- timeline
        dates = _select(store, "SELECT ?d WHERE { ?t a ck:Document ; dct:date ?d } LIMIT 2000")
        years = sorted({r[0][:4] for r in dates})
        y = int(years[len(years) // 2]) if years else 1951
        spans = (("a month", date(y, 4, 1), date(y, 4, 30)), ("a year", date(y, 1, 1), date(y, 12, 31)),
                 ("everything", None, None))
        for label, start, end in spans:
            items, dt = timed(load_timeline, engine, start, end)
            page, dt_html = timed(to_html, items)
            print(f"timeline, {label}: {len(items):,} items read in {dt:.2f} s, HTML page "
                  f"({len(page) / 1e6:.1f} MB) in {dt_html:.2f} s")
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

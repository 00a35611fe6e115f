"""Requests per second and latency of `cable-kg serve` on 127.0.0.1.

Starts the server in its own process on a free loopback port (over a store
it loads from data/telegrams and tests/fixtures/telegrams, or --store),
then runs each scenario with N concurrent clients (threads with keep-alive
connections), each request bounded by count and the whole run by time:

* page:    GET /telegram/1951-06-05-3410-stalin.html (a rendered telegram page)
* sparql:  GET /sparql?query=<a simple SELECT COUNT>, JSON results
* sparql-varied: the same query with a different LIMIT each time (a new
  text each time; the read-only check's verdict is reused by the query's
  shape)
* sparql-new: a new variable name each time, so every query is a shape
  never seen: rdflib's parser runs for every request (the worst case)

Only loopback addresses are used.  Target (issue 5): 400 requests/s and
p99 under 100 ms for the SPARQL query with 16 clients on 2 cores.

    python benchmarks/bench_web.py                 # 16 clients, 4000 requests per scenario
    python benchmarks/bench_web.py --clients 16 --requests 8000 --json out.json
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?t a <https://w3id.org/cable-kg/ns#Document> }"
PAGE = "/telegram/1951-06-05-3410-stalin.html"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(store: Path, port: int, workers: int) -> subprocess.Popen:
    cmd = [sys.executable, "-c", "from cable_kg.cli import main; main()", "serve", "--store", str(store),
           "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers), "--log-level", "warning"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server failed: {proc.stderr.read().decode()}")
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/sparql?query=" + urllib.parse.quote("ASK {}"))
            if c.getresponse().status == 200:
                c.close()
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("server did not start in 60 s")


def run(port: int, paths, clients: int, total: int, max_seconds: float, accept: str) -> dict:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    counter = iter(range(total))
    deadline = time.monotonic() + max_seconds

    def client():
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        bad = 0
        while time.monotonic() < deadline:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            path = paths(i)
            t = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Accept": accept})
                r = conn.getresponse()
                r.read()
                ok = r.status == 200
            except OSError:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                ok = False
            mine.append(time.perf_counter() - t)
            bad += not ok
        conn.close()
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    latencies.sort()
    q = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else [0] * 99
    return {"requests": len(latencies), "errors": errors, "seconds": round(elapsed, 3),
            "rps": round(len(latencies) / elapsed, 1), "p50_ms": round(q[49] * 1000, 2),
            "p99_ms": round(q[98] * 1000, 2), "max_ms": round(latencies[-1] * 1000, 2) if latencies else 0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, help="an existing store (default: load the seeds and fixtures)")
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--requests", type=int, default=4000, help="per scenario")
    ap.add_argument("--max-seconds", type=float, default=60.0, help="per scenario")
    ap.add_argument("--workers", type=int, default=2, help="query worker processes of the server")
    ap.add_argument("--json", type=Path, help="write the figures here too")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-web-"))
    try:
        store = args.store
        if store is None:
            store = tmp / "store"
            subprocess.run([sys.executable, "-c", "from cable_kg.cli import main; main()", "load",
                            str(ROOT / "data" / "telegrams"), str(ROOT / "tests" / "fixtures" / "telegrams"),
                            "--store", str(store)], check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        server = start_server(store, port, args.workers)
        try:
            quoted = urllib.parse.quote(QUERY)
            scenarios = {
                "page": (lambda i: PAGE, "text/html"),
                "sparql": (lambda i: f"/sparql?query={quoted}", "application/sparql-results+json"),
                "sparql-varied": (lambda i: "/sparql?query=" + urllib.parse.quote(f"{QUERY} LIMIT {i + 1}"),
                                  "application/sparql-results+json"),
                "sparql-new": (lambda i: "/sparql?query=" + urllib.parse.quote(QUERY.replace("?n", f"?n{i}")),
                               "application/sparql-results+json"),
            }
            results = {"cpus": os.cpu_count(), "clients": args.clients, "workers": args.workers}
            for name, (paths, accept) in scenarios.items():
                run(port, lambda i, paths=paths: paths(i + 10**7), args.clients, min(200, args.requests), 10,
                    accept)  # warm-up
                results[name] = run(port, paths, args.clients, args.requests, args.max_seconds, accept)
                r = results[name]
                print(f"{name:14s} {r['rps']:8.1f} req/s  p50 {r['p50_ms']:7.2f} ms  p99 {r['p99_ms']:7.2f} ms  "
                      f"max {r['max_ms']:7.2f} ms  ({r['requests']} requests, {r['errors']} errors, "
                      f"{r['seconds']} s)")
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
        if args.json:
            args.json.write_text(json.dumps(results, indent=2) + "\n")
        target = results["sparql"]
        ok = target["rps"] >= 400 and target["p99_ms"] < 100 and target["errors"] == 0
        print(f"target (sparql: >= 400 req/s, p99 < 100 ms, {args.clients} clients): {'met' if ok else 'NOT met'}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

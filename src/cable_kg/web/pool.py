"""A pool of warm query worker processes, each killed at the time limit.

pyoxigraph cannot interrupt a query running in a thread, so every SPARQL
endpoint query runs in a separate process that can be killed.  Spawning a
process per request costs ~0.5 s, so the processes are persistent: each
opens the store snapshot read-only once, warms the SPARQL parser and then
answers one request at a time over a pipe.  A request that is not answered
within the time limit gets its worker SIGKILLed; a fresh one is started in
the background, and the other workers (and the HTTP process, which runs
no user query itself) keep answering meanwhile.

:meth:`QueryPool.run` blocks; it is thread-safe, and the web app calls it
from a dedicated thread limiter so that waiting endpoint requests never
take the threads HTML pages run in.
"""

from __future__ import annotations

import logging
import queue
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection

from .execute import QueryRequest, Reply, error

log = logging.getLogger("cable_kg.web.pool")


@dataclass
class _Worker:
    process: subprocess.Popen
    conn: Connection
    pid: int


class QueryPool:
    """``size`` worker processes over the store at ``store_path``."""

    def __init__(self, store_path: str, size: int = 2, timeout: float = 10.0, wait: float | None = None,
                 start_timeout: float = 60.0):
        self.store_path = str(store_path)
        self.size = max(1, size)
        self.timeout = timeout
        self.wait = timeout if wait is None else wait  # longest wait for a free worker
        self.start_timeout = start_timeout
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: dict[int, _Worker] = {}
        self._lock = threading.Lock()
        self._closed = False
        self._failed_start = False
        self._launches: queue.Queue[int | None] = queue.Queue()
        self.killed = 0  # workers killed at the time limit (for tests and logs)

    # ------------------------------------------------------------ lifecycle
    def start(self) -> QueryPool:
        # Workers are started from one long-lived thread: Linux's parent-death
        # signal follows the thread that forked, not the process.
        self._spawner = threading.Thread(target=self._spawn_loop, daemon=True, name="cable-kg-spawner")
        self._spawner.start()
        for _ in range(self.size):
            self._launches.put(0)
        deadline = time.monotonic() + self.start_timeout
        while self._idle.qsize() < self.size and time.monotonic() < deadline and not self._failed_start:
            time.sleep(0.01)
        if self._idle.qsize() == 0:
            self.close()
            raise RuntimeError(f"no query worker could open the store at {self.store_path}")
        return self

    def close(self) -> None:
        self._closed = True
        self._launches.put(None)
        with self._lock:
            workers = list(self._all.values())
            self._all.clear()
        for w in workers:
            try:
                w.conn.send(None)
            except (OSError, ValueError):
                pass
        deadline = time.monotonic() + 2
        for w in workers:
            try:
                w.process.wait(max(0.01, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                w.process.kill()
                w.process.wait(5)
            try:
                w.conn.close()
            except OSError:
                pass

    def __enter__(self) -> QueryPool:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def live(self) -> int:
        with self._lock:
            return len(self._all)

    def idle(self) -> int:
        return self._idle.qsize()

    def _spawn_loop(self) -> None:
        while True:
            attempt = self._launches.get()
            if attempt is None or self._closed:
                return
            # A fresh interpreter (not fork: the server has threads and an
            # event loop; not multiprocessing's spawn: it re-imports __main__).
            ours, theirs = socket.socketpair()
            try:
                proc = subprocess.Popen([sys.executable, "-m", "cable_kg.web.worker", str(theirs.fileno()),
                                         self.store_path], pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL,
                                        close_fds=True)
            except OSError as e:
                log.error("cannot start a query worker: %s", e)
                ours.close()
                theirs.close()
                self._failed_start = True
                continue
            theirs.close()
            threading.Thread(target=self._await_ready, args=(proc, Connection(ours.detach()), attempt),
                             daemon=True).start()

    def _await_ready(self, proc: subprocess.Popen, parent: Connection, attempt: int) -> None:
        try:
            ok = parent.poll(self.start_timeout)
            msg = parent.recv() if ok else ("failed", "did not start in time")
        except (EOFError, OSError) as e:
            msg = ("failed", repr(e))
        if msg[0] == "ready":
            w = _Worker(proc, parent, msg[1])
            with self._lock:
                if not self._closed:
                    self._all[w.pid] = w
                    self._idle.put(w)
                    return
            parent.send(None)
            return
        log.error("query worker failed to start (%s); attempt %d", msg[1], attempt + 1)
        proc.kill()
        proc.wait(5)
        parent.close()
        if attempt < 2 and not self._closed:
            time.sleep(0.2 * (attempt + 1))
            self._launches.put(attempt + 1)
        else:
            self._failed_start = True

    def _retire(self, w: _Worker, kill: bool) -> None:
        with self._lock:
            self._all.pop(w.pid, None)
        if kill and w.process.poll() is None:
            w.process.kill()
        try:
            w.conn.close()
        except OSError:
            pass
        threading.Thread(target=w.process.wait, daemon=True).start()
        if not self._closed:
            self._launches.put(0)

    # ------------------------------------------------------------ requests
    def run(self, req: QueryRequest, timeout: float | None = None) -> Reply:
        """Run one request; at most ``timeout`` seconds (default: the pool's)."""
        if self._closed:
            return error(503, "the query service is shutting down")
        limit = self.timeout if timeout is None else timeout
        try:
            w = self._idle.get(timeout=self.wait)
        except queue.Empty:
            return Reply(503, b"all query workers are busy; try again shortly\n", headers={"Retry-After": "5"})
        healthy = False
        try:
            try:
                w.conn.send(req)
            except (OSError, ValueError):
                return error(500, "query worker is gone; try again")
            if not w.conn.poll(limit):
                self.killed += 1
                log.warning("query ran past the time limit (%.1f s); worker %d killed", limit, w.pid)
                return error(503, f"the query ran past the time limit of {limit:g} s and was stopped")
            try:
                reply = w.conn.recv()
            except (EOFError, OSError):
                return error(500, "query worker died while running the query")
            healthy = True
            return reply
        finally:
            if healthy:
                self._idle.put(w)
            else:
                self._retire(w, kill=True)


"""A query worker process (see :mod:`.pool`): ``python -m
cable_kg.web.worker FD STORE`` opens the store snapshot read-only and
answers :class:`~.execute.QueryRequest` messages on the socket FD, one at
a time, until told to stop or the socket closes."""

from __future__ import annotations

import os
import signal
import sys
from multiprocessing.connection import Connection

from .execute import error, execute


def _worker_main(conn, store_path: str) -> None:  # runs in the worker process
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers end
    _die_with_parent()
    import pyoxigraph as ox

    from . import guard

    try:
        store = ox.Store.read_only(store_path)
        guard.check("ASK { ?s ?p ?o }")  # builds rdflib's grammar now, not on the first request
    except Exception as e:  # pragma: no cover - reported to the parent
        conn.send(("failed", repr(e)))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            req = conn.recv()
        except (EOFError, OSError):
            return
        if req is None:
            return
        try:
            reply = execute(store, req)
        except Exception as e:  # a bug must not take the worker down silently
            reply = error(500, f"query failed: {e!r}")
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return

def _die_with_parent() -> None:
    """Linux: SIGKILL this worker when the server process dies, even mid-query."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass

def main(argv: list[str] | None = None) -> None:
    """Worker entry point: ``python -m cable_kg.web.worker FD STORE``."""
    argv = sys.argv[1:] if argv is None else argv
    _worker_main(Connection(int(argv[0])), argv[1])

if __name__ == "__main__":
    main()

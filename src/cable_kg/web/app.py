"""The HTTP app: linked-data pages with content negotiation, the read-only
SPARQL 1.1 endpoint, the query and search pages, the dataset description
and the dumps (Starlette; served by uvicorn).

Dereferencing follows "Cool URIs for the Semantic Web", 303 variant: the
resource IRI ``<base>telegram/x`` (path ``/telegram/x``) answers
``303 See Other`` to one of its documents, chosen by the Accept header
(``/telegram/x.html``, ``.ttl``, ``.nt``, ``.jsonld``, ``.rdf``); each
document URL serves its format with ``Content-Location`` and
``Vary: Accept``.  Request paths map onto the base IRI, so the server
answers for the IRIs in the store whatever host and port it runs on.

Everything is read from a snapshot of the store taken at start-up (hard
links, see :meth:`cable_kg.store.Store.snapshot`): a ``load`` running at
the same time cannot disturb a reader, and what is computed from the
snapshot (pages, counts, the timeline) is computed once.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import anyio
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import RedirectResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import StoreError
from ..rdf.build import DEFAULT_BASE
from ..store import Store
from .execute import QueryRequest, Reply
from .pool import QueryPool
from .render import Renderer
from .site import Site

log = logging.getLogger("cable_kg.web")
STATIC = Path(__file__).resolve().parent / "static"


@dataclass
class Settings:
    store: Path
    base: str = DEFAULT_BASE
    timeout: float = 10.0  # seconds per SPARQL query
    workers: int = 2  # query worker processes
    cap: int = 10000  # rows (or triples) per result
    max_body: int = 64 * 1024  # bytes of request body
    max_url: int = 8 * 1024  # bytes of path + query string
    cache: int = 2048  # rendered documents kept
    snapshot: bool = True  # serve a snapshot of ``store`` (else ``store`` must not change)
    title: str = "cable-kg"
    license: str | None = None
    extra: dict = field(default_factory=dict)


# ------------------------------------------------------------------ size limits

class _TooLarge(Exception):
    pass


class LimitMiddleware:
    """414 for a long URL, 413 for a large body (declared or streamed),
    before the request reaches any route."""

    def __init__(self, app, max_url: int, max_body: int):
        self.app = app
        self.max_url = max_url
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        url = len(scope.get("raw_path") or scope["path"].encode()) + len(scope.get("query_string") or b"")
        if url > self.max_url:
            return await _plain(send, 414, f"URI too long: {url} bytes (at most {self.max_url}); "
                                           "send long queries with POST")
        for k, v in scope.get("headers") or []:
            if k == b"content-length":
                try:
                    n = int(v)
                except ValueError:
                    return await _plain(send, 400, "bad Content-Length")
                if n > self.max_body:
                    return await _plain(send, 413, f"request body too large: {n} bytes (at most {self.max_body})")
        seen = 0
        started = False

        async def limited_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise _TooLarge()
            return message

        async def tracking_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _plain(send, 413, f"request body too large (at most {self.max_body} bytes)")


async def _plain(send, status: int, text: str) -> None:
    body = (text + "\n").encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


# ------------------------------------------------------------------ state

def take_snapshot(store_path: Path, target: Path) -> Store:
    """A read-only snapshot of the store at ``store_path`` in ``target``,
    through a read-only open, which never takes the store's lock (a ``load``
    may be running)."""
    if not store_path.exists():
        raise StoreError(f"no store at {store_path}: run `cable-kg load` first (or give --store)")
    return Store(store_path, read_only=True).snapshot(target)


SNAPSHOT_PREFIX = ".cable-kg-snapshot-"


def _remove_stale_snapshots(folder: Path) -> None:
    """Snapshots left by a server that was killed (its pid is gone)."""
    for d in folder.glob(f"{SNAPSHOT_PREFIX}*"):
        try:
            pid = int(d.name[len(SNAPSHOT_PREFIX):].split("-", 1)[0])
        except ValueError:
            continue
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(d, ignore_errors=True)
        except PermissionError:
            pass


class State:
    """What the app holds while it runs."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.snapshot_dir: Path | None = None
        self.store: Store | None = None
        self.site: Site | None = None
        self.renderer: Renderer | None = None
        self.pool: QueryPool | None = None
        self.limiter = anyio.CapacityLimiter(max(4, settings.workers * 8))
        self._cache: OrderedDict[str, tuple[bytes, str]] = OrderedDict()
        self._lock = threading.Lock()
        self._once: dict[str, object] = {}

    def open(self) -> None:
        s = self.settings
        if s.snapshot:
            # beside the store, so the snapshot's hard links stay on one file system
            parent = Path(s.store).resolve().parent
            _remove_stale_snapshots(parent)
            prefix = f"{SNAPSHOT_PREFIX}{os.getpid()}-"
            try:
                self.snapshot_dir = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
            except OSError:  # a read-only folder: a copy in the temporary folder
                self.snapshot_dir = Path(tempfile.mkdtemp(prefix=prefix))
            self.store = take_snapshot(Path(s.store), self.snapshot_dir / "store")
            path = self.snapshot_dir / "store"
        else:
            self.store = Store(Path(s.store), read_only=True)
            path = Path(s.store)
        self.site = Site(self.store, s.base, s.title)
        self.renderer = Renderer(self.site)
        self.pool = QueryPool(str(path), size=s.workers, timeout=s.timeout).start()

    def close(self) -> None:
        if self.pool:
            self.pool.close()
        self.store = None
        if self.snapshot_dir:
            shutil.rmtree(self.snapshot_dir, ignore_errors=True)

    def cached(self, key: str, make) -> tuple[bytes, str]:
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        value = make()
        with self._lock:
            self._cache[key] = value
            while len(self._cache) > self.settings.cache:
                self._cache.popitem(last=False)
        return value

    def once(self, key: str, make):
        with self._lock:
            if key in self._once:
                return self._once[key]
        value = make()
        with self._lock:
            self._once.setdefault(key, value)
            return self._once[key]

    async def sparql(self, req: QueryRequest) -> Reply:
        assert self.pool is not None
        return await anyio.to_thread.run_sync(self.pool.run, req, limiter=self.limiter)


# ------------------------------------------------------------------ app

def create_app(settings: Settings) -> Starlette:
    state = State(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await run_in_threadpool(state.open)
        app.state.cable = state
        try:
            yield
        finally:
            await run_in_threadpool(state.close)

    from . import routes

    app = Starlette(
        routes=[
            Route("/", routes.index, methods=["GET"]),
            Route("/index.html", routes.index, methods=["GET"]),
            Route("/sparql", routes.sparql, methods=["GET", "POST"]),
            Route("/query", lambda r: RedirectResponse("query.html", 301), methods=["GET"]),
            Route("/query.html", routes.query_page, methods=["GET"]),
            Route("/search.html", routes.search_page, methods=["GET"]),
            Route("/search", lambda r: RedirectResponse(f"search.html?{r.url.query}", 301), methods=["GET"]),
            Route("/timeline.html", routes.timeline, methods=["GET"]),
            Route("/timeline", lambda r: RedirectResponse("timeline.html", 301), methods=["GET"]),
            Route("/people.html", routes.listing("people"), methods=["GET"]),
            Route("/places.html", routes.listing("places"), methods=["GET"]),
            Route("/operations.html", routes.listing("operations"), methods=["GET"]),
            Route("/.well-known/void", routes.void, methods=["GET"]),
            Route("/void.ttl", routes.void, methods=["GET"]),
            Route("/dump/{name}", routes.dump, methods=["GET"]),
            Mount("/static", app=StaticFiles(directory=str(STATIC)), name="static"),
            Route("/{path:path}", routes.resource, methods=["GET"]),
        ],
        middleware=[
            Middleware(LimitMiddleware, max_url=settings.max_url, max_body=settings.max_body),
            Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
                       allow_headers=["Accept", "Content-Type", "Authorization"],
                       expose_headers=["X-Results-Capped", "X-Results-Cap", "Content-Location", "Vary"],
                       max_age=86400),
        ],
        exception_handlers={500: routes.server_error},
        lifespan=lifespan,
    )
    app.state.cable = state
    return app


"""The request handlers of :mod:`.app`."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from pathlib import Path
from urllib.parse import parse_qs

import anyio
import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)

from .. import describe
from ..errors import CableKGError, QueryError
from ..queries import list_queries, parse_query_text, prepare
from ..remote import result_from_json
from .execute import QueryRequest
from .negotiate import DOCUMENT_TYPES, EXTENSIONS, RDF_FORMATS, RDF_TYPES, best

log = logging.getLogger("cable_kg.web")
SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
_EXT = re.compile(r"^(?P<stem>.+)\.(?P<ext>html|ttl|nt|jsonld|rdf)$")
CACHE = "public, max-age=300"


def _state(request: Request):
    return request.app.state.cable


def _media_header(media: str) -> str:
    return media if media == "application/rdf+xml" else f"{media}; charset=utf-8"


def _etagged(request: Request, body: bytes, media: str, status: int = 200, headers: dict | None = None) -> Response:
    tag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
    headers = {"ETag": tag, "Cache-Control": CACHE, **(headers or {})}
    if status == 200 and tag in (request.headers.get("if-none-match") or ""):
        return Response(status_code=304, headers=headers)
    return Response(body, status_code=status, headers={**headers, "Content-Type": _media_header(media)})


def _error_page(request: Request, status: int, message: str, reason: str = "") -> Response:
    st = _state(request)
    reasons = {400: "Bad Request", 403: "Forbidden", 404: "Not Found", 406: "Not Acceptable",
               500: "Internal Server Error", 503: "Service Unavailable"}
    wants_html = best(request.headers.get("accept"), ["text/html", "text/plain"]) == "text/html"
    if st.renderer is None or not wants_html:
        return PlainTextResponse(message + "\n", status_code=status)
    page_path = request.url.path.lstrip("/") or "index.html"
    body = st.renderer.render("error.html", page_path, status=status, reason=reason or reasons.get(status, ""),
                              message=message)
    return HTMLResponse(body, status_code=status)


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("error while serving %s", request.url.path, exc_info=exc)
    return PlainTextResponse(f"internal error: {exc}\n", status_code=500)


# ------------------------------------------------------------------ resources

async def resource(request: Request) -> Response:
    """``/telegram/x`` → 303 to a document; ``/telegram/x.ttl`` → the document."""
    st = _state(request)
    path = request.path_params["path"]
    site = st.site
    iri = site.iri_for(path)
    if iri is not None and await run_in_threadpool(_exists, st, iri):
        media = best(request.headers.get("accept"), DOCUMENT_TYPES)
        if media is None:
            return PlainTextResponse(f"406 Not Acceptable: {iri} is available as {', '.join(DOCUMENT_TYPES)}\n",
                                     status_code=406, headers={"Vary": "Accept"})
        ext = {v: k for k, v in EXTENSIONS.items()}[media]
        location = f"{request.scope.get('root_path', '')}/{path}.{ext}"
        return RedirectResponse(location, status_code=303, headers={"Vary": "Accept", "Cache-Control": CACHE})
    m = _EXT.match(path)
    if m:
        iri = site.iri_for(m.group("stem"))
        if iri is not None and await run_in_threadpool(_exists, st, iri):
            return await _document(request, iri, m.group("stem"), m.group("ext"))
    return _error_page(request, 404, f"nothing is known about {site.base}{path}")


def _exists(st, iri: str) -> bool:
    return st.cached(f"exists {iri}", lambda: st.site.exists(iri))


async def _document(request: Request, iri: str, stem: str, ext: str) -> Response:
    st = _state(request)
    media = EXTENSIONS[ext]
    page_path = f"{stem}.{ext}"

    def make() -> tuple[bytes, str]:
        if ext == "html":
            page = st.site.page(iri)
            if page is None:
                raise LookupError(iri)
            return st.renderer.page(page, page_path).encode("utf-8"), media
        return st.site.rdf(iri, media), media

    try:
        body, media = await run_in_threadpool(st.cached, page_path, make)
    except LookupError:
        return _error_page(request, 404, f"nothing is known about {iri}")
    except CableKGError as e:
        return _error_page(request, 500, str(e))
    location = f"{request.scope.get('root_path', '')}/{page_path}"
    links = ", ".join(f'<{Path(stem).name}.{x}>; rel="alternate"; type="{t}"' for x, t in EXTENSIONS.items()
                      if x != ext)
    return _etagged(request, body, media, headers={"Vary": "Accept", "Content-Location": location,
                                                   "Link": f'<{iri}>; rel="describes", {links}'})


# ------------------------------------------------------------------ site pages

async def index(request: Request) -> Response:
    st = _state(request)
    media = best(request.headers.get("accept"), DOCUMENT_TYPES)
    if media in RDF_TYPES:
        return RedirectResponse(f"{request.scope.get('root_path', '')}/.well-known/void", status_code=303,
                                headers={"Vary": "Accept"})

    def make():
        return render_index(st.renderer, st.site).encode("utf-8"), "text/html"

    body, media = await run_in_threadpool(st.cached, "index.html", make)
    return _etagged(request, body, media, headers={"Vary": "Accept"})


def render_index(renderer, site, page_path: str = "index.html") -> str:
    telegrams = site.telegrams.records()
    return renderer.render("index.html", page_path, stats=site.stats, telegrams=telegrams,
                           dumps=list(describe.DUMPS))


LISTINGS = {
    "people": ("People", "Everyone the telegrams name, with the names as written and pseudonyms."),
    "places": ("Places", "Every place the telegrams name, resolved across romanisations."),
    "operations": ("Planned operations", "Operations the telegrams discuss, with objectives and places."),
}


def render_listing(renderer, site, name: str, page_path: str) -> str:
    heading, description = LISTINGS[name]
    return renderer.render("list.html", page_path, heading=heading, description=description,
                           result=site.saved(name))


def listing(name: str):
    async def handler(request: Request) -> Response:
        st = _state(request)
        page_path = f"{name}.html"
        body, media = await run_in_threadpool(
            st.cached, page_path, lambda: (render_listing(st.renderer, st.site, name, page_path).encode(), "text/html"))
        return _etagged(request, body, media)

    return handler


def render_timeline(site) -> str:
    try:
        from ..views.timeline import to_html
    except ImportError:  # pragma: no cover - views ship with cable-kg
        return "<!DOCTYPE html><title>timeline</title><p>The timeline view is not installed.</p>"
    return to_html(site.timeline, title=f"{site.title}: timeline")


async def timeline(request: Request) -> Response:
    st = _state(request)
    body, media = await run_in_threadpool(
        st.cached, "timeline.html", lambda: (render_timeline(st.site).encode("utf-8"), "text/html"))
    return _etagged(request, body, media)


# ------------------------------------------------------------------ dataset description and dumps

def void_triples(st) -> list:
    s = st.settings

    def make():
        facts = describe.gather(st.store, s.base)
        return describe.description(facts, s.base, endpoint=f"{s.base}sparql", license=s.license,
                                    title=f"{s.title}: Cold War diplomatic telegrams", modified=describe.now())

    return st.once("void", make)


async def void(request: Request) -> Response:
    st = _state(request)
    media = best(request.headers.get("accept"), RDF_TYPES) or "text/turtle"
    triples = await run_in_threadpool(void_triples, st)
    body = await run_in_threadpool(describe.serialize, triples, RDF_FORMATS[media])
    return _etagged(request, body, media, headers={"Vary": "Accept"})


async def dump(request: Request) -> Response:
    st = _state(request)
    name = request.path_params["name"]
    if name not in describe.DUMPS:
        return _error_page(request, 404, f"no dump {name!r} (dumps: {', '.join(describe.DUMPS)})")
    folder = (st.snapshot_dir or Path(st.settings.store).parent) / "dumps"

    def make() -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / name
        if not target.exists():
            tmp = target.with_suffix(".part")
            with open(tmp, "wb") as out:
                describe.write_dump(st.store, name, void_triples(st), st.settings.base, out)
            tmp.replace(target)
        return target

    path = await run_in_threadpool(st.once, f"dump {name}", make)
    return FileResponse(path, media_type=describe.DUMPS[name][0], filename=name,
                        content_disposition_type="inline")


# ------------------------------------------------------------------ SPARQL protocol

def _params(request: Request, body: bytes | None) -> dict[str, list[str]]:
    params = parse_qs(request.url.query, keep_blank_values=True)
    if body is not None:
        for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items():
            params.setdefault(k, []).extend(v)
    return params


def service_description(st) -> list:
    def make():
        s = st.settings
        N = ox.NamedNode
        svc = N(f"{s.base}sparql")
        out = []

        def add(p, o, subject=svc):
            out.append(ox.Triple(subject, N(p), o))

        rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
        add(rdf_type, N(SD + "Service"))
        add(SD + "endpoint", svc)
        add(SD + "supportedLanguage", N(SD + "SPARQL11Query"))
        add(SD + "feature", N(SD + "UnionDefaultGraph"))
        for f in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "JSON-LD", "RDF_XML"):
            add(SD + "resultFormat", N(FORMATS + f))
        ds = N(f"{s.base}sparql#dataset")
        add(SD + "defaultDataset", ds)
        add(rdf_type, N(SD + "Dataset"), ds)
        add("http://purl.org/dc/terms/source", N(describe.dataset_iri(s.base)), ds)
        dg = N(f"{s.base}sparql#default-graph")
        add(SD + "defaultGraph", dg, ds)
        add(rdf_type, N(SD + "Graph"), dg)
        facts = void_triples(st)
        triples = next((t.object for t in facts if t.predicate.value.endswith("void#triples")
                        and t.subject.value == describe.dataset_iri(s.base)), None)
        if triples is not None:
            add("http://rdfs.org/ns/void#triples", triples, dg)
        for g in st.store.graph_hashes():
            ng = N(g)
            add(SD + "namedGraph", ng, ds)
            add(SD + "name", ng, ng)
        add("http://www.w3.org/2000/01/rdf-schema#comment", ox.Literal(
            f"Read-only: updates, LOAD and SERVICE are refused. Each query runs at most {s.timeout:g} s; "
            f"results are capped at {s.cap} rows (X-Results-Capped: true says a result was cut). The default "
            "graph is the union of the named graphs (one per source file, plus the reply links).", language="en"))
        return out

    return st.once("service description", make)


async def sparql(request: Request) -> Response:
    st = _state(request)
    body = None
    if request.method == "POST":
        ctype = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
        raw = await request.body()
        if ctype == "application/sparql-update":
            return PlainTextResponse("403 Forbidden: SPARQL Update is not allowed: this endpoint is read-only\n",
                                     status_code=403)
        if ctype == "application/sparql-query":
            params = _params(request, None)
            params["query"] = params.get("query", []) + [raw.decode("utf-8", "replace")]
        elif ctype in ("application/x-www-form-urlencoded", ""):
            body = raw
            params = _params(request, body)
        else:
            return PlainTextResponse(
                f"415 Unsupported Media Type: POST application/sparql-query or a form "
                f"(application/x-www-form-urlencoded), not {ctype!r}\n", status_code=415)
    else:
        params = _params(request, None)
    if "update" in params:
        return PlainTextResponse("403 Forbidden: SPARQL Update is not allowed: this endpoint is read-only\n",
                                 status_code=403)
    queries = params.get("query", [])
    if not queries:
        if request.method == "GET":
            return await _service_description(request)
        return PlainTextResponse("400 Bad Request: no query given (parameter 'query')\n", status_code=400)
    if len(queries) > 1:
        return PlainTextResponse("400 Bad Request: give exactly one 'query'\n", status_code=400)
    timeout = st.settings.timeout
    if params.get("timeout"):
        try:
            timeout = min(timeout, max(0.1, float(params["timeout"][0])))
        except ValueError:
            return PlainTextResponse("400 Bad Request: timeout must be a number of seconds\n", status_code=400)
    req = QueryRequest(queries[0], accept=request.headers.get("accept"),
                       format=(params.get("format") or params.get("output") or [None])[0],
                       cap=st.settings.cap, default_graphs=tuple(params.get("default-graph-uri", [])),
                       named_graphs=tuple(params.get("named-graph-uri", [])))
    reply = await st.sparql(req) if timeout == st.settings.timeout else \
        await _run_with_timeout(st, req, timeout)
    headers = dict(reply.headers)
    headers["Vary"] = "Accept"
    if reply.status >= 400:
        reason = {400: "Bad Request", 403: "Forbidden", 406: "Not Acceptable", 500: "Internal Server Error",
                  503: "Service Unavailable"}.get(reply.status, "")
        text = reply.body.decode("utf-8", "replace")
        return PlainTextResponse(f"{reply.status} {reason}: {text}", status_code=reply.status, headers=headers)
    return Response(reply.body, status_code=reply.status, headers={**headers, "Content-Type": reply.content_type})


async def _run_with_timeout(st, req, timeout):
    return await anyio.to_thread.run_sync(lambda: st.pool.run(req, timeout=timeout), limiter=st.limiter)


async def _service_description(request: Request) -> Response:
    st = _state(request)
    accept = request.headers.get("accept")
    media = best(accept, ["text/turtle", *RDF_TYPES[1:], "text/html"])
    if media == "text/html" and best(accept, DOCUMENT_TYPES) == "text/html":
        return RedirectResponse(f"{request.scope.get('root_path', '')}/query.html", status_code=303,
                                headers={"Vary": "Accept"})
    media = media if media in RDF_TYPES else "text/turtle"
    triples = await run_in_threadpool(service_description, st)
    fmt = RDF_FORMATS[media]
    prefixes = {"sd": SD, "formats": FORMATS, "void": "http://rdfs.org/ns/void#",
                "dct": "http://purl.org/dc/terms/"}
    body = ox.serialize(_grouped(triples), format=fmt, prefixes=prefixes) if fmt == ox.RdfFormat.TURTLE else \
        ox.serialize(triples, format=fmt)
    return Response(body, headers={"Content-Type": _media_header(media), "Vary": "Accept"})


def _grouped(triples):
    groups: dict = {}
    for t in triples:
        groups.setdefault(t.subject, []).append(t)
    return [t for ts in groups.values() for t in ts]


# ------------------------------------------------------------------ query and search pages

def saved_queries_json() -> list[dict]:
    return [{"name": q.name, "title": q.title, "description": q.description, "text": q.text,
             "params": [{"name": p.name, "type": p.type, "optional": p.optional, "doc": p.doc} for p in q.params]}
            for q in list_queries()]


async def query_page(request: Request) -> Response:
    st = _state(request)
    args = request.query_params
    saved = {q["name"]: q for q in saved_queries_json()}
    name = args.get("saved") or ""
    text = args.get("query")
    if text is None and name in saved:
        text = saved[name]["text"]
    text = text or ""
    values = {k[2:]: v for k, v in args.items() if k.startswith("p.") and v != ""}
    result, error, status, capped, bound = None, None, 200, False, None
    if "run" in args and text.strip():
        try:
            parsed = parse_query_text(name or "query", text)
            bound = await run_in_threadpool(prepare, st.site.engine, parsed, values, st.settings.base)
            reply = await st.sparql(QueryRequest(bound, format="json", cap=st.settings.cap))
            if reply.status != 200:
                status, error = reply.status, reply.body.decode("utf-8", "replace").strip()
            elif reply.kind in ("construct", "describe"):
                status, error = 400, "CONSTRUCT and DESCRIBE results are graphs: run them at the SPARQL endpoint"
            else:
                result = result_from_json(json.loads(reply.body))
                capped = reply.capped
        except (QueryError, CableKGError) as e:
            status, error = 400, str(e)
    params = saved[name]["params"] if name in saved else []
    if text and name not in saved:
        try:
            params = [{"name": p.name, "type": p.type, "optional": p.optional, "doc": p.doc}
                      for p in parse_query_text("query", text).params]
        except QueryError:
            params = []
    body = st.renderer.render("query.html", "query.html", saved=list(saved.values()), current=name, text=text,
                              params=params, values=values, result=result, error=error, capped=capped,
                              cap=st.settings.cap, saved_json=_script_json(list(saved.values())))
    return HTMLResponse(body, status_code=status)


def _script_json(data) -> str:
    from markupsafe import Markup

    text = json.dumps(data, ensure_ascii=False)
    return Markup(text.replace("</", "<\\/").replace("<!--", "<\\!--"))


SEARCH_LIMIT = 200
MAX_WORDS = 8


def search_query(words: list[str]) -> str:
    """The search as SPARQL, each word a checked literal in a VALUES row."""
    names = [f"?w{i}" for i in range(len(words))]
    row = " ".join(str(ox.Literal(w)) for w in words)
    test = " && ".join(f"CONTAINS(?hay, {n})" for n in names)
    return f"""PREFIX ck: <https://w3id.org/cable-kg/ns#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
SELECT ?telegram ?date ?title ?text WHERE {{
  VALUES ({' '.join(names)}) {{ ({row}) }}
  ?telegram a ck:Document .
  OPTIONAL {{ ?telegram dct:title ?t }} OPTIONAL {{ ?telegram rdfs:label ?l }}
  OPTIONAL {{ ?telegram schema:text ?x }} OPTIONAL {{ ?telegram dct:date ?date }}
  BIND(COALESCE(?t, ?l, "") AS ?title)
  BIND(COALESCE(?x, "") AS ?text)
  BIND(LCASE(CONCAT(?title, " ", ?text)) AS ?hay)
  FILTER({test})
}} ORDER BY ?date ?telegram LIMIT {SEARCH_LIMIT}"""


def snippet(text: str, words: list[str], width: int = 220) -> list[tuple[str, bool]]:
    """A piece of ``text`` around the first hit, as (text, is_hit) parts.

    >>> snippet("Your telegram of June 4 received.", ["june"])
    [('Your telegram of ', False), ('June', True), (' 4 received.', False)]
    """
    low = text.lower()
    hits = [low.find(w) for w in words if low.find(w) >= 0]
    start = max(0, min(hits) - width // 3) if hits else 0
    piece = text[start:start + width]
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    out, pos = [], 0
    for m in pattern.finditer(piece):
        if m.start() > pos:
            out.append((piece[pos:m.start()], False))
        out.append((m.group(0), True))
        pos = m.end()
    if pos < len(piece):
        out.append((piece[pos:], False))
    if start > 0:
        out.insert(0, ("…", False))
    if start + width < len(text):
        out.append(("…", False))
    return out


async def search_page(request: Request) -> Response:
    st = _state(request)
    q = (request.query_params.get("q") or "").strip()
    words = [w for w in dict.fromkeys(q.lower().split()) if w][:MAX_WORDS]
    hits, error, status = [], None, 200
    if words:
        reply = await st.sparql(QueryRequest(search_query(words), format="json", cap=SEARCH_LIMIT))
        if reply.status != 200:
            status, error = reply.status, reply.body.decode("utf-8", "replace").strip()
        else:
            for rec in result_from_json(json.loads(reply.body)).records():
                hits.append({"iri": rec["telegram"], "date": (rec["date"] or "")[:10], "title": rec["title"],
                             "snippet": snippet(rec["text"] or rec["title"] or "", words)})
    body = st.renderer.render("search.html", "search.html", q=q, hits=hits, error=error, searched=bool(words),
                              limit=SEARCH_LIMIT)
    return HTMLResponse(body, status_code=status)


"""The static site: everything ``cable-kg serve`` answers for, as files that
any web host can serve at the base IRI.

For each resource ``<base>telegram/x``:

* ``telegram/x.html``, ``telegram/x.ttl``, ``telegram/x.jsonld``: its
  documents, the same ones the server sends;
* ``telegram/x/index.html``: the static stand-in for the server's
  ``303 See Other``.  A static host cannot choose a document by the Accept
  header, so the bare IRI (which hosts serve as ``telegram/x/`` →
  ``index.html``) answers with a small page that redirects browsers to
  ``../x.html`` (``<meta http-equiv="refresh">``), names the data
  documents with ``<link rel="alternate" type="text/turtle">`` and
  carries the resource's description as embedded JSON-LD, so RDF clients
  that only read the bare IRI still get the data.  The ``.htaccess``
  written beside it does the real 303 by Accept on Apache hosts.

Plus the index, people/places/operations lists, the timeline page, the
saved queries, a client-side search over ``search-index.json``, the
VoID/DCAT description (``.well-known/void``, ``void.ttl``,
``void.jsonld``) and the dumps (``dump/``), each with the description in
``<base>graph/void``.

The site is built in a folder beside OUTDIR and moved into place when
complete, so a web server reading OUTDIR never sees half a site.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from . import describe
from .errors import CableKGError
from .rdf.build import DEFAULT_BASE
from .store import Store

MARKER = ".cable-kg-site"
STATIC = Path(__file__).resolve().parent / "web" / "static"


@dataclass
class PublishReport:
    outdir: Path
    resources: int = 0
    files: int = 0
    bytes: int = 0


class PublishError(CableKGError):
    """OUTDIR cannot be written."""


HTACCESS = """# Written by cable-kg publish.  On Apache (mod_rewrite, mod_mime) this gives
# the bare resource IRIs the server's behaviour: 303 See Other to the
# document the Accept header asks for.  Without it, a bare IRI serves
# <path>/index.html, which redirects browsers to <path>.html and embeds the
# JSON-LD description.
Options -MultiViews
DirectorySlash Off
DirectoryIndex index.html
AddType text/turtle .ttl
AddType application/ld+json .jsonld
AddType text/turtle void
AddType application/n-quads .nq
AddType application/trig .trig
AddCharset utf-8 .html .ttl .jsonld .nq .trig
<IfModule mod_headers.c>
  Header set Access-Control-Allow-Origin "*"
</IfModule>
<IfModule mod_rewrite.c>
  RewriteEngine On
  RewriteCond %{HTTP_ACCEPT} (text/turtle|application/x-turtle|text/n3) [NC]
  RewriteCond %{REQUEST_FILENAME}.ttl -f
  RewriteRule ^(.+[^/])/?$ $1.ttl [R=303,L]
  RewriteCond %{HTTP_ACCEPT} application/(ld\\+)?json [NC]
  RewriteCond %{REQUEST_FILENAME}.jsonld -f
  RewriteRule ^(.+[^/])/?$ $1.jsonld [R=303,L]
  RewriteCond %{REQUEST_FILENAME}.html -f
  RewriteRule ^(.+[^/])/?$ $1.html [R=303,L]
</IfModule>
"""


def publish(store_path: Path, outdir: Path, base: str = DEFAULT_BASE, endpoint: str | None = None,
            license: str | None = None, title: str = "cable-kg",
            progress: Callable[[int, int], None] | None = None) -> PublishReport:
    """Write the static site for the store at ``store_path`` into ``outdir``."""
    from .web.render import Renderer
    from .web.routes import (
        render_index,
        render_listing,
        render_timeline,
        saved_queries_json,
    )
    from .web.site import Site

    outdir = Path(outdir)
    if outdir.exists() and any(outdir.iterdir()) and not (outdir / MARKER).exists():
        raise PublishError(f"{outdir} exists, is not empty and is not a cable-kg site: give an empty or new folder")
    if not Path(store_path).exists():
        raise PublishError(f"no store at {store_path}: run `cable-kg load` first (or give --store)")
    store = Store(Path(store_path), read_only=True)
    site = Site(store, base, title)
    renderer = Renderer(site, static=True, endpoint=endpoint)
    outdir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{outdir.name}-", dir=outdir.parent))
    report = PublishReport(outdir)

    def write(rel: str, data: bytes | str) -> None:
        path = work / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        raw = data.encode("utf-8") if isinstance(data, str) else data
        path.write_bytes(raw)
        report.files += 1
        report.bytes += len(raw)

    try:
        (work / MARKER).write_text("written by cable-kg publish; the whole folder is replaced on the next run\n")
        resources = site.resources()
        for n, iri in enumerate(resources, 1):
            local = site.local(iri)
            page = site.page(iri)
            if page is not None:
                write(f"{local}.html", renderer.page(page, f"{local}.html"))
            triples = _grouped(site.triples(iri))
            write(f"{local}.ttl", ox.serialize(triples, format=ox.RdfFormat.TURTLE,
                                               prefixes=_turtle_prefixes()))
            jsonld = ox.serialize(triples, format=ox.RdfFormat.JSON_LD)
            write(f"{local}.jsonld", jsonld)
            write(f"{local}/index.html", _redirect_page(renderer, iri, local, title, jsonld))
            report.resources += 1
            if progress:
                progress(n, len(resources))
        write("index.html", render_index(renderer, site))
        for name in ("people", "places", "operations"):
            write(f"{name}.html", render_listing(renderer, site, name, f"{name}.html"))
        write("timeline.html", render_timeline(site))
        write("query.html", renderer.render("query.html", "query.html", saved=saved_queries_json(), current="",
                                            text="", params=[], values={}, result=None, error=None, capped=False,
                                            cap=0, saved_json="[]"))
        write("search.html", renderer.render("search.html", "search.html", q="", hits=[], error=None,
                                             searched=False, limit=0))
        write("search-index.json", json.dumps(_search_index(site), ensure_ascii=False, separators=(",", ":")))
        for f in STATIC.iterdir():
            if f.is_file():
                write(f"static/{f.name}", f.read_bytes())
        facts = describe.gather(store, base)
        void = describe.description(facts, base, endpoint=endpoint, license=license,
                                    title=f"{title}: Cold War diplomatic telegrams", modified=describe.now())
        turtle = describe.serialize(void)
        write(".well-known/void", turtle)
        write("void.ttl", turtle)
        write("void.jsonld", describe.serialize(void, ox.RdfFormat.JSON_LD))
        for name in describe.DUMPS:
            (work / "dump").mkdir(exist_ok=True)
            with open(work / "dump" / name, "wb") as out:
                describe.write_dump(store, name, void, base, out)
            report.files += 1
            report.bytes += (work / "dump" / name).stat().st_size
        write(".htaccess", HTACCESS)
        write(".nojekyll", "")  # GitHub Pages: serve .well-known/ as it is
        _swap(work, outdir)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return report


def _turtle_prefixes() -> dict[str, str]:
    from .web.site import TURTLE_PREFIXES

    return TURTLE_PREFIXES


def _grouped(triples):
    groups: dict = {}
    for t in triples:
        groups.setdefault(t.subject, []).append(t)
    return [t for ts in groups.values() for t in ts]


def _redirect_page(renderer, iri: str, local: str, title: str, jsonld: bytes) -> str:
    from markupsafe import Markup

    page_path = f"{local}/index.html"
    target = renderer.linker(page_path)(iri)
    data = jsonld.decode("utf-8").replace("</", "<\\/").replace("<!--", "<\\!--")
    return renderer.render("redirect.html", page_path, iri=iri, local=local, target=target,
                           title=f"{iri} · {title}", jsonld=Markup(data))


def _search_index(site) -> list[dict]:
    rows = site.select("SELECT ?t ?d ?title ?text WHERE { ?t a ck:Document . OPTIONAL { ?t dct:date ?d } "
                       "OPTIONAL { ?t rdfs:label ?title } OPTIONAL { ?t schema:text ?text } } ORDER BY ?d ?t").rows
    out = []
    for t, d, title, text in rows:
        local = site.local(t.value)
        out.append({"href": f"{local}.html", "date": d.value[:10] if d else "", "title": title.value if title else "",
                    "text": text.value if text else ""})
    return out


def _swap(work: Path, outdir: Path) -> None:
    """Put the finished site in place of the old one."""
    old = None
    if outdir.exists():
        old = outdir.with_name(f".{outdir.name}-old-{os.getpid()}")
        outdir.rename(old)
    work.rename(outdir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)

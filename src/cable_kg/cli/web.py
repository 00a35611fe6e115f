"""Publishing commands: serve (HTTP server with SPARQL endpoint) and
publish (static site)."""

from __future__ import annotations

from pathlib import Path

import click

from ..store import default_store_path
from .base import base_option, library_errors, main, store_option


@main.command()
@store_option
@base_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--timeout", type=click.FloatRange(0.1, 3600), default=10.0, show_default=True,
              help="Time limit of one SPARQL query, seconds (the worker running it is killed).")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Query worker processes (queries running at once).")
@click.option("--max-results", "cap", type=click.IntRange(1), default=10000, show_default=True,
              help="Rows (or triples) per SPARQL result; a cut result says X-Results-Capped: true.")
@click.option("--max-body", type=click.IntRange(1024), default=64 * 1024, show_default=True,
              help="Largest request body, bytes (413 above).")
@click.option("--max-url", type=click.IntRange(256), default=8 * 1024, show_default=True,
              help="Longest request path and query string, bytes (414 above).")
@click.option("--title", default="cable-kg", show_default=True, help="Site title.")
@click.option("--license", "license_", metavar="IRI", help="Licence IRI for the dataset description "
              "(default: the source archive's rights statement).")
@click.option("--log-level", type=click.Choice(["critical", "error", "warning", "info", "debug"]),
              default="info", show_default=True)
@library_errors
def serve(store_path, base, host, port, timeout, workers, cap, max_body, max_url, title, license_, log_level):
    """Serve the graph as linked data, with a read-only SPARQL endpoint.

    Every IRI in the store dereferences: /telegram/x answers 303 See Other
    to /telegram/x.html, .ttl, .nt, .jsonld or .rdf by the Accept header.
    Also: /sparql (SPARQL 1.1 protocol, read-only, time-limited), /query.html
    (saved queries), /search.html, /timeline.html, /.well-known/void and the
    dumps under /dump/.  The server reads a snapshot of the store taken at
    start-up, so a `cable-kg load` meanwhile does not disturb it (restart to
    serve the new data).

    \b
    Example:
        cable-kg serve --store ./kg --port 8000
        curl -H 'Accept: text/turtle' -L http://127.0.0.1:8000/telegram/r112096
        curl 'http://127.0.0.1:8000/sparql' --data-urlencode 'query=ASK { ?s ?p ?o }'
    """
    import uvicorn

    from ..web import Settings, create_app

    path = store_path or default_store_path()
    if not path.exists():
        raise click.ClickException(f"no store at {path}: run `cable-kg load` first (or give --store)")
    settings = Settings(store=path, base=base, timeout=timeout, workers=workers, cap=cap, max_body=max_body,
                        max_url=max_url, title=title, license=license_)
    app = create_app(settings)
    click.echo(f"serving {path} as {base} on http://{host}:{port}/ (SPARQL: http://{host}:{port}/sparql)",
               err=True)
    uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=log_level in ("info", "debug"),
                h11_max_incomplete_event_size=max_url + 32 * 1024, timeout_graceful_shutdown=5)


@main.command()
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@store_option
@base_option
@click.option("--endpoint", metavar="URL", help="SPARQL endpoint to name in the dataset description.")
@click.option("--title", default="cable-kg", show_default=True, help="Site title.")
@click.option("--license", "license_", metavar="IRI", help="Licence IRI for the dataset description "
              "(default: the source archive's rights statement).")
@library_errors
def publish(outdir, store_path, base, endpoint, title, license_):
    """Write the graph as a static linked-data site into OUTDIR.

    One HTML page, one Turtle and one JSON-LD file per resource
    (telegram/x.html, telegram/x.ttl, telegram/x.jsonld), and for the bare
    IRI telegram/x/index.html, which sends browsers to the HTML page and
    embeds the JSON-LD (the static stand-in for the server's 303; an
    .htaccess does the real 303 on Apache).  Also the index, timeline,
    saved queries, search, VoID/DCAT (.well-known/void) and the dumps.
    Serve OUTDIR at the base IRI for the IRIs to resolve.  OUTDIR is
    replaced whole when the new site is complete.

    \b
    Example:
        cable-kg publish site --store ./kg --base-iri https://example.org/kg/
        python -m http.server -d site 8080
    """
    from ..publish import publish as write_site

    report = write_site(store_path or default_store_path(), outdir, base, endpoint=endpoint, license=license_,
                        title=title)
    click.echo(f"published {report.resources} resources ({report.files} files, "
               f"{report.bytes / 1e6:.1f} MB) into {report.outdir}")

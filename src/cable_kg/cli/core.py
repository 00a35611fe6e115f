"""Core commands: convert, load, query, queries, stats, export, evaluate."""

from __future__ import annotations

import contextlib
import time
import sys
from pathlib import Path

import click

from ..errors import ParameterError
from ..store import FORMATS
from .base import (
    base_option,
    library_errors,
    main,
    open_store,
    progress_bar,
    report_errors,
    store_option,
)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here, not to stdout.")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="turtle", show_default=True)
@base_option
@library_errors
def convert(paths, output, fmt, base):
    """Convert telegram pages (files or folders of .txt) to RDF.

    Each file becomes one named graph; triple formats merge them.

    \b
    Example:
        cable-kg convert data/telegrams --format trig -o telegrams.trig
    """
    from ..pipeline import convert_to_rdf

    data, failed = convert_to_rdf(paths, fmt, base)
    report_errors(failed)
    if output:
        output.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    if failed:
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@store_option
@base_option
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="Converter processes [default: CPUs].")
@click.option("--no-link", is_flag=True, help="Do not relink citations after loading.")
@click.option("--optimize/--no-optimize", default=None, help="Compact the store afterwards (minutes for a large "
              "collection; then every lookup is cheaper). [default: after a bulk load of 1 M quads or more]")
@click.option("--endpoint", metavar="URL", help="Push each file's graph to this SPARQL 1.1 Graph Store "
              "endpoint (HTTP PUT, replacing the graph whole; Oxigraph: http://host:7878/store) "
              "instead of the local store.")
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Endpoint timeout per graph, seconds.")
@click.option("--user", help="Endpoint user (basic auth).")
@click.option("--password", help="Endpoint password (basic auth).")
@library_errors
def load(paths, store_path, base, workers, no_link, optimize, endpoint, timeout, user, password):
    """Convert telegram pages and load them into the store.

    A changed file replaces its graph in one transaction; an unchanged file
    is skipped; a bad file is reported as `path: reason` and the others
    still load (exit code 1).  With --endpoint each file's graph goes to a
    remote Graph Store instead (PUT: replaced whole, every time), with the
    reply links among the files given (push the whole collection at once).

    \b
    Example:
        cable-kg load data/telegrams --store ./kg
        cable-kg load big/telegrams --store ./kg --no-optimize
        cable-kg load data/telegrams --endpoint http://127.0.0.1:7878/store
    """
    if endpoint:
        from ..remote import push_paths

        _report_push(push_paths(endpoint, paths, base, workers, timeout, user, password, link=not no_link),
                     endpoint)
        return
    from ..convert import expand_paths
    from ..link import relink
    from ..pipeline import load_paths

    with open_store(store_path) as store:
        bar = progress_bar(len(expand_paths(paths)), "Loading")
        with bar or contextlib.nullcontext():
            report = load_paths(store, paths, base, workers, (lambda c: bar.update(1)) if bar else None)
        for path, warning in report.warnings:
            click.echo(f"{path}: warning: {warning}", err=True)
        report_errors(report.failed)
        links = relink(store, base).links if report.loaded and not no_link else None
        if optimize or (optimize is None and report.worth_compacting):
            started = time.perf_counter()
            store.optimize()
            click.echo(f"compacted the store in {time.perf_counter() - started:.1f} s", err=True)
        click.echo(f"loaded {len(report.loaded)}, unchanged {len(report.skipped)}, failed {len(report.failed)}"
                   f" ({report.quads} quads{', bulk load' if report.bulk else ''}"
                   f"{f', {links} reply links' if links is not None else ''}) into {store.path}")
    if report.failed:
        sys.exit(1)


def _report_push(outcome, endpoint) -> None:
    report, failed = outcome
    report_errors(failed)
    click.echo(f"pushed {len(report.pushed)} graphs, failed {len(failed)} ({report.triples} triples) to {endpoint}")
    if failed:
        sys.exit(1)


@main.command("queries")
def list_saved_queries():
    """List the saved queries with their descriptions and parameters.

    \b
    Example:
        cable-kg queries
    """
    from ..queries import list_queries

    for q in list_queries():
        click.secho(q.name, bold=True, nl=False)
        click.echo(f"  {q.title}")
        if q.description:
            click.echo(click.wrap_text(q.description, initial_indent="    ", subsequent_indent="    "))
        for p in q.params:
            click.echo(f"    -p {p.name} <{p.type}>{' (optional)' if p.optional else ''}  {p.doc}")


@main.command()
@click.argument("name_or_file")
@click.option("-p", "--param", "params", nargs=2, multiple=True, metavar="NAME VALUE",
              help="A query parameter; repeat for several.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table",
              show_default=True)
@store_option
@base_option
@click.option("--endpoint", help="Run against this SPARQL endpoint instead of the store.")
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Endpoint timeout, seconds.")
@click.option("--user", help="Endpoint user (basic auth).")
@click.option("--password", help="Endpoint password (basic auth).")
@library_errors
def query(name_or_file, params, fmt, store_path, base, endpoint, timeout, user, password):
    """Run a saved query (by name, or a path to an .rq file).

    Parameters are bound as RDF terms, never pasted into the query text.

    \b
    Example:
        cable-kg query telegrams
        cable-kg query telegram -p id 112096
        cable-kg query timeline -p from 1951-01-01 --format csv
    """
    from ..queries import format_result, load_query, run

    saved = load_query(name_or_file)
    names = [n for n, _ in params]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise click.BadParameter(f"given twice: {', '.join(sorted(dupes))}", param_hint="-p")
    engine = _engine(store_path, endpoint, timeout, user, password)
    try:
        result = run(engine, saved, dict(params), base)
    except ParameterError as e:
        raise click.BadParameter(str(e), param_hint="-p") from None
    click.echo(format_result(result, fmt), nl=False)


def _engine(store_path, endpoint, timeout, user, password):
    if endpoint:
        from ..remote import RemoteEngine

        return RemoteEngine(endpoint, timeout=timeout, user=user, password=password)
    from ..queries import LocalEngine

    return LocalEngine(open_store(store_path, read_only=True))


@main.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@library_errors
def stats(store_path, fmt):
    """Count telegrams, persons, places, references and triples.

    \b
    Example:
        cable-kg stats
    """
    import json

    from ..queries import LocalEngine, store_stats

    counts = store_stats(LocalEngine(open_store(store_path, read_only=True)))
    if fmt == "json":
        click.echo(json.dumps(counts, indent=2))
    else:
        width = max(len(k) for k in counts)
        for k, v in counts.items():
            click.echo(f"{k.ljust(width)}  {v:>9,}")


@main.command()
@store_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here, not to stdout.")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="nquads", show_default=True)
@library_errors
def export(store_path, output, fmt):
    """Dump the whole store (all graphs) as RDF.

    \b
    Example:
        cable-kg export --format trig -o dump.trig
    """
    data = open_store(store_path, read_only=True).dump(fmt)
    if output:
        output.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)


@main.command()
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@library_errors
def evaluate(gold_dir, fmt):
    """Score extraction against gold annotations (precision, recall, F1).

    GOLD_DIR holds one JSON file per telegram (see tests/gold/README.md).

    \b
    Example:
        cable-kg evaluate tests/gold
    """
    import json

    from ..evaluate import evaluate as run_evaluation
    from ..evaluate import format_report, reply_links
    from ..resolve import Authority

    report = run_evaluation(gold_dir, Authority.load(), links=reply_links)
    if fmt == "json":
        click.echo(json.dumps(report.as_dict() if hasattr(report, "as_dict") else report, indent=2, default=str))
    else:
        click.echo(format_report(report))

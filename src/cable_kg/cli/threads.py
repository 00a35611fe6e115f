"""Reply chains and time: link, trace, timeline."""

from __future__ import annotations

import re
import sys
from calendar import monthrange
from datetime import date
from pathlib import Path

import click

from .base import base_option, library_errors, main, open_store, store_option


def endpoint_options(fn):
    """--endpoint (a SPARQL endpoint instead of the store), --timeout, --user, --password."""
    for option in reversed((
        click.option("--endpoint", metavar="URL", help="Read from this SPARQL endpoint instead of the store."),
        click.option("--timeout", type=float, default=30.0, show_default=True, help="Endpoint timeout, seconds."),
        click.option("--user", help="Endpoint user (basic auth)."),
        click.option("--password", help="Endpoint password (basic auth)."),
    )):
        fn = option(fn)
    return fn


def _engine(store_path, endpoint, timeout, user, password):
    from .core import _engine as engine

    return engine(store_path, endpoint, timeout, user, password)


class PartialDate(click.ParamType):
    """YYYY, YYYY-MM or YYYY-MM-DD; the start or the end of that span."""

    name = "date"

    def __init__(self, end: bool = False):
        self.end = end

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", str(value).strip())
        try:
            if not m:
                raise ValueError("expected YYYY, YYYY-MM or YYYY-MM-DD")
            y = int(m.group(1))
            if m.group(3):
                return date(y, int(m.group(2)), int(m.group(3)))
            if m.group(2):
                mo = int(m.group(2))
                return date(y, mo, monthrange(y, mo)[1] if self.end else 1)
            return date(y, 12, 31) if self.end else date(y, 1, 1)
        except ValueError as e:
            self.fail(f"{value!r} is not a date ({e})", param, ctx)


@main.command()
@store_option
@base_option
@click.option("--force", is_flag=True, help="Recompute even if no telegram changed since the last run.")
@library_errors
def link(store_path, base, force):
    """Match every citation with the telegrams in the store (reply links).

    `load` does this after every load; run it after `load --no-link`, or
    with --force after changing the linker.  Each citation either resolves to
    a telegram (with a score and the evidence), or stays a placeholder that
    keeps what the citation says and its ranked candidates.

    \b
    Example:
        cable-kg link --store ./kg
        cable-kg query reply-links --store ./kg
    """
    from ..link import relink

    report = relink(open_store(store_path), base, force=force)
    if report.skipped:
        click.echo(f"links up to date ({report.links} reply links)")
        return
    click.echo(f"{report.citations} citations: {report.resolved} resolved, {report.placeholders} placeholders "
               f"({report.ambiguous} ambiguous); {report.links} reply links; "
               f"+{report.added} -{report.removed} quads in {report.seconds:.1f} s")


@main.command()
@click.argument("telegram")
@click.option("--up", "direction", flag_value="up", help="Only what it answers, and what those answer.")
@click.option("--down", "direction", flag_value="down", help="Only what answers it, and so on.")
@click.option("--both", "direction", flag_value="both", default=True, help="Both (the default).")
@click.option("--format", "fmt", type=click.Choice(["tree", "json", "dot", "mermaid"]), default="tree",
              show_default=True)
@store_option
@base_option
@endpoint_options
@library_errors
def trace(telegram, direction, fmt, store_path, base, endpoint, timeout, user, password):
    """Show the reply thread around a telegram.

    TELEGRAM is an IRI, a record ID, a key, or a number with a date
    (3410@1951-06-05).  Up: what it answers, and what those answer; down:
    what answers it.  Each line gives the date, number, author -> addressee
    and the first words of the text; a telegram the collection does not hold
    is a placeholder, marked [not in the collection].

    \b
    Example:
        cable-kg trace 3410@1951-06-05
        cable-kg trace 112096 --down
        cable-kg trace 3410@1951-06-05 --format dot | dot -Tsvg > thread.svg
        cable-kg trace 3410@1951-06-05 --format mermaid
        cable-kg trace 3410@1951-06-05 --endpoint http://127.0.0.1:8000/sparql
    """
    from ..queries import resolve_telegram
    from ..views.thread import load_thread, render

    engine = _engine(store_path, endpoint, timeout, user, password)
    iri = resolve_telegram(engine, telegram, base)
    thread = load_thread(engine, iri, direction)
    click.echo(render(thread, fmt, direction), nl=False)


@main.command()
@click.option("--from", "start", type=PartialDate(), help="Earliest date: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--to", "end", type=PartialDate(end=True), help="Latest date (a month or year means its end).")
@click.option("--person", help="Only items naming this person (part of the name, any case).")
@click.option("--place", help="Only items naming this place (part of the name, any case).")
@click.option("--kind", "kinds", type=click.Choice(["telegram", "event", "operation"]), multiple=True,
              help="Only these kinds; repeat for several [default: all].")
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json", "html"]), default="text",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here, not to stdout.")
@store_option
@base_option
@endpoint_options
@library_errors
def timeline(start, end, person, place, kinds, fmt, output, store_path, base, endpoint, timeout, user, password):
    """Telegrams, reported events and planned operations in time order.

    Each date keeps its precision: "1951-04 (month)" is April 1951 as a
    whole.  A range reads only the months in it (the month index).  The HTML
    format is one self-contained page (no network) that draws the items in
    lanes per person, per operation or per kind, zoomable.

    \b
    Example:
        cable-kg timeline --from 1951-01 --to 1951-06
        cable-kg timeline --person "Peng Dehuai" --format csv
        cable-kg timeline --from 1950 --to 1951 --format html -o timeline.html
    """
    from ..views.timeline import KINDS, load_timeline, render

    if start and end and start > end:
        raise click.BadParameter(f"--from {start} is after --to {end}", param_hint="--from")
    engine = _engine(store_path, endpoint, timeout, user, password)
    items = load_timeline(engine, start, end, person, place, tuple(kinds) or KINDS, base)
    text = render(items, fmt)
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"{len(items)} items written to {output}", err=True)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()

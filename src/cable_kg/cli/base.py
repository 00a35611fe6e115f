"""The command group and what every command shares: options bundled as
decorators, library errors mapped to exit codes, opening the store."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click

from .. import __version__
from ..errors import CableKGError, ParameterError
from ..rdf.build import DEFAULT_BASE, check_base
from ..store import Store, default_store_path

BASE_ENV = "CABLE_KG_BASE_IRI"


# ------------------------------------------------------------------ shared options

def store_option(fn):
    """``--store PATH`` (env CABLE_KG_STORE, default ./.cable-kg/store)."""
    return click.option(
        "--store", "store_path", type=click.Path(path_type=Path), default=None,
        help="Store folder [env CABLE_KG_STORE; default ./.cable-kg/store].")(fn)


def base_option(fn):
    def check(ctx, param, value):
        try:
            return check_base(value)
        except ValueError as e:
            raise click.BadParameter(str(e)) from None

    return click.option("--base-iri", "base", default=lambda: os.environ.get(BASE_ENV, DEFAULT_BASE),
                        show_default=DEFAULT_BASE, callback=check,
                        help=f"Base of every IRI minted [env {BASE_ENV}].")(fn)


def library_errors(fn):
    """Turn library exceptions into Click's exit codes and messages."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ParameterError as e:
            raise click.BadParameter(str(e)) from None
        except CableKGError as e:
            raise click.ClickException(str(e)) from None

    return wrapper


def open_store(store_path: Path | None, read_only: bool = False) -> Store:
    path = store_path or default_store_path()
    if read_only and not path.exists():
        raise click.ClickException(f"no store at {path}: run `cable-kg load` first (or give --store)")
    return Store(path, read_only=read_only)


def report_errors(failed) -> None:
    for e in failed:
        click.echo(str(e), err=True)


def progress_bar(total: int, label: str):
    """A progress bar on stderr, only when stderr is a terminal."""
    if not sys.stderr.isatty() or total < 2:
        return None
    return click.progressbar(length=total, label=label, file=sys.stderr)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cable-kg")
def main():
    """cable-kg: diplomatic telegrams into a knowledge graph.

    Convert archive telegram pages (plain text) to RDF, load them into an
    Oxigraph store, run saved SPARQL queries, trace reply chains and publish
    the graph as linked data.

    \b
    Example:
        cable-kg load data/telegrams
        cable-kg query telegrams
    """



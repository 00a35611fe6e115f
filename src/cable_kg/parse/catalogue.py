"""The catalogue entries of a page's metadata tail.

The archive files each document under authors, associated people and
organisations, places and topics, one entry a line (sometimes several on a
line, separated by semicolons), in library form: ``Stalin, Joseph,
1879-1953``, ``Korea (North)``.  Which person or place an entry names is
the authority's business (:meth:`cable_kg.resolve.Authority.catalogued_person`).
"""

from __future__ import annotations

from ..model import Catalogue, Spanned
from .lines import Line

_FIELDS = {"author(s)": "authors", "associated people & organizations": "people",
           "associated places": "places", "associated topics": "topics"}


def parse_catalogue(tail: dict[str, list[Line]]) -> Catalogue | None:
    """The catalogue entries of ``tail`` (label, lower case -> the lines of
    its value), or None when it has none."""
    found: dict[str, tuple[Spanned, ...]] = {}
    for label, field in _FIELDS.items():
        found[field] = tuple(entry for line in tail.get(label, ()) for entry in _entries(line))
    archive = tail.get("original archive")
    original_archive = archive[0].spanned(archive[0].text.rstrip(".")) if archive else None
    if not any(found.values()) and original_archive is None:
        return None
    return Catalogue(original_archive=original_archive, **found)


def _entries(line: Line) -> list[Spanned]:
    """A value line's entries: split at semicolons, each with its span."""
    out = []
    at = 0
    for part in line.text.split(";"):
        lead = len(part) - len(part.lstrip())
        entry = part.strip()
        if entry:
            out.append(line.spanned(entry, at + lead, at + lead + len(entry)))
        at += len(part) + 1
    return out

"""Where the files cable-kg ships live: ontology/, queries/ and the
authority files, at the top of a checkout or inside an installed wheel
(``cable_kg/_shipped/``)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent.parent


def shipped(name: str) -> Path:
    """The folder ``name`` (ontology, queries, authority) of this install.

    >>> shipped("queries").name
    'queries'
    """
    inside = _PACKAGE / "_shipped" / name
    if inside.is_dir():
        return inside
    top = {"authority": _CHECKOUT / "data" / "authority"}.get(name, _CHECKOUT / name)
    return top

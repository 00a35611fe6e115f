"""Graph comparison helpers: golden RDF is compared as graphs, never as bytes."""

from __future__ import annotations

from rdflib import Dataset, Graph
from rdflib.compare import graph_diff, to_isomorphic


def dataset_from_nquads(text: str) -> Dataset:
    ds = Dataset()
    ds.parse(data=text, format="nquads")
    return ds


def graphs_by_name(ds: Dataset) -> dict[str, Graph]:
    out = {}
    for g in ds.graphs():
        if len(g):
            plain = Graph()
            for t in g:
                plain.add(t)
            out[str(g.identifier)] = plain
    return out


def assert_isomorphic_datasets(actual: str, expected: str) -> None:
    """Same named graphs, each isomorphic; on failure show what differs."""
    a, e = graphs_by_name(dataset_from_nquads(actual)), graphs_by_name(dataset_from_nquads(expected))
    assert sorted(a) == sorted(e), f"graph names differ: {sorted(a)} != {sorted(e)}"
    for name in a:
        ia, ie = to_isomorphic(a[name]), to_isomorphic(e[name])
        if ia != ie:
            _, only_a, only_e = graph_diff(ia, ie)
            lines = [f"+ {t}" for t in sorted(only_a)][:20] + [f"- {t}" for t in sorted(only_e)][:20]
            raise AssertionError(f"graph {name} differs from golden:\n" + "\n".join(lines))

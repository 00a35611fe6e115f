"""The only module that touches pyoxigraph's Store.

One named graph per source file.  Replacing a file's graph is one SPARQL
update (DROP + INSERT DATA), which Oxigraph applies in one transaction, so a
crash leaves either the old or the new version, never neither.  A first
import into an empty store goes through the bulk loader instead; each
graph's ``ck:sha256`` marker is written last, so a graph cut short by a
crash lacks its marker and is replaced whole by the next ``load``.
Queries see the union of the named graphs.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from .errors import StoreError
from .rdf.namespace import CK

DEFAULT_STORE = ".cable-kg/store"
STORE_ENV = "CABLE_KG_STORE"

FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
DATASET_FORMATS = {"nquads", "trig", "jsonld"}


def default_store_path() -> Path:
    return Path(os.environ.get(STORE_ENV) or DEFAULT_STORE)


class Store:
    """A cable-kg store on disk (or in memory with ``path=None``).

    >>> s = Store(None)
    >>> g = "http://ex.org/g"
    >>> s.replace_graph(g, f'<{g}> <https://w3id.org/cable-kg/ns#sha256> "abc" <{g}> .\\n')
    >>> s.graph_hashes()
    {'http://ex.org/g': 'abc'}
    >>> len(s)
    1
    """

    def __init__(self, path: Path | None = None, read_only: bool = False):
        self.path = path
        self._read_only = read_only
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(path))
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except OSError as e:
            raise StoreError(f"cannot open the store at {path}: {e}") from None

    @property
    def oxigraph(self) -> ox.Store:
        return self._store

    def __len__(self) -> int:
        return len(self._store)

    def is_empty(self) -> bool:
        return next(iter(self._store.quads_for_pattern(None, None, None, None)), None) is None

    def graph_hashes(self) -> dict[str, str]:
        """Graph IRI -> sha256 of the source text it was built from."""
        out = {}
        for q in self._store.quads_for_pattern(None, ox.NamedNode(CK.sha256), None, None):
            if isinstance(q.graph_name, ox.NamedNode) and q.subject == q.graph_name:
                out[q.graph_name.value] = q.object.value
        return out

    def replace_graph(self, graph: str, nquads: str) -> None:
        """Replace one graph atomically with the given N-Quads of that graph."""
        g = f"<{ox.NamedNode(graph).value}>"
        suffix = f" {g} .\n"
        triples = "".join(line[: -len(suffix)] + " .\n" for line in nquads.splitlines(keepends=True)
                          if line.endswith(suffix))
        update = f"DROP SILENT GRAPH {g} ;\nINSERT DATA {{ GRAPH {g} {{\n{triples}}} }}"
        try:
            self._store.update(update)
        except (OSError, SyntaxError) as e:
            raise StoreError(f"cannot replace graph {graph}: {e}") from None

    def bulk_import(self, chunks: Iterable[str]) -> None:
        """Bulk-load N-Quads text (an iterable of chunks) without holding it all."""
        try:
            self._store.bulk_load(_ChunkReader(chunks), format=ox.RdfFormat.N_QUADS)
        except (OSError, SyntaxError) as e:
            raise StoreError(f"bulk load failed: {e}") from None

    def bulk_load_triples(self, data: bytes | BinaryIO, graph: str, trusted: bool = False) -> None:
        """Bulk-load N-Triples into ``graph``: bytes in memory (read in place)
        or a binary file.

        ``trusted``: text cable-kg wrote itself from terms it read from the
        store (the links graph), so the parser may skip its checks
        (pyoxigraph's ``lenient``: about a sixth less CPU for the 1.5 M quads
        of the links of 100,000 telegrams).  Never for text read from a file."""
        try:
            self._store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph), lenient=trusted)
        except (OSError, SyntaxError) as e:
            raise StoreError(f"bulk load failed: {e}") from None

    def remove_graph(self, graph: str) -> None:
        self._store.remove_graph(ox.NamedNode(graph))

    def query(self, sparql: str):
        """A SPARQL query over the union of the named graphs."""
        return self._store.query(sparql, use_default_graph_as_union=True)

    def update(self, sparql: str) -> None:
        self._store.update(sparql)

    def load_graph(self, data: str | bytes, graph: str, fmt: ox.RdfFormat = ox.RdfFormat.N_TRIPLES) -> None:
        """Replace ``graph`` with triples in one transaction."""
        self._store.update(f"DROP SILENT GRAPH <{ox.NamedNode(graph).value}>")
        self._store.load(data, format=fmt, to_graph=ox.NamedNode(graph))

    def dump(self, fmt: str = "nquads") -> bytes:
        """The whole store; triple formats merge the named graphs."""
        if fmt in DATASET_FORMATS:
            return self._store.dump(format=FORMATS[fmt])
        triples = self._store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        return ox.serialize(triples, format=FORMATS[fmt])

    def snapshot(self, target: Path) -> Store:
        """A cheap read-only copy (hard links) for readers that must not see
        a concurrent load."""
        if self.path is None:
            raise StoreError("an in-memory store has no snapshot")
        if target.exists():
            shutil.rmtree(target)
        if not self._read_only:
            self._store.flush()
        self._store.backup(str(target))
        return Store(target, read_only=True)

    def flush(self) -> None:
        self._store.flush()

    def close(self) -> None:
        """Flush and let go of the database (its lock and background work),
        so another process, or a read-only instance, can open it."""
        import gc

        if self._store is not None:
            if self.path is not None and not self._read_only:
                self._store.flush()
            self._store = None
            gc.collect()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def optimize(self) -> None:
        """Compact the database (RocksDB's full compaction): after a large bulk
        load the data sits in many overlapping files, and each lookup visits
        several of them."""
        if not self._read_only:
            self._store.optimize()


class _ChunkReader:
    """A binary file-like object over an iterator of text chunks."""

    def __init__(self, chunks: Iterable[str]):
        self._chunks: Iterator[str] = iter(chunks)
        self._buf = bytearray()

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buf) < size:
            try:
                self._buf += next(self._chunks).encode("utf-8")
            except StopIteration:
                break
        if size < 0:
            size = len(self._buf)
        out = bytes(self._buf[:size])
        del self._buf[:size]
        return out

    def readable(self) -> bool:
        return True

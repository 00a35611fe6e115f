"""Files to store: convert in worker processes, load each file's graph.

A bad file is reported (path and reason) and the rest of the batch goes on.
An unchanged file (same sha256 of its text) is skipped.  A first import of
many files into an empty store uses the bulk loader; afterwards each file's
graph is replaced in one transaction.
"""

from __future__ import annotations

import hashlib
import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import pyoxigraph as ox

from .convert import convert_text, decode, expand_paths
from .errors import InputError
from .linkfacts import open_facts, pack, rows_from_nquads
from .rdf.build import DEFAULT_BASE, Iris, authority_nquads, build_nquads
from .resolve import Authority
from .store import FORMATS, Store

BULK_THRESHOLD = 50  # files: below this a transaction each is fast enough
COMPACT_AFTER = 1_000_000  # quads bulk-loaded at once (about 1,800 telegrams): then compact
PARALLEL_THRESHOLD = 200  # files: below this worker start-up costs more than it saves
WINDOW = 2000  # files converted ahead at most, which bounds memory


@dataclass(frozen=True)
class Converted:
    """One file's outcome: its graph's N-Quads, or skipped, or an error."""

    path: str
    graph: str = ""
    sha256: str = ""
    nquads: str | None = None
    warnings: tuple[str, ...] = ()
    error: InputError | None = None
    skipped: bool = False
    facts: bytes = b""  # what the linker reads of the graph, packed rows (see linkfacts)


@dataclass
class LoadReport:
    loaded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[InputError] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    quads: int = 0
    bulk: bool = False

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def worth_compacting(self) -> bool:
        """Whether the store should be compacted after this load: a bulk load
        of at least :data:`COMPACT_AFTER` quads leaves them in many overlapping
        files, and compacting once costs less than every later lookup does
        (at 100,000 telegrams: 1.5-2 minutes; then the store takes 13 GB
        instead of 18 and a hot saved query ``thread`` 10-20 % less time)."""
        return self.bulk and self.quads >= COMPACT_AFTER


def convert_path(path: str, base: str = DEFAULT_BASE, known_sha: str | None = None) -> Converted:
    """Read, decode, parse and build one file (runs in a worker process)."""
    iris = Iris(base)
    graph = iris.graph(Path(path).name)
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        return Converted(path, graph, error=InputError(path, e.strerror or str(e)))
    try:
        text, warnings = decode(path, data)
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if sha == known_sha:
            return Converted(path, graph, sha, skipped=True)
        doc = convert_text(Path(path).name, text, Authority.load(), warnings)
    except InputError as e:
        return Converted(path, graph, error=InputError(path, e.reason, e.line, e.column))
    except Exception as e:  # a parser bug must not stop the batch; say which file
        return Converted(path, graph, error=InputError(path, f"internal error while converting: {e!r}"))
    nquads = build_nquads(doc, Authority.load(), iris)
    return Converted(path, graph, doc.sha256, nquads, doc.warnings, facts=pack(rows_from_nquads(nquads)))


def _convert_star(args: tuple[str, str, str | None]) -> Converted:
    return convert_path(*args)


def convert_many(paths: list[Path], base: str = DEFAULT_BASE, known: dict[str, str] | None = None,
                 workers: int | None = None) -> Iterator[Converted]:
    """Convert files in order, in worker processes when there are many."""
    known = known or {}
    iris = Iris(base)
    jobs = [(str(p), base, known.get(iris.graph(p.name))) for p in paths]
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(jobs) < PARALLEL_THRESHOLD:
        yield from (convert_path(*job) for job in jobs)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        it = iter(jobs)
        while window := list(islice(it, WINDOW)):
            yield from pool.map(_convert_star, window, chunksize=32)


def load_paths(store: Store, paths: Iterable[Path], base: str = DEFAULT_BASE, workers: int | None = None,
               progress: Callable[[Converted], None] | None = None) -> LoadReport:
    """Convert and load files into the store; see the module docstring."""
    files = expand_paths(paths)
    report = LoadReport()
    seen: dict[str, str] = {}
    known = store.graph_hashes()
    results = convert_many(files, base, known, workers)

    def accepted() -> Iterator[Converted]:
        for c in results:
            if progress:
                progress(c)
            if c.error is None and c.graph in seen:
                c = Converted(c.path, c.graph, error=InputError(
                    c.path, f"same file name as {seen[c.graph]}: both would be graph {c.graph}"))
            if c.error is not None:
                report.failed.append(c.error)
                continue
            seen[c.graph] = c.path
            report.warnings.extend((c.path, w) for w in c.warnings)
            if c.skipped:
                report.skipped.append(c.path)
                continue
            report.loaded.append(c.path)
            report.quads += c.nquads.count("\n") if c.nquads else 0
            yield c

    shared = authority_nquads(Authority.load(), Iris(base))
    shared_graph, shared_sha = Iris(base).authority_graph(), shared.rsplit('"', 2)[-2]
    facts = open_facts(store.path, base)
    pending = [(shared_graph, shared_sha, pack(rows_from_nquads(shared)))]

    def keep_facts(c: Converted | None = None) -> None:
        """The linker's rows, written as they come: the file is checked against the
        store's hashes when read, so rows ahead of the store do no harm."""
        if c is not None:
            pending.append((c.graph, c.sha256, c.facts))
        if facts is not None and (c is None or len(pending) >= 1000):
            facts.put(pending)
            pending.clear()

    try:
        if not known and len(files) >= BULK_THRESHOLD:
            report.bulk = True

            def chunks() -> Iterator[str]:
                yield shared
                for c in accepted():
                    keep_facts(c)
                    yield c.nquads or ""

            store.bulk_import(chunks())
        else:
            if known.get(shared_graph) != shared_sha:
                store.replace_graph(shared_graph, shared)
            for c in accepted():
                store.replace_graph(c.graph, c.nquads or "")
                keep_facts(c)
        store.flush()
        keep_facts()
    finally:
        if facts is not None:
            facts.close()
    return report


def convert_to_rdf(paths: Iterable[Path], fmt: str, base: str = DEFAULT_BASE,
                   workers: int | None = None) -> tuple[bytes, list[InputError]]:
    """Convert files to one RDF document without a store on disk.

    N-Quads and N-Triples are written as they are built; the other formats
    are serialised by pyoxigraph from an in-memory store.
    """
    files = expand_paths(paths)
    errors: list[InputError] = []
    parts: list[str] = []
    for c in convert_many(files, base, None, workers):
        if c.error:
            errors.append(c.error)
        elif c.nquads:
            parts.append(c.nquads)
    nquads = "".join(parts) + referenced_authority(Authority.load(), Iris(base), parts)
    if fmt == "nquads":
        return nquads.encode("utf-8"), errors
    mem = ox.Store()
    mem.load(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    # sorted, so that a document reads subject by subject in a stable order
    if fmt in ("trig", "jsonld"):
        quads = sorted(mem, key=str)
        return ox.serialize(quads, format=FORMATS[fmt], prefixes=_prefixes(base)), errors
    triples = sorted(mem.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"), key=str)
    return ox.serialize(triples, format=FORMATS[fmt], prefixes=_prefixes(base)), errors


def referenced_authority(authority: Authority, iris: Iris, parts: list[str]) -> str:
    """The part of the authority graph that the documents refer to, so that
    converted output names its persons, places and months on its own."""
    text = "".join(parts)
    lines = authority_nquads(authority, iris).splitlines(keepends=True)
    wanted = {line.split(" ", 1)[0] for line in lines if line.split(" ", 1)[0] in text}
    # the year nodes of the months kept
    wanted |= {line.split(" ")[2] for line in lines if line.split(" ", 1)[0] in wanted
               and f"<{iris.base}year/" in line.split(" ")[2]}
    return "".join(line for line in lines if line.split(" ", 1)[0] in wanted)


def _prefixes(base: str) -> dict[str, str]:
    from .queries import PREFIXES

    return {**PREFIXES, "telegram": f"{base}telegram/", "person": f"{base}person/", "place": f"{base}place/"}

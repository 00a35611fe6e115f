"""The dataset described in VoID and DCAT: what the graph holds (triple and
entity counts, classes, vocabularies), where to get it (SPARQL endpoint,
dumps), whose it is (the source archive's rights statements, verbatim, as
``dct:rights`` and as the licence document) and where it came from
(archives, record IDs and source files, the cable-kg run that built it).

The description is served at ``/.well-known/void`` (RFC 8615 / VoID
§7.2), written by ``publish``, and added to the dumps as the named graph
``<base>graph/void``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pyoxigraph as ox

from . import __version__
from .rdf.namespace import CK, DCAT, DCTERMS, PROV, RDF, RDFS, SCHEMA, VOID, XSD

FOAF_NS = "http://xmlns.com/foaf/0.1/"

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS_NS = "http://www.w3.org/ns/formats/"

VOCABULARIES = [str(CK._NS), "https://schema.org/", "http://purl.org/dc/terms/", "http://purl.org/spar/cito/",
                "http://semanticweb.cs.vu.nl/2009/11/sem/", "http://www.w3.org/2003/01/geo/wgs84_pos#",
                "http://www.w3.org/2000/01/rdf-schema#", "http://www.w3.org/ns/prov#"]

# dump file name -> (media type, pyoxigraph format name in Store.dump)
DUMPS = {
    "cable-kg.nq": ("application/n-quads", "nquads"),
    "cable-kg.trig": ("application/trig", "trig"),
    "cable-kg.ttl": ("text/turtle", "turtle"),
}

PREFIXES = {
    "void": str(VOID), "dcat": str(DCAT), "dct": str(DCTERMS), "prov": str(PROV), "foaf": FOAF_NS,
    "rdfs": str(RDFS), "xsd": str(XSD), "ck": str(CK._NS), "schema": "https://schema.org/", "sd": SD,
    "formats": FORMATS_NS,
}

_CLASSES = [CK.Document, CK.Telegram, CK.Cable, CK.Letter, CK.Note, CK.Decision, CK.Message, SCHEMA.Person,
            SCHEMA.Place, CK.MilitaryUnit, CK.PlannedOperation, CK.ReportedEvent, CK.CitedTelegram,
            CK.Mention, CK.SourceFile, CK.Month, CK.Year]


def void_graph(base: str) -> str:
    return f"{base}graph/void"


def void_document(base: str) -> str:
    return f"{base}.well-known/void"


def dataset_iri(base: str) -> str:
    return f"{void_document(base)}#dataset"


@dataclass
class Facts:
    """What the store says about itself, gathered with a few queries."""

    triples: int = 0
    entities: int = 0
    subjects: int = 0
    properties: int = 0
    classes: dict[str, int] = field(default_factory=dict)
    rights: list[str] = field(default_factory=list)
    archives: list[str] = field(default_factory=list)
    sources: list[tuple[str, str, list[str]]] = field(default_factory=list)  # graph, file name, record ids
    first: str | None = None
    last: str | None = None
    examples: list[str] = field(default_factory=list)


def _one(store, q: str) -> int:
    for row in store.query(q):
        v = row[0]
        return int(v.value) if v is not None else 0
    return 0


def gather(store, base: str) -> Facts:
    """Counts and provenance from a :class:`cable_kg.store.Store`."""
    void = void_graph(base)
    no_void = f"FILTER(?g != <{void}>)"
    f = Facts()
    f.triples = _one(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {no_void} }}")
    f.subjects = _one(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }")
    f.entities = _one(store, f'SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o FILTER(isIRI(?s) && '
                             f'STRSTARTS(STR(?s), "{_lit(base)}")) }}')
    f.properties = _one(store, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }")
    for c in _CLASSES:
        n = _one(store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{c}> }}")
        if n:
            f.classes[str(c)] = n
    f.rights = sorted({r[0].value for r in store.query(f"SELECT DISTINCT ?r WHERE {{ ?t <{DCTERMS.rights}> ?r }}")})
    f.archives = sorted({r[0].value for r in store.query(f"SELECT DISTINCT ?a WHERE {{ ?t <{CK.archive}> ?a }}")})
    sources: dict[str, tuple[str, list[str]]] = {}
    q = (f"SELECT ?g ?name ?id WHERE {{ ?g a <{CK.SourceFile}> ; <{CK.fileName}> ?name . "
         f"OPTIONAL {{ ?t <{CK.sourceFile}> ?g ; <{CK.recordId}> ?id }} }} ORDER BY ?g ?id")
    for row in store.query(q):
        g = row["g"].value
        entry = sources.setdefault(g, (row["name"].value, []))
        if row["id"] is not None and row["id"].value not in entry[1]:
            entry[1].append(row["id"].value)
    f.sources = [(g, name, ids) for g, (name, ids) in sorted(sources.items())]
    q = (f"SELECT (MIN(STR(?d)) AS ?first) (MAX(STR(?d)) AS ?last) WHERE {{ ?t a <{CK.Document}> ; "
         f"<{DCTERMS.date}> ?d }}")
    for row in store.query(q):
        f.first = row["first"].value[:10] if row["first"] is not None else None
        f.last = row["last"].value[:10] if row["last"] is not None else None
    q = f"SELECT ?t WHERE {{ ?t a <{CK.Document}> ; <{CK.recordId}> ?id }} ORDER BY ?id LIMIT 3"
    f.examples = [row["t"].value for row in store.query(q)]
    return f


def _lit(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def description(facts: Facts, base: str, endpoint: str | None = None, dumps: Iterable[str] | None = None,
                license: str | None = None, title: str = "cable-kg: Cold War diplomatic telegrams",
                modified: str | None = None) -> list[ox.Triple]:
    """The VoID/DCAT triples for a dataset at ``base``."""
    N, L = ox.NamedNode, ox.Literal
    ds = N(dataset_iri(base))
    out: list[ox.Triple] = []

    def add(s, p, o):
        out.append(ox.Triple(s, N(str(p)), o))

    def typed(value, dtype) -> ox.Literal:
        return L(str(value), datatype=N(str(dtype)))

    doc = N(void_document(base))
    add(doc, RDF.type, N(str(VOID.DatasetDescription)))
    add(doc, DCTERMS.title, L(f"Description of {title}", language="en"))
    add(doc, FOAF_NS + "primaryTopic", ds)

    add(ds, RDF.type, N(str(VOID.Dataset)))
    add(ds, RDF.type, N(str(DCAT.Dataset)))
    add(ds, DCTERMS.title, L(title, language="en"))
    add(ds, DCTERMS.description, L(
        "Translated diplomatic telegrams of the Korean War period as linked data: each telegram's header "
        "facts, the people, places, units, dates and operations its text names (with the words as written "
        "and their positions), the telegrams it cites and the reply links between them.", language="en"))
    add(ds, FOAF_NS + "homepage", N(base))
    add(ds, DCAT.landingPage, N(base))
    add(ds, VOID.uriSpace, L(base))
    add(ds, VOID.uriRegexPattern, L("^" + _regex_escape(base)))
    for ex in facts.examples:
        add(ds, VOID.exampleResource, N(ex))
    for v in VOCABULARIES:
        add(ds, VOID.vocabulary, N(v))
    add(ds, VOID.triples, typed(facts.triples, XSD.integer))
    add(ds, VOID.entities, typed(facts.entities, XSD.integer))
    add(ds, VOID.distinctSubjects, typed(facts.subjects, XSD.integer))
    add(ds, VOID.properties, typed(facts.properties, XSD.integer))
    add(ds, VOID.classes, typed(len(facts.classes), XSD.integer))
    for i, (cls, n) in enumerate(sorted(facts.classes.items())):
        part = N(f"{dataset_iri(base)}-class-{cls.rsplit('/', 1)[-1].rsplit('#', 1)[-1]}")
        add(ds, VOID.classPartition, part)
        add(part, VOID["class"], N(cls))
        add(part, VOID.entities, typed(n, XSD.integer))
    if facts.first and facts.last:
        period = N(f"{dataset_iri(base)}-period")
        add(ds, DCTERMS.temporal, period)
        add(period, RDF.type, N(str(DCTERMS.PeriodOfTime)))
        add(period, DCAT.startDate, typed(facts.first, XSD.date))
        add(period, DCAT.endDate, typed(facts.last, XSD.date))
    # rights: the archive's own words; a licence IRI only when one is given
    for text in facts.rights:
        add(ds, DCTERMS.rights, L(text, language="en"))
    if license:
        add(ds, DCTERMS.license, N(license))
    elif facts.rights:
        lic = N(f"{dataset_iri(base)}-rights")
        add(ds, DCTERMS.license, lic)
        add(lic, RDF.type, N(str(DCTERMS.LicenseDocument)))
        add(lic, RDFS.label, L("Rights statement of the source archive (reuse for research and education; "
                               "some documents under the rights holders' copyright)", language="en"))
        for text in facts.rights:
            add(lic, RDFS.comment, L(text, language="en"))
    # provenance
    for a in facts.archives:
        add(ds, DCTERMS.source, L(a))
    run = N(f"{dataset_iri(base)}-build")
    add(ds, PROV.wasGeneratedBy, run)
    add(run, RDF.type, N(str(PROV.Activity)))
    add(run, RDFS.label, L(f"cable-kg {__version__}: parse, extract, resolve, link"))
    add(run, PROV.wasAssociatedWith, N("https://w3id.org/cable-kg/ns"))
    for g, name, ids in facts.sources:
        add(ds, PROV.wasDerivedFrom, N(g))
        add(run, PROV.used, N(g))
        add(N(g), CK.fileName, L(name))
        for rid in ids:
            add(N(g), DCTERMS.identifier, L(rid))
    if modified:
        add(ds, DCTERMS.modified, typed(modified, XSD.dateTime))
    # access: SPARQL endpoint and dumps
    if endpoint:
        add(ds, VOID.sparqlEndpoint, N(endpoint))
        svc = N(endpoint)
        add(ds, DCAT.accessService, svc)
        add(svc, RDF.type, N(str(DCAT.DataService)))
        add(svc, RDF.type, N(SD + "Service"))
        add(svc, DCAT.endpointURL, N(endpoint))
        add(svc, DCAT.servesDataset, ds)
        add(svc, DCTERMS.conformsTo, N("https://www.w3.org/TR/sparql11-protocol/"))
    for name in (dumps if dumps is not None else DUMPS):
        media, _ = DUMPS[name]
        url = N(f"{base}dump/{name}")
        add(ds, VOID.dataDump, url)
        dist = N(f"{dataset_iri(base)}-dump-{name.rsplit('.', 1)[-1]}")
        add(ds, DCAT.distribution, dist)
        add(dist, RDF.type, N(str(DCAT.Distribution)))
        add(dist, DCAT.downloadURL, url)
        add(dist, DCAT.accessURL, url)
        add(dist, DCAT.mediaType, N(f"https://www.iana.org/assignments/media-types/{media}"))
        add(dist, DCTERMS.title, L(f"Dump of all named graphs ({media})", language="en"))
    return out


def _regex_escape(text: str) -> str:
    import re

    return re.escape(text)


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def grouped(triples: list[ox.Triple]) -> list[ox.Triple]:
    """Triples grouped by subject (first-seen order), so Turtle reads well."""
    groups: dict = {}
    for t in triples:
        groups.setdefault(t.subject, []).append(t)
    return [t for ts in groups.values() for t in ts]


def serialize(triples: list[ox.Triple], fmt: ox.RdfFormat = ox.RdfFormat.TURTLE) -> bytes:
    triples = grouped(triples)
    if fmt == ox.RdfFormat.TURTLE:
        return ox.serialize(triples, format=fmt, prefixes=PREFIXES)
    return ox.serialize(triples, format=fmt)


def as_quads(triples: list[ox.Triple], base: str) -> list[ox.Quad]:
    g = ox.NamedNode(void_graph(base))
    return [ox.Quad(t.subject, t.predicate, t.object, g) for t in triples]


def write_dump(store, name: str, triples: list[ox.Triple], base: str, out) -> None:
    """One dump file (all graphs plus the description in ``<base>graph/void``)
    written to the binary file ``out``."""
    _, fmt = DUMPS[name]
    from .store import FORMATS

    out.write(store.dump(fmt))
    quads = as_quads(triples, base)
    if fmt == "turtle":
        out.write(b"\n" + ox.serialize(grouped(triples), format=FORMATS[fmt], prefixes=PREFIXES))
    else:  # N-Quads and TriG documents may be concatenated
        out.write(b"\n" + ox.serialize(quads, format=FORMATS[fmt]))

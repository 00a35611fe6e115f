"""The ontology (ontology/cable-kg.ttl) against the closed namespace CK and
the converter's real output, and the SHACL shapes (ontology/shapes.ttl)
against converted telegrams, good and deliberately broken.

Everything runs on real files: the two seeds converted by the real
pipeline, and seed 16052 with a full set of extraction records (citations,
operations, objectives, events, units, date mentions) written by the real
:mod:`cable_kg.rdf.build`, so the shapes for those node types are exercised
whatever the extractors find today.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

import pyshacl
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD

from cable_kg.convert import convert_file
from cable_kg.model import (
    Citation,
    DateValue,
    Event,
    Mention,
    Objective,
    Operation,
    PersonRef,
    SourceDocument,
    Span,
    Spanned,
)
from cable_kg.rdf.build import authority_nquads, build_nquads, telegram_iri
from cable_kg.rdf.namespace import CITO, CK, DCTERMS, GEO, PROV, SCHEMA, SEM, TIME

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology" / "cable-kg.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
SEEDS = sorted((ROOT / "data" / "telegrams").glob("*.txt"))
FIXTURES = sorted((ROOT / "tests" / "fixtures" / "telegrams").glob("*.txt"))
CK_NS = str(CK._NS)
ONTOLOGY_IRI = URIRef(CK_NS.rstrip("#"))
VANN = "http://purl.org/vocab/vann/"
SHAPE = "https://w3id.org/cable-kg/shapes#"
TERM_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual, OWL.AnnotationProperty}


# ---------------------------------------------------------------- helpers

def union_graph(nquads: str) -> Graph:
    """The union of the named graphs of some N-Quads, as one graph."""
    ds = Dataset()
    ds.parse(data=nquads, format="nquads")
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def with_references(documents: Graph, shared: Graph) -> Graph:
    """Document graphs with what the shared authority graph says about the
    persons, places, months and years they refer to (and what those refer
    to): the part of a store a query about these documents sees."""
    g = Graph()
    g += documents
    todo = [o for o in documents.objects() if isinstance(o, URIRef)]
    seen = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in shared.predicate_objects(node):
            g.add((node, p, o))
            if isinstance(o, URIRef):
                todo.append(o)
    return g


def is_ck(term) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(CK_NS)


def local(term) -> str:
    return str(term)[len(CK_NS):]


def validate(data: Graph, shapes: Graph, ontology: Graph, **kwargs) -> tuple[bool, Graph, str]:
    conforms, report, text = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                              allow_warnings=True, **kwargs)
    return conforms, report, text


def violations(report: Graph) -> list[dict]:
    out = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(r, SH.resultSeverity) != SH.Violation:
            continue
        out.append({"focus": report.value(r, SH.focusNode), "path": report.value(r, SH.resultPath),
                    "shape": report.value(r, SH.sourceShape), "value": report.value(r, SH.value)})
    return out


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


@pytest.fixture(scope="module")
def shared_graph(authority) -> Graph:
    """The authority graph: persons, places, months and years shared by all documents."""
    return union_graph(authority_nquads(authority))


@pytest.fixture(scope="module")
def seed_docs(authority) -> list[SourceDocument]:
    return [convert_file(p, authority) for p in SEEDS]


@pytest.fixture(scope="module")
def seed_graph(seed_docs, authority, shared_graph) -> Graph:
    return with_references(union_graph("".join(build_nquads(d, authority) for d in seed_docs)), shared_graph)


# ------------------------------------------- seed 16052 with extraction records

def _span(text: str, words: str, after: int = 0) -> Span:
    at = text.find(words, after)
    assert at >= 0, f"{words!r} not in the seed's text"
    return Span(at, at + len(words), words)


def _with_extraction(doc: SourceDocument) -> SourceDocument:
    """Seed 16052 (Mao to Stalin, conveying Mao to Peng Dehuai) with a full
    set of extraction records, their spans taken from the page text."""
    text = doc.text
    t = doc.telegram
    assert t.embedded, "seed 16052 conveys one telegram"
    inner = t.embedded[0]
    body = inner.text.start if inner.text else 0

    mine = _span(text, "my telegram of 28 January 1951")
    mine_date = _span(text, "28 January 1951", mine.start)
    signed = _span(text, "28 January 1951 MAO ZEDONG")
    signed = Span(signed.start, signed.start + 15, "28 January 1951")
    outer = replace(
        t,
        mentions=(
            Mention("place", "Seoul", _span(text, "Seoul")),
            Mention("place", "Incheon", _span(text, "Incheon [Jemulpo]"), bracket="Jemulpo"),
            Mention("person", "Peng Dehuai", _span(text, "PENG DEHUAI")),
            Mention("date", "1951-01-28", mine_date, date=DateValue("1951-01-28", "day", mine_date)),
            # the same words as the signature date's mention: one node, two roles
            Mention("date", "1951-01-28", signed, date=DateValue("1951-01-28", "day", signed)),
        ),
        citations=(
            Citation(mine, "my", "telegram", dates=(DateValue("1951-01-28", "day", mine_date),)),
        ),
        operations=(
            Operation("fourth operation", "fourth-operation", _span(text, "the fourth operation"), "proposed"),
        ),
    )
    your = _span(text, "your telegram of 27 January 1951, 24:00", body)
    order = _span(text, "your order about preparation for conducting military operations", body)
    communication = _span(text, "a communication about support for the proposal", body)
    meeting = _span(text, "a meeting of the high command", body)
    year = _span(text, "1951", body)
    # relative times: from the telegram's date (open end), and after an operation
    near = _span(text, "in the near future", body)
    near_date = DateValue("1951-01", "month", near, True, earliest="1951-01-28", relative_to="document")
    after4 = _span(text, "After the conclusion of the fourth operation", body)
    after4_date = DateValue("1951-01", "month", after4, True, earliest="1951-01-28", relative_to="operation",
                            operation="fourth-operation", relation="after")
    inner = replace(
        inner,
        mentions=(
            Mention("unit", "ninth army group", _span(text, "ninth army group", body)),
            Mention("place", "Wonju", _span(text, "Wonju", body)),
            Mention("date", "1951", year, date=DateValue("1951", "year", year)),
            Mention("date", "1951-01", after4, date=after4_date),
            Mention("date", "1951-01", near, date=near_date),
        ),
        citations=(
            Citation(your, "your", "telegram", dates=(DateValue("1951-01-27", "day", your),)),
            Citation(order, "third", "order", dates=(DateValue("1951-01", "month", order),), plural=True,
                     topic="preparation for conducting military operations",
                     third_party=PersonRef("Peng Dehuai", _span(text, "PENG DEHUAI", body))),
            Citation(communication, "unknown", "message"),
        ),
        operations=(
            Operation(
                "fourth operation", "fourth-operation", _span(text, "the fourth operation", body), "ordered",
                objectives=(
                    Objective("destroy", _span(text, "destruction of 20,000 to 30,000 American and puppet", body),
                              "American and puppet troops", 20000, 30000),
                    Objective("occupy", _span(text, "occupation of the area to the north of the Daejeon-Andong "
                                                    "boundary", body),
                              "the area to the north of the Daejeon-Andong boundary"),
                ),
                places=("Seoul", "Wonju"),
                forces=("ninth army group",),
                duration=Spanned("10-12 days", _span(text, "10-12 days", body)),
            ),
            Operation("fifth operation", "fifth-operation", _span(text, "fifth, operation", body), "proposed",
                      follows="fourth-operation",
                      follows_after=Spanned("two to three months long preparation",
                                            _span(text, "two to three months long preparation", body))),
            Operation("redeployment of the ninth army group", "redeployment-of-the-ninth-army-group",
                      _span(text, "redeployed", body), "ordered", forces=("ninth army group",), when=near_date),
        ),
        events=(
            Event("meeting", meeting, date=DateValue("1951-01", "month", meeting), participants=("Stalin",),
                  places=("Moscow",)),
            Event("order", order, date=DateValue("1951-01-27T23:59", "minute", order)),
        ),
    )
    return replace(doc, telegram=replace(outer, embedded=(inner,)))


@pytest.fixture(scope="module")
def extracted_doc(seed_docs) -> SourceDocument:
    [doc] = [d for d in seed_docs if d.name.startswith("004_")]
    return _with_extraction(doc)


@pytest.fixture(scope="module")
def extracted_graph(extracted_doc, authority, shared_graph) -> Graph:
    """Seed 16052 with the extraction records, and what it refers to."""
    return with_references(union_graph(build_nquads(extracted_doc, authority)), shared_graph)


@pytest.fixture(scope="module")
def full_graph(seed_docs, extracted_graph, authority, shared_graph) -> Graph:
    """Seed 3410 as converted, and seed 16052 with the extraction records."""
    others = [d for d in seed_docs if not d.name.startswith("004_")]
    g = with_references(union_graph("".join(build_nquads(d, authority) for d in others)), shared_graph)
    g += extracted_graph
    return g


# ------------------------------------------------------------ the ontology

def test_ontology_header(ontology):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    for p in (DCTERMS.title, DCTERMS.description):
        values = list(ontology.objects(ONTOLOGY_IRI, p))
        assert len(values) == 1 and values[0].language == "en", p
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")
    assert ontology.value(ONTOLOGY_IRI, URIRef(VANN + "preferredNamespacePrefix")) == Literal("ck")
    assert ontology.value(ONTOLOGY_IRI, URIRef(VANN + "preferredNamespaceUri")) == Literal(CK_NS)


@pytest.mark.parametrize("name", sorted(CK.__annotations__))
def test_every_ck_term_is_declared_labelled_and_commented(ontology, name):
    term = CK[name]
    types = set(ontology.objects(term, RDF.type))
    assert types & TERM_TYPES, f"ck:{name} has no OWL type in the ontology"
    labels = list(ontology.objects(term, RDFS.label))
    assert len(labels) == 1, f"ck:{name} must have exactly one label, has {labels}"
    assert labels[0].language == "en" and str(labels[0]).strip()
    comments = list(ontology.objects(term, RDFS.comment))
    assert len(comments) == 1 and comments[0].language == "en" and len(str(comments[0])) > 20, name
    if name[0].isupper() and OWL.Class not in types:
        assert OWL.NamedIndividual in types and types & {CK.Precision, CK.Direction}, name
    if name[0].islower():
        assert types & {OWL.ObjectProperty, OWL.DatatypeProperty}, f"ck:{name} should be a property"
        assert not {OWL.ObjectProperty, OWL.DatatypeProperty} <= types, f"ck:{name} is both kinds"


def test_ontology_uses_no_ck_term_outside_the_namespace(ontology):
    used = {t for triple in ontology for t in triple if is_ck(t)}
    unknown = sorted(local(t) for t in used if local(t) not in CK.__annotations__)
    assert not unknown, f"ck: terms in the ontology but not in CK: {unknown}"
    declared = {local(s) for s in ontology.subjects(RDF.type, None) if is_ck(s)}
    assert declared == set(CK.__annotations__)


def test_reused_terms_are_declared_only_not_redefined(ontology):
    """Other vocabularies' terms get a bare rdf:type declaration at most."""
    for s, p, o in ontology:
        if isinstance(s, URIRef) and not is_ck(s) and s != ONTOLOGY_IRI:
            assert p == RDF.type and o in TERM_TYPES, f"ontology states {p} about reused term {s}"


def test_axioms_refer_to_declared_terms(ontology):
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty)
    classes = set(ontology.subjects(RDF.type, OWL.Class))
    for name in CK.__annotations__:
        term = CK[name]
        for sup in ontology.objects(term, RDFS.subClassOf):
            assert sup in classes, f"ck:{name} rdfs:subClassOf undeclared {sup}"
        for sup in ontology.objects(term, RDFS.subPropertyOf):
            own = next(k for k in kinds if (term, RDF.type, k) in ontology)
            assert (sup, RDF.type, own) in ontology, f"ck:{name} is a sub-property of {sup} of another kind"
        for d in ontology.objects(term, RDFS.domain):
            assert d in classes, f"domain of ck:{name} is not a declared class"
        for r in ontology.objects(term, RDFS.range):
            if (term, RDF.type, OWL.ObjectProperty) in ontology:
                assert r in classes, f"range of ck:{name} is not a declared class"
            else:
                assert str(r).startswith(str(XSD)) or (r, RDF.type, RDFS.Datatype) in ontology, name


def test_key_alignments(ontology):
    """The alignments to reused vocabularies the design relies on."""
    expect = [
        (CK.Document, RDFS.subClassOf, SCHEMA.Message),
        (CK.MilitaryUnit, RDFS.subClassOf, SCHEMA.Organization),
        (CK.PlannedOperation, RDFS.subClassOf, SEM.Event),
        (CK.ReportedEvent, RDFS.subClassOf, SEM.Event),
        (CK.Month, RDFS.subClassOf, TIME.ProperInterval),
        (CK.Year, RDFS.subClassOf, TIME.ProperInterval),
        (CK.inDocument, RDFS.subPropertyOf, PROV.wasQuotedFrom),
        (CK.copyTo, RDFS.subPropertyOf, SCHEMA.ccRecipient),
        (CK.force, RDFS.subPropertyOf, SEM.hasActor),
    ]
    for triple in expect:
        assert triple in ontology, triple
    for kind in ("Telegram", "Cable", "Letter", "Note", "Decision", "Message"):
        assert (CK[kind], RDFS.subClassOf, CK.Document) in ontology


def _closure(ontology: Graph, classes: set) -> set:
    out, todo = set(), list(classes)
    while todo:
        c = todo.pop()
        if c not in out:
            out.add(c)
            todo.extend(ontology.objects(c, RDFS.subClassOf))
    return out


def _range_datatypes(ontology: Graph, prop) -> set | None:
    r = ontology.value(prop, RDFS.range)
    if r is None:
        return None
    if isinstance(r, BNode):
        return set(Collection(ontology, ontology.value(r, OWL.unionOf)))
    return {r}


@pytest.mark.parametrize("which", ["documents", "authority"])
def test_output_terms_are_in_the_ontology_and_agree_with_it(ontology, full_graph, shared_graph, which):
    """Every ck: class and predicate the converter writes is declared, with
    the right kind; literals have the declared range's datatype; subjects
    and typed objects are instances of the declared domain and range."""
    g = full_graph if which == "documents" else shared_graph
    types = {}
    for s, o in ontology.subject_objects(RDF.type):
        if is_ck(s):
            types.setdefault(s, set()).add(o)
    for s, o in g.subject_objects(RDF.type):
        types.setdefault(s, set()).add(o)
    for s, p, o in g:
        if p == RDF.type:
            if is_ck(o):
                assert (o, RDF.type, OWL.Class) in ontology, f"class ck:{local(o)} not declared"
            continue
        if is_ck(o) and (o, RDF.type, OWL.NamedIndividual) not in ontology and o not in types:
            pytest.fail(f"ck:{local(o)} used as a value but is not a declared individual")
        if not is_ck(p):
            continue
        name = local(p)
        if isinstance(o, Literal):
            assert (p, RDF.type, OWL.DatatypeProperty) in ontology, f"ck:{name} has literal values"
            allowed = _range_datatypes(ontology, p)
            if allowed is not None:
                assert (o.datatype or XSD.string) in allowed, f"ck:{name} value {o!r} not in its range"
        else:
            assert (p, RDF.type, OWL.ObjectProperty) in ontology, f"ck:{name} has IRI values"
            r = ontology.value(p, RDFS.range)
            if r is not None and o in types:
                assert r in _closure(ontology, types[o]), f"ck:{name} value {o} is not a {r}"
        d = ontology.value(p, RDFS.domain)
        if d is not None:
            assert d in _closure(ontology, types.get(s, set())), f"subject {s} of ck:{name} is not a {d}"


def test_seed_output_uses_only_declared_ck_terms(ontology, seed_graph):
    used = {t for triple in seed_graph for t in triple[1:] if is_ck(t)}
    assert used, "the seeds' graphs use ck: terms"
    declared = {s for s in ontology.subjects(RDF.type, None) if is_ck(s)}
    assert used <= declared, sorted(local(t) for t in used - declared)


# ------------------------------------------------------------ the shapes

def test_authority_graph_conforms(shared_graph, shapes, ontology):
    conforms, _, text = validate(shared_graph, shapes, ontology)
    assert conforms, text


@pytest.fixture(scope="module")
def seed_report(seed_graph, shapes, ontology) -> tuple[bool, Graph, str]:
    return validate(seed_graph, shapes, ontology)


def test_seed_graphs_conform(seed_report):
    conforms, _, text = seed_report
    assert conforms, text


def test_seeds_with_extraction_records_conform(full_graph, shapes, ontology):
    for cls in (CK.CitedTelegram, CK.PlannedOperation, CK.Objective, CK.ReportedEvent, CK.MilitaryUnit,
                CK.CopyAllocation, CK.Month, CK.Year, CK.Mention):
        assert (None, RDF.type, cls) in full_graph, f"no {cls} to check"
    for direction in (CK.My, CK.Your, CK.ThirdParty, CK.UnknownDirection):
        assert (None, CK.direction, direction) in full_graph
    for p in (CK.follows, CK.force, CK.minimum, CK.presumedSender, CK.date, CK.citedDate, CK.year):
        assert (None, p, None) in full_graph, f"no {p} to check"
    conforms, _, text = validate(full_graph, shapes, ontology)
    assert conforms, text


def test_no_warnings_on_seeds(seed_report):
    _, report, text = seed_report
    assert not list(report.subjects(SH.resultSeverity, SH.Warning)), text


def test_fixture_corpus_conforms(authority, shapes, ontology):
    docs = [convert_file(p, authority) for p in [*SEEDS, *FIXTURES]]
    nquads = "".join(build_nquads(d, authority) for d in docs) + authority_nquads(authority)
    conforms, _, text = validate(union_graph(nquads), shapes, ontology)
    assert conforms, text


# ------------------------------------------------------- broken variants

class Nodes(NamedTuple):
    doc: URIRef  # seed 16052
    inner: URIRef  # the telegram it conveys
    graph: URIRef  # their source file
    author_mention: URIRef
    mention: URIRef  # the addressee's mention
    date_mention: URIRef  # the page date line's mention
    sender: URIRef
    place: URIRef  # a place with coordinates
    month: URIRef  # the document's month
    other_month: URIRef  # a month not the document's
    cited: URIRef
    objective: URIRef
    operation: URIRef
    event: URIRef
    relative: URIRef  # "in the near future": from the conveyed telegram's date, open end
    after: URIRef  # "After the conclusion of the fourth operation"


@pytest.fixture(scope="module")
def nodes(extracted_graph, extracted_doc, authority) -> Nodes:
    g = extracted_graph
    doc = URIRef(telegram_iri(extracted_doc, authority))
    inner = g.value(predicate=CK.carriedBy, object=doc)

    def mention(role: str) -> URIRef:
        found = [m for m in g.subjects(CK.inDocument, doc) if set(g.objects(m, CK.role)) == {Literal(role)}]
        assert found, f"no {role} mention"
        return min(found)

    date_mention = mention("date")
    month = g.value(doc, CK.month)
    place = min(p for p in g.subjects(RDF.type, SCHEMA.Place) if (p, GEO.lat, None) in g)
    objective = min(o for o in g.subjects(RDF.type, CK.Objective) if (o, CK.maximum, None) in g)
    return Nodes(
        doc=doc, inner=inner, graph=g.value(doc, CK.sourceFile), author_mention=mention("author"),
        mention=mention("addressee"), date_mention=date_mention, sender=g.value(doc, SCHEMA.sender), place=place,
        month=month, other_month=URIRef(str(month)[:-2] + ("06" if not str(month).endswith("06") else "07")),
        cited=min(c for c in g.objects(inner, CITO.cites) if (c, CK.plural, Literal(True)) in g),
        objective=objective, operation=g.value(predicate=CK.objective, object=objective),
        event=min(g.subjects(RDF.type, CK.ReportedEvent)),
        relative=g.value(predicate=CK.relativeTo, object=inner), after=min(g.subjects(CK.after, None)))


def _set(g: Graph, s, p, o) -> None:
    g.remove((s, p, None))
    g.add((s, p, o))


def _remove(g: Graph, s, *props) -> None:
    for p in props:
        g.remove((s, p, None))


def _retype(g: Graph, s, old, new) -> None:
    g.remove((s, RDF.type, old))
    g.add((s, RDF.type, new))


def _move_to_other_month(g: Graph, n: Nodes) -> None:
    """Index the document under a month none of its dates is in (a
    well-formed month node, so only the index check can catch it)."""
    m = n.other_month
    start = f"{str(m)[-7:]}-01"
    g.add((m, RDF.type, CK.Month))
    g.add((m, CK.monthStart, Literal(start, datatype=XSD.date)))
    g.add((m, RDFS.label, Literal(f"{'June' if start[5:7] == '06' else 'July'} {start[:4]}")))
    g.add((m, CK.year, g.value(n.month, CK.year)))
    _set(g, n.doc, CK.month, m)


class Break(NamedTuple):
    change: Callable[[Graph, Nodes], None]
    shape: str  # the named shape that reports the violation (itself or one of its property shapes)
    focus: Callable[[Nodes], URIRef]  # the violation's focus node
    path: URIRef | None = None  # its result path, where it has one
    value: Callable[[Nodes], URIRef] | None = None  # its value node, where that matters


def _int(g: Graph, s, p) -> int:
    return g.value(s, p).toPython()


BREAKS = {
    "mention start as a string": Break(
        lambda g, n: _set(g, n.mention, CK.start, Literal(str(_int(g, n.mention, CK.start)))),
        "MentionShape", lambda n: n.mention, path=CK.start),
    "mention without a span": Break(
        lambda g, n: _remove(g, n.mention, CK.start, CK.end),
        "MentionShape", lambda n: n.mention, path=CK.start),
    "mention starting after its end": Break(
        lambda g, n: _set(g, n.mention, CK.start, Literal(_int(g, n.mention, CK.end) + 5)),
        "MentionShape", lambda n: n.mention, path=CK.start),
    "mention in no document": Break(
        lambda g, n: _remove(g, n.mention, CK.inDocument),
        "MentionShape", lambda n: n.mention, path=CK.inDocument),
    "mention words not from the source text": Break(
        lambda g, n: _set(g, n.author_mention, CK.asWritten, Literal("Mao Tse-tung")),
        "SpanTextShape", lambda n: n.graph, value=lambda n: n.author_mention),
    "mention role misspelt": Break(
        lambda g, n: _set(g, n.author_mention, CK.role, Literal("autor")),
        "MentionShape", lambda n: n.author_mention, path=CK.role),
    "mention of a person without ck:denotes": Break(
        lambda g, n: _remove(g, n.author_mention, CK.denotes),
        "MentionDenotesShape", lambda n: n.author_mention),
    "confidence above 1": Break(
        lambda g, n: _set(g, n.mention, CK.confidence, Literal("1.5", datatype=XSD.decimal)),
        "MentionShape", lambda n: n.mention, path=CK.confidence),
    "document with two documentType values": Break(
        lambda g, n: g.add((n.doc, CK.documentType, Literal("letter"))),
        "DocumentShape", lambda n: n.doc, path=CK.documentType),
    "document class disagreeing with documentType": Break(
        lambda g, n: _retype(g, n.doc, CK.Telegram, CK.Letter),
        "DocumentShape", lambda n: n.doc),
    "document not typed schema:Message": Break(
        lambda g, n: g.remove((n.doc, RDF.type, SCHEMA.Message)),
        "DocumentShape", lambda n: n.doc, path=RDF.type),
    "document in two source files": Break(
        lambda g, n: g.add((n.doc, CK.sourceFile, URIRef(str(n.graph) + "-copy"))),
        "DocumentShape", lambda n: n.doc, path=CK.sourceFile),
    "document without a label": Break(
        lambda g, n: _remove(g, n.doc, RDFS.label),
        "DocumentShape", lambda n: n.doc, path=RDFS.label),
    "document date as a plain string": Break(
        lambda g, n: _set(g, n.doc, DCTERMS.date, Literal(str(g.value(n.doc, DCTERMS.date)))),
        "DateLiteralShape", lambda n: n.doc, path=DCTERMS.date),
    "document date that is no day": Break(
        lambda g, n: _set(g, n.doc, DCTERMS.date, Literal("1951-02-30", datatype=XSD.date)),
        "DateLiteralShape", lambda n: n.doc, path=DCTERMS.date),
    "two dct:date values": Break(
        lambda g, n: g.add((n.doc, DCTERMS.date, Literal("1951-01-30", datatype=XSD.date))),
        "DocumentShape", lambda n: n.doc, path=DCTERMS.date),
    "precision outside the four": Break(
        lambda g, n: _set(g, n.doc, CK.datePrecision, CK.Our),
        "PrecisionValueShape", lambda n: n.doc, path=CK.datePrecision),
    "precision not matching the date's datatype": Break(
        lambda g, n: _set(g, n.doc, CK.datePrecision, CK.MonthPrecision),
        "PrecisionAgreementShape", lambda n: CK.Precision, value=lambda n: n.doc),
    "date mention value not of its precision": Break(
        lambda g, n: _set(g, n.date_mention, CK.value, Literal("29 January 1951")),
        "PrecisionAgreementShape", lambda n: CK.Precision, value=lambda n: n.date_mention),
    "dated document without a precision": Break(
        lambda g, n: _remove(g, n.doc, CK.datePrecision),
        "DatePrecisionRequiredShape", lambda n: n.doc, path=CK.datePrecision),
    "month index not the date's month": Break(
        _move_to_other_month,
        "MonthIndexAgreementShape", lambda n: CK.Month, value=lambda n: n.doc),
    "month start typed gYearMonth": Break(
        lambda g, n: _set(g, n.month, CK.monthStart, Literal(str(n.month)[-7:], datatype=XSD.gYearMonth)),
        "MonthShape", lambda n: n.month, path=CK.monthStart),
    "sender without a name": Break(
        lambda g, n: _remove(g, n.sender, SCHEMA.name),
        "PersonShape", lambda n: n.sender, path=SCHEMA.name),
    "sender not a person": Break(
        lambda g, n: _retype(g, n.sender, SCHEMA.Person, SCHEMA.Organization),
        "DocumentShape", lambda n: n.doc, path=SCHEMA.sender),
    "latitude as a string": Break(
        lambda g, n: _set(g, n.place, GEO.lat, Literal(str(g.value(n.place, GEO.lat)))),
        "PlaceShape", lambda n: n.place, path=GEO.lat),
    "latitude without longitude": Break(
        lambda g, n: _remove(g, n.place, GEO.long),
        "PlaceShape", lambda n: n.place),
    "citation direction not a direction": Break(
        lambda g, n: _set(g, n.cited, CK.direction, CK.DayPrecision),
        "CitedTelegramShape", lambda n: n.cited, path=CK.direction),
    "citation plural as a string": Break(
        lambda g, n: _set(g, n.cited, CK.plural, Literal("true")),
        "CitedTelegramShape", lambda n: n.cited, path=CK.plural),
    "citation cited by no document": Break(
        lambda g, n: g.remove((None, CITO.cites, n.cited)),
        "CitedTelegramShape", lambda n: n.cited),
    "citation words not from the source text": Break(
        lambda g, n: _set(g, n.cited, CK.asWritten, Literal("your order of 28 January")),
        "SpanTextShape", lambda n: n.graph, value=lambda n: n.cited),
    "objective minimum above maximum": Break(
        lambda g, n: _set(g, n.objective, CK.minimum, Literal(40000)),
        "ObjectiveShape", lambda n: n.objective, path=CK.minimum),
    "operation status not a status": Break(
        lambda g, n: _set(g, n.operation, CK.status, Literal("planned")),
        "PlannedOperationShape", lambda n: n.operation, path=CK.status),
    "operation following itself": Break(
        lambda g, n: g.add((n.operation, CK.follows, n.operation)),
        "OperationOrderShape", lambda n: CK.PlannedOperation, value=lambda n: n.operation),
    "event reported in no document": Break(
        lambda g, n: _remove(g, n.event, CK.reportedIn),
        "ReportedEventShape", lambda n: n.event, path=CK.reportedIn),
    "conveyed document without its place in the carrier": Break(
        lambda g, n: _remove(g, n.inner, CK.embeddedOrder),
        "DocumentShape", lambda n: n.inner),
    "bounded time ending before it begins": Break(
        lambda g, n: g.add((n.relative, CK.latest, Literal("1951-01-01", datatype=XSD.date))),
        "MentionShape", lambda n: n.relative, path=CK.earliest),
    "approximate as a string": Break(
        lambda g, n: _set(g, n.relative, CK.approximate, Literal("true")),
        "MentionShape", lambda n: n.relative, path=CK.approximate),
    "time after a person, not an operation": Break(
        lambda g, n: _set(g, n.after, CK.after, n.sender),
        "MentionShape", lambda n: n.after, path=CK.after),
    "relative time without a date": Break(
        lambda g, n: _remove(g, n.relative, CK.date),
        "RelativeDateShape", lambda n: n.relative, path=CK.date),
    "operation dated by the words of a person": Break(
        lambda g, n: g.add((n.author_mention, CK.dateOf, n.operation)),
        "RelativeDateShape", lambda n: n.author_mention, path=CK.date),
    "source file digest not SHA-256": Break(
        lambda g, n: _set(g, n.graph, CK.sha256, Literal("abc123")),
        "SourceFileShape", lambda n: n.graph, path=CK.sha256),
}


def _with_referenced(shapes: Graph, name: str) -> list[str]:
    """The shape and the named shapes it uses through sh:node (pyshacl's
    use_shapes would otherwise leave them out)."""
    used = {SHAPE + name}
    used.update(str(o) for o in shapes.objects(None, SH.node) if str(o).startswith(SHAPE))
    return sorted(used)


def _reported_by(shapes: Graph, name: str) -> set:
    shape = URIRef(SHAPE + name)
    return {shape, *shapes.objects(shape, SH.property)}


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_broken_variant_does_not_conform(name, extracted_graph, nodes, shapes, ontology):
    """Each deliberate mistake makes the graph fail, with the violation where
    it belongs.  Only the shape expected to catch it is run, to stay fast;
    test_unbroken_graph_conforms_shape_by_shape shows those shapes pass the
    graph before it is broken."""
    case = BREAKS[name]
    g = Graph()
    g += extracted_graph
    case.change(g, nodes)
    conforms, report, text = validate(g, shapes, ontology, use_shapes=_with_referenced(shapes, case.shape),
                                      inplace=True)
    assert not conforms, f"{name}: not caught"
    focus, by = case.focus(nodes), _reported_by(shapes, case.shape)
    match = [v for v in violations(report) if v["focus"] == focus and v["shape"] in by
             and (case.path is None or v["path"] == case.path)
             and (case.value is None or v["value"] == case.value(nodes))]
    assert match, f"{name}: expected violation not reported; got:\n{text}"


def test_unbroken_graph_conforms_shape_by_shape(extracted_graph, shapes, ontology):
    names = sorted({n for case in BREAKS.values() for n in _with_referenced(shapes, case.shape)})
    conforms, _, text = validate(extracted_graph, shapes, ontology, use_shapes=names)
    assert conforms, text


# ------------------------------------------- relative times in the graph and on the timeline

def test_relative_times_in_the_graph_and_on_the_timeline(authority):
    """f41 as converted: what each relative time counts from is in the graph,
    and the timeline query places the operations it dates, approximate where
    the words are."""
    from cable_kg.pipeline import load_paths
    from cable_kg.queries import LocalEngine, load_query, run
    from cable_kg.store import Store

    path = ROOT / "tests" / "fixtures" / "telegrams" / "f41_filippov_relative_times.txt"
    doc = convert_file(path, authority)
    g = union_graph(build_nquads(doc, authority))
    tg = URIRef(telegram_iri(doc, authority))
    text = doc.text

    def mention(words: str) -> URIRef:
        at = text.index(words)
        return URIRef(f"{tg}/mention/{at}-{at + len(words)}")

    op = "https://cable-kg.example.org/operation/"
    near = mention("In the near future")
    assert (near, CK.relativeTo, tg) in g and (near, CK.approximate, Literal(True)) in g
    assert g.value(near, CK.earliest) == Literal("1951-03-02", datatype=XSD.date) and g.value(near, CK.latest) is None
    assert g.value(near, CK.date) == Literal("1951-03", datatype=XSD.gYearMonth)
    assert g.value(near, CK.datePrecision) == CK.MonthPrecision
    after = mention("after the conclusion of the fourth operation")
    assert (after, CK.after, URIRef(op + "fourth-operation")) in g
    assert (after, CK.dateOf, URIRef(op + "redeployment-of-the-ninth-army-group")) in g
    assert (URIRef(op + "redeployment-of-the-ninth-army-group"), CK.follows, URIRef(op + "fourth-operation")) in g
    assert (mention("Before the beginning of the fifth operation"), CK.before, URIRef(op + "fifth-operation")) in g
    assert (mention("The next day"), CK.relativeTo, mention("25 February")) in g
    within = mention("within 10-12 days")
    assert (g.value(within, CK.earliest), g.value(within, CK.latest)) == (
        Literal("1951-03-02", datatype=XSD.date), Literal("1951-03-14", datatype=XSD.date))
    assert (mention("tomorrow"), CK.approximate, None) not in g

    store = Store(None)
    load_paths(store, [path])
    rows = run(LocalEngine(store), load_query("timeline"), {"from": "1951-03-01", "to": "1951-03-31"}).records()
    placed = {(r["kind"], r["item"].rsplit("/", 1)[-1]): (r["date"], r["precision"], r["approximate"])
              for r in rows if r["kind"] == "operation"}
    assert placed == {("operation", "redeployment-of-the-ninth-army-group"): ("1951-03", "month", "true"),
                      ("operation", "concentration-of-the-19th-army-group"): ("1951-03", "month", "true")}
    ops = {r["name"]: r for r in run(LocalEngine(store), load_query("operations")).records()}
    assert ops["redeployment of the ninth army group"]["start"] == "1951-03"
    assert ops["redeployment of the ninth army group"]["follows"].endswith("/operation/fourth-operation")


def test_linked_fixture_corpus_conforms_links_graph_included(tmp_path, shapes, ontology):
    """The links graph too: the cited telegrams' decisions and placeholders,
    and each reply link's record with its one score, the best of its
    citations'."""
    from cable_kg.link import relink
    from cable_kg.pipeline import load_paths
    from cable_kg.store import Store

    store = Store(tmp_path / "store")
    assert load_paths(store, [ROOT / "tests" / "fixtures" / "telegrams", ROOT / "data"], workers=1).ok
    relink(store)
    g = union_graph(store.dump("nquads").decode("utf-8"))
    records = {s for s in g.subjects(CK.score, None) if "/replies-to/" in str(s)}
    assert len(records) >= 30
    conforms, _, text = validate(g, shapes, ontology)
    assert conforms, text
    for record in sorted(records)[:2]:
        g.set((record, CK.score, Literal("0.01", datatype=XSD.decimal)))
    g.remove((sorted(records)[2], CK.score, None))
    conforms, report, text = validate(g, shapes, ontology, use_shapes=[SHAPE + "ReplyLinkRecordShape"])
    assert not conforms and "not the best of its citations' scores" in text
    assert len(set(report.subjects(SH.resultMessage, None))) == 3, text

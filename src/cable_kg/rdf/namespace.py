"""The vocabularies cable-kg writes, as closed namespaces.

``CK`` is cable-kg's own vocabulary and mirrors ``ontology/cable-kg.ttl``
term for term (a test checks both directions).  It is closed: a typo such
as ``CK.sendr`` raises instead of minting a wrong IRI.

>>> str(CK.Telegram)
'https://w3id.org/cable-kg/ns#Telegram'
>>> CK.Telegrm
Traceback (most recent call last):
...
AttributeError: term 'Telegrm' not in namespace 'https://w3id.org/cable-kg/ns#'
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, XSD, DefinedNamespace

SCHEMA = Namespace("https://schema.org/")
CITO = Namespace("http://purl.org/spar/cito/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
TIME = Namespace("http://www.w3.org/2006/time#")
GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
WIKIDATA = Namespace("http://www.wikidata.org/entity/")
GEONAMES = Namespace("https://sws.geonames.org/")


class CK(DefinedNamespace):
    """cable-kg's own terms; everything else reuses an established vocabulary."""

    _NS = Namespace("https://w3id.org/cable-kg/ns#")
    _fail = True

    # classes: documents
    Document: URIRef
    Telegram: URIRef
    Cable: URIRef
    Letter: URIRef
    Note: URIRef
    Decision: URIRef
    Message: URIRef
    SourceFile: URIRef
    # classes: what the text names
    Mention: URIRef
    MilitaryUnit: URIRef
    CitedTelegram: URIRef
    CopyAllocation: URIRef
    PlannedOperation: URIRef
    Objective: URIRef
    ReportedEvent: URIRef
    TransmissionEvent: URIRef
    Month: URIRef
    Year: URIRef
    Precision: URIRef
    Direction: URIRef
    # individuals
    YearPrecision: URIRef
    MonthPrecision: URIRef
    DayPrecision: URIRef
    MinutePrecision: URIRef
    Your: URIRef
    My: URIRef
    Our: URIRef
    ThirdParty: URIRef
    UnknownDirection: URIRef

    # document properties
    documentType: URIRef
    number: URIRef
    titleNumber: URIRef
    headerNumber: URIRef
    issuingNumber: URIRef
    outgoingNumber: URIRef
    via: URIRef
    copyTo: URIRef
    copyAllocation: URIRef
    copyHolder: URIRef
    copyCount: URIRef
    issuingOffice: URIRef
    classification: URIRef
    urgency: URIRef
    origin: URIRef
    destination: URIRef
    decipheredAt: URIRef
    typedAt: URIRef
    signatureDate: URIRef
    salutation: URIRef
    complimentaryClose: URIRef
    protocol: URIRef
    closingInstruction: URIRef
    carriedBy: URIRef
    embeddedOrder: URIRef
    conveys: URIRef
    recordId: URIRef
    archive: URIRef
    fond: URIRef
    opis: URIRef
    delo: URIRef
    listy: URIRef
    uploadedDate: URIRef
    archiveType: URIRef
    originalLanguage: URIRef
    coAuthor: URIRef
    originalArchive: URIRef
    catalogueAuthor: URIRef
    cataloguePerson: URIRef
    cataloguePlace: URIRef
    catalogueTopic: URIRef
    summary: URIRef
    sourceFile: URIRef
    fileName: URIRef
    sha256: URIRef
    content: URIRef
    month: URIRef
    year: URIRef
    monthStart: URIRef
    datePrecision: URIRef
    textStart: URIRef
    textEnd: URIRef
    # persons and places
    identified: URIRef
    pseudonymUsed: URIRef
    placeKind: URIRef
    # mentions
    inDocument: URIRef
    denotes: URIRef
    role: URIRef
    asWritten: URIRef
    start: URIRef
    end: URIRef
    value: URIRef
    confidence: URIRef
    # citations
    direction: URIRef
    citationKind: URIRef
    citedDate: URIRef
    citedNumber: URIRef
    citedIncomingNumber: URIRef
    plural: URIRef
    topic: URIRef
    presumedSender: URIRef
    presumedRecipient: URIRef
    fromSummary: URIRef
    # reply links
    resolvedTo: URIRef
    score: URIRef
    evidence: URIRef
    placeholder: URIRef
    # operations and events
    status: URIRef
    proposedBy: URIRef
    objective: URIRef
    action: URIRef
    target: URIRef
    minimum: URIRef
    maximum: URIRef
    force: URIRef
    duration: URIRef
    follows: URIRef
    preparationBefore: URIRef
    discussedIn: URIRef
    eventKind: URIRef
    reportedIn: URIRef
    date: URIRef
    # relative and approximate times
    approximate: URIRef
    earliest: URIRef
    latest: URIRef
    relativeTo: URIRef
    after: URIRef
    before: URIRef
    during: URIRef
    dateOf: URIRef


class Terms:
    """A vocabulary's terms as plain strings, for the hot path of the RDF
    builder (rdflib's namespace lookups cost a function call each).  Still
    closed: a term not listed raises AttributeError.

    >>> SCHEMA_T = Terms(SCHEMA, "Person name")
    >>> SCHEMA_T.Person
    'https://schema.org/Person'
    >>> SCHEMA_T.nmae
    Traceback (most recent call last):
    ...
    AttributeError: 'Terms' object has no attribute 'nmae'
    """

    def __init__(self, namespace, names: str | None = None):
        words = names.split() if names is not None else list(namespace.__annotations__)
        for name in words:
            setattr(self, name, str(namespace[name]))


__all__ = [
    "Terms",
    "CITO",
    "CK",
    "DCAT",
    "DCTERMS",
    "GEO",
    "GEONAMES",
    "OWL",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SEM",
    "SH",
    "TIME",
    "VOID",
    "WIKIDATA",
    "XSD",
]

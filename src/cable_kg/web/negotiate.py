"""Content negotiation: Accept headers with quality values, and the formats
cable-kg serves.

>>> best("text/turtle;q=0.9, application/ld+json", RDF_TYPES)
'application/ld+json'
>>> best("text/html,application/xhtml+xml,*/*;q=0.8", DOCUMENT_TYPES)
'text/html'
>>> best("application/json", RESULT_TYPES)
'application/sparql-results+json'
>>> best("image/png", RDF_TYPES) is None
True
"""

from __future__ import annotations

import pyoxigraph as ox

# document extension -> media type, for resource documents
EXTENSIONS = {
    "html": "text/html",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
}
EXTENSION_OF = {v: k for k, v in EXTENSIONS.items()}

RDF_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
RDF_TYPES = list(RDF_FORMATS)
DOCUMENT_TYPES = ["text/html", *RDF_TYPES]

RESULT_TYPES = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
]

# Other names clients use for the same thing.
ALIASES = {
    "application/xhtml+xml": "text/html",
    "application/x-turtle": "text/turtle",
    "text/n3": "text/turtle",
    "text/plain": "application/n-triples",
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "application/turtle": "text/turtle",
}
GRAPH_ALIASES = {"application/json": "application/ld+json", "application/xml": "application/rdf+xml",
                 "text/xml": "application/rdf+xml"}

# ?format= shortcuts on the SPARQL endpoint
FORMAT_PARAM = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values",
    "ttl": "text/turtle", "turtle": "text/turtle", "nt": "application/n-triples",
    "ntriples": "application/n-triples", "jsonld": "application/ld+json", "json-ld": "application/ld+json",
    "rdf": "application/rdf+xml", "rdfxml": "application/rdf+xml",
}


def parse_accept(header: str | None) -> list[tuple[str, float, int]]:
    """(media range, q, order) for each part of an Accept header, best first.

    >>> parse_accept("text/*;q=0.5, text/html, */*;q=0.1")
    [('text/html', 1.0, 1), ('text/*', 0.5, 0), ('*/*', 0.1, 2)]
    """
    out = []
    for i, part in enumerate((header or "").split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = max(0.0, min(1.0, float(f[2:])))
                except ValueError:
                    q = 0.0
        out.append((media, q, i))
    # more specific ranges win ties, then the client's order
    return sorted(out, key=lambda m: (-m[1], m[0].count("*"), m[2]))


def best(header: str | None, offered: list[str], aliases: dict[str, str] | None = None) -> str | None:
    """The offered media type the Accept header likes best; the first
    offered when there is no header; None when it accepts none of them."""
    if not header or not header.strip():
        return offered[0]
    aliases = {**ALIASES, **(aliases or {})}
    scores: dict[str, tuple[float, int, int]] = {}
    for media, q, order in parse_accept(header):
        if q <= 0:
            continue
        media = aliases.get(media, media)
        for rank, o in enumerate(offered):
            if _matches(media, o):
                specificity = 2 - media.count("*")
                key = (q, specificity, -order if media.count("*") == 0 else -rank)
                if o not in scores or key > scores[o]:
                    scores[o] = key
    if not scores:
        return None
    # ties on q: the more specific range wins, then the server's order
    return max(offered, key=lambda o: (scores[o][0], scores[o][1], -offered.index(o)) if o in scores
               else (-1.0, -1, 0))


def _matches(media: str, offered: str) -> bool:
    if media == "*/*":
        return True
    if media.endswith("/*"):
        return offered.startswith(media[:-1])
    return media == offered

"""cable-kg: diplomatic telegrams into a knowledge graph.

The package is layered; dependencies point one way, top to bottom:

    model, errors            records and exceptions (no dependencies)
    parse/                   page text -> Telegram record, pure
    resolve                  names -> identities (authority files in data/)
    rdf/                     record -> N-Quads text, stable IRIs
    convert                  files -> documents (decoding, errors per file)
    store, queries, link     pyoxigraph store, saved SPARQL, reply links
    views/, web/, publish    thread, timeline, HTTP app, static site
    cli                      Click commands; nothing imports it
"""

__version__ = "0.1.0"

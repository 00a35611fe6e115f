"""Views built from queries: the reply thread around a telegram
(:mod:`.thread`) and the timeline (:mod:`.timeline`).

Both read through the :class:`~cable_kg.queries.Engine` protocol
(``select(sparql) -> Result``), so they work the same on the embedded store
and on a remote SPARQL endpoint; neither imports the store.
"""

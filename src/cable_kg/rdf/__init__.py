"""Records to RDF: the vocabulary (:mod:`.namespace`) and the builder
(:mod:`.build`) that writes each source document as one named graph."""

"""Running SPARQL safely: reading and rewriting query text, checks made before an engine reads
it, the pool of worker processes that can stop any query, and ``ndkg query``'s output."""

"""Release writers: RDF serialisations, KGX, SSSOM and build metadata."""

"""The knowledge model: read the curated sources, validate, reason and materialise."""

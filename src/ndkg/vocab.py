"""Namespaces and the IRIs of the named graphs of a build.

>>> NDKG["NDKG_0000001"]
rdflib.term.URIRef('https://w3id.org/ndkg/NDKG_0000001')
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

BASE = "https://w3id.org/ndkg/"
NDKG = Namespace(BASE)
OBO = Namespace("http://purl.obolibrary.org/obo/")
OBOINOWL = Namespace("http://www.geneontology.org/formats/oboInOwl#")
SSSOM = Namespace("https://w3id.org/sssom/")
SEMAPV = Namespace("https://w3id.org/semapv/vocab/")
ONTOLOGY_IRI = NDKG["ndkg.owl"]

# Annotation and object properties of ndkg itself (see ontology/ndkg-edit.ttl).
LAY_LABEL = NDKG.NDKG_0000001
SUPPORTING_TEXT = NDKG.NDKG_0000002
REVIEW_STATUS = NDKG.NDKG_0000003
REVIEW_DATE = NDKG.NDKG_0000004
CITATION_MARKER = NDKG.NDKG_0000005
HAS_CITATION = NDKG.NDKG_0000006
PUBMED_ID = NDKG.NDKG_0000024
DOI = NDKG.NDKG_0000025
CITATION_STATUS = NDKG.NDKG_0000026
QUALIFIER = NDKG.NDKG_0000029
CLAIM = NDKG.NDKG_0000107
STATISTIC = NDKG.NDKG_0000108
CITATION = NDKG.NDKG_0000109
DISCHARGE = NDKG.NDKG_0000117
DISCHARGE_FEATURE = NDKG.NDKG_0000118
INSUFFICIENT_INFORMATION = NDKG.NDKG_0000312
CITED_WORK_REPORTS = NDKG.NDKG_0000032
VERDICT_PRIORITY = NDKG.NDKG_0000038
VERIFIED = NDKG.NDKG_0000610

DEFINITION = OBO.IAO_0000115
DEFINITION_SOURCE = OBO.IAO_0000119
TERM_REPLACED_BY = OBO.IAO_0100001
HAS_EVIDENCE = OBO.RO_0002558


class Graphs:
    """Named graphs of a build; the default graph of a query is their union."""

    ASSERTED = NDKG["graph/asserted"]
    MATERIALISED = NDKG["graph/materialised"]
    INFERRED = NDKG["graph/inferred"]
    CLASSIFICATION = NDKG["graph/classification"]
    MAPPINGS = NDKG["graph/mappings"]
    METADATA = NDKG["graph/metadata"]
    ALL = (ASSERTED, MATERIALISED, INFERRED, CLASSIFICATION, MAPPINGS, METADATA)


PREFIXES: dict[str, str] = {
    "NDKG": BASE + "NDKG_",
    "ndkg": BASE,
    "obo": str(OBO),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "oboInOwl": str(OBOINOWL),
    "sssom": str(SSSOM),
    "semapv": str(SEMAPV),
    "HP": str(OBO) + "HP_",
    "MONDO": str(OBO) + "MONDO_",
    "DOID": str(OBO) + "DOID_",
    "CHEBI": str(OBO) + "CHEBI_",
    "PR": str(OBO) + "PR_",
    "UBERON": str(OBO) + "UBERON_",
    "CL": str(OBO) + "CL_",
    "GO": str(OBO) + "GO_",
    "ECO": str(OBO) + "ECO_",
    "NCIT": str(OBO) + "NCIT_",
    "PATO": str(OBO) + "PATO_",
    "RO": str(OBO) + "RO_",
    "IAO": str(OBO) + "IAO_",
}

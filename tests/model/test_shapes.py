"""The SHACL shapes of ndkg, case by case: the real data conforms, and each way of breaking it
is caught by the shape meant for it, on the right node and path, and by no other shape.

Validating the whole graph takes about a second, so the broken cases are applied together to
one copy of the data and validated once. Each case breaks nodes of its own: most copy a real
claim, statistic or citation to a new node (``NDKG:9xxxxxx``, made up by these tests) and break
the copy; the others change real terms or mappings that no other case touches or mentions
(``test_cases_break_nodes_of_their_own`` checks this). A case's nodes must show exactly its
violations, and no node outside the cases may show any.
"""

from __future__ import annotations

import itertools
import re
import time
from dataclasses import dataclass

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from ndkg.errors import ValidationError
from ndkg.model.validate import SHAPES_NAMESPACE, ValidationReport, check, validate
from ndkg.vocab import PREFIXES

Expected = tuple[str, str, str]  # (source shape, focus node, result path), as CURIEs


@dataclass(frozen=True)
class Broken:
    """A deliberate error (a SPARQL Update of the data) and the violations it must cause."""

    name: str
    update: str
    expected: frozenset[Expected]

    @property
    def focus_nodes(self) -> set[str]:
        """The nodes on which this case expects its violations."""
        return {focus for _, focus, _ in self.expected}


def broken(name: str, update: str, *expected: tuple[str, str, str]) -> Broken:
    """A case; each expected violation is (shape name in ndkgsh:, focus node, path or "")."""
    return Broken(name, update, frozenset((f"ndkgsh:{s}", f, p) for s, f, p in expected))


def copy_of(source: str, copy: str) -> str:
    """SPARQL Update that copies every triple of ``source`` to the new node ``copy``."""
    return f"INSERT {{ {copy} ?p ?o }} WHERE {{ {source} ?p ?o }} ;\n"


def replace(node: str, prop: str, value: str) -> str:
    """SPARQL Update that replaces every value of ``prop`` on ``node`` with ``value``."""
    return (
        f"DELETE {{ {node} {prop} ?old }} INSERT {{ {node} {prop} {value} }}"
        f" WHERE {{ {node} {prop} ?old }} ;\n"
    )


def remove(node: str, prop: str) -> str:
    """SPARQL Update that removes every value of ``prop`` on ``node``."""
    return f"DELETE WHERE {{ {node} {prop} ?old }} ;\n"


def add(node: str, prop: str, value: str) -> str:
    """SPARQL Update that adds a value of ``prop`` on ``node``."""
    return f"INSERT DATA {{ {node} {prop} {value} }} ;\n"


def mapping(subject: str, target: str) -> str:
    """A graph pattern binding ``?axiom`` to the mapping axiom of ``subject`` to ``target``."""
    return f"?axiom owl:annotatedSource {subject} ; owl:annotatedTarget {target} ."


SYNONYMS = (
    "(oboInOwl:hasExactSynonym|oboInOwl:hasRelatedSynonym"
    "|oboInOwl:hasNarrowSynonym|oboInOwl:hasBroadSynonym)"
)
# Real nodes copied by the cases: a 'causes condition' claim citing the source article, a
# 'has participant' claim, statistics given as a value (percent), a value with counts, a range
# in weeks, a range in percent and one at evaluation, and citations verified, unresolved and
# with an unverified identifier.
CLAIM, PARTICIPANT_CLAIM = "NDKG:0001003", "NDKG:0001012"
STAT_VALUE, STAT_COUNTS, STAT_WEEKS, STAT_RANGE, STAT_RISK = (
    "NDKG:0002006",
    "NDKG:0002003",
    "NDKG:0002002",
    "NDKG:0002001",
    "NDKG:0002004",
)
VERIFIED, UNRESOLVED, UNVERIFIED = "NDKG:0000703", "NDKG:0000702", "NDKG:0000704"
# The evidence of a definition, a claim whose cited work does not report it, a conflict between
# statements, and two obsolete claims.
DEFINITION_CLAIM, NOT_REPORTED, CONFLICT = "NDKG:0001058", "NDKG:0001038", "NDKG:0003001"
# Claims and statistics of the sources beyond the article: a review's claim (cabergoline the
# preferred medicine for hyperprolactinemia, 2022), a recommendation for patients aged 30-39,
# a figure with its method, an appropriateness rating and an odds ratio with its interval.
SUMMARY_CLAIM, AGED_CLAIM, REVIEW = "NDKG:0001162", "NDKG:0001106", "NDKG:0000712"
STAT_METHOD, STAT_RATING, STAT_ODDS = "NDKG:0002122", "NDKG:0002109", "NDKG:0002129"
OBSOLETE, OTHER_OBSOLETE = "NDKG:0001027", "NDKG:0001028"

ORCID = "<https://orcid.org/0000-0002-1825-0097>"
NOW = '"2026-12-04T16:07:39+00:00"^^xsd:dateTime'


def review(record: str, statement: str = CLAIM, status: str = "NDKG:0000602",
           reviewer: str = ORCID, at: str = NOW, comment: str | None = None) -> str:
    """SPARQL Update that adds the review record ``<urn:uuid:{record}>``."""
    said = f" ; NDKG:0000041 {comment}" if comment is not None else ""
    return (
        f"INSERT DATA {{ <urn:uuid:{record}> a NDKG:0000130 ; NDKG:0000039 {statement} ;"
        f" NDKG:0000003 {status} ; NDKG:0000040 {reviewer} ; NDKG:0000042 {at}{said} }} ;\n"
    )


CASES = [
    # --- ndkg terms ----------------------------------------------------------------------
    broken(
        "term without a label",
        remove("NDKG:0000122", "rdfs:label"),
        ("TermLabelShape", "NDKG:0000122", "rdfs:label"),
    ),
    broken(
        "term with two labels",
        add("NDKG:0000123", "rdfs:label", '"hormone factor"'),
        ("TermLabelShape", "NDKG:0000123", "rdfs:label"),
    ),
    broken(
        "term label with a language tag",
        replace("NDKG:0000124", "rdfs:label", '"timing-related factor"@en'),
        ("TermLabelShape", "NDKG:0000124", "rdfs:label"),
    ),
    broken(
        "two terms share a label",
        replace("NDKG:0000125", "rdfs:label", '"anatomical factor"'),
        ("TermUniqueLabelShape", "NDKG:0000125", "rdfs:label"),
        ("TermUniqueLabelShape", "NDKG:0000127", "rdfs:label"),
    ),
    broken(
        "class with the label of an annotation property",
        replace("NDKG:0000113", "rdfs:label", '"has citation status"'),
        ("TermUniqueLabelShape", "NDKG:0000113", "rdfs:label"),
    ),
    broken(
        "term without a definition",
        remove("NDKG:0000126", "obo:IAO_0000115"),
        ("TermDefinitionShape", "NDKG:0000126", "IAO:0000115"),
    ),
    broken(
        "object property without a definition",
        remove("NDKG:0000007", "obo:IAO_0000115"),
        ("TermDefinitionShape", "NDKG:0000007", "IAO:0000115"),
    ),
    broken(
        "term with two definitions",
        add("NDKG:0000128", "obo:IAO_0000115", '"A feeling that makes milk leak."'),
        ("TermDefinitionShape", "NDKG:0000128", "IAO:0000115"),
    ),
    broken(
        "definition source that is not a citation",
        replace("NDKG:0000118", "obo:IAO_0000119", '"the source article"'),
        ("TermDefinitionSourceShape", "NDKG:0000118", "IAO:0000119"),
    ),
    broken(
        "term without a definition source",
        remove("NDKG:0000119", "obo:IAO_0000119"),
        ("TermDefinitionSourceShape", "NDKG:0000119", "IAO:0000119"),
    ),
    broken(
        "synonym that is an IRI",
        add("NDKG:0000120", "oboInOwl:hasRelatedSynonym", "NDKG:0000200"),
        ("TermSynonymShape", "NDKG:0000120", SYNONYMS),
    ),
    broken(
        "class without a lay label",
        remove("NDKG:0000121", "NDKG:0000001"),
        ("ClassLayLabelShape", "NDKG:0000121", "NDKG:0000001"),
    ),
    broken(
        "class with two lay labels",
        add("NDKG:0000112", "NDKG:0000001", '"a touch"'),
        ("ClassLayLabelShape", "NDKG:0000112", "NDKG:0000001"),
    ),
    # --- imported terms --------------------------------------------------------------------
    broken(
        "imported term without a label",
        remove("obo:UBERON_0000310", "rdfs:label"),
        ("ImportedTermLabelShape", "UBERON:0000310", "rdfs:label"),
    ),
    broken(
        "imported term with two labels",
        add("obo:UBERON_0001913", "rdfs:label", '"breast milk"'),
        ("ImportedTermLabelShape", "UBERON:0001913", "rdfs:label"),
    ),
    broken(
        "imported term without a source",
        remove("obo:CL_0000185", "dcterms:source"),
        ("ImportedTermSourceShape", "CL:0000185", "dcterms:source"),
    ),
    broken(
        "imported term with two definitions",
        add("obo:UBERON_0002030", "obo:IAO_0000115", '"The tip of the breast."'),
        ("ImportedTermDefinitionShape", "UBERON:0002030", "IAO:0000115"),
    ),
    # --- evidence of claims and statistics -------------------------------------------------
    broken(
        "claim without a citation",
        copy_of(CLAIM, "NDKG:9001001") + remove("NDKG:9001001", "NDKG:0000006"),
        ("EvidenceCitationShape", "NDKG:9001001", "NDKG:0000006"),
    ),
    broken(
        "claim citing a term instead of a citation",
        copy_of(CLAIM, "NDKG:9001002") + replace("NDKG:9001002", "NDKG:0000006", "NDKG:0000200"),
        ("EvidenceCitationShape", "NDKG:9001002", "NDKG:0000006"),
    ),
    broken(
        "claim without an evidence code",
        copy_of(CLAIM, "NDKG:9001003") + remove("NDKG:9001003", "obo:RO_0002558"),
        ("EvidenceCodeShape", "NDKG:9001003", "RO:0002558"),
    ),
    broken(
        "claim whose evidence code is not an ECO term",
        copy_of(CLAIM, "NDKG:9001004")
        + replace("NDKG:9001004", "obo:RO_0002558", "obo:HP_0012832"),
        ("EvidenceCodeShape", "NDKG:9001004", "RO:0002558"),
    ),
    broken(
        "claim with two evidence codes",
        copy_of(CLAIM, "NDKG:9001005") + add("NDKG:9001005", "obo:RO_0002558", "obo:ECO_0000304"),
        ("EvidenceCodeShape", "NDKG:9001005", "RO:0002558"),
    ),
    broken(
        "claim whose ECO code is not imported",
        copy_of(CLAIM, "NDKG:9001006")
        + replace("NDKG:9001006", "obo:RO_0002558", "obo:ECO_0000269"),
        ("ReferencedTermShape", "NDKG:9001006", "RO:0002558"),
    ),
    broken(
        "claim without supporting text",
        copy_of(CLAIM, "NDKG:9001007") + remove("NDKG:9001007", "NDKG:0000002"),
        ("EvidenceTextShape", "NDKG:9001007", ""),
    ),
    broken(
        "claim with blank supporting text",
        copy_of(CLAIM, "NDKG:9001008") + replace("NDKG:9001008", "NDKG:0000002", '"   "'),
        ("EvidenceSupportingTextShape", "NDKG:9001008", "NDKG:0000002"),
    ),
    broken(
        "claim with a review status outside the value set",
        copy_of(CLAIM, "NDKG:9001009") + replace("NDKG:9001009", "NDKG:0000003", "NDKG:0000610"),
        ("EvidenceReviewStatusShape", "NDKG:9001009", "NDKG:0000003"),
    ),
    broken(
        "claim without a review status",
        copy_of(CLAIM, "NDKG:9001010") + remove("NDKG:9001010", "NDKG:0000003"),
        ("EvidenceReviewStatusShape", "NDKG:9001010", "NDKG:0000003"),
    ),
    broken(
        "claim with a review date that is not an xsd:date",
        copy_of(CLAIM, "NDKG:9001011") + replace("NDKG:9001011", "NDKG:0000004", '"2026-11-25"'),
        ("EvidenceReviewDateShape", "NDKG:9001011", "NDKG:0000004"),
    ),
    broken(
        "claim without a review date",
        copy_of(CLAIM, "NDKG:9001012") + remove("NDKG:9001012", "NDKG:0000004"),
        ("EvidenceReviewDateShape", "NDKG:9001012", "NDKG:0000004"),
    ),
    broken(
        "claim with two citation markers",
        copy_of(CLAIM, "NDKG:9001013") + add("NDKG:9001013", "NDKG:0000005", '"1", "5"'),
        ("EvidenceCitationMarkerShape", "NDKG:9001013", "NDKG:0000005"),
    ),
    broken(
        "statistic without an evidence code",
        copy_of(STAT_RANGE, "NDKG:9002001") + remove("NDKG:9002001", "obo:RO_0002558"),
        ("EvidenceCodeShape", "NDKG:9002001", "RO:0002558"),
    ),
    # --- claims ----------------------------------------------------------------------------
    broken(
        "claim without a subject",
        copy_of(CLAIM, "NDKG:9001101") + remove("NDKG:9001101", "rdf:subject"),
        ("ClaimSubjectShape", "NDKG:9001101", "rdf:subject"),
    ),
    broken(
        "claim whose subject is a literal",
        copy_of(CLAIM, "NDKG:9001102") + replace("NDKG:9001102", "rdf:subject", '"let-down"'),
        ("ClaimSubjectShape", "NDKG:9001102", "rdf:subject"),
    ),
    broken(
        "claim with two objects",
        copy_of(CLAIM, "NDKG:9001103") + add("NDKG:9001103", "rdf:object", "NDKG:0000301"),
        ("ClaimObjectShape", "NDKG:9001103", "rdf:object"),
    ),
    broken(
        "claim without an object",
        copy_of(CLAIM, "NDKG:9001104") + remove("NDKG:9001104", "rdf:object"),
        ("ClaimObjectShape", "NDKG:9001104", "rdf:object"),
    ),
    broken(
        "claim with a predicate outside the relations of ndkg",
        copy_of(PARTICIPANT_CLAIM, "NDKG:9001105")
        + replace("NDKG:9001105", "rdf:predicate", "obo:RO_0002234"),
        ("ClaimPredicateShape", "NDKG:9001105", "rdf:predicate"),
    ),
    broken(
        "claim without a predicate",
        copy_of(PARTICIPANT_CLAIM, "NDKG:9001106") + remove("NDKG:9001106", "rdf:predicate"),
        ("ClaimPredicateShape", "NDKG:9001106", "rdf:predicate"),
    ),
    broken(
        "claim about an undeclared term",
        copy_of(CLAIM, "NDKG:9001107") + replace("NDKG:9001107", "rdf:subject", "NDKG:0000299"),
        ("ReferencedTermShape", "NDKG:9001107", "rdf:subject"),
    ),
    broken(
        "claim whose object is a misspelt term",
        copy_of(PARTICIPANT_CLAIM, "NDKG:9001108")
        + replace("NDKG:9001108", "rdf:object", "obo:CL_1000420"),
        ("ReferencedTermShape", "NDKG:9001108", "rdf:object"),
    ),
    broken(
        "statistic about an undeclared term",
        copy_of(STAT_RANGE, "NDKG:9002002")
        + replace("NDKG:9002002", "NDKG:0000015", "NDKG:0000399"),
        ("ReferencedTermShape", "NDKG:9002002", "NDKG:0000015"),
    ),
    # --- the kinds of terms a relation connects --------------------------------------------
    broken(
        "'triggers' claim whose object is a hormone",
        copy_of("NDKG:0001004", "NDKG:9001201")
        + replace("NDKG:9001201", "rdf:object", "NDKG:0000203"),
        ("TriggersClaimShape", "NDKG:9001201", "rdf:object"),
    ),
    broken(
        "'triggers' claim whose subject is a management action",
        copy_of("NDKG:0001004", "NDKG:9001202")
        + replace("NDKG:9001202", "rdf:subject", "NDKG:0000500"),
        ("TriggersClaimShape", "NDKG:9001202", "rdf:subject"),
    ),
    broken(
        "'recommended management' claim from a hormone to a mechanism",
        copy_of("NDKG:0001044", "NDKG:9001203")
        + replace("NDKG:9001203", "rdf:subject", "NDKG:0000203")
        + replace("NDKG:9001203", "rdf:object", "NDKG:0000200"),
        ("ManagementClaimShape", "NDKG:9001203", "rdf:subject"),
        ("ManagementClaimShape", "NDKG:9001203", "rdf:object"),
    ),
    broken(
        "'treats' claim from a management action to a hormone",
        copy_of("NDKG:0001031", "NDKG:9001204")
        + replace("NDKG:9001204", "rdf:subject", "NDKG:0000505")
        + replace("NDKG:9001204", "rdf:object", "NDKG:0000204"),
        ("TreatsClaimShape", "NDKG:9001204", "rdf:subject"),
        ("TreatsClaimShape", "NDKG:9001204", "rdf:object"),
    ),
    broken(
        "'causes condition' claim whose object is a mechanism",
        copy_of("NDKG:0001001", "NDKG:9001205")
        + replace("NDKG:9001205", "rdf:object", "NDKG:0000202"),
        ("CausesClaimShape", "NDKG:9001205", "rdf:object"),
    ),
    broken(
        "'contributes to condition' claim whose object is a trigger",
        copy_of("NDKG:0001020", "NDKG:9001206")
        + replace("NDKG:9001206", "rdf:object", "NDKG:0000228"),
        ("CausesClaimShape", "NDKG:9001206", "rdf:object"),
    ),
    broken(
        "'acts on' claim whose subject is not a hormone",
        copy_of("NDKG:0001013", "NDKG:9001207")
        + replace("NDKG:9001207", "rdf:subject", "NDKG:0000205"),
        ("ActsOnClaimShape", "NDKG:9001207", "rdf:subject"),
    ),
    # --- statistics ------------------------------------------------------------------------
    broken(
        "percentage of 140",
        copy_of(STAT_VALUE, "NDKG:9002101") + replace("NDKG:9002101", "NDKG:0000016", "140.0"),
        ("StatisticPercentShape", "NDKG:9002101", "NDKG:0000016"),
    ),
    broken(
        "percentage range up to 120",
        copy_of(STAT_RANGE, "NDKG:9002102") + replace("NDKG:9002102", "NDKG:0000018", "120.0"),
        ("StatisticPercentShape", "NDKG:9002102", "NDKG:0000018"),
    ),
    broken(
        "minimum above maximum",
        copy_of(STAT_WEEKS, "NDKG:9002103") + replace("NDKG:9002103", "NDKG:0000017", "13.0"),
        ("StatisticMinimumShape", "NDKG:9002103", "NDKG:0000017"),
    ),
    broken(
        "statistic with both a value and a range",
        copy_of(STAT_VALUE, "NDKG:9002104")
        + add("NDKG:9002104", "NDKG:0000017", "60.0")
        + add("NDKG:9002104", "NDKG:0000018", "70.0"),
        ("StatisticValueFormShape", "NDKG:9002104", ""),
    ),
    broken(
        "range without a maximum",
        copy_of(STAT_WEEKS, "NDKG:9002105") + remove("NDKG:9002105", "NDKG:0000018"),
        ("StatisticValueFormShape", "NDKG:9002105", ""),
    ),
    broken(
        "statistic without value or range",
        copy_of(STAT_COUNTS, "NDKG:9002106") + remove("NDKG:9002106", "NDKG:0000016"),
        ("StatisticValueFormShape", "NDKG:9002106", ""),
    ),
    broken(
        "value written as a string",
        copy_of(STAT_VALUE, "NDKG:9002107") + replace("NDKG:9002107", "NDKG:0000016", '"66"'),
        ("StatisticValueShape", "NDKG:9002107", "NDKG:0000016"),
    ),
    broken(
        "statistic with two values",
        copy_of(STAT_VALUE, "NDKG:9002108") + add("NDKG:9002108", "NDKG:0000016", "67.0"),
        ("StatisticValueShape", "NDKG:9002108", "NDKG:0000016"),
    ),
    broken(
        "range with two maxima",
        copy_of(STAT_RANGE, "NDKG:9002109") + add("NDKG:9002109", "NDKG:0000018", "90.0"),
        ("StatisticMaximumShape", "NDKG:9002109", "NDKG:0000018"),
    ),
    broken(
        "numerator above denominator",
        copy_of(STAT_COUNTS, "NDKG:9002110") + replace("NDKG:9002110", "NDKG:0000020", "1470"),
        ("StatisticNumeratorShape", "NDKG:9002110", "NDKG:0000020"),
    ),
    broken(
        "denominator of zero",
        copy_of(STAT_VALUE, "NDKG:9002111") + add("NDKG:9002111", "NDKG:0000021", "0"),
        ("StatisticDenominatorShape", "NDKG:9002111", "NDKG:0000021"),
    ),
    broken(
        "unit outside the value set",
        copy_of(STAT_WEEKS, "NDKG:9002112") + replace("NDKG:9002112", "NDKG:0000019", '"weeks"'),
        ("StatisticUnitShape", "NDKG:9002112", "NDKG:0000019"),
    ),
    broken(
        "statistic without a population",
        copy_of(STAT_RISK, "NDKG:9002113") + remove("NDKG:9002113", "NDKG:0000022"),
        ("StatisticPopulationShape", "NDKG:9002113", "NDKG:0000022"),
    ),
    broken(
        "statistic with two time points",
        copy_of(STAT_VALUE, "NDKG:9002114")
        + add("NDKG:9002114", "NDKG:0000023", '"at 6 months"'),
        ("StatisticTimePointShape", "NDKG:9002114", "NDKG:0000023"),
    ),
    broken(
        "approximate flag written as text",
        copy_of(STAT_COUNTS, "NDKG:9002131")
        + replace("NDKG:9002131", "NDKG:0000035", '"approximately"'),
        ("StatisticApproximateShape", "NDKG:9002131", "NDKG:0000035"),
    ),
    broken(
        "outcome written as text",
        copy_of(STAT_RISK, "NDKG:9002132") + replace("NDKG:9002132", "NDKG:0000036", '"cancer"'),
        ("StatisticOutcomeShape", "NDKG:9002132", "NDKG:0000036"),
    ),
    broken(
        "negative months postpartum",
        copy_of(STAT_VALUE, "NDKG:9002115")
        + replace("NDKG:9002115", "NDKG:0000031", '"-6"^^xsd:decimal'),
        ("StatisticMonthsShape", "NDKG:9002115", "NDKG:0000031"),
    ),
    broken(
        "statistic about nothing",
        copy_of(STAT_RISK, "NDKG:9002116") + remove("NDKG:9002116", "NDKG:0000015"),
        ("StatisticAboutShape", "NDKG:9002116", "NDKG:0000015"),
    ),
    broken(
        "statistic without a measure",
        copy_of(STAT_RISK, "NDKG:9002117") + remove("NDKG:9002117", "NDKG:0000028"),
        ("StatisticMeasureShape", "NDKG:9002117", "NDKG:0000028"),
    ),
    # --- citations -------------------------------------------------------------------------
    broken(
        "citation without a label",
        copy_of(UNVERIFIED, "NDKG:9000701") + remove("NDKG:9000701", "rdfs:label"),
        ("CitationLabelShape", "NDKG:9000701", "rdfs:label"),
    ),
    broken(
        "citation status outside the value set",
        copy_of(UNVERIFIED, "NDKG:9000702")
        + replace("NDKG:9000702", "NDKG:0000026", "NDKG:0000600"),
        ("CitationStatusShape", "NDKG:9000702", "NDKG:0000026"),
    ),
    broken(
        "citation without a status",
        copy_of(UNVERIFIED, "NDKG:9000703") + remove("NDKG:9000703", "NDKG:0000026"),
        ("CitationStatusShape", "NDKG:9000703", "NDKG:0000026"),
    ),
    broken(
        "citation marked verified without PMID or DOI",
        copy_of(UNVERIFIED, "NDKG:9000704")
        + replace("NDKG:9000704", "NDKG:0000026", "NDKG:0000610"),
        ("VerifiedCitationShape", "NDKG:9000704", "NDKG:0000026"),
    ),
    broken(
        "unresolved citation with a PMID",
        copy_of(UNRESOLVED, "NDKG:9000705") + add("NDKG:9000705", "NDKG:0000024", '"12345678"'),
        ("UnverifiedCitationShape", "NDKG:9000705", "NDKG:0000024"),
        ("VerifiedPubMedShape", "NDKG:9000705", "NDKG:0000024"),
    ),
    broken(
        "citation with an unverified identifier recording a DOI",
        copy_of(UNVERIFIED, "NDKG:9000706")
        + add("NDKG:9000706", "NDKG:0000025", '"10.9999/example"'),
        ("UnverifiedCitationShape", "NDKG:9000706", "NDKG:0000025"),
        ("VerifiedDoiShape", "NDKG:9000706", "NDKG:0000025"),
    ),
    broken(
        "PMID written with its prefix",
        copy_of(VERIFIED, "NDKG:9000707")
        + replace("NDKG:9000707", "NDKG:0000024", '"PMID:40043530"'),
        ("CitationPubMedShape", "NDKG:9000707", "NDKG:0000024"),
        ("VerifiedPubMedShape", "NDKG:9000707", "NDKG:0000024"),
    ),
    broken(
        "PMID with a leading zero",
        copy_of(VERIFIED, "NDKG:9000708") + replace("NDKG:9000708", "NDKG:0000024", '"040043530"'),
        ("CitationPubMedShape", "NDKG:9000708", "NDKG:0000024"),
        ("VerifiedPubMedShape", "NDKG:9000708", "NDKG:0000024"),
    ),
    broken(
        "DOI written as a URL",
        copy_of(VERIFIED, "NDKG:9000709")
        + replace("NDKG:9000709", "NDKG:0000025", '"https://doi.org/10.1016/j.ejogrb.2025.02.051"'),
        ("CitationDoiShape", "NDKG:9000709", "NDKG:0000025"),
        ("VerifiedDoiShape", "NDKG:9000709", "NDKG:0000025"),
    ),
    broken(
        "a claim citing a work whose PMID was never checked",
        copy_of(REVIEW, "NDKG:9000710") + replace("NDKG:9000710", "NDKG:0000024", '"12345678"')
        + copy_of(SUMMARY_CLAIM, "NDKG:9001501")
        + replace("NDKG:9001501", "NDKG:0000006", "NDKG:9000710"),
        ("VerifiedPubMedShape", "NDKG:9000710", "NDKG:0000024"),
    ),
    broken(
        "citation with a kind of source outside the value set",
        copy_of(VERIFIED, "NDKG:9000711") + replace("NDKG:9000711", "NDKG:0000043", "NDKG:0000600"),
        ("CitationKindShape", "NDKG:9000711", "NDKG:0000043"),
    ),
    # --- the sources beyond the article: summaries, evidence codes, patients, figures -------
    broken(
        "claim with both a quote and a curators' summary",
        copy_of(SUMMARY_CLAIM, "NDKG:9001502")
        + add("NDKG:9001502", "NDKG:0000002", '"Cabergoline is preferred."'),
        ("EvidenceTextShape", "NDKG:9001502", ""),
    ),
    broken(
        "claim with two curators' summaries",
        copy_of(SUMMARY_CLAIM, "NDKG:9001503")
        + add("NDKG:9001503", "NDKG:0000045", '"Cabergoline is the first choice."'),
        ("EvidenceSummaryShape", "NDKG:9001503", "NDKG:0000045"),
    ),
    broken(
        "summary of a review with a study's evidence code",
        copy_of(SUMMARY_CLAIM, "NDKG:9001504")
        + replace("NDKG:9001504", "obo:RO_0002558", "obo:ECO_0007121"),
        ("SummarisedSourceShape", "NDKG:9001504", ""),
    ),
    broken(
        "summary of a work of no known kind",
        copy_of(SUMMARY_CLAIM, "NDKG:9001505")
        + replace("NDKG:9001505", "NDKG:0000006", "NDKG:0000704"),
        ("SummarisedSourceShape", "NDKG:9001505", ""),
    ),
    broken(
        "minimum age above the maximum",
        copy_of(AGED_CLAIM, "NDKG:9001506") + replace("NDKG:9001506", "NDKG:0000046", "45"),
        ("ContextMinimumAgeShape", "NDKG:9001506", "NDKG:0000046"),
    ),
    broken(
        "maximum age over 120",
        copy_of(AGED_CLAIM, "NDKG:9001507") + replace("NDKG:9001507", "NDKG:0000047", "150"),
        ("ContextMaximumAgeShape", "NDKG:9001507", "NDKG:0000047"),
    ),
    broken(
        "patients of a sex outside the value set",
        copy_of(AGED_CLAIM, "NDKG:9001508") + add("NDKG:9001508", "NDKG:0000048", "NDKG:0000404"),
        ("ContextSexShape", "NDKG:9001508", "NDKG:0000048"),
    ),
    broken(
        "step order 4",
        copy_of(AGED_CLAIM, "NDKG:9001509") + replace("NDKG:9001509", "NDKG:0000050", "4"),
        ("ContextStepOrderShape", "NDKG:9001509", "NDKG:0000050"),
    ),
    broken(
        "step with two conditions",
        copy_of(AGED_CLAIM, "NDKG:9001510")
        + add("NDKG:9001510", "NDKG:0000051", '"when the patient asks"'),
        ("ContextStepConditionShape", "NDKG:9001510", "NDKG:0000051"),
    ),
    broken(
        "statistic with a method that is a number",
        copy_of(STAT_METHOD, "NDKG:9002133") + replace("NDKG:9002133", "NDKG:0000049", "12"),
        ("StatisticMethodShape", "NDKG:9002133", "NDKG:0000049"),
    ),
    broken(
        "rating whose setting is text",
        copy_of(STAT_RATING, "NDKG:9002134")
        + replace("NDKG:9002134", "NDKG:0000052", '"pathologic discharge"'),
        ("StatisticSettingShape", "NDKG:9002134", "NDKG:0000052"),
    ),
    broken(
        "rating of 10",
        copy_of(STAT_RATING, "NDKG:9002135") + replace("NDKG:9002135", "NDKG:0000016", "10.0"),
        ("StatisticIntervalShape", "NDKG:9002135", ""),
    ),
    broken(
        "confidence interval whose lower bound is above the value",
        copy_of(STAT_ODDS, "NDKG:9002136") + replace("NDKG:9002136", "NDKG:0000053", "4.0"),
        ("StatisticLowerBoundShape", "NDKG:9002136", "NDKG:0000053"),
    ),
    broken(
        "value above the upper bound of its confidence interval",
        copy_of(STAT_ODDS, "NDKG:9002137") + replace("NDKG:9002137", "NDKG:0000054", "2.0")
        + replace("NDKG:9002137", "NDKG:0000053", "1.0"),
        ("StatisticIntervalShape", "NDKG:9002137", ""),
    ),
    broken(
        "upper bound written as text",
        copy_of(STAT_ODDS, "NDKG:9002138") + replace("NDKG:9002138", "NDKG:0000054", '"9.09"'),
        ("StatisticUpperBoundShape", "NDKG:9002138", "NDKG:0000054"),
    ),
    # --- mappings --------------------------------------------------------------------------
    broken(
        "mapping with owl:sameAs",
        "DELETE { NDKG:0000219 skos:exactMatch DOID:5394 . ?axiom owl:annotatedProperty ?p }"
        " INSERT { NDKG:0000219 owl:sameAs DOID:5394 . ?axiom owl:annotatedProperty owl:sameAs }"
        f" WHERE {{ {mapping('NDKG:0000219', 'DOID:5394')} ?axiom owl:annotatedProperty ?p }}",
        ("MappingPredicateShape", "[NDKG:0000219 owl:sameAs DOID:5394]", "owl:annotatedProperty"),
    ),
    broken(
        "mapping without a justification",
        "DELETE { ?axiom sssom:mapping_justification ?j }"
        f" WHERE {{ {mapping('NDKG:0000224', 'DOID:1626')}"
        " ?axiom sssom:mapping_justification ?j }",
        (
            "MappingJustificationShape",
            "[NDKG:0000224 skos:exactMatch DOID:1626]",
            "sssom:mapping_justification",
        ),
    ),
    broken(
        "mapping justified outside SEMAPV",
        "DELETE { ?axiom sssom:mapping_justification ?j }"
        " INSERT { ?axiom sssom:mapping_justification <https://example.org/HunchCuration> }"
        f" WHERE {{ {mapping('NDKG:0000224', 'NCIT:C3863')}"
        " ?axiom sssom:mapping_justification ?j }",
        (
            "MappingJustificationShape",
            "[NDKG:0000224 skos:exactMatch NCIT:C3863]",
            "sssom:mapping_justification",
        ),
    ),
    broken(
        "mapping axiom without its direct triple",
        "DELETE DATA { NDKG:0000220 skos:exactMatch DOID:1459 }",
        (
            "MappingDirectTripleShape",
            "[NDKG:0000220 skos:exactMatch DOID:1459]",
            "owl:annotatedTarget",
        ),
    ),
    broken(
        "mapping from an external term",
        "INSERT DATA { obo:HP_0012833 skos:exactMatch obo:PATO_0000634 ."
        " [] a owl:Axiom ; owl:annotatedSource obo:HP_0012833 ;"
        " owl:annotatedProperty skos:exactMatch ; owl:annotatedTarget obo:PATO_0000634 ;"
        " sssom:mapping_justification semapv:ManualMappingCuration }",
        (
            "MappingSubjectTermShape",
            "[HP:0012833 skos:exactMatch PATO:0000634]",
            "owl:annotatedSource",
        ),
    ),
    broken(
        "mapping axiom without an object",
        "DELETE { ?axiom owl:annotatedTarget DOID:1612 }"
        f" WHERE {{ {mapping('NDKG:0000225', 'DOID:1612')} }}",
        ("MappingTargetShape", "[NDKG:0000225 skos:broadMatch ?]", "owl:annotatedTarget"),
    ),
    broken(
        "mapping axiom without a subject",
        "DELETE { ?axiom owl:annotatedSource NDKG:0000225 }"
        f" WHERE {{ {mapping('NDKG:0000225', 'HP:0003002')} }}",
        ("MappingSourceShape", "[? skos:relatedMatch HP:0003002]", "owl:annotatedSource"),
    ),
    # --- claims: definitions, cited works, primary causes ---------------------------------
    broken(
        "definition evidence whose object is not the class's definition",
        copy_of(DEFINITION_CLAIM, "NDKG:9001301")
        + replace("NDKG:9001301", "rdf:object", "NDKG:0000300"),
        ("DefinitionClaimShape", "NDKG:9001301", ""),
    ),
    broken(
        "claim relating two terms with a text as its object",
        copy_of(PARTICIPANT_CLAIM, "NDKG:9001302")
        + replace("NDKG:9001302", "rdf:object", '"myoepithelial cells"'),
        ("RelationClaimObjectShape", "NDKG:9001302", "rdf:object"),
    ),
    broken(
        "cited-work flag written as text",
        copy_of(CLAIM, "NDKG:9001303") + add("NDKG:9001303", "NDKG:0000032", '"yes"'),
        ("ClaimCitedWorkReportsShape", "NDKG:9001303", "NDKG:0000032"),
    ),
    broken(
        "primary flag written as a number",
        copy_of(CLAIM, "NDKG:9001304") + replace("NDKG:9001304", "NDKG:0000037", "1"),
        ("ClaimPrimaryShape", "NDKG:9001304", "NDKG:0000037"),
    ),
    broken(
        "cited work not reporting the claim, without a note",
        copy_of(NOT_REPORTED, "NDKG:9001305") + remove("NDKG:9001305", "rdfs:comment"),
        ("CitedWorkNoteShape", "NDKG:9001305", "rdfs:comment"),
    ),
    # --- conflicts between statements ------------------------------------------------------
    broken(
        "conflict without a label",
        copy_of(CONFLICT, "NDKG:9003001") + remove("NDKG:9003001", "rdfs:label"),
        ("ConflictLabelShape", "NDKG:9003001", "rdfs:label"),
    ),
    broken(
        "conflict with one statement",
        copy_of(CONFLICT, "NDKG:9003002")
        + "DELETE DATA { NDKG:9003002 NDKG:0000034 NDKG:0002006 } ;\n",
        ("ConflictStatementShape", "NDKG:9003002", "NDKG:0000034"),
    ),
    broken(
        "conflict naming a citation as a statement",
        copy_of(CONFLICT, "NDKG:9003003") + add("NDKG:9003003", "NDKG:0000034", UNVERIFIED),
        ("ConflictStatementShape", "NDKG:9003003", "NDKG:0000034"),
    ),
    broken(
        "conflict without a note",
        copy_of(CONFLICT, "NDKG:9003004") + remove("NDKG:9003004", "rdfs:comment"),
        ("ConflictNoteShape", "NDKG:9003004", "rdfs:comment"),
    ),
    broken(
        "conflict without an evidence code",
        copy_of(CONFLICT, "NDKG:9003005") + remove("NDKG:9003005", "obo:RO_0002558"),
        ("EvidenceCodeShape", "NDKG:9003005", "RO:0002558"),
    ),
    # --- review records ------------------------------------------------------------------------
    broken(
        "review record naming no statement",
        review("00000000-0000-4000-8000-000000000001")
        + remove("<urn:uuid:00000000-0000-4000-8000-000000000001>", "NDKG:0000039"),
        ("ReviewStatementShape", "<urn:uuid:00000000-0000-4000-8000-000000000001>",
         "NDKG:0000039"),
    ),
    broken(
        "review record of a term that is no claim or statistic",
        review("00000000-0000-4000-8000-000000000002", statement="NDKG:0000222"),
        ("ReviewedStatementKindShape", "<urn:uuid:00000000-0000-4000-8000-000000000002>",
         "NDKG:0000039"),
    ),
    broken(
        "review record of an obsolete claim",
        review("00000000-0000-4000-8000-000000000003", statement="NDKG:0001036"),
        ("ReviewedStatementKindShape", "<urn:uuid:00000000-0000-4000-8000-000000000003>",
         "NDKG:0000039"),
        ("ObsoleteStatesNothingShape", "NDKG:0001036", "rdf:type"),
    ),
    broken(
        "review record with a status outside the value set",
        review("00000000-0000-4000-8000-000000000004", status="NDKG:0000610"),
        ("ReviewStatusShape", "<urn:uuid:00000000-0000-4000-8000-000000000004>", "NDKG:0000003"),
    ),
    broken(
        "reviewer that is not an ORCID IRI",
        review("00000000-0000-4000-8000-000000000005", reviewer='"0000-0002-1825-0097"'),
        ("ReviewerShape", "<urn:uuid:00000000-0000-4000-8000-000000000005>", "NDKG:0000040"),
    ),
    broken(
        "reviewer's ORCID iD with a wrong check digit",
        review("00000000-0000-4000-8000-000000000006",
               reviewer="<https://orcid.org/0000-0002-1825-0096>"),
        ("ReviewerChecksumShape", "<urn:uuid:00000000-0000-4000-8000-000000000006>",
         "NDKG:0000040"),
    ),
    broken(
        "review time without a time zone",
        review("00000000-0000-4000-8000-000000000007",
               at='"2026-12-04T16:07:39"^^xsd:dateTime'),
        ("ReviewTimeShape", "<urn:uuid:00000000-0000-4000-8000-000000000007>", "NDKG:0000042"),
    ),
    broken(
        "review comment that is blank",
        review("00000000-0000-4000-8000-000000000008", comment='"  "'),
        ("ReviewCommentShape", "<urn:uuid:00000000-0000-4000-8000-000000000008>", "NDKG:0000041"),
    ),
    broken(
        "rejection without a comment",
        review("00000000-0000-4000-8000-000000000009", status="NDKG:0000603"),
        ("RejectionCommentShape", "<urn:uuid:00000000-0000-4000-8000-000000000009>",
         "NDKG:0000041"),
    ),
    # --- verdict priorities ------------------------------------------------------------------
    broken(
        "two classes with the same verdict priority",
        replace("NDKG:0000311", "NDKG:0000038", "4"),
        ("VerdictPriorityShape", "NDKG:0000311", ""),
        ("VerdictPriorityShape", "NDKG:0000301", ""),
    ),
    broken(
        "verdict priority on a class that is no nipple discharge",
        add("NDKG:0000105", "NDKG:0000038", "7"),
        ("VerdictPriorityShape", "NDKG:0000105", ""),
    ),
    broken(
        "verdict priority written as text",
        replace("NDKG:0000312", "NDKG:0000038", '"6"'),
        ("VerdictPriorityValueShape", "NDKG:0000312", "NDKG:0000038"),
    ),
    # --- obsolete entities ------------------------------------------------------------------
    broken(
        "obsolete entity marked deprecated false",
        copy_of(OBSOLETE, "NDKG:9001401") + replace("NDKG:9001401", "owl:deprecated", "false"),
        ("ObsoleteFlagShape", "NDKG:9001401", "owl:deprecated"),
    ),
    broken(
        "obsolete entity whose label does not say so",
        copy_of(OBSOLETE, "NDKG:9001402")
        + replace("NDKG:9001402", "rdfs:label", '"claim: antidepressants cause galactorrhea"'),
        ("ObsoleteLabelShape", "NDKG:9001402", "rdfs:label"),
    ),
    broken(
        "obsolete entity without a reason",
        copy_of(OBSOLETE, "NDKG:9001403") + remove("NDKG:9001403", "rdfs:comment"),
        ("ObsoleteReasonShape", "NDKG:9001403", "rdfs:comment"),
    ),
    broken(
        "obsolete entity replaced by an obsolete one",
        copy_of(OBSOLETE, "NDKG:9001404")
        + replace("NDKG:9001404", "obo:IAO_0100001", OTHER_OBSOLETE),
        ("ObsoleteReplacementShape", "NDKG:9001404", "IAO:0100001"),
    ),
    broken(
        "obsolete claim that still states its triple",
        copy_of(OBSOLETE, "NDKG:9001405")
        + add("NDKG:9001405", "rdf:subject", "NDKG:0000217"),
        ("ObsoleteStatesNothingShape", "NDKG:9001405", "rdf:type"),
    ),
    broken(
        "live claim about an obsolete entity",
        copy_of(OBSOLETE, "NDKG:9001406")
        + copy_of(PARTICIPANT_CLAIM, "NDKG:9001407")
        + replace("NDKG:9001407", "rdf:object", "NDKG:9001406"),
        ("ObsoleteStatesNothingShape", "NDKG:9001406", "rdf:type"),
    ),
]


@dataclass(frozen=True)
class BrokenRun:
    """The copy of the data with every case applied, its report, and what each case changed."""

    report: ValidationReport
    changes: dict[str, set[tuple[object, object, object]]]


@pytest.fixture(scope="module")
def real_report(data: Graph, shapes: Graph) -> ValidationReport:
    """The validation report of the real data."""
    return validate(data, shapes)


@pytest.fixture(scope="module")
def run(data: Graph, shapes: Graph) -> BrokenRun:
    """Apply every case to one copy of the data and validate it once."""
    copy = Graph()
    copy += data
    changes = {}
    for case in CASES:
        before = set(copy)
        copy.update(case.update, initNs=PREFIXES)
        after = set(copy)
        changes[case.name] = (before - after) | (after - before)
    return BrokenRun(validate(copy, shapes), changes)


def typed_shapes(shapes: Graph) -> set[Node]:
    """The shapes declared in the shapes graph (typed sh:NodeShape or sh:PropertyShape)."""
    return {
        shape
        for kind in (SH.NodeShape, SH.PropertyShape)
        for shape in shapes.subjects(RDF.type, kind)
        if isinstance(shape, URIRef)
    }


def curie(shape: Node) -> str:
    return "ndkgsh:" + str(shape).removeprefix(SHAPES_NAMESPACE)


def test_the_real_data_conforms(real_report: ValidationReport) -> None:
    assert real_report.conforms, real_report.summary()
    assert real_report.violations == []
    assert real_report.summary() == "The data conforms to the shapes."


def test_checking_the_real_data_takes_well_under_five_seconds(data: Graph, shapes: Graph) -> None:
    started = time.perf_counter()
    assert check(data, shapes).conforms
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_broken_data_is_caught_by_its_shape(case: Broken, run: BrokenRun) -> None:
    found = {
        (v.shape, v.focus_node, v.path)
        for v in run.report.violations
        if v.focus_node in case.focus_nodes
    }
    assert found == case.expected, run.report.summary()


def test_no_violation_outside_the_cases(run: BrokenRun) -> None:
    expected_nodes = set().union(*(case.focus_nodes for case in CASES))
    stray = [v for v in run.report.violations if v.focus_node not in expected_nodes]
    assert not stray, stray
    assert not run.report.conforms


def test_cases_break_nodes_of_their_own(run: BrokenRun) -> None:
    """No case changes a node that another case changes, mentions or expects violations on."""
    touched = {name: {s for s, _, _ in changed} for name, changed in run.changes.items()}
    mentioned = {
        name: {o for _, _, o in changed if isinstance(o, URIRef)}
        for name, changed in run.changes.items()
    }
    for case in CASES:
        assert run.changes[case.name], f"{case.name}: the update changes nothing"
    for a, b in itertools.permutations(CASES, 2):
        assert not touched[a.name] & (touched[b.name] | mentioned[b.name]), (a.name, b.name)
        assert not a.focus_nodes & b.focus_nodes, (a.name, b.name)


def test_every_shape_is_exercised_by_a_case(shapes: Graph) -> None:
    """Each shape with constraints of its own has a case; a shape that only groups others
    (sh:property, sh:node) is exercised through them."""
    tested = {shape for case in CASES for shape, _, _ in case.expected}
    grouping = {RDF.type, RDFS.comment, SH.message, SH.property, SH.node, SH.target, SH.targetClass}

    def exercised(shape: Node) -> bool:
        if curie(shape) in tested:
            return True
        members = [*shapes.objects(shape, SH.property), *shapes.objects(shape, SH.node)]
        own = set(shapes.predicates(shape)) - grouping
        return bool(members) and not own and all(exercised(m) for m in members)

    assert sorted(curie(s) for s in typed_shapes(shapes) if not exercised(s)) == []
    assert tested <= {curie(s) for s in typed_shapes(shapes)}


def test_every_shape_explains_itself(shapes: Graph) -> None:
    """One sh:message and a comment on every shape; every part of a shape is named."""
    declared = typed_shapes(shapes)
    for shape in declared:
        assert len(list(shapes.objects(shape, SH.message))) == 1, curie(shape)
        assert shapes.value(shape, RDFS.comment) is not None, curie(shape)
        for member in [*shapes.objects(shape, SH.property), *shapes.objects(shape, SH.node)]:
            assert member in declared, f"{curie(shape)} uses an unnamed or untyped shape"
    for constraint in shapes.objects(None, SH.sparql):
        assert shapes.value(constraint, RDFS.comment) is not None
        assert shapes.value(constraint, SH.message) is None, "the message belongs on the shape"
    for target_type in shapes.subjects(RDF.type, SH.SPARQLTargetType):
        assert shapes.value(target_type, RDFS.comment) is not None


def test_violations_carry_the_message_of_their_shape(run: BrokenRun, shapes: Graph) -> None:
    """Messages are the curator's text of the shape, placeholders filled and IRIs shortened."""
    for violation in run.report.violations:
        shape = URIRef(SHAPES_NAMESPACE + violation.shape.removeprefix("ndkgsh:"))
        template = str(shapes.value(shape, SH.message))
        pattern = re.sub(r"\\\{\\[?$]\w+\\\}", "(.+)", re.escape(template))
        match = re.fullmatch(pattern, violation.message)
        assert match, (violation.message, template)
        assert not any(part.startswith("http") for part in match.groups()), violation.message


def test_a_filled_placeholder_names_the_term(run: BrokenRun) -> None:
    (violation,) = [v for v in run.report.violations if v.focus_node == "NDKG:9001201"]
    assert "NDKG:0000203 is not" in violation.message
    assert violation.value == "NDKG:0000203"
    assert violation.severity == "sh:Violation"


def test_summary_is_a_table_of_the_violations(run: BrokenRun) -> None:
    lines = run.report.summary().splitlines()
    assert lines[0] == f"{len(run.report.violations)} violation(s) of the shapes:"
    assert lines[1].split() == ["focus", "node", "path", "value", "shape", "message"]
    row = next(line for line in lines if line.startswith("NDKG:9001003 "))
    assert "RO:0002558" in row and "ndkgsh:EvidenceCodeShape" in row
    assert "sh:resultMessage" in run.report.to_turtle()


def test_check_raises_with_the_report(data: Graph, shapes: Graph) -> None:
    copy = Graph()
    copy += data
    copy.update(remove("NDKG:0000122", "rdfs:label"), initNs=PREFIXES)
    with pytest.raises(ValidationError) as raised:
        check(copy, shapes)
    error = raised.value
    (violation,) = error.violations
    assert violation["focus_node"] == "NDKG:0000122"
    assert violation["path"] == "rdfs:label"
    assert violation["shape"] == "ndkgsh:TermLabelShape"
    assert violation["severity"] == "sh:Violation"
    assert violation["value"] == ""
    assert violation["message"].startswith("An ndkg term needs exactly one rdfs:label")
    assert "NDKG:0000122" in str(error) and "ndkgsh:TermLabelShape" in str(error)
    assert "sh:sourceShape ndkgsh:TermLabelShape" in error.report_turtle

"""Names and addresses of terms: label, CURIE, and the path of a term's page on the service.

ndkg's own terms live at their IRI's path (``https://w3id.org/ndkg/NDKG_0000224`` is served at
``/NDKG_0000224``, so w3id can redirect there); other terms at ``/term/{CURIE}`` or, without a
known prefix, ``/term?iri=...``.

>>> local_path("https://w3id.org/ndkg/NDKG_0000224")
'/NDKG_0000224'
>>> local_path("http://purl.obolibrary.org/obo/HP_0100829")
'/term/HP:0100829'
>>> local_path("http://example.org/x#y")
'/term?iri=http%3A%2F%2Fexample.org%2Fx%23y'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import quote

from ndkg.answers.lexicon import Lexicon, compress
from ndkg.vocab import BASE

SPECIFICATIONS = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "https://www.w3.org/TR/rdf11-schema/",
    "http://www.w3.org/2000/01/rdf-schema#": "https://www.w3.org/TR/rdf11-schema/",
    "http://www.w3.org/2002/07/owl#": "https://www.w3.org/TR/owl2-syntax/",
    "http://www.w3.org/2001/XMLSchema#": "https://www.w3.org/TR/xmlschema11-2/",
    "http://www.w3.org/2004/02/skos/core#": "https://www.w3.org/TR/skos-reference/",
    "http://purl.org/dc/terms/": "https://www.dublincore.org/specifications/dublin-core/dcmi-terms/",
    "http://www.geneontology.org/formats/oboInOwl#": "https://github.com/geneontology/go-ontology/blob/master/contrib/oboInOwl",
    "https://w3id.org/sssom/": "https://mapping-commons.github.io/sssom/spec-model/",
    "https://w3id.org/semapv/vocab/": "https://mapping-commons.github.io/semantic-mapping-vocabulary/",
    "http://rdfs.org/ns/void#": "https://www.w3.org/TR/void/",
    "http://www.w3.org/ns/dcat#": "https://www.w3.org/TR/vocab-dcat-3/",
    "http://www.w3.org/ns/sparql-service-description#": "https://www.w3.org/TR/sparql11-service-description/",
}
"""Where the vocabularies ndkg uses are specified, by namespace: their terms' pages link there."""

OWN_PATH = re.compile(r"^(NDKG_\d{7}|presentation/[A-Za-z0-9_/-]+)$")
"""Paths under :data:`ndkg.vocab.BASE` that are terms with a page of their own."""


def local_path(iri: str) -> str:
    """The path of the page of ``iri`` on the service."""
    if iri.startswith(BASE) and OWN_PATH.match(iri[len(BASE) :]):
        return "/" + iri[len(BASE) :]
    curie = compress(iri)
    if curie != iri:
        return "/term/" + curie
    return "/term?iri=" + quote(iri, safe="")


def specification(iri: str) -> str | None:
    """The specification of the vocabulary ``iri`` belongs to, if it is a known one.

    >>> specification("http://www.w3.org/1999/02/22-rdf-syntax-ns#subject")
    'https://www.w3.org/TR/rdf11-schema/'
    """
    return next((spec for namespace, spec in SPECIFICATIONS.items()
                 if iri.startswith(namespace)), None)


def is_own(iri: str) -> bool:
    """Whether ``iri`` is one of ndkg's own terms (``NDKG_`` or a presentation)."""
    return iri.startswith(BASE) and OWN_PATH.match(iri[len(BASE) :]) is not None


@dataclass(frozen=True)
class TermRef:
    """A term as a page shows it: a label that links to the term's page."""

    iri: str
    curie: str
    label: str
    href: str

    def as_json(self) -> dict[str, str]:
        """The reference as JSON: ``curie``, ``iri``, ``label``, ``url``."""
        return {"curie": self.curie, "iri": self.iri, "label": self.label, "url": self.href}


@dataclass(frozen=True)
class Names:
    """Labels of every term of a store, from its :class:`~ndkg.answers.lexicon.Lexicon`: clinical
    labels, or everyday words (lay labels, where the graph has them) when ``lay``.

    ``described`` gives terms whose words say more than their label: a statistic is named by
    its sentence (:mod:`ndkg.explorer.statistics`), in the same audience's words.
    """

    lexicon: Lexicon
    lay: bool = False
    described: Mapping[str, str] = field(default_factory=dict)

    def label(self, iri: str) -> str:
        """The label of ``iri`` (its lay label when ``lay``), else its CURIE."""
        if iri in self.described:
            return self.described[iri]
        label = self.lexicon.lay_label(iri) if self.lay else self.lexicon.label(iri)
        return compress(iri) if label == iri else label

    def clinical(self, iri: str) -> str:
        """The clinical label of ``iri``, else its CURIE."""
        label = self.lexicon.label(iri)
        return compress(iri) if label == iri else label

    def ref(self, iri: str) -> TermRef:
        """``iri`` with its CURIE, label and page."""
        return TermRef(iri, compress(iri), self.label(iri), local_path(iri))

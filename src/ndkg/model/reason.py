"""Reason with HermiT through owlready2: consistency, classification, class assertions.

owlready2 reads N-Triples (not Turtle), so the ontology is handed over as an N-Triples file.
The result is what the reasoner entails beyond what was asserted: the named-class hierarchy
(with its transitive closure, classes inferred equivalent as subclasses of each other) and the
named types of every individual.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import owlready2
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from ndkg.errors import JavaNotFoundError, ReasoningError


def reason(ontology: Graph) -> Graph:
    """Classify ``ontology`` with HermiT and return the inferred triples only.

    :raises ReasoningError: if the ontology is inconsistent or a named class is unsatisfiable.
    :raises JavaNotFoundError: if there is no ``java`` command to run HermiT with.
    """
    require_java()
    world = owlready2.World()
    with tempfile.TemporaryDirectory(prefix="ndkg-reason-") as tmp:
        path = Path(tmp) / "ontology.nt"
        ontology.serialize(destination=path, format="nt", encoding="utf-8")
        onto = world.get_ontology(path.as_uri()).load()
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            raise ReasoningError(f"HermiT finds the ontology inconsistent: {exc}") from exc
        except owlready2.OwlReadyJavaError as exc:
            raise ReasoningError(f"HermiT failed: {exc}") from exc
    unsatisfiable = sorted(c.iri for c in world.inconsistent_classes())
    if unsatisfiable:
        raise ReasoningError(
            "HermiT finds these classes unsatisfiable (equivalent to owl:Nothing): "
            + ", ".join(unsatisfiable)
        )
    return _entailments(world, ontology)


JAVA_HINT = (
    "install a Java runtime (Debian, Ubuntu: apt-get install default-jre-headless; "
    "elsewhere any Java 11 or later) and put `java` on PATH"
)


def require_java() -> str:
    """The path of the ``java`` command owlready2 runs HermiT with.

    :raises JavaNotFoundError: naming how to install one.
    """
    java = shutil.which(str(owlready2.JAVA_EXE))
    if java is None:
        raise JavaNotFoundError(
            f"the HermiT reasoner needs Java and no `{owlready2.JAVA_EXE}` command was found: "
            + JAVA_HINT
        )
    return java


def _entailments(world: owlready2.World, asserted: Graph) -> Graph:
    inferred = Graph()
    for cls in world.classes():
        # include_self=True also yields the classes inferred equivalent to cls, which
        # include_self=False leaves out: equivalence is subsumption both ways.
        for ancestor in cls.ancestors(include_self=True):
            if ancestor is owlready2.Thing or ancestor is cls:
                continue
            triple = (URIRef(cls.iri), RDFS.subClassOf, URIRef(ancestor.iri))
            if triple not in asserted:
                inferred.add(triple)
    for individual in world.individuals():
        for cls in individual.is_a:
            if not isinstance(cls, owlready2.ThingClass):
                continue
            for ancestor in cls.ancestors(include_self=True):
                if ancestor is owlready2.Thing:
                    continue
                triple = (URIRef(individual.iri), RDF.type, URIRef(ancestor.iri))
                if triple not in asserted:
                    inferred.add(triple)
    return inferred

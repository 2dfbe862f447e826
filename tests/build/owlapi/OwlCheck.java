// Loads an ontology with the OWL API (what ROBOT and Protégé run on) and prints what it kept,
// one "key<TAB>value" line each: axiom counts by type, the triples it could not parse, the
// entities used without a declaration, the OWL 2 DL profile violations, and the annotated
// axioms by annotation property.
import java.io.File;
import java.util.Map;
import java.util.TreeMap;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.io.RDFTriple;
import org.semanticweb.owlapi.model.OWLAnnotation;
import org.semanticweb.owlapi.model.OWLAxiom;
import org.semanticweb.owlapi.model.OWLDocumentFormat;
import org.semanticweb.owlapi.model.OWLEntity;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class OwlCheck {
    public static void main(String[] args) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntology ontology = manager.loadOntologyFromOntologyDocument(new File(args[0]));
        OWLDocumentFormat format = manager.getOntologyFormat(ontology);
        System.out.println("format\t" + format.getKey());
        System.out.println("axioms\t" + ontology.getAxiomCount());
        System.out.println("logical\t" + ontology.getLogicalAxiomCount());
        Map<String, Integer> byType = new TreeMap<>();
        Map<String, Integer> annotated = new TreeMap<>();
        for (OWLAxiom axiom : ontology.getAxioms()) {
            byType.merge(axiom.getAxiomType().getName(), 1, Integer::sum);
            for (OWLAnnotation annotation : axiom.getAnnotations()) {
                String key = axiom.getAxiomType().getName() + " "
                    + annotation.getProperty().getIRI().toString();
                annotated.merge(key, 1, Integer::sum);
            }
        }
        byType.forEach((k, v) -> System.out.println("type:" + k + "\t" + v));
        annotated.forEach((k, v) -> System.out.println("annotated:" + k + "\t" + v));
        int unparsed = 0;
        if (format.getOntologyLoaderMetaData().isPresent()) {
            for (RDFTriple triple : (Iterable<RDFTriple>) format.getOntologyLoaderMetaData().get()
                    .getUnparsedTriples()::iterator) {
                unparsed++;
                System.out.println("unparsed-triple\t" + triple);
            }
        }
        System.out.println("unparsed\t" + unparsed);
        for (OWLEntity entity : ontology.getSignature()) {
            if (!entity.isBuiltIn() && !ontology.isDeclared(entity)) {
                System.out.println("undeclared\t" + entity.getEntityType() + " " + entity.getIRI());
            }
        }
        for (OWLProfileViolation violation : new OWL2DLProfile().checkOntology(ontology)
                .getViolations()) {
            System.out.println("dl-violation\t" + violation.toString().replace('\n', ' '));
        }
    }
}

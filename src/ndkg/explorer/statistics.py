"""The figures of the graph told as sentences, so that a statistic is never shown as a bare
identifier: its label on every page is the sentence :func:`ndkg.explorer.figures.sentence`
writes from its typed values ("Prevalence of breast milk leakage: 50–80% of lactating women,
at some point during their breastfeeding journey.").

>>> from ndkg.answers.lexicon import Lexicon
>>> words = Lexicon()
>>> words.add("https://w3id.org/ndkg/NDKG_0000227", "dysphoric milk ejection reflex", "label")
>>> words.add("https://w3id.org/ndkg/NDKG_0000227", "sad feelings at let-down", "lay label")
>>> d_mer = Figure("https://w3id.org/ndkg/NDKG_0002003", "https://w3id.org/ndkg/NDKG_0000227",
...                "prevalence", {"value": "14.2", "unit": "percent", "numerator": "209",
...                "denominator": "1469"}, "lactating women", approximate=True)
>>> d_mer.sentence(words, lay=True)
'Prevalence of sad feelings at let-down: about 14.2% (209/1469) of lactating women.'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ndkg.answers.lexicon import Lexicon, compress
from ndkg.explorer import figures
from ndkg.storage.store import Store

FIGURES_QUERY = """
SELECT ?statistic ?about ?measure ?value ?minimum ?maximum ?unit ?numerator ?denominator
       ?population ?timePoint ?approximate ?outcome WHERE {
  ?statistic a NDKG:0000108 .
  OPTIONAL { ?statistic NDKG:0000015 ?about }
  OPTIONAL { ?statistic NDKG:0000028 ?measure }
  OPTIONAL { ?statistic NDKG:0000016 ?value }
  OPTIONAL { ?statistic NDKG:0000017 ?minimum }
  OPTIONAL { ?statistic NDKG:0000018 ?maximum }
  OPTIONAL { ?statistic NDKG:0000019 ?unit }
  OPTIONAL { ?statistic NDKG:0000020 ?numerator }
  OPTIONAL { ?statistic NDKG:0000021 ?denominator }
  OPTIONAL { ?statistic NDKG:0000022 ?population }
  OPTIONAL { ?statistic NDKG:0000023 ?timePoint }
  OPTIONAL { ?statistic NDKG:0000035 ?approximate }
  OPTIONAL { ?statistic NDKG:0000036 ?outcome }
}
"""
VALUE_FIELDS = ("value", "minimum", "maximum", "unit", "numerator", "denominator")


@dataclass(frozen=True)
class Figure:
    """A statistic of the graph: what it measures about which term, its values (by name, as
    text), among whom and when, whether it is approximate, and the outcome of a risk."""

    iri: str
    about: str | None
    measure: str
    values: Mapping[str, str]
    population: str = ""
    time_point: str = ""
    approximate: bool = False
    outcome: str | None = None

    def sentence(self, lexicon: Lexicon, lay: bool = False) -> str:
        """The figure as a sentence, its terms named for the audience."""

        def name(iri: str | None) -> str:
            if iri is None:
                return ""
            label = lexicon.lay_label(iri) if lay else lexicon.label(iri)
            return compress(iri) if label == iri else label

        return figures.sentence(
            self.measure or "figure", name(self.about), self.population, self.time_point,
            approximate=self.approximate, outcome=name(self.outcome), **self.values,
        )


def read_figures(store: Store) -> dict[str, Figure]:
    """Every statistic of ``store``, by IRI."""
    found: dict[str, Figure] = {}
    for row in store.select(FIGURES_QUERY, use_prefixes=True):
        iri = row["statistic"]
        if iri in found:
            continue
        found[iri] = Figure(
            iri=iri, about=row.get("about"), measure=str(row.get("measure", "")),
            values={name: str(row[name]) for name in VALUE_FIELDS if name in row},
            population=str(row.get("population", "")), time_point=str(row.get("timePoint", "")),
            approximate=_true(row.get("approximate")), outcome=row.get("outcome"),
        )
    return found


def sentences(found: Mapping[str, Figure], lexicon: Lexicon, lay: bool = False) -> dict[str, str]:
    """The sentence of each figure, by IRI."""
    return {iri: figure.sentence(lexicon, lay) for iri, figure in found.items()}


def _true(value: object) -> bool:
    """A boolean of a row (typed by the store, or its text)."""
    return value is True or str(value).lower() in ("true", "1")

"""Cues for populations, settings and outcomes, built from the taxonomy files' synonyms.

A synonym that is a phrase of two or more words is strong evidence; a single word is weaker, and a
few single words say too little on their own (an outcome called "learning" or a population called
"trans" would tag half the register) and are left out.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from culturehub.vocabulary.tagger.lexicon import Cue

TAXONOMY_DIR = Path(__file__).resolve().parent.parent / "taxonomy"
SYNONYM_SCHEMES = ("populations", "settings", "outcomes")

# Single words that mean something else too often in charity and activity text.
AMBIGUOUS_WORDS = frozenset(
    {
        "black",
        "asian",
        "african",
        "caribbean",
        "trans",
        "gay",
        "queer",
        "pride",
        "college",
        "students",
        "residents",
        "surgery",
        "office",
        "teams",
        "studio",
        "studios",
        "digital",
        "remote",
        "recorded",
        "virtual",
        "benefits",
        "alcohol",
        "prison",
        "ward",
        "wards",
        "outside",
        "nature",
        "park",
        "parks",
        "garden",
        "male",
        "women",
        "men",
        "church",
        "chapel",
        "temple",
        "castle",
        "employer",
        "corporate",
        "sanctuary",
        "displaced",
        "dependency",
        "disabled",
        "disability",
        "deaf",
        "blind",
        "academy",
        "family",
        "families",
        "parents",
        "retired",
        "youth",
        "child",
        "children",
        "babies",
        "pharmacy",
        "outdoor",
        "outdoors",
        "theatre",
        "cinema",
        "archive",
        "museum",
        "museums",
        "gallery",
        "galleries",
        "library",
        "libraries",
        "grief",
        "bereavement",
        "school",
        "schools",
        "sober",
        "hostel",
        "military",
        "nurses",
        "doctors",
        "clinicians",
        "online",
        "mums",
        "dads",
        "fathers",
        "mothers",
        "girls",
        "pregnant",
        "pregnancy",
        "maternity",
        "inpatient",
        "inpatients",
        "outpatients",
        "paediatric",
        "hospital",
        "hospitals",
        "nursery",
        "nurseries",
        "playgroup",
        "preschool",
        "pre-school",
    }
)
STRONG_WEIGHT = 0.9
WEAK_WEIGHT = 0.75


def _synonym_weight(scheme: str, synonym: str) -> float | None:
    is_phrase = len(synonym.split()) > 1
    if is_phrase:
        return STRONG_WEIGHT
    if scheme == "outcomes" or synonym.lower() in AMBIGUOUS_WORDS:
        return None
    return WEAK_WEIGHT


def _term_cues(scheme: str, term: dict) -> list[Cue]:
    phrases = [term.get("label", ""), *term.get("synonyms", [])]
    found: dict[str, Cue] = {}
    for phrase in phrases:
        phrase = phrase.strip()
        weight = _synonym_weight(scheme, phrase)
        if phrase and weight is not None:
            found.setdefault(phrase.lower(), Cue(re.escape(phrase).replace(r"\ ", r"[\s-]+"), weight))
    return list(found.values())


@cache
def synonym_cues() -> dict[str, dict[str, list[Cue]]]:
    """{scheme: {term key: cues}} for the schemes whose cues come from the taxonomy files."""
    cues: dict[str, dict[str, list[Cue]]] = {}
    for scheme in SYNONYM_SCHEMES:
        document = yaml.safe_load((TAXONOMY_DIR / f"{scheme}.yaml").read_text(encoding="utf-8"))
        cues[scheme] = {term["key"]: _term_cues(scheme, term) for term in document["terms"]}
    return cues

"""UK-CAT, the UK charity classification: its hand-labelled sample and its own keyword rules.

The sample (`data/ukcat_sample_dev.csv`) is the tagger's main labelled data; the keyword rules
(`data/ukcat.csv`) are the baseline the tagger is measured against. Both are UK-CAT's work,
published under CC BY 4.0.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
SAMPLE_PATH = DATA_DIR / "ukcat_sample_dev.csv"
RULES_PATH = DATA_DIR / "ukcat.csv"
CULTURAL_PREFIXES = ("AR", "HR")
# Language teaching, building conservation and monuments are arts or heritage only sometimes, so a
# charity with no other arts or heritage code is left out of scoring "cultural".
AMBIGUOUS_CODES = frozenset({"AR103", "HR102", "HR104"})
ART_FORMS_BY_CODE: dict[str, tuple[str, ...]] = {
    "AR102": ("festivals",),
    "AR104": ("visual_arts",),
    "AR201": ("film",),
    "AR202": ("literature",),
    "AR301": ("singing",),
    "AR302": ("dance",),
    "AR303": ("music",),
    "AR304": ("theatre",),
    "AR305": ("music",),
    "AR306": ("music",),
    "AR307": ("theatre",),
    "HR101": ("heritage",),
    "HR103": ("heritage",),
    "HR105": ("museums",),
}
SCORED_ART_FORMS = tuple(sorted({form for forms in ART_FORMS_BY_CODE.values() for form in forms}))


def cultural_from_codes(codes: set[str]) -> bool | None:
    """True or False as UK-CAT's coders judged it; None where only ambiguous codes were given."""
    cultural = {code for code in codes if code.startswith(CULTURAL_PREFIXES)}
    if not cultural:
        return False
    if cultural <= AMBIGUOUS_CODES:
        return None
    return True


def art_forms_from_codes(codes: set[str]) -> set[str]:
    return {form for code in codes for form in ART_FORMS_BY_CODE.get(code, ())}


@dataclass(frozen=True)
class Charity:
    org_id: str
    name: str
    activities: str
    objects: str
    codes: frozenset[str]

    @property
    def cultural(self) -> bool | None:
        return cultural_from_codes(set(self.codes))

    @property
    def art_forms(self) -> set[str]:
        return art_forms_from_codes(set(self.codes))

    @property
    def text_fields(self) -> dict[str, str]:
        return {"name": self.name, "activities": self.activities, "objects": self.objects}


def read_sample(path: Path = SAMPLE_PATH) -> list[Charity]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Charity(
                org_id=row["org_id"],
                name=row["name"],
                activities=row["activities"],
                objects=row["objects"],
                codes=frozenset(code for code in row["UKCAT"].split(";") if code),
            )
            for row in csv.DictReader(handle)
        ]


@dataclass(frozen=True)
class KeywordRule:
    code: str
    include: re.Pattern
    exclude: re.Pattern | None


class KeywordRules:
    """UK-CAT's own regular expressions, applied as UK-CAT applies them: a code where the include
    expression matches the name, activities and objects and the exclude expression does not."""

    def __init__(self, path: Path = RULES_PATH):
        self.path = path

    @cached_property
    def rules(self) -> list[KeywordRule]:
        with self.path.open(encoding="utf-8", newline="") as handle:
            return [
                KeywordRule(
                    code=row["Code"],
                    include=re.compile(row["Regular expression"], re.IGNORECASE),
                    exclude=re.compile(row["Exclude regular expression"], re.IGNORECASE)
                    if row["Exclude regular expression"]
                    else None,
                )
                for row in csv.DictReader(handle)
                if row["Code"].startswith(CULTURAL_PREFIXES) and row["Regular expression"]
            ]

    def codes(self, text: str) -> set[str]:
        return {
            rule.code
            for rule in self.rules
            if rule.include.search(text) and not (rule.exclude and rule.exclude.search(text))
        }

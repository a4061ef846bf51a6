"""Training the tagger's heads from the labelled files kept in the repo.

Two labelled sets train it: UK-CAT's hand-coded charity sample (cultural, and the art forms its codes
name) and Culture Hub's own activity descriptions labelled by the rubric (cultural and all sixteen art
forms). Training is deterministic (fixed folds, a deterministic solver), so `culturehub train-tagger`
rebuilds the same `tagger_model.json` from the same data. Weights too small to change a decision are
dropped to keep the file small.
"""

from __future__ import annotations

import csv
import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from culturehub.vocabulary.tagger import lexicon, ukcat
from culturehub.vocabulary.tagger.engine import LABEL_THRESHOLD, join_text, read_evidence, reading_features
from culturehub.vocabulary.tagger.model import MODEL_PATH

ACTIVITIES_PATH = ukcat.DATA_DIR / "activities_dev.csv"
ALL_ART_FORMS = frozenset(lexicon.ART_FORM_CUES)
REGULARISATION = 1.0
SMALLEST_KEPT_WEIGHT = 0.05
FOLDS = 5
CULTURAL_THRESHOLD = 0.4
ART_FORM_THRESHOLD = 0.3
# A learned head needs enough examples to beat the lexicon, and must beat it by a clear margin.
MIN_POSITIVES_FOR_HEAD = 20
HEAD_MARGIN = 0.02


@dataclass(frozen=True)
class Example:
    id: str
    fields: tuple[tuple[str, str], ...]
    cultural: bool | None
    art_forms: frozenset[str] = frozenset()
    labelled_art_forms: frozenset[str] = ALL_ART_FORMS
    themes: frozenset[str] | None = None
    source: str = ""

    @property
    def field_values(self) -> dict[str, str]:
        return dict(self.fields)

    @property
    def name(self) -> str:
        return self.field_values.get("name", "")

    @cached_property
    def text(self) -> str:
        return join_text(**self.field_values)

    @cached_property
    def evidence(self):
        return read_evidence(self.text)

    @cached_property
    def features(self) -> dict[str, float]:
        return reading_features(self.text, self.name, self.evidence)

    def lexicon_says(self, art_form: str) -> bool:
        found = self.evidence["art_forms"].get(art_form)
        return bool(found and found.score >= LABEL_THRESHOLD)


def ukcat_examples(charities: Sequence[ukcat.Charity]) -> list[Example]:
    return [
        Example(
            id=charity.org_id,
            fields=tuple(charity.text_fields.items()),
            cultural=charity.cultural,
            art_forms=frozenset(charity.art_forms),
            labelled_art_forms=frozenset(ukcat.SCORED_ART_FORMS),
            source="ukcat",
        )
        for charity in charities
    ]


def _keys(value: str) -> frozenset[str]:
    return frozenset(key.strip() for key in value.split(";") if key.strip())


def activity_examples(path: Path = ACTIVITIES_PATH) -> list[Example]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Example(
                id=row["id"],
                fields=(("description", row["text"]),),
                cultural=row["cultural"].strip().lower() == "true",
                art_forms=_keys(row["art_forms"]),
                themes=_keys(row["themes"]),
                source="activities",
            )
            for row in csv.DictReader(handle)
        ]


def labelled_examples() -> list[Example]:
    return ukcat_examples(ukcat.read_sample()) + activity_examples()


def fold_of(example_id: str, folds: int = FOLDS) -> int:
    """A stable fold for each example, so every run splits the data the same way."""
    return zlib.crc32(example_id.encode("utf-8")) % folds


def fit_head(examples: Sequence[Example], labels: Sequence[bool], threshold: float) -> dict:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectoriser = DictVectorizer()
    matrix = vectoriser.fit_transform([example.features for example in examples])
    classifier = LogisticRegression(C=REGULARISATION, solver="lbfgs", max_iter=3000)
    classifier.fit(matrix, list(labels))
    weights = {
        name: round(float(weight), 4)
        for name, weight in zip(vectoriser.get_feature_names_out(), classifier.coef_[0], strict=True)
        if abs(weight) >= SMALLEST_KEPT_WEIGHT
    }
    return {
        "weights": dict(sorted(weights.items())),
        "bias": round(float(classifier.intercept_[0]), 4),
        "threshold": threshold,
    }


def cultural_training_set(examples: Sequence[Example]) -> list[Example]:
    return [example for example in examples if example.cultural is not None]


def art_form_training_set(examples: Sequence[Example], art_form: str) -> list[Example]:
    """Cultural examples whose labels say yes or no to this art form."""
    return [example for example in examples if example.cultural and art_form in example.labelled_art_forms]


@dataclass
class Counts:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    def add(self, predicted: bool, actual: bool) -> None:
        self.true_positive += predicted and actual
        self.false_positive += predicted and not actual
        self.false_negative += actual and not predicted

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 0.0

    @property
    def recall(self) -> float:
        actual = self.true_positive + self.false_negative
        return self.true_positive / actual if actual else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def _cross_validated_head_f1(examples: Sequence[Example], art_form: str) -> float:
    from culturehub.vocabulary.tagger.model import Head

    counts = Counts()
    for fold in range(FOLDS):
        training = [example for example in examples if fold_of(example.id) != fold]
        head = Head(**_art_form_head(training, art_form))
        for example in examples:
            if fold_of(example.id) == fold:
                counts.add(head.decide(example.features).yes, art_form in example.art_forms)
    return counts.f1


def _lexicon_f1(examples: Sequence[Example], art_form: str) -> float:
    counts = Counts()
    for example in examples:
        counts.add(example.lexicon_says(art_form), art_form in example.art_forms)
    return counts.f1


@dataclass
class TrainingReport:
    examples: int = 0
    choices: dict[str, str] = field(default_factory=dict)


def _art_form_head(subset: Sequence[Example], art_form: str) -> dict:
    return fit_head(subset, [art_form in example.art_forms for example in subset], ART_FORM_THRESHOLD)


def _choose_reader(subset: Sequence[Example], art_form: str) -> tuple[bool, str]:
    """Whether a learned head should read this art form, and why."""
    positives = sum(art_form in example.art_forms for example in subset)
    if positives < MIN_POSITIVES_FOR_HEAD:
        return False, f"lexicon ({positives} examples, too few for a learned head)"
    head_f1, lexicon_f1 = _cross_validated_head_f1(subset, art_form), _lexicon_f1(subset, art_form)
    if head_f1 >= lexicon_f1 + HEAD_MARGIN:
        return True, f"learned head (F1 {head_f1:.2f} against lexicon {lexicon_f1:.2f})"
    return False, f"lexicon (F1 {lexicon_f1:.2f} against learned head {head_f1:.2f})"


def train(
    examples: Sequence[Example],
    report: TrainingReport | None = None,
    learned_art_forms: set[str] | None = None,
) -> dict:
    """Fit every head. An art form gets a learned head only where cross-validation says it reads better
    than the lexicon, or, when `learned_art_forms` is given, exactly for those (so a benchmark can re-fit
    on each fold quickly)."""
    report = report if report is not None else TrainingReport()
    cultural = cultural_training_set(examples)
    report.examples = len(cultural)
    heads = {"cultural": fit_head(cultural, [bool(e.cultural) for e in cultural], CULTURAL_THRESHOLD)}
    for art_form in sorted(ALL_ART_FORMS):
        subset = art_form_training_set(examples, art_form)
        if learned_art_forms is None:
            learned, report.choices[art_form] = _choose_reader(subset, art_form)
        else:
            learned = art_form in learned_art_forms
        if learned:
            heads[f"art_form:{art_form}"] = _art_form_head(subset, art_form)
    return {
        "about": "Culture Hub tagger heads. Rebuild with `culturehub train-tagger`; do not edit by hand.",
        "examples": len(cultural),
        "heads": heads,
    }


def write_model(document: dict, path: Path = MODEL_PATH) -> None:
    text = json.dumps(document, indent=0, sort_keys=True, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")

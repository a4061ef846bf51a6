"""The learned part of the tagger: small linear models ("heads") over the text and the lexicon.

The `cultural` head says whether a text describes cultural work; an `art_form:<key>` head says
whether it works in that art form, for the art forms where cross-validation showed a learned head
reads better than the lexicon alone. Their features are the words and word pairs of the text and the
lexicon's art-form scores for the whole text and for the name on its own, so a head learns both how
registers phrase cultural work and how far to trust each cue. The heads are trained by
`culturehub train-tagger` from the labelled files in `data/` and stored in `tagger_model.json`;
scoring them needs nothing beyond the standard library.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MODEL_PATH = Path(__file__).resolve().parent / "tagger_model.json"
WORD = re.compile(r"[a-z][a-z']+")
# Words count for less than lexicon scores, so that a head leans on what the lexicon found.
WORD_WEIGHT = 0.5
MAX_REASONS = 3
# Words that move a head but explain nothing to a person reading the reasons.
UNEXPLAINING_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it", "its", "of",
    "on", "or", "our", "the", "their", "this", "through", "to", "we", "with",
})


class ModelMissing(Exception):
    """The trained model file is absent; it is rebuilt with `culturehub train-tagger`."""


def text_features(text: str) -> list[str]:
    """Words and adjacent word pairs, lower-cased and sorted (so every run adds them up in the same
    order and gives the same score to the last digit): what the heads read of a text."""
    words = WORD.findall(text.lower())
    return sorted({*words, *(f"{first} {second}" for first, second in zip(words, words[1:], strict=False))})


def features(text: str, text_scores: dict[str, float], name_scores: dict[str, float]) -> dict[str, float]:
    """Every feature of one text: its words, and the lexicon's art-form scores for it and its name."""
    found = dict.fromkeys(text_features(text), WORD_WEIGHT)
    found.update({f"art_form:{key}": score for key, score in text_scores.items()})
    found["art_form:any"] = max(text_scores.values(), default=0.0)
    found.update({f"name:{key}": score for key, score in name_scores.items()})
    found["name:any"] = max(name_scores.values(), default=0.0)
    return found


@dataclass(frozen=True)
class Decision:
    yes: bool
    probability: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Head:
    weights: dict[str, float]
    bias: float
    threshold: float

    def decide(self, found: dict[str, float]) -> Decision:
        weights = self.weights
        contributions = {name: value * weights[name] for name, value in found.items() if name in weights}
        probability = 1.0 / (1.0 + math.exp(-(self.bias + sum(contributions.values()))))
        yes = probability >= self.threshold
        return Decision(yes, probability, _reasons(contributions, towards=yes))


def _reasons(contributions: dict[str, float], towards: bool) -> tuple[str, ...]:
    """The words that pushed hardest towards the decision taken; lexicon features name their art form."""
    sign = 1 if towards else -1
    pushing = sorted(
        (item for item in contributions.items() if item[1] * sign > 0 and _explains(item[0])),
        key=lambda item: (-abs(item[1]), item[0]),
    )
    return tuple(_readable(name) for name, _ in pushing[:MAX_REASONS])


def _explains(feature: str) -> bool:
    return ":" in feature or not set(feature.split()) <= UNEXPLAINING_WORDS


def _readable(feature: str) -> str:
    kind, _, key = feature.partition(":")
    if kind == "art_form":
        return f"reads as {key.replace('_', ' ')}" if key != "any" else "names an art form"
    if kind == "name":
        return f"name says {key.replace('_', ' ')}" if key != "any" else "name names an art form"
    return feature


@dataclass(frozen=True)
class TaggerModel:
    heads: dict[str, Head]

    def head(self, name: str) -> Head | None:
        return self.heads.get(name)


def model_from_document(document: dict) -> TaggerModel:
    return TaggerModel({name: Head(**head) for name, head in document["heads"].items()})


@cache
def tagger_model(path: Path = MODEL_PATH) -> TaggerModel:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ModelMissing(f"{path} is missing: rebuild it with `culturehub train-tagger`.") from error
    return model_from_document(document)

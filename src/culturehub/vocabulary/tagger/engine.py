"""Reading a text for vocabulary labels, and deciding whether it describes cultural work."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from culturehub.vocabulary.tagger import lexicon
from culturehub.vocabulary.tagger.lexicon import Cue
from culturehub.vocabulary.tagger.model import Decision, TaggerModel, features, tagger_model
from culturehub.vocabulary.tagger.synonyms import synonym_cues

LABEL_THRESHOLD = 0.7
MAX_REASONS = 3
TEXT_FIELDS = ("name", "activities", "objects", "description")


@dataclass(frozen=True)
class Label:
    key: str
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Tagging:
    cultural: bool
    cultural_score: float
    cultural_reasons: tuple[str, ...]
    art_forms: tuple[Label, ...] = ()
    themes: tuple[Label, ...] = ()
    populations: tuple[Label, ...] = ()
    settings: tuple[Label, ...] = ()
    outcomes: tuple[Label, ...] = ()

    def keys(self, scheme: str) -> list[str]:
        return [label.key for label in getattr(self, scheme)]


@dataclass
class _Evidence:
    """The distinct phrases found for one label, and the strongest weight each carried."""

    phrases: dict[str, float] = field(default_factory=dict)

    def add(self, phrase: str, weight: float) -> None:
        key = phrase.lower()
        self.phrases[key] = max(weight, self.phrases.get(key, 0.0))

    @property
    def score(self) -> float:
        doubt = 1.0
        for weight in self.phrases.values():
            doubt *= 1.0 - weight
        return 1.0 - doubt

    def reasons(self) -> tuple[str, ...]:
        strongest = sorted(self.phrases.items(), key=lambda item: (-item[1], item[0]))
        return tuple(phrase for phrase, _ in strongest[:MAX_REASONS])


class _LabelReader:
    """One compiled pattern per weight for each label, so a text is read in a few passes."""

    def __init__(self, cues_by_key: dict[str, list[Cue]], blocker_kinds: tuple[str, ...]):
        self.patterns = {key: _compile_by_weight(cues) for key, cues in cues_by_key.items()}
        self.blocker_kinds = blocker_kinds

    def read(self, text: str, blocked: dict[str, list[tuple[int, int]]]) -> dict[str, _Evidence]:
        spans = [span for kind in self.blocker_kinds for span in blocked[kind]]
        found: dict[str, _Evidence] = {}
        for key, weighted in self.patterns.items():
            for weight, pattern in weighted:
                for match in pattern.finditer(text):
                    if not _inside_any(match.span(), spans):
                        found.setdefault(key, _Evidence()).add(match.group(0), weight)
        return found


def _compile_words(patterns: list[str]) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in patterns) + r")\b", re.IGNORECASE)


def _compile_by_weight(cues: list[Cue]) -> list[tuple[float, re.Pattern]]:
    by_weight: dict[float, list[str]] = {}
    for cue in cues:
        by_weight.setdefault(cue.weight, []).append(cue.pattern)
    return [
        (weight, _compile_words(patterns)) for weight, patterns in sorted(by_weight.items(), reverse=True)
    ]


def _spans(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    return [match.span() for match in pattern.finditer(text)]


def _inside_any(span: tuple[int, int], blocked: list[tuple[int, int]]) -> bool:
    start, end = span
    return any(b_start <= start and end <= b_end for b_start, b_end in blocked)


@cache
def _blockers() -> dict[str, re.Pattern]:
    return {
        "art_forms": _compile_words(lexicon.ART_FORM_BLOCKERS),
        "themes": _compile_words(lexicon.THEME_BLOCKERS),
    }


@cache
def _readers() -> dict[str, _LabelReader]:
    readers = {
        "art_forms": _LabelReader(lexicon.ART_FORM_CUES, ("art_forms",)),
        "themes": _LabelReader(lexicon.THEME_CUES, ("themes",)),
    }
    for scheme, cues_by_key in synonym_cues().items():
        readers[scheme] = _LabelReader(cues_by_key, ("art_forms", "themes"))
    return readers


def join_text(**fields: str | None) -> str:
    """The fields a person would read, in reading order, as one text."""
    return " . ".join(value.strip() for value in fields.values() if value and value.strip())


def read_evidence(text: str) -> dict[str, dict[str, _Evidence]]:
    """Every label's evidence in the text, by scheme, before any decision is made."""
    blocked = {kind: _spans(pattern, text) for kind, pattern in _blockers().items()}
    return {scheme: reader.read(text, blocked) for scheme, reader in _readers().items()}


def _labels(evidence: dict[str, _Evidence], threshold: float = LABEL_THRESHOLD) -> tuple[Label, ...]:
    labels = [
        Label(key, round(found.score, 3), found.reasons())
        for key, found in evidence.items()
        if found.score >= threshold
    ]
    return tuple(sorted(labels, key=lambda label: (-label.score, label.key)))


def _scores(evidence: dict[str, _Evidence]) -> dict[str, float]:
    return {key: found.score for key, found in evidence.items()}


def reading_features(text: str, name: str, evidence: dict[str, dict[str, _Evidence]]) -> dict[str, float]:
    """What the learned heads read: the text's words and the lexicon's art-form scores."""
    name_scores = _scores(read_evidence(name)["art_forms"]) if name else {}
    return features(text, _scores(evidence["art_forms"]), name_scores)


def _art_forms(
    model: TaggerModel, found: dict[str, float], evidence: dict[str, _Evidence]
) -> tuple[Label, ...]:
    """Each art form by its learned head where it has one, else by the lexicon; reasons are the
    phrases the lexicon found, or the words that moved the head."""
    labels = []
    for key in lexicon.ART_FORM_CUES:
        head = model.head(f"art_form:{key}")
        lexical = evidence.get(key)
        if head is None:
            if lexical and lexical.score >= LABEL_THRESHOLD:
                labels.append(Label(key, round(lexical.score, 3), lexical.reasons()))
            continue
        decision = head.decide(found)
        if decision.yes:
            reasons = lexical.reasons() if lexical else decision.reasons
            labels.append(Label(key, round(decision.probability, 3), reasons))
    labels = _singing_without_music(labels, evidence)
    return tuple(sorted(labels, key=lambda label: (-label.score, label.key)))


# Words that say only "music" in a choir's description; the rubric tags a choir `singing` and adds
# `music` only where other music-making is described.
CHORAL_MUSIC_WORDS = frozenset({"music", "musical", "concert", "concerts", "recital", "recitals", "musicians",
                                "musical groups", "ensemble", "ensembles"})


def _singing_without_music(labels: list[Label], evidence: dict[str, _Evidence]) -> list[Label]:
    keys = {label.key for label in labels}
    music = evidence.get("music")
    if "singing" in keys and "music" in keys and music and set(music.phrases) <= CHORAL_MUSIC_WORDS:
        return [label for label in labels if label.key != "music"]
    return labels


def _cultural(model: TaggerModel, found: dict[str, float], evidence: dict[str, _Evidence]) -> Decision:
    decision = model.heads["cultural"].decide(found)
    if not decision.yes:
        return decision
    phrases = [phrase for found_for in evidence.values() for phrase in found_for.reasons()]
    return Decision(
        True, decision.probability, tuple(dict.fromkeys(phrases))[:MAX_REASONS] or decision.reasons
    )


def tag_text(**fields: str | None) -> Tagging:
    """Tag the named text fields (name, activities, objects, description) as a careful reader would."""
    return tag_with(tagger_model(), **fields)


def tag_with(model: TaggerModel, **fields: str | None) -> Tagging:
    text = join_text(**fields)
    evidence = read_evidence(text)
    found = reading_features(text, fields.get("name") or "", evidence)
    cultural = _cultural(model, found, evidence["art_forms"])
    return Tagging(
        cultural=cultural.yes,
        cultural_score=round(cultural.probability, 3),
        cultural_reasons=cultural.reasons,
        art_forms=_art_forms(model, found, evidence["art_forms"]) if cultural.yes else (),
        themes=_labels(evidence["themes"]),
        populations=_labels(evidence["populations"]),
        settings=_labels(evidence["settings"]),
        outcomes=_labels(evidence["outcomes"]),
    )

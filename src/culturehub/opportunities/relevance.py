"""Judging a procurement notice `direct`, `adjacent` or `none` for the cultural sector, with themes.

The rubric (see data/README.md) asks what the contract is FOR, judged from title, description, CPV and
buyer together. A notice is read for three kinds of evidence (see `lexicon`): cultural work, a
person-centred service in a priority area, and a commodity (works, equipment, cleaning, clinical care...).
The title says what is bought, so a commodity in the title decides the notice is `none` even at a museum;
the description, CPV codes and buyer weigh in with less force. Themes are read with the organisation
tagger's own theme phrases and blockers, so a notice and an organisation are tagged alike; only the
theme reader is run (not the tagger's every scheme), which keeps a large import fast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from re import _constants as re_constants
from re import _parser as re_parser

from culturehub.opportunities import lexicon
from culturehub.opportunities.ocds import release_text
from culturehub.vocabulary.models import THEME_KEYS
from culturehub.vocabulary.tagger import engine as tagger_engine
from culturehub.vocabulary.tagger import lexicon as tagger_lexicon
from culturehub.vocabulary.tagger.lexicon import Cue
from culturehub.vocabulary.tagger.model import features, tagger_model

DIRECT, ADJACENT, NONE = "direct", "adjacent", "none"
THEMES = THEME_KEYS
# How much less a phrase in the description says than the same phrase in the title.
BODY_DISCOUNT = 0.75
# How many distinct phrases count: a long description full of weak words is not strong evidence.
TOP_PHRASES = 3
DIRECT_THRESHOLD = 0.85
ADJACENT_THRESHOLD = 0.85
TITLE_COMMODITY_DECIDES = 0.9
THEME_THRESHOLD = 0.85
# Long notices repeat their description in every lot; past this many characters a notice says nothing
# new about what it buys, and reading further only slows a run of a hundred thousand notices.
MAX_BODY_CHARS = 2000
MAX_THEME_CHARS = 1500
MAX_REASONS = 4


@dataclass(frozen=True)
class Judgement:
    relevance: str
    themes: tuple[str, ...]
    score: float  # how sure the notice is relevant (direct or adjacent), 0 to 1
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class _Found:
    score: float
    phrases: tuple[str, ...]


class _Reader:
    """One compiled pattern per weight; phrases inside a blocker do not count."""

    def __init__(self, found_cues: list[Cue], blockers: list[str]):
        by_weight: dict[float, list[str]] = {}
        for cue in found_cues:
            by_weight.setdefault(cue.weight, []).append(cue.pattern)
        self.patterns = [
            (weight, _words(patterns)) for weight, patterns in sorted(by_weight.items(), reverse=True)
        ]
        self.blocker = _words(blockers) if blockers else None

    # Texts are lower-cased once by `judge`, so the patterns need no case-insensitive matching.

    def read(self, text: str, discount: float = 1.0, blocked: list[tuple[int, int]] | None = None) -> _Found:
        """`blocked` may give the blocker's spans in `text` when the caller has them already."""
        if not text:
            return _Found(0.0, ())
        phrases: dict[str, float] = {}
        for weight, pattern in self.patterns:
            for match in pattern.finditer(text):
                if blocked is None:
                    # Most texts hold no cue at all, so the blockers are looked for only once one is found.
                    blocked = self.blocked_spans(text)
                start, end = match.span()
                if any(b_start <= start and end <= b_end for b_start, b_end in blocked):
                    continue
                phrase = match.group(0)
                phrases[phrase] = max(weight, phrases.get(phrase, 0.0))
        strongest = sorted(phrases.items(), key=lambda item: (-item[1], item[0]))[:TOP_PHRASES]
        return _Found(_either(weight * discount for _, weight in strongest), tuple(p for p, _ in strongest))

    def blocked_spans(self, text: str) -> list[tuple[int, int]]:
        return [match.span() for match in self.blocker.finditer(text)] if self.blocker else []


def _words(patterns: list[str] | tuple[str, ...]) -> re.Pattern:
    return _quick(re.compile(r"\b(?:" + "|".join(f"(?:{p.lower()})" for p in patterns) + r")\b"))


def _quick(pattern: re.Pattern) -> re.Pattern:
    """The same pattern, matching the same text, led by the characters a match can start with.

    Saying so lets the pattern pass over every other place in a text (the end of each word, above
    all) at one test instead of trying each of its phrases there. Flags (ignoring case) apply to the
    lead as to the rest."""
    first = _first_characters(re_parser.parse(pattern.pattern, pattern.flags).data)
    if first is None or first[1]:
        return pattern
    lead = "".join(re.escape(char) for char in sorted(first[0]))
    return re.compile(f"(?=[{lead}])" + pattern.pattern, pattern.flags)


def _first_characters(items) -> tuple[set[str], bool] | None:
    """The characters a match of the parsed pattern can start with, and whether it can match nothing;
    None where the pattern holds something this does not follow (a back-reference, say)."""
    found: set[str] = set()
    for op, value in items:
        if op is re_constants.AT:
            continue
        if op is re_constants.LITERAL:
            return found | {chr(value)}, False
        if op is re_constants.IN:
            for kind, member in value:
                if kind is re_constants.LITERAL:
                    found.add(chr(member))
                elif kind is re_constants.RANGE:
                    found.update(chr(code) for code in range(member[0], member[1] + 1))
                else:
                    return None
            return found, False
        if op is re_constants.SUBPATTERN:
            parts = [value[3]]
        elif op is re_constants.BRANCH:
            parts = value[1]
        elif op in (re_constants.MAX_REPEAT, re_constants.MIN_REPEAT):
            parts = [value[2]]
        else:
            return None
        can_be_empty = op not in (re_constants.SUBPATTERN, re_constants.BRANCH) and value[0] == 0
        for part in parts:
            inner = _first_characters(part)
            if inner is None:
                return None
            found |= inner[0]
            can_be_empty = can_be_empty or inner[1]
        if not can_be_empty:
            return found, False
    return found, True


def _either(weights) -> float:
    """The chance at least one piece of independent evidence is right."""
    doubt = 1.0
    for weight in weights:
        doubt *= 1.0 - weight
    return 1.0 - doubt


@cache
def _readers() -> dict[str, _Reader]:
    return {
        "cultural": _Reader(lexicon.CULTURAL_CUES, lexicon.CULTURAL_BLOCKERS),
        "service": _Reader(lexicon.SERVICE_CUES, []),
        "commodity": _Reader(lexicon.COMMODITY_CUES, []),
        "clinical": _Reader(lexicon.CLINICAL_CUES, []),
    }


@cache
def _theme_readers() -> dict[str, _Reader]:
    return {
        key: _Reader(theme_cues, tagger_lexicon.THEME_BLOCKERS)
        for key, theme_cues in tagger_lexicon.THEME_CUES.items()
        if key in THEMES
    }


@cache
def _cultural_buyer() -> re.Pattern:
    return _words(lexicon.CULTURAL_BUYER)


def _cpv_weight(codes: list[str], table: dict[str, float]) -> tuple[float, str]:
    """The strongest weight any code earns from the table (longest prefix wins), and that code."""
    best, best_code = 0.0, ""
    for code in codes:
        for length in range(len(code), 1, -1):
            weight = table.get(code[:length])
            if weight is not None:
                if weight > best:
                    best, best_code = weight, code
                break
    return best, best_code


def judge_release(release: dict) -> Judgement:
    return judge(release_text(release))


def judge_opportunity(*, compiled: dict, lots: list[dict], buyer_name: str) -> Judgement:
    """The relevance of a whole contracting process, read from its compiled title, description and lots,
    so a process is judged on everything its notices have said, not on its latest notice alone."""
    return judge({
        "title": compiled.get("title", ""),
        "description": compiled.get("description", ""),
        "lots": " . ".join(part for lot in lots for part in (lot["title"], lot["description"]) if part),
        "cpv_codes": " ".join(compiled.get("cpv_codes", [])),
        "buyer": buyer_name,
    })


def art_forms_of(*, title: str, description: str) -> list[str]:
    """The art forms the organisation tagger reads in a notice (`tag_text(name=title, description=...)`
    gives the same), asked only of relevant notices. Only the tagger's art-form scheme is read: its
    other schemes play no part in art forms and would make reading a notice several times slower."""
    model = tagger_model()
    text = tagger_engine.join_text(name=title, description=description[:MAX_THEME_CHARS])
    evidence = _art_form_evidence(text)
    name_scores = _art_form_scores(_art_form_evidence(title)) if title else {}
    found = features(text, _art_form_scores(evidence), name_scores)
    if not model.heads["cultural"].decide(found).yes:
        return []
    return [label.key for label in tagger_engine._art_forms(model, found, evidence)]


@cache
def _art_form_readers() -> tuple[dict[str, list[tuple[float, re.Pattern]]], re.Pattern]:
    """The tagger's art-form patterns and blockers, each told where a match can start (see `_quick`).

    Built from the tagger's own pieces so the art forms stay the tagger's; test_relevance_reading
    checks them against `tag_text` on every bundled notice."""
    patterns = {
        key: [(weight, _quick(pattern)) for weight, pattern in tagger_engine._compile_by_weight(cues)]
        for key, cues in tagger_lexicon.ART_FORM_CUES.items()
    }
    return patterns, _quick(tagger_engine._compile_words(tagger_lexicon.ART_FORM_BLOCKERS))


def _art_form_evidence(text: str) -> dict[str, tagger_engine._Evidence]:
    """What the tagger's art-form reader finds in the text, phrase for phrase."""
    patterns, blocker = _art_form_readers()
    found: dict[str, tagger_engine._Evidence] = {}
    blocked = None
    for key, weighted in patterns.items():
        for weight, pattern in weighted:
            for match in pattern.finditer(text):
                if blocked is None:
                    blocked = [span.span() for span in blocker.finditer(text)]
                if not tagger_engine._inside_any(match.span(), blocked):
                    found.setdefault(key, tagger_engine._Evidence()).add(match.group(0), weight)
    return found


def _art_form_scores(evidence: dict[str, tagger_engine._Evidence]) -> dict[str, float]:
    return {key: found.score for key, found in evidence.items()}


def judge(text: dict[str, str]) -> Judgement:
    """The relevance of a notice from the fields `ocds.release_text` gives."""
    readers = _readers()
    title = text.get("title", "").lower()
    parts = (text.get("description", ""), text.get("lots", ""), text.get("items", ""))
    body = " . ".join(dict.fromkeys(part for part in parts if part)).lower()[:MAX_BODY_CHARS]
    codes = text.get("cpv_codes", "").split()
    title_found = {kind: reader.read(title) for kind, reader in readers.items() if kind != "clinical"}
    subject = _subject(title, body, title_found)
    found = {
        kind: (
            title_found[kind] if subject == title and kind in title_found else reader.read(subject),
            reader.read(body, BODY_DISCOUNT),
        )
        for kind, reader in readers.items()
    }
    clinical = found.pop("clinical")
    cpv = {
        "cultural": _cpv_weight(codes, lexicon.CULTURAL_CPV),
        "service": _cpv_weight(codes, lexicon.SERVICE_CPV),
        "commodity": _cpv_weight(codes, lexicon.COMMODITY_CPV),
    }
    buyer = text.get("buyer", "")
    cultural_buyer = bool(buyer and _cultural_buyer().search(buyer.lower()))

    cultural = _either(
        [
            found["cultural"][0].score,
            found["cultural"][1].score,
            cpv["cultural"][0] * 0.9,
            0.5 if cultural_buyer else 0.0,
        ]
    )
    service = _either([found["service"][0].score, found["service"][1].score, cpv["service"][0] * 0.6])
    commodity_title = found["commodity"][0].score
    commodity = _either([commodity_title, found["commodity"][1].score * 0.8, cpv["commodity"][0] * 0.7])

    reasons: list[str] = []
    clinical_phrases = _phrases(clinical)
    if commodity_title >= TITLE_COMMODITY_DECIDES:
        relevance = NONE
        reasons.append(f"what is bought: {', '.join(found['commodity'][0].phrases[:2])}")
    elif cultural >= DIRECT_THRESHOLD and cultural > commodity:
        relevance = DIRECT
    elif (
        service >= ADJACENT_THRESHOLD
        and service > commodity
        and len(clinical_phrases) < lexicon.CLINICAL_VETO_PHRASES
    ):
        relevance = ADJACENT
    else:
        relevance = NONE
        if service >= ADJACENT_THRESHOLD and len(clinical_phrases) >= lexicon.CLINICAL_VETO_PHRASES:
            reasons.append(f"clinical or care service: {', '.join(clinical_phrases[:3])}")
        elif commodity >= max(cultural, service) and commodity > 0:
            bought = ", ".join(_phrases(found["commodity"])[:2]) or f"CPV {cpv['commodity'][1]}"
            reasons.append(f"what is bought: {bought}")
        elif max(cultural, service) < 0.5:
            reasons.append("no cultural work or priority service found")
    relevant = max(cultural, service)
    # A notice judged `none` never outranks one judged relevant.
    if relevance == NONE:
        relevant = min(relevant * (1.0 - commodity_title), DIRECT_THRESHOLD - 0.01)
    score = relevant
    reasons.extend(_evidence_reasons(found, cpv, cultural_buyer, buyer))
    themes = _themes(text.get("title", ""), text.get("description", "")) if relevance != NONE else ()
    return Judgement(relevance, themes, round(score, 3), tuple(reasons[:MAX_REASONS]))


def _subject(title: str, body: str, title_found: dict[str, _Found]) -> str:
    """What the notice buys: its title, and where the title says nothing ("Invitation to tender"),
    the description's first sentence too."""
    if any(found.score >= 0.5 for found in title_found.values()):
        return title
    first_sentence = re.split(r"(?<=[.!?])\s|\n", body.strip(), maxsplit=1)[0][:300]
    return f"{title} . {first_sentence}"


def _phrases(pair: tuple[_Found, _Found]) -> list[str]:
    return list(dict.fromkeys([*pair[0].phrases, *pair[1].phrases]))


def _evidence_reasons(found, cpv, cultural_buyer: bool, buyer: str) -> list[str]:
    reasons = []
    for kind, label in (("cultural", "cultural work"), ("service", "priority service")):
        phrases = _phrases(found[kind])
        if phrases:
            reasons.append(f"{label}: {', '.join(phrases[:3])}")
        if cpv[kind][0]:
            reasons.append(f"{label} CPV {cpv[kind][1]}")
    if cultural_buyer:
        reasons.append(f"cultural buyer: {buyer[:60]}")
    return reasons


def _themes(title: str, description: str) -> tuple[str, ...]:
    """Priority themes the tagger reads in the notice's title and description, strongest first."""
    text = f"{title} . {description[:MAX_THEME_CHARS]}".lower()
    readers = _theme_readers()
    # Every theme has the same blockers, so their spans are found once for all the themes.
    blocked = next(iter(readers.values())).blocked_spans(text) if readers else []
    scored = ((key, reader.read(text, blocked=blocked).score) for key, reader in readers.items())
    ranked = sorted(
        ((key, score) for key, score in scored if score >= THEME_THRESHOLD),
        key=lambda item: (-item[1], item[0]),
    )
    return tuple(key for key, _ in ranked)

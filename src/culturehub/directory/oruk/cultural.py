"""Is an imported service arts, culture or heritage? A first, explainable rule.

A council's directory lists every kind of service (debt advice, bin collections, carers' support);
Culture Hub keeps them all but flags the cultural ones. The rule: a service is cultural when its
name, description or taxonomy terms contain an art form's label or one of its synonyms from the
shared vocabulary (`vocabulary/taxonomy/art_forms.yaml`), as a whole word or phrase, in any case.

Some synonyms are everyday words in other services ("collection", "writing", "sound", "events",
"history"); on their own they flag too much, so NOT_ON_THEIR_OWN leaves them out of the rule. A
better tagger arrives later; this function is the one place to replace.
"""

from __future__ import annotations

import re
from functools import cache

import yaml

from culturehub.vocabulary.services import TAXONOMY_DIR

# Art form synonyms that, in a general services directory, mostly mean something else.
NOT_ON_THEIR_OWN = frozenset(
    {
        "app", "ar", "archive", "archives", "band", "books", "camera", "cameras", "celebration", "clay",
        "coding", "collection", "collections", "community event", "creative", "creativity", "dig",
        "digital", "digital help", "editing", "eid", "diwali", "ensemble", "events", "fair", "fete",
        "games", "gaming", "gig", "harmony", "history", "immersive", "instruments", "ipad", "literacy",
        "media", "memories", "movement", "objects", "paint", "perform", "performance", "plays", "pride",
        "printing", "radio", "reading", "records office", "role play", "script", "social media", "sound",
        "stories", "strings", "tablet", "video", "voice", "vr", "writing", "installation", "makers",
    }
)

# "State of the art" is not about art.
STATE_OF_THE_ART = re.compile(r"state[\s-]of[\s-]the[\s-]art", re.IGNORECASE)


@cache
def art_form_words() -> tuple[str, ...]:
    """The art forms' labels and synonyms that count, longest first so phrases win over words."""
    document = yaml.safe_load((TAXONOMY_DIR / "art_forms.yaml").read_text(encoding="utf-8"))
    words = set()
    for term in document["terms"]:
        for word in [term["label"], *term.get("synonyms", [])]:
            word = str(word).strip().lower()
            if word and word not in NOT_ON_THEIR_OWN:
                words.add(word)
    return tuple(sorted(words, key=lambda word: (-len(word), word)))


@cache
def _pattern() -> re.Pattern:
    alternatives = "|".join(re.escape(word) for word in art_form_words())
    return re.compile(rf"(?<![\w-])({alternatives})(?![\w-])", re.IGNORECASE)


def service_is_cultural(text: str) -> tuple[bool, list[str]]:
    """Whether the text describes an arts, culture or heritage service, and the words that say so."""
    matched = []
    text = STATE_OF_THE_ART.sub(" ", text or "")
    for match in _pattern().finditer(text):
        word = match.group(1).lower()
        if word not in matched:
            matched.append(word)
    return bool(matched), matched

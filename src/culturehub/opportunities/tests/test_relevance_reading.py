"""The quicker readings of a notice give exactly what the slower ones give: the art forms the whole
organisation tagger reads, and the same matches from patterns told where a match can start."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from culturehub.opportunities.compiling import compile_releases
from culturehub.opportunities.relevance import _quick, _words, art_forms_of
from culturehub.vocabulary.tagger.engine import tag_text

DATA = Path(__file__).resolve().parent.parent / "data"


def _bundled_texts() -> list[tuple[str, str]]:
    texts = []
    for name in ("releases_pages_dev.json", "releases_wales_scotland.json"):
        for release in json.loads((DATA / name).read_text())["releases"]:
            compiled, lots = compile_releases([release])
            texts.append((compiled["title"], compiled["description"]))
            texts += [(lot["title"], lot["description"]) for lot in lots]
    return texts


def test_art_forms_of_every_bundled_notice_are_the_organisation_taggers():
    texts = _bundled_texts()
    found = [art_forms_of(title=title, description=description) for title, description in texts]
    assert found == [
        tag_text(name=title, description=description[:1500]).keys("art_forms") for title, description in texts
    ]
    assert sum(1 for forms in found if forms) > 20  # the comparison covers notices with art forms


@pytest.mark.parametrize("pattern", [
    r"\b(?:(?:arts? (programmes?|projects?))|(?:(the )?arts)|(?:caf(e|é)s?)|(?:\biapt\b))\b",
    r"\b(?:(?:x?music)|(?:[dD]ance)|(?:theatres?))\b",
])
@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
def test_a_quick_pattern_finds_what_the_plain_one_finds(pattern, flags):
    plain = re.compile(pattern, flags)
    quick = _quick(plain)
    assert quick.pattern != plain.pattern  # a lead was added
    text = ("The ARTS programme, café; Theatre and xmusic: IAPT, the arts. Dance! Kelvin \u212a ſtreet "
            "İstanbul music-making theatres") * 3
    assert [m.span() for m in quick.finditer(text)] == [m.span() for m in plain.finditer(text)]
    lower = text.lower()
    assert [m.span() for m in quick.finditer(lower)] == [m.span() for m in plain.finditer(lower)]


def test_a_pattern_that_can_start_anywhere_is_left_as_it_is():
    for pattern in (r"\b(?:(?:a)?)\b", r"(?=x)abc", r"\w+ing", r".arts"):
        plain = re.compile(pattern)
        assert _quick(plain) is plain
    assert _words(["arts"]).pattern.startswith("(?=[a])")

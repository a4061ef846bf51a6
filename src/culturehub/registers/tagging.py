"""The registers' side of the shared tagger: keeping a Tagging with the record, and applying it.

The tagger (`culturehub.vocabulary.tagger`) reads a charity's name, activities and objects. For the
Arts Council and museum registers the register itself says the organisation is cultural and what its
art form is, so a Tagging is built from the register's own words rather than guessed from text.
"""

from __future__ import annotations

from typing import Any

from culturehub.vocabulary.tagger import Label, Tagging

SCHEMES = ("art_forms", "themes", "populations", "settings", "outcomes")


def tagging_from_register(*, reason: str, art_forms: dict[str, str]) -> Tagging:
    """A register's own statement: cultural, with these art forms ({key: the register's words})."""
    return Tagging(
        cultural=True,
        cultural_score=1.0,
        cultural_reasons=(reason,),
        art_forms=tuple(Label(key, 1.0, (words,)) for key, words in art_forms.items()),
    )


def tagging_as_data(tagging: Tagging | None) -> dict[str, Any] | None:
    """A Tagging as JSON, kept on the record so the listing can show why it was judged cultural."""
    if tagging is None:
        return None
    data: dict[str, Any] = {
        "cultural": bool(tagging.cultural),
        "cultural_score": float(tagging.cultural_score),
        "cultural_reasons": list(tagging.cultural_reasons),
    }
    for scheme in SCHEMES:
        data[scheme] = [
            [label.key, float(label.score), list(label.reasons)] for label in getattr(tagging, scheme)
        ]
    return data


def tagging_keys(tagging: Tagging | None) -> dict[str, Any] | None:
    """What a tagging decided: cultural or not, and the keys in each scheme."""
    if tagging is None:
        return None
    return {
        "cultural": bool(tagging.cultural),
        **{scheme: sorted(label.key for label in getattr(tagging, scheme)) for scheme in SCHEMES},
    }


def tagging_from_data(data: dict[str, Any] | None) -> Tagging | None:
    if not data:
        return None
    return Tagging(
        cultural=data["cultural"],
        cultural_score=data["cultural_score"],
        cultural_reasons=tuple(data["cultural_reasons"]),
        **{
            scheme: tuple(Label(key, score, tuple(reasons)) for key, score, reasons in data.get(scheme, []))
            for scheme in SCHEMES
        },
    )

"""Keeping the tagger's labels on directory records, and people's corrections, which win.

`apply_tagging` stores what the tagger read (replacing only its own earlier labels); `tag_correct`
records a person's decision that a term does or does not apply; `tags_for` shows the result: every
term a person confirmed, plus every tagger term no person has rejected, with its score and reasons.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from culturehub.core.permissions import require
from culturehub.vocabulary.models import AssignedTag, Term
from culturehub.vocabulary.tagger import Tagging

TAGGED_SCHEMES = ("art_forms", "themes", "populations", "settings", "outcomes")
CANNOT_CORRECT = "Only the record's owners and administrators can correct its tags."


def _object_filter(obj) -> dict:
    return {"content_type": ContentType.objects.get_for_model(obj), "object_id": str(obj.pk)}


def _terms_by_scheme_and_key(tagging: Tagging) -> dict[tuple[str, str], Term]:
    keys = {(scheme, label.key) for scheme in TAGGED_SCHEMES for label in getattr(tagging, scheme)}
    wanted = {key for _, key in keys}
    terms = Term.objects.current().filter(key__in=wanted).select_related("scheme")
    return {(term.scheme.key, term.key): term for term in terms if (term.scheme.key, term.key) in keys}


@transaction.atomic
def apply_tagging(obj, tagging: Tagging) -> int:
    """Replace the tagger's labels on `obj` with this tagging's; returns how many labels it stored.

    The tagger is not a user, so no permission applies; people's decisions are left untouched.
    """
    where = _object_filter(obj)
    AssignedTag.objects.filter(source=AssignedTag.Source.TAGGER, **where).delete()
    terms = _terms_by_scheme_and_key(tagging)
    rows = [
        AssignedTag(
            term=terms[(scheme, label.key)],
            source=AssignedTag.Source.TAGGER,
            score=label.score,
            reasons=list(label.reasons),
            **where,
        )
        for scheme in TAGGED_SCHEMES
        for label in getattr(tagging, scheme)
        if (scheme, label.key) in terms
    ]
    AssignedTag.objects.bulk_create(rows)
    return len(rows)


def can_correct_tags(user, obj) -> bool:
    """Owners of the record (or of the offer's organisation) and administrators."""
    from culturehub.directory.models import Offer, Organisation
    from culturehub.directory.selectors import organisation_can_edit

    if not (user and user.is_authenticated):
        return False
    if isinstance(obj, Offer):
        obj = obj.organisation
    return isinstance(obj, Organisation) and organisation_can_edit(user=user, organisation=obj)


def tag_correct(*, user, obj, term: Term, applies: bool) -> AssignedTag:
    """Record a person's decision that `term` does (or does not) apply to `obj`."""
    require(can_correct_tags(user, obj), CANNOT_CORRECT)
    tag, _ = AssignedTag.objects.update_or_create(
        term=term,
        source=AssignedTag.Source.PERSON,
        **_object_filter(obj),
        defaults={"applies": applies, "decided_by": user, "score": None, "reasons": []},
    )
    return tag


@dataclass(frozen=True)
class ShownTag:
    term: Term
    by_person: bool
    score: float | None
    reasons: tuple[str, ...]


def correctable_terms() -> list[tuple[str, list[Term]]]:
    """Current terms of the tagged schemes, grouped by scheme label, for a person to choose from."""
    terms = Term.objects.current().filter(scheme__key__in=TAGGED_SCHEMES).select_related("scheme")
    grouped: dict[str, list[Term]] = {}
    for term in terms:
        grouped.setdefault(term.scheme.label, []).append(term)
    return list(grouped.items())


def tags_for(obj) -> dict[str, list[ShownTag]]:
    """The terms on `obj` by scheme: people's decisions first, then the tagger's where no one disagreed."""
    rows = AssignedTag.objects.filter(**_object_filter(obj)).select_related("term__scheme")
    decided = {row.term_id: row for row in rows if row.source == AssignedTag.Source.PERSON}
    shown: dict[str, list[ShownTag]] = {}
    for row in sorted(
        rows, key=lambda r: (r.source != AssignedTag.Source.PERSON, -(r.score or 0), r.term.key)
    ):
        person = decided.get(row.term_id)
        if row.source == AssignedTag.Source.TAGGER and person is not None:
            continue
        if row.applies:
            shown.setdefault(row.term.scheme.key, []).append(
                ShownTag(row.term, row.source == AssignedTag.Source.PERSON, row.score, tuple(row.reasons))
            )
    return shown

"""Changing opportunities' data by hand: commissioners' relevance flags.

The notices themselves change only by import (see importer.py); people add their judgement beside them.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from culturehub.core.permissions import require

from .models import Opportunity, Relevance, RelevanceFlag
from .selectors import relevance_flag_can_set

RELEVANCE_MISSING = "Select whether the notice is cultural work, work the sector could join, or neither"
NOTE_LENGTH = RelevanceFlag._meta.get_field("note").max_length
FLAGGERS_ONLY = "Only commissioners and administrators can flag whether a notice is for the cultural sector."


@transaction.atomic
def relevance_flag_set(*, user, opportunity: Opportunity, relevance: str, note: str = "") -> RelevanceFlag:
    """Record this person's view of the notice's relevance; a second flag replaces their first."""
    require(relevance_flag_can_set(user=user), FLAGGERS_ONLY)
    note = (note or "").strip()
    errors = {}
    if relevance not in Relevance.values:
        errors["relevance"] = RELEVANCE_MISSING
    if len(note) > NOTE_LENGTH:
        errors["note"] = f"The note must be {NOTE_LENGTH} characters or fewer"
    if errors:
        raise ValidationError(errors)
    flag = RelevanceFlag.objects.select_for_update().filter(opportunity=opportunity, flagged_by=user).first()
    if flag is None:
        return RelevanceFlag.objects.create(
            opportunity=opportunity, flagged_by=user, relevance=relevance, note=note
        )
    if (flag.relevance, flag.note) != (relevance, note):
        flag.relevance, flag.note = relevance, note
        flag.save(update_fields=["relevance", "note", "updated_at"])
    return flag

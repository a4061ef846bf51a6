"""Saving, changing and deleting a person's saved searches. Each checks the search is the person's own."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from culturehub.core.permissions import require
from culturehub.opportunities.models import SavedSearch
from culturehub.opportunities.saved_selectors import saved_search_limit, saved_search_limit_reached
from culturehub.opportunities.search import form_from_query

NAME_LENGTH = SavedSearch._meta.get_field("name").max_length
NAME_MISSING = "Enter a name for the search"
NAME_TOO_LONG = f"Enter a name of {NAME_LENGTH} characters or fewer"
FREQUENCY_MISSING = "Choose how often you want emails, or ‘No emails’"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _require_owner(user, saved_search: SavedSearch) -> None:
    require(
        bool(user and user.is_authenticated and saved_search.owner_id == user.pk),
        "You can only change your own saved searches.",
    )


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": NAME_MISSING})
    if len(name) > NAME_LENGTH:
        raise ValidationError({"name": NAME_TOO_LONG})
    return name


def _check_frequency(frequency: str) -> str:
    if frequency not in SavedSearch.Frequency.values:
        raise ValidationError({"frequency": FREQUENCY_MISSING})
    return frequency


@transaction.atomic
def saved_search_create(*, user, name: str, frequency: str, query: dict[str, list[str]]) -> SavedSearch:
    """Save a search from the list page. Alerts cover only what first matches from now on: the person
    has just seen what matches already."""
    require(bool(user and user.is_authenticated), "Sign in to save a search.")
    if not form_from_query(query).is_valid():
        raise ValidationError(
            "This search has a problem. Go back to the list of opportunities and fix it first."
        )
    # Lock the person's row so that two saves at once cannot both pass the limit.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if saved_search_limit_reached(user=user):
        raise ValidationError(
            f"You already have {saved_search_limit()} saved searches, the most you can keep. Delete one you "
            "no longer need from ‘Your saved searches’, then save this one."
        )
    return SavedSearch.objects.create(
        owner=user,
        name=_check_name(name),
        frequency=_check_frequency(frequency),
        query={key: [str(value) for value in values] for key, values in query.items()},
        feed_token=_new_token(),
        alerts_from=timezone.now(),
    )


def saved_search_update(*, user, saved_search: SavedSearch, name: str, frequency: str) -> SavedSearch:
    """Rename a search or change how often it emails. Turning emails back on starts from now, so the
    person is not sent everything that matched while they were off."""
    _require_owner(user, saved_search)
    name, frequency = _check_name(name), _check_frequency(frequency)
    if saved_search.frequency == SavedSearch.Frequency.NEVER and frequency != SavedSearch.Frequency.NEVER:
        saved_search.alerts_from = timezone.now()
    saved_search.name, saved_search.frequency = name, frequency
    saved_search.save()
    return saved_search


def saved_search_delete(*, user, saved_search: SavedSearch) -> None:
    """Delete a search, its alert history and its feeds."""
    _require_owner(user, saved_search)
    saved_search.delete()


def saved_search_token_replace(*, user, saved_search: SavedSearch) -> SavedSearch:
    """Give the search new feed addresses; the old ones stop working at once."""
    _require_owner(user, saved_search)
    saved_search.feed_token = _new_token()
    saved_search.save(update_fields=["feed_token", "updated_at"])
    return saved_search

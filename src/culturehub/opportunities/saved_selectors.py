"""Reading saved searches: a person's own only, what a search finds, and its filters in words."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, QueryDict
from django.urls import reverse

from culturehub.opportunities.models import Opportunity, SavedSearch
from culturehub.opportunities.search import (
    DEADLINE_CHOICES,
    OpportunitySearchForm,
    form_from_query,
    opportunity_search,
)

FEED_LIMIT = 100
DEFAULT_LIMIT = 50


def saved_search_limit() -> int:
    """The most saved searches one person may keep."""
    return getattr(settings, "SAVED_SEARCHES_PER_PERSON", DEFAULT_LIMIT)


def saved_search_limit_reached(*, user) -> bool:
    return saved_search_list_for_user(user=user).count() >= saved_search_limit()


def saved_search_list_for_user(*, user) -> QuerySet[SavedSearch]:
    if not (user and user.is_authenticated):
        return SavedSearch.objects.none()
    return SavedSearch.objects.filter(owner=user).order_by("name", "pk")


def saved_search_get(*, user, pk: int) -> SavedSearch:
    """The person's own saved search; anyone else's is "not found", so its existence is not revealed."""
    found = saved_search_list_for_user(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404("No saved search of yours has that number.")
    return found


def saved_search_get_by_token(*, token: str) -> SavedSearch:
    """For feeds, which have no signed-in person: the token is the key. A deactivated account's feeds
    stop with it."""
    found = SavedSearch.objects.filter(feed_token=token, owner__is_active=True).first() if token else None
    if found is None:
        raise Http404("No saved search has that feed address.")
    return found


def saved_search_matches(*, saved_search: SavedSearch) -> QuerySet[Opportunity] | None:
    """What the search finds now, as the list page would show it; None when the search no longer makes
    sense (a place it names has gone)."""
    form = form_from_query(saved_search.query)
    if not form.is_valid():
        return None
    return opportunity_search(filters=form.filters())


def saved_search_feed_items(*, saved_search: SavedSearch) -> list[Opportunity]:
    """Current matches for the feeds, most recently updated first, at most FEED_LIMIT."""
    matches = saved_search_matches(saved_search=saved_search)
    if matches is None:
        return []
    return list(matches.order_by("-last_updated", "-created_at", "ocid")[:FEED_LIMIT])


def saved_search_list_url(query: dict[str, list[str]]) -> str:
    """The opportunities list page showing this search."""
    params = QueryDict(mutable=True)
    for name, values in query.items():
        params.setlist(name, list(values))
    encoded = params.urlencode()
    return reverse("opportunities:list") + (f"?{encoded}" if encoded else "")


def search_summary(query: dict[str, list[str]], *, labels_from: OpportunitySearchForm | None = None
                   ) -> list[tuple[str, str]]:
    """The search's filters as (label, words) pairs, in the order the list page asks for them; the
    defaults a blank field stands for are said too, so the summary describes the whole search.

    Places are given as the person typed them. Pass one unbound form as `labels_from` when summarising
    many searches, so the vocabulary is read once rather than once a search."""
    form = labels_from or OpportunitySearchForm()
    summary = []
    for name, field in form.fields.items():
        if name == "sort":
            continue
        values = [str(value) for value in query.get(name, []) if str(value).strip()]
        if not values:
            default = _default_words(name)
            if default:
                summary.append((str(field.label), default))
            continue
        labels = {str(key): str(label) for key, label in getattr(field, "choices", []) or []}
        words = [labels.get(value, value) for value in values]
        if name in {"value_min", "value_max"}:
            words = [f"£{value}" for value in words]
        summary.append((str(field.label), _join(words)))
    return summary


def search_summaries(searches) -> dict[int, list[tuple[str, str]]]:
    """Each search's summary by its pk, reading the vocabulary once."""
    labels_from = OpportunitySearchForm()
    return {search.pk: search_summary(search.query, labels_from=labels_from) for search in searches}


def _default_words(name: str) -> str:
    if name == "relevance":
        return "Cultural work, or work a cultural organisation could deliver part of or join (the default)"
    if name == "deadline":
        return f"{dict(DEADLINE_CHOICES)['open']} (the default)"
    return ""


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} or {words[-1]}"

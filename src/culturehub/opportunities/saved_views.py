"""Saved searches: save the list page's search, manage your searches, and read their feeds.

The views only read the request, call a selector or service, and render; nothing changes on GET.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from culturehub.opportunities import feeds, saved_selectors, saved_services
from culturehub.opportunities.models import SavedSearch
from culturehub.opportunities.saved_forms import SavedSearchForm
from culturehub.opportunities.search import OpportunitySearchForm, query_from_form

NAME_FROM_SUMMARY_LENGTH = 80


def _save(form: SavedSearchForm, call) -> SavedSearch | None:
    """Run a service with the form's values, putting what it refuses on the form."""
    if not form.is_valid():
        return None
    try:
        return call(name=form.cleaned_data["name"], frequency=form.cleaned_data["frequency"])
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            form.add_error(None, error.messages)
        return None


def _suggested_name(summary: list[tuple[str, str]]) -> str:
    words = [words for label, words in summary if label in {"Search words", "Place", "Buyer"}] or [
        words for _label, words in summary if not words.endswith("(the default)")
    ]
    name = ", ".join(words)[:NAME_FROM_SUMMARY_LENGTH].strip()
    return name or "All relevant open opportunities"


@login_required
def saved_search_create(request):
    """Save the search whose filters are in the query string, as the list page links here."""
    search_form = OpportunitySearchForm(request.GET)
    search_ok = search_form.is_valid()
    query = query_from_form(search_form) if search_ok else {}
    summary = saved_selectors.search_summary(query)
    form = SavedSearchForm(
        request.POST or None,
        initial={"name": _suggested_name(summary), "frequency": SavedSearch.Frequency.WEEKLY},
    )
    if request.method == "POST" and search_ok:
        saved = _save(form, lambda **values: saved_services.saved_search_create(
            user=request.user, query=query, **values
        ))
        if saved is not None:
            messages.success(request, f"Search saved as ‘{saved.name}’.")
            return redirect("saved_searches:list")
    context = {
        "form": form,
        "search_ok": search_ok,
        "summary": summary,
        "list_url": saved_selectors.saved_search_list_url(query if search_ok else {}),
        "list_back_url": reverse("opportunities:list") + (
            f"?{request.GET.urlencode()}" if request.GET else ""
        ),
        "at_limit": saved_selectors.saved_search_limit_reached(user=request.user),
        "limit": saved_selectors.saved_search_limit(),
    }
    return render(request, "opportunities/saved_form.html", context)


@login_required
def saved_search_list(request):
    """'Your saved searches'."""
    searches = list(saved_selectors.saved_search_list_for_user(user=request.user))
    summaries = saved_selectors.search_summaries(searches)
    rows = [
        {
            "search": search,
            "summary": summaries[search.pk],
            "list_url": saved_selectors.saved_search_list_url(search.query),
            "atom_url": request.build_absolute_uri(
                reverse("saved_searches:feed_atom", args=[search.feed_token])),
            "calendar_url": request.build_absolute_uri(
                reverse("saved_searches:feed_calendar", args=[search.feed_token])),
        }
        for search in searches
    ]
    return render(request, "opportunities/saved_list.html", {
        "rows": rows, "limit": saved_selectors.saved_search_limit(),
    })


@login_required
def saved_search_edit(request, pk):
    saved = saved_selectors.saved_search_get(user=request.user, pk=pk)
    form = SavedSearchForm(request.POST or None, initial={"name": saved.name, "frequency": saved.frequency})
    if request.method == "POST":
        changed = _save(form, lambda **values: saved_services.saved_search_update(
            user=request.user, saved_search=saved, **values
        ))
        if changed is not None:
            messages.success(request, f"Changes to ‘{changed.name}’ saved.")
            return redirect("saved_searches:list")
    return render(request, "opportunities/saved_edit.html", {
        "form": form, "saved": saved, "summary": saved_selectors.search_summary(saved.query),
    })


@login_required
def saved_search_delete(request, pk):
    saved = saved_selectors.saved_search_get(user=request.user, pk=pk)
    if request.method == "POST":
        saved_services.saved_search_delete(user=request.user, saved_search=saved)
        messages.success(request, f"You deleted the saved search ‘{saved.name}’. Its emails and feeds "
                                  "have stopped.")
        return redirect("saved_searches:list")
    return render(request, "opportunities/saved_delete.html", {"saved": saved})


@login_required
def saved_search_token_replace(request, pk):
    saved = saved_selectors.saved_search_get(user=request.user, pk=pk)
    if request.method == "POST":
        saved_services.saved_search_token_replace(user=request.user, saved_search=saved)
        messages.success(request, f"‘{saved.name}’ has new feed addresses. Give the new ones to your feed "
                                  "reader and calendar; the old ones no longer work.")
        return redirect("saved_searches:list")
    return render(request, "opportunities/saved_token_replace.html", {"saved": saved})


@require_GET
def saved_search_atom(request, token):
    saved = saved_selectors.saved_search_get_by_token(token=token)
    items = saved_selectors.saved_search_feed_items(saved_search=saved)
    return _feed_response(feeds.atom_feed(saved_search=saved, items=items), feeds.ATOM_CONTENT_TYPE)


@require_GET
def saved_search_calendar(request, token):
    saved = saved_selectors.saved_search_get_by_token(token=token)
    items = saved_selectors.saved_search_feed_items(saved_search=saved)
    body = feeds.calendar_feed(saved_search=saved, items=items)
    response = _feed_response(body, feeds.CALENDAR_CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="culture-hub-opportunities.ics"'
    return response


def _feed_response(body: bytes, content_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    # The address is a key: keep it out of shared caches and out of search engines.
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response

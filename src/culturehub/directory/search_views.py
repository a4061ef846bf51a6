"""The directory search page and its CSV download. The work is in `search.offer_search`."""

from __future__ import annotations

import csv
from functools import cache

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from culturehub.directory.models import Offer
from culturehub.directory.search import FACET_LABELS, Facet, FacetOption, offer_search, offer_search_rows
from culturehub.directory.search_forms import FILTER_NAMES, SearchForm

# The CSV's columns, in order, with what each holds (also listed on the page under the download link).
CSV_COLUMNS = [
    ("organisation", "The organisation's name"),
    ("organisation_id", "The organisation's Culture Hub id (a UUID, as in the Open Referral UK API)"),
    ("offer", "The offer's name"),
    ("offer_id", "The offer's Culture Hub id (a UUID)"),
    ("description", "What the offer is"),
    ("areas_served", "The places the offer serves, separated by semicolons"),
    ("place_match", "For a search by place: 'whole' if the offer serves all of it, 'part' if only part"),
    ("themes", "Priority themes, separated by semicolons"),
    ("art_forms", "Art forms, separated by semicolons"),
    ("populations", "Who it is for, separated by semicolons"),
    ("settings", "Settings, separated by semicolons"),
    ("outcomes", "Outcomes it aims for, separated by semicolons"),
    ("price", "Free, per participant, per session or per programme"),
    ("price_amount", "The price in pounds, if given"),
    ("referral_routes", "How people are referred, separated by semicolons"),
    ("contact_email", "Who to contact about the offer"),
    ("contact_phone", "Their phone number"),
    ("url", "The offer's web page"),
    ("status", "Published, or draft for your own organisation's drafts"),
]
ROUTE_LABELS = dict(Offer.REFERRAL_ROUTES)


PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"


@cache
def _url_pattern(name: str) -> str:
    """The page's URL with a placeholder id, or "" while the page does not exist (the offer and
    organisation pages come from the pages module; the results link to them once they do)."""
    try:
        return reverse(name, args=[PLACEHOLDER_ID])
    except NoReverseMatch:
        return ""


def _link_hits(hits) -> None:
    """Give each hit the links to its offer and organisation pages. One reverse per page, not two per
    hit: reversing is a large share of rendering 25 results."""
    offer_url, organisation_url = (_url_pattern(name) for name in
                                   ("directory:offer_detail", "directory:organisation_detail"))
    for hit in hits:
        hit.offer_url = offer_url.replace(PLACEHOLDER_ID, str(hit.offer.pk)) if offer_url else ""
        hit.organisation_url = (organisation_url.replace(PLACEHOLDER_ID, str(hit.offer.organisation_id))
                                if organisation_url else "")


def _query_string(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _facet_items(facets: dict[str, Facet]) -> list[dict]:
    return [
        {"facet": facet, "name": FILTER_NAMES[key], "single": key == "consortium"}
        for key, facet in facets.items()
    ]


def _facets_without_counts(form: SearchForm) -> dict[str, Facet]:
    """When the form has an error there are no results to count; show the filters as they were."""
    facets = {}
    for argument, label in FACET_LABELS.items():
        name = FILTER_NAMES[argument]
        selected = set(form.data.getlist(name))
        options = [FacetOption(str(value), str(text), None, str(value) in selected)
                   for value, text in form.fields[name].choices if value != ""]
        facets[argument] = Facet(argument, label, options)
    return facets


def search(request):
    form = SearchForm(request.GET if request.GET else None)
    context = {"form": form, "query_string": _query_string(request), "csv_columns": CSV_COLUMNS}
    if form.is_bound and not form.is_valid():
        context.update(facets=_facet_items(_facets_without_counts(form)), result=None)
        return render(request, "directory/search.html", context)
    arguments = form.search_arguments() if form.is_bound else {}
    result = offer_search(user=request.user, page=request.GET.get("page") or 1, **arguments)
    _link_hits(result.page.object_list)
    context.update(result=result, facets=_facet_items(result.facets), page=result.page,
                   has_criteria=form.is_bound and form.has_criteria)
    return render(request, "directory/search.html", context)


class _Echo:
    """csv.writer writes to this and gets the line back, so rows can stream."""

    def write(self, value):
        return value


def _joined(items) -> str:
    return "; ".join(str(item) for item in items)


def _csv_row(hit) -> list:
    offer = hit.offer
    match = ""
    if hit.place_match is not None:
        match = "whole" if hit.place_match.whole else "part"
    return [
        offer.organisation.name, str(offer.organisation_id), offer.name, str(offer.pk), offer.description,
        _joined(area.name for area in offer.areas_served.all()), match,
        _joined(offer.themes.all()), _joined(offer.art_forms.all()), _joined(offer.populations.all()),
        _joined(offer.delivery_settings.all()), _joined(offer.outcomes.all()),
        offer.get_price_display(), "" if offer.price_amount is None else f"{offer.price_amount:.2f}",
        _joined(ROUTE_LABELS.get(route, route) for route in offer.referral_routes or []),
        offer.contact_email, offer.contact_phone, offer.url, offer.status,
    ]


def _safe_cell(value):
    # Spreadsheets run a cell that starts with = + - @ as a formula; a leading apostrophe stops that.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def search_csv(request):
    """The same search as the page, every result, streamed as CSV with a header row."""
    form = SearchForm(request.GET if request.GET else None)
    if form.is_bound and not form.is_valid():
        messages = [str(error) for errors in form.errors.values() for error in errors]
        return HttpResponse("There is a problem: " + " ".join(messages), status=400,
                            content_type="text/plain; charset=utf-8")
    arguments = form.search_arguments() if form.is_bound else {}
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff"  # so Excel reads the file as UTF-8
        yield writer.writerow([name for name, _description in CSV_COLUMNS])
        for hit in offer_search_rows(user=request.user, **arguments):
            yield writer.writerow([_safe_cell(value) for value in _csv_row(hit)])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="culture-hub-directory-search.csv"'
    return response

"""Open Referral UK (HSDS 3.0 UK profile) read API, mounted at /api/oruk/.

The nine endpoints of the UK profile's API reference, open to anyone (with
`Access-Control-Allow-Origin: *` on every answer, errors and preflights included) and throttled per
client. Only published offers of published organisations appear. Filters follow the profile's
`openapi.json`; where Culture Hub has to choose, the endpoint's description says what it does.
"""

# No "from __future__ import annotations": django-ninja reads these annotations at run time.
import functools
import math
from datetime import datetime

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from culturehub.directory.oruk import selectors, serializers
from culturehub.directory.oruk.schemas import (
    ApiInfoOut,
    ErrorOut,
    ServiceAtLocationOut,
    ServiceAtLocationPage,
    ServiceOut,
    ServicePage,
    TaxonomyOut,
    TaxonomyPage,
    TaxonomyTermOut,
    TaxonomyTermPage,
)
from culturehub.directory.oruk.throttling import ORUK_RATE, OrukRateThrottle

# Pages hold 50 items unless asked otherwise, and never more than 200: a fully paged harvest then
# takes few requests, while one page of list items (services with their organisation) stays a
# small, fast response on a 2-core server. Larger per_page values are cut to the cap, not refused,
# so a harvester asking for "everything" still gets a consistent, paged answer.
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, OPTIONS",
    "Access-Control-Max-Age": "86400",
}

router = Router(tags=["Open Referral UK"], throttle=[OrukRateThrottle(ORUK_RATE)], exclude_unset=True)


def _with_cors(run):
    """Wraps each operation's run, so throttled answers and errors carry the CORS headers too."""

    @functools.wraps(run)
    def wrapper(request: HttpRequest, *args, **kwargs):
        response = run(request, *args, **kwargs)
        for header, value in CORS_HEADERS.items():
            response[header] = value
        if request.method == "OPTIONS":
            response["Access-Control-Allow-Headers"] = request.headers.get(
                "Access-Control-Request-Headers", "Accept, Content-Type"
            )
        return response

    return wrapper


router.add_decorator(_with_cors, mode="view")


# Filters -------------------------------------------------------------------------------------------------

class PageParams(Schema):
    page: int = Field(1, ge=1, description="Page number of paginated result (the first is 1).")
    per_page: int = Field(
        DEFAULT_PER_PAGE, ge=1,
        description=f"Number of results requested in a single page; at most {MAX_PER_PAGE} are returned.",
    )


class ServiceParams(PageParams):
    search: str = Field("", description="Words that must all appear in the service's or organisation's "
                                        "name or the service's description.")
    taxonomy_term_id: str = Field("", description="Services with this taxonomy term.")
    taxonomy_id: str = Field("", description="Services with any current term of this taxonomy.")
    minimum_age: float | None = Field(None, description="Services with a minimum age of at least this.")
    maximum_age: float | None = Field(None, description="Services with a maximum age of this or below.")
    modified_after: datetime | None = Field(
        None, description="Services whose record or organisation changed on or after this date-time."
    )

    def offer_filters(self) -> selectors.OfferFilters:
        return selectors.OfferFilters(
            search=self.search, taxonomy_term_id=self.taxonomy_term_id, taxonomy_id=self.taxonomy_id,
            minimum_age=self.minimum_age, maximum_age=self.maximum_age, modified_after=self.modified_after,
        )


class ServiceAtLocationParams(ServiceParams):
    postcode: str = Field(
        "",
        description="A UK postcode or outward code (such as 'LS1'). Culture Hub has no postcode "
        "directory: it places a postcode at the venues it holds there. Without proximity, returns "
        "the services at venues with that postcode or outward code; with proximity, those within "
        "that distance of them. A postcode it cannot place gives a 400 error.",
    )
    proximity: str = Field("", description="Distance in metres from the postcode (needs postcode).")


def _page(rows: QuerySet, params: PageParams, serialize) -> dict:
    per_page = min(params.per_page, MAX_PER_PAGE)
    total = rows.count()
    total_pages = math.ceil(total / per_page)
    start = (params.page - 1) * per_page
    contents = [serialize(row) for row in rows[start:start + per_page]] if start < total else []
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": params.page,
        "size": len(contents),
        "first_page": params.page == 1,
        "last_page": params.page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


def _not_found(kind: str, id: str):
    return HttpError(404, f"There is no published {kind} with the id '{id}'.")


# Endpoints ----------------------------------------------------------------------------------------------

@router.get("/", response=ApiInfoOut, summary="Information about this API and its relationship with HSDS",
            operation_id="oruk_api_info")
def api_info(request):
    return {
        "version": serializers.HSDS_VERSION,
        "profile": serializers.PROFILE_URL,
        "openapi_url": request.build_absolute_uri(reverse("api:openapi-json")),
    }


@router.get("/services", response=ServicePage, operation_id="oruk_services",
            summary="Paginated list of services with their one-to-one fields and organisation")
def services(request, params: Query[ServiceParams]):
    rows = selectors.service_list(filters=params.offer_filters())
    return _page(rows, params, serializers.service_summary)


@router.get("/services/{id}", response={200: ServiceOut, 404: ErrorOut}, operation_id="oruk_service",
            summary="A fully nested service with all related data")
def service(request, id: str):
    offer = selectors.service_get(id=id)
    if offer is None:
        raise _not_found("service", id)
    return serializers.service(offer)


@router.get("/taxonomies", response=TaxonomyPage, operation_id="oruk_taxonomies",
            summary="Paginated list of taxonomies: one per scheme of Culture Hub's vocabulary")
def taxonomies(request, params: Query[PageParams]):
    uri = request.build_absolute_uri(reverse("vocabulary:index"))
    schemes = selectors.taxonomy_list()
    page = _page(_ListRows(schemes), params, lambda scheme: serializers.taxonomy(scheme, uri=uri))
    return page


@router.get("/taxonomies/{id}", response={200: TaxonomyOut, 404: ErrorOut}, operation_id="oruk_taxonomy",
            summary="A taxonomy with its terms")
def taxonomy(request, id: str):
    scheme = selectors.taxonomy_get(id=id)
    if scheme is None:
        raise _not_found("taxonomy", id)
    terms = selectors.taxonomy_terms_for_schemes(schemes=[scheme])[scheme.pk]
    uri = request.build_absolute_uri(reverse("vocabulary:index"))
    return serializers.taxonomy(scheme, uri=uri, terms=terms)


@router.get("/taxonomy_terms", response=TaxonomyTermPage, operation_id="oruk_taxonomy_terms",
            summary="Paginated list of taxonomy terms (narrower terms give their parent_id)")
def taxonomy_terms(request, params: Query[PageParams]):
    return _page(selectors.taxonomy_term_list(), params, serializers.taxonomy_term)


@router.get("/taxonomy_terms/{id}", response={200: TaxonomyTermOut, 404: ErrorOut},
            operation_id="oruk_taxonomy_term", summary="A taxonomy term")
def taxonomy_term(request, id: str):
    term = selectors.taxonomy_term_get(id=id)
    if term is None:
        raise _not_found("taxonomy term", id)
    return serializers.taxonomy_term(term)


@router.get("/service_at_locations", response={200: ServiceAtLocationPage, 400: ErrorOut},
            operation_id="oruk_service_at_locations",
            summary="Paginated list of services at locations with their one-to-one fields")
def service_at_locations(request, params: Query[ServiceAtLocationParams]):
    try:
        rows = selectors.service_at_location_list(
            filters=params.offer_filters(),
            postcode=params.postcode.strip(),
            proximity=params.proximity.strip(),
        )
    except selectors.FilterError as error:
        raise HttpError(400, str(error)) from error
    return _page(rows, params, serializers.service_at_location_summary)


@router.get("/service_at_locations/{id}", response={200: ServiceAtLocationOut, 404: ErrorOut},
            operation_id="oruk_service_at_location",
            summary="A fully nested service at location: the location and the service with its data")
def service_at_location(request, id: str):
    row = selectors.service_at_location_get(id=id)
    if row is None:
        raise _not_found("service at location", id)
    return serializers.service_at_location(row)


# CORS preflight: browsers ask OPTIONS before some cross-origin GETs. Not throttled, not documented.

def _preflight_list(request):
    return HttpResponse(status=204)


def _preflight_record(request, id: str):
    return HttpResponse(status=204)


for _path in ("/", "/services", "/taxonomies", "/taxonomy_terms", "/service_at_locations"):
    router.add_api_operation(_path, ["OPTIONS"], _preflight_list, throttle=[], include_in_schema=False)
    if _path != "/":
        router.add_api_operation(
            f"{_path}/{{id}}", ["OPTIONS"], _preflight_record, throttle=[], include_in_schema=False
        )


class _ListRows:
    """A list that pages like a queryset (count and slices), for the few vocabulary schemes."""

    def __init__(self, items: list):
        self.items = items

    def count(self) -> int:
        return len(self.items)

    def __getitem__(self, window):
        return self.items[window]

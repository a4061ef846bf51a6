"""What the Open Referral UK API reads: published offers of published organisations, and the vocabulary.

Only PUBLISHED offers whose organisation is PUBLISHED are ever visible here: the feed is open to
anyone, so a draft or archived record must not leak through an id, a filter or a count.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from culturehub.directory.models import Offer, OfferVenue, Organisation, Status, Venue
from culturehub.directory.oruk.ids import taxonomy_id, taxonomy_term_id
from culturehub.vocabulary.models import Scheme, Term

# Each vocabulary scheme and the Offer field that holds its terms.
SCHEME_FIELDS = {
    "themes": "themes",
    "art_forms": "art_forms",
    "populations": "populations",
    "settings": "delivery_settings",
    "outcomes": "outcomes",
}

EARTH_RADIUS_METRES = 6_371_000


class FilterError(ValueError):
    """A filter the API cannot apply; the message tells the caller what to send instead."""


@dataclass(frozen=True)
class OfferFilters:
    search: str = ""
    taxonomy_term_id: str = ""
    taxonomy_id: str = ""
    minimum_age: float | None = None
    maximum_age: float | None = None
    modified_after: datetime | None = None


# Vocabulary --------------------------------------------------------------------------------------

def taxonomy_list() -> list[Scheme]:
    """The published schemes (those with a field on Offer), in the vocabulary's own order."""
    return list(Scheme.objects.filter(key__in=SCHEME_FIELDS))


def taxonomy_get(*, id: str) -> Scheme | None:
    return next((scheme for scheme in taxonomy_list() if str(taxonomy_id(scheme.key)) == _uuid(id)), None)


def taxonomy_term_list() -> QuerySet[Term]:
    return (
        Term.objects.current().filter(scheme__key__in=SCHEME_FIELDS)
        .select_related("scheme", "parent__scheme")
        .order_by("scheme__position", "position", "key")
    )


def taxonomy_term_get(*, id: str) -> Term | None:
    """The current term whose stable id is `id`. Ids are uuid5 hashes, so look them up by key."""
    wanted = _uuid(id)
    return next(
        (term for term in taxonomy_term_list() if str(taxonomy_term_id(term.scheme.key, term.key)) == wanted),
        None,
    )


def taxonomy_terms_for_schemes(*, schemes: list[Scheme]) -> dict[int, list[Term]]:
    terms: dict[int, list[Term]] = {scheme.pk: [] for scheme in schemes}
    for term in taxonomy_term_list().filter(scheme__in=schemes):
        terms[term.scheme_id].append(term)
    return terms


# Services -----------------------------------------------------------------------------------------

def _unpublished_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.exclude(status=Status.PUBLISHED).values("pk")


def published_offers() -> QuerySet[Offer]:
    # "Not one of the few unpublished organisations" rather than a join on the organisation's status:
    # SQLite then counts the offers without visiting 20,000 organisation rows (see the API's paging).
    return Offer.objects.filter(status=Status.PUBLISHED).exclude(
        organisation_id__in=_unpublished_organisations()
    )


def service_list(*, filters: OfferFilters) -> QuerySet[Offer]:
    """Published offers matching every filter given, with what a list item shows (one-to-one fields).

    In id order: stable from page to page (what a harvester needs), and SQLite walks the primary key
    to the page instead of sorting every published offer by name.
    """
    offers = _filtered(published_offers(), filters)
    return offers.select_related("organisation").order_by("pk")


def service_get(*, id: str) -> Offer | None:
    wanted = _uuid(id)
    if not wanted:
        return None
    return _with_related(published_offers().select_related("organisation").filter(pk=wanted)).first()


def _with_related(offers: QuerySet[Offer]) -> QuerySet[Offer]:
    """Everything a fully nested service shows, in a fixed number of queries whatever the page size."""
    current_terms = Term.objects.current().select_related("scheme", "parent__scheme")
    return offers.prefetch_related(
        "organisation__identifiers",
        "areas_served",
        Prefetch("offer_venues", queryset=OfferVenue.objects.select_related("venue").order_by("venue__name")),
        *(Prefetch(field, queryset=current_terms) for field in SCHEME_FIELDS.values()),
    )


def _filtered(offers: QuerySet[Offer], filters: OfferFilters, prefix: str = "") -> QuerySet:
    """Apply the ORUK filters to offers, or (with prefix "offer__") to rows that point at an offer."""
    if filters.search.strip():
        for word in filters.search.split()[:10]:
            offers = offers.filter(
                Q(**{f"{prefix}name__icontains": word})
                | Q(**{f"{prefix}description__icontains": word})
                | Q(**{f"{prefix}organisation__name__icontains": word})
            )
    if filters.taxonomy_term_id:
        term = taxonomy_term_get(id=filters.taxonomy_term_id)
        if term is None:
            return offers.none()
        offers = offers.filter(**{f"{prefix}{SCHEME_FIELDS[term.scheme.key]}": term})
    if filters.taxonomy_id:
        scheme = taxonomy_get(id=filters.taxonomy_id)
        if scheme is None:
            return offers.none()
        field = SCHEME_FIELDS[scheme.key]
        through = Offer._meta.get_field(field).remote_field.through
        offers = offers.filter(
            Exists(through.objects.filter(
                offer_id=OuterRef("offer_id" if prefix else "pk"), term__scheme=scheme, term__retired=False,
            ))
        )
    # The profile's wording, followed literally: "a minimum age of at least the specified value" and
    # "a maximum age equal to or below the specified value". Offers that give no age are left out.
    if filters.minimum_age is not None:
        offers = offers.filter(**{f"{prefix}minimum_age__gte": filters.minimum_age})
    if filters.maximum_age is not None:
        offers = offers.filter(**{f"{prefix}maximum_age__lte": filters.maximum_age})
    if filters.modified_after is not None:
        offers = offers.filter(
            Q(**{f"{prefix}updated_at__gte": filters.modified_after})
            | Q(**{f"{prefix}organisation__updated_at__gte": filters.modified_after})
        )
    return offers


# Services at locations -------------------------------------------------------------------------------

def published_offer_venues() -> QuerySet[OfferVenue]:
    return OfferVenue.objects.filter(offer__status=Status.PUBLISHED).exclude(
        offer__organisation_id__in=_unpublished_organisations()
    )


def service_at_location_list(
    *, filters: OfferFilters, postcode: str = "", proximity: str = ""
) -> QuerySet[OfferVenue]:
    rows = _filtered(published_offer_venues(), filters, prefix="offer__")
    if postcode or proximity:
        rows = _near(rows, postcode=postcode, proximity=proximity)
    return rows.select_related("offer__organisation", "venue").order_by("pk")


def service_at_location_get(*, id: str) -> OfferVenue | None:
    wanted = _uuid(id)
    if not wanted:
        return None
    rows = published_offer_venues().select_related("venue", "offer__organisation").filter(pk=wanted)
    row = rows.first()
    if row is not None:
        # The nested service shows its own terms, areas and the like: fetch them as for /services/{id}.
        row.offer = _with_related(Offer.objects.select_related("organisation")).get(pk=row.offer_id)
    return row


def normalise_postcode(value: str) -> str:
    return re.sub(r"\s+", "", value).upper()


def outward_code(postcode: str) -> str:
    """The part before the space: "LS1 4DY" -> "LS1". A full postcode always ends in 3 characters."""
    compact = normalise_postcode(postcode)
    return compact[:-3] if len(compact) > 4 else compact


def postcode_centre(*, postcode: str) -> tuple[float, float] | None:
    """Where a postcode is, as far as Culture Hub can tell without a geocoder.

    Culture Hub holds no postcode directory, so it only knows the places of its own venues: a
    postcode (or outward code such as "LS1") that matches one or more venues with coordinates is
    placed at their average position. Any other postcode is unknown and the API says so.
    """
    compact = normalise_postcode(postcode)
    if not re.fullmatch(r"[A-Z]{1,2}[0-9][0-9A-Z]?([0-9][A-Z]{2})?", compact):
        raise FilterError(
            f"'{postcode}' is not a UK postcode or outward code. Send a postcode such as 'LS1 4DY' or 'LS1'."
        )
    points = [
        (venue.latitude, venue.longitude) for venue in _venues_in_postcode(compact)
        if venue.latitude is not None and venue.longitude is not None
    ]
    if not points:
        return None
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def _venues_in_postcode(compact: str) -> list[Venue]:
    """Venues whose postcode is `compact` (no spaces, upper case) or whose outward code it is."""
    # Postcodes are stored as typed ("LS1 4DY" or "ls14dy"): narrow by the first letters in the
    # database, then compare the normalised forms here.
    candidates = Venue.objects.filter(postcode__istartswith=compact[:2]).only(
        "postcode", "latitude", "longitude"
    )
    return [
        venue for venue in candidates
        if normalise_postcode(venue.postcode) == compact or outward_code(venue.postcode) == compact
    ]


def distance_metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle (haversine) distance between two latitude/longitude points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_METRES * math.asin(math.sqrt(h))


def _near(rows: QuerySet[OfferVenue], *, postcode: str, proximity: str) -> QuerySet[OfferVenue]:
    if not postcode:
        raise FilterError("proximity needs a postcode to measure from. Send postcode as well.")
    if not proximity:
        # No distance asked for: the services at venues in that postcode (or outward code).
        postcode_centre(postcode=postcode)  # checks the postcode's form
        venue_ids = [venue.pk for venue in _venues_in_postcode(normalise_postcode(postcode))]
        return rows.filter(venue_id__in=venue_ids)
    try:
        metres = float(proximity)
    except ValueError:
        raise FilterError(
            f"proximity must be a distance in metres, such as 2000, not '{proximity}'."
        ) from None
    if not (metres > 0 and math.isfinite(metres)):
        raise FilterError("proximity must be a distance in metres greater than 0.")
    centre = postcode_centre(postcode=postcode)
    if centre is None:
        raise FilterError(
            f"Culture Hub cannot place the postcode '{postcode}': it has no postcode directory and no "
            "venue there. Try the outward code (such as 'LS1') or leave out proximity."
        )
    # A box around the centre first (cheap, in the database), then the exact distance.
    lat_span = math.degrees(metres / EARTH_RADIUS_METRES)
    lon_span = lat_span / max(math.cos(math.radians(centre[0])), 0.01)
    candidates = Venue.objects.filter(
        latitude__range=(centre[0] - lat_span, centre[0] + lat_span),
        longitude__range=(centre[1] - lon_span, centre[1] + lon_span),
    ).only("latitude", "longitude")
    venue_ids = [
        venue.pk for venue in candidates
        if distance_metres(centre, (venue.latitude, venue.longitude)) <= metres
    ]
    return rows.filter(venue_id__in=venue_ids)


def _uuid(value: str) -> str:
    """The canonical form of a UUID string, or "" for anything else (which then matches nothing)."""
    try:
        return str(UUID(str(value)))
    except ValueError:
        return ""

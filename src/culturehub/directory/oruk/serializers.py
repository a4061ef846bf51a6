"""Culture Hub records as Open Referral UK (HSDS 3.0 UK profile) objects.

Each function returns plain JSON-ready dicts with only the fields the UK profile defines. Optional
fields with no value are left out rather than sent as null or "" (the profile's compliance rules
ask for that, and its schemas type most fields as plain strings, so null would not validate).

What the UK profile cannot carry: it drops `phones` from services, contacts, locations and
organisations, so an offer's contact phone number is not published here; and it drops a language's
`name` and `code`, so a service's languages appear only as ids.
"""

from __future__ import annotations

from datetime import UTC, datetime

from culturehub.directory.models import Offer, OfferVenue, Organisation, Venue
from culturehub.directory.oruk.ids import stable_id, taxonomy_id, taxonomy_term_id
from culturehub.directory.oruk.selectors import SCHEME_FIELDS
from culturehub.vocabulary.models import Scheme, Term

HSDS_VERSION = "HSDS-UK-3.0"
PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md"
ONS_AREA_URI = "http://statistics.data.gov.uk/id/statistical-geography/{code}"
# Addresses must name a state or province; every Culture Hub venue is in England.
STATE_PROVINCE = "England"
COUNTRY = "GB"

# What each scheme's terms say about a service, as the attribute's link_type.
LINK_TYPES = {
    "themes": "priority_theme",
    "art_forms": "art_form",
    "populations": "audience",
    "settings": "setting",
    "outcomes": "outcome",
}


def compact(data: dict, *, keep: tuple[str, ...] = ()) -> dict:
    """Drop None, "" and [] values, except the fields named in `keep` (required by the schema)."""
    return {key: value for key, value in data.items() if key in keep or value not in (None, "", [])}


def timestamp(value: datetime) -> str:
    """An ISO 8601 date-time in UTC with milliseconds, as the profile's examples give it."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


# Vocabulary ---------------------------------------------------------------------------------------------

def taxonomy(scheme: Scheme, *, uri: str = "", terms: list[Term] | None = None) -> dict:
    data = compact(
        {
            "id": str(taxonomy_id(scheme.key)),
            "name": scheme.label,
            "description": scheme.description,
            "uri": uri,
            "version": scheme.version,
        },
        keep=("description",),
    )
    if terms is not None:
        data["taxonomy_terms"] = [taxonomy_term(term) for term in terms]
    return data


def taxonomy_term(term: Term) -> dict:
    scheme = term.scheme
    parent = term.parent if term.parent_id and not term.parent.retired else None
    return compact(
        {
            "id": str(taxonomy_term_id(scheme.key, term.key)),
            "name": term.label,
            "description": term.description,
            "parent_id": str(taxonomy_term_id(parent.scheme.key, parent.key)) if parent else None,
            "taxonomy": scheme.label,
            "taxonomy_id": str(taxonomy_id(scheme.key)),
            "term": term.key,
        },
        keep=("description",),
    )


# Organisations -------------------------------------------------------------------------------------------

def organization_summary(organisation: Organisation) -> dict:
    return compact(
        {
            "id": str(organisation.pk),
            "name": organisation.name,
            "description": organisation.description,
            "email": organisation.email,
            "website": organisation.website,
        },
        keep=("description",),
    )


def organization(organisation: Organisation) -> dict:
    data = organization_summary(organisation)
    identifiers = [
        {
            "id": str(stable_id("organization_identifier", organisation.pk, item.scheme, item.identifier)),
            "organization_id": str(organisation.pk),
            "identifier_scheme": item.scheme,
            "identifier_type": item.get_scheme_display(),
            "identifier": item.identifier,
        }
        for item in organisation.identifiers.all()
    ]
    return compact({**data, "organization_identifiers": identifiers}, keep=("description",))


# Services --------------------------------------------------------------------------------------------------

def service_summary(offer: Offer) -> dict:
    """A service's one-to-one fields and its organisation: what a list item shows."""
    organisation = offer.organisation
    return compact(
        {
            "id": str(offer.pk),
            "organization_id": str(organisation.pk),
            "name": offer.name,
            "description": offer.description,
            "url": offer.url,
            "email": offer.contact_email,
            # Only published offers are served, and published means running.
            "status": "active",
            "minimum_age": offer.minimum_age,
            "maximum_age": offer.maximum_age,
            "last_modified": timestamp(max(offer.updated_at, organisation.updated_at)),
            "organization": organization_summary(organisation),
        }
    )


def service(offer: Offer, *, with_locations: bool = True) -> dict:
    """A fully nested service. Inside a service_at_location the service does not list its locations."""
    data = {
        **service_summary(offer),
        "schedules": _schedules(offer),
        "service_areas": _service_areas(offer),
        "languages": _languages(offer),
        "organization": organization(offer.organisation),
        "cost_options": _cost_options(offer),
        "contacts": _contacts(offer),
        "attributes": _attributes(offer),
    }
    if with_locations:
        data["service_at_locations"] = [
            _service_at_location_in_service(row) for row in offer.offer_venues.all()
        ]
    return compact(data)


def _schedules(offer: Offer) -> list[dict]:
    if not offer.schedule:
        return []
    return [{"id": str(stable_id("schedule", offer.pk)), "service_id": str(offer.pk),
             "description": offer.schedule}]


def _service_areas(offer: Offer) -> list[dict]:
    return [
        {
            "id": str(stable_id("service_area", offer.pk, area.code)),
            "service_id": str(offer.pk),
            "name": area.name,
            "service_area": area.name,
            "uri": ONS_AREA_URI.format(code=area.code),
        }
        for area in offer.areas_served.all()
    ]


def _languages(offer: Offer) -> list[dict]:
    return [
        {"id": str(stable_id("language", offer.pk, str(language).lower())), "service_id": str(offer.pk)}
        for language in offer.languages or []
        if str(language).strip()
    ]


def _cost_options(offer: Offer) -> list[dict]:
    if offer.price == Offer.Price.NOT_STATED:
        return []
    free = offer.price == Offer.Price.FREE
    amount = 0 if free else (float(offer.price_amount) if offer.price_amount is not None else None)
    return [
        compact(
            {
                "id": str(stable_id("cost_option", offer.pk)),
                "service_id": str(offer.pk),
                "option": offer.get_price_display(),
                "amount": amount,
                "amount_description": "" if free else offer.get_price_display().lower(),
            }
        )
    ]


def _contacts(offer: Offer) -> list[dict]:
    if not offer.contact_name:
        return []
    return [{"id": str(stable_id("contact", offer.pk)), "service_id": str(offer.pk),
             "name": offer.contact_name}]


def _attributes(offer: Offer) -> list[dict]:
    attributes = []
    for scheme_key, field in SCHEME_FIELDS.items():
        for term in getattr(offer, field).all():
            if term.retired:
                continue
            term_id = taxonomy_term_id(scheme_key, term.key)
            attributes.append(
                {
                    "id": str(stable_id("attribute", offer.pk, term_id)),
                    "link_id": str(offer.pk),
                    "taxonomy_term_id": str(term_id),
                    "link_type": LINK_TYPES[scheme_key],
                    "taxonomy_term": taxonomy_term(term),
                }
            )
    return attributes


# Locations -------------------------------------------------------------------------------------------

def location_summary(venue: Venue) -> dict:
    return compact(
        {
            "id": str(venue.pk),
            "location_type": "physical",
            "name": venue.name,
            "latitude": venue.latitude,
            "longitude": venue.longitude,
        }
    )


def location(venue: Venue) -> dict:
    address = {
        "id": str(stable_id("address", venue.pk)),
        "location_id": str(venue.pk),
        "address_1": venue.address,
        "city": venue.town,
        "state_province": STATE_PROVINCE,
        "postal_code": venue.postcode,
        "country": COUNTRY,
        "address_type": "physical",
    }
    accessibility = []
    if venue.accessibility:
        accessibility.append(
            {
                "id": str(stable_id("accessibility", venue.pk)),
                "location_id": str(venue.pk),
                "description": venue.accessibility,
            }
        )
    return compact({**location_summary(venue), "addresses": [address], "accessibility": accessibility})


def _service_at_location_in_service(row: OfferVenue) -> dict:
    return {
        "id": str(row.pk),
        "service_id": str(row.offer_id),
        "location_id": str(row.venue_id),
        "location": location(row.venue),
    }


def service_at_location_summary(row: OfferVenue) -> dict:
    return {
        "id": str(row.pk),
        "service_id": str(row.offer_id),
        "location_id": str(row.venue_id),
        "location": location_summary(row.venue),
        "service": service_summary(row.offer),
    }


def service_at_location(row: OfferVenue) -> dict:
    return {
        "id": str(row.pk),
        "service_id": str(row.offer_id),
        "location_id": str(row.venue_id),
        "location": location(row.venue),
        "service": service(row.offer, with_locations=False),
    }

"""Plain functions that build directory records for tests, straight into the database (the services
are tested on their own). Names are invented; no record here is a real organisation."""

from __future__ import annotations

from culturehub.directory.models import (
    Consortium,
    ConsortiumMember,
    Offer,
    Organisation,
    OrganisationMembership,
    Status,
    Venue,
)
from culturehub.directory.services import offer_refresh_search_text


def make_organisation(
    *,
    name: str = "Riverside Community Arts",
    status: str = Status.PUBLISHED,
    owner=None,
    editors=(),
    areas=(),
    **fields,
) -> Organisation:
    defaults = {"legal_form": Organisation.LegalForm.CIO, "description": "Arts sessions for local people."}
    organisation = Organisation.objects.create(name=name, status=status, **{**defaults, **fields})
    if owner is not None:
        OrganisationMembership.objects.create(
            organisation=organisation, user=owner, role=OrganisationMembership.Role.OWNER
        )
    for editor in editors:
        OrganisationMembership.objects.create(organisation=organisation, user=editor)
    if areas:
        organisation.areas_served.set(areas)
    return organisation


def make_offer(
    *,
    organisation: Organisation,
    name: str = "Singing for wellbeing",
    status: str = Status.PUBLISHED,
    themes=(),
    areas=(),
    venues=(),
    **fields,
) -> Offer:
    defaults = {"description": "A weekly singing group.", "delivery_modes": ["sessions"]}
    offer = Offer.objects.create(
        organisation=organisation, name=name, status=status, **{**defaults, **fields}
    )
    if themes:
        offer.themes.set(themes)
    if areas:
        offer.areas_served.set(areas)
    for venue in venues:
        offer.offer_venues.create(venue=venue)
    offer_refresh_search_text(offer)
    return offer


def make_venue(*, organisation: Organisation, name: str = "The Old Library", **fields) -> Venue:
    defaults = {"address": "1 High Street", "town": "Derby", "postcode": "DE1 1AA"}
    return Venue.objects.create(organisation=organisation, name=name, **{**defaults, **fields})


def make_consortium(
    *,
    area,
    name: str = "Culture Together",
    status: str = Status.PUBLISHED,
    coordinator=None,
    lead: Organisation | None = None,
    members=(),
    **fields,
) -> Consortium:
    defaults = {
        "description": "Cultural organisations working together.",
        "contact_email": "hello@culture-together.example.org",
    }
    consortium = Consortium.objects.create(
        area=area, name=name, status=status, coordinator=coordinator, lead=lead, **{**defaults, **fields}
    )
    for organisation in ([lead] if lead else []) + list(members):
        join(consortium=consortium, organisation=organisation)
    return consortium


def join(
    *,
    consortium: Consortium,
    organisation: Organisation,
    state: str = ConsortiumMember.State.ACTIVE,
    role: str = "",
) -> ConsortiumMember:
    membership, _created = ConsortiumMember.objects.update_or_create(
        consortium=consortium, organisation=organisation, defaults={"state": state, "role": role}
    )
    return membership

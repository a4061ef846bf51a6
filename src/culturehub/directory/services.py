"""Changing the directory: organisations, offers, venues and consortia.

Every function checks that the user may make the change (raising PermissionDenied) and that the values
are sound (raising ValidationError keyed by field, in GOV.UK wording) before it saves anything. The
audit trail (django-auditlog) records each change; outside a request we name the actor ourselves.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from culturehub.core.audit import audit_actor_record
from culturehub.core.links import site_url
from culturehub.core.permissions import is_administrator, require
from culturehub.core.validation import FieldErrors, clean_text
from culturehub.directory import emails, validators
from culturehub.directory.models import (
    Consortium,
    ConsortiumMember,
    Offer,
    OfferVenue,
    Organisation,
    OrganisationIdentifier,
    OrganisationMembership,
    Status,
    Venue,
)
from culturehub.directory.selectors import (
    consortium_can_create,
    consortium_can_edit,
    consortium_can_view,
    organisation_can_edit,
    organisation_is_member,
)
from culturehub.places.models import Area
from culturehub.vocabulary.models import Term

EDIT_ORGANISATION = "Only the organisation’s members and administrators can change it."
EDIT_CONSORTIUM = "Only the consortium’s coordinator and administrators can change it."
EMAIL_MESSAGE = "Enter an email address in the correct format, like name@example.org"
MAX_AGE = 120

# Form field names for each identifier scheme, so an error lands beside the right box.
IDENTIFIER_FIELDS = {
    validators.CHC: "charity_number",
    validators.COH: "company_number",
    validators.OSCR: "scottish_charity_number",
    validators.NIC: "ni_charity_number",
}
IDENTIFIER_NAMES = {
    validators.CHC: "charity number",
    validators.COH: "company number",
    validators.OSCR: "Scottish charity number",
    validators.NIC: "Northern Ireland charity number",
}
# The vocabulary scheme each of an offer's term fields takes its terms from.
TERM_SCHEMES = {
    "themes": "themes",
    "art_forms": "art_forms",
    "populations": "populations",
    "delivery_settings": "settings",
    "outcomes": "outcomes",
}


# ---------------------------------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------------------------------


def _require_signed_in(user) -> None:
    require(bool(user and user.is_authenticated), "Sign in to change the directory.")


def _require_organisation_editor(user, organisation: Organisation) -> None:
    _require_signed_in(user)
    require(organisation_can_edit(user=user, organisation=organisation), EDIT_ORGANISATION)


def _require_consortium_editor(user, consortium: Consortium) -> None:
    _require_signed_in(user)
    require(consortium_can_edit(user=user, consortium=consortium), EDIT_CONSORTIUM)


def _check_email(errors: FieldErrors, name: str, value: str) -> str:
    value = clean_text(value)
    if value:
        try:
            validate_email(value)
        except ValidationError:
            errors.add(name, EMAIL_MESSAGE)
    return value


def _check_length(errors: FieldErrors, model, name: str, value: str, label: str) -> None:
    max_length = model._meta.get_field(name).max_length
    if value and max_length and len(value) > max_length:
        errors.add(name, f"{label} must be {max_length} characters or fewer")


def _check_required(errors: FieldErrors, name: str, value: str, message: str) -> None:
    if not value:
        errors.add(name, message)


# ---------------------------------------------------------------------------------------------------
# Organisations
# ---------------------------------------------------------------------------------------------------


def _organisation_values(errors: FieldErrors, **fields) -> dict:
    values = {
        "name": clean_text(fields.get("name")),
        "legal_form": clean_text(fields.get("legal_form")),
        "description": clean_text(fields.get("description")),
        "phone": clean_text(fields.get("phone")),
        "address": clean_text(fields.get("address")),
        "town": clean_text(fields.get("town")),
        "income_band": clean_text(fields.get("income_band")),
        "accessibility": clean_text(fields.get("accessibility")),
    }
    _check_required(errors, "name", values["name"], "Enter the name of the organisation")
    _check_required(errors, "description", values["description"], "Describe what the organisation does")
    if values["legal_form"] not in Organisation.LegalForm.values:
        errors.add("legal_form", "Select the kind of organisation")
    if values["income_band"] and values["income_band"] not in Organisation.IncomeBand.values:
        errors.add("income_band", "Select an income band from the list")
    for name, label in (
        ("name", "Name"),
        ("phone", "Phone number"),
        ("address", "Address"),
        ("town", "Town"),
    ):
        _check_length(errors, Organisation, name, values[name], label)
    website = clean_text(fields.get("website"))
    values["website"] = errors.check("website", validators.web_address_clean, website) if website else ""
    values["email"] = _check_email(errors, "email", fields.get("email"))
    postcode = clean_text(fields.get("postcode"))
    values["postcode"] = errors.check("postcode", validators.postcode_clean, postcode) if postcode else ""
    return values


def _clean_identifiers(
    errors: FieldErrors, identifiers: Mapping[str, str], organisation=None
) -> dict[str, str]:
    """{scheme: cleaned identifier}; empty values drop the scheme. Checks no other listing uses them."""
    cleaned: dict[str, str] = {}
    for scheme, raw in identifiers.items():
        raw = clean_text(raw)
        if not raw:
            continue
        field_name = IDENTIFIER_FIELDS.get(scheme, "identifiers")
        try:
            cleaned[scheme] = validators.identifier_clean(scheme=scheme, value=raw)
        except ValidationError as error:
            for message in error.messages:
                errors.add(field_name, message)
    taken = OrganisationIdentifier.objects.filter(Q(pk__in=[]) | _identifier_q(cleaned)).select_related(
        "organisation"
    )
    if organisation is not None:
        taken = taken.exclude(organisation=organisation)
    for identifier in taken:
        errors.add(
            IDENTIFIER_FIELDS[identifier.scheme],
            f"{identifier.organisation.name} already has {IDENTIFIER_NAMES[identifier.scheme]} "
            f"{identifier.identifier} in the directory; check the number, or ask to join that listing",
        )
    return cleaned


def _identifier_q(cleaned: Mapping[str, str]) -> Q:
    query = Q(pk__in=[])
    for scheme, identifier in cleaned.items():
        query |= Q(scheme=scheme, identifier=identifier)
    return query


def _save_identifiers(organisation: Organisation, cleaned: Mapping[str, str]) -> None:
    organisation.identifiers.exclude(scheme__in=list(cleaned)).delete()
    for scheme, identifier in cleaned.items():
        OrganisationIdentifier.objects.update_or_create(
            organisation=organisation, scheme=scheme, defaults={"identifier": identifier}
        )


@transaction.atomic
def organisation_create(
    *,
    user,
    name: str,
    legal_form: str,
    description: str,
    website: str = "",
    email: str = "",
    phone: str = "",
    address: str = "",
    town: str = "",
    postcode: str = "",
    income_band: str = "",
    accessibility: str = "",
    areas_served: Iterable[Area] = (),
    identifiers: Mapping[str, str] | None = None,
) -> Organisation:
    """Register an organisation as a draft; the person who registers it becomes its owner."""
    _require_signed_in(user)
    started = timezone.now()
    errors = FieldErrors()
    values = _organisation_values(
        errors,
        name=name,
        legal_form=legal_form,
        description=description,
        website=website,
        email=email,
        phone=phone,
        address=address,
        town=town,
        postcode=postcode,
        income_band=income_band,
        accessibility=accessibility,
    )
    cleaned = _clean_identifiers(errors, identifiers or {})
    errors.raise_if_any()
    organisation = Organisation.objects.create(**values, status=Status.DRAFT)
    organisation.areas_served.set(list(areas_served))
    _save_identifiers(organisation, cleaned)
    OrganisationMembership.objects.create(
        organisation=organisation, user=user, role=OrganisationMembership.Role.OWNER
    )
    audit_actor_record(records=[organisation], user=user, since=started)
    return organisation


@transaction.atomic
def organisation_update(
    *,
    user,
    organisation: Organisation,
    name: str,
    legal_form: str,
    description: str,
    website: str = "",
    email: str = "",
    phone: str = "",
    address: str = "",
    town: str = "",
    postcode: str = "",
    income_band: str = "",
    accessibility: str = "",
    areas_served: Iterable[Area] | None = None,
    identifiers: Mapping[str, str] | None = None,
) -> Organisation:
    """Change an organisation's listing. `identifiers` replaces them all; None leaves them as they are."""
    _require_organisation_editor(user, organisation)
    started = timezone.now()
    errors = FieldErrors()
    values = _organisation_values(
        errors,
        name=name,
        legal_form=legal_form,
        description=description,
        website=website,
        email=email,
        phone=phone,
        address=address,
        town=town,
        postcode=postcode,
        income_band=income_band,
        accessibility=accessibility,
    )
    cleaned = _clean_identifiers(errors, identifiers, organisation) if identifiers is not None else None
    errors.raise_if_any()
    renamed = values["name"] != organisation.name
    for key, value in values.items():
        setattr(organisation, key, value)
    organisation.save()
    if areas_served is not None:
        organisation.areas_served.set(list(areas_served))
    if cleaned is not None:
        _save_identifiers(organisation, cleaned)
    if renamed:
        # Each offer's search text carries its organisation's name.
        for offer in organisation.offers.all():
            offer_refresh_search_text(offer)
    audit_actor_record(records=[organisation], user=user, since=started)
    return organisation


def _set_status(user, record, status: str, records_for_audit=None) -> None:
    started = timezone.now()
    record.status = status
    record.save(update_fields=["status", "updated_at"])
    audit_actor_record(records=records_for_audit or [record], user=user, since=started)


@transaction.atomic
def organisation_publish(*, user, organisation: Organisation) -> Organisation:
    """Make the listing public (its published offers appear with it)."""
    _require_organisation_editor(user, organisation)
    _set_status(user, organisation, Status.PUBLISHED)
    return organisation


@transaction.atomic
def organisation_archive(*, user, organisation: Organisation) -> Organisation:
    """Take the listing off the public directory; members and administrators still see it."""
    _require_organisation_editor(user, organisation)
    _set_status(user, organisation, Status.ARCHIVED)
    return organisation


# ---------------------------------------------------------------------------------------------------
# Venues
# ---------------------------------------------------------------------------------------------------


def _venue_values(errors: FieldErrors, *, name, address, town, postcode, accessibility) -> dict:
    values = {
        "name": clean_text(name),
        "address": clean_text(address),
        "town": clean_text(town),
        "accessibility": clean_text(accessibility),
    }
    _check_required(errors, "name", values["name"], "Enter the name of the venue")
    _check_required(errors, "address", values["address"], "Enter the venue’s address")
    _check_required(errors, "town", values["town"], "Enter the town or city")
    for name_, label in (("name", "Name"), ("address", "Address"), ("town", "Town or city")):
        _check_length(errors, Venue, name_, values[name_], label)
    postcode = clean_text(postcode)
    if not postcode:
        errors.add("postcode", "Enter the venue’s postcode")
    values["postcode"] = errors.check("postcode", validators.postcode_clean, postcode) if postcode else ""
    return values


@transaction.atomic
def venue_create(
    *,
    user,
    organisation: Organisation,
    name: str,
    address: str,
    town: str,
    postcode: str,
    accessibility: str = "",
) -> Venue:
    """Add a place where the organisation's offers happen (an HSDS location)."""
    _require_organisation_editor(user, organisation)
    started = timezone.now()
    errors = FieldErrors()
    values = _venue_values(
        errors, name=name, address=address, town=town, postcode=postcode, accessibility=accessibility
    )
    errors.raise_if_any()
    venue = Venue.objects.create(organisation=organisation, **values)
    audit_actor_record(records=[venue], user=user, since=started)
    return venue


@transaction.atomic
def venue_update(
    *,
    user,
    venue: Venue,
    name: str,
    address: str,
    town: str,
    postcode: str,
    accessibility: str = "",
) -> Venue:
    _require_organisation_editor(user, venue.organisation)
    started = timezone.now()
    errors = FieldErrors()
    values = _venue_values(
        errors, name=name, address=address, town=town, postcode=postcode, accessibility=accessibility
    )
    errors.raise_if_any()
    for key, value in values.items():
        setattr(venue, key, value)
    venue.save()
    audit_actor_record(records=[venue], user=user, since=started)
    return venue


# ---------------------------------------------------------------------------------------------------
# Offers
# ---------------------------------------------------------------------------------------------------


def _check_age(errors: FieldErrors, name: str, value, which: str):
    if value in (None, ""):
        return None
    try:
        age = int(value)
    except (TypeError, ValueError):
        age = -1
    if not 0 <= age <= MAX_AGE:
        errors.add(name, f"Enter a {which} age between 0 and {MAX_AGE}")
        return None
    return age


def _check_amount(errors: FieldErrors, price: str, amount):
    if amount in (None, ""):
        return None
    try:
        amount = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        errors.add("price_amount", "Enter the amount in pounds and pence, like 12.50")
        return None
    if price == Offer.Price.FREE:
        errors.add("price_amount", "Leave the amount empty for a free offer, or choose how it is charged")
    elif amount < 0:
        errors.add("price_amount", "Enter an amount of £0 or more")
    elif amount >= Decimal("10000000"):
        errors.add("price_amount", "Enter an amount less than £10,000,000")
    return amount


def _check_choices(errors: FieldErrors, name: str, values, choices, message: str) -> list[str]:
    allowed = [key for key, _label in choices]
    values = list(dict.fromkeys(values or []))
    if any(value not in allowed for value in values):
        errors.add(name, message)
    # Keep the list in the order the choices are shown, so the record reads the same however chosen.
    return [key for key in allowed if key in values]


def _offer_values(errors: FieldErrors, fields: dict) -> dict:
    values = {
        "name": clean_text(fields.get("name")),
        "description": clean_text(fields.get("description")),
        "eligibility": clean_text(fields.get("eligibility")),
        "schedule": clean_text(fields.get("schedule")),
        "contact_name": clean_text(fields.get("contact_name")),
        "contact_phone": clean_text(fields.get("contact_phone")),
    }
    _check_required(errors, "name", values["name"], "Enter the name of the offer")
    _check_required(errors, "description", values["description"], "Describe what the offer is")
    for name, label in (
        ("name", "Name"),
        ("schedule", "When it happens"),
        ("contact_name", "Contact name"),
        ("contact_phone", "Contact phone number"),
    ):
        _check_length(errors, Offer, name, values[name], label)
    values["delivery_modes"] = _check_choices(
        errors,
        "delivery_modes",
        fields.get("delivery_modes"),
        Offer.DELIVERY_MODES,
        "Select how the offer is delivered from the list",
    )
    values["referral_routes"] = _check_choices(
        errors,
        "referral_routes",
        fields.get("referral_routes"),
        Offer.REFERRAL_ROUTES,
        "Select how people are referred from the list",
    )
    values["minimum_age"] = _check_age(errors, "minimum_age", fields.get("minimum_age"), "minimum")
    values["maximum_age"] = _check_age(errors, "maximum_age", fields.get("maximum_age"), "maximum")
    if (
        values["minimum_age"] is not None
        and values["maximum_age"] is not None
        and values["maximum_age"] < values["minimum_age"]
    ):
        errors.add("maximum_age", "The maximum age must be the same as or more than the minimum age")
    capacity = fields.get("capacity")
    values["capacity"] = None
    if capacity not in (None, ""):
        try:
            values["capacity"] = int(capacity)
        except (TypeError, ValueError):
            values["capacity"] = 0
        if not 1 <= values["capacity"] <= 100000:
            errors.add("capacity", "Enter the number of people, from 1 to 100,000")
            values["capacity"] = None
    price = clean_text(fields.get("price")) or Offer.Price.FREE
    if price not in Offer.Price.values:
        errors.add("price", "Select how the offer is charged")
    values["price"] = price
    values["price_amount"] = _check_amount(errors, price, fields.get("price_amount"))
    languages = (clean_text(language) for language in fields.get("languages") or [])
    values["languages"] = [language for language in languages if language]
    url = clean_text(fields.get("url"))
    values["url"] = errors.check("url", validators.web_address_clean, url) if url else ""
    values["contact_email"] = _check_email(errors, "contact_email", fields.get("contact_email"))
    return values


def _check_terms(errors: FieldErrors, terms_by_field: Mapping[str, Iterable[Term]]) -> dict[str, list[Term]]:
    checked = {}
    for name, terms in terms_by_field.items():
        terms = list(terms)
        if any(term.scheme.key != TERM_SCHEMES[name] for term in terms):
            errors.add(name, "Select terms from the list")
        checked[name] = terms
    return checked


def _check_venues(errors: FieldErrors, organisation: Organisation, venues) -> list[Venue] | None:
    if venues is None:
        return None
    venues = list(venues)
    if any(venue.organisation_id != organisation.pk for venue in venues):
        errors.add("venues", "Select venues from your organisation’s list")
    return venues


def _save_offer_relations(offer: Offer, terms: dict, areas_served, venues) -> None:
    for name, chosen in terms.items():
        getattr(offer, name).set(chosen)
    if areas_served is not None:
        offer.areas_served.set(list(areas_served))
    if venues is not None:
        wanted = {venue.pk for venue in venues}
        offer.offer_venues.exclude(venue_id__in=wanted).delete()
        existing = set(offer.offer_venues.values_list("venue_id", flat=True))
        OfferVenue.objects.bulk_create([OfferVenue(offer=offer, venue_id=pk) for pk in wanted - existing])


def _split_offer_fields(fields: dict):
    terms = {
        name: fields.pop(name) for name in list(fields) if name in TERM_SCHEMES and fields[name] is not None
    }
    for name in TERM_SCHEMES:
        fields.pop(name, None)
    return terms, fields.pop("areas_served", None), fields.pop("venues", None)


@transaction.atomic
def offer_create(*, user, organisation: Organisation, name: str, description: str, **fields) -> Offer:
    """Add an offer (an HSDS service) to an organisation, as a draft.

    Other keyword arguments: delivery_modes, minimum_age, maximum_age, eligibility, capacity, price,
    price_amount, schedule, languages, referral_routes, contact_name, contact_email, contact_phone, url,
    themes, art_forms, populations, delivery_settings, outcomes (vocabulary Terms), areas_served (Areas),
    venues (the organisation's Venues).
    """
    _require_organisation_editor(user, organisation)
    started = timezone.now()
    terms, areas_served, venues = _split_offer_fields(fields)
    errors = FieldErrors()
    values = _offer_values(errors, {"name": name, "description": description, **fields})
    terms = _check_terms(errors, terms)
    venues = _check_venues(errors, organisation, venues)
    errors.raise_if_any()
    offer = Offer.objects.create(organisation=organisation, status=Status.DRAFT, **values)
    _save_offer_relations(offer, terms, areas_served or (), venues)
    offer_refresh_search_text(offer)
    audit_actor_record(records=[offer], user=user, since=started)
    return offer


@transaction.atomic
def offer_update(*, user, offer: Offer, name: str, description: str, **fields) -> Offer:
    """Change an offer. Term, area and venue arguments left out (or None) stay as they are."""
    _require_organisation_editor(user, offer.organisation)
    started = timezone.now()
    terms, areas_served, venues = _split_offer_fields(fields)
    errors = FieldErrors()
    values = _offer_values(errors, {"name": name, "description": description, **fields})
    terms = _check_terms(errors, terms)
    venues = _check_venues(errors, offer.organisation, venues)
    errors.raise_if_any()
    for key, value in values.items():
        setattr(offer, key, value)
    offer.save()
    _save_offer_relations(offer, terms, areas_served, venues)
    offer_refresh_search_text(offer)
    audit_actor_record(records=[offer], user=user, since=started)
    return offer


@transaction.atomic
def offer_publish(*, user, offer: Offer) -> Offer:
    """Make the offer public; it shows once its organisation's listing is published too."""
    _require_organisation_editor(user, offer.organisation)
    _set_status(user, offer, Status.PUBLISHED)
    return offer


@transaction.atomic
def offer_archive(*, user, offer: Offer) -> Offer:
    _require_organisation_editor(user, offer.organisation)
    _set_status(user, offer, Status.ARCHIVED)
    return offer


def offer_search_text(offer: Offer) -> str:
    """The words search should find the offer by: its own text, its organisation's name, the labels and
    synonyms of its vocabulary terms, and the names of the places it serves. Two queries."""
    term_ids = Q(pk__in=[])
    for name in TERM_SCHEMES:
        term_ids |= Q(pk__in=getattr(offer, name).values("pk"))
    words = [offer.name, offer.description, offer.eligibility, offer.organisation.name]
    for label, synonyms in Term.objects.filter(term_ids).order_by("pk").values_list("label", "synonyms"):
        words.append(label)
        words.extend(str(synonym) for synonym in synonyms or [])
    words.extend(offer.areas_served.order_by("name").values_list("name", flat=True))
    return "\n".join(word.strip() for word in words if word and word.strip())


def offer_refresh_search_text(offer: Offer) -> Offer:
    """Store the offer's search text. Call after anything the text is made from changes."""
    offer.search_text = offer_search_text(offer)
    Offer.objects.filter(pk=offer.pk).update(search_text=offer.search_text)
    return offer


# ---------------------------------------------------------------------------------------------------
# Consortia
# ---------------------------------------------------------------------------------------------------


def _consortium_values(errors: FieldErrors, *, name, description, contact_email, contact_phone) -> dict:
    values = {
        "name": clean_text(name),
        "description": clean_text(description),
        "contact_phone": clean_text(contact_phone),
    }
    _check_required(errors, "name", values["name"], "Enter the name of the consortium")
    _check_required(errors, "description", values["description"], "Describe what the consortium offers")
    _check_length(errors, Consortium, "name", values["name"], "Name")
    _check_length(errors, Consortium, "contact_phone", values["contact_phone"], "Phone number")
    if not clean_text(contact_email):
        errors.add("contact_email", "Enter the consortium’s contact email address")
    values["contact_email"] = _check_email(errors, "contact_email", contact_email)
    return values


def _check_lead(errors: FieldErrors, user, lead: Organisation | None) -> None:
    if lead is not None and not (
        is_administrator(user) or organisation_is_member(user=user, organisation=lead)
    ):
        errors.add("lead", "Choose one of your own organisations as the lead")


def _activate(membership: ConsortiumMember) -> None:
    now = timezone.now()
    membership.state = ConsortiumMember.State.ACTIVE
    membership.confirmed_by_consortium_at = membership.confirmed_by_consortium_at or now
    membership.confirmed_by_organisation_at = membership.confirmed_by_organisation_at or now
    membership.invitation_token = ""


def _join_as_lead(consortium: Consortium, lead: Organisation) -> None:
    """The lead organisation is a member: the person choosing it speaks for both sides."""
    membership, _created = ConsortiumMember.objects.get_or_create(
        consortium=consortium,
        organisation=lead,
        defaults={"state": ConsortiumMember.State.ACTIVE, "role": "Lead organisation"},
    )
    _activate(membership)
    membership.save()


@transaction.atomic
def consortium_create(
    *,
    user,
    area: Area,
    name: str,
    description: str,
    contact_email: str,
    contact_phone: str = "",
    lead: Organisation | None = None,
) -> Consortium:
    """Start a consortium as a draft; its creator becomes the coordinator. The lead must be one of the
    creator's organisations, unless an administrator sets it."""
    _require_signed_in(user)
    require(
        consortium_can_create(user=user),
        "Add your organisation to the directory before you start a consortium.",
    )
    started = timezone.now()
    errors = FieldErrors()
    values = _consortium_values(
        errors, name=name, description=description, contact_email=contact_email, contact_phone=contact_phone
    )
    if area is None:
        errors.add("area", "Enter the place the consortium works in")
    _check_lead(errors, user, lead)
    errors.raise_if_any()
    consortium = Consortium.objects.create(
        area=area, lead=lead, coordinator=user, status=Status.DRAFT, **values
    )
    if lead is not None:
        _join_as_lead(consortium, lead)
    audit_actor_record(records=[consortium], user=user, since=started)
    return consortium


@transaction.atomic
def consortium_update(
    *,
    user,
    consortium: Consortium,
    area: Area,
    name: str,
    description: str,
    contact_email: str,
    contact_phone: str = "",
    lead: Organisation | None = None,
) -> Consortium:
    _require_consortium_editor(user, consortium)
    started = timezone.now()
    errors = FieldErrors()
    values = _consortium_values(
        errors, name=name, description=description, contact_email=contact_email, contact_phone=contact_phone
    )
    if area is None:
        errors.add("area", "Enter the place the consortium works in")
    if lead is not None and lead.pk != consortium.lead_id:
        is_active_member = consortium.memberships.filter(
            organisation=lead, state=ConsortiumMember.State.ACTIVE
        ).exists()
        if not (
            is_active_member or is_administrator(user) or organisation_is_member(user=user, organisation=lead)
        ):
            errors.add("lead", "Choose a member of the consortium as the lead")
    errors.raise_if_any()
    for key, value in values.items():
        setattr(consortium, key, value)
    consortium.area = area
    consortium.lead = lead
    consortium.save()
    if lead is not None:
        _join_as_lead(consortium, lead)
    audit_actor_record(records=[consortium], user=user, since=started)
    return consortium


@transaction.atomic
def consortium_publish(*, user, consortium: Consortium) -> Consortium:
    _require_consortium_editor(user, consortium)
    _set_status(user, consortium, Status.PUBLISHED)
    return consortium


@transaction.atomic
def consortium_archive(*, user, consortium: Consortium) -> Consortium:
    _require_consortium_editor(user, consortium)
    _set_status(user, consortium, Status.ARCHIVED)
    return consortium


def _invitation_url(token: str) -> str:
    return site_url(reverse("directory:consortium_accept", args=[token]))


@transaction.atomic
def consortium_invite(
    *,
    user,
    consortium: Consortium,
    email: str,
    organisation: Organisation | None = None,
    role: str = "",
) -> ConsortiumMember:
    """Invite an organisation (or whoever receives the email) to join. The membership stays 'invited'
    until a member of the organisation accepts through the link in the email."""
    _require_consortium_editor(user, consortium)
    started = timezone.now()
    errors = FieldErrors()
    email = clean_text(email)
    if not email:
        errors.add("email", "Enter the email address to send the invitation to")
    email = _check_email(errors, "email", email)
    role = clean_text(role)
    _check_length(errors, ConsortiumMember, "role", role, "Role")
    membership = None
    if organisation is not None:
        membership = ConsortiumMember.objects.filter(consortium=consortium, organisation=organisation).first()
        if membership is not None and membership.state == ConsortiumMember.State.ACTIVE:
            errors.add("organisation", f"{organisation.name} is already a member of the consortium")
    errors.raise_if_any()
    now = timezone.now()
    if membership is not None and membership.state == ConsortiumMember.State.REQUESTED:
        # They asked to join and the consortium now says yes: both sides have confirmed.
        membership.confirmed_by_consortium_at = now
        membership.role = role or membership.role
        _activate(membership)
        membership.save()
        audit_actor_record(records=[membership], user=user, since=started)
        return membership
    if membership is None:
        membership = ConsortiumMember(consortium=consortium, organisation=organisation)
    membership.state = ConsortiumMember.State.INVITED
    membership.role = role
    membership.invited_email = email
    membership.invitation_token = secrets.token_urlsafe(32)
    membership.confirmed_by_consortium_at = now
    membership.confirmed_by_organisation_at = None
    membership.save()
    emails.consortium_invitation_send(
        membership=membership, accept_url=_invitation_url(membership.invitation_token), invited_by=user
    )
    audit_actor_record(records=[membership], user=user, since=started)
    return membership


def _waiting_invitation(token: str) -> ConsortiumMember:
    membership = (
        ConsortiumMember.objects.select_related("consortium", "organisation")
        .filter(invitation_token=token, state=ConsortiumMember.State.INVITED)
        .first()
        if token
        else None
    )
    if membership is None:
        raise ValidationError(
            "This invitation has been used or withdrawn. Ask the coordinator for a new one."
        )
    return membership


@transaction.atomic
def consortium_accept_invitation(
    *, user, token: str, organisation: Organisation | None = None
) -> ConsortiumMember:
    """Accept an invitation for an organisation the user is a member of; the membership becomes active.
    An invitation sent to an email address alone needs the organisation that is joining."""
    _require_signed_in(user)
    started = timezone.now()
    membership = _waiting_invitation(token)
    joining = membership.organisation or organisation
    if joining is None:
        raise ValidationError({"organisation": "Select the organisation that is joining"})
    require(
        organisation_is_member(user=user, organisation=joining),
        f"Only members of {joining.name} can accept an invitation for it.",
    )
    if membership.organisation is None:
        existing = (
            ConsortiumMember.objects.filter(consortium=membership.consortium, organisation=joining)
            .exclude(pk=membership.pk)
            .first()
        )
        if existing is not None:
            if existing.state == ConsortiumMember.State.ACTIVE:
                raise ValidationError(
                    {"organisation": f"{joining.name} is already a member of the consortium"}
                )
            # One row per organisation: carry the invitation over to its earlier membership.
            existing.role = membership.role or existing.role
            existing.invited_email = membership.invited_email
            existing.confirmed_by_consortium_at = membership.confirmed_by_consortium_at
            membership.delete()
            membership = existing
        membership.organisation = joining
    membership.confirmed_by_organisation_at = timezone.now()
    _activate(membership)
    membership.save()
    audit_actor_record(records=[membership], user=user, since=started)
    return membership


@transaction.atomic
def consortium_decline_invitation(
    *, user, token: str, organisation: Organisation | None = None
) -> ConsortiumMember:
    _require_signed_in(user)
    started = timezone.now()
    membership = _waiting_invitation(token)
    if membership.organisation is not None:
        require(
            organisation_is_member(user=user, organisation=membership.organisation),
            f"Only members of {membership.organisation.name} can decline an invitation for it.",
        )
    membership.state = ConsortiumMember.State.DECLINED
    membership.invitation_token = ""
    membership.save()
    audit_actor_record(records=[membership], user=user, since=started)
    return membership


@transaction.atomic
def consortium_request_to_join(
    *, user, consortium: Consortium, organisation: Organisation, role: str = ""
) -> ConsortiumMember:
    """Ask for an organisation to join; the coordinator confirms. If the consortium has already invited
    the organisation, asking confirms the invitation and the organisation joins at once."""
    _require_signed_in(user)
    require(
        organisation_is_member(user=user, organisation=organisation),
        f"Only members of {organisation.name} can ask for it to join a consortium.",
    )
    require(consortium_can_view(user=user, consortium=consortium), "This consortium is not published.")
    started = timezone.now()
    errors = FieldErrors()
    role = clean_text(role)
    _check_length(errors, ConsortiumMember, "role", role, "Role")
    membership = ConsortiumMember.objects.filter(consortium=consortium, organisation=organisation).first()
    if membership is not None and membership.state == ConsortiumMember.State.ACTIVE:
        errors.add("organisation", f"{organisation.name} is already a member of the consortium")
    if membership is not None and membership.state == ConsortiumMember.State.REQUESTED:
        errors.add(
            "organisation", f"{organisation.name} has already asked to join; the coordinator will reply"
        )
    errors.raise_if_any()
    now = timezone.now()
    if membership is None:
        membership = ConsortiumMember(consortium=consortium, organisation=organisation)
    membership.role = role or membership.role
    membership.confirmed_by_organisation_at = now
    if membership.state == ConsortiumMember.State.INVITED:
        _activate(membership)
    else:
        membership.state = ConsortiumMember.State.REQUESTED
        membership.confirmed_by_consortium_at = None
        membership.invitation_token = ""
    membership.save()
    if membership.state == ConsortiumMember.State.REQUESTED:
        emails.consortium_request_send(membership=membership, requested_by=user)
    audit_actor_record(records=[membership], user=user, since=started)
    return membership


@transaction.atomic
def consortium_confirm_request(*, user, membership: ConsortiumMember) -> ConsortiumMember:
    """The coordinator says yes to an organisation that asked to join."""
    _require_consortium_editor(user, membership.consortium)
    if membership.state != ConsortiumMember.State.REQUESTED:
        raise ValidationError("Only a request to join can be confirmed.")
    started = timezone.now()
    membership.confirmed_by_consortium_at = timezone.now()
    _activate(membership)
    membership.save()
    audit_actor_record(records=[membership], user=user, since=started)
    return membership


def _end_membership(user, membership: ConsortiumMember, state: str) -> ConsortiumMember:
    started = timezone.now()
    membership.state = state
    membership.invitation_token = ""
    membership.save()
    consortium = membership.consortium
    if membership.organisation_id and consortium.lead_id == membership.organisation_id:
        consortium.lead = None
        consortium.save(update_fields=["lead", "updated_at"])
    audit_actor_record(records=[membership, consortium], user=user, since=started)
    return membership


@transaction.atomic
def consortium_leave(*, user, membership: ConsortiumMember) -> ConsortiumMember:
    """An organisation's member takes it out of the consortium (or withdraws its request)."""
    _require_signed_in(user)
    require(
        membership.organisation is not None
        and organisation_is_member(user=user, organisation=membership.organisation),
        "Only the organisation’s members can take it out of a consortium.",
    )
    if membership.state not in (
        ConsortiumMember.State.ACTIVE,
        ConsortiumMember.State.REQUESTED,
        ConsortiumMember.State.INVITED,
    ):
        raise ValidationError("The organisation is not in this consortium.")
    return _end_membership(user, membership, ConsortiumMember.State.LEFT)


@transaction.atomic
def consortium_remove_member(*, user, membership: ConsortiumMember) -> ConsortiumMember:
    """The coordinator removes a member, withdraws an invitation, or turns down a request."""
    _require_consortium_editor(user, membership.consortium)
    if membership.state not in (
        ConsortiumMember.State.ACTIVE,
        ConsortiumMember.State.REQUESTED,
        ConsortiumMember.State.INVITED,
    ):
        raise ValidationError("The organisation is not in this consortium.")
    return _end_membership(user, membership, ConsortiumMember.State.REMOVED)


# ---------------------------------------------------------------------------------------------------
# Demo examples
# ---------------------------------------------------------------------------------------------------


class DemoDataError(Exception):
    """The examples file is missing or names something that does not exist."""


@dataclass
class DemoReport:
    created: int = 0
    updated: int = 0
    skipped: list[str] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated)


def _upsert(report: DemoReport, model, lookup: dict, values: dict):
    """Create or update one record, saving only when something differs (so a second run changes nothing)."""
    record = model.objects.filter(**lookup).first()
    if record is None:
        report.created += 1
        return model.objects.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(record, name) != value]
    if changed:
        for name in changed:
            setattr(record, name, values[name])
        record.save()
        report.updated += 1
    return record


def _terms_for(keys_by_field: dict[str, list[str]], context: str) -> dict[str, list[Term]]:
    found = {}
    for field_name, scheme_key in TERM_SCHEMES.items():
        keys = keys_by_field.get(field_name if field_name != "delivery_settings" else "settings") or []
        terms = list(Term.objects.filter(scheme__key=scheme_key, key__in=keys))
        missing = set(keys) - {term.key for term in terms}
        if missing:
            raise DemoDataError(
                f"{context}: no {scheme_key} term {', '.join(sorted(missing))}. Load the vocabulary first."
            )
        found[field_name] = terms
    return found


def _demo_offer(report: DemoReport, organisation: Organisation, data: dict, area: Area) -> None:
    values = {
        "description": data["description"].strip(),
        "delivery_modes": list(data.get("delivery_modes") or []),
        "price": data.get("price", Offer.Price.FREE),
        "referral_routes": list(data.get("referral_routes") or []),
        "schedule": data.get("schedule", ""),
        "eligibility": data.get("eligibility", ""),
        "status": Status.PUBLISHED,
    }
    offer = _upsert(report, Offer, {"organisation": organisation, "name": data["name"]}, values)
    for field_name, terms in _terms_for(data, data["name"]).items():
        getattr(offer, field_name).set(terms)
    offer.areas_served.set([area])
    offer_refresh_search_text(offer)


def _demo_locality(report: DemoReport, locality: dict) -> None:
    area = Area.objects.filter(code=locality["area"]).first()
    if area is None:
        report.skipped.append(f"{locality['area']}: area not loaded")
        return
    organisations = {}
    for data in locality.get("organisations") or []:
        values = {
            "legal_form": data["legal_form"],
            "description": data["description"].strip(),
            "email": data.get("email", ""),
            "status": Status.PUBLISHED,
        }
        organisation = _upsert(report, Organisation, {"name": data["name"], "is_example": True}, values)
        organisation.areas_served.set([area])
        organisations[data["name"]] = organisation
        for offer in data.get("offers") or []:
            _demo_offer(report, organisation, offer, area)
    consortium_data = locality.get("consortium")
    if not consortium_data:
        return
    lead_name = consortium_data.get("lead")
    if lead_name and lead_name not in organisations:
        raise DemoDataError(f"{consortium_data['name']}: its lead {lead_name} is not in the same locality.")
    consortium = _upsert(
        report,
        Consortium,
        {"name": consortium_data["name"], "is_example": True},
        {
            "description": consortium_data["description"].strip(),
            "area": area,
            "lead": organisations.get(lead_name),
            "contact_email": consortium_data["contact_email"],
            "status": Status.PUBLISHED,
        },
    )
    for name, organisation in organisations.items():
        membership = _upsert(
            report,
            ConsortiumMember,
            {"consortium": consortium, "organisation": organisation},
            {
                "state": ConsortiumMember.State.ACTIVE,
                "role": "Lead organisation" if name == lead_name else "",
            },
        )
        if membership.confirmed_by_consortium_at is None:
            _activate(membership)
            membership.save()


def directory_demo_load(*, path=None) -> DemoReport:
    """Load the example organisations, offers and consortia (demo_data/directory/examples.yaml).

    Safe to run again: records are matched by name and only saved when something differs. Localities
    whose area is not loaded are skipped and reported, and so is everything when the vocabulary is not.
    """
    import yaml

    path = path or settings.DEMO_DATA_DIR / "directory" / "examples.yaml"
    try:
        with open(path, encoding="utf-8") as examples:
            data = yaml.safe_load(examples)
    except OSError as error:
        raise DemoDataError(f"Cannot read {path}: {error}") from error
    report = DemoReport()
    if not Term.objects.exists():
        report.skipped.append("every locality: the shared vocabulary is not loaded yet")
        return report
    with transaction.atomic():
        for locality in data.get("localities") or []:
            _demo_locality(report, locality)
    return report

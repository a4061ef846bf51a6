"""Changing what the registers put together: undoing a join of two register entries."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from culturehub.core.audit import audit_actor_record
from culturehub.core.permissions import is_administrator, require
from culturehub.directory.models import Organisation, OrganisationIdentifier, Origin, Status
from culturehub.directory.validators import org_id_parse
from culturehub.registers.importers.base import LISTING_FIELDS
from culturehub.registers.models import Investment, ListingMatch, MuseumDetail, RegisterRecord
from culturehub.registers.tagging import tagging_from_data
from culturehub.vocabulary.tagging import apply_tagging

ONLY_ADMINISTRATORS = "Only administrators can undo a match between register entries."


def reverse_match(admin_user, match: ListingMatch) -> Organisation:
    """Split a register entry back out of the listing it was joined to, into a listing of its own.

    The entry's money, museum details and the identifiers only it brought go with it; the match is
    kept, marked with who undid it and when, and the audit trail names the administrator. Later
    imports leave the entry where it now is, because they find it by its register key.
    """
    require(is_administrator(admin_user), ONLY_ADMINISTRATORS)
    with transaction.atomic():
        match = ListingMatch.objects.select_for_update().select_related("record").get(pk=match.pk)
        if match.is_reversed:
            raise ValidationError("This match has already been undone.", code="already_reversed")
        record = match.record
        if record.organisation_id != match.organisation_id:
            raise ValidationError(
                "The entry is no longer on that listing, so there is nothing to undo.", code="moved"
            )
        since = timezone.now()
        organisation = _listing_from_record(record)
        old_organisation_id = record.organisation_id
        record.organisation = organisation
        record.save(update_fields=["organisation"])
        Investment.objects.filter(record=record).update(organisation=organisation)
        MuseumDetail.objects.filter(record=record).update(organisation=organisation)
        moved = _move_own_identifiers(record, old_organisation_id, organisation)
        match.reversed_by = admin_user
        match.reversed_at = timezone.now()
        match.save(update_fields=["reversed_by", "reversed_at"])
        audit_actor_record(records=[match, organisation, *moved], user=admin_user, since=since)
    return organisation


def _listing_from_record(record: RegisterRecord) -> Organisation:
    listing = record.data.get("listing") or {}
    values = {name: listing[name] for name in LISTING_FIELDS if listing.get(name)}
    values.setdefault("name", record.name[:200])
    organisation = Organisation.objects.create(
        origin=Origin.REGISTER,
        origin_id=f"{record.source}:{record.source_id}",
        status=Status.PUBLISHED,
        **{"legal_form": "", "description": "", **values},
    )
    if record.area_id:
        organisation.areas_served.add(record.area_id)
    tagging = tagging_from_data(record.data.get("tagging"))
    if tagging is not None:
        apply_tagging(organisation, tagging)
    return organisation


def _move_own_identifiers(record: RegisterRecord, old_organisation_id, organisation: Organisation) -> list:
    """Identifiers this entry brought that no other entry on the old listing also carries."""
    others = RegisterRecord.objects.filter(organisation_id=old_organisation_id).exclude(pk=record.pk)
    kept = {org_id for other in others for org_id in other.data.get("identifiers", [])}
    moved = []
    for org_id in record.data.get("identifiers", []):
        if org_id in kept:
            continue
        scheme, value = org_id_parse(org_id)
        identifier = OrganisationIdentifier.objects.filter(
            organisation_id=old_organisation_id, scheme=scheme, identifier=value
        ).first()
        if identifier is not None:
            identifier.organisation = organisation
            identifier.save(update_fields=["organisation"])
            moved.append(identifier)
    return moved

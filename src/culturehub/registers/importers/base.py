"""What every register importer shares: turning a register entry into a listing, once.

A register importer's `parse_row` returns an `Entry` (or a Skip, or raises RowRejected); this class
stores it. An entry seen before (same register, same key) goes back to its listing; a changed entry
updates its record, and the listing too when the listing is still the register's own (made from this
entry, unclaimed). A new entry joins a listing with the same register number, or one with a close
name in the same place (see `matching`), and the join is recorded; otherwise it becomes a new
published listing with no members, ready to be claimed. A person's listing is never overwritten: an
entry that joins it adds its record, identifiers and places, nothing more.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone

from culturehub.core.importers import BaseImporter, BatchCounts, RowRejected
from culturehub.core.models import ImportRun
from culturehub.directory import validators
from culturehub.directory.models import (
    Organisation,
    OrganisationIdentifier,
    OrganisationMembership,
    Origin,
    Status,
)
from culturehub.registers.areas import AreaLookup
from culturehub.registers.matching import MatchIndex
from culturehub.registers.models import ListingMatch, RegisterRecord
from culturehub.registers.tagging import tagging_as_data, tagging_keys
from culturehub.vocabulary.tagging import apply_tagging

INCOME_BANDS = (
    (Decimal("10000"), Organisation.IncomeBand.UNDER_10K),
    (Decimal("100000"), Organisation.IncomeBand.FROM_10K),
    (Decimal("1000000"), Organisation.IncomeBand.FROM_100K),
    (Decimal("10000000"), Organisation.IncomeBand.FROM_1M),
)
# The listing fields an entry fills; `name` is always set, the others only when the register gives them.
LISTING_FIELDS = (
    "name",
    "legal_form",
    "description",
    "website",
    "email",
    "phone",
    "address",
    "town",
    "postcode",
    "income_band",
)
FIELD_LIMITS = {"name": 200, "address": 300, "town": 100, "postcode": 8, "phone": 30, "website": 500}


@dataclass
class Entry:
    """One register entry, clean, as `parse_row` returns it."""

    source: str
    source_id: str
    name: str
    listing: dict[str, str] = field(default_factory=dict)  # LISTING_FIELDS other than name
    postcode: str = ""
    area_id: int | None = None
    area_basis: str = ""
    areas_served: tuple[int, ...] = ()
    identifiers: tuple[tuple[str, str], ...] = ()
    data: dict[str, Any] = field(default_factory=dict)
    tagging: Any = None  # a vocabulary Tagging, or None
    make_listing: bool = True  # False for a private individual: money is counted, no listing made
    extra: Any = None  # what the importer stores beside the record (awards, museum details)

    @property
    def key(self) -> str:
        return f"{self.source}:{self.source_id}"

    def fingerprint(self) -> str:
        content = {
            "name": self.name,
            "listing": self.listing,
            "postcode": self.postcode,
            "area": self.area_id,
            "area_basis": self.area_basis,
            "areas_served": sorted(self.areas_served),
            "identifiers": sorted(self.identifiers),
            "data": self.data,
            # What the tagging decided, not its scores or the phrases it quotes: those may shift with
            # the tagger's version without changing a label, and must not make a listing "updated".
            "tagging": tagging_keys(self.tagging),
        }
        return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


# ---------------------------------------------------------------------------------------------------
# Cleaning helpers shared by the register importers
# ---------------------------------------------------------------------------------------------------


def text(value: Any, limit: int | None = None) -> str:
    cleaned = " ".join(str(value).split()) if value not in (None, "") else ""
    if limit and len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rstrip() + "…"
    return cleaned


def clean_postcode(value: Any) -> str:
    """The postcode in standard form, or "" when the register gives none or only a town."""
    try:
        return validators.postcode_clean(str(value or ""))
    except Exception:  # noqa: BLE001  ValidationError: registers put towns ("POOLE") in the postcode
        return ""


def clean_website(value: Any) -> str:
    raw = text(value)
    if not raw:
        return ""
    try:
        cleaned = validators.web_address_clean(raw)
    except Exception:  # noqa: BLE001  a malformed address is left out rather than the whole entry
        return ""
    return cleaned if len(cleaned) <= FIELD_LIMITS["website"] else ""


def clean_identifier(scheme: str, value: Any) -> str:
    raw = text(value)
    if raw.endswith(".0"):  # spreadsheets turn company numbers into floats
        raw = raw[:-2]
    if not raw or raw in {"0", "None"}:
        return ""
    try:
        return validators.identifier_clean(scheme=scheme, value=raw)
    except Exception:  # noqa: BLE001
        return ""


def parse_money(value: Any, *, field: str, required: bool = False) -> Decimal | None:
    """A sum of money in pounds; an empty cell is None (or rejected when required)."""
    if value in (None, ""):
        if required:
            raise RowRejected(f"{field} is empty. Give the amount in pounds, like 15000.", field=field)
        return None
    if isinstance(value, int | float | Decimal):
        amount = Decimal(str(value))
    else:
        cleaned = str(value).strip().replace(",", "").replace("£", "")
        try:
            amount = Decimal(cleaned)
        except Exception:  # noqa: BLE001  decimal.InvalidOperation
            raise RowRejected(
                f"{field} is '{text(value, 30)}', which is not an amount of money. Use digits, like 15000.",
                field=field,
            ) from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e10"):
        raise RowRejected(f"{field} is '{text(value, 30)}', which is not a plausible amount.", field=field)
    return amount.quantize(Decimal("0.01"))


def income_band(income: Decimal | None) -> str:
    if income is None:
        return ""
    for limit, band in INCOME_BANDS:
        if income < limit:
            return band
    return Organisation.IncomeBand.OVER_10M


# ---------------------------------------------------------------------------------------------------
# The importer
# ---------------------------------------------------------------------------------------------------


class RegisterImporter(BaseImporter):
    batch_size = 500

    def before_run(self, run: ImportRun) -> None:
        self.now = timezone.now()
        self.index = MatchIndex.load()
        self.areas = AreaLookup.load()
        self.matches: Counter[str] = Counter()
        self.messages: list[str] = []
        self.seen: dict[str, str] = {}
        self.repeated = 0

    def log_lines(self) -> list[str]:
        lines = list(self.messages)
        if self.repeated:
            lines.append(
                f"Entries repeated in the file with different details (the first row kept): "
                f"{self.repeated:,}."
            )
        if self.matches:
            lines.append(
                "Joined to existing listings: "
                + ", ".join(f"{count:,} by {method}" for method, count in sorted(self.matches.items()))
                + "."
            )
        return lines

    def store_extra(self, record: RegisterRecord | None, entry: Entry, run: ImportRun) -> tuple[bool, bool]:
        """Store what sits beside the record; return (created, changed). Subclasses override."""
        return False, False

    # Storing ------------------------------------------------------------------------------------------

    def store_batch(self, records: list[Entry], run: ImportRun) -> BatchCounts:
        counts = BatchCounts()
        existing = self._existing(records)
        unchanged: list[int] = []
        for entry in records:
            record, state = None, "unchanged"
            if entry.make_listing:
                record, state = self._store_entry(entry, existing.get((entry.source, entry.source_id)), run)
                existing[(entry.source, entry.source_id)] = record
                if state == "unchanged":
                    unchanged.append(record.pk)
            extra_created, extra_changed = self.store_extra(record, entry, run)
            if state == "created" or (state == "unchanged" and extra_created):
                counts.created += 1
            elif state == "updated" or extra_changed:
                counts.updated += 1
            else:
                counts.unchanged += 1
        if unchanged:
            RegisterRecord.objects.filter(pk__in=unchanged).update(last_seen=self.now, last_run=run)
        return counts

    def _existing(self, entries: list[Entry]) -> dict[tuple[str, str], RegisterRecord]:
        wanted = Q(pk__in=[])
        for source in {entry.source for entry in entries}:
            ids = [entry.source_id for entry in entries if entry.source == source and entry.make_listing]
            wanted |= Q(source=source, source_id__in=ids)
        records = RegisterRecord.objects.filter(wanted).select_related("organisation")
        return {(record.source, record.source_id): record for record in records}

    def _store_entry(self, entry: Entry, record: RegisterRecord | None, run: ImportRun):
        fingerprint = entry.fingerprint()
        if record is not None and entry.key in self.seen:
            # The same entry again in one file: the first row stands, so a second run agrees with the first.
            if self.seen[entry.key] != fingerprint:
                self.repeated += 1
            return record, "unchanged"
        self.seen[entry.key] = fingerprint
        if record is not None and record.fingerprint == fingerprint:
            return record, "unchanged"
        if record is not None:
            for name, value in self._record_values(entry, fingerprint, run).items():
                setattr(record, name, value)
            record.save()
            organisation = record.organisation
            if self._is_own_listing(organisation, entry):
                self._write_listing(organisation, entry)
            self._add_places_and_identifiers(organisation, entry, own=self._is_unclaimed(organisation))
            return record, "updated"
        organisation, match = self._find_listing(entry)
        own = organisation is None
        if organisation is None:
            organisation = self._create_listing(entry)
        record = RegisterRecord.objects.create(
            source=entry.source,
            source_id=entry.source_id,
            organisation=organisation,
            **self._record_values(entry, fingerprint, run),
        )
        if match is not None:
            method, score, matched_on = match
            ListingMatch.objects.create(
                organisation=organisation,
                record=record,
                method=method,
                score=score,
                matched_on=matched_on,
                run=run,
            )
            self.matches[method] += 1
            self._fill_blanks(organisation, entry)
        self._add_places_and_identifiers(organisation, entry, own=own or self._is_unclaimed(organisation))
        self.index.add(
            organisation.pk,
            name=organisation.name,
            postcode=entry.postcode,
            source=entry.source,
            area_id=entry.area_id,
        )
        return record, "created"

    def _record_values(self, entry: Entry, fingerprint: str, run: ImportRun) -> dict:
        data = dict(entry.data)
        data["listing"] = {"name": entry.name, **entry.listing}
        if entry.tagging is not None:
            data["tagging"] = tagging_as_data(entry.tagging)
        if entry.identifiers:
            data["identifiers"] = [f"{scheme}-{value}" for scheme, value in entry.identifiers]
        return {
            "name": text(entry.name, 300),
            "postcode": entry.postcode,
            "area_id": entry.area_id,
            "area_basis": entry.area_basis,
            "data": data,
            "fingerprint": fingerprint,
            "last_seen": self.now,
            "last_run": run,
        }

    # Listings -----------------------------------------------------------------------------------------

    def _find_listing(self, entry: Entry):
        """The listing this new entry joins and why, or (None, None)."""
        if entry.identifiers:
            wanted = Q(pk__in=[])
            for scheme, value in entry.identifiers:
                wanted |= Q(scheme=scheme, identifier=value)
            identifier = OrganisationIdentifier.objects.filter(wanted).select_related("organisation").first()
            if identifier is not None and identifier.organisation.status != Status.ARCHIVED:
                name = identifier.get_scheme_display()
                return identifier.organisation, (
                    ListingMatch.Method.IDENTIFIER,
                    None,
                    f"{name} number {identifier.org_id}",
                )
        found = self.index.find(
            name=entry.name, source=entry.source, postcode=entry.postcode, area_id=entry.area_id
        )
        if found is not None:
            organisation = Organisation.objects.filter(pk=found.organisation_id).first()
            if organisation is not None:
                return organisation, (ListingMatch.Method.FUZZY, found.score, found.matched_on)
        return None, None

    def _create_listing(self, entry: Entry) -> Organisation:
        values = self._listing_values(entry)
        return Organisation.objects.create(
            origin=Origin.REGISTER,
            origin_id=entry.key,
            status=Status.PUBLISHED,
            **{"legal_form": "", "description": "", **values},
        )

    @staticmethod
    def _listing_values(entry: Entry) -> dict:
        values = {"name": entry.name, **{k: v for k, v in entry.listing.items() if v}}
        for name, limit in FIELD_LIMITS.items():
            if name in values and len(values[name]) > limit:
                values[name] = text(values[name], limit) if name != "website" else ""
        return {name: value for name, value in values.items() if name in LISTING_FIELDS and value != ""}

    @staticmethod
    def _is_unclaimed(organisation: Organisation) -> bool:
        return (
            organisation.origin == Origin.REGISTER
            and not OrganisationMembership.objects.filter(organisation=organisation).exists()
        )

    def _is_own_listing(self, organisation: Organisation, entry: Entry) -> bool:
        """The listing was made from this entry and nobody has claimed it: the register may update it."""
        return organisation.origin_id == entry.key and self._is_unclaimed(organisation)

    def _write_listing(self, organisation: Organisation, entry: Entry) -> None:
        values = self._listing_values(entry)
        changed = [name for name, value in values.items() if getattr(organisation, name) != value]
        for name in changed:
            setattr(organisation, name, values[name])
        if changed:
            organisation.save(update_fields=[*changed, "updated_at"])

    def _fill_blanks(self, organisation: Organisation, entry: Entry) -> None:
        """A second register may complete an unclaimed listing (a website, a postcode), never change it."""
        if not self._is_unclaimed(organisation):
            return
        values = self._listing_values(entry)
        blanks = [
            name for name, value in values.items() if name != "name" and not getattr(organisation, name)
        ]
        for name in blanks:
            setattr(organisation, name, values[name])
        if blanks:
            organisation.save(update_fields=[*blanks, "updated_at"])

    def _add_places_and_identifiers(self, organisation: Organisation, entry: Entry, *, own: bool) -> None:
        if own:
            if organisation.origin_id == entry.key and entry.tagging is not None:
                apply_tagging(organisation, entry.tagging)
            wanted = {entry.area_id, *entry.areas_served} - {None}
            if wanted:
                current = set(organisation.areas_served.values_list("pk", flat=True))
                if wanted - current:
                    organisation.areas_served.add(*(wanted - current))
                for area_id in wanted:
                    self.index.add_area(organisation.pk, area_id)
        for scheme, value in entry.identifiers:
            if not OrganisationIdentifier.objects.filter(scheme=scheme, identifier=value).exists():
                OrganisationIdentifier.objects.create(
                    organisation=organisation, scheme=scheme, identifier=value
                )

"""Import an Open Referral UK feed (HSDS 3.0 UK profile) into organisations, offers and venues.

Reads a file or a URL holding one service, a page of services (`contents`), a list of services, or
an ORUK API (its `/` metadata or its `/services` list), following `page` until `last_page`.

Each HSDS service becomes an Offer (`origin=oruk`, `origin_id` = the service id) of an Organisation
(`origin_id` = the organization id); each service_at_location with an address becomes a Venue and
an OfferVenue. The feed's UUIDs become the primary keys, so the ids a council publishes stay the
ids Culture Hub publishes, unless a record from elsewhere already has that key (then a new key is
made and `origin_id` still links back). Only records that came from this feed are ever updated; a
record missing from the feed is kept; a second run of the same feed changes nothing. Offers are
published only when the feed says the service is active; otherwise they are drafts.

A service that cannot be loaded (no name, an id that is not a UUID, a field of the wrong type, no
organisation) is rejected with its id and the reason, and the others load.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from culturehub.core.importers import BaseImporter, BatchCounts, ImportFileError, RawRow, RowRejected
from culturehub.core.models import ImportRun
from culturehub.directory.models import (
    Offer,
    OfferVenue,
    Organisation,
    OrganisationIdentifier,
    Origin,
    Status,
    Venue,
)
from culturehub.directory.oruk.cultural import service_is_cultural
from culturehub.directory.oruk.ids import stable_id
from culturehub.directory.oruk.validation import error_field, validator
from culturehub.places.models import Area

__all__ = ["OrukImporter", "service_is_cultural"]

# Seconds to wait to connect to a feed, then for each page: long enough for a slow council server,
# short enough that a dead one fails the run within a minute rather than hanging it.
TIMEOUT = (10, 45)
# A feed that claims more pages than this is broken (or looping): stop rather than fetch forever.
MAX_PAGES = 5000
# The run's log names each service flagged as cultural and the words that flagged it, up to this many.
MAX_LOGGED_CULTURAL = 500

OFFER_FIELDS = (
    "organisation_id", "name", "description", "url", "contact_email", "contact_name", "minimum_age",
    "maximum_age", "schedule", "price", "price_amount", "languages", "status", "is_cultural",
)
ORGANISATION_FIELDS = ("name", "description", "email", "website")
VENUE_FIELDS = ("name", "address", "town", "postcode", "latitude", "longitude", "accessibility")


@dataclass
class OrganisationRecord:
    feed_id: str
    name: str
    description: str = ""
    email: str = ""
    website: str = ""
    identifiers: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class VenueRecord:
    location_id: str
    link_id: str
    fields: dict


@dataclass
class ServiceRecord:
    feed_id: str
    organisation: OrganisationRecord | None
    organisation_feed_id: str
    offer: dict
    area_refs: list[tuple[str, str]]
    venues: list[VenueRecord]
    cultural_words: list[str]


def _as_uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _text(value: Any, limit: int | None = None) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def _email(value: Any) -> str:
    text = _text(value)
    try:
        validate_email(text)
    except ValidationError:
        return ""
    return text if len(text) <= 254 else ""


def _url(value: Any) -> str:
    text = _text(value)
    try:
        URLValidator(schemes=["http", "https"])(text)
    except ValidationError:
        return ""
    return text if len(text) <= 500 else ""


def _age(value: Any) -> int | None:
    if isinstance(value, int | float) and 0 <= value < 150:
        return int(value)
    return None


class OrukImporter(BaseImporter):
    source = "oruk"
    batch_size = 200

    # Reading ------------------------------------------------------------------------------------------

    def read_rows(self, location: str) -> Iterator[RawRow]:
        self.position = 0
        if location.startswith(("http://", "https://")):
            yield from self._read_url(location)
        else:
            yield from self._rows(self._read_file(location), location)

    def _read_file(self, location: str) -> Any:
        path = Path(location)
        if not path.is_file():
            raise ImportFileError(f"There is no file at {location}. Check the path and try again.")
        return self._json(path.read_bytes(), location)

    def _json(self, content: bytes, location: str) -> Any:
        try:
            return json.loads(content)
        except UnicodeDecodeError as error:
            raise ImportFileError(
                f"{location} is not UTF-8 text (byte {error.start}), so not JSON."
            ) from error
        except json.JSONDecodeError as error:
            raise ImportFileError(
                f"{location} is not JSON ({error.msg} at line {error.lineno}, column {error.colno}). "
                "An Open Referral UK feed is JSON: a service or a page of services."
            ) from error

    def _fetch(self, url: str) -> Any:
        try:
            response = requests.get(url, timeout=TIMEOUT, headers={"Accept": "application/json"})
        except requests.RequestException as error:
            raise ImportFileError(
                f"Could not read {url}: {error.__class__.__name__}. Check the address and the connection."
            ) from error
        if response.status_code != 200:
            raise ImportFileError(f"{url} answered HTTP {response.status_code}, not a feed.")
        return self._json(response.content, url)

    def _read_url(self, url: str) -> Iterator[RawRow]:
        payload = self._fetch(url)
        if isinstance(payload, dict) and "version" in payload and not {"contents", "id"} & payload.keys():
            # The API's root (`GET /`): its services are at /services.
            url = url.rstrip("/") + "/services"
            payload = self._fetch(url)
        yield from self._rows(payload, url)
        page = payload.get("page_number", 1) if isinstance(payload, dict) else 1
        pages = 1
        while isinstance(payload, dict) and "contents" in payload and payload.get("last_page") is False:
            if not payload["contents"] or pages >= MAX_PAGES:
                self.log.append(f"Stopped after page {page}: the feed kept saying more pages would follow.")
                break
            page = (page if isinstance(page, int) else pages) + 1
            payload = self._fetch(self._with_page(url, page))
            pages += 1
            yield from self._rows(payload, url)
        self.log.append(f"Read {pages:,} page(s) from {url}.")

    @staticmethod
    def _with_page(url: str, page: int) -> str:
        parts = urlsplit(url)
        query = [(key, value) for key, value in parse_qsl(parts.query) if key != "page"]
        query.append(("page", str(page)))
        return urlunsplit(parts._replace(query=urlencode(query)))

    def _rows(self, payload: Any, location: str) -> Iterator[RawRow]:
        if isinstance(payload, dict) and isinstance(payload.get("contents"), list):
            items = payload["contents"]
        elif isinstance(payload, list):
            items = payload
        elif isinstance(payload, dict) and "id" in payload:
            items = [payload]
        else:
            raise ImportFileError(
                f"{location} is JSON but not an Open Referral UK feed: expected a service, a page of "
                "services (with 'contents') or a list of services."
            )
        for item in items:
            self.position += 1
            yield RawRow(self.position, item)

    # Parsing ----------------------------------------------------------------------------------------

    def parse_row(self, row: RawRow) -> ServiceRecord:
        data = row.data
        if not isinstance(data, dict):
            raise RowRejected(f"Service {row.line} is a {type(data).__name__}, not a JSON object.")
        service_id = data.get("id")
        label = f"Service {service_id!r}" if service_id not in (None, "") else f"Service {row.line}"
        if _as_uuid(service_id) is None:
            raise RowRejected(f"{label}: the id must be a UUID, as HSDS 3.0 requires.", field="id")
        self._check_schema(label, data)
        name = _text(data.get("name"))
        if not name:
            raise RowRejected(f"{label}: the name is empty. Every service needs a name.", field="name")
        if len(name) > 200:
            raise RowRejected(f"{label}: the name is longer than 200 characters.", field="name")
        organisation, organisation_feed_id = self._organisation(label, data)
        terms = [
            _text((attribute.get("taxonomy_term") or {}).get("name"))
            for attribute in data.get("attributes") or []
            if isinstance(attribute, dict)
        ]
        description = _text(data.get("description"))
        cultural, words = service_is_cultural("\n".join([name, description, *terms]))
        price, amount = self._price(data.get("cost_options") or [])
        contacts = [contact for contact in data.get("contacts") or [] if _text(contact.get("name"))]
        return ServiceRecord(
            feed_id=str(service_id),
            organisation=organisation,
            organisation_feed_id=organisation_feed_id,
            offer={
                "name": name,
                "description": description,
                "url": _url(data.get("url")),
                "contact_email": _email(data.get("email")),
                "contact_name": _text(contacts[0]["name"], 150) if contacts else "",
                "minimum_age": _age(data.get("minimum_age")),
                "maximum_age": _age(data.get("maximum_age")),
                "schedule": _text(
                    "; ".join(_text(item.get("description")) for item in data.get("schedules") or []
                              if _text(item.get("description"))),
                    300,
                ),
                "price": price,
                "price_amount": amount,
                "languages": [
                    _text(item.get("name") or item.get("code"))
                    for item in data.get("languages") or []
                    if _text(item.get("name") or item.get("code"))
                ],
                "status": Status.PUBLISHED if data.get("status") == "active" else Status.DRAFT,
                "is_cultural": cultural,
            },
            area_refs=[
                (_text(area.get("uri")).rstrip("/").rsplit("/", 1)[-1], _text(area.get("name")))
                for area in data.get("service_areas") or []
            ],
            venues=self._venues(data.get("service_at_locations") or []),
            cultural_words=words,
        )

    def _check_schema(self, label: str, data: dict) -> None:
        """Types and required fields from the UK profile. Formats (email, uri) are not grounds to
        reject a whole service: a malformed email or link is left out of what is stored instead."""
        errors = sorted(
            (error for error in validator("service").iter_errors(data) if error.validator != "format"),
            key=lambda error: list(error.absolute_path),
        )
        if errors:
            where = error_field(errors[0])
            raise RowRejected(f"{label}: {where}: {errors[0].message}.", field=where)

    def _organisation(self, label: str, data: dict) -> tuple[OrganisationRecord | None, str]:
        organisation = data.get("organization")
        feed_id = str((organisation or {}).get("id") or data.get("organization_id") or "")
        if not feed_id:
            raise RowRejected(f"{label}: it names no organisation (organization or organization_id).",
                              field="organization")
        if _as_uuid(feed_id) is None:
            raise RowRejected(
                f"{label}: the organisation id {feed_id!r} is not a UUID.", field="organization.id"
            )
        if not organisation or not _text(organisation.get("name")):
            # Only an id: acceptable if an earlier service (in this run or before) described it.
            if feed_id not in self.described_organisations and not Organisation.objects.filter(
                origin=Origin.ORUK, origin_id=feed_id
            ).exists():
                raise RowRejected(
                    f"{label}: its organisation {feed_id} is not described in the feed (no name).",
                    field="organization",
                )
            return None, feed_id
        self.described_organisations.add(feed_id)
        identifiers = [
            (_text(item.get("identifier_scheme")), _text(item.get("identifier")))
            for item in organisation.get("organization_identifiers") or []
            if _text(item.get("identifier_scheme")) in OrganisationIdentifier.Scheme.values
            and 0 < len(_text(item.get("identifier"))) <= 20
        ]
        return (
            OrganisationRecord(
                feed_id=feed_id,
                name=_text(organisation.get("name"), 200),
                description=_text(organisation.get("description")),
                email=_email(organisation.get("email")),
                website=_url(organisation.get("website")),
                identifiers=identifiers,
            ),
            feed_id,
        )

    @staticmethod
    def _price(options: list) -> tuple[str, Decimal | None]:
        """The first cost option: an amount of 0, or no amount with the word "free", is free; a
        positive amount is priced per session, programme or participant by the words of its
        amount_description. A feed that says nothing, or nothing we can read, is "not stated":
        calling it free would tell people something the feed never said."""
        option = next((item for item in options if isinstance(item, dict)), None)
        if option is None:
            return Offer.Price.NOT_STATED, None
        words = f"{_text(option.get('amount_description'))} {_text(option.get('option'))}".lower()
        if option.get("amount") in (None, ""):
            return (Offer.Price.FREE if "free" in words.split() else Offer.Price.NOT_STATED), None
        try:
            amount = Decimal(str(option["amount"])).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            return Offer.Price.NOT_STATED, None
        if amount <= 0:
            return Offer.Price.FREE, None
        if amount >= Decimal("10000000"):
            return Offer.Price.NOT_STATED, None
        if "session" in words or "class" in words or "hour" in words:
            return Offer.Price.PER_SESSION, amount
        if any(word in words for word in ("programme", "program", "course", "term")):
            return Offer.Price.PER_PROGRAMME, amount
        return Offer.Price.PER_PARTICIPANT, amount

    def _venues(self, links: list) -> list[VenueRecord]:
        venues = []
        for link in links:
            location = link.get("location") if isinstance(link, dict) else None
            if not isinstance(location, dict) or not location.get("id"):
                continue
            addresses = [item for item in location.get("addresses") or [] if isinstance(item, dict)]
            address = next((item for item in addresses if item.get("address_type") == "physical"), None)
            address = address or (addresses[0] if addresses else None)
            postcode = _text((address or {}).get("postal_code"))
            if not address or not postcode or len(postcode) > 8:
                self.venues_without_address += 1
                continue
            accessibility = "\n".join(
                _text(item.get("description") or item.get("accessibility"))
                for item in location.get("accessibility") or []
                if isinstance(item, dict) and _text(item.get("description") or item.get("accessibility"))
            )
            latitude, longitude = location.get("latitude"), location.get("longitude")
            valid_point = (
                isinstance(latitude, int | float) and isinstance(longitude, int | float)
                and -90 <= latitude <= 90 and -180 <= longitude <= 180
            )
            venues.append(
                VenueRecord(
                    location_id=str(location["id"]),
                    link_id=str(link.get("id") or ""),
                    fields={
                        "name": _text(location.get("name"), 200) or _text(address.get("address_1"), 200),
                        "address": _text(address.get("address_1"), 300),
                        "town": _text(address.get("city"), 100),
                        "postcode": postcode.upper(),
                        "latitude": float(latitude) if valid_point else None,
                        "longitude": float(longitude) if valid_point else None,
                        "accessibility": accessibility,
                    },
                )
            )
        return venues

    # Storing ----------------------------------------------------------------------------------------

    def before_run(self, run: ImportRun) -> None:
        self.organisations: dict[str, Organisation] = {}
        self.described_organisations: set[str] = set()
        self.touched_organisations: set = set()
        self.venues_without_address = 0
        self.cultural = 0
        self.log: list[str] = []

    def store_batch(self, records: list[ServiceRecord], run: ImportRun) -> BatchCounts:
        counts = BatchCounts()
        for record in records:
            organisation, organisation_changed = self._store_organisation(record)
            offer, created, offer_changed = self._store_offer(record, organisation)
            links_changed = self._store_venues(record, offer, organisation)
            areas_changed = self._store_areas(record, offer)
            if created:
                counts.created += 1
            elif organisation_changed or offer_changed or links_changed or areas_changed:
                counts.updated += 1
            else:
                counts.unchanged += 1
            if created or offer_changed or organisation_changed or areas_changed:
                self._refresh_search_text(offer)
            if record.offer["is_cultural"]:
                self.cultural += 1
                if self.cultural <= MAX_LOGGED_CULTURAL:
                    self.log.append(
                        f"Cultural: {record.offer['name']} ({record.feed_id}), "
                        f"because of: {', '.join(record.cultural_words)}."
                    )
        return counts

    def _store_organisation(self, record: ServiceRecord) -> tuple[Organisation, bool]:
        feed_id = record.organisation_feed_id
        organisation = self.organisations.get(feed_id) or Organisation.objects.filter(
            origin=Origin.ORUK, origin_id=feed_id
        ).first()
        changed = False
        if record.organisation is not None and feed_id not in self.organisations:
            values = {name: getattr(record.organisation, name) for name in ORGANISATION_FIELDS}
            if organisation is None:
                organisation = Organisation.objects.create(
                    pk=self._free_key(Organisation, feed_id), origin=Origin.ORUK, origin_id=feed_id,
                    # The feed does not say; the legal form is left for the organisation to give.
                    legal_form="", status=record.offer["status"], **values,
                )
                changed = True
            else:
                changed = self._update(organisation, values)
            changed = self._store_identifiers(organisation, record.organisation.identifiers) or changed
        self.organisations[feed_id] = organisation
        self.touched_organisations.add(organisation.pk)
        return organisation, changed

    @staticmethod
    def _store_identifiers(organisation: Organisation, identifiers: list[tuple[str, str]]) -> bool:
        changed = False
        for scheme, identifier in identifiers:
            taken = OrganisationIdentifier.objects.filter(scheme=scheme, identifier=identifier).exists()
            if not taken:
                OrganisationIdentifier.objects.create(organisation=organisation, scheme=scheme,
                                                      identifier=identifier)
                changed = True
        return changed

    def _store_offer(self, record: ServiceRecord, organisation: Organisation) -> tuple[Offer, bool, bool]:
        values = {**record.offer, "organisation_id": organisation.pk}
        offer = Offer.objects.filter(origin=Origin.ORUK, origin_id=record.feed_id).first()
        if offer is None:
            offer = Offer.objects.create(
                pk=self._free_key(Offer, record.feed_id), origin=Origin.ORUK, origin_id=record.feed_id,
                **values,
            )
            return offer, True, False
        return offer, False, self._update(offer, values)

    def _store_venues(self, record: ServiceRecord, offer: Offer, organisation: Organisation) -> bool:
        changed = False
        for venue_record in record.venues:
            # A location shared by several organisations' services becomes one venue per organisation.
            feed_key = _as_uuid(venue_record.location_id)
            own_key = stable_id("venue", venue_record.location_id, organisation.pk)
            keys = [key for key in (feed_key, own_key) if key]
            venue = Venue.objects.filter(pk__in=keys, organisation=organisation).first()
            if venue is None:
                free = feed_key and not Venue.objects.filter(pk=feed_key).exists()
                venue = Venue.objects.create(
                    pk=feed_key if free else own_key, organisation=organisation, **venue_record.fields
                )
                changed = True
            else:
                changed = self._update(venue, venue_record.fields) or changed
            if not OfferVenue.objects.filter(offer=offer, venue=venue).exists():
                link_key = _as_uuid(venue_record.link_id)
                if link_key is None or OfferVenue.objects.filter(pk=link_key).exists():
                    link_key = stable_id("service_at_location", offer.pk, venue.pk)
                OfferVenue.objects.create(pk=link_key, offer=offer, venue=venue)
                changed = True
        return changed

    def _store_areas(self, record: ServiceRecord, offer: Offer) -> bool:
        """Service areas that name an area Culture Hub holds, by ONS code (in the uri) or exact name."""
        areas = set()
        for code, name in record.area_refs:
            area = Area.objects.filter(code=code).first() if code else None
            if area is None and name:
                matches = list(Area.objects.filter(name__iexact=name)[:2])
                area = matches[0] if len(matches) == 1 else None
            if area is not None:
                areas.add(area.pk)
        current = set(offer.areas_served.values_list("pk", flat=True))
        if areas - current:
            offer.areas_served.add(*(areas - current))
            return True
        return False

    @staticmethod
    def _update(instance, values: dict) -> bool:
        changed = [name for name, value in values.items() if getattr(instance, name) != value]
        if changed:
            for name in changed:
                setattr(instance, name, values[name])
            instance.save(update_fields=[*changed, "updated_at"])
        return bool(changed)

    @staticmethod
    def _free_key(model, feed_id: str) -> uuid.UUID:
        """The feed's id as the key when it is a UUID no other record holds; otherwise a new one."""
        key = _as_uuid(feed_id)
        if key is None or model.objects.filter(pk=key).exists():
            return uuid.uuid4()
        return key

    @staticmethod
    def _refresh_search_text(offer: Offer) -> None:
        from culturehub.directory.services import offer_refresh_search_text

        offer_refresh_search_text(offer)

    def after_run(self, run: ImportRun) -> None:
        """An imported organisation is published while any of its offers is, and a draft otherwise;
        one a person has archived stays archived."""
        organisations = Organisation.objects.filter(pk__in=self.touched_organisations, origin=Origin.ORUK)
        for organisation in organisations.exclude(status=Status.ARCHIVED):
            published = organisation.offers.filter(status=Status.PUBLISHED).exists()
            status = Status.PUBLISHED if published else Status.DRAFT
            if organisation.status != status:
                organisation.status = status
                organisation.save(update_fields=["status", "updated_at"])

    def log_lines(self) -> list[str]:
        lines = list(self.log)
        lines.append(f"Services flagged as cultural: {self.cultural:,}.")
        if self.venues_without_address:
            lines.append(f"Locations left out because they have no address with a postcode: "
                         f"{self.venues_without_address:,}.")
        return lines

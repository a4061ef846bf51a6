"""Import OCDS procurement notices from files: release packages, record packages and JSON Lines.

Releases are streamed one at a time by `ocds.read_releases`, so a file of any size is read in flat
memory. A release that cannot be stored (not an object, no ocid, a date that is not a date, a
`tender` that is not an object...) is rejected with its position in the file and the reason; the
others load.

Every release is kept. A release seen before with the same content is left alone, so importing a
file twice changes nothing; one whose content changed (a publisher's correction) is updated. The
opportunities whose releases changed are recompiled from all their releases once per batch, with a
fixed number of queries per batch whatever its size; a process met for the first time is compiled from
the releases in hand and inserted whole. The same ocid from two sources is one
opportunity; each release records the source it came from.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
from django.db import connections, router
from django.db.models import JSONField, Model
from django.utils import timezone

from culturehub.core.importers import BaseImporter, BatchCounts, RawRow, RowRejected
from culturehub.core.models import ImportRun

from .buyers import AreaIndex, buyer_type, normalise
from .compiling import compile_releases, notice_type, parse_when
from .models import Buyer, Lot, Opportunity, Release, ReleaseJSONEncoder, Source
from .ocds import ReleaseItem, read_releases
from .relevance import NONE, art_forms_of, judge_opportunity

MAX_OCID = Opportunity._meta.get_field("ocid").max_length
MAX_RELEASE_ID = Release._meta.get_field("release_id").max_length
# Members of a release that must be objects, or lists, when present; anything else is malformed.
OBJECT_MEMBERS = ("tender", "planning", "buyer")
LIST_MEMBERS = ("parties", "awards", "contracts")
COMPILED_FIELDS = (
    "title", "description", "buyer", "stage", "notice_type", "is_provider_selection_regime",
    "value_amount", "value_currency", "tender_deadline", "engagement_dates", "next_engagement",
    "cpv_codes", "suitable_for_sme", "suitable_for_vcse", "reserved_participation", "first_published",
    "last_updated", "sources", "release_count",
    "relevance", "relevance_score", "relevance_reasons", "themes", "art_forms",
)
RELEASE_FIELDS = ("date", "tags", "notice_type", "source", "content_hash", "data", "import_run", "id_derived")


@dataclass
class ReleaseRecord:
    """One clean release, as `parse_row` returns it."""

    ocid: str
    release_id: str
    id_derived: bool
    date: datetime | None
    tags: list[str]
    notice_type: str
    content_hash: str
    data: dict


def release_rows(items: Iterable[ReleaseItem]) -> Iterator[RawRow]:
    """Releases as the importer's rows; a bad release becomes a row that is rejected with its reason."""
    for number, item in enumerate(items, start=1):
        if item.error:
            yield RawRow(number, item.release, problem=f"{item.position}: {item.error}.")
        else:
            yield RawRow(number, (item.position, item.release))


def content_hash(release: dict) -> str:
    """The same release gives the same hash however its keys were ordered or spaced in the file."""
    return hashlib.sha256(canonical_json(release)).hexdigest()


DIGITS = frozenset(b"0123456789")


def canonical_json(release: dict) -> bytes:
    """The release as compact JSON with its keys sorted, as UTF-8; ValueError for NaN or Infinity."""
    # orjson writes what `json.dumps` writes, several times faster, except: small floats (1e-05 as
    # 0.00001, 1e-07 as 1e-7), NaN and Infinity (as null, where `json.dumps` refuses them), and integers
    # past 64 bits (it refuses them). Text that may hold any of these is written again by `json.dumps`,
    # so a hash never changes with the writer, and a release's derived id stays the same from run to run.
    try:
        text = orjson.dumps(release, default=_plain_number, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        text = None
    if text is not None and not _may_differ(text):
        return text
    return json.dumps(
        release, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False,
        cls=ReleaseJSONEncoder,
    ).encode("utf-8")


def _may_differ(text: bytes) -> bool:
    """Whether orjson's text may differ from `json.dumps`'s; plain `in` tests, far quicker than a regular
    expression over a whole release."""
    if b"null" in text or b"0.0000" in text:
        return True
    at = text.find(b"e-")
    while at != -1:
        if at and text[at - 1] in DIGITS and text[at + 2:at + 3].isdigit():
            return True
        at = text.find(b"e-", at + 2)
    return False


def stored_json(value: Any) -> str:
    """JSON text for a JSONField column, read back as `ReleaseJSONEncoder` would have written it."""
    try:
        return orjson.dumps(value, default=_plain_number).decode("utf-8")
    except orjson.JSONEncodeError:
        return json.dumps(value, cls=ReleaseJSONEncoder)


def _plain_number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value.as_tuple().exponent == 0 else float(value)
    raise TypeError


class NoticesImporter(BaseImporter):
    source = "notices"
    batch_size = 500
    progress_every = 5000

    def __init__(self, *, release_source: str = Source.FILE, **kwargs):
        super().__init__(**kwargs)
        self.release_source = release_source

    # Reading and parsing ------------------------------------------------------------------------------

    def read_rows(self, location: str):
        return release_rows(read_releases(Path(location)))

    def parse_row(self, row: RawRow) -> ReleaseRecord:
        position, release = row.data
        ocid = release["ocid"].strip()
        if len(ocid) > MAX_OCID:
            raise RowRejected(f"{position}: the ocid is longer than {MAX_OCID} characters.", field="ocid")
        for name in OBJECT_MEMBERS:
            if name in release and not isinstance(release[name], dict | type(None)):
                raise RowRejected(f"{position} ({ocid}): '{name}' must be an object.", field=name)
        for name in LIST_MEMBERS:
            if name in release and not isinstance(release[name], list | type(None)):
                raise RowRejected(f"{position} ({ocid}): '{name}' must be a list.", field=name)
        tags = release.get("tag", [])
        if isinstance(tags, str):
            tags = [tags]
        if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
            raise RowRejected(f"{position} ({ocid}): 'tag' must be a list of words such as \"tender\".",
                              field="tag")
        date = None
        if release.get("date") not in (None, ""):
            date = parse_when(release["date"])
            if date is None:
                raise RowRejected(
                    f"{position} ({ocid}): the date {str(release['date'])[:40]!r} is not an ISO 8601 date "
                    "such as 2025-02-03T00:00:00Z.", field="date",
                )
        try:
            digest = content_hash(release)
        except ValueError:
            raise RowRejected(
                f"{position} ({ocid}): it holds NaN or Infinity, which are not JSON numbers.", field="",
            ) from None
        release_id = release.get("id")
        if isinstance(release_id, int) and not isinstance(release_id, bool):
            release_id = str(release_id)
        if release_id in (None, ""):
            # No id (Public Contracts Scotland publishes none): the content's hash stands in for it.
            release_id, derived = f"sha256-{digest[:32]}", True
        elif not isinstance(release_id, str):
            raise RowRejected(f"{position} ({ocid}): the release 'id' must be text.", field="id")
        else:
            release_id, derived = release_id.strip(), False
        if len(release_id) > MAX_RELEASE_ID:
            raise RowRejected(
                f"{position} ({ocid}): the release id is longer than {MAX_RELEASE_ID} characters.", field="id"
            )
        self.undated += date is None
        return ReleaseRecord(
            ocid=ocid, release_id=release_id, id_derived=derived, date=date, tags=list(tags),
            notice_type=notice_type(release), content_hash=digest, data=release,
        )

    # Storing --------------------------------------------------------------------------------------------

    def before_run(self, run: ImportRun) -> None:
        self.areas = AreaIndex.load()
        self.buyers: dict[str, int] = dict(Buyer.objects.values_list("key", "pk"))
        self.area_kinds = self.areas.kinds
        self.seen: dict[tuple[str, str], str] = {}
        self.repeated = 0
        self.copies = 0
        self.undated = 0
        self.opportunities_created = 0
        self.opportunities_recompiled = 0
        self.buyers_created = 0

    def store_batch(self, records: list[ReleaseRecord], run: ImportRun) -> BatchCounts:
        counts = BatchCounts()
        records = self._first_of_each(records, counts)
        known = dict(
            Opportunity.objects.filter(ocid__in={record.ocid for record in records}).values_list("ocid", "pk")
        )
        # Only processes known before this batch can hold releases already.
        existing = dict(
            ((opportunity_id, release_id), digest)
            for opportunity_id, release_id, digest in Release.objects.filter(
                opportunity_id__in=set(known.values())
            ).values_list("opportunity_id", "release_id", "content_hash")
        ) if known else {}
        new_processes: dict[str, list[tuple[int, ReleaseRecord]]] = {}
        changed: list[tuple[int, ReleaseRecord]] = []
        for number, record in enumerate(records):
            opportunity_id = known.get(record.ocid)
            if opportunity_id is None:
                new_processes.setdefault(record.ocid, []).append((number, record))
                counts.created += 1
                continue
            found = existing.get((opportunity_id, record.release_id))
            if found == record.content_hash:
                counts.unchanged += 1
                continue
            if found is None:
                counts.created += 1
            else:
                counts.updated += 1
            changed.append((opportunity_id, record))
        writes = []
        if new_processes:
            created = self._create_opportunities(new_processes)
            writes += [
                (created[ocid], record) for ocid, items in new_processes.items() for _, record in items
            ]
        writes += changed
        if writes:
            self._write_releases(writes, run)
        if changed:
            self._recompile({opportunity_id for opportunity_id, _ in changed},
                            {pk: ocid for ocid, pk in known.items()})
        return counts

    def _first_of_each(self, records: list[ReleaseRecord], counts: BatchCounts) -> list[ReleaseRecord]:
        """A release repeated within one run: the first copy stands, so a second run agrees with the first."""
        kept = []
        for record in records:
            key = (record.ocid, record.release_id)
            if key in self.seen:
                if self.seen[key] != record.content_hash:
                    self.repeated += 1
                else:
                    self.copies += 1
                counts.unchanged += 1
                continue
            self.seen[key] = record.content_hash
            kept.append(record)
        return kept

    def _create_opportunities(self, processes: dict[str, list[tuple[int, ReleaseRecord]]]) -> dict[str, int]:
        """Each process not met before, compiled from the releases in hand and inserted whole; their ids.

        Compiling before the insert saves inserting an empty row, reading its id back and rewriting it."""
        compiled_rows = []
        for ocid, items in processes.items():
            ordered = sorted(items, key=lambda item: (_date_order(item[1].date), item[0]))
            compiled_rows.append((ocid, *self._compiled(
                [(record.date, self.release_source, record.data) for _, record in ordered]
            )))
        self._save_opportunities(compiled_rows)
        ids = dict(Opportunity.objects.filter(ocid__in=processes).values_list("ocid", "pk"))
        _insert_lots(ids, compiled_rows)
        self.opportunities_created += len(compiled_rows)
        self.opportunities_recompiled += len(compiled_rows)
        return ids

    def _write_releases(self, writes: list[tuple[int, ReleaseRecord]], run: ImportRun) -> None:
        """One statement per chunk both adds new releases and replaces corrected ones.

        Written with the release's JSON made by orjson: Django's bulk_create spent longer preparing
        each row, and writing each release's JSON, than the database spent storing it."""
        rows = [
            (opportunity_id, record.release_id, record.date, stored_json(record.tags), record.notice_type,
             self.release_source, record.content_hash, stored_json(record.data), run.pk, record.id_derived)
            for opportunity_id, record in writes
        ]
        upsert_rows(Release, ["opportunity", "release_id", *RELEASE_FIELDS], rows,
                    conflict=["opportunity", "release_id"], json_fields={"tags", "data"})

    def _compiled(self, ordered: list[tuple[datetime | None, str, dict]]) -> tuple[dict[str, Any], list]:
        """The compiled fields (with the relevance judgement) and lots from releases given oldest first."""
        compiled, lots = compile_releases([data for _, _, data in ordered])
        dates = [date for date, _, _ in ordered if date is not None]
        compiled.update(
            first_published=min(dates) if dates else None,
            last_updated=max(dates) if dates else None,
            sources=sorted({source for _, source, _ in ordered}),
            release_count=len(ordered),
        )
        compiled.update(_relevance_fields(compiled, lots))
        return compiled, lots

    def _save_opportunities(self, compiled_rows: list[tuple[str, dict[str, Any], list]]) -> None:
        """Insert the processes, or rewrite the compiled fields of those already stored, by ocid.

        An upsert on the ocid does both in one statement per chunk; Django's bulk_update would build
        a CASE expression per field and row, many times slower."""
        buyers = [compiled["buyer"] for _, compiled, _ in compiled_rows if compiled["buyer"]]
        buyer_ids = self._buyer_ids(buyers)
        now = timezone.now()
        fields = [field for field in Opportunity._meta.concrete_fields if not field.primary_key]
        defaults = {field.name: field.get_default() for field in fields}
        json_fields = {field.name for field in fields if isinstance(field, JSONField)}
        rows = []
        for ocid, compiled, _ in compiled_rows:
            values = {**defaults, **compiled, "ocid": ocid, "created_at": now, "updated_at": now}
            buyer = values["buyer"]
            values["buyer"] = buyer_ids[self._buyer_key(buyer)] if buyer else None
            rows.append(tuple(
                stored_json(values[field.name]) if field.name in json_fields else values[field.name]
                for field in fields
            ))
        upsert_rows(Opportunity, [field.name for field in fields], rows, conflict=["ocid"],
                    json_fields=json_fields, update=[*COMPILED_FIELDS, "updated_at"])

    def _recompile(self, opportunity_ids: set[int], ocids: dict[int, str]) -> None:
        """Compile each process whose releases changed from all its releases, read back in one query,
        oldest first (undated ones first)."""
        by_opportunity: dict[int, list[tuple[Any, ...]]] = {}
        rows = Release.objects.filter(opportunity_id__in=opportunity_ids).values_list(
            "opportunity_id", "date", "source", "data", "pk"
        )
        for row in rows:
            by_opportunity.setdefault(row[0], []).append(row)
        compiled_rows = []
        for opportunity_id, unordered in by_opportunity.items():
            # Sorted here, not by the database: SQLite and PostgreSQL put empty dates at opposite ends.
            ordered = sorted(unordered, key=lambda row: (_date_order(row[1]), row[4]))
            compiled_rows.append((ocids[opportunity_id], *self._compiled([row[1:4] for row in ordered])))
        self._save_opportunities(compiled_rows)
        ids = {ocid: pk for pk, ocid in ocids.items()}
        Lot.objects.filter(opportunity_id__in=opportunity_ids).delete()
        _insert_lots(ids, compiled_rows)
        self.opportunities_recompiled += len(compiled_rows)

    # Buyers ---------------------------------------------------------------------------------------------

    @staticmethod
    def _buyer_key(buyer: dict) -> str:
        if buyer["identifier"]:
            return f"{buyer['scheme'].upper()}:{buyer['identifier'].upper()}"[:300]
        return f"name:{normalise(buyer['name'])}"[:300]

    def _buyer_ids(self, buyers: list[dict]) -> dict[str, int]:
        """Each buyer's id, creating (and placing) the buyers not met before, in one insert."""
        new: dict[str, Buyer] = {}
        for buyer in buyers:
            key = self._buyer_key(buyer)
            if key in self.buyers or key in new:
                continue
            placement = self.areas.place(
                name=buyer["name"], scheme=buyer["scheme"], identifier=buyer["identifier"]
            )
            new[key] = Buyer(
                key=key, name=buyer["name"], normalised_name=normalise(buyer["name"])[:300],
                identifier_scheme=buyer["scheme"], identifier=buyer["identifier"],
                area_id=placement.area_id, placed_by=placement.placed_by,
                buyer_type=buyer_type(
                    name=buyer["name"], scheme=buyer["scheme"], classifications=buyer["classifications"],
                    area_kind=self.area_kinds.get(placement.area_id),
                ),
            )
        if new:
            Buyer.objects.bulk_create(new.values())
            self.buyers.update(Buyer.objects.filter(key__in=new).values_list("key", "pk"))
            self.buyers_created += len(new)
        return self.buyers

    # Reporting ------------------------------------------------------------------------------------------

    def log_lines(self) -> list[str]:
        lines = [
            f"Opportunities created: {self.opportunities_created:,}; "
            f"recompiled: {self.opportunities_recompiled:,}.",
            f"Buyers created: {self.buyers_created:,}.",
        ]
        if self.undated:
            lines.append(f"Releases with no date (compiled before the dated ones): {self.undated:,}.")
        if self.copies:
            lines.append(f"Releases given more than once in the input (stored once): {self.copies:,}.")
        if self.repeated:
            lines.append(
                "Releases repeated in the input with different content (the first copy kept): "
                f"{self.repeated:,}."
            )
        return lines


def _relevance_fields(compiled: dict[str, Any], lots: list[dict]) -> dict[str, Any]:
    buyer_name = compiled["buyer"]["name"] if compiled["buyer"] else ""
    judgement = judge_opportunity(compiled=compiled, lots=lots, buyer_name=buyer_name)
    relevant = judgement.relevance != NONE
    return {
        "relevance": judgement.relevance,
        "relevance_score": judgement.score,
        "relevance_reasons": list(judgement.reasons),
        "themes": list(judgement.themes),
        "art_forms": art_forms_of(title=compiled["title"], description=compiled["description"])
        if relevant else [],
    }


LOT_FIELDS = ("lot_id", "title", "description", "value_amount", "value_currency")


def _insert_lots(ids: dict[str, int], compiled_rows: list[tuple[str, dict[str, Any], list]]) -> None:
    rows = [
        (ids[ocid], position, *(lot[name] for name in LOT_FIELDS))
        for ocid, _, lots in compiled_rows for position, lot in enumerate(lots)
    ]
    if rows:
        upsert_rows(Lot, ["opportunity", "position", *LOT_FIELDS], rows, conflict=["opportunity", "lot_id"],
                    json_fields=set())


def _date_order(date: datetime | None) -> tuple[bool, float]:
    return (date is not None, date.timestamp() if date else 0)


PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})


def upsert_rows(model: type[Model], fields: list[str], rows: list[tuple], *, conflict: list[str],
                json_fields: set[str], update: list[str] | None = None, chunk: int = 500) -> None:
    """Insert rows of plain values (JSON fields given as JSON text); a row that clashes on `conflict`
    updates the existing one's `update` fields (by default all the others). One statement per chunk;
    SQLite and PostgreSQL both take this ON CONFLICT form."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    model_fields = [model._meta.get_field(name) for name in fields]
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    placeholders = ", ".join(f"%s{cast}" if field.name in json_fields else "%s" for field in model_fields)
    updated = update if update is not None else [name for name in fields if name not in conflict]
    updates = ", ".join(
        f"{quote(field.column)} = EXCLUDED.{quote(field.column)}"
        for field in model_fields if field.name in updated
    )
    columns = ", ".join(quote(field.column) for field in model_fields)
    # Only the model's own table and column names are put in the text; every value is a parameter.
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders}) "  # noqa: S608
        f"ON CONFLICT ({', '.join(quote(model._meta.get_field(name).column) for name in conflict)}) "
        f"DO UPDATE SET {updates}"
    )
    # JSON text is passed as it is, and so are text, numbers and None, which every database takes as
    # they are; anything else (dates, amounts) as Django would prepare it for this database.
    preparers = [None if field.name in json_fields else field for field in model_fields]
    prepared = [
        [value if field is None or type(value) in PLAIN_TYPES else field.get_db_prep_save(value, connection)
         for field, value in zip(preparers, row, strict=True)]
        for row in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(prepared), chunk):
            cursor.executemany(sql, prepared[start:start + chunk])


def notices_import_files(*, paths: list[Path | str], progress=None, user=None,
                         release_source: str = Source.FILE) -> list[ImportRun]:
    """One run per file: each file stands or falls on its own, as the other importers' files do."""
    return [
        NoticesImporter(progress=progress, user=user, release_source=release_source).run(path)
        for path in paths
    ]




class _ReleaseItemsImporter(NoticesImporter):
    """Releases already in hand (a page from a live service) rather than read from a file."""

    def __init__(self, *, items: Iterable[ReleaseItem], after_store: Callable[[ImportRun], None] | None,
                 **kwargs):
        super().__init__(**kwargs)
        self.items = items
        self.after_store = after_store

    def read_rows(self, location: str):
        return release_rows(self.items)

    def after_run(self, run: ImportRun) -> None:
        super().after_run(run)
        if self.after_store:
            self.after_store(run)


def notices_import_items(*, items: Iterable[ReleaseItem], location: str, release_source: str,
                         after_store: Callable[[ImportRun], None] | None = None, progress=None,
                         user=None) -> ImportRun:
    """One run storing the given releases; `after_store` is called inside the run's transaction, so
    whatever it records (a feed's cursor) is kept exactly when the releases are."""
    return _ReleaseItemsImporter(
        items=items, after_store=after_store, progress=progress, user=user, release_source=release_source,
    ).run(location)

"""Import OCDS procurement notices from files: release packages, record packages and JSON Lines.

Releases are streamed one at a time by `ocds.read_releases`, so a file of any size is read in flat
memory. A release that cannot be stored (not an object, no ocid, a date that is not a date, a
`tender` that is not an object...) is rejected with its position in the file and the reason; the
others load.

Every release is kept. A release seen before with the same content is left alone, so importing a
file twice changes nothing; one whose content changed (a publisher's correction) is updated. The
opportunities whose releases changed are recompiled from all their releases once per batch, with a
fixed number of queries per batch whatever its size. The same ocid from two sources is one
opportunity; each release records the source it came from.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

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
    canonical = json.dumps(
        release, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False,
        cls=ReleaseJSONEncoder,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


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
        opportunity_ids, created = self._opportunity_ids({record.ocid for record in records})
        # Only processes known before this batch can hold releases already.
        existing = dict(
            ((opportunity_id, release_id), digest)
            for opportunity_id, release_id, digest in Release.objects.filter(
                opportunity_id__in=set(opportunity_ids.values()) - created
            ).values_list("opportunity_id", "release_id", "content_hash")
        ) if len(created) < len(opportunity_ids) else {}
        writes, touched = [], set()
        in_memory: dict[int, list[tuple[Any, ...]]] = {}
        for number, record in enumerate(records):
            opportunity_id = opportunity_ids[record.ocid]
            found = existing.get((opportunity_id, record.release_id))
            if found == record.content_hash:
                counts.unchanged += 1
                continue
            if found is None:
                counts.created += 1
            else:
                counts.updated += 1
            writes.append(Release(
                opportunity_id=opportunity_id, release_id=record.release_id, date=record.date,
                tags=record.tags, notice_type=record.notice_type, source=self.release_source,
                content_hash=record.content_hash, data=record.data, import_run=run,
                id_derived=record.id_derived,
            ))
            touched.add(opportunity_id)
            if opportunity_id in created:
                in_memory.setdefault(opportunity_id, []).append(
                    (opportunity_id, record.date, self.release_source, record.data, number)
                )
        if writes:
            # One statement per chunk both adds new releases and replaces corrected ones.
            Release.objects.bulk_create(
                writes, update_conflicts=True, unique_fields=["opportunity", "release_id"],
                update_fields=RELEASE_FIELDS,
            )
        if touched:
            ocids = {pk: ocid for ocid, pk in opportunity_ids.items()}
            self._recompile(touched, ocids, in_memory)
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

    def _opportunity_ids(self, ocids: set[str]) -> tuple[dict[str, int], set[int]]:
        """Each ocid's opportunity id, adding the processes not met before; and which were added."""
        ids = dict(Opportunity.objects.filter(ocid__in=ocids).values_list("ocid", "pk"))
        missing = ocids - ids.keys()
        created: set[int] = set()
        if missing:
            Opportunity.objects.bulk_create([Opportunity(ocid=ocid) for ocid in sorted(missing)])
            added = dict(Opportunity.objects.filter(ocid__in=missing).values_list("ocid", "pk"))
            ids.update(added)
            created = set(added.values())
            self.opportunities_created += len(missing)
        return ids, created

    def _recompile(self, opportunity_ids: set[int], ocids: dict[int, str],
                   in_memory: dict[int, list[tuple[Any, ...]]]) -> None:
        """Compile each touched opportunity from all its releases, oldest first (undated ones first).

        A process first met in this batch has no releases but the ones in hand; the others' releases
        are read back in one query."""
        by_opportunity: dict[int, list[tuple[Any, ...]]] = dict(in_memory)
        stored = opportunity_ids - in_memory.keys()
        if stored:
            rows = Release.objects.filter(opportunity_id__in=stored).values_list(
                "opportunity_id", "date", "source", "data", "pk"
            )
            for row in rows:
                by_opportunity.setdefault(row[0], []).append(row)
        compiled_rows, lots = [], []
        for opportunity_id, unordered in by_opportunity.items():
            # Sorted here, not by the database: SQLite and PostgreSQL put empty dates at opposite ends.
            ordered = sorted(
                unordered, key=lambda row: (row[1] is not None, row[1].timestamp() if row[1] else 0, row[4])
            )
            compiled, compiled_lots = compile_releases([row[3] for row in ordered])
            dates = [row[1] for row in ordered if row[1] is not None]
            compiled.update(
                first_published=min(dates) if dates else None,
                last_updated=max(dates) if dates else None,
                sources=sorted({row[2] for row in ordered}),
                release_count=len(ordered),
            )
            compiled.update(_relevance_fields(compiled, compiled_lots))
            compiled_rows.append((opportunity_id, compiled))
            lots += [Lot(opportunity_id=opportunity_id, position=index, **lot)
                     for index, lot in enumerate(compiled_lots)]
        buyer_ids = self._buyer_ids([compiled["buyer"] for _, compiled in compiled_rows if compiled["buyer"]])
        opportunities = []
        for opportunity_id, compiled in compiled_rows:
            buyer = compiled.pop("buyer")
            opportunity = Opportunity(ocid=ocids[opportunity_id], **compiled)
            opportunity.buyer_id = buyer_ids[self._buyer_key(buyer)] if buyer else None
            opportunities.append(opportunity)
        # An upsert on the ocid rewrites the compiled fields in one statement per chunk; Django's
        # bulk_update would build a CASE expression per field and row, many times slower.
        Opportunity.objects.bulk_create(
            opportunities, update_conflicts=True, unique_fields=["ocid"],
            update_fields=[*COMPILED_FIELDS, "updated_at"],
        )
        Lot.objects.filter(opportunity_id__in=opportunity_ids).delete()
        Lot.objects.bulk_create(lots)
        self.opportunities_recompiled += len(opportunities)

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

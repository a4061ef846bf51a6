"""Reading what the public registers say about a listing, and the matches administrators review.

A place's figures (organisations, museums, investment) are read by `registers.landscape`. Matches
and the right to undo them are for administrators.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from culturehub.core.permissions import is_administrator, require
from culturehub.directory.models import Organisation
from culturehub.registers.models import Investment, ListingMatch, MuseumDetail, RegisterRecord
from culturehub.registers.sources import SourceInfo, source_info


@dataclass
class RecordView:
    record: RegisterRecord
    info: SourceInfo
    match: ListingMatch | None = None
    made_listing: bool = False  # the listing was first made from this entry


@dataclass
class InvestmentYear:
    year: str
    rows: list[Investment] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((row.amount for row in self.rows), Decimal("0"))


@dataclass
class RegisterPanel:
    records: list[RecordView]
    investments: list[Investment]
    museums: list[MuseumDetail]
    can_reverse: bool
    investment_total: Decimal = Decimal("0")


def organisation_register_panel(*, user, organisation: Organisation) -> RegisterPanel | None:
    """What the registers say about a listing the person may already see; None when they say nothing.

    One query for a listing with no register entries; four at most otherwise.
    """
    records = list(
        RegisterRecord.objects.filter(organisation=organisation)
        .select_related("area")
        .order_by("first_seen", "pk")
    )
    if not records:
        return None
    matches = {
        match.record_id: match
        for match in ListingMatch.objects.filter(organisation=organisation, reversed_at__isnull=True)
    }
    investments = list(
        Investment.objects.filter(organisation=organisation)
        .select_related("area")
        .order_by("year_start", "pk")
    )
    museums = list(MuseumDetail.objects.filter(organisation=organisation).select_related("area"))
    return RegisterPanel(
        records=[
            RecordView(
                record,
                source_info(record.source),
                matches.get(record.pk),
                made_listing=organisation.origin_id == f"{record.source}:{record.source_id}",
            )
            for record in records
        ],
        investments=investments,
        museums=museums,
        can_reverse=is_administrator(user),
        investment_total=sum((row.amount for row in investments), Decimal("0")),
    )


def investment_years(investments: list[Investment]) -> list[InvestmentYear]:
    years: dict[str, InvestmentYear] = defaultdict(lambda: InvestmentYear(""))
    for row in investments:
        year = years[row.year]
        year.year = row.year
        year.rows.append(row)
    return list(years.values())


# ---------------------------------------------------------------------------------------------------
# Matches, for administrators
# ---------------------------------------------------------------------------------------------------


def matches_for_review(*, user) -> QuerySet[ListingMatch]:
    require(is_administrator(user), "Only administrators can review matches between register entries.")
    return ListingMatch.objects.select_related("organisation", "record", "reversed_by").order_by(
        "-created_at", "-pk"
    )


def match_get_for_reversal(*, user, pk: int) -> ListingMatch:
    require(is_administrator(user), "Only administrators can undo a match between register entries.")
    return get_object_or_404(ListingMatch.objects.select_related("organisation", "record"), pk=pk)

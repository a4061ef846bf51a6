"""Reading what the public registers say, for listings and for places.

Register records, investment and museums are public information about published listings, so the
place functions return only what belongs to published listings (or, for investment, to nobody's
listing: money to individual artists counts towards its place without naming a listing). Matches
and the right to undo them are for administrators.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from culturehub.core.permissions import is_administrator, require
from culturehub.directory.models import Organisation, Status
from culturehub.places.models import Area
from culturehub.registers.models import Investment, ListingMatch, MuseumDetail, RegisterRecord
from culturehub.registers.sources import SourceInfo, source_info


def area_and_districts(area: Area) -> list[int]:
    """The area's id and, for a county, its districts' ids: a county's registers include its districts'."""
    ids = [area.pk]
    if area.kind == Area.Kind.COUNTY:
        ids += list(Area.objects.filter(upper_tier=area).values_list("pk", flat=True))
    return ids


def organisations_in(area: Area) -> QuerySet[Organisation]:
    """Published listings a register places in the area (or its districts), or that say they serve it."""
    ids = area_and_districts(area)
    return (
        Organisation.objects.filter(status=Status.PUBLISHED)
        .filter(Q(register_records__area_id__in=ids) | Q(areas_served__in=ids))
        .distinct()
        .order_by("name")
    )


@dataclass
class YearInvestment:
    year: str
    year_start: int
    programme: str
    programme_label: str
    total: Decimal
    awards: int


def investment_by_year(area: Area) -> list[YearInvestment]:
    """Arts Council England money in the area (and its districts) by financial year and programme."""
    labels = dict(Investment.Programme.choices)
    rows = (
        Investment.objects.filter(area_id__in=area_and_districts(area))
        .filter(Q(organisation__isnull=True) | Q(organisation__status=Status.PUBLISHED))
        .values("year", "year_start", "programme")
        .annotate(total=Sum("amount"), awards=Count("pk"))
        .order_by("year_start", "programme")
    )
    return [
        YearInvestment(
            row["year"],
            row["year_start"],
            row["programme"],
            labels[row["programme"]],
            row["total"],
            row["awards"],
        )
        for row in rows
    ]


def museums_in(area: Area) -> QuerySet[MuseumDetail]:
    """Open museums in the area (and its districts), on published listings."""
    return (
        MuseumDetail.objects.filter(
            area_id__in=area_and_districts(area), organisation__status=Status.PUBLISHED
        )
        .select_related("organisation")
        .order_by("name")
    )


# ---------------------------------------------------------------------------------------------------
# An organisation's page
# ---------------------------------------------------------------------------------------------------


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

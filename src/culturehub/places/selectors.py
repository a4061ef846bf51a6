"""Reading places: search, a place in its context, its indicators compared with England, priorities.

Every function here runs a fixed number of queries however many indicators, districts or priorities a
place has (the profile page and the API rely on that; see tests/test_pages.py).
"""

from __future__ import annotations

import operator
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce

from django.db.models import Case, IntegerField, Max, Prefetch, Q, QuerySet, Value, When

from culturehub.core.audit import HistoryEntry, audit_history
from culturehub.core.permissions import is_administrator, is_commissioner
from culturehub.places.comparisons import IS_ENGLAND, Comparison, compare_with_england
from culturehub.places.models import Area, AreaAlias, AreaIcb, Indicator, IndicatorValue, Priority
from culturehub.vocabulary.models import Term

ENGLAND_CODE = "E92000001"
# ONS personal wellbeing is published by district (lower tier); its indicator keys start with this.
DISTRICT_ONLY_PREFIX = "ons-"
UPPER_TIER_KINDS = (
    Area.Kind.COUNTY, Area.Kind.UNITARY, Area.Kind.METROPOLITAN, Area.Kind.LONDON_BOROUGH,
)


# ---------------------------------------------------------------------------------------------------
# Finding a place
# ---------------------------------------------------------------------------------------------------

def _normalise_code(text: str) -> str:
    return text.strip().upper()


def area_search(*, query: str = "", kinds: tuple[str, ...] | list[str] = (), region_code: str = ""):
    """Areas whose name, current code or old code matches, best matches first.

    Each result carries `matched_alias_code` and `matched_alias_name` when it was found through an
    old code or old name, so the page can say "Old code ... now part of ...".
    """
    query = query.strip()
    areas = Area.objects.select_related("upper_tier", "region")
    valid_kinds = [kind for kind in kinds if kind in Area.Kind.values]
    if valid_kinds:
        areas = areas.filter(kind__in=valid_kinds)
    if region_code:
        region_code = _normalise_code(region_code)
        areas = areas.filter(Q(region__code=region_code) | Q(upper_tier__region__code=region_code))
    if not query:
        if not (valid_kinds or region_code):
            return Area.objects.none()
        return areas.order_by("name", "code")

    matching_aliases = AreaAlias.objects.filter(Q(code__istartswith=query) | Q(name__icontains=query))
    areas = areas.filter(
        Q(name__icontains=query) | Q(code__istartswith=query) | Q(pk__in=matching_aliases.values("area_id"))
    )
    # Rank exact names and codes first, then names that start with the query, then the rest.
    areas = areas.annotate(
        rank=Case(
            When(Q(name__iexact=query) | Q(code__iexact=query), then=Value(0)),
            When(name__istartswith=query, then=Value(1)),
            When(name__icontains=query, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
    ).order_by("rank", "name", "code")
    return areas


def area_search_aliases(*, query: str, areas) -> dict[int, AreaAlias]:
    """For the given page of areas, the old code (if any) that matched the query: one query."""
    query = query.strip()
    if not query:
        return {}
    area_ids = [area.pk for area in areas]
    aliases = AreaAlias.objects.filter(area_id__in=area_ids).filter(
        Q(code__istartswith=query) | Q(name__icontains=query)
    ).order_by("code")
    found: dict[int, AreaAlias] = {}
    for alias in aliases:
        found.setdefault(alias.area_id, alias)
    return found


def area_exact_match(*, query: str) -> tuple[Area | None, AreaAlias | None]:
    """The area whose current or old code is exactly the query (any case), with the alias used."""
    code = _normalise_code(query)
    if not code or " " in code or len(code) > 9:
        return None, None
    area = Area.objects.filter(code=code).first()
    if area is not None:
        return area, None
    alias = AreaAlias.objects.select_related("area").filter(code=code).first()
    if alias is not None:
        return alias.area, alias
    return None, None


def area_resolve(*, code: str) -> Area | None:
    """The current area for a code, following an old code to the area that replaced it."""
    area, _alias = area_exact_match(query=code)
    return area


def region_list():
    return Area.objects.filter(kind=Area.Kind.REGION).order_by("name")


def demo_place_list():
    from culturehub.core.selectors import demo_places

    return demo_places().select_related("upper_tier", "region")


# ---------------------------------------------------------------------------------------------------
# A place in its context
# ---------------------------------------------------------------------------------------------------

@dataclass
class IcbLink:
    icb: Area
    # Share of the place's small areas (LSOAs) in this ICB; None when we only know it is part.
    share: float | None
    whole: bool

    @property
    def share_percent(self) -> int | None:
        return None if self.share is None else round(self.share * 100)


@dataclass
class AreaContext:
    area: Area
    upper_tier: Area | None
    is_own_upper_tier: bool
    region: Area | None
    icbs: list[IcbLink]
    districts: list[Area]
    # For an ICB: the local authorities it covers, with the share of each.
    icb_members: list[tuple[Area, float]] = field(default_factory=list)
    # For a region: its upper-tier councils.
    region_members: list[Area] = field(default_factory=list)
    aliases: list[AreaAlias] = field(default_factory=list)


def _icb_links_for(area: Area, districts: list[Area]) -> list[IcbLink]:
    own = [area.pk]
    district_ids = [district.pk for district in districts]
    links = list(
        AreaIcb.objects.filter(area_id__in=own + district_ids).select_related("icb").order_by("icb__name")
    )
    by_icb: dict[int, list[AreaIcb]] = defaultdict(list)
    for link in links:
        by_icb[link.icb_id].append(link)
    result = []
    for icb_links in by_icb.values():
        icb = icb_links[0].icb
        direct = [link for link in icb_links if link.area_id == area.pk]
        if direct:
            share = direct[0].share
            result.append(IcbLink(icb=icb, share=share, whole=share >= 1))
            continue
        # A county's ICB: it covers the whole county only if it covers every district wholly.
        whole_districts = {link.area_id for link in icb_links if link.share >= 1}
        whole = bool(district_ids) and whole_districts.issuperset(district_ids)
        result.append(IcbLink(icb=icb, share=None, whole=whole))
    result.sort(key=lambda link: link.icb.name)
    return result


def area_context(*, area: Area) -> AreaContext:
    """Where a place sits: its upper tier, region, ICBs and (for an upper tier) its districts."""
    area = Area.objects.select_related("upper_tier", "region", "upper_tier__region").get(pk=area.pk)
    is_own_upper_tier = area.kind in UPPER_TIER_KINDS and area.upper_tier_id in (None, area.pk)
    upper_tier = None if is_own_upper_tier else area.upper_tier
    region = area.region or (upper_tier.region if upper_tier else None)

    districts: list[Area] = []
    if area.kind in UPPER_TIER_KINDS:
        districts = list(area.districts.exclude(pk=area.pk).order_by("name"))
    icbs = _icb_links_for(area, districts) if area.is_local_authority else []

    icb_members: list[tuple[Area, float]] = []
    if area.kind == Area.Kind.ICB:
        icb_members = [
            (link.area, link.share)
            for link in AreaIcb.objects.filter(icb=area).select_related("area").order_by("area__name")
        ]
    region_members: list[Area] = []
    if area.kind == Area.Kind.REGION:
        region_members = list(Area.objects.filter(region=area, kind__in=UPPER_TIER_KINDS).order_by("name"))
    return AreaContext(
        area=area,
        upper_tier=upper_tier,
        is_own_upper_tier=is_own_upper_tier,
        region=region,
        icbs=icbs,
        districts=districts,
        icb_members=icb_members,
        region_members=region_members,
        aliases=list(area.aliases.order_by("code")),
    )


# ---------------------------------------------------------------------------------------------------
# Indicators compared with England
# ---------------------------------------------------------------------------------------------------

# A breakdown is one line of figures for an indicator: (sex, age, category type, category).
Breakdown = tuple[str, str, str, str]


def breakdown_rank(breakdown: Breakdown, latest_period_start: int) -> tuple:
    """Sort key choosing the headline breakdown: no category, persons, all ages, then the most recent."""
    sex, age, category_type, category = breakdown
    return (
        bool(category or category_type),
        sex != "Persons",
        age != "All ages",
        -latest_period_start,
        sex, age, category_type, category,
    )


def choose_breakdown(candidates: dict[Breakdown, int]) -> Breakdown:
    """The breakdown to headline from {breakdown: latest period start}."""
    return min(candidates, key=lambda breakdown: breakdown_rank(breakdown, candidates[breakdown]))


def _breakdown_of(value: IndicatorValue) -> Breakdown:
    return (value.sex, value.age, value.category_type, value.category)


def _breakdown_q(indicator_id: int, breakdown: Breakdown) -> Q:
    sex, age, category_type, category = breakdown
    return Q(indicator_id=indicator_id, sex=sex, age=age, category_type=category_type, category=category)


def _period_key(value: IndicatorValue) -> tuple:
    return (value.period_start, value.period)


@dataclass
class Point:
    """One period of a series: the place's figure, England's, and how they compare."""

    value: IndicatorValue
    england: IndicatorValue | None
    comparison: Comparison

    @property
    def period(self) -> str:
        return self.value.period


@dataclass
class IndicatorFigures:
    """An indicator for one place: the headline (latest) figure and the series behind it."""

    indicator: Indicator
    area: Area
    breakdown: Breakdown
    points: list[Point]

    @property
    def latest(self) -> Point:
        return self.points[-1]

    @property
    def imported_at(self) -> datetime:
        run = self.latest.value.import_run
        if run is not None and run.finished_at is not None:
            return run.finished_at
        return self.indicator.updated_at

    @property
    def breakdown_label(self) -> str:
        sex, age, category_type, category = self.breakdown
        parts = [sex, age]
        if category:
            parts.append(f"{category_type}: {category}" if category_type else category)
        return ", ".join(part for part in parts if part)


@dataclass
class DistrictTable:
    """An indicator published only for districts, shown for a county as one row per district."""

    indicator: Indicator
    rows: list[IndicatorFigures]

    @property
    def periods(self) -> list[str]:
        return sorted({row.latest.period for row in self.rows})

    @property
    def imported_at(self) -> datetime:
        return max(row.imported_at for row in self.rows)

    @property
    def england(self) -> IndicatorValue | None:
        """England's figure for the period most districts have (the same period for all, as published)."""
        for row in self.rows:
            if row.latest.england is not None:
                return row.latest.england
        return None

    def for_district(self, area: Area) -> IndicatorFigures | None:
        return next((row for row in self.rows if row.area.pk == area.pk), None)


@dataclass
class DistrictRow:
    """One district of a county, with its figure (or None) for each district-only indicator."""

    area: Area
    cells: list[IndicatorFigures | None]


@dataclass
class IndicatorSummary:
    area: Area
    headlines: list[IndicatorFigures]
    district_tables: list[DistrictTable]
    not_loaded: list[Indicator]
    is_england: bool
    districts: list[Area] = field(default_factory=list)

    @property
    def has_any(self) -> bool:
        return bool(self.headlines or self.district_tables)

    @property
    def district_rows(self) -> list[DistrictRow]:
        """Every district of the county, one cell per district-only indicator: one small table."""
        return [
            DistrictRow(area=district, cells=[table.for_district(district) for table in self.district_tables])
            for district in sorted(self.districts, key=lambda district: district.name)
        ]

    @property
    def district_england(self) -> list[IndicatorValue | None]:
        return [table.england for table in self.district_tables]

    @property
    def district_periods(self) -> list[str]:
        return sorted({period for table in self.district_tables for period in table.periods})


def _is_district_only(indicator: Indicator) -> bool:
    return indicator.key.startswith(DISTRICT_ONLY_PREFIX)


def _latest_by_breakdown(area_ids: list[int], indicator_filter: Q) -> dict[tuple[int, int], dict]:
    """{(area id, indicator id): {breakdown: latest period start}} for figures that have a value."""
    rows = (
        IndicatorValue.objects.filter(indicator_filter, area_id__in=area_ids, value__isnull=False)
        .values("area_id", "indicator_id", "sex", "age", "category_type", "category")
        .annotate(latest=Max("period_start"))
        .order_by()
    )
    found: dict[tuple[int, int], dict] = defaultdict(dict)
    for row in rows:
        breakdown = (row["sex"], row["age"], row["category_type"], row["category"])
        found[(row["area_id"], row["indicator_id"])][breakdown] = row["latest"]
    return found


def _build_figures(
    *,
    chosen: dict[tuple[int, int], Breakdown],
    areas: dict[int, Area],
    indicators: dict[int, Indicator],
    england: Area | None,
) -> dict[tuple[int, int], IndicatorFigures]:
    """Load the series for each chosen (area, indicator, breakdown), with England's, in one query."""
    if not chosen:
        return {}
    place_q = reduce(
        operator.or_,
        (Q(area_id=area_id) & _breakdown_q(indicator_id, breakdown)
         for (area_id, indicator_id), breakdown in chosen.items()),
    )
    query = place_q
    if england is not None:
        england_breakdowns = {(indicator_id, breakdown) for (_a, indicator_id), breakdown in chosen.items()}
        england_q = reduce(
            operator.or_, (_breakdown_q(indicator_id, bd) for indicator_id, bd in england_breakdowns)
        )
        query = place_q | (Q(area_id=england.pk) & england_q)
    values = (
        IndicatorValue.objects.filter(query, value__isnull=False)
        .select_related("import_run")
        .order_by("period_start", "period")
    )
    series: dict[tuple[int, int], list[IndicatorValue]] = defaultdict(list)
    england_values: dict[tuple[int, Breakdown, str], IndicatorValue] = {}
    for value in values:
        key = (value.area_id, value.indicator_id)
        if key in chosen and chosen[key] == _breakdown_of(value):
            series[key].append(value)
        if england is not None and value.area_id == england.pk:
            england_values[(value.indicator_id, _breakdown_of(value), value.period)] = value

    figures = {}
    for key, rows in series.items():
        area_id, indicator_id = key
        indicator = indicators[indicator_id]
        breakdown = chosen[key]
        points = []
        for row in sorted(rows, key=_period_key):
            row.indicator = indicator
            if england is not None and area_id == england.pk:
                points.append(Point(value=row, england=row, comparison=IS_ENGLAND))
                continue
            england_row = england_values.get((indicator_id, breakdown, row.period))
            comparison = compare_with_england(
                value=row.value,
                lower_ci=row.lower_ci,
                upper_ci=row.upper_ci,
                england_value=england_row.value if england_row else None,
                polarity=indicator.polarity,
            )
            points.append(Point(value=row, england=england_row, comparison=comparison))
        figures[key] = IndicatorFigures(
            indicator=indicator, area=areas[area_id], breakdown=breakdown, points=points
        )
    return figures


def _indicator_order(indicator: Indicator) -> tuple:
    return (not indicator.headline, indicator.name.lower(), indicator.key)


def area_indicator_summary(*, area: Area, districts: list[Area] | None = None) -> IndicatorSummary:
    """Each indicator with figures for this place: the latest figure, England's and the comparison.

    For a county, indicators published only by district (ONS4 wellbeing) come as one table per
    indicator listing the county's districts. Indicators with no figure for the place are listed in
    `not_loaded` so the page can say so instead of showing anything else.
    """
    indicators = {
        indicator.pk: indicator for indicator in Indicator.objects.select_related("source").order_by("name")
    }
    england = area if area.code == ENGLAND_CODE else Area.objects.filter(code=ENGLAND_CODE).first()
    is_county = area.kind == Area.Kind.COUNTY
    if districts is None:
        districts = list(area.districts.exclude(pk=area.pk)) if is_county else []
    district_only_ids = [pk for pk, indicator in indicators.items() if _is_district_only(indicator)]

    own_filter = ~Q(indicator_id__in=district_only_ids) if is_county else Q()
    candidates = _latest_by_breakdown([area.pk], own_filter)
    if is_county and districts and district_only_ids:
        candidates.update(
            _latest_by_breakdown([d.pk for d in districts], Q(indicator_id__in=district_only_ids))
        )
    chosen = {key: choose_breakdown(options) for key, options in candidates.items()}
    areas = {area.pk: area, **{district.pk: district for district in districts}}
    figures = _build_figures(chosen=chosen, areas=areas, indicators=indicators, england=england)

    headlines = [figure for (area_id, _i), figure in figures.items() if area_id == area.pk]
    headlines.sort(key=lambda figure: _indicator_order(figure.indicator))

    by_indicator: dict[int, list[IndicatorFigures]] = defaultdict(list)
    for (area_id, indicator_id), figure in figures.items():
        if area_id != area.pk:
            by_indicator[indicator_id].append(figure)
    district_tables = [
        DistrictTable(
            indicator=indicators[indicator_id],
            rows=sorted(rows, key=lambda figure: figure.area.name),
        )
        for indicator_id, rows in by_indicator.items()
    ]
    district_tables.sort(key=lambda table: _indicator_order(table.indicator))

    shown = {figure.indicator.pk for figure in headlines} | {t.indicator.pk for t in district_tables}
    not_loaded = sorted(
        (indicator for pk, indicator in indicators.items() if pk not in shown), key=_indicator_order
    )
    return IndicatorSummary(
        area=area,
        headlines=headlines,
        district_tables=district_tables,
        not_loaded=not_loaded,
        is_england=area.code == ENGLAND_CODE,
        districts=districts if district_tables else [],
    )


def indicator_get(*, key: str) -> Indicator | None:
    return Indicator.objects.select_related("source").filter(key=key).first()


def indicator_series(
    *,
    area: Area,
    indicator: Indicator,
    sex: str | None = None,
    age: str | None = None,
    category: str | None = None,
) -> IndicatorFigures | None:
    """One indicator's series for a place (the headline breakdown unless one is asked for)."""
    candidates = _latest_by_breakdown([area.pk], Q(indicator_id=indicator.pk)).get((area.pk, indicator.pk))
    if not candidates:
        return None
    wanted = {
        breakdown: latest
        for breakdown, latest in candidates.items()
        if (sex is None or breakdown[0] == sex)
        and (age is None or breakdown[1] == age)
        and (category is None or breakdown[3] == category)
    }
    if not wanted:
        return None
    chosen = {(area.pk, indicator.pk): choose_breakdown(wanted)}
    england = area if area.code == ENGLAND_CODE else Area.objects.filter(code=ENGLAND_CODE).first()
    figures = _build_figures(
        chosen=chosen, areas={area.pk: area}, indicators={indicator.pk: indicator}, england=england
    )
    return figures.get((area.pk, indicator.pk))


# ---------------------------------------------------------------------------------------------------
# Priorities
# ---------------------------------------------------------------------------------------------------

def priority_can_edit(*, user) -> bool:
    """Administrators and commissioners add, change and delete priorities; everyone reads them."""
    return is_administrator(user) or is_commissioner(user)


def priority_list_for_area(*, area: Area):
    return (
        Priority.objects.filter(area=area)
        .prefetch_related(Prefetch("themes", queryset=Term.objects.order_by("position", "key")))
        .order_by("title", "pk")
    )


def priority_get(*, pk: int) -> Priority | None:
    return Priority.objects.select_related("area").filter(pk=pk).first()


def priority_theme_choices(*, priority: Priority | None = None):
    """The vocabulary's current theme terms, plus any retired theme the priority still carries."""
    current = Q(scheme__key="themes", retired=False)
    if priority is not None and priority.pk:
        current |= Q(pk__in=priority.themes.values("pk"))
    return Term.objects.filter(current).order_by("position", "key")


def priority_history(*, user, priority: Priority) -> list[HistoryEntry]:
    """Who changed the priority, when, and what changed (from the audit trail), newest first."""
    from django.core.exceptions import PermissionDenied

    if not priority_can_edit(user=user):
        raise PermissionDenied("Only administrators and commissioners can see the history of changes.")
    return audit_history({Priority: [priority.pk]})


def area_ids_within(area: Area) -> QuerySet:
    """The ids of the area and every area inside it, as a subquery (no query runs here)."""
    if area.kind == Area.Kind.COUNTRY:
        return Area.objects.values("pk")
    where = Q(pk=area.pk)
    if area.kind == Area.Kind.COUNTY:
        where |= Q(upper_tier=area)
    elif area.kind == Area.Kind.REGION:
        where |= Q(region=area) | Q(upper_tier__region=area)
    elif area.kind == Area.Kind.ICB:
        where |= Q(icb_links__icb=area)
    return Area.objects.filter(where).values("pk")


def area_ids_covering(area: Area) -> list[int]:
    """The ids of the bodies whose area holds this one: its county, its region, and the Integrated Care
    Boards linked to it (or to its districts, for a county). A buyer for any of them buys for this place."""
    ids: set[int] = set()
    if area.upper_tier_id and area.upper_tier_id != area.pk:
        ids.add(area.upper_tier_id)
    if area.region_id:
        ids.add(area.region_id)
    if area.is_local_authority:
        ids.update(
            AreaIcb.objects.filter(Q(area=area) | Q(area__upper_tier=area)).values_list("icb_id", flat=True)
        )
    return sorted(ids)

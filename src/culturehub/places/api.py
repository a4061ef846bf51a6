"""JSON API for places: search, a place's profile, and one indicator's time series."""

# No "from __future__ import annotations": django-ninja reads these annotations at run time.
from datetime import datetime

from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from culturehub.places import selectors
from culturehub.places.comparisons import Comparison
from culturehub.places.models import Area, Priority

router = Router(tags=["places"])


# ---------------------------------------------------------------------------------------------------
# Schemas
# ---------------------------------------------------------------------------------------------------

class AreaRef(Schema):
    code: str
    name: str
    kind: str
    kind_label: str
    profile_url: str


class AreaOut(AreaRef):
    upper_tier: AreaRef | None = None
    region: AreaRef | None = None
    old_code: str | None = None


class IcbOut(AreaRef):
    whole: bool
    share: float | None = None


class ComparisonOut(Schema):
    key: str
    label: str
    compared: bool


class SourceOut(Schema):
    name: str
    publisher: str
    url: str
    licence: str
    licence_url: str


class IndicatorOut(Schema):
    key: str
    name: str
    definition: str
    unit: str
    value_type: str
    polarity: str
    source: SourceOut


class BreakdownOut(Schema):
    sex: str
    age: str
    category_type: str
    category: str


class FigureOut(Schema):
    period: str
    period_start: int
    value: float | None
    lower_ci: float | None
    upper_ci: float | None
    count: float | None
    denominator: float | None
    england_value: float | None
    england_lower_ci: float | None
    england_upper_ci: float | None
    comparison: ComparisonOut


class HeadlineOut(Schema):
    indicator: IndicatorOut
    breakdown: BreakdownOut
    latest: FigureOut
    imported_at: datetime
    series_url: str


class DistrictFigureOut(Schema):
    area: AreaRef
    latest: FigureOut
    imported_at: datetime


class DistrictTableOut(Schema):
    indicator: IndicatorOut
    districts: list[DistrictFigureOut]


class ThemeOut(Schema):
    key: str
    label: str


class PriorityOut(Schema):
    id: int
    title: str
    summary: str
    themes: list[ThemeOut]
    document_type: str
    document_type_label: str
    source_title: str
    source_url: str
    source_date: str
    source_note: str
    publisher: str


class PlaceOut(Schema):
    area: AreaRef
    upper_tier: AreaRef | None
    is_own_upper_tier: bool
    region: AreaRef | None
    icbs: list[IcbOut]
    districts: list[AreaRef]
    old_codes: list[str]
    headline_indicators: list[HeadlineOut]
    indicators_by_district: list[DistrictTableOut]
    not_loaded: list[str]
    priorities: list[PriorityOut]


class SeriesOut(Schema):
    area: AreaRef
    indicator: IndicatorOut
    breakdown: BreakdownOut
    series: list[FigureOut]


# ---------------------------------------------------------------------------------------------------
# Building the responses
# ---------------------------------------------------------------------------------------------------

def _area_ref(area: Area | None) -> dict | None:
    if area is None:
        return None
    return {
        "code": area.code,
        "name": area.name,
        "kind": area.kind,
        "kind_label": area.get_kind_display(),
        "profile_url": reverse("places:detail", args=[area.code]),
    }


def _comparison(comparison: Comparison) -> dict:
    return {"key": comparison.key, "label": comparison.label, "compared": comparison.compared}


def _indicator(indicator) -> dict:
    source = indicator.source
    return {
        "key": indicator.key,
        "name": indicator.name,
        "definition": indicator.definition,
        "unit": indicator.unit,
        "value_type": indicator.value_type,
        "polarity": indicator.polarity,
        "source": {
            "name": source.name, "publisher": source.publisher, "url": source.url,
            "licence": source.licence, "licence_url": source.licence_url,
        },
    }


def _breakdown(breakdown) -> dict:
    sex, age, category_type, category = breakdown
    return {"sex": sex, "age": age, "category_type": category_type, "category": category}


def _figure(point: selectors.Point) -> dict:
    value, england = point.value, point.england
    return {
        "period": value.period,
        "period_start": value.period_start,
        "value": value.value,
        "lower_ci": value.lower_ci,
        "upper_ci": value.upper_ci,
        "count": value.count,
        "denominator": value.denominator,
        "england_value": england.value if england else None,
        "england_lower_ci": england.lower_ci if england else None,
        "england_upper_ci": england.upper_ci if england else None,
        "comparison": _comparison(point.comparison),
    }


def _priority(priority: Priority) -> dict:
    return {
        "id": priority.pk,
        "title": priority.title,
        "summary": priority.summary,
        "themes": [{"key": term.key, "label": term.label} for term in priority.themes.all()],
        "document_type": priority.document_type,
        "document_type_label": priority.get_document_type_display(),
        "source_title": priority.source_title,
        "source_url": priority.source_url,
        "source_date": priority.source_date,
        "source_note": priority.source_note,
        "publisher": priority.publisher,
    }


def _area_or_404(code: str) -> Area:
    area = selectors.area_resolve(code=code)
    if area is None:
        raise HttpError(404, f"No place has the code {code}.")
    return area


# ---------------------------------------------------------------------------------------------------
# Endpoints
# ---------------------------------------------------------------------------------------------------

class SearchFilters(Schema):
    q: str = ""
    kind: list[str] = []


@router.get(
    "/", response=list[AreaOut],
    summary="Find places by name or ONS code (old codes too); with no q, every place of the kinds asked for",
)
@paginate(LimitOffsetPagination)
def search_areas(request, filters: Query[SearchFilters]):
    if filters.q.strip():
        results = selectors.area_search(query=filters.q, kinds=filters.kind)
    else:
        results = selectors.area_search(query="", kinds=filters.kind or Area.Kind.values)
    return _AreaResults(results, filters.q)


class _AreaResults:
    """A queryset wrapper that adds each page's matched old codes with one query, after paging."""

    def __init__(self, queryset, query: str):
        self.queryset, self.query = queryset, query

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window):
        areas = list(self.queryset[window])
        aliases = selectors.area_search_aliases(query=self.query, areas=areas)
        return [
            {
                **_area_ref(area),
                "upper_tier": (
                    _area_ref(area.upper_tier) if area.upper_tier_id not in (None, area.pk) else None
                ),
                "region": _area_ref(area.region),
                "old_code": aliases[area.pk].code if area.pk in aliases else None,
            }
            for area in areas
        ]


@router.get("/{code}", response=PlaceOut, summary="A place in context, its indicators and its priorities")
def place_detail(request, code: str):
    area = _area_or_404(code)
    context = selectors.area_context(area=area)
    summary = selectors.area_indicator_summary(area=context.area, districts=context.districts)
    return {
        "area": _area_ref(context.area),
        "upper_tier": _area_ref(context.upper_tier),
        "is_own_upper_tier": context.is_own_upper_tier,
        "region": _area_ref(context.region),
        "icbs": [{**_area_ref(link.icb), "whole": link.whole, "share": link.share} for link in context.icbs],
        "districts": [_area_ref(district) for district in context.districts],
        "old_codes": [alias.code for alias in context.aliases],
        "headline_indicators": [
            {
                "indicator": _indicator(figures.indicator),
                "breakdown": _breakdown(figures.breakdown),
                "latest": _figure(figures.latest),
                "imported_at": figures.imported_at,
                "series_url": reverse(
                    "api:place_indicator_series", kwargs={"code": area.code, "key": figures.indicator.key}
                ),
            }
            for figures in summary.headlines
        ],
        "indicators_by_district": [
            {
                "indicator": _indicator(table.indicator),
                "districts": [
                    {
                        "area": _area_ref(row.area),
                        "latest": _figure(row.latest),
                        "imported_at": row.imported_at,
                    }
                    for row in table.rows
                ],
            }
            for table in summary.district_tables
        ],
        "not_loaded": [indicator.key for indicator in summary.not_loaded],
        "priorities": [_priority(priority) for priority in selectors.priority_list_for_area(area=area)],
    }


class SeriesFilters(Schema):
    sex: str | None = None
    age: str | None = None
    category: str | None = None


@router.get(
    "/{code}/indicators/{key}", response=SeriesOut, url_name="place_indicator_series",
    summary="One indicator's figures for a place over time, with confidence intervals and England's",
)
def place_indicator_series(request, code: str, key: str, filters: Query[SeriesFilters]):
    area = _area_or_404(code)
    indicator = selectors.indicator_get(key=key)
    if indicator is None:
        raise HttpError(404, f"No indicator has the key {key}.")
    figures = selectors.indicator_series(
        area=area, indicator=indicator, sex=filters.sex, age=filters.age, category=filters.category
    )
    if figures is None:
        raise HttpError(404, f"{indicator.name} is not loaded for {area.name}.")
    return {
        "area": _area_ref(area),
        "indicator": _indicator(indicator),
        "breakdown": _breakdown(figures.breakdown),
        "series": [_figure(point) for point in figures.points],
    }

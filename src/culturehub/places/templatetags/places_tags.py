"""Template helpers for place pages: figures as people read them, and the SVG charts."""

from django import template

from culturehub.places import charts
from culturehub.places.selectors import ENGLAND_CODE

register = template.Library()


@register.filter
def figure(value, unit=""):
    """{{ value|figure:indicator.unit }}: 1,234 / 12.3 / 0.45, with % when the unit is a percentage."""
    return charts.format_figure(value, unit or "")


@register.filter
def interval(point_value, unit=""):
    """{{ row|interval:unit }}: the 95% confidence interval of an IndicatorValue, or a dash."""
    lower, upper = getattr(point_value, "lower_ci", None), getattr(point_value, "upper_ci", None)
    if lower is None or upper is None:
        return "–"
    low, high = min(lower, upper), max(lower, upper)
    return f"{charts.format_figure(low, unit or '')} to {charts.format_figure(high, unit or '')}"


def _spine_row(figures) -> charts.SpineRow:
    point = figures.latest
    return charts.SpineRow(
        label=figures.indicator.name,
        value=point.value.value,
        lower_ci=point.value.lower_ci,
        upper_ci=point.value.upper_ci,
        england_value=point.england.value if point.england else None,
        result_key=point.comparison.key,
        result_label=point.comparison.label,
    )


@register.simple_tag
def spine_chart(headlines, place_name, chart_id="spine-chart"):
    """The spine chart for a list of IndicatorFigures (the profile's headline indicators).

    Counts (a resident population, say) are left out: a place's count as a share of England's says
    nothing about how it fares. The table beside the chart still lists them.
    """
    return charts.spine_chart(
        rows=[_spine_row(figures) for figures in headlines if not _is_count(figures.indicator)],
        place_name=place_name, chart_id=chart_id,
    )


def _is_count(indicator) -> bool:
    return indicator.value_type.strip().lower() == "count"


@register.simple_tag
def trend_chart(figures, chart_id):
    """The trend chart for one IndicatorFigures: the place and England over every period loaded."""
    points = [
        charts.TrendPoint(
            period=point.period,
            value=point.value.value,
            lower_ci=point.value.lower_ci,
            upper_ci=point.value.upper_ci,
            england_value=point.england.value if point.england else None,
        )
        for point in figures.points
    ]
    return charts.trend_chart(
        points=points,
        place_name=figures.area.name,
        indicator_name=figures.indicator.name,
        unit=figures.indicator.unit,
        chart_id=chart_id,
        with_england=figures.area.code != ENGLAND_CODE,
    )

"""Drawing a breakdown on the culture page."""

from django import template

from culturehub.places.charts import bar_chart

register = template.Library()


@register.simple_tag
def breakdown_chart(breakdown, money=False):
    return bar_chart(
        bars=breakdown.bars, title=breakdown.title, chart_id=f"chart-{breakdown.key}", money=money
    )


@register.filter
def pounds(value):
    """Whole pounds with separators: £1,234,567."""
    if value is None:
        return "–"
    return f"£{value:,.0f}"


@register.filter
def pounds_pence(value):
    """Pounds and pence, for figures per head: £3.41."""
    if value is None:
        return "–"
    return f"£{value:,.2f}"

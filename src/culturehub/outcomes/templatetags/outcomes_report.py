"""Figures in the outcome report as people read them: a dash for anything hidden or undefined."""

import math

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()
DASH = "–"


def _known(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


@register.filter
def stat(value, decimals=2):
    """A mean, change or interval end: fixed decimals, with a true minus sign."""
    if not _known(value):
        return DASH
    text = f"{float(value):.{int(decimals)}f}"
    return text.replace("-", "−") if float(text) != 0 else text.lstrip("-")


@register.filter
def signed(value, decimals=2):
    """A change with its sign: +0.42, −1.10."""
    if not _known(value):
        return DASH
    text = stat(value, decimals)
    # A change that rounds to nothing is written 0.00, not +0.00: judged on the figure shown.
    return text if text.startswith("−") or float(text) == 0 else f"+{text}"


@register.filter
def p_value(value):
    """p-values to three places, and below 0.001 as such."""
    if not _known(value):
        return DASH
    return "<\u00a00.001" if value < 0.001 else f"{value:.3f}"  # no break between the sign and number


@register.filter
def count(value) -> SafeString:
    """A count, or a dash that says to a screen reader it is hidden."""
    if value is None:
        return format_html('{}<span class="govuk-visually-hidden"> (hidden)</span>', DASH)
    return format_html("{}", f"{value:,}")


@register.filter
def money(value):
    if not _known(value):
        return DASH
    text = f"£{abs(value):,.0f}"
    return f"−{text}" if value < 0 and text != "£0" else text


@register.filter
def percent(value):
    if not _known(value):
        return DASH
    return f"{value:.0f}%"


@register.filter
def assumption(value):
    """A WELLBY assumption's value, whatever its type."""
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, float):
        return stat(value)
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)

"""Server-rendered SVG charts: pure functions from figures to accessible, escaped markup.

The content security policy forbids inline styles, so shapes use SVG presentation attributes (fill,
stroke). Every chart has role="img", a title and a description that states what it shows in words;
the page puts a table with the same figures beside it. Results are told by shape and by text as well
as by colour. Colours have at least 3:1 contrast against the white page (WCAG 2.2, 1.4.11).
"""

from __future__ import annotations

import html
import math
import textwrap
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

TEXT = "#0b0c0c"
MUTED = "#505a5f"
GRID = "#b1b4b6"
PLACE = "#1d70b8"
# Fill colours by comparison result, each at least 3:1 against white.
RESULT_FILLS = {
    "better": "#00703c",
    "worse": "#d4351c",
    "similar": "#505a5f",
    "higher": "#1d70b8",
    "lower": "#1d70b8",
}
RESULT_SHORT = {
    "better": "Better",
    "worse": "Worse",
    "similar": "Similar",
    "higher": "Higher",
    "lower": "Lower",
}
# Set on the <svg> element: the stylesheet's `.ch-chart text { font-family: inherit }` makes each text
# inherit it, and an attribute on the <text> itself would lose to that rule.
FONT = 'font-family="system-ui, -apple-system, &quot;Segoe UI&quot;, Roboto, Arial, sans-serif"'


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _n(number: float) -> str:
    """A coordinate, short enough to keep the markup small."""
    return f"{number:.1f}".rstrip("0").rstrip(".")


def format_figure(value: float | None, unit: str = "") -> str:
    """A figure as people read it: thousands separated, one decimal place, or two below one."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    size = abs(value)
    if size >= 1000:
        text = f"{value:,.0f}"
    elif size >= 1 or value == 0:
        text = f"{value:,.1f}"
    else:
        text = f"{value:.2f}"
    return f"{text}%" if unit.strip() == "%" else text


def nice_step(span: float, target_ticks: int = 5) -> float:
    """A round tick step (1, 2, 2.5 or 5 times a power of ten) giving about target_ticks ticks."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / max(target_ticks, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if raw <= multiple * magnitude:
            return multiple * magnitude
    return 10 * magnitude


def nice_ticks(low: float, high: float, target_ticks: int = 5) -> list[float]:
    """Round tick values covering [low, high]."""
    if high < low:
        low, high = high, low
    # A range too narrow to step through in floating point is drawn as a single value.
    if high - low <= 1e-9 * max(1.0, abs(high), abs(low)):
        pad = abs(high) * 0.1 or 1.0
        low, high = low - pad, high + pad
    step = nice_step(high - low, target_ticks)
    start = math.floor(low / step) * step
    end = math.ceil(high / step) * step
    count = round((end - start) / step)
    # Round away float noise (0.30000000000000004) to a few places finer than the step.
    decimals = max(0, -math.floor(math.log10(step))) + 3
    return [round(start + i * step, decimals) for i in range(count + 1)]


def _tick_label(value: float, step: float) -> str:
    decimals = max(0, -math.floor(math.log10(step))) if step < 1 else 0
    if round(step * 10**decimals, 9) % 1:
        decimals += 1
    return f"{value:,.{decimals}f}"


def _svg_open(chart_id: str, width: int, height: int, title: str, description: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ch-chart" role="img" focusable="false" {FONT} '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{_e(chart_id)}-title {_e(chart_id)}-desc">'
        f'<title id="{_e(chart_id)}-title">{_e(title)}</title>'
        f'<desc id="{_e(chart_id)}-desc">{_e(description)}</desc>'
    )


def _text(x: float, y: float, content: str, *, size: int = 14, anchor: str = "start",
          fill: str = TEXT, weight: str = "normal") -> str:
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size}" text-anchor="{anchor}" fill="{fill}" '
        f'font-weight="{weight}">{_e(content)}</text>'
    )


def marker(key: str, x: float, y: float, size: float = 7) -> str:
    """A shape for a comparison result, so the result does not rest on colour alone.

    Better: circle. Worse: diamond. Similar: square. Higher/lower (no judgement): triangle pointing up
    or down. Not compared: hollow circle.
    """
    fill = RESULT_FILLS.get(key)
    outline = f'stroke="{TEXT}" stroke-width="1"'
    if key == "better":
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(size)}" fill="{fill}" {outline}/>'
    if key == "worse":
        points = f"{_n(x)},{_n(y - size - 1)} {_n(x + size + 1)},{_n(y)} {_n(x)},{_n(y + size + 1)} " \
                 f"{_n(x - size - 1)},{_n(y)}"
        return f'<polygon points="{points}" fill="{fill}" {outline}/>'
    if key == "similar":
        return (f'<rect x="{_n(x - size + 1)}" y="{_n(y - size + 1)}" width="{_n(2 * size - 2)}" '
                f'height="{_n(2 * size - 2)}" fill="{fill}" {outline}/>')
    if key in ("higher", "lower"):
        tip = -size - 1 if key == "higher" else size + 1
        base = size if key == "higher" else -size
        points = f"{_n(x)},{_n(y + tip)} {_n(x + size + 1)},{_n(y + base)} {_n(x - size - 1)},{_n(y + base)}"
        return f'<polygon points="{points}" fill="{fill}" {outline}/>'
    return (f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(size - 1)}" fill="#ffffff" '
            f'stroke="{TEXT}" stroke-width="2"/>')


# ---------------------------------------------------------------------------------------------------
# Spine chart: each indicator's value for the place relative to England's
# ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SpineRow:
    label: str
    value: float | None
    lower_ci: float | None
    upper_ci: float | None
    england_value: float | None
    result_key: str
    result_label: str


def relative_difference(value: float | None, england: float | None) -> float | None:
    """How far a value is from England's, as a percentage of England's value."""
    if value is None or england is None or england == 0:
        return None
    return (value - england) / abs(england) * 100


SPINE_EXTENTS = (10, 20, 25, 50, 100, 200)


def spine_extent(rows: list[SpineRow]) -> float:
    """Half the width of the spine's scale in percent: the smallest round extent fitting every value.

    Confidence intervals do not widen the scale (one very uncertain figure would flatten every other
    row); their bars are cut at the edge instead. Values beyond 200% are marked "off scale".
    """
    largest = 0.0
    for row in rows:
        difference = relative_difference(row.value, row.england_value)
        if difference is not None:
            largest = max(largest, abs(difference))
    for extent in SPINE_EXTENTS:
        if largest <= extent:
            return float(extent)
    return float(SPINE_EXTENTS[-1])


def _wrap_label(label: str, width: int = 38, lines: int = 2) -> list[str]:
    wrapped = textwrap.wrap(label, width) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1].rstrip() + "…"
    return wrapped


def _spine_description(place_name: str, rows: list[SpineRow]) -> str:
    groups: dict[str, list[str]] = {}
    for row in rows:
        groups.setdefault(row.result_label, []).append(row.label)
    parts = [f"{len(rows)} indicators for {place_name}, each placed against England's value in the middle."]
    for result_label, labels in groups.items():
        parts.append(f"{result_label}: {'; '.join(labels)}.")
    parts.append("The table that follows gives every figure.")
    return " ".join(parts)


def spine_chart(*, rows: list[SpineRow], place_name: str, chart_id: str) -> SafeString:
    """Rows of markers on a scale centred on England: left is lower than England, right is higher."""
    # Labels take the left 300 pixels; the scale and the result text follow.
    plot_left, plot_width, result_left = 320, 300, 640
    width, row_height, top, bottom = 760, 44, 56, 36
    height = top + row_height * max(len(rows), 1) + bottom
    extent = spine_extent(rows)
    centre = plot_left + plot_width / 2

    def x_for(percent: float) -> float:
        clamped = max(-extent, min(extent, percent))
        return centre + clamped / extent * (plot_width / 2)

    title = f"Headline indicators for {place_name} compared with England"
    parts = [_svg_open(chart_id, width, height, title, _spine_description(place_name, rows))]
    parts.append(_text(0, 20, "Indicator", weight="bold"))
    parts.append(_text(plot_left, 20, "Lower than England", size=13, fill=MUTED))
    parts.append(_text(plot_left + plot_width, 20, "Higher than England", size=13, anchor="end", fill=MUTED))
    parts.append(_text(result_left, 20, "Result", weight="bold"))
    parts.append(_text(centre, 42, "England", size=13, anchor="middle", weight="bold"))
    # Grid lines and tick labels (percent difference from England).
    plot_bottom = top + row_height * max(len(rows), 1)
    for tick in (-extent, -extent / 2, extent / 2, extent):
        x = x_for(tick)
        parts.append(f'<line x1="{_n(x)}" y1="{top}" x2="{_n(x)}" y2="{plot_bottom}" stroke="{GRID}" '
                     f'stroke-width="1" stroke-dasharray="3 3"/>')
        sign = "+" if tick > 0 else "−"
        parts.append(
            _text(x, plot_bottom + 20, f"{sign}{abs(tick):g}%", size=12, anchor="middle", fill=MUTED)
        )
    parts.append(_text(centre, plot_bottom + 20, "0%", size=12, anchor="middle", fill=MUTED))

    for index, row in enumerate(rows):
        y_top = top + index * row_height
        y = y_top + row_height / 2
        parts.append(f'<line x1="0" y1="{_n(y_top + row_height)}" x2="{width}" y2="{_n(y_top + row_height)}" '
                     f'stroke="{GRID}" stroke-width="1"/>')
        lines = _wrap_label(row.label)
        first_line_y = y + 5 - (len(lines) - 1) * 8
        for line_index, line in enumerate(lines):
            parts.append(_text(0, first_line_y + line_index * 16, line, size=13))
        difference = relative_difference(row.value, row.england_value)
        if difference is None:
            reason = "No England value" if row.england_value is None else "Cannot be scaled"
            parts.append(_text(centre + 10, y + 5, reason, size=12, fill=MUTED))
        else:
            low = relative_difference(row.lower_ci, row.england_value)
            high = relative_difference(row.upper_ci, row.england_value)
            if low is not None and high is not None:
                low, high = min(low, high), max(low, high)
                x1, x2 = x_for(low), x_for(high)
                parts.append(f'<line x1="{_n(x1)}" y1="{_n(y)}" x2="{_n(x2)}" y2="{_n(y)}" '
                             f'stroke="{TEXT}" stroke-width="2"/>')
                # An end cut at the edge of the scale gets no cap, so it does not look like the limit.
                for x_end, end in ((x1, low), (x2, high)):
                    if abs(end) <= extent:
                        parts.append(f'<line x1="{_n(x_end)}" y1="{_n(y - 6)}" x2="{_n(x_end)}" '
                                     f'y2="{_n(y + 6)}" stroke="{TEXT}" stroke-width="2"/>')
            parts.append(marker(row.result_key, x_for(difference), y))
            if abs(difference) > extent:
                # Off the scale: say so, rather than draw it somewhere misleading.
                edge = "end" if difference > 0 else "start"
                x_note = plot_left + plot_width if difference > 0 else plot_left
                parts.append(_text(x_note, y - 10, "off scale", size=11, anchor=edge, fill=MUTED))
        short = RESULT_SHORT.get(row.result_key, "Not compared")
        parts.append(_text(result_left, y + 5, short, size=13))
    # England's line is drawn last so it stays visible over the markers' whiskers.
    parts.append(f'<line x1="{_n(centre)}" y1="{top - 8}" x2="{_n(centre)}" y2="{plot_bottom}" '
                 f'stroke="{TEXT}" stroke-width="2"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  every piece of text above went through _e()


# ---------------------------------------------------------------------------------------------------
# Trend chart: the place's figure over time with England's beside it
# ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TrendPoint:
    period: str
    value: float | None
    lower_ci: float | None = None
    upper_ci: float | None = None
    england_value: float | None = None


def _trend_description(
    place_name: str, indicator_name: str, points: list[TrendPoint], unit: str, with_england: bool
) -> str:
    known = [point for point in points if point.value is not None]
    if not known:
        return f"No figures for {indicator_name} in {place_name}."
    first, last = known[0], known[-1]
    text = (
        f"{indicator_name} in {place_name}, {len(known)} periods from {first.period} to {last.period}: "
        f"{format_figure(first.value, unit)} in {first.period} and {format_figure(last.value, unit)} "
        f"in {last.period}."
    )
    england = [point for point in points if point.england_value is not None]
    if not with_england:
        pass
    elif england:
        text += (
            f" England: {format_figure(england[0].england_value, unit)} in {england[0].period} and "
            f"{format_figure(england[-1].england_value, unit)} in {england[-1].period}."
        )
    else:
        text += " There are no England figures for these periods."
    return text + " The table that follows gives every figure."


def _label_every(count: int, most: int = 8) -> int:
    return max(1, math.ceil(count / most))


def _polylines(coordinates: list[tuple[float, float] | None], attributes: str) -> list[str]:
    """One polyline per unbroken run of points: a missing period leaves a gap, not a false line."""
    runs, current = [], []
    for coordinate in coordinates:
        if coordinate is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append(coordinate)
    if current:
        runs.append(current)
    return [
        f'<polyline points="{" ".join(f"{_n(x)},{_n(y)}" for x, y in run)}" fill="none" {attributes}/>'
        for run in runs if len(run) > 1
    ]


def trend_chart(
    *,
    points: list[TrendPoint],
    place_name: str,
    indicator_name: str,
    unit: str = "",
    chart_id: str,
    with_england: bool = True,
) -> SafeString:
    """A line for the place (solid, round markers, 95% CI whiskers) and one for England (dashed, squares).

    with_england=False draws the place alone (England's own profile has nothing to set beside it).
    """
    if not with_england:
        points = [
            TrendPoint(p.period, p.value, p.lower_ci, p.upper_ci, england_value=None) for p in points
        ]
    width, height = 640, 320
    left, right, top, bottom = 72, 24, 56, 56
    plot_width, plot_height = width - left - right, height - top - bottom
    figures = [
        figure for point in points
        for figure in (point.value, point.lower_ci, point.upper_ci, point.england_value)
        if figure is not None
    ]
    ticks = nice_ticks(min(figures), max(figures)) if figures else [0.0, 1.0]
    low, high = ticks[0], ticks[-1]
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0

    def y_for(figure: float) -> float:
        return top + plot_height - (figure - low) / (high - low) * plot_height

    inset = 28  # keeps the first and last markers and labels clear of the axis and the edge

    def x_for(index: int) -> float:
        if len(points) == 1:
            return left + plot_width / 2
        return left + inset + index * (plot_width - 2 * inset) / (len(points) - 1)

    title = f"{indicator_name}: {place_name} and England over time"
    description = _trend_description(place_name, indicator_name, points, unit, with_england)
    parts = [_svg_open(chart_id, width, height, title, description)]
    # Legend: line style and marker shape tell the two series apart, not only colour.
    parts.append(f'<line x1="{left}" y1="18" x2="{left + 28}" y2="18" stroke="{PLACE}" stroke-width="3"/>')
    parts.append(f'<circle cx="{left + 14}" cy="18" r="4" fill="{PLACE}"/>')
    parts.append(_text(left + 36, 23, f"{place_name} (bars: 95% confidence interval)", size=13))
    if with_england:
        parts.append(f'<line x1="{left}" y1="40" x2="{left + 28}" y2="40" stroke="{TEXT}" stroke-width="2" '
                     f'stroke-dasharray="6 4"/>')
        parts.append(f'<rect x="{left + 10.5}" y="36.5" width="7" height="7" fill="{TEXT}"/>')
        parts.append(_text(left + 36, 45, "England", size=13))
    # Axes and horizontal grid lines.
    for tick in ticks:
        y = y_for(tick)
        parts.append(f'<line x1="{left}" y1="{_n(y)}" x2="{left + plot_width}" y2="{_n(y)}" stroke="{GRID}" '
                     f'stroke-width="1"/>')
        parts.append(_text(left - 8, y + 4, _tick_label(tick, step), size=12, anchor="end", fill=MUTED))
    if unit:
        parts.append(_text(8, top - 8, unit, size=12, fill=MUTED))
    parts.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_height}" stroke="{TEXT}" '
                 f'stroke-width="1"/>')
    every = _label_every(len(points))
    for index, point in enumerate(points):
        if index % every == 0 or index == len(points) - 1:
            parts.append(_text(x_for(index), top + plot_height + 22, point.period, size=12, anchor="middle",
                               fill=MUTED))
    # England first, so the place's line is drawn on top.
    england = [
        (x_for(i), y_for(p.england_value)) if p.england_value is not None else None
        for i, p in enumerate(points)
    ]
    parts.extend(_polylines(england, f'stroke="{TEXT}" stroke-width="2" stroke-dasharray="6 4"'))
    for coordinate in england:
        if coordinate is not None:
            x, y = coordinate
            parts.append(f'<rect x="{_n(x - 3.5)}" y="{_n(y - 3.5)}" width="7" height="7" fill="{TEXT}"/>')
    place = [
        (x_for(i), y_for(p.value)) if p.value is not None else None for i, p in enumerate(points)
    ]
    for index, point in enumerate(points):
        if point.value is not None and point.lower_ci is not None and point.upper_ci is not None:
            x = x_for(index)
            y1, y2 = y_for(point.lower_ci), y_for(point.upper_ci)
            parts.append(f'<line x1="{_n(x)}" y1="{_n(y1)}" x2="{_n(x)}" y2="{_n(y2)}" stroke="{PLACE}" '
                         f'stroke-width="1.5"/>')
            for y_end in (y1, y2):
                parts.append(f'<line x1="{_n(x - 4)}" y1="{_n(y_end)}" x2="{_n(x + 4)}" y2="{_n(y_end)}" '
                             f'stroke="{PLACE}" stroke-width="1.5"/>')
    parts.extend(_polylines(place, f'stroke="{PLACE}" stroke-width="3"'))
    for coordinate in place:
        if coordinate is not None:
            x, y = coordinate
            parts.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4.5" fill="{PLACE}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  every piece of text above went through _e()


# ---------------------------------------------------------------------------------------------------
# Horizontal bars (the culture page's counts and money). Each bar carries its figure as text, so
# nothing rests on length alone.
# ---------------------------------------------------------------------------------------------------

def _describe(title: str, bars, value_text) -> str:
    if not bars:
        return f"{title}: nothing to show."
    parts = [f"{bar.label} {value_text(bar.value)}" for bar in bars]
    return f"{title}. " + "; ".join(parts) + ". The table that follows gives the same figures."


def bar_chart(*, bars, title: str, chart_id: str, money: bool = False) -> SafeString:
    """One bar per row, longest bar the largest value; `bars` have .label and .value."""
    def value_text(value: float) -> str:
        return f"£{value:,.0f}" if money else f"{value:,.0f}"

    label_width, plot_left, plot_width = 230, 250, 330
    width, row_height, top, bottom = 700, 34, 12, 34
    height = top + row_height * max(len(bars), 1) + bottom
    largest = max((bar.value for bar in bars), default=0) or 1
    ticks = [tick for tick in nice_ticks(0, largest, 4) if tick >= 0]
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1
    if step % 1:
        # Counts and whole pounds: no tick at 2.5 organisations.
        step = math.ceil(step)
        ticks = [index * step for index in range(math.ceil(largest / step) + 1)]
    scale_top = ticks[-1] or 1

    def x_for(value: float) -> float:
        return plot_left + value / scale_top * plot_width

    description = _describe(title, bars, value_text)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ch-chart" role="img" focusable="false" {FONT} '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" aria-label="{_e(title)}" '
        f'aria-describedby="{_e(chart_id)}-desc">'
        f'<title>{_e(title)}</title><desc id="{_e(chart_id)}-desc">{_e(description)}</desc>'
    ]
    plot_bottom = top + row_height * max(len(bars), 1)
    for tick in ticks:
        x = x_for(tick)
        parts.append(f'<line x1="{_n(x)}" y1="{top}" x2="{_n(x)}" y2="{plot_bottom}" stroke="{GRID}" '
                     f'stroke-width="1"/>')
        label = f"£{tick:,.0f}" if money else f"{tick:,.0f}"
        parts.append(_text(x, plot_bottom + 20, label, size=12, anchor="middle", fill=MUTED))
    for index, bar in enumerate(bars):
        y_top = top + index * row_height
        y = y_top + row_height / 2
        lines = _wrap_label(bar.label, width=label_width // 8, lines=2)
        first_line_y = y + 5 - (len(lines) - 1) * 8
        for line_index, line in enumerate(lines):
            parts.append(_text(0, first_line_y + line_index * 16, line, size=13))
        bar_width = max(x_for(bar.value) - plot_left, 1 if bar.value else 0)
        parts.append(f'<rect x="{plot_left}" y="{_n(y_top + 6)}" width="{_n(bar_width)}" '
                     f'height="{row_height - 12}" fill="{PLACE}"/>')
        parts.append(_text(plot_left + bar_width + 6, y + 5, value_text(bar.value), size=13))
    parts.append(f'<line x1="{plot_left}" y1="{top}" x2="{plot_left}" y2="{plot_bottom}" stroke="{TEXT}" '
                 f'stroke-width="1"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  every piece of text above went through _e()


# ---------------------------------------------------------------------------------------------------
# Before and after: the same people's mean score at a baseline and at a later point (outcome reports)
# ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BeforeAfterRow:
    label: str
    before: float
    after: float
    result_key: str  # "better", "worse" or "similar" (by the confidence interval of the change), or ""
    direction: str = ""  # like "higher is better", shown under the label
    result_label: str = ""  # the result in words; by default the comparison's short name

    @property
    def result_text(self) -> str:
        return self.result_label or RESULT_SHORT.get(self.result_key, "Not compared")


def _before_after_description(title: str, rows: list[BeforeAfterRow]) -> str:
    if not rows:
        return f"{title}: nothing to show."
    parts = [
        f"{row.label}: {format_figure(row.before)} before, {format_figure(row.after)} after"
        f" ({row.result_text.lower()}"
        f"{', ' + row.direction if row.direction else ''})"
        for row in rows
    ]
    return f"{title}. " + "; ".join(parts) + ". The table that follows gives every figure."


def before_after_chart(
    *, rows: list[BeforeAfterRow], minimum: float, maximum: float, title: str, chart_id: str
) -> SafeString:
    """One row per measure on the scale's full range: a hollow circle at the mean before, a line to the
    mean after, whose marker's shape says whether the change is better, worse or similar. The whole
    scale is drawn so that a small change looks small."""
    label_width, plot_left, plot_width, result_left = 230, 250, 330, 600
    width, row_height, top, bottom = 720, 60, 40, 40
    height = top + row_height * max(len(rows), 1) + bottom
    span = (maximum - minimum) or 1.0

    def x_for(value: float) -> float:
        return plot_left + (max(minimum, min(maximum, value)) - minimum) / span * plot_width

    parts = [_svg_open(chart_id, width, height, title, _before_after_description(title, rows))]
    parts.append(
        f'<circle cx="6" cy="16" r="5" fill="#ffffff" stroke="{TEXT}" stroke-width="2"/>'
    )
    parts.append(_text(16, 21, "Before", size=13))
    parts.append(marker("better", 76, 16))
    parts.append(_text(86, 21, "After: circle improved, diamond worse, square no clear change", size=13))
    parts.append(_text(result_left, 21, "Result", weight="bold", size=13))
    plot_bottom = top + row_height * max(len(rows), 1)
    ticks = [tick for tick in nice_ticks(minimum, maximum, 5) if minimum <= tick <= maximum]
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    for tick in ticks:
        x = x_for(tick)
        parts.append(f'<line x1="{_n(x)}" y1="{top}" x2="{_n(x)}" y2="{plot_bottom}" stroke="{GRID}" '
                     f'stroke-width="1" stroke-dasharray="3 3"/>')
        label = _tick_label(tick, step)
        parts.append(_text(x, plot_bottom + 20, label, size=12, anchor="middle", fill=MUTED))
    for index, row in enumerate(rows):
        y_top = top + index * row_height
        y = y_top + row_height / 2
        lines = _wrap_label(row.label, width=label_width // 8, lines=2)
        if row.direction:
            lines.append(row.direction)
        first_baseline = y + 5 - 8 * (len(lines) - 1)
        for number, line in enumerate(lines):
            is_direction = row.direction and number == len(lines) - 1
            parts.append(_text(0, first_baseline + 16 * number, line, size=11 if is_direction else 13,
                               fill=MUTED if is_direction else TEXT))
        x_before, x_after = x_for(row.before), x_for(row.after)
        parts.append(f'<line x1="{_n(x_before)}" y1="{_n(y)}" x2="{_n(x_after)}" y2="{_n(y)}" '
                     f'stroke="{TEXT}" stroke-width="2"/>')
        parts.append(f'<circle cx="{_n(x_before)}" cy="{_n(y)}" r="6" fill="#ffffff" stroke="{TEXT}" '
                     f'stroke-width="2"/>')
        parts.append(marker(row.result_key, x_after, y))
        parts.append(_text(result_left, y + 5, row.result_text, size=13))
        parts.append(f'<line x1="0" y1="{_n(y_top + row_height)}" x2="{width}" y2="{_n(y_top + row_height)}" '
                     f'stroke="{GRID}" stroke-width="1"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  every piece of text above went through _e()


# ---------------------------------------------------------------------------------------------------
# Change distribution: how many people improved, changed less than a threshold, or declined
# ---------------------------------------------------------------------------------------------------

DISTRIBUTION_PARTS = (
    ("improved", "improved", RESULT_FILLS["better"]),
    ("unchanged", "less change", "#ffffff"),
    ("declined", "declined", RESULT_FILLS["worse"]),
)


@dataclass(frozen=True)
class DistributionRow:
    label: str
    improved: int
    unchanged: int
    declined: int


def change_distribution_chart(*, rows: list[DistributionRow], title: str, chart_id: str) -> SafeString:
    """One bar per measure splitting the people paired into improved, less change than the threshold,
    and declined; the counts are written beside each bar, so nothing rests on colour or length alone."""
    plot_left, plot_width, note_left = 230, 250, 496
    width, row_height, top, bottom = 760, 40, 40, 12
    height = top + row_height * max(len(rows), 1) + bottom
    described = "; ".join(
        f"{row.label}: {row.improved} improved, {row.unchanged} changed less than the threshold, "
        f"{row.declined} declined"
        for row in rows
    )
    description = f"{title}. {described or 'nothing to show'}. The table that follows gives the same figures."
    parts = [_svg_open(chart_id, width, height, title, description)]
    x = 0.0
    for _key, name, fill in DISTRIBUTION_PARTS:
        parts.append(f'<rect x="{_n(x)}" y="8" width="14" height="14" fill="{fill}" stroke="{TEXT}" '
                     f'stroke-width="1"/>')
        parts.append(_text(x + 20, 20, name.capitalize(), size=13))
        x += 130
    for index, row in enumerate(rows):
        y_top = top + index * row_height
        y = y_top + row_height / 2
        lines = _wrap_label(row.label, width=plot_left // 8, lines=2)
        for line_index, line in enumerate(lines):
            parts.append(_text(0, y + 5 - (len(lines) - 1) * 8 + line_index * 16, line, size=13))
        total = row.improved + row.unchanged + row.declined
        left = float(plot_left)
        for key, _name, fill in DISTRIBUTION_PARTS:
            count = getattr(row, key)
            if not total or not count:
                continue
            segment = count / total * plot_width
            parts.append(f'<rect x="{_n(left)}" y="{_n(y - 10)}" width="{_n(segment)}" height="20" '
                         f'fill="{fill}" stroke="{TEXT}" stroke-width="1"/>')
            left += segment
        note = f"{row.improved} improved, {row.unchanged} less change, {row.declined} declined"
        parts.append(_text(note_left, y + 5, note, size=12))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  every piece of text above went through _e()

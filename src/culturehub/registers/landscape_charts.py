"""A horizontal bar chart for the culture page, built from the places charts' own pieces.

The places charts (`culturehub.places.charts`) draw spines and trends but no bars; this adds the one
shape the culture page needs with the same text, escaping, scale and colour helpers, so it looks and
behaves like them: role="img" with an accessible name and description, and the page puts a table with
the same figures beside it. Each bar carries its figure as text, so nothing rests on length alone.
"""

from __future__ import annotations

import math

from django.utils.safestring import SafeString, mark_safe

from culturehub.places.charts import FONT, GRID, MUTED, PLACE, TEXT, _e, _n, _text, _wrap_label, nice_ticks


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

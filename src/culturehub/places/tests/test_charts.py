import xml.etree.ElementTree as ET

from django.utils.safestring import SafeString
from hypothesis import given
from hypothesis import strategies as st

from culturehub.places import charts
from culturehub.places.charts import SpineRow, TrendPoint

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314  our own markup, made in the test


def spine_rows():
    return [
        SpineRow("Smoking prevalence", 18, 17, 19, 12, "worse", "Worse than England"),
        SpineRow("Physically active adults", 70, 68, 72, 65, "better", "Better than England"),
        SpineRow("Dementia recorded prevalence", 0.6, 0.5, 0.7, 0.62, "similar", "Similar to England"),
        SpineRow("Population", 550000, None, None, 56000000, "no_ci",
                 "Not compared (no confidence interval)"),
        SpineRow("Local survey", 3, 2, 4, None, "no_england", "Not compared (no England value)"),
    ]


# --------------------------------------------------------------------------- figures and scales

def test_figures_are_formatted_as_people_read_them():
    assert charts.format_figure(None) == "–"
    assert charts.format_figure(1234567.4) == "1,234,567"
    assert charts.format_figure(12.345) == "12.3"
    assert charts.format_figure(0.456) == "0.46"
    assert charts.format_figure(0) == "0.0"
    assert charts.format_figure(61.25, "%") == "61.2%"
    assert charts.format_figure(float("nan")) == "–"


def test_the_spine_scale_is_the_smallest_round_extent_that_fits():
    assert charts.spine_extent([SpineRow("a", 11.5, 10.5, 12.5, 10, "higher", "")]) == 20
    assert charts.spine_extent([SpineRow("a", 12.1, 11, 13, 10, "higher", "")]) == 25
    assert charts.spine_extent([SpineRow("a", 10.1, None, None, 10, "no_ci", "")]) == 10
    assert charts.spine_extent([SpineRow("a", 5000, None, None, 1, "no_ci", "")]) == 200


def test_a_very_wide_interval_does_not_flatten_the_scale():
    rows = [SpineRow("a", 11, 1, 60, 10, "similar", ""), SpineRow("b", 9.5, 9.3, 9.7, 10, "lower", "")]
    assert charts.spine_extent(rows) == 10
    svg = parse(charts.spine_chart(rows=rows, place_name="X", chart_id="s"))
    whisker_ends = [line for line in svg.iter(f"{SVG}line")
                    if line.get("stroke") == charts.TEXT and line.get("y2") != line.get("y1")
                    and line.get("x1") == line.get("x2") and float(line.get("y1")) > 56]
    # The wide bar is cut at both edges and gets no caps; the narrow one keeps both.
    assert len(whisker_ends) == 2


@given(
    low=st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    high=st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
)
def test_nice_ticks_cover_the_range_in_even_steps(low, high):
    ticks = charts.nice_ticks(low, high)
    assert ticks[0] <= min(low, high) + 1e-6
    assert ticks[-1] >= max(low, high) - 1e-6
    steps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    assert max(steps) - min(steps) <= steps[0] * 1e-3
    assert 2 <= len(ticks) <= 12


# --------------------------------------------------------------------------- spine chart

def test_the_spine_chart_is_an_accessible_image_with_a_title_and_description():
    markup = charts.spine_chart(rows=spine_rows(), place_name="Manchester", chart_id="spine")
    assert isinstance(markup, SafeString)
    svg = parse(markup)
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "spine-title spine-desc"
    assert svg.find(f"{SVG}title").text == "Headline indicators for Manchester compared with England"
    description = svg.find(f"{SVG}desc").text
    assert "Worse than England: Smoking prevalence." in description
    assert "Better than England: Physically active adults." in description
    assert "table" in description


def test_the_spine_chart_uses_no_inline_styles_so_the_csp_allows_it():
    markup = str(charts.spine_chart(rows=spine_rows(), place_name="Manchester", chart_id="spine"))
    assert "style=" not in markup
    assert "<script" not in markup


def test_the_spine_chart_tells_each_result_by_shape_and_by_text():
    svg = parse(charts.spine_chart(rows=spine_rows(), place_name="Manchester", chart_id="spine"))
    texts = [element.text for element in svg.iter(f"{SVG}text")]
    for word in ("Worse", "Better", "Similar", "Not compared", "No England value", "England"):
        assert word in texts
    # Better is a circle, worse a diamond (polygon), similar a square (rect).
    fills = {element.get("fill") for element in svg.iter(f"{SVG}circle")}
    assert charts.RESULT_FILLS["better"] in fills
    assert any(p.get("fill") == charts.RESULT_FILLS["worse"] for p in svg.iter(f"{SVG}polygon"))
    assert any(r.get("fill") == charts.RESULT_FILLS["similar"] for r in svg.iter(f"{SVG}rect"))


def test_the_spine_chart_puts_a_higher_value_right_of_england():
    rows = [SpineRow("Higher", 15, None, None, 10, "no_ci", "Not compared"),
            SpineRow("Lower", 5, None, None, 10, "no_ci", "Not compared")]
    svg = parse(charts.spine_chart(rows=rows, place_name="X", chart_id="s"))
    hollow = [float(c.get("cx")) for c in svg.iter(f"{SVG}circle") if c.get("fill") == "#ffffff"]
    centre = 320 + 300 / 2
    assert hollow[0] > centre > hollow[1]


def test_a_value_beyond_the_scale_is_marked_off_scale():
    rows = [SpineRow("Huge", 50000, None, None, 1, "no_ci", "Not compared")]
    svg = parse(charts.spine_chart(rows=rows, place_name="X", chart_id="s"))
    assert "off scale" in [element.text for element in svg.iter(f"{SVG}text")]


def test_the_spine_chart_escapes_text():
    rows = [SpineRow('<script>alert("x")</script> & more', 1, None, None, 1, "no_ci", "<b>")]
    markup = str(charts.spine_chart(rows=rows, place_name='A & "B"', chart_id='c"><x'))
    assert "<script>" not in markup
    assert "&lt;script&gt;" in markup
    svg = parse(markup)  # still well-formed
    assert svg.find(f"{SVG}title").text == 'Headline indicators for A & "B" compared with England'


def test_long_labels_are_wrapped_onto_two_lines_at_most():
    lines = charts._wrap_label("word " * 40)
    assert len(lines) == 2
    assert lines[-1].endswith("…")


# --------------------------------------------------------------------------- trend chart

def trend_points():
    return [
        TrendPoint("2019/20", 10, 9, 11, 8),
        TrendPoint("2020/21", 12, 11, 13, 8.5),
        TrendPoint("2021/22", None, None, None, 9),
        TrendPoint("2022/23", 14, 13, 15, 9.5),
        TrendPoint("2023/24", 13, None, None, 10),
    ]


def test_the_trend_chart_is_an_accessible_image_describing_the_change():
    markup = charts.trend_chart(points=trend_points(), place_name="Manchester", indicator_name="Smoking",
                                unit="%", chart_id="trend-smoking")
    svg = parse(markup)
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "trend-smoking-title trend-smoking-desc"
    assert svg.find(f"{SVG}title").text == "Smoking: Manchester and England over time"
    description = svg.find(f"{SVG}desc").text
    assert "10.0% in 2019/20" in description and "13.0% in 2023/24" in description
    assert "England: 8.0% in 2019/20 and 10.0% in 2023/24" in description
    assert "style=" not in str(markup)


def test_a_missing_period_breaks_the_line_instead_of_bridging_it():
    svg = parse(charts.trend_chart(points=trend_points(), place_name="M", indicator_name="I", chart_id="t"))
    place_lines = [p for p in svg.iter(f"{SVG}polyline") if p.get("stroke") == charts.PLACE]
    england_lines = [p for p in svg.iter(f"{SVG}polyline") if p.get("stroke") == charts.TEXT]
    assert len(place_lines) == 2  # 2019/20-2020/21, then 2022/23-2023/24
    assert len(england_lines) == 1
    assert england_lines[0].get("stroke-dasharray") == "6 4"


def test_the_trend_chart_draws_a_marker_per_figure_and_a_whisker_per_interval():
    svg = parse(charts.trend_chart(points=trend_points(), place_name="M", indicator_name="I", chart_id="t"))
    place_markers = [c for c in svg.iter(f"{SVG}circle") if c.get("r") == "4.5"]
    assert len(place_markers) == 4
    whiskers = [line for line in svg.iter(f"{SVG}line")
                if line.get("stroke") == charts.PLACE and line.get("stroke-width") == "1.5"]
    assert len(whiskers) == 3 * 3  # three intervals, each a bar and two caps


def test_higher_values_are_drawn_higher_up():
    points = [TrendPoint("2020", 1), TrendPoint("2021", 100)]
    svg = parse(charts.trend_chart(points=points, place_name="M", indicator_name="I", chart_id="t"))
    first, second = [float(c.get("cy")) for c in svg.iter(f"{SVG}circle") if c.get("r") == "4.5"]
    assert second < first


def test_a_single_period_and_equal_values_still_draw():
    svg = parse(charts.trend_chart(points=[TrendPoint("2020", 5, england_value=5)], place_name="M",
                                   indicator_name="I", chart_id="t"))
    assert len([c for c in svg.iter(f"{SVG}circle") if c.get("r") == "4.5"]) == 1


def test_the_trend_chart_can_leave_england_out():
    markup = str(charts.trend_chart(points=trend_points(), place_name="England", indicator_name="I",
                                    chart_id="t", with_england=False))
    svg = parse(markup)
    assert not [p for p in svg.iter(f"{SVG}polyline") if p.get("stroke") == charts.TEXT]
    assert "England:" not in svg.find(f"{SVG}desc").text


def test_the_trend_chart_escapes_text():
    markup = str(charts.trend_chart(points=[TrendPoint("<2020>", 1)], place_name="<M>",
                                    indicator_name="I & J", unit="<u>", chart_id="t"))
    assert "<2020>" not in markup and "<M>" not in markup and "<u>" not in markup
    parse(markup)


def test_many_periods_get_thinned_labels_but_always_the_last():
    points = [TrendPoint(str(2000 + i), i) for i in range(20)]
    svg = parse(charts.trend_chart(points=points, place_name="M", indicator_name="I", chart_id="t"))
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.text and t.text.startswith("20")]
    assert "2019" in labels
    assert len(labels) <= 9



# --------------------------------------------------------------------------- before and after (outcomes)

def before_after_rows():
    return [
        charts.BeforeAfterRow("Life satisfaction", 5.0, 7.0, "better", "higher is better", "Improved"),
        charts.BeforeAfterRow("Anxiety <now>", 6.0, 6.5, "worse", "lower is better", "Worse"),
        charts.BeforeAfterRow("Happiness", 6.0, 6.1, "similar"),
    ]


def test_the_before_after_chart_is_accessible_escaped_and_tells_results_by_shape():
    root = parse(charts.before_after_chart(
        rows=before_after_rows(), minimum=0, maximum=10, title="ONS4 & more", chart_id="chart-ons4"
    ))
    assert root.get("role") == "img" and root.get("aria-labelledby") == "chart-ons4-title chart-ons4-desc"
    description = root.find(f"{SVG}desc").text
    assert "Anxiety <now>: 6.0 before, 6.5 after (worse, lower is better)" in description
    assert "Happiness: 6.0 before, 6.1 after (similar)" in description  # the short name by default
    assert root.find(f"{SVG}title").text == "ONS4 & more"
    # The legend draws circles only: one diamond for the worse change, one square for the similar one.
    assert len(root.findall(f"{SVG}polygon")) == 1
    assert len(root.findall(f"{SVG}rect")) == 1
    assert not any(element.get("style") for element in root.iter())


def test_the_before_after_chart_places_scores_on_the_scale_and_keeps_them_on_it():
    rows = [charts.BeforeAfterRow("Score", 7.0, 35.0, "better"), charts.BeforeAfterRow("Odd", -5.0, 99.0, "")]
    root = parse(charts.before_after_chart(rows=rows, minimum=7, maximum=35, title="t", chart_id="c"))
    lines = [line for line in root.findall(f"{SVG}line") if line.get("stroke-width") == "2"]
    first, second = ((float(line.get("x1")), float(line.get("x2"))) for line in lines)
    assert first[0] < first[1]  # a higher score is further right
    assert second == first  # scores beyond the scale are drawn at its ends, not off the chart


def test_the_distribution_chart_splits_each_bar_by_its_counts_and_writes_them():
    rows = [charts.DistributionRow("Life satisfaction", improved=6, unchanged=3, declined=3),
            charts.DistributionRow("Anxiety", improved=0, unchanged=12, declined=0)]
    root = parse(charts.change_distribution_chart(rows=rows, title="Change", chart_id="dist"))
    assert root.get("role") == "img"
    assert "Anxiety: 0 improved, 12 changed less than the threshold, 0 declined" in root.find(
        f"{SVG}desc").text
    bars = [rect for rect in root.findall(f"{SVG}rect") if rect.get("height") == "20"]  # legend: 14
    widths = [float(rect.get("width")) for rect in bars]
    assert widths == [125.0, 62.5, 62.5, 250.0]  # 6:3:3 of the bar, then one whole bar; no empty parts
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert "6 improved, 3 less change, 3 declined" in texts

"""Paired change matches SciPy; disclosure control hides small counts and everything that reveals them;
WELLBYs are valued from life satisfaction only."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy import stats

from culturehub.outcomes.statistics import (
    WellbyRefusedError,
    pair_by_participant,
    paired_change,
    suppress_count,
    suppress_counts,
    wellby_value,
)

scores = st.integers(min_value=14, max_value=70)
pairs = st.lists(st.tuples(scores, scores), min_size=2, max_size=80)
metric_scores = st.sampled_from([7.0, 9.51, 15.32, 17.98, 19.25, 21.54, 23.21, 25.03, 28.13, 30.7, 35.0])


def split(pairs_list):
    return [float(pre) for pre, _ in pairs_list], [float(post) for _, post in pairs_list]


def spread(pre, post):
    return float(np.std(np.subtract(post, pre), ddof=1))


# SciPy's exact Wilcoxon test on 13 or fewer tied differences enumerates every sign pattern (about a
# second each), so the examples are kept to a number the suite can afford.
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pairs)
def test_mean_change_its_interval_and_the_t_test_match_scipy(pairs_list):
    pre, post = split(pairs_list)
    assume(spread(pre, post) > 0)
    result = paired_change(pre, post, threshold=3, min_n=2)
    differences = np.subtract(post, pre)
    n = len(pre)
    low, high = stats.t.interval(0.95, n - 1, loc=differences.mean(), scale=stats.sem(differences))
    assert result.n_paired == n and not result.suppressed
    assert result.mean_pre == pytest.approx(np.mean(pre))
    assert result.mean_post == pytest.approx(np.mean(post))
    assert result.mean_change == pytest.approx(differences.mean(), abs=1e-12)
    assert result.ci95_low == pytest.approx(low, rel=1e-9, abs=1e-12)
    assert result.ci95_high == pytest.approx(high, rel=1e-9, abs=1e-12)
    assert result.t_p_value == pytest.approx(stats.ttest_rel(post, pre).pvalue, rel=1e-9, abs=1e-15)
    assert result.effect_size_dz == pytest.approx(differences.mean() / differences.std(ddof=1), abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(pairs)
def test_the_wilcoxon_p_value_matches_scipy(pairs_list):
    pre, post = split(pairs_list)
    assume(any(a != b for a, b in zip(pre, post, strict=True)))
    result = paired_change(pre, post, threshold=3, min_n=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SciPy warns when it falls back to the normal approximation
        expected = stats.wilcoxon(np.subtract(post, pre)).pvalue
    assert result.wilcoxon_p_value == pytest.approx(expected, rel=1e-9)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(metric_scores, metric_scores), min_size=10, max_size=60), st.booleans())
def test_improvement_counts_are_direction_aware_on_metric_scores(pairs_list, higher_is_better):
    pre, post = split(pairs_list)
    result = paired_change(pre, post, threshold=1.0, higher_is_better=higher_is_better)
    sign = 1 if higher_is_better else -1
    # Written out by hand in hundredths, so that 1.00 is exactly 1.00.
    changes = [sign * (round(b * 100) - round(a * 100)) for a, b in zip(pre, post, strict=True)]
    assert result.n_improved == sum(change >= 100 for change in changes)
    assert result.n_declined == sum(change <= -100 for change in changes)
    assert result.pct_improved == pytest.approx(100 * result.n_improved / len(pre))


def test_a_fall_in_anxiety_or_loneliness_counts_as_an_improvement():
    pre = [8, 7, 9, 6, 8, 7, 9, 8, 6, 7]
    post = [5, 7, 4, 6, 9, 5, 8, 3, 6, 10]
    result = paired_change(pre, post, threshold=1, higher_is_better=False)
    assert result.n_improved == 5  # fell by one point or more
    assert result.n_declined == 2  # rose by one point or more
    assert result.mean_change == pytest.approx(-1.2)  # reported in the measure's own units


def test_fewer_pairs_than_the_minimum_are_suppressed_with_every_figure_null():
    result = paired_change([40.0] * 9, [45.0] * 9, threshold=3)
    assert result.suppressed and result.n_paired == 9
    figures = ("mean_pre", "mean_post", "mean_change", "ci95_low", "ci95_high", "t_p_value",
               "wilcoxon_p_value", "effect_size_dz", "n_improved", "n_declined", "pct_improved")  # fmt: skip
    assert all(getattr(result, name) is None for name in figures)
    assert "fewer than 10 paired responses" in result.warnings[0]
    assert not paired_change([40.0] * 10, [45.0, 44.0] * 5, threshold=3).suppressed


def test_no_change_at_all_gives_warnings_not_errors_or_nans():
    result = paired_change([20.0] * 12, [20.0] * 12, threshold=1)
    assert result.mean_change == 0 and result.n_improved == 0 and result.n_declined == 0
    assert result.t_p_value is None and result.wilcoxon_p_value is None and result.effect_size_dz is None
    assert result.ci95_low is None and result.ci95_high is None
    assert any("nothing to rank" in warning for warning in result.warnings)
    assert any("same amount" in warning for warning in result.warnings)


def test_one_pair_gives_the_change_and_warns_that_nothing_else_can_be_worked_out():
    result = paired_change([20.0], [23.0], threshold=1, min_n=1)
    assert result.mean_change == 3 and result.n_improved == 1
    assert result.t_p_value is None and result.ci95_low is None and result.effect_size_dz is None
    assert result.wilcoxon_p_value == pytest.approx(stats.wilcoxon([3.0]).pvalue)
    assert "one pair only" in result.warnings[0]


def test_no_pairs_at_all_are_suppressed():
    result = paired_change([], [], threshold=1)
    assert result.suppressed and result.n_paired == 0


@pytest.mark.parametrize(
    ("pre", "post", "arguments", "message"),
    [([1.0, 2.0], [1.0], {}, "pair up"), ([1.0, math.nan], [1.0, 2.0], {}, "must be numbers"),
     ([1.0], [2.0], {"threshold": 0}, "more than zero"), ([1.0], [2.0], {"min_n": 0}, "at least 1")],
)  # fmt: skip
def test_paired_change_refuses_input_it_cannot_treat_honestly(pre, post, arguments, message):
    with pytest.raises(ValueError, match=message):
        paired_change(pre, post, **({"threshold": 1} | arguments))


def test_as_dict_has_every_field_with_warnings_as_a_list():
    result = paired_change([1.0] * 3, [2.0] * 3, threshold=1).as_dict()
    assert result["suppressed"] is True and isinstance(result["warnings"], list)
    assert {"n_paired", "mean_change", "meaningful_change_threshold", "pct_improved"} <= set(result)


def test_pairing_matches_people_and_leaves_out_those_with_two_scores_at_one_point():
    records = [
        ("A", "pre", 20.0), ("A", "post", 25.0),
        ("B", "pre", 18.0),
        ("C", "pre", 30.0), ("C", "post", 28.0), ("C", "post", 29.0),
        ("D", "post", 22.0), ("D", "pre", None),
        ("E", "end", 31.0),
    ]  # fmt: skip
    pairing = pair_by_participant(records, baseline="pre", followup="post")
    assert pairing.participants == ("A",)
    assert pairing.pre == (20.0,) and pairing.post == (25.0,)
    assert pairing.n_participants == 4  # A, B, C and D have a score at one of the two points
    assert "1 participant(s) have more than one score" in pairing.warnings[0]


def test_pairing_warns_when_a_timepoint_is_absent():
    pairing = pair_by_participant([("A", "baseline", 1.0)], baseline="pre", followup="post")
    assert "no scores at timepoint 'pre'" in pairing.warnings
    assert "no scores at timepoint 'post'" in pairing.warnings


# Disclosure control ---------------------------------------------------------------------------------


def test_a_single_count_under_the_minimum_is_suppressed():
    assert suppress_count(9) is None and suppress_count(10) == 10
    assert suppress_count(4, min_count=5) is None and suppress_count(5, min_count=5) == 5


def test_large_cells_are_all_shown_with_their_totals():
    table = suppress_counts(
        {"women": {"improved": 30, "declined": 12}, "men": {"improved": 25, "declined": 18}}
    )
    assert table.cells == {"women": {"improved": 30, "declined": 12}, "men": {"improved": 25, "declined": 18}}
    assert table.row_totals == {"women": 42, "men": 43}
    assert table.column_totals == {"improved": 55, "declined": 30}
    assert table.grand_total == 85 and not table.suppressed


def test_a_small_cell_is_hidden_and_so_are_the_cells_that_would_give_it_away():
    table = suppress_counts(
        {
            "18-24": {"improved": 12, "same": 5, "declined": 20},
            "25-64": {"improved": 30, "same": 15, "declined": 11},
        }
    )
    assert table.primary == {("18-24", "same")}
    assert table.cells["18-24"]["same"] is None
    # Row 18-24's total is shown, so one more cell in that row must go; and column "same" likewise.
    assert table.cells["18-24"]["improved"] is None and table.cells["25-64"]["same"] is None
    assert table.cells["25-64"]["improved"] is None
    assert table.cells["18-24"]["declined"] == 20 and table.cells["25-64"]["declined"] == 11
    assert table.row_totals == {"18-24": 37, "25-64": 56} and table.grand_total == 93


def test_a_small_total_is_itself_suppressed_and_protected():
    table = suppress_counts({"a": {"x": 3, "y": 4}, "b": {"x": 40, "y": 50}})
    assert table.row_totals["a"] is None  # 7 is under 10
    assert table.cells["a"] == {"x": None, "y": None}
    assert table.column_totals["x"] is None or table.cells["b"]["x"] is None


def test_a_cell_given_away_by_a_combination_of_totals_is_protected():
    # Two blocks of small cells, each safe by rows and columns alone, joined by one small cell: the sums
    # of the first block's rows minus its columns would reveal the joining cell.
    table = {
        "r1": {"a": 3, "b": 4, "c": 50, "d": 50},
        "r2": {"a": 5, "b": 6, "c": 7, "d": 50},
        "r3": {"a": 50, "b": 50, "c": 3, "d": 4},
        "r4": {"a": 50, "b": 50, "c": 5, "d": 6},
    }
    result = suppress_counts(table)
    assert_no_hidden_value_is_determined(result, table)


def test_a_one_way_table_is_protected_too():
    table = suppress_counts({"improved": 25, "same": 4, "declined": 31})
    assert table.cells["count"]["same"] is None
    assert table.cells["count"]["improved"] is None  # otherwise the total reveals "same"
    assert table.cells["count"]["declined"] == 31 and table.grand_total == 60


def test_hidden_zeros_are_not_given_away_by_a_total_that_equals_the_shown_cells():
    table = suppress_counts({"improved": 0, "same": 0, "declined": 15})
    assert table.cells["count"] == {"improved": None, "same": None, "declined": None}


def test_counts_must_be_whole_numbers_of_zero_or_more():
    with pytest.raises(ValueError, match="whole numbers"):
        suppress_counts({"a": {"x": -1}})
    with pytest.raises(ValueError, match="whole numbers"):
        suppress_counts({"a": {"x": 2.5}})


def _all_values(table):
    values = {}
    for row, cells in table.items():
        for column, count in cells.items():
            values[(row, column)] = count
        values[(row, None)] = sum(cells.values())
    for column in next(iter(table.values())):
        values[(None, column)] = sum(table[row][column] for row in table)
    values[(None, None)] = sum(values[(row, None)] for row in table)
    return values


def _shown(result):
    shown = {(row, column): result.cells[row][column] for row in result.rows for column in result.columns}
    shown |= {(row, None): result.row_totals[row] for row in result.rows}
    shown |= {(None, column): result.column_totals[column] for column in result.columns}
    shown[(None, None)] = result.grand_total
    return shown


def assert_no_hidden_value_is_determined(result, table):
    """Independently of the code under test: build the table's sums as linear equations in the hidden
    values and check, by matrix rank, that none of them is fixed by the published ones."""
    shown = _shown(result)
    hidden = sorted((p for p, v in shown.items() if v is None), key=repr)
    index = {p: i for i, p in enumerate(hidden)}
    rows, columns = list(result.rows), list(result.columns)
    lines = [([(r, c) for c in columns], (r, None)) for r in rows]
    lines += [([(r, c) for r in rows], (None, c)) for c in columns]
    lines += [([(None, c) for c in columns], (None, None)), ([(r, None) for r in rows], (None, None))]
    equations = []
    for parts, total in lines:
        equation = np.zeros(len(hidden))
        for position, sign in [(p, 1) for p in parts] + [(total, -1)]:
            if position in index:
                equation[index[position]] += sign
        if equation.any():
            equations.append(equation)
    matrix = np.array(equations) if equations else np.zeros((0, len(hidden)))
    rank = np.linalg.matrix_rank(matrix) if equations else 0
    for position, i in index.items():
        unit = np.zeros(len(hidden))
        unit[i] = 1
        assert np.linalg.matrix_rank(np.vstack([matrix, unit])) > rank, f"{position} can be worked out"
    for parts, total in lines:
        assert sum(shown[p] is None for p in (*parts, total)) != 1, "a line with one hidden value"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(min_value=1, max_value=4).flatmap(
        lambda n_rows: st.integers(min_value=1, max_value=4).flatmap(
            lambda n_columns: st.lists(
                st.lists(st.integers(min_value=0, max_value=40), min_size=n_columns, max_size=n_columns),
                min_size=n_rows,
                max_size=n_rows,
            )
        )
    ),
    st.sampled_from([5, 10]),
)
def test_on_any_table_small_counts_are_hidden_shown_counts_are_true_and_nothing_hidden_can_be_worked_out(
    grid, min_count
):
    table = {f"r{i}": {f"c{j}": count for j, count in enumerate(row)} for i, row in enumerate(grid)}
    result = suppress_counts(table, min_count=min_count)
    truth, shown = _all_values(table), _shown(result)
    for position, value in truth.items():
        if value < min_count:
            assert shown[position] is None
        assert shown[position] in (None, value)
    assert_no_hidden_value_is_determined(result, table)


# WELLBYs --------------------------------------------------------------------------------------------


def test_a_change_in_life_satisfaction_is_valued_in_wellbys_with_its_assumptions():
    estimate = wellby_value(
        instrument="ons4", measure="life_satisfaction", mean_change=0.4, people=120, years=2
    )
    assert estimate.wellbys == pytest.approx(96.0)
    assert estimate.value_gbp == pytest.approx(96.0 * 13_000)
    assert estimate.value_low_gbp == pytest.approx(96.0 * 10_000)
    assert estimate.value_high_gbp == pytest.approx(96.0 * 16_000)
    assumptions = estimate.assumptions
    assert assumptions["value_per_wellby_gbp"] == 13_000 and "2019" in assumptions["price_base"]
    assert "Green Book" in assumptions["source"] and "not a causal estimate" in assumptions["attribution"]


@pytest.mark.parametrize(
    ("instrument", "measure", "message"),
    [("wemwbs", "score", "no WELLBY is derived from WEMWBS"), ("swemwbs", "score", "no WELLBY"),
     ("ons4", "happiness", "life satisfaction only"), ("ucla3", "score", "life satisfaction only")],
)  # fmt: skip
def test_wellbys_are_refused_for_anything_but_life_satisfaction(instrument, measure, message):
    with pytest.raises(WellbyRefusedError, match=message):
        wellby_value(instrument=instrument, measure=measure, mean_change=1.0, people=10, years=1)


def test_wellbys_are_refused_when_the_change_was_suppressed():
    suppressed = paired_change([5.0] * 4, [6.0] * 4, threshold=1)
    with pytest.raises(WellbyRefusedError, match="suppressed"):
        wellby_value(
            instrument="ons4",
            measure="life_satisfaction",
            mean_change=suppressed.mean_change,
            people=4,
            years=1,
        )

"""Honest statistics for outcome measures: paired change, disclosure control and WELLBY values.

    pair_by_participant(records, baseline="pre", followup="post") -> Pairing
    paired_change(pre, post, threshold=3, higher_is_better=True, min_n=10) -> PairedChange
    suppress_counts({"row": {"column": count}}, min_count=10) -> SuppressedTable
    wellby_value(instrument="ons4", measure="life_satisfaction", mean_change=0.4, people=120, years=1)

The reasons for each choice are in docs/decisions/0007-outcome-measurement.md.
"""

from __future__ import annotations

import math
import warnings
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
from scipy import optimize, stats

CONFIDENCE = 0.95
DEFAULT_MIN_N = 10
DEFAULT_MIN_COUNT = 10
# Differences this close are the same difference written twice in floating point, not a real spread.
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Pairing:
    """Scores paired by participant: `pre[i]` and `post[i]` belong to `participants[i]`."""

    participants: tuple[str, ...]
    pre: tuple[float, ...]
    post: tuple[float, ...]
    n_participants: int  # with a score at the baseline or the follow-up
    warnings: tuple[str, ...] = ()


def pair_by_participant(
    records: Iterable[tuple[str, str, float | None]], *, baseline: str = "pre", followup: str = "post"
) -> Pairing:
    """Pair (participant, timepoint, score) records. Records without a score are ignored; a participant
    with two scores at the same point is left out of the pairing (which one counts is not ours to guess)."""
    scores: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for participant, timepoint, score in records:
        if score is not None and timepoint in (baseline, followup):
            scores[participant][timepoint].append(float(score))
    notes = []
    duplicated = sorted(p for p, by_time in scores.items() if any(len(v) > 1 for v in by_time.values()))
    if duplicated:
        notes.append(
            f"{len(duplicated)} participant(s) have more than one score at '{baseline}' or '{followup}' "
            "and are left out of the pairing"
        )
    participants = sorted(
        participant
        for participant, by_time in scores.items()
        if participant not in duplicated and baseline in by_time and followup in by_time
    )
    for point in (baseline, followup):
        if not any(point in by_time for by_time in scores.values()):
            notes.append(f"no scores at timepoint '{point}'")
    return Pairing(
        participants=tuple(participants),
        pre=tuple(scores[p][baseline][0] for p in participants),
        post=tuple(scores[p][followup][0] for p in participants),
        n_participants=len(scores),
        warnings=tuple(notes),
    )


@dataclass(frozen=True)
class PairedChange:
    """Change from a baseline to a later point for the same people. `mean_change` is post minus pre in
    the measure's own units (for anxiety and loneliness a fall is an improvement); `n_improved` and
    `n_declined` count people whose change, in the good direction, is at least the threshold. When
    `suppressed` is true every figure but the counts of pairs is None."""

    n_paired: int
    mean_pre: float | None
    mean_post: float | None
    mean_change: float | None
    ci95_low: float | None
    ci95_high: float | None
    t_p_value: float | None
    wilcoxon_p_value: float | None
    effect_size_dz: float | None
    meaningful_change_threshold: float
    higher_is_better: bool
    n_improved: int | None
    n_declined: int | None
    pct_improved: float | None
    suppressed: bool
    warnings: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        result = asdict(self)
        result["warnings"] = list(self.warnings)
        return result


def _finite(value: float) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def _check_pairs(pre: Sequence[float], post: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    if len(pre) != len(post):
        raise ValueError(f"pre and post must pair up: {len(pre)} baseline and {len(post)} follow-up scores")
    pre_array, post_array = np.asarray(pre, dtype=float), np.asarray(post, dtype=float)
    if not (np.isfinite(pre_array).all() and np.isfinite(post_array).all()):
        raise ValueError("scores must be numbers: leave out people without a score at both points")
    return pre_array, post_array


def _wilcoxon_p(differences: np.ndarray, notes: list[str]) -> float | None:
    if not np.any(np.abs(differences) > _TOLERANCE):
        notes.append("every difference is zero: the Wilcoxon signed-rank test has nothing to rank")
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _finite(stats.wilcoxon(differences).pvalue)


def paired_change(
    pre: Sequence[float],
    post: Sequence[float],
    *,
    threshold: float,
    higher_is_better: bool = True,
    min_n: int = DEFAULT_MIN_N,
) -> PairedChange:
    """Mean change with its 95% confidence interval (t distribution), paired t-test and Wilcoxon
    signed-rank p-values (SciPy), Cohen's dz (mean difference / SD of differences) and how many people
    improved or declined by at least `threshold`. Fewer than `min_n` pairs: suppressed."""
    if threshold <= 0:
        raise ValueError("the meaningful-change threshold must be more than zero")
    if min_n < 1:
        raise ValueError("min_n must be at least 1")
    pre_array, post_array = _check_pairs(pre, post)
    n = len(pre_array)
    notes: list[str] = []
    if n < min_n:
        notes.append(f"fewer than {min_n} paired responses: figures are suppressed to protect participants")
        return PairedChange(
            n_paired=n,
            mean_pre=None,
            mean_post=None,
            mean_change=None,
            ci95_low=None,
            ci95_high=None,
            t_p_value=None,
            wilcoxon_p_value=None,
            effect_size_dz=None,
            meaningful_change_threshold=threshold,
            higher_is_better=higher_is_better,
            n_improved=None,
            n_declined=None,
            pct_improved=None,
            suppressed=True,
            warnings=tuple(notes),
        )
    differences = post_array - pre_array
    mean_change = float(differences.mean())
    good_direction = differences if higher_is_better else -differences
    n_improved = int(np.sum(good_direction >= threshold - _TOLERANCE))
    n_declined = int(np.sum(good_direction <= -threshold + _TOLERANCE))
    ci_low = ci_high = t_p = dz = None
    if n < 2:
        notes.append("one pair only: no confidence interval, t-test or effect size")
    else:
        sd = float(differences.std(ddof=1))
        if sd <= _TOLERANCE * max(1.0, abs(mean_change)):
            notes.append(
                "every participant changed by the same amount: the confidence interval, t-test and "
                "effect size are undefined"
            )
        else:
            ci_low, ci_high = (
                _finite(bound)
                for bound in stats.t.interval(CONFIDENCE, n - 1, loc=mean_change, scale=sd / math.sqrt(n))
            )
            t_p = _finite(stats.ttest_rel(post_array, pre_array).pvalue)
            dz = mean_change / sd
    wilcoxon_p = _wilcoxon_p(differences, notes)
    return PairedChange(
        n_paired=n,
        mean_pre=float(pre_array.mean()),
        mean_post=float(post_array.mean()),
        mean_change=mean_change,
        ci95_low=ci_low,
        ci95_high=ci_high,
        t_p_value=t_p,
        wilcoxon_p_value=wilcoxon_p,
        effect_size_dz=dz,
        meaningful_change_threshold=threshold,
        higher_is_better=higher_is_better,
        n_improved=n_improved,
        n_declined=n_declined,
        pct_improved=100.0 * n_improved / n,
        suppressed=False,
        warnings=tuple(notes),
    )


# Disclosure control ---------------------------------------------------------------------------------

Position = tuple[str | None, str | None]  # (row, column); None marks a total: (row, None) is a row total


@dataclass(frozen=True)
class SuppressedTable:
    """A table of counts safe to show outside the delivering organisation: suppressed values are None.
    `primary` holds positions suppressed for being small, `secondary` those suppressed so that no
    total, and no combination of totals, gives a suppressed value away."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: Mapping[str, Mapping[str, int | None]]
    row_totals: Mapping[str, int | None]
    column_totals: Mapping[str, int | None]
    grand_total: int | None
    min_count: int
    primary: frozenset[Position] = field(default_factory=frozenset)
    secondary: frozenset[Position] = field(default_factory=frozenset)

    @property
    def suppressed(self) -> frozenset[Position]:
        return self.primary | self.secondary


def suppress_count(count: int, min_count: int = DEFAULT_MIN_COUNT) -> int | None:
    """A single count on its own: None when it is below `min_count`."""
    return None if count < min_count else count


def _as_two_way(table: Mapping) -> dict[str, dict[str, int]]:
    if all(not isinstance(value, Mapping) for value in table.values()):
        return {"count": dict(table)}  # a one-way table is one row
    columns = list(dict.fromkeys(column for row in table.values() for column in row))
    return {row: {column: values.get(column, 0) for column in columns} for row, values in table.items()}


def _lines(rows: list[str], columns: list[str]) -> list[tuple[list[Position], Position]]:
    """Every published sum: (the positions added up, the position of their total)."""
    lines = [([(row, column) for column in columns], (row, None)) for row in rows]
    lines += [([(row, column) for row in rows], (None, column)) for column in columns]
    lines.append(([(None, column) for column in columns], (None, None)))
    lines.append(([(row, None) for row in rows], (None, None)))
    return lines


def _exposed(values: dict[Position, int], hidden: set[Position], lines) -> Position | None:
    """The first hidden value that the published values pin down exactly (by linear programming over
    the table's sums, with counts never negative), or None when every hidden value has a range."""
    unknowns = sorted(hidden, key=repr)
    index = {position: i for i, position in enumerate(unknowns)}
    equations, constants = [], []
    for parts, total in lines:
        row = np.zeros(len(unknowns))
        constant = 0.0
        for position, sign in [(p, 1.0) for p in parts] + [(total, -1.0)]:
            if position in index:
                row[index[position]] += sign
            else:
                constant -= sign * values[position]
        if row.any():
            equations.append(row)
            constants.append(constant)
    if not equations:
        return None
    a_eq, b_eq = np.array(equations), np.array(constants)
    for position in unknowns:
        objective = np.zeros(len(unknowns))
        objective[index[position]] = 1.0
        low = optimize.linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        high = optimize.linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        if low.status == 0 and high.status == 0 and (-high.fun) - low.fun < 0.5:
            return position
    return None


def _lone_lines(position: Position, lines, hidden) -> int:
    """How many of the sums through `position` have exactly one value hidden."""
    through = [(*parts, total) for parts, total in lines if position in (*parts, total)]
    return sum(1 for line in through if sum(p in hidden for p in line) == 1)


def _cell_to_give_up(candidates: Iterable[Position], values, hidden, lines) -> Position | None:
    """Prefer a published cell that also protects another sum (fewer cells lost in all), then the
    smallest; a total only when no cell is left."""
    published = [p for p in candidates if p not in hidden]
    inner = [p for p in published if None not in p]
    pool = inner or published
    return min(pool, key=lambda p: (-_lone_lines(p, lines, hidden), values[p], repr(p))) if pool else None


def suppress_counts(
    table: Mapping[str, Mapping[str, int]] | Mapping[str, int],
    min_count: int = DEFAULT_MIN_COUNT,
) -> SuppressedTable:
    """Suppress every count, cell or total, below `min_count` (zero included: "nobody in this group"
    discloses too), then, in turn: wherever a row or column would have exactly one value hidden, hide
    the smallest other cell in it; and wherever the published sums still pin a hidden value down, hide
    another cell beside it. `table` is {row: {column: count}}, or {label: count} for a one-way table."""
    two_way = _as_two_way(table)
    rows = list(two_way)
    columns = list(dict.fromkeys(column for row in two_way.values() for column in row))
    values: dict[Position, int] = {}
    for row in rows:
        for column in columns:
            count = two_way[row][column]
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise ValueError(f"counts must be whole numbers of zero or more: {row}/{column} is {count!r}")
            values[(row, column)] = count
    for row in rows:
        values[(row, None)] = sum(values[(row, column)] for column in columns)
    for column in columns:
        values[(None, column)] = sum(values[(row, column)] for row in rows)
    values[(None, None)] = sum(values[(row, None)] for row in rows)

    primary = {position for position, count in values.items() if count < min_count}
    hidden = set(primary)
    lines = _lines(rows, columns)
    while True:
        lone = next((line for line in lines if sum(p in hidden for p in [*line[0], line[1]]) == 1), None)
        if lone is not None:
            extra = _cell_to_give_up([*lone[0], lone[1]], values, hidden, lines)
        else:
            exposed = _exposed(values, hidden, lines) if hidden else None
            if exposed is None:
                break
            beside = [p for parts, total in lines if exposed in (*parts, total) for p in (*parts, total)]
            extra = _cell_to_give_up(beside, values, hidden, lines)
        if extra is None:  # everything around is hidden already; nothing more can be given up
            break
        hidden.add(extra)

    def shown(position: Position) -> int | None:
        return None if position in hidden else values[position]

    return SuppressedTable(
        rows=tuple(rows),
        columns=tuple(columns),
        cells={row: {column: shown((row, column)) for column in columns} for row in rows},
        row_totals={row: shown((row, None)) for row in rows},
        column_totals={column: shown((None, column)) for column in columns},
        grand_total=shown((None, None)),
        min_count=min_count,
        primary=frozenset(primary),
        secondary=frozenset(hidden - primary),
    )


# Social value ---------------------------------------------------------------------------------------

WELLBY_VALUE_GBP = 13_000
WELLBY_LOW_GBP = 10_000
WELLBY_HIGH_GBP = 16_000
WELLBY_SOURCE = "HM Treasury, Wellbeing Guidance for Appraisal: Supplementary Green Book Guidance (July 2021)"


class WellbyRefusedError(ValueError):
    """A WELLBY cannot honestly be computed from this measure or figure."""


@dataclass(frozen=True)
class WellbyEstimate:
    wellbys: float
    value_gbp: float
    value_low_gbp: float
    value_high_gbp: float
    assumptions: dict = field(default_factory=dict)


def wellby_value(
    *,
    instrument: str,
    measure: str,
    mean_change: float | None,
    people: int,
    years: float,
    value_per_wellby: float = WELLBY_VALUE_GBP,
) -> WellbyEstimate:
    """WELLBYs = change in ONS4 life satisfaction (0-10) x people x years, valued at GBP 13,000 each in
    2019 prices. Refused for any other measure: the Green Book values life satisfaction only, and no
    WELLBY is derived from WEMWBS or SWEMWBS."""
    if instrument != "ons4" or measure != "life_satisfaction":
        raise WellbyRefusedError(
            f"WELLBYs are valued from ONS4 life satisfaction only, not {instrument} {measure}"
            + (": no WELLBY is derived from WEMWBS or SWEMWBS" if instrument in ("wemwbs", "swemwbs") else "")
        )
    if mean_change is None or not math.isfinite(mean_change):
        raise WellbyRefusedError("there is no mean change to value (it may be suppressed for small numbers)")
    if people < 0 or years <= 0:
        raise WellbyRefusedError("people must be zero or more and years more than zero")
    wellbys = mean_change * people * years
    return WellbyEstimate(
        wellbys=wellbys,
        value_gbp=wellbys * value_per_wellby,
        value_low_gbp=wellbys * WELLBY_LOW_GBP,
        value_high_gbp=wellbys * WELLBY_HIGH_GBP,
        assumptions={
            "definition": (
                "one WELLBY is a one-point change in life satisfaction (0-10) for one person for one year"
            ),
            "mean_change_in_life_satisfaction": mean_change,
            "people": people,
            "years": years,
            "value_per_wellby_gbp": value_per_wellby,
            "range_per_wellby_gbp": [WELLBY_LOW_GBP, WELLBY_HIGH_GBP],
            "price_base": "2019 prices and values, not uprated",
            "discounting": "none: the change is counted in full for every year",
            "persistence": f"the mean change is assumed to last {years:g} year(s)",
            "attribution": (
                "the before-and-after change is counted in full: nothing is deducted for what would have "
                "happened anyway, so without a comparison group this is not a causal estimate"
            ),
            "source": WELLBY_SOURCE,
        },
    )

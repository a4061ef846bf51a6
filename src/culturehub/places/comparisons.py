"""How a place's figure compares with England's: pure functions, no database.

We follow the method Fingertips uses for most indicators ("confidence intervals overlapping reference
value (95.0)"): a place differs from England only when its whole 95% confidence interval lies above or
below England's value. The indicator's polarity then says whether higher is better or worse; with no
polarity ("no judgement") we say higher or lower and do not judge.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

HIGH_IS_GOOD = "high_is_good"
LOW_IS_GOOD = "low_is_good"
NO_JUDGEMENT = "no_judgement"


@dataclass(frozen=True)
class Comparison:
    key: str
    label: str
    # Whether a statistical comparison was made (the CI could be set against England's value).
    compared: bool

    @property
    def tag_class(self) -> str:
        """The CSS modifier for the GOV.UK tag that shows this result (text says it too)."""
        return TAG_CLASSES.get(self.key, "ch-tag--none")


BETTER = Comparison("better", "Better than England", True)
WORSE = Comparison("worse", "Worse than England", True)
HIGHER = Comparison("higher", "Higher than England", True)
LOWER = Comparison("lower", "Lower than England", True)
SIMILAR = Comparison("similar", "Similar to England", True)
NO_CI = Comparison("no_ci", "Not compared (no confidence interval)", False)
NO_ENGLAND = Comparison("no_england", "Not compared (no England value for this period)", False)
NO_VALUE = Comparison("no_value", "Not compared (no value)", False)
IS_ENGLAND = Comparison("is_england", "England is the comparator", False)

ALL_RESULTS = (BETTER, WORSE, HIGHER, LOWER, SIMILAR, NO_CI, NO_ENGLAND, NO_VALUE, IS_ENGLAND)

TAG_CLASSES = {
    "better": "ch-tag--better",
    "worse": "ch-tag--worse",
    "similar": "ch-tag--similar",
    # Higher or lower without a judgement: the default (blue) GOV.UK tag, neither good nor bad.
    "higher": "",
    "lower": "",
}


def _is_number(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def compare_with_england(
    *,
    value: float | None,
    lower_ci: float | None,
    upper_ci: float | None,
    england_value: float | None,
    polarity: str,
) -> Comparison:
    """Compare one figure with England's figure for the same period and breakdown."""
    if not _is_number(value):
        return NO_VALUE
    if not _is_number(england_value):
        return NO_ENGLAND
    if not (_is_number(lower_ci) and _is_number(upper_ci)):
        return NO_CI
    # Published limits are occasionally in the wrong order; the interval is the same either way.
    low, high = min(lower_ci, upper_ci), max(lower_ci, upper_ci)
    if low > england_value:
        direction = "higher"
    elif high < england_value:
        direction = "lower"
    else:
        return SIMILAR
    if polarity == HIGH_IS_GOOD:
        return BETTER if direction == "higher" else WORSE
    if polarity == LOW_IS_GOOD:
        return WORSE if direction == "higher" else BETTER
    return HIGHER if direction == "higher" else LOWER

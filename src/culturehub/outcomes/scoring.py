"""Score one response to one instrument, exactly as the instrument's authors publish it.

    score_response("swemwbs", {"q1": "4", ..., "q7": 3}) -> Score

Answers are whole numbers given as int or text ("4", " 4 ", "4.0"); a blank or None is unanswered.
Anything else, or a number outside the instrument's range, makes the response invalid, with an error
that names the item and says what is allowed. Nothing is imputed (see instruments.py for each rule).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from culturehub.outcomes.instruments import SCORE, SUM, Instrument, Measure, get_instrument

Answer = str | int | float | None


class _Unanswered:
    def __repr__(self) -> str:
        return "UNANSWERED"


UNANSWERED = _Unanswered()


@dataclass(frozen=True)
class MeasureScore:
    key: str
    value: float | None
    band: str = ""
    error: str = ""


@dataclass(frozen=True)
class Score:
    """`valid` is true when the response has no error. For a summed scale `raw` is the item total and
    `score` the published score (SWEMWBS: the metric score); for ONS4 and custom questions each measure
    is in `measures` and `raw`/`score` are None. `band` is "" where no published band applies."""

    instrument: str
    valid: bool
    raw: int | None = None
    score: float | None = None
    band: str = ""
    error: str = ""
    measures: Mapping[str, MeasureScore] = field(default_factory=dict)

    def value(self, measure: str = SCORE) -> float | None:
        found = self.measures.get(measure)
        return found.value if found else None


def parse_answer(value: Answer) -> int | _Unanswered:
    """The whole number an answer holds, UNANSWERED for a blank, or ValueError saying what is wrong."""
    if value is None:
        return UNANSWERED
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value != value:  # NaN: how spreadsheets' tools write a blank cell
            return UNANSWERED
        if value.is_integer():
            return int(value)
        raise ValueError(f"{value!r} is not a whole number")
    text = str(value).strip()
    if not text:
        return UNANSWERED
    if text.isascii() and text.isdigit():  # the usual case, read without the general parser
        return int(text)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a whole number") from None
    if not number.is_finite() or number != number.to_integral_value():
        raise ValueError(f"{text!r} is not a whole number")
    return int(number)


def _item_value(instrument: Instrument, item: str, answers: Mapping[str, Answer]) -> int | _Unanswered:
    value = parse_answer(answers.get(item))
    if value is not UNANSWERED and not instrument.item_minimum <= value <= instrument.item_maximum:
        raise ValueError(f"{value} is outside {instrument.item_minimum} to {instrument.item_maximum}")
    return value


def _range_hint(instrument: Instrument) -> str:
    return f"(answers are whole numbers from {instrument.item_minimum} to {instrument.item_maximum})"


def _score_summed(instrument: Instrument, answers: Mapping[str, Answer]) -> Score:
    values, problems, unanswered = [], [], []
    for item in instrument.items:
        try:
            value = _item_value(instrument, item, answers)
        except ValueError as error:
            problems.append(f"{item}: {error} {_range_hint(instrument)}")
            continue
        if value is UNANSWERED:
            unanswered.append(item)
        else:
            values.append(value)
    if unanswered:
        problems.append(
            f"{', '.join(unanswered)} not answered: {instrument.name} needs all {len(instrument.items)} "
            "items and nothing is imputed"
        )
    if problems:
        return Score(instrument=instrument.key, valid=False, error="; ".join(problems))
    raw = sum(values)
    score = float(instrument.conversion[raw]) if instrument.conversion is not None else float(raw)
    measure = instrument.measure(SCORE)
    band = measure.band_for(score)
    return Score(
        instrument=instrument.key,
        valid=True,
        raw=raw,
        score=score,
        band=band,
        measures={SCORE: MeasureScore(key=SCORE, value=score, band=band)},
    )


def _score_one_measure(
    instrument: Instrument, measure: Measure, answers: Mapping[str, Answer]
) -> MeasureScore:
    try:
        value = _item_value(instrument, measure.key, answers)
    except ValueError as error:
        problem = f"{measure.key}: {error} {_range_hint(instrument)}"
        return MeasureScore(key=measure.key, value=None, error=problem)
    if value is UNANSWERED:
        return MeasureScore(key=measure.key, value=None)
    return MeasureScore(key=measure.key, value=float(value), band=measure.band_for(value))


def _score_separately(instrument: Instrument, answers: Mapping[str, Answer]) -> Score:
    """Each measure stands alone: an unanswered one is blank, the others are still scored."""
    measures = {m.key: _score_one_measure(instrument, m, answers) for m in instrument.measures}
    problems = [measure.error for measure in measures.values() if measure.error]
    if not problems and all(measure.value is None for measure in measures.values()):
        problems.append(f"nothing answered: give at least one of {', '.join(instrument.items)}")
    return Score(instrument=instrument.key, valid=not problems, error="; ".join(problems), measures=measures)


def score_response(instrument: Instrument | str, answers: Mapping[str, Answer]) -> Score:
    """Score one person's answers at one point in time. `instrument` is a key of INSTRUMENTS or an
    Instrument (for example from custom_instrument). Never raises for bad answers: see Score.error."""
    instrument = get_instrument(instrument) if isinstance(instrument, str) else instrument
    if instrument.kind == SUM:
        return _score_summed(instrument, answers)
    return _score_separately(instrument, answers)


def format_number(value: float | None, decimals: int = 0) -> str:
    """A score as written in files: blank when absent, whole numbers without a decimal point."""
    if value is None:
        return ""
    if decimals == 0 and float(value).is_integer():
        return str(int(value))
    return f"{value:.{decimals or 2}f}"

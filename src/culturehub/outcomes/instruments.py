"""The outcome instruments: their items, ranges, scoring rules, bands, meaningful-change thresholds and
where each rule comes from (docs/decisions/0007-outcome-measurement.md gives the sources in full).

    INSTRUMENTS["swemwbs"]            an Instrument (also "wemwbs", "ons4", "ucla3")
    get_instrument("ons4")            the same, with a clear error for an unknown key
    custom_instrument(...)            a one-question instrument defined by a project
    meaningful_change(instrument, measure)   the threshold in use (default, or the setting's override)
    item_wording("wemwbs")            the question wording, or why it is not loaded

The Warwick-Edinburgh scales' wording is licensed: only their scoring ships. The operator supplies the
wording in a YAML file named by the OUTCOMES_WEMWBS_WORDING_FILE setting.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType

import yaml
from django.conf import settings

DATA_DIR = Path(__file__).resolve().parent / "data"
SUM = "sum"  # one score: the sum of every item (all required), converted if the scale says so
SEPARATE = "separate"  # each item is a measure of its own, scored and reported alone
SCORE = "score"  # the measure key of a summed scale
LICENSED_SCALES = ("wemwbs", "swemwbs")


class UnknownInstrumentError(KeyError):
    """No instrument has this key."""

    def __str__(self) -> str:
        return f"there is no instrument {self.args[0]!r}: use one of {', '.join(INSTRUMENTS)}"


@dataclass(frozen=True)
class Band:
    key: str
    label: str
    low: float
    high: float

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high


@dataclass(frozen=True)
class Measure:
    """One reported figure: a scale's total, or one ONS4 question, or one custom question."""

    key: str
    label: str
    minimum: float
    maximum: float
    higher_is_better: bool
    meaningful_change: float
    meaningful_change_source: str
    bands: tuple[Band, ...] = ()
    bands_source: str = ""

    def band_for(self, value: float) -> str:
        return next((band.key for band in self.bands if band.contains(value)), "")


@dataclass(frozen=True)
class Instrument:
    key: str
    name: str
    items: tuple[str, ...]
    item_minimum: int
    item_maximum: int
    kind: str  # SUM or SEPARATE
    measures: tuple[Measure, ...]
    scoring_source: str
    missing_items_rule: str
    wording_licensed: bool = False
    conversion: Mapping[int, float] | None = None  # raw total -> published score (SWEMWBS)
    score_decimals: int = 0
    question: str = ""  # a custom question's own wording

    def measure(self, key: str) -> Measure:
        for measure in self.measures:
            if measure.key == key:
                return measure
        raise KeyError(
            f"{self.name} has no measure {key!r}: use one of {', '.join(m.key for m in self.measures)}"
        )

    @property
    def measure_keys(self) -> tuple[str, ...]:
        return tuple(measure.key for measure in self.measures)

    @property
    def raw_range(self) -> tuple[int, int]:
        return self.item_minimum * len(self.items), self.item_maximum * len(self.items)


@cache
def swemwbs_conversion() -> Mapping[int, float]:
    """The published SWEMWBS raw-to-metric table, checked to cover every raw score 7..35 in order."""
    with (DATA_DIR / "swemwbs_raw_to_metric.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    table = {int(row["swemwbs_raw_score"]): float(row["swemwbs_metric_score"]) for row in rows}
    if sorted(table) != list(range(7, 36)):
        raise ValueError("swemwbs_raw_to_metric.csv must give a metric score for every raw score 7 to 35")
    metric = [table[raw] for raw in range(7, 36)]
    if metric != sorted(metric) or len(set(metric)) != len(metric):
        raise ValueError("swemwbs_raw_to_metric.csv must rise with the raw score")
    return MappingProxyType(table)


@cache
def _ons4_reference() -> dict:
    return yaml.safe_load((DATA_DIR / "ons4_personal_wellbeing.yaml").read_text(encoding="utf-8"))


@cache
def _ucla3_reference() -> dict:
    return yaml.safe_load((DATA_DIR / "ucla3_loneliness.yaml").read_text(encoding="utf-8"))


def _bands(thresholds: Mapping[str, list[int]]) -> tuple[Band, ...]:
    return tuple(
        Band(key=key, label=key.replace("_", " ").capitalize(), low=low, high=high)
        for key, (low, high) in thresholds.items()
    )


SWEMWBS_CHANGE_SOURCE = (
    "Shah et al. 2018, Health Qual Life Outcomes 16:239: a change of 1 to 3 metric points is a statistically "
    "important individual change (1 SEM = 1.03); the default is the lower end"
)
WEMWBS_CHANGE_SOURCE = (
    "Maheswaran et al. 2012, Health Qual Life Outcomes 10:156: standard error of measurement 2.4-3.1 points "
    "across 12 studies; the default, 3, is about one SEM (the stricter 2.77 SEM standard is 7-8 points)"
)
SMALLEST_STEP_SOURCE = (
    "no published minimal important difference was found; the default is the smallest change the scale "
    "can record"
)
WARWICK_SCORING = (
    "Warwick Medical School, 'Collect, score, analyse and interpret WEMWBS', and the WEMWBS user guide "
    "version 2 (2015)"
)
WARWICK_MISSING = (
    "all items are required and nothing is imputed: the published score is defined only as the sum of every "
    "item (and the SWEMWBS conversion table only for complete raw totals 7-35)"
)
NO_BANDS = "no banding: see docs/decisions/0007-outcome-measurement.md"


def _swemwbs() -> Instrument:
    return Instrument(
        key="swemwbs",
        name="SWEMWBS",
        items=tuple(f"q{n}" for n in range(1, 8)),
        item_minimum=1,
        item_maximum=5,
        kind=SUM,
        measures=(
            Measure(
                key=SCORE,
                label="SWEMWBS metric score",
                minimum=7.0,
                maximum=35.0,
                higher_is_better=True,
                meaningful_change=1.0,
                meaningful_change_source=SWEMWBS_CHANGE_SOURCE,
                bands_source=NO_BANDS,
            ),
        ),
        scoring_source=WARWICK_SCORING + "; raw 7-35 converted with the published Rasch conversion table",
        missing_items_rule=WARWICK_MISSING,
        wording_licensed=True,
        conversion=swemwbs_conversion(),
        score_decimals=2,
    )


def _wemwbs() -> Instrument:
    return Instrument(
        key="wemwbs",
        name="WEMWBS",
        items=tuple(f"q{n}" for n in range(1, 15)),
        item_minimum=1,
        item_maximum=5,
        kind=SUM,
        measures=(
            Measure(
                key=SCORE,
                label="WEMWBS score",
                minimum=14,
                maximum=70,
                higher_is_better=True,
                meaningful_change=3.0,
                meaningful_change_source=WEMWBS_CHANGE_SOURCE,
                bands_source=NO_BANDS,
            ),
        ),
        scoring_source=WARWICK_SCORING + "; the score is the sum of the 14 items, 14-70",
        missing_items_rule=WARWICK_MISSING,
        wording_licensed=True,
    )


ONS4_MEASURES = (
    ("life_satisfaction", "Life satisfaction", True),
    ("worthwhile", "Worthwhile", True),
    ("happiness", "Happiness", True),
    ("anxiety", "Anxiety", False),
)


def _ons4() -> Instrument:
    reference = _ons4_reference()
    scale = reference["scale"]
    positive_bands = _bands(reference["thresholds"]["life_satisfaction_worthwhile_happiness"])
    anxiety_bands = _bands(reference["thresholds"]["anxiety"])
    bands_source = "ONS thresholds for the personal well-being measures (data/ons4_personal_wellbeing.yaml)"
    return Instrument(
        key="ons4",
        name="ONS personal wellbeing (ONS4)",
        items=tuple(key for key, _label, _better in ONS4_MEASURES),
        item_minimum=scale["min"],
        item_maximum=scale["max"],
        kind=SEPARATE,
        measures=tuple(
            Measure(
                key=key,
                label=label,
                minimum=scale["min"],
                maximum=scale["max"],
                higher_is_better=better,
                meaningful_change=1.0,
                meaningful_change_source=SMALLEST_STEP_SOURCE,
                bands=positive_bands if better else anxiety_bands,
                bands_source=bands_source,
            )
            for key, label, better in ONS4_MEASURES
        ),
        scoring_source="ONS personal well-being questions: four separate 0-10 measures, never summed",
        missing_items_rule="each measure stands alone: an unanswered question leaves only that measure blank",
    )


def _ucla3() -> Instrument:
    total = _ucla3_reference()["total"]
    return Instrument(
        key="ucla3",
        name="UCLA 3-item loneliness scale",
        items=("q1", "q2", "q3"),
        item_minimum=1,
        item_maximum=3,
        kind=SUM,
        measures=(
            Measure(
                key=SCORE,
                label="UCLA-3 loneliness score",
                minimum=total["min"],
                maximum=total["max"],
                higher_is_better=not total["higher_is_lonelier"],
                meaningful_change=1.0,
                meaningful_change_source=SMALLEST_STEP_SOURCE,
                bands_source=NO_BANDS,
            ),
        ),
        scoring_source="Hughes et al. 2004, Research on Aging 26(6): the sum of three items coded 1-3, 3-9",
        missing_items_rule="all three items are required: the published score is the sum of all three",
    )


INSTRUMENTS: Mapping[str, Instrument] = MappingProxyType(
    {instrument.key: instrument for instrument in (_swemwbs(), _wemwbs(), _ons4(), _ucla3())}
)


def get_instrument(key: str) -> Instrument:
    try:
        return INSTRUMENTS[key]
    except KeyError:
        raise UnknownInstrumentError(key) from None


def custom_instrument(
    key: str,
    *,
    question: str,
    minimum: int,
    maximum: int,
    higher_is_better: bool = True,
    meaningful_change: float = 1.0,
    bands: tuple[Band, ...] = (),
) -> Instrument:
    """A project's own question, answered with a whole number from `minimum` to `maximum`; its answer is
    its score. `key` names both the item (the CSV column) and the measure."""
    if not key.isidentifier():
        raise ValueError(f"a custom question's key must be letters, digits and underscores, not {key!r}")
    if key in INSTRUMENTS:
        raise ValueError(f"{key!r} is a standard instrument's key: choose another")
    if minimum >= maximum:
        raise ValueError(f"the lowest answer ({minimum}) must be below the highest ({maximum})")
    if meaningful_change <= 0:
        raise ValueError("the meaningful change must be more than zero")
    return Instrument(
        key=key,
        name=key.replace("_", " ").capitalize(),
        items=(key,),
        item_minimum=minimum,
        item_maximum=maximum,
        kind=SEPARATE,
        measures=(
            Measure(
                key=key,
                label=question,
                minimum=minimum,
                maximum=maximum,
                higher_is_better=higher_is_better,
                meaningful_change=meaningful_change,
                meaningful_change_source="set by the project",
                bands=bands,
                bands_source="set by the project" if bands else "",
            ),
        ),
        scoring_source="a project's own question: the answer is the score",
        missing_items_rule="an unanswered question has no score",
        question=question,
    )


def meaningful_change(instrument: Instrument | str, measure: str = SCORE) -> float:
    """The meaningful-change threshold for one measure: the setting OUTCOMES_MEANINGFUL_CHANGE may
    override the default, keyed "wemwbs" (every measure) or "ons4:anxiety" (one measure)."""
    instrument = get_instrument(instrument) if isinstance(instrument, str) else instrument
    default = instrument.measure(measure).meaningful_change
    overrides = getattr(settings, "OUTCOMES_MEANINGFUL_CHANGE", {}) or {}
    value = overrides.get(f"{instrument.key}:{measure}", overrides.get(instrument.key, default))
    value = float(value)
    if value <= 0:
        raise ValueError(f"OUTCOMES_MEANINGFUL_CHANGE for {instrument.key} must be more than zero")
    return value


@dataclass(frozen=True)
class Wording:
    """An instrument's question wording and answer labels, or, when they are not loaded, why not."""

    instrument: str
    loaded: bool
    items: Mapping[str, str] = field(default_factory=dict)
    options: Mapping[int, str] = field(default_factory=dict)
    message: str = ""
    source: str = ""


def _licensed_wording(instrument: Instrument) -> Wording:
    path_setting = getattr(settings, "OUTCOMES_WEMWBS_WORDING_FILE", "") or ""
    how = (
        f"The {instrument.name} wording is licensed by its owners (a free licence from Warwick Medical "
        "School) and is not loaded. Set OUTCOMES_WEMWBS_WORDING_FILE to the YAML file holding it "
        "(see docs/decisions/0007-outcome-measurement.md)."
    )
    if not path_setting:
        return Wording(instrument=instrument.key, loaded=False, message=how)
    path = Path(path_setting)
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        return Wording(
            instrument=instrument.key,
            loaded=False,
            message=f"The {instrument.name} wording file {path} cannot be read ({error}). {how}",
        )
    section = content.get(instrument.key) if isinstance(content, dict) else None
    items = (section or {}).get("items") or {}
    options = (section or {}).get("options") or {}
    missing = [item for item in instrument.items if not str(items.get(item, "")).strip()]
    expected_options = range(instrument.item_minimum, instrument.item_maximum + 1)
    missing_options = [value for value in expected_options if not str(options.get(value, "")).strip()]
    if missing or missing_options:
        gaps = [f"items {', '.join(missing)}"] if missing else []
        gaps += [f"answer labels {', '.join(map(str, missing_options))}"] if missing_options else []
        return Wording(
            instrument=instrument.key,
            loaded=False,
            message=(
                f"The wording file {path} has no {instrument.key} {' or '.join(gaps)}: "
                f"add them under '{instrument.key}:' as 'items:' and 'options:'."
            ),
        )
    return Wording(
        instrument=instrument.key,
        loaded=True,
        items={item: str(items[item]).strip() for item in instrument.items},
        options={value: str(options[value]).strip() for value in expected_options},
        source=f"supplied by the operator under licence ({path})",
    )


def item_wording(instrument: Instrument | str) -> Wording:
    instrument = get_instrument(instrument) if isinstance(instrument, str) else instrument
    if instrument.key in LICENSED_SCALES:
        return _licensed_wording(instrument)
    if instrument.key == "ons4":
        reference = _ons4_reference()
        return Wording(
            instrument="ons4",
            loaded=True,
            items=dict(reference["questions"]),
            options=dict(reference["scale"]["anchors"]),
            source="Office for National Statistics personal well-being questions (data/README.md)",
        )
    if instrument.key == "ucla3":
        reference = _ucla3_reference()
        return Wording(
            instrument="ucla3",
            loaded=True,
            items=dict(zip(instrument.items, reference["items"], strict=True)),
            options={value: label for label, value in reference["response_coding"].items()},
            source="Hughes et al. 2004, as used by ONS (data/README.md)",
        )
    return Wording(
        instrument=instrument.key,
        loaded=bool(instrument.question),
        items={instrument.items[0]: instrument.question},
        message="" if instrument.question else "This question has no wording.",
        source="set by the project",
    )

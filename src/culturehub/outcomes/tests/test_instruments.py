"""Instruments are scored exactly as published, for every possible raw score, and refuse what is not."""

import itertools

import pytest

from culturehub.outcomes.instruments import (
    INSTRUMENTS,
    Band,
    UnknownInstrumentError,
    custom_instrument,
    get_instrument,
    item_wording,
    meaningful_change,
)
from culturehub.outcomes.scoring import UNANSWERED, format_number, parse_answer, score_response

# The SWEMWBS raw-to-metric conversion table as published (Warwick Medical School), typed in here
# separately from the data file the product reads, so that a slip in either one fails this test.
PUBLISHED_SWEMWBS = {
    7: 7.00, 8: 9.51, 9: 11.25, 10: 12.40, 11: 13.33, 12: 14.08, 13: 14.75, 14: 15.32, 15: 15.84,
    16: 16.36, 17: 16.88, 18: 17.43, 19: 17.98, 20: 18.59, 21: 19.25, 22: 19.98, 23: 20.73, 24: 21.54,
    25: 22.35, 26: 23.21, 27: 24.11, 28: 25.03, 29: 26.02, 30: 27.03, 31: 28.13, 32: 29.31, 33: 30.70,
    34: 32.55, 35: 35.00,
}  # fmt: skip
# ONS thresholds: life satisfaction, worthwhile and happiness; anxiety, where higher is worse.
ONS_POSITIVE_BANDS = {0: "low", 4: "low", 5: "medium", 6: "medium", 7: "high", 8: "high", 9: "very_high"}
ONS_ANXIETY_BANDS = {0: "very_low", 1: "very_low", 2: "low", 3: "low", 4: "medium", 5: "medium", 6: "high"}


def answers_totalling(total, items, low, high):
    """Answers within [low, high] adding up to `total`, filled from the first item."""
    answers, remaining = {}, total - low * len(items)
    for item in items:
        extra = min(remaining, high - low)
        answers[item] = str(low + extra)
        remaining -= extra
    assert remaining == 0
    return answers


@pytest.mark.parametrize("raw", range(7, 36))
def test_every_swemwbs_raw_score_converts_to_the_published_metric_score(raw):
    score = score_response("swemwbs", answers_totalling(raw, [f"q{n}" for n in range(1, 8)], 1, 5))
    assert score.valid and score.error == ""
    assert score.raw == raw
    assert score.score == PUBLISHED_SWEMWBS[raw]
    assert score.band == ""  # no published band is applied
    assert format_number(score.score, 2) == f"{PUBLISHED_SWEMWBS[raw]:.2f}"


def test_every_combination_of_swemwbs_answers_scores_by_its_total():
    items = [f"q{n}" for n in range(1, 8)]
    for combination in itertools.product(range(1, 6), repeat=7):
        score = score_response("swemwbs", dict(zip(items, combination, strict=True)))
        assert score.raw == sum(combination)
        assert score.score == PUBLISHED_SWEMWBS[sum(combination)]


@pytest.mark.parametrize("raw", range(14, 71))
def test_every_wemwbs_total_is_the_sum_of_its_fourteen_items(raw):
    score = score_response("wemwbs", answers_totalling(raw, [f"q{n}" for n in range(1, 15)], 1, 5))
    assert score.valid and score.raw == raw and score.score == raw and score.band == ""


def test_every_combination_of_ucla3_answers_scores_3_to_9():
    seen = set()
    for combination in itertools.product((1, 2, 3), repeat=3):
        score = score_response("ucla3", dict(zip(("q1", "q2", "q3"), combination, strict=True)))
        assert score.valid and score.raw == sum(combination) and score.score == sum(combination)
        seen.add(score.raw)
    assert seen == set(range(3, 10))


@pytest.mark.parametrize("instrument", ["swemwbs", "wemwbs", "ucla3"])
def test_a_summed_scale_with_any_item_missing_has_no_score(instrument):
    chosen = INSTRUMENTS[instrument]
    for missing in chosen.items:
        answers = {item: chosen.item_minimum for item in chosen.items}
        answers[missing] = ""
        score = score_response(instrument, answers)
        assert not score.valid and score.raw is None and score.score is None
        assert f"{missing} not answered" in score.error and "nothing is imputed" in score.error


@pytest.mark.parametrize(
    ("value", "problem"),
    [("6", "6 is outside 1 to 5"), ("0", "0 is outside 1 to 5"), ("3.5", "'3.5' is not a whole number"),
     ("often", "'often' is not a whole number"), (2.5, "2.5 is not a whole number"),
     (True, "True is not a whole number"), ("nan", "'nan' is not a whole number")],
)  # fmt: skip
def test_an_answer_out_of_range_or_not_a_whole_number_is_invalid_with_a_clear_error(value, problem):
    answers = {f"q{n}": 3 for n in range(1, 8)} | {"q4": value}
    score = score_response("swemwbs", answers)
    assert not score.valid and score.score is None
    assert score.error == f"q4: {problem} (answers are whole numbers from 1 to 5)"


def test_every_problem_in_a_response_is_named_at_once():
    score = score_response("ucla3", {"q1": "4", "q2": "x"})
    assert score.error.count(";") == 2
    assert "q1: 4 is outside 1 to 3" in score.error and "q2: 'x'" in score.error
    assert "q3 not answered" in score.error


@pytest.mark.parametrize("value", [4, "4", " 4 ", "4.0", 4.0, "+4"])
def test_whole_numbers_are_read_however_they_are_written(value):
    assert parse_answer(value) == 4


@pytest.mark.parametrize("value", [None, "", "   ", float("nan")])
def test_blanks_are_unanswered(value):
    assert parse_answer(value) is UNANSWERED


@pytest.mark.parametrize("measure", ["life_satisfaction", "worthwhile", "happiness"])
def test_ons4_positive_measures_take_the_ons_bands_at_every_value(measure):
    for value in range(11):
        expected = ONS_POSITIVE_BANDS[max(k for k in ONS_POSITIVE_BANDS if k <= value)]
        score = score_response("ons4", {measure: value})
        assert score.measures[measure].value == value
        assert score.measures[measure].band == expected


def test_ons4_anxiety_bands_run_the_other_way_low_anxiety_is_good():
    for value in range(11):
        expected = ONS_ANXIETY_BANDS[max(k for k in ONS_ANXIETY_BANDS if k <= value)]
        assert score_response("ons4", {"anxiety": value}).measures["anxiety"].band == expected
    anxiety = INSTRUMENTS["ons4"].measure("anxiety")
    assert anxiety.higher_is_better is False
    assert INSTRUMENTS["ons4"].measure("happiness").higher_is_better is True


def test_each_ons4_measure_stands_alone():
    score = score_response("ons4", {"life_satisfaction": "8", "worthwhile": "", "happiness": "6"})
    assert score.valid and score.error == ""
    assert score.value("life_satisfaction") == 8 and score.value("happiness") == 6
    assert score.value("worthwhile") is None and score.value("anxiety") is None
    assert score.raw is None and score.score is None  # ONS4 is never summed


def test_an_invalid_ons4_answer_makes_the_row_invalid_but_the_others_are_still_scored():
    score = score_response("ons4", {"life_satisfaction": "11", "worthwhile": "7", "anxiety": "2"})
    assert not score.valid
    assert score.error == "life_satisfaction: 11 is outside 0 to 10 (answers are whole numbers from 0 to 10)"
    assert score.value("life_satisfaction") is None
    assert score.value("worthwhile") == 7 and score.measures["anxiety"].band == "low"


def test_an_ons4_response_with_nothing_answered_is_invalid():
    score = score_response("ons4", {})
    assert not score.valid and "nothing answered" in score.error


def test_a_custom_question_scores_its_answer_in_its_own_range_and_direction():
    stress = custom_instrument(
        "stress",
        question="How stressed do you feel?",
        minimum=1,
        maximum=7,
        higher_is_better=False,
        meaningful_change=2,
        bands=(Band("low", "Low", 1, 3), Band("high", "High", 4, 7)),
    )
    assert score_response(stress, {"stress": "5"}).measures["stress"].band == "high"
    assert score_response(stress, {"stress": "5"}).value("stress") == 5
    assert "8 is outside 1 to 7" in score_response(stress, {"stress": 8}).error
    assert stress.measure("stress").higher_is_better is False
    assert meaningful_change(stress, "stress") == 2
    assert item_wording(stress).items == {"stress": "How stressed do you feel?"}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [({"minimum": 5, "maximum": 1}, "must be below"), ({"key": "ons4"}, "standard instrument"),
     ({"key": "two words"}, "letters, digits"), ({"meaningful_change": 0}, "more than zero")],
)  # fmt: skip
def test_a_custom_question_with_a_bad_definition_is_refused(arguments, message):
    definition = {"key": "confidence", "question": "How confident?", "minimum": 1, "maximum": 5} | arguments
    key = definition.pop("key")
    with pytest.raises(ValueError, match=message):
        custom_instrument(key, **definition)


def test_an_unknown_instrument_is_refused_by_name():
    with pytest.raises(UnknownInstrumentError, match="no instrument 'phq9'.*swemwbs, wemwbs, ons4, ucla3"):
        get_instrument("phq9")


def test_meaningful_change_defaults_are_documented_with_their_source():
    assert meaningful_change("swemwbs") == 1.0
    assert meaningful_change("wemwbs") == 3.0
    assert meaningful_change("ons4", "anxiety") == 1.0
    assert meaningful_change("ucla3") == 1.0
    for instrument in INSTRUMENTS.values():
        for measure in instrument.measures:
            assert measure.meaningful_change_source
    assert "Shah" in INSTRUMENTS["swemwbs"].measure("score").meaningful_change_source
    assert "Maheswaran" in INSTRUMENTS["wemwbs"].measure("score").meaningful_change_source


def test_meaningful_change_can_be_set_per_instrument_or_per_measure(settings):
    settings.OUTCOMES_MEANINGFUL_CHANGE = {"wemwbs": 8, "ons4:anxiety": 2}
    assert meaningful_change("wemwbs") == 8
    assert meaningful_change("ons4", "anxiety") == 2
    assert meaningful_change("ons4", "happiness") == 1


def test_warwick_edinburgh_wording_is_not_shipped_and_says_how_to_load_it(settings):
    settings.OUTCOMES_WEMWBS_WORDING_FILE = ""
    for key in ("wemwbs", "swemwbs"):
        wording = item_wording(key)
        assert not wording.loaded and wording.items == {}
        assert "licensed" in wording.message and "OUTCOMES_WEMWBS_WORDING_FILE" in wording.message


def write_wording(path, wemwbs_items=14):
    lines = ["wemwbs:", "  items:"]
    lines += [f"    q{n}: Operator's item {n}" for n in range(1, wemwbs_items + 1)]
    lines += ["  options:"] + [f"    {n}: Option {n}" for n in range(1, 6)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_warwick_edinburgh_wording_loads_from_the_operators_file(settings, tmp_path):
    settings.OUTCOMES_WEMWBS_WORDING_FILE = str(write_wording(tmp_path / "wording.yaml"))
    wording = item_wording("wemwbs")
    assert wording.loaded and wording.message == ""
    assert wording.items["q14"] == "Operator's item 14" and wording.options[5] == "Option 5"
    swemwbs = item_wording("swemwbs")
    assert not swemwbs.loaded and "no swemwbs items q1" in swemwbs.message


def test_an_incomplete_or_unreadable_wording_file_is_reported(settings, tmp_path):
    settings.OUTCOMES_WEMWBS_WORDING_FILE = str(write_wording(tmp_path / "short.yaml", wemwbs_items=12))
    assert "items q13, q14" in item_wording("wemwbs").message
    settings.OUTCOMES_WEMWBS_WORDING_FILE = str(tmp_path / "absent.yaml")
    wording = item_wording("wemwbs")
    assert not wording.loaded and "cannot be read" in wording.message


def test_ons4_and_ucla3_wording_ship_with_their_answer_labels():
    ons4 = item_wording("ons4")
    assert ons4.loaded and set(ons4.items) == {"life_satisfaction", "worthwhile", "happiness", "anxiety"}
    assert ons4.options == {0: "not at all", 10: "completely"}
    ucla3 = item_wording("ucla3")
    assert ucla3.loaded and ucla3.items["q2"] == "How often do you feel left out?"
    assert ucla3.options == {1: "Hardly ever", 2: "Some of the time", 3: "Often"}

"""`culturehub outcomes score|analyse`: the command-line contract other tools rely on."""

import csv
import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from culturehub.outcomes.statistics import paired_change

SWEMWBS_ITEMS = [f"q{n}" for n in range(1, 8)]
WEMWBS_ITEMS = [f"q{n}" for n in range(1, 15)]
ONS4 = ["life_satisfaction", "worthwhile", "happiness", "anxiety"]
ANALYSIS_KEYS = [
    "instrument", "measure", "n_participants", "n_paired", "mean_pre", "mean_post", "mean_change",
    "ci95_low", "ci95_high", "t_p_value", "wilcoxon_p_value", "effect_size_dz",
    "meaningful_change_threshold", "n_improved", "n_declined", "pct_improved", "suppressed", "warnings",
]  # fmt: skip
FIGURES = [key for key in ANALYSIS_KEYS[4:16] if key != "meaningful_change_threshold"]


def write_csv(path, header, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def read_csv(path):
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return reader.fieldnames, list(reader)


def score(tmp_path, instrument, source):
    output = tmp_path / "out.csv"
    arguments = ["--instrument", instrument, "--input", str(source), "--output", str(output)]
    call_command("outcomes", "score", *arguments, stderr=StringIO())
    return read_csv(output)


def analyse(source, *args):
    out = StringIO()
    call_command("outcomes", "analyse", "--input", str(source), *args, stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1, "analyse prints exactly one JSON object"
    return json.loads(lines[0])


def swemwbs_rows(pairs):
    """Rows for participants whose every item is `pre` at baseline and `post` at follow-up."""
    rows = []
    for number, (pre, post) in enumerate(pairs, start=1):
        rows.append([f"P{number:03}", "pre", *[pre] * 7])
        rows.append([f"P{number:03}", "post", *[post] * 7])
    return rows


def test_score_writes_the_contract_columns_and_one_row_per_input_row(tmp_path):
    source = write_csv(
        tmp_path / "in.csv",
        ["participant_id", "timepoint", *SWEMWBS_ITEMS],
        [
            ["P1", "pre", 3, 3, 3, 3, 3, 3, 3],
            ["P1", "post", 5, 5, 5, 5, 5, 5, 5],
            ["P2", "pre", 1, 1, 1, 1, 1, 1, 2],
        ],
    )
    header, rows = score(tmp_path, "swemwbs", source)
    assert header == ["participant_id", "timepoint", "valid", "raw", "score", "band", "error"]
    assert [(r["participant_id"], r["timepoint"]) for r in rows] == [
        ("P1", "pre"),
        ("P1", "post"),
        ("P2", "pre"),
    ]
    assert rows[0] | {} == {"participant_id": "P1", "timepoint": "pre", "valid": "true", "raw": "21",
                            "score": "19.25", "band": "", "error": ""}  # fmt: skip
    assert rows[1]["score"] == "35.00" and rows[2]["raw"] == "8" and rows[2]["score"] == "9.51"


def test_score_writes_wemwbs_and_ucla3_totals_as_whole_numbers(tmp_path):
    source = write_csv(
        tmp_path / "w.csv", ["participant_id", "timepoint", *WEMWBS_ITEMS], [["A", "pre", *[4] * 14]]
    )
    _, [row] = score(tmp_path, "wemwbs", source)
    assert row["valid"] == "true" and row["raw"] == "56" and row["score"] == "56"
    source = write_csv(
        tmp_path / "u.csv", ["participant_id", "timepoint", "q1", "q2", "q3"], [["A", "pre", 1, 2, 3]]
    )
    _, [row] = score(tmp_path, "ucla3", source)
    assert row["raw"] == "6" and row["score"] == "6" and row["band"] == ""


def test_score_writes_each_ons4_measure_with_its_band(tmp_path):
    source = write_csv(
        tmp_path / "in.csv",
        ["participant_id", "timepoint", *ONS4],
        [["A", "pre", 9, 6, 7, 1], ["B", "pre", 3, "", 5, 8]],
    )
    header, rows = score(tmp_path, "ons4", source)
    measures = [column for measure in ONS4 for column in (measure, f"{measure}_band")]
    assert header == ["participant_id", "timepoint", "valid", *measures, "error"]
    assert rows[0]["life_satisfaction_band"] == "very_high" and rows[0]["anxiety_band"] == "very_low"
    assert rows[1]["valid"] == "true" and rows[1]["worthwhile"] == "" and rows[1]["anxiety_band"] == "high"


def test_bad_rows_do_not_stop_score_they_get_valid_false_and_the_reason(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(
        "participant_id,timepoint,q1,q2,q3\n"
        "A,pre,1,2,4\n"
        "B,pre,1,,2\n"
        "C,pre,1,two,2\n"
        "D,pre,1\n"
        ",pre,1,1,1\n"
        "E,,1,1,1\n"
        "F,post,3,3,3\n",
        encoding="utf-8",
    )
    _, rows = score(tmp_path, "ucla3", source)
    assert len(rows) == 7
    assert [row["valid"] for row in rows] == ["false"] * 6 + ["true"]
    assert rows[0]["error"] == "line 2: q3: 4 is outside 1 to 3 (answers are whole numbers from 1 to 3)"
    assert "line 3: q2 not answered" in rows[1]["error"]
    assert "q2: 'two' is not a whole number" in rows[2]["error"]
    assert rows[3]["error"] == "line 5 has a different number of fields from the header"
    assert rows[4]["error"] == "line 6 has no participant_id"
    assert rows[5]["error"] == "line 7 has no timepoint"
    assert all(row["score"] == "" for row in rows[:6]) and rows[6]["score"] == "9"


def test_header_names_are_matched_trimmed_and_in_any_case(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("\ufeffParticipant_ID, Timepoint ,Q1,Q2,Q3\nA,pre,1,1,1\n", encoding="utf-8")
    _, [row] = score(tmp_path, "ucla3", source)
    assert row["participant_id"] == "A" and row["score"] == "3"


def bad_files(tmp_path):
    missing = tmp_path / "missing.csv"
    latin = tmp_path / "latin.csv"
    latin.write_bytes("participant_id,timepoint,q1,q2,q3\nJos\xe9,pre,1,1,1\n".encode("latin-1"))
    columns = write_csv(tmp_path / "columns.csv", ["participant_id", "timepoint", "q1"], [["A", "pre", 1]])
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    header_only = write_csv(tmp_path / "header.csv", ["participant_id", "timepoint", "q1", "q2", "q3"], [])
    return [
        (missing, "cannot open"),
        (latin, "is not UTF-8 text"),
        (columns, "has no column q2, q3"),
        (empty, "is empty"),
        (header_only, "has a header but no rows"),
    ]


@pytest.mark.parametrize("case", range(5))
def test_a_file_that_cannot_be_read_is_an_error_with_exit_code_2(tmp_path, case):
    source, message = bad_files(tmp_path)[case]
    output = tmp_path / "out.csv"
    with pytest.raises(CommandError, match=message) as raised:
        call_command(
            "outcomes", "score", "--instrument", "ucla3", "--input", str(source), "--output", str(output)
        )
    assert raised.value.returncode == 2
    assert "\n" not in str(raised.value)
    assert not output.exists()
    with pytest.raises(CommandError, match=message) as raised:
        call_command(
            "outcomes", "analyse", "--instrument", "ucla3", "--input", str(source), stdout=StringIO()
        )
    assert raised.value.returncode == 2


def run_cli(*args):
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"} | {"DEBUG": "1"}
    return subprocess.run(  # noqa: S603  the project's own entry point, with fixed arguments
        [sys.executable, "-m", "culturehub.cli", *args],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )


def test_the_culturehub_command_exits_2_with_one_error_line_for_an_unreadable_file(tmp_path):
    result = run_cli("outcomes", "analyse", "--instrument", "swemwbs", "--input", str(tmp_path / "nope.csv"))
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and "cannot open" in result.stderr


def test_the_culturehub_command_scores_a_file_end_to_end(tmp_path):
    source = write_csv(
        tmp_path / "in.csv", ["participant_id", "timepoint", *SWEMWBS_ITEMS], swemwbs_rows([(3, 4)])
    )
    result = run_cli("outcomes", "score", "--instrument", "swemwbs", "--input", str(source),
                     "--output", str(tmp_path / "out.csv"))  # fmt: skip
    assert result.returncode == 0, result.stderr
    _, rows = read_csv(tmp_path / "out.csv")
    assert [row["score"] for row in rows] == ["19.25", "25.03"]


def test_analyse_prints_the_contract_keys_with_figures_matching_paired_change(tmp_path):
    pairs = [(2, 3), (3, 3), (3, 4), (2, 2), (4, 5), (1, 3), (3, 2), (2, 4), (3, 5), (4, 4), (2, 3), (5, 4)]
    source = write_csv(
        tmp_path / "in.csv", ["participant_id", "timepoint", *SWEMWBS_ITEMS], swemwbs_rows(pairs)
    )
    result = analyse(source, "--instrument", "swemwbs")
    assert list(result) == ANALYSIS_KEYS
    metric = {7: 7.0, 14: 15.32, 21: 19.25, 28: 25.03, 35: 35.0}
    expected = paired_change(
        [metric[7 * a] for a, _ in pairs], [metric[7 * b] for _, b in pairs], threshold=1.0
    )
    assert result["instrument"] == "swemwbs" and result["measure"] == "score"
    assert result["n_participants"] == 12 and result["n_paired"] == 12 and result["suppressed"] is False
    for key in FIGURES:
        assert result[key] == pytest.approx(getattr(expected, key)), key
    assert result["meaningful_change_threshold"] == 1.0
    assert result["n_improved"] == 7 and result["n_declined"] == 2


def test_analyse_suppresses_the_figures_below_min_n(tmp_path):
    pairs = [(2, 3)] * 6 + [(3, 4)] * 4
    source = write_csv(
        tmp_path / "in.csv", ["participant_id", "timepoint", *SWEMWBS_ITEMS], swemwbs_rows(pairs)
    )
    shown = analyse(source, "--instrument", "swemwbs")
    assert shown["suppressed"] is False and shown["n_paired"] == 10
    hidden = analyse(source, "--instrument", "swemwbs", "--min-n", "11")
    assert hidden["suppressed"] is True and hidden["n_paired"] == 10
    assert all(hidden[key] is None for key in FIGURES)
    assert any("fewer than 11" in warning for warning in hidden["warnings"])


def test_analyse_counts_a_fall_in_anxiety_as_an_improvement(tmp_path):
    rows = []
    for number, (pre, post) in enumerate([(8, 4)] * 6 + [(3, 5)] * 2 + [(5, 5)] * 2):
        rows += [[f"P{number}", "baseline", 7, 7, 7, pre], [f"P{number}", "end", 8, 7, 7, post]]
    source = write_csv(tmp_path / "in.csv", ["participant_id", "timepoint", *ONS4], rows)
    result = analyse(source, "--instrument", "ons4", "--measure", "anxiety", "--baseline", "baseline",
                     "--followup", "end")  # fmt: skip
    assert result["measure"] == "anxiety" and result["n_paired"] == 10
    assert result["mean_change"] == pytest.approx(-2.0)
    assert result["n_improved"] == 6 and result["n_declined"] == 2
    life = analyse(source, "--instrument", "ons4", "--baseline", "baseline", "--followup", "end")
    assert life["measure"] == "life_satisfaction" and life["mean_change"] == pytest.approx(1.0)


def test_analyse_accepts_the_file_score_wrote_and_gets_the_same_answer(tmp_path):
    pairs = [(2, 3), (3, 3), (3, 4), (2, 2), (4, 5), (1, 3), (3, 2), (2, 4), (3, 5), (4, 4)]
    source = write_csv(
        tmp_path / "in.csv", ["participant_id", "timepoint", *SWEMWBS_ITEMS], swemwbs_rows(pairs)
    )
    score(tmp_path, "swemwbs", source)
    from_items = analyse(source, "--instrument", "swemwbs")
    from_scores = analyse(tmp_path / "out.csv", "--instrument", "swemwbs")
    assert from_scores == from_items


def test_analyse_warns_about_rows_it_could_not_use_and_duplicated_participants(tmp_path):
    rows = swemwbs_rows([(3, 4)] * 10) + [["P001", "post", *[5] * 7], ["P999", "pre", 1, 1, 1, 1, 1, 1, ""]]
    source = write_csv(tmp_path / "in.csv", ["participant_id", "timepoint", *SWEMWBS_ITEMS], rows)
    result = analyse(source, "--instrument", "swemwbs", "--min-n", "5")
    assert result["n_paired"] == 9 and result["n_participants"] == 10
    assert any("1 row(s) have no usable score" in warning for warning in result["warnings"])
    assert any("more than one score" in warning for warning in result["warnings"])


def test_analyse_refuses_a_measure_the_instrument_does_not_have(tmp_path):
    source = write_csv(
        tmp_path / "in.csv", ["participant_id", "timepoint", *SWEMWBS_ITEMS], swemwbs_rows([(3, 4)])
    )
    with pytest.raises(CommandError, match="has no measure 'anxiety'") as raised:
        analyse(source, "--instrument", "swemwbs", "--measure", "anxiety")
    assert raised.value.returncode == 2


def test_analyse_takes_a_threshold_other_than_the_default(tmp_path):
    pairs = [(3, 4)] * 10  # raw 21 -> 28: metric 19.25 -> 25.03, a change of 5.78
    source = write_csv(
        tmp_path / "in.csv", ["participant_id", "timepoint", *SWEMWBS_ITEMS], swemwbs_rows(pairs)
    )
    assert analyse(source, "--instrument", "swemwbs", "--threshold", "6")["n_improved"] == 0
    assert analyse(source, "--instrument", "swemwbs", "--threshold", "5")["n_improved"] == 10

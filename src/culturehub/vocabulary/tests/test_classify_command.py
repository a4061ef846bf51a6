"""`culturehub classify organisations`: its output contract and its errors."""

import csv

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from culturehub.vocabulary.tagger.classify import OUTPUT_COLUMNS


def write_csv(path, rows, header=("org_id", "name", "activities", "objects")):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def read_output(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def classify(*args):
    call_command("classify", "organisations", *args)


def test_it_writes_one_row_per_input_row_with_the_contract_columns(tmp_path):
    source = write_csv(
        tmp_path / "in.csv",
        [
            ["GB-CHC-1", "Hilltop Brass Band", "Concerts and brass tuition for juniors", ""],
            ["GB-CHC-2", "Eastside Food Bank", "Emergency food parcels", "Relief of poverty"],
            ["GB-CHC-1", "Hilltop Brass Band", "Concerts and brass tuition for juniors", ""],
        ],
    )
    classify("--input", str(source), "--output", str(tmp_path / "out.csv"))
    rows = read_output(tmp_path / "out.csv")
    assert tuple(rows[0]) == OUTPUT_COLUMNS
    assert [row["id"] for row in rows] == ["GB-CHC-1", "GB-CHC-2", "GB-CHC-1"]
    assert rows[0]["cultural"] == "true" and "music" in rows[0]["art_forms"].split(";")
    assert rows[1]["cultural"] == "false" and rows[1]["art_forms"] == ""
    assert all(row["cultural"] in {"true", "false"} for row in rows)
    assert 0 <= float(rows[0]["score"]) <= 1 and rows[0]["reasons"]


def test_id_and_text_columns_can_be_named(tmp_path):
    source = write_csv(
        tmp_path / "in.csv", [["a1", "Dance classes for people with Parkinson's"]], header=("ref", "what")
    )
    classify(
        "--input",
        str(source),
        "--output",
        str(tmp_path / "out.csv"),
        "--id-column",
        "ref",
        "--text-columns",
        "what",
    )
    [row] = read_output(tmp_path / "out.csv")
    assert row["id"] == "a1" and "dance" in row["art_forms"] and "prevention_wellbeing" in row["themes"]


def test_a_bad_row_gets_its_reason_in_its_own_row_and_the_run_goes_on(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(
        "org_id,name,activities,objects\n"
        "GB-CHC-1,Short row\n"
        ",No id here,Theatre,\n"
        "GB-CHC-3,,,\n"
        "GB-CHC-4,Riverside Players,Amateur dramatics,\n",
        encoding="utf-8",
    )
    classify("--input", str(source), "--output", str(tmp_path / "out.csv"))
    rows = read_output(tmp_path / "out.csv")
    assert len(rows) == 4
    assert "line 2" in rows[0]["reasons"] and "number of fields" in rows[0]["reasons"]
    assert "no value in the 'org_id' column" in rows[1]["reasons"]
    assert rows[2]["id"] == "GB-CHC-3" and "no text" in rows[2]["reasons"]
    assert rows[3]["cultural"] == "true" and "theatre" in rows[3]["art_forms"]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "is empty"),
        (b"org_id,name,activities,objects\n", "no rows"),
        (b"id,title\n1,Choir\n", "has no column 'org_id'"),
        ("org_id,name,activities,objects\n1,Caf\xe9 Chorale,Singing,\n".encode("latin-1"), "not UTF-8"),
    ],
)
def test_a_file_that_cannot_be_read_gets_one_clear_error_and_exit_code_2(tmp_path, content, message):
    source = tmp_path / "in.csv"
    source.write_bytes(content)
    with pytest.raises(CommandError) as raised:
        classify("--input", str(source), "--output", str(tmp_path / "out.csv"))
    assert message in str(raised.value)
    assert raised.value.returncode == 2
    assert "\n" not in str(raised.value)


def test_the_culturehub_command_exits_2_on_a_missing_column(tmp_path):
    import subprocess
    import sys

    source = write_csv(tmp_path / "in.csv", [["1", "x"]], header=("id", "title"))
    result = subprocess.run(  # noqa: S603 (our own command, fixed arguments)
        [
            sys.executable,
            "-m",
            "culturehub.cli",
            "classify",
            "organisations",
            "--input",
            str(source),
            "--output",
            str(tmp_path / "out.csv"),
        ],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "DEBUG": "1"},
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_two_runs_in_different_processes_write_the_same_file(tmp_path):
    """Scores and reasons must not depend on Python's per-process hash seed, or re-imports would churn."""
    import os
    import subprocess
    import sys

    source = write_csv(tmp_path / "in.csv", [
        ["GB-CHC-1", "Hilltop Brass Band", "Concerts and brass tuition for juniors", "The art of music"],
        ["GB-CHC-2", "Memory Singers", "A choir for people living with dementia and their carers", ""],
    ])
    outputs = []
    for seed in ("1", "2"):
        output = tmp_path / f"out-{seed}.csv"
        subprocess.run(  # noqa: S603 (our own command, fixed arguments)
            [sys.executable, "-m", "culturehub.cli", "classify", "organisations", "--input", str(source),
             "--output", str(output)],
            check=True, capture_output=True, env={**os.environ, "DEBUG": "1", "PYTHONHASHSEED": seed},
        )
        outputs.append(output.read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1]

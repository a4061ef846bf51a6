"""`culturehub classify notices`: its output contract, its errors and its exit code."""

import csv
import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from culturehub.opportunities.classify import OUTPUT_COLUMNS


def release(ocid, title, description="", release_id=None):
    return {
        "ocid": ocid,
        "id": release_id or f"{ocid}-r1",
        "tag": ["tender"],
        "tender": {"title": title, "description": description},
    }


def write_package(path, releases):
    path.write_text(json.dumps({"releases": releases}, indent=2), encoding="utf-8")
    return path


def read_output(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def classify(*args):
    call_command("classify", "notices", *args)


def test_it_writes_one_row_per_release_with_the_contract_columns(tmp_path):
    first = write_package(
        tmp_path / "a.json",
        [
            release("ocds-a-1", "Public art commission", "An artist to create a mural for the town square."),
            release("ocds-a-2", "Museum roof repairs", "Re-roofing the museum's west wing."),
        ],
    )
    second = tmp_path / "b.jsonl"
    second.write_text(
        json.dumps(
            release(
                "ocds-b-1", "Dementia befriending service", "Befriending for isolated people with dementia."
            )
        )
        + "\n",
        encoding="utf-8",
    )
    classify("--input", str(first), str(second), "--output", str(tmp_path / "out.csv"))
    rows = read_output(tmp_path / "out.csv")
    assert tuple(rows[0]) == OUTPUT_COLUMNS
    assert [(row["ocid"], row["release_id"]) for row in rows] == [
        ("ocds-a-1", "ocds-a-1-r1"),
        ("ocds-a-2", "ocds-a-2-r1"),
        ("ocds-b-1", "ocds-b-1-r1"),
    ]
    assert [row["relevance"] for row in rows] == ["direct", "none", "adjacent"]
    assert set(rows[2]["themes"].split(";")) >= {"dementia", "isolation"}
    assert rows[1]["themes"] == ""
    assert all(0 <= float(row["score"]) <= 1 and row["reasons"] for row in rows)


def test_a_malformed_release_gets_its_reason_in_its_row_and_the_run_goes_on(tmp_path):
    source = write_package(
        tmp_path / "in.json",
        [
            release("ocds-a-1", "Community arts programme"),
            {"id": "no-ocid"},
            "text",
            release("ocds-a-4", "Cleaning"),
        ],
    )
    classify("--input", str(source), "--output", str(tmp_path / "out.csv"))
    rows = read_output(tmp_path / "out.csv")
    assert len(rows) == 4
    assert (
        rows[1]["relevance"] == "none"
        and rows[1]["reasons"] == "not classified: in.json release 2 has no 'ocid'"
    )
    assert rows[2]["reasons"] == "not classified: in.json release 3 is not a JSON object (it is a string)"
    assert rows[3]["ocid"] == "ocds-a-4"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "is empty"),
        ("ocid,title\n1,x\n", "is not JSON"),
        ('{\n "data": []\n}', "holds no 'releases' or 'records'"),
    ],
)
def test_a_file_that_is_not_ocds_gets_one_clear_error_and_exit_code_2(tmp_path, content, message):
    good = write_package(tmp_path / "good.json", [release("ocds-a-1", "Community arts programme")])
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        classify("--input", str(good), str(bad), "--output", str(tmp_path / "out.csv"))
    assert raised.value.returncode == 2
    assert message in str(raised.value) and "\n" not in str(raised.value)
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "out.csv.partial").exists()


def test_the_culturehub_command_exits_2_with_one_line_for_a_file_that_is_not_ocds(tmp_path):
    source = tmp_path / "in.json"
    source.write_text('{"hello": "world"}\n', encoding="utf-8")
    result = subprocess.run(  # noqa: S603 (our own command, fixed arguments)
        [
            sys.executable,
            "-m",
            "culturehub.cli",
            "classify",
            "notices",
            "--input",
            str(source),
            "--output",
            str(tmp_path / "out.csv"),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "DEBUG": "1"},
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "neither an OCDS release nor a package" in result.stderr

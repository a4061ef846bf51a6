"""The import commands: `culturehub import <register> FILE` prints progress, the summary and problems."""

from io import StringIO

import pytest
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError

from culturehub.cli import IMPORT_COMMANDS
from culturehub.registers.tests.conftest import FIXTURES

pytestmark = pytest.mark.django_db


def test_each_register_source_names_a_command():
    for source in ("charities", "arts-council-npo", "arts-council-grants", "museums"):
        assert IMPORT_COMMANDS[source] in get_commands()


def test_the_museums_command_prints_the_summary_skips_and_rejected_rows(places):
    out = StringIO()

    call_command("import_museums", str(FIXTURES / "museums.csv"), stdout=out)

    text = out.getvalue()
    assert "Importing museums from" in text
    assert "Read 7 rows: 3 created" in text
    assert "line 7 (accreditation)" in text
    assert "Skipped, not in England: 1" in text


def test_the_charities_command_reads_the_commission_format(places):
    out = StringIO()

    call_command(
        "import_charities",
        str(FIXTURES / "ccew" / "publicextract.charity.txt"),
        "--format",
        "ccew",
        stdout=out,
    )

    assert "Read 6 rows: 3 created" in out.getvalue()


def test_a_missing_file_fails_the_command(places):
    with pytest.raises(CommandError, match="There is no file at"):
        call_command("import_arts_council_grants", "/no/such/file.xlsx", stdout=StringIO())

"""The Mapping Museums importer."""

import pytest

from culturehub.core.models import ImportRun
from culturehub.directory.models import Organisation
from culturehub.registers.importers.museums import SKIP_CLOSED, SKIP_NOT_ENGLAND
from culturehub.registers.imports import museums_import
from culturehub.registers.models import MuseumDetail
from culturehub.registers.tests.conftest import FIXTURES

pytestmark = pytest.mark.django_db

MUSEUMS = FIXTURES / "museums.csv"


def test_open_museums_in_england_become_listings_with_their_details(places):
    run = museums_import(path=MUSEUMS)

    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    assert set(MuseumDetail.objects.values_list("name", flat=True)) == {
        "Derby Museum And Art Gallery",
        "Birmingham Museum And Art Gallery",
        "Royal Crown Derby Museum",
    }
    derby = MuseumDetail.objects.get(name="Derby Museum And Art Gallery")
    assert derby.accredited is True
    assert derby.governance == "Government"
    assert derby.area == places["derby"]
    assert derby.postcode == "DE1 1BS"
    assert derby.organisation.status == "published"
    birmingham = MuseumDetail.objects.get(name="Birmingham Museum And Art Gallery")
    assert birmingham.area == places["birmingham"]  # a district within a combined authority


def test_closed_and_non_english_museums_are_skipped_by_reason(places):
    run = museums_import(path=MUSEUMS)

    assert f"Skipped, {SKIP_CLOSED}: 1" in run.log
    assert f"Skipped, {SKIP_NOT_ENGLAND}: 1" in run.log
    assert not Organisation.objects.filter(name__in=["Hamilton House Toy Museum", "Titanic Belfast"]).exists()


def test_bad_rows_are_rejected_with_line_and_field(places):
    run = museums_import(path=MUSEUMS)

    errors = {(error.line, error.field) for error in run.row_errors.all()}
    assert errors == {(7, "accreditation"), (8, "latitude")}


def test_a_second_museums_run_changes_nothing(places):
    museums_import(path=MUSEUMS)
    again = museums_import(path=MUSEUMS)

    assert not again.changed_anything
    assert again.rows_unchanged == 3

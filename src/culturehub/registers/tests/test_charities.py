"""The charity importers: a CSV in the UK-CAT shape and the Charity Commission register extract."""

import json
import shutil

import pytest

from culturehub.core.models import ImportRun
from culturehub.directory.models import Organisation, OrganisationIdentifier, Origin, Status
from culturehub.registers.importers.ccew import SKIP_REMOVED
from culturehub.registers.importers.charities import SKIP_INACTIVE, SKIP_NOT_CULTURAL, SKIP_OUTSIDE_ENGLAND
from culturehub.registers.imports import charities_import
from culturehub.registers.models import RegisterRecord, Source
from culturehub.registers.tests.conftest import FIXTURES
from culturehub.vocabulary.models import AssignedTag

pytestmark = pytest.mark.django_db

CSV = FIXTURES / "charities.csv"
CCEW = FIXTURES / "ccew" / "publicextract.charity.txt"


def test_it_makes_unclaimed_published_listings_of_the_cultural_charities(places, vocabulary):
    run = charities_import(path=CSV)

    assert run.status == ImportRun.Status.SUCCEEDED
    names = set(Organisation.objects.values_list("name", flat=True))
    assert names == {"BIRMINGHAM REPERTORY THEATRE LIMITED", "DERBY MUSEUMS", "HALLE CONCERTS SOCIETY"}
    rep = Organisation.objects.get(name="BIRMINGHAM REPERTORY THEATRE LIMITED")
    assert (rep.origin, rep.status, rep.origin_id) == (
        Origin.REGISTER,
        Status.PUBLISHED,
        "charities:GB-CHC-223660",
    )
    assert not rep.members.exists()
    assert rep.legal_form == Organisation.LegalForm.CHARITY
    assert rep.postcode == "B1 2EP"
    assert rep.income_band == Organisation.IncomeBand.OVER_10M
    assert set(rep.identifiers.values_list("scheme", "identifier")) == {
        ("GB-CHC", "223660"),
        ("GB-COH", "00295910"),
    }
    record = RegisterRecord.objects.get(source=Source.CHARITIES, source_id="GB-CHC-223660")
    assert record.area == places["birmingham"]
    assert "postcode district" in record.area_basis
    assert record.data["income"] == "15260000.00"
    assert record.data["tagging"]["cultural"] is True
    assert set(rep.areas_served.all()) == {places["birmingham"]}
    # The tagging is stored through the vocabulary's own service.
    assert AssignedTag.objects.filter(object_id=str(rep.pk), term__key="theatre").exists()


def test_it_rejects_bad_rows_with_their_line_and_field(places):
    run = charities_import(path=CSV)

    errors = {(error.line, error.field) for error in run.row_errors.all()}
    assert errors == {(8, "reg_number"), (9, "income"), (10, "date_registered"), (11, "name")}
    messages = {error.field: error.message for error in run.row_errors.all()}
    assert "lots" in messages["income"] and "amount of money" in messages["income"]
    assert "2019-03-31" in messages["date_registered"]
    assert run.rows_rejected == 4


def test_it_counts_skipped_rows_by_reason(places):
    run = charities_import(path=CSV)

    assert run.rows_read == 10
    assert run.rows_skipped == 3
    assert f"Skipped, {SKIP_NOT_CULTURAL}: 1" in run.log
    assert f"Skipped, {SKIP_INACTIVE}: 1" in run.log
    assert f"Skipped, {SKIP_OUTSIDE_ENGLAND}: 1" in run.log


def test_a_second_run_changes_nothing(places):
    charities_import(path=CSV)
    again = charities_import(path=CSV)

    assert again.status == ImportRun.Status.SUCCEEDED
    assert not again.changed_anything
    assert again.rows_unchanged == 3
    assert "nothing changed" in again.message
    assert Organisation.objects.count() == 3


def test_a_file_without_the_columns_fails_with_a_message(places, tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("charity,town\nA,B\n", encoding="utf-8")

    run = charities_import(path=path)

    assert run.status == ImportRun.Status.FAILED
    assert "missing the column(s) org_id" in run.message


# The Charity Commission extract ----------------------------------------------------------------------


def test_it_reads_the_commission_extract_with_its_governing_documents(places):
    run = charities_import(path=CCEW, format="ccew")

    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    records = {record.source_id: record for record in RegisterRecord.objects.filter(source=Source.CCEW)}
    assert set(records) == {"223660", "1092466", "1113902"}
    festival = records["1113902"].organisation
    assert festival.name == "MANCHESTER INTERNATIONAL FESTIVAL"
    assert festival.website.startswith("https://")
    assert records["1113902"].area == places["manchester"]
    assert records["223660"].data["financial_year_end"] == "2025-03-31"
    assert "charity_governing_document" in run.log


def test_the_commission_extract_rejects_and_skips_with_reasons(places):
    run = charities_import(path=CCEW, format="ccew")

    [error] = run.row_errors.all()
    assert (error.line, error.field) == (7, "registered_charity_number")
    assert f"Skipped, {SKIP_REMOVED}: 1" in run.log
    assert f"Skipped, {SKIP_NOT_CULTURAL}: 1" in run.log
    assert not charities_import(path=CCEW, format="ccew").changed_anything


def test_it_places_a_charity_by_its_area_of_operation_and_skips_linked_charities(places, tmp_path):
    folder = tmp_path / "extract"
    shutil.copytree(CCEW.parent, folder)
    # Test-made rows: an area of operation for one charity, and a linked charity under it.
    (folder / "publicextract.charity_area_of_operation.txt").write_text(
        "\ufeffdate_of_extract\torganisation_number\tregistered_charity_number\tlinked_charity_number\t"
        "geographic_area_type\tgeographic_area_description\tparent_geographic_area_type\t"
        "parent_geographic_area_description\twelsh_ind\r\n"
        "\t\t1092466\t0\tLocal Authority\tYork\tCountry\tEngland\t\r\n",
        encoding="utf-8",
    )
    main = folder / "publicextract.charity.txt"
    lines = main.read_bytes().decode("utf-8-sig").split("\r\n")
    linked = lines[2].split("\t")
    linked[3] = "1"
    main.write_bytes(("\ufeff" + "\r\n".join([*lines[:-1], "\t".join(linked), ""])).encode())

    run = charities_import(path=main, format="ccew")

    record = RegisterRecord.objects.get(source=Source.CCEW, source_id="1092466")
    assert record.area == places["york"]
    assert record.area_basis == "area of operation in the register"
    assert "a linked charity" in run.log


def test_it_reads_the_json_form_of_the_extract(places, tmp_path):
    header, *rows = CCEW.read_bytes().decode("utf-8-sig").strip("\r\n").split("\r\n")
    columns = header.split("\t")
    records = [dict(zip(columns, row.split("\t"), strict=True)) for row in rows]
    path = tmp_path / "publicextract.charity.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(records).encode())

    run = charities_import(path=path, format="ccew")

    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    assert RegisterRecord.objects.filter(source=Source.CCEW).count() == 3
    assert run.rows_rejected == 1


def test_the_same_charity_in_both_charity_registers_is_one_listing(places):
    charities_import(path=CSV)
    charities_import(path=CCEW, format="ccew")

    rep = OrganisationIdentifier.objects.get(scheme="GB-CHC", identifier="223660").organisation
    assert set(rep.register_records.values_list("source", flat=True)) == {Source.CHARITIES, Source.CCEW}
    [match] = rep.listing_matches.all()
    assert match.method == "identifier"
    assert "GB-CHC-223660" in match.matched_on
    assert Organisation.objects.filter(name__icontains="repertory").count() == 1

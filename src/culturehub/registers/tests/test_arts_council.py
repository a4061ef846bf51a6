"""The Arts Council England importers: National Portfolio 2018-22 and Project Grants."""

from datetime import date
from decimal import Decimal

import pytest

from culturehub.core.models import ImportRun
from culturehub.directory.models import Organisation
from culturehub.registers.importers.arts_council import financial_year, looks_like_a_person
from culturehub.registers.imports import arts_council_grants_import, arts_council_npo_import
from culturehub.registers.models import Investment, RegisterRecord, Source
from culturehub.registers.tests.conftest import FIXTURES
from culturehub.vocabulary.models import AssignedTag

pytestmark = pytest.mark.django_db

NPO = FIXTURES / "ace_npo.xlsx"
GRANTS = FIXTURES / "ace_grants.xlsx"


def test_each_portfolio_organisation_gets_a_listing_and_its_yearly_grants(places, vocabulary):
    run = arts_council_npo_import(path=NPO)

    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    assert set(Organisation.objects.values_list("name", flat=True)) == {
        "Birmingham Repertory Theatre",
        "Derby Museums",
        "Halle Concerts Society",
        "York Museums Trust",
    }
    rep = Organisation.objects.get(name="Birmingham Repertory Theatre")
    grants = list(rep.investments.order_by("year_start"))
    assert [grant.year for grant in grants] == ["2018/19", "2019/20", "2020/21", "2021/22"]
    assert grants[0].amount == Decimal("1833953.00")
    assert {grant.area for grant in grants} == {places["birmingham"]}
    assert {grant.art_form for grant in grants} == {"theatre"}
    assert AssignedTag.objects.filter(object_id=str(rep.pk), term__key="theatre").exists()


def test_two_agreements_of_one_organisation_make_one_listing(places):
    arts_council_npo_import(path=NPO)

    york = Organisation.objects.get(name="York Museums Trust")
    assert york.register_records.count() == 1
    assert york.investments.count() == 8
    labels = set(york.investments.values_list("activity_name", flat=True))
    assert "National Portfolio, funding band SSO (Museum Development)" in labels


def test_a_bad_amount_is_rejected_with_its_line_and_column(places):
    run = arts_council_npo_import(path=NPO)

    [error] = run.row_errors.all()
    assert error.line == 7
    assert error.field == "Portfolio grant 18/19 - £"
    assert "'lots'" in error.message


def test_a_second_portfolio_run_changes_nothing(places):
    arts_council_npo_import(path=NPO)
    again = arts_council_npo_import(path=NPO)

    assert not again.changed_anything
    assert Investment.objects.count() == 20


def test_project_grants_count_awards_to_people_without_listing_them(places):
    [run] = arts_council_grants_import(paths=[GRANTS])

    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    person = Investment.objects.filter(recipient_name="Paven Virk")
    assert person.count() == 2
    assert not person.exclude(organisation=None).exists()
    assert not Organisation.objects.filter(name="Paven Virk").exists()
    assert "Awards to recipients named as people (counted, no listing made): 2" in run.log
    bone = Organisation.objects.get(name="The Bone Ensemble")
    [award] = bone.investments.all()
    assert (award.year, award.year_start, award.award_date) == ("2018/19", 2018, date(2018, 5, 8))
    assert award.activity_name == "Gulp! Research & Development"
    assert award.area == places["birmingham"]


def test_project_grants_reject_a_bad_date_and_run_twice_without_change(places):
    [run] = arts_council_grants_import(paths=[GRANTS])
    [error] = run.row_errors.all()
    assert (error.line, error.field) == (9, "Award date")

    [again] = arts_council_grants_import(paths=[GRANTS])
    assert not again.changed_anything
    assert again.rows_unchanged == 5


def test_a_recipients_art_forms_come_from_all_its_awards(places, vocabulary):
    arts_council_grants_import(paths=[GRANTS])

    record = RegisterRecord.objects.get(source=Source.ACE_PROJECT_GRANTS, name="Aidem Digital CIC")
    assert [label[0] for label in record.data["tagging"]["art_forms"]] == ["literature"]


def test_a_file_that_is_not_a_workbook_fails_clearly(places, tmp_path):
    path = tmp_path / "grants.xlsx"
    path.write_text("Recipient,Award amount\n", encoding="utf-8")

    [run] = arts_council_grants_import(paths=[path])

    assert run.status == ImportRun.Status.FAILED
    assert "not a readable Excel workbook" in run.message


@pytest.mark.parametrize(
    ("name", "person"),
    [
        ("Paven Virk", True),
        ("Madeleine Carrie Levy", True),
        ("Ming de Nasty", True),
        ("The Bone Ensemble", False),
        ("Aidem Digital CIC", False),
        ("Stan's Cafe", True),  # the rule reads names only: a short two-word name can look personal
        ("Derby Regional Management Centre", False),
        ("Lughole", False),
    ],
)
def test_it_reads_whether_a_recipient_is_named_as_a_person(name, person):
    assert looks_like_a_person(name) is person


def test_financial_years_start_in_april():
    assert financial_year(date(2019, 3, 11)) == ("2018/19", 2018)
    assert financial_year(date(2019, 4, 1)) == ("2019/20", 2019)

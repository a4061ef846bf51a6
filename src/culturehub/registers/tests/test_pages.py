"""The "From public registers" section of a listing's page, the match list, and a place's register figures."""

from decimal import Decimal

import pytest
from django.urls import reverse

from culturehub.directory.models import Organisation, Status
from culturehub.registers.imports import (
    arts_council_grants_import,
    arts_council_npo_import,
    charities_import,
    museums_import,
)
from culturehub.registers.landscape import organisations_in_place, place_landscape
from culturehub.registers.tests.conftest import FIXTURES

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(places):
    arts_council_npo_import(path=FIXTURES / "ace_npo.xlsx")
    arts_council_grants_import(paths=[FIXTURES / "ace_grants.xlsx"])
    museums_import(path=FIXTURES / "museums.csv")
    charities_import(path=FIXTURES / "charities.csv")
    return places


def test_a_listing_shows_each_register_its_licence_and_the_arts_council_money(loaded, client):
    rep = Organisation.objects.get(name="Birmingham Repertory Theatre")

    page = client.get(reverse("directory:organisation_detail", args=[rep.pk])).content.decode()

    assert "From public registers" in page
    assert "National Portfolio Organisations 2018-22" in page
    assert "Open Government Licence v3.0" in page
    assert "Similar name in the same place" in page
    assert "The listing was made from this entry" in page
    assert "Arts Council England investment in Birmingham Repertory Theatre" in page
    assert "£1,833,953" in page
    assert "£7,335,812" in page  # the four years' total
    assert "Undo this match" not in page  # for administrators only


def test_administrators_see_how_to_undo_a_match(loaded, client, admin):
    rep = Organisation.objects.get(name="Birmingham Repertory Theatre")
    client.force_login(admin)

    page = client.get(reverse("directory:organisation_detail", args=[rep.pk])).content.decode()

    assert "Undo this match" in page


def test_a_museum_listing_shows_its_details_and_the_cc_by_licence(loaded, client):
    museum = Organisation.objects.get(name="Derby Museum And Art Gallery")

    page = client.get(reverse("directory:organisation_detail", args=[museum.pk])).content.decode()

    assert "Accredited museum" in page
    assert "Creative Commons Attribution 4.0" in page
    assert "Mapping Museums" in page


def test_the_register_section_costs_a_few_queries(loaded, client, django_assert_max_num_queries):
    rep = Organisation.objects.get(name="Birmingham Repertory Theatre")
    url = reverse("directory:organisation_detail", args=[rep.pk])
    client.get(url)  # warm caches (content types, session)
    with django_assert_max_num_queries(30) as counted:
        client.get(url)
    with_registers = len(counted.captured_queries)
    plain = Organisation.objects.create(
        name="Plain", legal_form="charity", description="x", status=Status.PUBLISHED
    )
    with django_assert_max_num_queries(30) as counted:
        client.get(reverse("directory:organisation_detail", args=[plain.pk]))
    assert with_registers - len(counted.captured_queries) <= 4


def test_the_match_list_is_for_administrators_and_does_not_grow_with_matches(
    loaded, client, bob, admin, django_assert_max_num_queries
):
    url = reverse("registers:match_list")
    client.force_login(bob)
    assert client.get(url).status_code == 403
    client.force_login(admin)
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert page.status_code == 200
    assert "Birmingham Repertory Theatre" in page.content.decode()


def test_a_places_culture_adds_up_its_registers(loaded):
    birmingham = place_landscape(area=loaded["birmingham"])

    names = {row.name for row in birmingham.page}
    assert {"Birmingham Repertory Theatre", "Birmingham Museum And Art Gallery", "The Bone Ensemble"} <= names
    assert "Paven Virk" not in names  # a person's award makes no listing
    year = next(row for row in birmingham.investment.years if row.year == "2018/19")
    assert year.npo == Decimal("1833953.00")
    # Two awards to a person and two to organisations count; the bad row is not counted.
    assert year.project_grants == Decimal("15000") + Decimal("14470") + Decimal("14900") + Decimal("15000")
    assert [museum.name for museum in birmingham.museums.listed] == ["Birmingham Museum And Art Gallery"]


def test_a_county_includes_its_districts(loaded):
    canterbury, kent = loaded["canterbury"], loaded["kent"]
    gallery = Organisation.objects.create(
        name="Canterbury gallery", legal_form="", description="", status=Status.PUBLISHED
    )
    gallery.areas_served.add(canterbury)

    assert list(organisations_in_place(kent)) == [gallery]

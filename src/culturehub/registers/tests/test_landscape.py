"""The culture page of a place: counts, charts with tables, museums, investment, the list and its filters."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from culturehub.directory.models import Organisation, Status
from culturehub.places.models import Area, AreaAlias
from culturehub.registers.landscape import OrganisationFilters, place_landscape
from culturehub.registers.models import Investment, MuseumDetail, RegisterRecord, Source
from culturehub.vocabulary.models import AssignedTag, Term
from culturehub.vocabulary.tagger import Label, Tagging
from culturehub.vocabulary.tagging import apply_tagging, tag_correct

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas(db):
    england = Area.objects.create(code="E92000001", name="England", kind=Area.Kind.COUNTRY)
    south_east = Area.objects.create(code="E12000008", name="South East", kind=Area.Kind.REGION)
    kent = Area.objects.create(code="E10000016", name="Kent", kind=Area.Kind.COUNTY, region=south_east)
    canterbury = Area.objects.create(code="E07000106", name="Canterbury", kind=Area.Kind.DISTRICT,
                                     upper_tier=kent, region=south_east)
    maidstone = Area.objects.create(code="E07000110", name="Maidstone", kind=Area.Kind.DISTRICT,
                                    upper_tier=kent, region=south_east)
    torbay = Area.objects.create(code="E06000027", name="Torbay", kind=Area.Kind.UNITARY)
    AreaAlias.objects.create(code="E07000999", area=canterbury, name="Old Canterbury", same_area=True)
    return {"england": england, "kent": kent, "canterbury": canterbury, "maidstone": maidstone,
            "torbay": torbay, "south_east": south_east}


def _organisation(name, *, legal_form="charity", income_band="", status=Status.PUBLISHED, town=""):
    return Organisation.objects.create(
        name=name, legal_form=legal_form, income_band=income_band, status=status, description="About us.",
        origin="register", town=town,
    )


def _record(organisation, source, source_id, area):
    return RegisterRecord.objects.create(
        source=source, source_id=source_id, organisation=organisation, name=organisation.name, area=area,
        last_seen=timezone.now(), fingerprint="x",
    )


def _tag(organisation, *keys):
    labels = tuple(Label(key, 1.0, ("the test says so",)) for key in keys)
    apply_tagging(organisation, Tagging(True, 1.0, ("test",), art_forms=labels))


@pytest.fixture
def landscape_data(areas, vocabulary):
    canterbury, maidstone = areas["canterbury"], areas["maidstone"]
    theatre = _organisation("Marlowe Theatre Trust", income_band="1m_10m", town="Canterbury")
    _record(theatre, Source.ACE_NPO, "marlowe", canterbury)
    _tag(theatre, "theatre")
    choir = _organisation("Canterbury Choral Society", legal_form="unincorporated", income_band="under_10k")
    choir.areas_served.add(canterbury)
    _tag(choir, "singing", "music")
    museum_org = _organisation("Beaney House of Art", legal_form="local_authority")
    museum_record = _record(museum_org, Source.MUSEUMS, "mm.1", canterbury)
    MuseumDetail.objects.create(record=museum_record, organisation=museum_org, name="The Beaney",
                                accredited=True, governance="Local authority", size="medium", area=canterbury,
                                town="Canterbury")
    gallery = _organisation("Maidstone Gallery", legal_form="cic", income_band="10k_100k")
    gallery_record = _record(gallery, Source.MUSEUMS, "mm.2", maidstone)
    MuseumDetail.objects.create(record=gallery_record, organisation=gallery, name="Maidstone Gallery",
                                accredited=False, governance="Independent", size="small", area=maidstone)
    hidden = _organisation("Draft Dance Company", status=Status.DRAFT)
    hidden_record = _record(hidden, Source.MUSEUMS, "mm.3", canterbury)
    MuseumDetail.objects.create(record=hidden_record, organisation=hidden, name="Hidden Museum",
                                accredited=True, governance="Independent", size="small", area=canterbury)
    for year, start, amount in (("2018/19", 2018, "100000"), ("2019/20", 2019, "110000")):
        Investment.objects.create(programme="npo", source_id=f"marlowe-{start}", organisation=theatre,
                                  recipient_name=theatre.name, year=year, year_start=start,
                                  amount=Decimal(amount), area=canterbury)
    Investment.objects.create(programme="project_grants", source_id="pg-1", organisation=None,
                              recipient_name="An artist", year="2019/20", year_start=2019,
                              amount=Decimal("15000"), area=maidstone, award_date=date(2019, 6, 1))
    Investment.objects.create(programme="project_grants", source_id="pg-2", organisation=hidden,
                              recipient_name=hidden.name, year="2019/20", year_start=2019,
                              amount=Decimal("99999"), area=canterbury)
    return {"theatre": theatre, "choir": choir, "museum": museum_org, "gallery": gallery, "hidden": hidden}


def _url(code, query=""):
    return reverse("places:culture", args=[code]) + query


def test_a_district_page_counts_its_published_organisations_with_charts_and_tables(client, landscape_data):
    with_queries = client.get(_url("E07000106"))
    page = with_queries.content.decode()

    assert with_queries.status_code == 200
    assert "Culture in Canterbury" in page
    assert "<strong>3</strong> published cultural organisations" in page
    assert "Draft Dance Company" not in page and "Hidden Museum" not in page
    assert 'role="img"' in page and 'aria-label="Cultural organisations by art form"' in page
    assert ">Cultural organisations by art form, Canterbury</caption>" in page
    assert 'govuk-!-font-weight-regular">Theatre and drama</th>' in page
    assert "Registered charity" in page and "Unincorporated group" in page
    assert "£1 million to £10 million" in page
    assert "The Beaney" in page and "Maidstone Gallery" not in page
    assert "£210,000" in page  # the theatre's two years; the draft listing's grant is left out
    assert "£99,999" not in page
    assert "Population not loaded" in page
    assert "Open Government Licence v3.0" in page and "Mapping Museums data" in page
    assert reverse("directory:organisation_detail", args=[landscape_data["theatre"].pk]) in page


def test_a_county_includes_its_districts_and_is_read_without_n_plus_one(client, landscape_data,
                                                                        django_assert_max_num_queries):
    for index in range(30):
        extra = _organisation(f"Kent Arts Group {index:02}", income_band="under_10k")
        extra.areas_served.add(landscape_data["gallery"].register_records.get().area)
        _tag(extra, "visual_arts")
    client.get(_url("E10000016"))  # warm the content type cache, as a running server has it
    with django_assert_max_num_queries(16):
        response = client.get(_url("E10000016"))
    page = response.content.decode()

    assert "<strong>34</strong> published cultural organisations" in page
    assert "<strong>2</strong> open museums" in page
    assert "The Beaney" in page and "Maidstone Gallery" in page
    assert "£225,000" in page  # both districts' money, with the artist's grant
    assert "Page 1 of 2" in page
    assert "Figures for Kent include the councils inside it." in page


def test_the_region_includes_its_councils(landscape_data, areas):
    landscape = place_landscape(area=areas["south_east"])

    assert landscape.organisation_total == 4
    assert landscape.museums.total == 2


def test_a_person_s_decision_on_an_art_form_wins_over_the_tagger(landscape_data, areas, alice):
    theatre = landscape_data["theatre"]
    tag_correct(user=alice, obj=theatre, term=Term.objects.get(scheme__key="art_forms", key="theatre"),
                applies=False)

    landscape = place_landscape(area=areas["canterbury"])

    labels = {bar.label: bar.value for bar in landscape.by_art_form.bars}
    assert "Theatre and drama" not in labels
    assert labels["No art form recorded"] == 2
    assert AssignedTag.objects.filter(object_id=str(theatre.pk)).count() == 2


def test_the_list_filters_by_art_form_legal_form_size_and_name(client, landscape_data):
    by_art = client.get(_url("E07000106", "?art_form=singing")).content.decode()
    assert "Canterbury Choral Society" in by_art and "Marlowe Theatre Trust" not in by_art
    assert "1 organisation matches the filters" in by_art

    by_form = place_landscape(area=landscape_data["theatre"].register_records.get().area,
                              filters=OrganisationFilters(legal_forms=("local_authority",)))
    assert [row.name for row in by_form.page.object_list] == ["Beaney House of Art"]
    unknown = place_landscape(area=landscape_data["theatre"].register_records.get().area,
                              filters=OrganisationFilters(income_bands=("unknown",), text="beaney"))
    assert [row.name for row in unknown.page.object_list] == ["Beaney House of Art"]

    nothing = client.get(_url("E07000106", "?q=zzzz")).content.decode()
    assert "No organisations in Canterbury match these filters." in nothing


def test_an_empty_place_says_what_is_missing(client, areas, vocabulary):
    page = client.get(_url("E06000027")).content.decode()

    assert "No museums in the Mapping Museums data for Torbay." in page
    assert "No published cultural organisations in the directory or the public registers for Torbay." in page
    assert "No Arts Council England National Portfolio grants or Project Grants recorded for Torbay." in page
    assert "Not loaded into Culture Hub yet." in page
    assert 'role="img"' not in page


def test_old_and_lower_case_codes_redirect_to_the_current_code(client, areas):
    old = client.get(_url("E07000999", "?legal_form=charity"))
    assert old.status_code == 302
    assert old["Location"] == _url("E07000106", "?legal_form=charity")
    followed = client.get(old["Location"]).content.decode()
    assert "E07000999 (Old Canterbury) is an old code" in followed

    lower = client.get(_url("e06000027"))
    assert lower.status_code == 302 and lower["Location"] == _url("E06000027")


def test_an_unknown_code_is_not_found(client, areas):
    response = client.get(_url("E09999999"))

    assert response.status_code == 404
    assert "Place not found" in response.content.decode()


def test_the_profile_links_to_the_culture_page(client, areas):
    page = client.get(reverse("places:detail", args=["E06000027"])).content.decode()

    assert _url("E06000027") in page


def _population(area, bands, year=2022):
    from culturehub.places.models import Indicator, IndicatorValue
    from culturehub.places.tests.factories import make_indicator

    indicator = Indicator.objects.filter(external_id="92708").first() or make_indicator(
        key="resident-population", external_id="92708"
    )
    for age, value in bands.items():
        IndicatorValue.objects.create(indicator=indicator, area=area, period=str(year), period_start=year,
                                      sex="Persons", age=age, value=value)
        IndicatorValue.objects.create(indicator=indicator, area=area, period=str(year), period_start=year,
                                      sex="Female", age=age, value=value / 2)


def test_money_per_head_sums_the_places_resident_population_over_its_age_bands(client, landscape_data, areas):
    _population(areas["canterbury"], {"0-4 yrs": 40000.0, "5-9 yrs": 60000.0})
    _population(areas["england"], {"0-4 yrs": 1000000.0, "5-9 yrs": 2000000.0})
    landscape = place_landscape(area=areas["canterbury"])
    investment = landscape.investment
    assert investment.population.value == 100000.0  # persons only, both bands
    assert investment.per_head == investment.total / Decimal("100000")
    # Two councils of six hold awards: England's total would not mean England, so it is not shown.
    assert not investment.covers_england and investment.england_per_head is None
    page = client.get(reverse("places:culture", kwargs={"code": "E07000106"})).content.decode()
    assert "does not yet cover all of England" in page

"""The opportunity list and opportunity pages: what they show, their errors, and their query counts."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import capfirst

from culturehub.directory.models import Status
from culturehub.directory.tests.factories import make_consortium, make_offer, make_organisation
from culturehub.opportunities.models import Opportunity, Relevance, RelevanceFlag, Stage
from culturehub.opportunities.tests.opportunity_factories import import_releases, make_buyer, make_opportunity
from culturehub.places.tests.factories import make_geography
from culturehub.vocabulary.models import Term

pytestmark = pytest.mark.django_db
LIST = reverse("opportunities:list")
OCID = "ocds-h6vhtk-0a1b2c"


@pytest.fixture
def geo(db):
    return make_geography()


def detail_url(opportunity) -> str:
    return reverse("opportunities:detail", args=[opportunity.pk])


# ---------------------------------------------------------------------------------------------------
# The list
# ---------------------------------------------------------------------------------------------------

def test_the_list_shows_each_result_with_what_a_reader_needs_to_decide(client, geo, vocabulary):
    buyer = make_buyer(name="Manchester City Council", area=geo.manchester)
    soon = timezone.now() + timedelta(days=5)
    opportunity = make_opportunity(
        title="Arts on prescription", buyer=buyer, value_amount=Decimal("120000"), themes=["non_medical"],
        notice_type="UK4", suitable_for_vcse=True,
        engagement_dates=[{"date": soon.isoformat(), "title": "Provider forum", "description": ""}],
    )
    make_opportunity(title="Museum learning programme", deadline_days=None, stage=Stage.PIPELINE)
    response = client.get(LIST)
    text = response.content.decode()
    assert response.status_code == 200
    assert "2 opportunities match" in text
    assert f'href="{detail_url(opportunity)}"' in text
    assert "Manchester City Council, Manchester" in text
    assert "Tender (Tender notice)" in text
    assert "£120,000" in text and "Value not given" in text
    assert "No deadline given" in text
    assert "Provider forum" in text
    assert "Social prescribing and non-medical support" in text
    assert "Charities and social enterprises (VCSE)" in text
    assert "Cultural work" in text


def test_the_list_says_where_notices_come_from_and_the_date_of_the_newest(client, db):
    make_opportunity(title="A", last_updated=datetime(2026, 11, 20, 12, tzinfo=UTC))
    text = client.get(LIST).content.decode()
    assert "Find a Tender" in text and "Contracts Finder" in text and "Open Government Licence v3.0" in text
    assert "20 November 2026" in text
    assert reverse("opportunities:relevance_help") in text


def test_the_list_filters_by_the_query_string(client, vocabulary):
    make_opportunity(title="Dementia singing", themes=["dementia"])
    make_opportunity(title="Youth theatre", themes=["children_young_people"])
    text = client.get(LIST, {"theme": "dementia"}).content.decode()
    assert "Dementia singing" in text and "Youth theatre" not in text
    assert "1 opportunity matches your search" in text


def test_bad_filters_get_the_error_summary_and_no_results(client, db):
    make_opportunity(title="Dementia singing")
    response = client.get(LIST, {"value_min": "lots", "place": "Atlantis"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text
    assert 'href="#id_value_min"' in text and 'href="#id_place"' in text
    assert "Enter the lowest value as a whole number of pounds, like 10000" in text
    assert "Dementia singing" not in text
    assert "<title>Error: " in text


def test_when_only_closed_notices_match_the_page_says_so_and_links_to_them(client, db):
    make_opportunity(title="Last year's festival", deadline_days=-30)
    text = client.get(LIST, {"q": "festival"}).content.decode()
    assert "No open notices match your search, but 1 closed notice does" in text
    assert 'href="?q=festival&amp;deadline=any"' in text
    closed = client.get(LIST, {"q": "festival", "deadline": "any"}).content.decode()
    assert "Last year&#x27;s festival" in closed


def test_when_nothing_matches_at_all_the_page_suggests_what_to_change(client, db):
    make_opportunity(title="Festival")
    text = client.get(LIST, {"q": "zebra"}).content.decode()
    assert "No notices match your search." in text
    assert "include notices whose deadline has passed" in text


def test_the_list_pages_by_25_and_keeps_the_filters(client, db):
    for number in range(27):
        make_opportunity(title=f"Notice {number:02d}", deadline_days=number + 1)
    first = client.get(LIST, {"deadline": "any"}).content.decode()
    assert "Notice 24" in first and "Notice 25" not in first
    assert 'href="?deadline=any&amp;page=2"' in first
    second = client.get(LIST, {"deadline": "any", "page": 2}).content.decode()
    assert "Notice 25" in second and "Notice 26" in second and "Notice 00" not in second


def test_signed_in_people_get_a_link_to_save_the_search_and_others_a_sign_in_link(client, bob):
    make_opportunity(title="Festival")
    anonymous = client.get(LIST, {"q": "festival"}).content.decode()
    assert "Sign in to save this search" in anonymous
    client.force_login(bob)
    signed_in = client.get(LIST, {"q": "festival"}).content.decode()
    assert f'href="{reverse("saved_searches:create")}?q=festival"' in signed_in


def _list_queries(client, django_assert_max_num_queries, limit) -> None:
    with django_assert_max_num_queries(limit):
        response = client.get(LIST, {"deadline": "any", "theme": ["dementia", "isolation"]})
    assert response.status_code == 200


def test_the_list_reads_the_same_few_queries_however_many_results(client, geo, vocabulary,
                                                                 django_assert_max_num_queries):
    buyer = make_buyer(name="Manchester City Council", area=geo.manchester)
    for number in range(3):
        make_opportunity(title=f"Notice {number}", buyer=buyer, themes=["dementia"])
    _list_queries(client, django_assert_max_num_queries, 4)
    for number in range(30):
        make_opportunity(title=f"More {number}", buyer=make_buyer(name=f"Council {number}", area=geo.kent),
                         themes=["dementia", "isolation"])
    _list_queries(client, django_assert_max_num_queries, 4)


# ---------------------------------------------------------------------------------------------------
# One opportunity, from real-shaped releases through the importer
# ---------------------------------------------------------------------------------------------------

BUYER = {"id": "buyer-1", "name": "Manchester City Council"}
PARTIES = [{"id": "buyer-1", "name": "Manchester City Council", "roles": ["buyer"]}]
TITLE = "Creative health programme for people living with dementia"
DESCRIPTION = ("Arts and music activities that reduce loneliness and social isolation for people living "
               "with dementia and their carers across Manchester.")


def _notice_document(code: str, number: str, published: str) -> dict:
    return {"id": f"doc-{number}", "documentType": "tenderNotice", "noticeType": code,
            "url": f"https://www.find-tender.service.gov.uk/Notice/{number}", "datePublished": published}


def _releases() -> list[dict]:
    engagement = {
        "ocid": OCID, "id": f"{OCID}-engagement", "date": "2026-01-10T09:00:00Z", "tag": ["planning"],
        "buyer": BUYER, "parties": PARTIES,
        "planning": {
            "documents": [_notice_document("UK2", "000111-2026", "2026-01-10T09:00:00Z")],
            "milestones": [{"id": "m1", "type": "engagement", "title": "Provider forum",
                            "description": "An online session for providers.",
                            "dueDate": "2026-01-30T10:00:00Z"}],
        },
        "tender": {"id": "t1", "title": TITLE, "description": DESCRIPTION, "status": "planning"},
    }
    tender = {
        "ocid": OCID, "id": f"{OCID}-tender", "date": "2026-02-01T09:00:00Z", "tag": ["tender"],
        "buyer": BUYER, "parties": PARTIES,
        "tender": {
            "id": "t1", "title": TITLE, "description": DESCRIPTION, "status": "active",
            "documents": [_notice_document("UK4", "000222-2026", "2026-02-01T09:00:00Z")],
            "value": {"amount": 250000, "currency": "GBP"},
            "tenderPeriod": {"endDate": "2026-03-01T12:00:00Z"},
            "classification": {"scheme": "CPV", "id": "92000000"},
            "suitability": {"sme": True, "vcse": True},
            "otherRequirements": {"reservedParticipation": ["publicServiceMissionOrganization"]},
            "lots": [
                {"id": "1", "title": "North Manchester", "value": {"amount": 125000, "currency": "GBP"}},
                {"id": "2", "title": "South Manchester", "value": {"amount": 125000, "currency": "GBP"}},
            ],
        },
    }
    award = {
        "ocid": OCID, "id": f"{OCID}-award", "date": "2026-04-15T09:00:00Z", "tag": ["award"],
        "buyer": BUYER, "parties": PARTIES,
        "awards": [{"id": "a1", "status": "active",
                    "documents": [_notice_document("UK6", "000333-2026", "2026-04-15T09:00:00Z")]}],
    }
    # Given out of order: the page sorts by date.
    return [award, engagement, tender]


@pytest.fixture
def imported(tmp_path, geo, vocabulary):
    import_releases(tmp_path, _releases())
    return Opportunity.objects.get(ocid=OCID)


def test_the_opportunity_page_shows_the_compiled_notice(client, imported, geo):
    text = client.get(detail_url(imported)).content.decode()
    assert f"<h1 class=\"govuk-heading-xl\">{TITLE}</h1>" in text
    assert f'href="{reverse("places:detail", args=[geo.manchester.code])}"' in text
    assert "Placed by its name" in text
    assert "£250,000" in text and "£125,000" in text and "North Manchester" in text
    assert "92000000" in text
    assert "Reserved for public service mutuals and similar organisations" in text
    assert "1 March 2026" in text
    assert "Provider forum" in text and "An online session for providers." in text


def test_the_timeline_lists_every_notice_in_date_order_with_its_type_and_source(client, imported):
    text = client.get(detail_url(imported)).content.decode()
    timeline = text[text.index('id="timeline"'):text.index('id="relevance"')]
    positions = [timeline.index(label) for label in
                 ("Preliminary market engagement notice", "Tender notice", "Contract award notice")]
    assert positions == sorted(positions)
    assert timeline.count("Imported file") == 3
    assert 'href="https://www.find-tender.service.gov.uk/Notice/000222-2026"' in timeline


def test_the_page_links_to_the_latest_notice_on_its_publisher(client, imported):
    text = client.get(detail_url(imported)).content.decode()
    assert 'href="https://www.find-tender.service.gov.uk/Notice/000333-2026"' in text
    assert "Read the notice on Find a Tender" in text


def test_no_publisher_link_is_made_up_when_the_release_gives_none(client, tmp_path, db):
    import_releases(tmp_path, [{"ocid": "ocds-h6vhtk-999", "id": "r1", "date": "2026-01-01T00:00:00Z",
                                "tag": ["tender"], "tender": {"title": "Mural",
                                                             "documents": [{"url": "javascript:alert(1)"}]}}])
    text = client.get(detail_url(Opportunity.objects.get(ocid="ocds-h6vhtk-999"))).content.decode()
    assert "Read the notice on" not in text and "javascript:" not in text


def test_the_page_gives_the_judgement_with_its_reasons_themes_and_art_forms(client, imported):
    imported.refresh_from_db()
    assert imported.relevance != Relevance.NONE and "dementia" in imported.themes
    text = client.get(detail_url(imported)).content.decode()
    section = text[text.index('id="relevance"'):text.index('id="flags"')]
    assert imported.get_relevance_display() in section
    assert escape(capfirst(imported.relevance_reasons[0])) in section
    assert Term.objects.get(scheme__key="themes", key="dementia").label in section


def test_a_provider_selection_regime_notice_explains_what_that_means(client, db):
    opportunity = make_opportunity(title="Community mental health", is_provider_selection_regime=True)
    assert "Provider Selection Regime" in client.get(detail_url(opportunity)).content.decode()


def test_an_unknown_opportunity_is_not_found(client, db):
    assert client.get(reverse("opportunities:detail", args=[999999])).status_code == 404


def test_the_opportunity_page_reads_the_same_queries_however_many_notices_and_flags(
    client, imported, carol, alice, bob, django_assert_max_num_queries
):
    url = detail_url(imported)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    RelevanceFlag.objects.create(opportunity=imported, flagged_by=carol, relevance="direct")
    RelevanceFlag.objects.create(opportunity=imported, flagged_by=alice, relevance="adjacent")
    RelevanceFlag.objects.create(opportunity=imported, flagged_by=bob, relevance="none")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


# ---------------------------------------------------------------------------------------------------
# Who could deliver or join
# ---------------------------------------------------------------------------------------------------

@pytest.fixture
def dementia(vocabulary):
    return Term.objects.get(scheme__key="themes", key="dementia")


def test_organisations_working_in_the_place_with_a_shared_theme_are_suggested_with_reasons(
    client, geo, dementia
):
    opportunity = make_opportunity(title="Memory cafes", themes=["dementia"],
                                   buyer=make_buyer(name="Manchester City Council", area=geo.manchester))
    local = make_organisation(name="Manchester Memory Arts", areas=[geo.manchester])
    make_offer(organisation=local, name="Singing for memory", themes=[dementia])
    regional = make_organisation(name="North West Music Trust", areas=[geo.north_west])
    make_offer(organisation=regional, themes=[dementia])
    elsewhere = make_organisation(name="Kent Memory Arts", areas=[geo.kent])
    make_offer(organisation=elsewhere, themes=[dementia])
    unrelated = make_organisation(name="Manchester Robotics", areas=[geo.manchester])
    make_offer(organisation=unrelated, themes=[])
    draft = make_organisation(name="Draft Dementia Arts", areas=[geo.manchester], status=Status.DRAFT)
    make_offer(organisation=draft, themes=[dementia])
    text = client.get(detail_url(opportunity)).content.decode()
    section = text[text.index('id="partners"'):]
    assert "Manchester Memory Arts" in section and "Serves Manchester; Dementia" in section
    assert "North West Music Trust" in section and "Serves North West; Dementia" in section
    for absent in ("Kent Memory Arts", "Manchester Robotics", "Draft Dementia Arts"):
        assert absent not in section


def test_consortia_in_the_place_whose_members_share_a_theme_are_suggested(client, geo, dementia):
    opportunity = make_opportunity(title="Memory cafes", themes=["dementia"],
                                   buyer=make_buyer(name="Manchester City Council", area=geo.manchester))
    member = make_organisation(name="Member Arts")
    make_offer(organisation=member, themes=[dementia])
    make_consortium(area=geo.manchester, name="Manchester Culture Together", members=[member])
    make_consortium(area=geo.kent, name="Kent Culture Together")
    text = client.get(detail_url(opportunity)).content.decode()
    section = text[text.index('id="partners"'):]
    assert "Manchester Culture Together" in section and "Works in Manchester; Dementia" in section
    assert "Kent Culture Together" not in section


def test_no_organisations_are_suggested_for_an_unplaced_buyer_and_the_page_says_why(client, db):
    opportunity = make_opportunity(title="Memory cafes", themes=["dementia"],
                                   buyer=make_buyer(name="Nowhere"))
    assert "The buyer is not placed" in client.get(detail_url(opportunity)).content.decode()


def test_the_relevance_help_page_explains_each_label(client, vocabulary):
    text = client.get(reverse("opportunities:relevance_help")).content.decode()
    for label in ("Cultural work", "Could deliver part or partner", "Not for the cultural sector",
                  "Loneliness and social isolation"):
        assert label in text


def test_administrators_can_read_notices_and_flags_and_correct_buyers_in_the_admin(client, alice, carol, geo):
    from culturehub.places.tests.factories import give_two_factor

    buyer = make_buyer(name="Manchester City Council", area=geo.manchester)
    opportunity = make_opportunity(title="Memory cafes", buyer=buyer)
    RelevanceFlag.objects.create(opportunity=opportunity, flagged_by=carol, relevance="direct")
    client.force_login(give_two_factor(alice))
    for name in ("opportunity", "relevanceflag", "buyer"):
        assert client.get(reverse(f"admin:opportunities_{name}_changelist")).status_code == 200
    for name, record in (("opportunity", opportunity), ("buyer", buyer)):
        assert client.get(reverse(f"admin:opportunities_{name}_change", args=[record.pk])).status_code == 200
    changed = client.post(reverse("admin:opportunities_buyer_change", args=[buyer.pk]), {
        "name": buyer.name, "buyer_type": "icb", "area": geo.gm_icb.pk, "placed_by": "name",
    })
    assert changed.status_code == 302
    buyer.refresh_from_db()
    assert (buyer.buyer_type, buyer.area) == ("icb", geo.gm_icb)


def test_a_search_by_place_names_the_place_in_the_count(client, geo):
    make_opportunity(title="Kent notice", buyer=make_buyer(name="Kent County Council", area=geo.kent))
    make_opportunity(title="Manchester notice", buyer=make_buyer(name="Manchester City Council",
                                                                 area=geo.manchester))
    text = client.get(LIST, {"place": "Maidstone"}).content.decode()
    assert "1 opportunity matches your search for Maidstone" in text
    assert "Kent notice" in text and "Manchester notice" not in text

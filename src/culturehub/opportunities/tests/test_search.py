"""The one opportunity search: every filter of the list page, through the form the page uses."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.utils import timezone

from culturehub.opportunities.models import Buyer, Relevance, Stage
from culturehub.opportunities.search import OpportunitySearchForm, opportunity_search
from culturehub.opportunities.tests.opportunity_factories import make_buyer, make_opportunity
from culturehub.places.tests.factories import make_geography

pytestmark = pytest.mark.django_db


@pytest.fixture
def geo(db):
    return make_geography()


def found(**params) -> list[str]:
    """Titles the search finds for these query parameters (lists for repeated ones), in order."""
    data = QueryDict(mutable=True)
    for name, value in params.items():
        data.setlist(name, value if isinstance(value, list) else [str(value)])
    form = OpportunitySearchForm(data)
    assert form.is_valid(), form.errors
    return [opportunity.title for opportunity in opportunity_search(filters=form.filters())]


def errors(**params) -> dict:
    data = QueryDict(mutable=True)
    for name, value in params.items():
        data.setlist(name, value if isinstance(value, list) else [str(value)])
    form = OpportunitySearchForm(data)
    assert not form.is_valid()
    return form.errors


class TestPlace:
    @pytest.fixture
    def notices(self, geo):
        for title, buyer, area in (
            ("Manchester", "Manchester City Council", geo.manchester),
            ("Maidstone", "Maidstone Borough Council", geo.maidstone),
            ("Kent", "Kent County Council", geo.kent),
            ("Dartford", "Dartford Borough Council", geo.dartford),
            ("Unplaced", "A body nobody could place", None),
        ):
            make_opportunity(title=title, buyer=make_buyer(name=buyer, area=area))
        make_opportunity(title="Kent ICB", buyer=make_buyer(name="NHS Kent and Medway ICB", area=geo.kent_icb,
                                                            buyer_type=Buyer.Type.ICB))

    def test_a_district_finds_its_own_buyers_and_the_county_and_icb_that_cover_it(self, notices):
        assert set(found(place="Maidstone", sort="updated")) == {"Maidstone", "Kent", "Kent ICB"}

    def test_a_county_finds_its_districts_and_the_icb_of_its_districts(self, notices):
        assert set(found(place="Kent")) == {"Maidstone", "Kent", "Kent ICB", "Dartford"}

    def test_an_icb_finds_the_councils_linked_to_it(self, notices):
        assert set(found(place="E54000032")) == {"Maidstone", "Kent ICB", "Dartford"}

    def test_a_place_by_ons_code_is_the_same_as_by_name(self, notices):
        assert found(place="E08000003") == found(place="Manchester") == ["Manchester"]

    def test_a_place_that_does_not_exist_is_an_error_that_says_what_to_enter(self, notices):
        assert "We could not find a place called “Atlantis”" in errors(place="Atlantis")["place"][0]


class TestThemesAndArtForms:
    @pytest.fixture
    def notices(self, vocabulary):
        make_opportunity(title="Wellbeing singing", themes=["mental_health", "isolation"],
                         art_forms=["singing"])
        make_opportunity(title="Memory cafe", themes=["dementia"], art_forms=["music"])
        make_opportunity(title="Nothing tagged")

    def test_a_theme_finds_the_notices_tagged_with_it(self, notices):
        assert found(theme="isolation") == ["Wellbeing singing"]

    def test_two_themes_find_notices_with_either(self, notices):
        assert set(found(theme=["isolation", "dementia"])) == {"Wellbeing singing", "Memory cafe"}

    def test_an_art_form_finds_the_notices_tagged_with_it(self, notices):
        assert found(art_form="music") == ["Memory cafe"]

    def test_a_theme_not_in_the_vocabulary_is_an_error(self, notices):
        assert "theme" in errors(theme="astrology")


class TestDeadline:
    @pytest.fixture
    def notices(self, db):
        make_opportunity(title="In 3 days", deadline_days=3)
        make_opportunity(title="In 20 days", deadline_days=20)
        make_opportunity(title="In 60 days", deadline_days=60)
        make_opportunity(title="Closed", deadline_days=-2)
        make_opportunity(title="Pipeline", stage=Stage.PIPELINE, deadline_days=None)
        make_opportunity(title="Awarded", stage=Stage.AWARD, deadline_days=None)
        make_opportunity(title="Lapsed tender", deadline_days=None, last_updated=timezone.now() - timedelta(
            days=600))

    def test_open_is_the_default_and_keeps_notices_not_yet_out_to_tender(self, notices):
        assert found() == found(deadline="open") == ["In 3 days", "In 20 days", "In 60 days", "Pipeline"]

    def test_a_notice_with_no_deadline_is_open_only_while_it_is_recent(self, notices):
        make_opportunity(title="Recent tender", deadline_days=None, last_updated=timezone.now() - timedelta(
            days=400))
        make_opportunity(title="Undated tender", deadline_days=None, last_updated=None)
        assert {"Recent tender", "Undated tender"} <= set(found())
        assert "Lapsed tender" not in found()

    def test_closing_within_7_days(self, notices):
        assert found(deadline="7") == ["In 3 days"]

    def test_closing_within_30_days(self, notices):
        assert found(deadline="30") == ["In 3 days", "In 20 days"]

    def test_any_includes_closed_and_awarded_notices_and_puts_them_last(self, notices):
        assert found(deadline="any") == ["In 3 days", "In 20 days", "In 60 days", "Pipeline", "Closed",
                                         "Awarded", "Lapsed tender"]


class TestStageValueAndSuitability:
    @pytest.fixture
    def notices(self, db):
        make_opportunity(title="Small", value_amount=Decimal("5000"), suitable_for_sme=True)
        make_opportunity(title="Middle", value_amount=Decimal("50000"), suitable_for_vcse=True,
                         stage=Stage.PLANNING)
        make_opportunity(title="Large", value_amount=Decimal("900000"), suitable_for_sme=True,
                         suitable_for_vcse=True)
        make_opportunity(title="No value", stage=Stage.PIPELINE)

    def test_stage_filter(self, notices):
        assert set(found(stage=["planning", "pipeline"])) == {"Middle", "No value"}

    def test_value_at_least(self, notices):
        assert found(value_min="50000") == ["Middle", "Large"]

    def test_value_between_leaves_out_notices_with_no_value(self, notices):
        assert found(value_min="1000", value_max="60000") == ["Small", "Middle"]

    def test_a_lowest_value_above_the_highest_is_an_error(self, notices):
        assert errors(value_min="9", value_max="1")["value_max"] == [
            "The highest value must be the same as or more than the lowest value"
        ]

    def test_a_value_that_is_not_a_number_says_how_to_write_it(self, notices):
        assert errors(value_min="lots")["value_min"] == [
            "Enter the lowest value as a whole number of pounds, like 10000"
        ]

    def test_sme_and_vcse_each_narrow_the_search(self, notices):
        assert found(suitable="sme") == ["Small", "Large"]
        assert found(suitable="vcse") == ["Middle", "Large"]
        assert found(suitable=["sme", "vcse"]) == ["Large"]


class TestRelevanceBuyerAndWords:
    @pytest.fixture
    def notices(self, db):
        make_opportunity(title="Arts commission", relevance=Relevance.DIRECT,
                         buyer=make_buyer(name="Leeds City Council"))
        make_opportunity(title="Befriending service", relevance=Relevance.ADJACENT,
                         buyer=make_buyer(name="NHS West Yorkshire ICB", buyer_type=Buyer.Type.ICB),
                         description="Reducing loneliness for older people.")
        make_opportunity(title="Roof repairs at the museum", relevance=Relevance.NONE)

    def test_by_default_notices_judged_not_for_the_sector_are_left_out(self, notices):
        assert set(found(deadline="any")) == {"Arts commission", "Befriending service"}

    def test_choosing_none_shows_them(self, notices):
        assert found(relevance="none") == ["Roof repairs at the museum"]

    def test_choosing_direct_only(self, notices):
        assert found(relevance="direct") == ["Arts commission"]

    def test_buyer_name_and_type(self, notices):
        assert found(buyer="leeds") == ["Arts commission"]
        assert found(buyer_type="icb") == ["Befriending service"]

    def test_words_match_title_description_and_buyer(self, notices):
        assert found(q="loneliness") == ["Befriending service"]
        assert found(q="Leeds") == ["Arts commission"]


class TestSorting:
    @pytest.fixture
    def notices(self, db):
        make_opportunity(title="Soon, weak match", deadline_days=2, relevance_score=0.5)
        make_opportunity(title="Later, strong match", deadline_days=40, relevance_score=0.99)
        make_opportunity(title="No deadline", stage=Stage.PLANNING, deadline_days=None, relevance_score=0.7)

    def test_by_deadline_soonest_first_and_no_deadline_after(self, notices):
        assert found(sort="deadline") == ["Soon, weak match", "Later, strong match", "No deadline"]

    def test_by_relevance_most_sure_first(self, notices):
        assert found(sort="relevance") == ["Later, strong match", "No deadline", "Soon, weak match"]

    def test_by_relevance_cultural_work_comes_before_work_the_sector_could_join(self, notices):
        make_opportunity(title="Sure befriending service", relevance=Relevance.ADJACENT, relevance_score=1.0)
        assert found(sort="relevance")[-1] == "Sure befriending service"

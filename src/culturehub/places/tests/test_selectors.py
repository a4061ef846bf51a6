from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from culturehub.places import selectors
from culturehub.places.comparisons import (
    ALL_RESULTS,
    BETTER,
    HIGHER,
    IS_ENGLAND,
    LOWER,
    NO_CI,
    NO_ENGLAND,
    NO_VALUE,
    SIMILAR,
    WORSE,
    compare_with_england,
)
from culturehub.places.models import Area, Indicator
from culturehub.places.tests.factories import (
    make_geography,
    make_import_run,
    make_indicator,
    make_value,
)

HIGH, LOW, NONE = "high_is_good", "low_is_good", "no_judgement"


def compare(value, lower, upper, england, polarity=NONE):
    return compare_with_england(
        value=value, lower_ci=lower, upper_ci=upper, england_value=england, polarity=polarity
    )


# --------------------------------------------------------------------------- comparisons

def test_it_calls_a_figure_similar_when_englands_value_is_inside_the_interval():
    assert compare(10, 9, 11, 10.5, HIGH) is SIMILAR


def test_it_calls_a_figure_similar_when_englands_value_is_on_the_edge_of_the_interval():
    assert compare(10, 9, 11, 11, LOW) is SIMILAR


def test_a_wholly_higher_interval_is_better_when_high_is_good():
    assert compare(12, 11, 13, 10, HIGH) is BETTER


def test_a_wholly_higher_interval_is_worse_when_low_is_good():
    assert compare(12, 11, 13, 10, LOW) is WORSE


def test_a_wholly_lower_interval_is_worse_when_high_is_good_and_better_when_low_is_good():
    assert compare(8, 7, 9, 10, HIGH) is WORSE
    assert compare(8, 7, 9, 10, LOW) is BETTER


def test_with_no_judgement_it_says_higher_or_lower_without_judging():
    assert compare(12, 11, 13, 10, NONE) is HIGHER
    assert compare(8, 7, 9, 10, NONE) is LOWER
    assert HIGHER.label == "Higher than England"


def test_a_figure_without_a_confidence_interval_is_not_compared():
    result = compare(12, None, None, 10, HIGH)
    assert result is NO_CI
    assert result.label == "Not compared (no confidence interval)"
    assert compare(12, 11, None, 10, HIGH) is NO_CI


def test_it_says_when_there_is_no_england_value():
    assert compare(12, 11, 13, None, HIGH) is NO_ENGLAND
    assert "no England value" in NO_ENGLAND.label


def test_a_missing_value_is_not_compared():
    assert compare(None, 11, 13, 10, HIGH) is NO_VALUE
    assert compare(float("nan"), 11, 13, 10, HIGH) is NO_VALUE


def test_limits_in_the_wrong_order_give_the_same_answer():
    assert compare(12, 13, 11, 10, HIGH) is BETTER


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
polarities = st.sampled_from([HIGH, LOW, NONE])


@given(value=finite, a=finite, b=finite, england=finite, polarity=polarities)
def test_the_comparison_follows_the_interval_and_the_polarity(value, a, b, england, polarity):
    result = compare(value, a, b, england, polarity)
    low, high = min(a, b), max(a, b)
    assert result in ALL_RESULTS
    if low <= england <= high:
        assert result is SIMILAR
    elif low > england:
        assert result is {HIGH: BETTER, LOW: WORSE, NONE: HIGHER}[polarity]
    else:
        assert result is {HIGH: WORSE, LOW: BETTER, NONE: LOWER}[polarity]


@given(value=finite, a=finite, b=finite, england=finite)
def test_swapping_the_polarity_swaps_better_and_worse(value, a, b, england):
    swap = {BETTER: WORSE, WORSE: BETTER, SIMILAR: SIMILAR}
    assert compare(value, a, b, england, LOW) is swap[compare(value, a, b, england, HIGH)]


@given(value=finite, a=finite, b=finite, england=finite)
def test_mirroring_every_figure_turns_higher_into_lower(value, a, b, england):
    mirror = {HIGHER: LOWER, LOWER: HIGHER, SIMILAR: SIMILAR}
    assert compare(-value, -a, -b, -england) is mirror[compare(value, a, b, england)]


# --------------------------------------------------------------------------- choosing a breakdown

def test_it_headlines_persons_all_ages_with_no_category():
    candidates = {
        ("Female", "All ages", "", ""): 2023,
        ("Persons", "All ages", "Deprivation deciles", "Most deprived decile"): 2023,
        ("Persons", "All ages", "", ""): 2021,
        ("Persons", "65+ yrs", "", ""): 2023,
    }
    assert selectors.choose_breakdown(candidates) == ("Persons", "All ages", "", "")


def test_without_all_ages_it_prefers_the_breakdown_with_no_category():
    candidates = {
        ("Persons", "65+ yrs", "", ""): 2022,
        ("Persons", "65+ yrs", "Deprivation deciles", "Least deprived decile"): 2023,
    }
    assert selectors.choose_breakdown(candidates) == ("Persons", "65+ yrs", "", "")


def test_among_equally_good_breakdowns_it_takes_the_most_recent():
    candidates = {("Female", "<18 yrs", "", ""): 2020, ("Male", "<18 yrs", "", ""): 2022}
    assert selectors.choose_breakdown(candidates) == ("Male", "<18 yrs", "", "")


# --------------------------------------------------------------------------- a place in context

@pytest.fixture
def geo(db):
    return make_geography()


def test_a_metropolitan_borough_is_its_own_upper_tier(geo):
    context = selectors.area_context(area=geo.manchester)
    assert context.is_own_upper_tier
    assert context.upper_tier is None
    assert context.region == geo.north_west
    assert [(link.icb, link.whole) for link in context.icbs] == [(geo.gm_icb, True)]
    assert context.districts == []


def test_a_district_has_its_county_region_and_icb_with_its_share(geo):
    from culturehub.places.models import AreaIcb

    other_icb = Area.objects.create(code="E54000034", name="NHS Frimley ICB", kind=Area.Kind.ICB)
    AreaIcb.objects.filter(area=geo.sevenoaks).update(share=0.8)
    AreaIcb.objects.create(area=geo.sevenoaks, icb=other_icb, share=0.2)
    context = selectors.area_context(area=geo.sevenoaks)
    assert context.upper_tier == geo.kent
    assert not context.is_own_upper_tier
    assert context.region == geo.south_east
    assert [(link.icb.code, link.whole, link.share_percent) for link in context.icbs] == [
        ("E54000034", False, 20), ("E54000032", False, 80),
    ]


def test_a_county_lists_its_districts_and_the_icbs_of_its_districts(geo):
    context = selectors.area_context(area=geo.kent)
    assert [district.name for district in context.districts] == ["Dartford", "Maidstone", "Sevenoaks"]
    assert [(link.icb, link.whole) for link in context.icbs] == [(geo.kent_icb, True)]


def test_a_county_icb_that_misses_part_of_a_district_covers_only_part(geo):
    from culturehub.places.models import AreaIcb

    AreaIcb.objects.filter(area=geo.dartford).update(share=0.9)
    context = selectors.area_context(area=geo.kent)
    assert [link.whole for link in context.icbs] == [False]


def test_an_icb_lists_the_local_authorities_it_covers(geo):
    context = selectors.area_context(area=geo.kent_icb)
    assert [member.name for member, _share in context.icb_members] == ["Dartford", "Maidstone", "Sevenoaks"]


def test_a_region_lists_its_upper_tier_councils(geo):
    context = selectors.area_context(area=geo.south_east)
    assert context.region_members == [geo.kent]


# --------------------------------------------------------------------------- indicators

def test_the_headline_is_the_latest_period_compared_with_england_for_the_same_period(geo):
    indicator = make_indicator(key="smoking", polarity=Indicator.Polarity.LOW_IS_GOOD, unit="%")
    make_value(indicator=indicator, area=geo.manchester, period="2021", value=20, lower_ci=19, upper_ci=21)
    make_value(indicator=indicator, area=geo.manchester, period="2023", value=18, lower_ci=17, upper_ci=19)
    make_value(indicator=indicator, area=geo.england, period="2021", value=15, lower_ci=14.9, upper_ci=15.1)
    make_value(indicator=indicator, area=geo.england, period="2023", value=18.5)

    summary = selectors.area_indicator_summary(area=geo.manchester)
    [figures] = summary.headlines
    assert figures.latest.period == "2023"
    assert figures.latest.value.value == 18
    assert figures.latest.england.value == 18.5
    assert figures.latest.comparison is SIMILAR
    assert [point.comparison for point in figures.points] == [WORSE, SIMILAR]
    assert summary.not_loaded == []


def test_england_is_matched_on_sex_and_age_too(geo):
    indicator = make_indicator(key="falls")
    make_value(indicator=indicator, area=geo.manchester, age="65+ yrs", value=3000, lower_ci=2900,
               upper_ci=3100)
    make_value(indicator=indicator, area=geo.england, age="All ages", value=1000)
    make_value(indicator=indicator, area=geo.england, age="65+ yrs", value=2000)
    [figures] = selectors.area_indicator_summary(area=geo.manchester).headlines
    assert figures.latest.england.value == 2000
    assert figures.latest.comparison is HIGHER


def test_suppressed_figures_are_skipped_for_the_headline(geo):
    indicator = make_indicator(key="suicide")
    make_value(indicator=indicator, area=geo.manchester, period="2022", value=10)
    make_value(indicator=indicator, area=geo.manchester, period="2023", value=None)
    [figures] = selectors.area_indicator_summary(area=geo.manchester).headlines
    assert figures.latest.period == "2022"


def test_an_indicator_with_no_figure_for_the_place_is_listed_as_not_loaded(geo):
    loaded = make_indicator(key="loaded")
    missing = make_indicator(key="missing")
    make_value(indicator=loaded, area=geo.manchester, value=1)
    make_value(indicator=missing, area=geo.england, value=2)
    summary = selectors.area_indicator_summary(area=geo.manchester)
    assert [figures.indicator for figures in summary.headlines] == [loaded]
    assert summary.not_loaded == [missing]


def test_a_place_with_no_figures_has_nothing_to_show(geo):
    make_indicator(key="loaded")
    summary = selectors.area_indicator_summary(area=geo.kent)
    assert not summary.has_any
    assert [indicator.key for indicator in summary.not_loaded] == ["loaded"]


def test_without_an_england_value_it_says_so(geo):
    indicator = make_indicator(key="local-only")
    make_value(indicator=indicator, area=geo.manchester, value=5, lower_ci=4, upper_ci=6)
    [figures] = selectors.area_indicator_summary(area=geo.manchester).headlines
    assert figures.latest.england is None
    assert figures.latest.comparison is NO_ENGLAND


def test_englands_own_profile_is_the_comparator(geo):
    indicator = make_indicator(key="smoking")
    make_value(indicator=indicator, area=geo.england, value=12, lower_ci=11, upper_ci=13)
    summary = selectors.area_indicator_summary(area=geo.england)
    assert summary.is_england
    assert summary.headlines[0].latest.comparison is IS_ENGLAND


def test_ons_wellbeing_for_a_county_comes_by_district(geo):
    wellbeing = make_indicator(key="ons-life-satisfaction", polarity=Indicator.Polarity.HIGH_IS_GOOD,
                               source=None)
    for district, value in ((geo.maidstone, 7.6), (geo.dartford, 7.0)):
        make_value(indicator=wellbeing, area=district, period="2020/21", value=value,
                   lower_ci=value - 0.2, upper_ci=value + 0.1)
    make_value(indicator=wellbeing, area=geo.england, period="2020/21", value=7.4)
    # A county figure, if one were ever loaded, is not shown: the measure is published by district.
    make_value(indicator=wellbeing, area=geo.kent, period="2020/21", value=7.3, lower_ci=7.2, upper_ci=7.4)

    summary = selectors.area_indicator_summary(area=geo.kent)
    assert summary.headlines == []
    [table] = summary.district_tables
    assert [(row.area.name, row.latest.comparison) for row in table.rows] == [
        ("Dartford", WORSE), ("Maidstone", SIMILAR),
    ]
    assert summary.not_loaded == []


def test_a_district_shows_its_own_ons_wellbeing_figure(geo):
    wellbeing = make_indicator(key="ons-happiness")
    make_value(indicator=wellbeing, area=geo.maidstone, period="2020/21", value=7.4)
    summary = selectors.area_indicator_summary(area=geo.maidstone)
    assert [figures.indicator for figures in summary.headlines] == [wellbeing]


def test_the_import_date_comes_from_the_run_or_else_the_indicator(geo):
    finished = timezone.make_aware(datetime(2025, 3, 4, 10, 0))
    run = make_import_run(finished_at=finished)
    with_run = make_indicator(key="a-with-run")
    without_run = make_indicator(key="b-without-run")
    make_value(indicator=with_run, area=geo.manchester, value=1, import_run=run)
    make_value(indicator=without_run, area=geo.manchester, value=1)
    first, second = selectors.area_indicator_summary(area=geo.manchester).headlines
    assert first.imported_at == finished
    assert abs(second.imported_at - without_run.updated_at) < timedelta(seconds=1)


def test_headline_indicators_come_first(geo):
    plain = make_indicator(key="a-plain", name="A plain indicator")
    headline = make_indicator(key="z-headline", name="Z headline indicator", headline=True)
    for indicator in (plain, headline):
        make_value(indicator=indicator, area=geo.manchester, value=1)
    summary = selectors.area_indicator_summary(area=geo.manchester)
    assert [figures.indicator for figures in summary.headlines] == [headline, plain]


def test_a_series_can_be_asked_for_by_breakdown(geo):
    indicator = make_indicator(key="falls")
    make_value(indicator=indicator, area=geo.manchester, sex="Persons", value=1)
    make_value(indicator=indicator, area=geo.manchester, sex="Female", value=2)
    assert selectors.indicator_series(area=geo.manchester, indicator=indicator).latest.value.value == 1
    female = selectors.indicator_series(area=geo.manchester, indicator=indicator, sex="Female")
    assert female.latest.value.value == 2
    assert selectors.indicator_series(area=geo.manchester, indicator=indicator, sex="Male") is None


# --------------------------------------------------------------------------- search

def test_search_finds_a_name_in_any_case_and_part_of_it(geo):
    assert list(selectors.area_search(query="manch")) == [geo.manchester, geo.gm_icb]
    assert list(selectors.area_search(query="MANCHESTER"))[0] == geo.manchester


def test_search_puts_exact_and_leading_matches_first(geo):
    Area.objects.create(code="E07000999", name="West Kent Borough", kind=Area.Kind.DISTRICT)
    names = [area.name for area in selectors.area_search(query="kent")]
    assert names[0] == "Kent"
    assert set(names) == {"Kent", "West Kent Borough", "NHS Kent and Medway Integrated Care Board"}


def test_search_finds_current_codes_and_old_codes(geo):
    assert list(selectors.area_search(query="E0800000")) == [geo.manchester]
    assert list(selectors.area_search(query="e07000201")) == [geo.west_suffolk]
    assert list(selectors.area_search(query="forest heath")) == [geo.west_suffolk]


def test_search_filters_by_kind(geo):
    assert set(selectors.area_search(query="e", kinds=["district"])) == {
        geo.maidstone, geo.dartford, geo.sevenoaks, geo.west_suffolk,
    }
    assert list(selectors.area_search(query="", kinds=["county"])) == [geo.kent, geo.west_suffolk.upper_tier]


def test_an_exact_code_resolves_current_and_old_codes(geo):
    assert selectors.area_exact_match(query=" e08000003 ") == (geo.manchester, None)
    area, alias = selectors.area_exact_match(query="E07000201")
    assert area == geo.west_suffolk and alias.name == "Forest Heath"
    assert selectors.area_exact_match(query="Manchester") == (None, None)
    assert selectors.area_resolve(code="E07000201") == geo.west_suffolk

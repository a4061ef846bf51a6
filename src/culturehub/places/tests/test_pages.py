import re
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from culturehub.places.models import Area, Indicator
from culturehub.places.tests.factories import (
    make_geography,
    make_import_run,
    make_indicator,
    make_priority,
    make_source,
    make_value,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def geo(db):
    return make_geography()


def html_of(response) -> str:
    return response.content.decode()


def text_of(response) -> str:
    """The page's visible words, tags removed and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html_of(response)))


def title_of(response) -> str:
    return re.search(r"<title>(.*?)</title>", html_of(response), re.S).group(1).strip()


def assert_sound_structure(response):
    """One h1; headings never skip a level; every table has a caption and scoped headers."""
    page = html_of(response)
    assert page.count("<h1") == 1
    levels = [int(level) for level in re.findall(r"<h([1-6])[\s>]", page)]
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, f"heading h{after} follows h{before}"
    for table in re.findall(r"<table.*?</table>", page, re.S):
        assert "<caption" in table
        assert all("scope=" in header for header in re.findall(r"<th[\s>][^>]*", table))


def manchester_figures(geo, *, count=2):
    """Indicators with figures for Manchester and England, over three periods."""
    run = make_import_run(finished_at=timezone.make_aware(datetime(2025, 3, 4, 9, 30)))
    source = make_source()
    indicators = []
    for number in range(count):
        indicator = make_indicator(
            key=f"indicator-{number}", name=f"Indicator number {number}", unit="%", source=source,
            polarity=Indicator.Polarity.LOW_IS_GOOD,
        )
        for year, value in ((2021, 20.5), (2022, 21.5), (2023, 22.5)):
            make_value(indicator=indicator, area=geo.manchester, period=str(year), value=value + number,
                       lower_ci=value + number - 0.5, upper_ci=value + number + 0.5, import_run=run)
            make_value(indicator=indicator, area=geo.england, period=str(year), value=17.0, import_run=run)
        indicators.append(indicator)
    return indicators


# --------------------------------------------------------------------------- profile: finding it

def test_an_old_code_redirects_to_the_current_profile_and_says_why(client, geo):
    response = client.get("/places/E07000201/", follow=True)
    assert response.redirect_chain == [("/places/E07000245/", 302)]
    assert "E07000201 (Forest Heath) is an old code. It is now part of West Suffolk" in text_of(response)


def test_a_lower_case_code_redirects_to_the_canonical_address(client, geo):
    response = client.get("/places/e08000003/")
    assert response.status_code == 302
    assert response["Location"] == "/places/E08000003/"


def test_an_unknown_code_gets_a_helpful_404_page(client, geo):
    response = client.get("/places/E99999999/")
    assert response.status_code == 404
    assert "Place not found" in text_of(response)
    assert "No place we hold has the code E99999999" in text_of(response)


# --------------------------------------------------------------------------- profile: context

def test_a_metropolitan_borough_shows_itself_as_its_upper_tier_with_its_icb_and_region(client, geo):
    response = client.get(reverse("places:detail", args=["E08000003"]))
    text = text_of(response)
    assert title_of(response).startswith("Manchester (E08000003) profile")
    assert "Manchester is its own upper tier" in text
    assert 'href="/places/E54000057/">NHS Greater Manchester Integrated Care Board</a>' in html_of(response)
    assert 'href="/places/E12000002/">North West</a>' in html_of(response)
    assert_sound_structure(response)


def test_a_district_links_its_county_and_shows_a_partial_icb(client, geo):
    from culturehub.places.models import AreaIcb

    AreaIcb.objects.filter(area=geo.sevenoaks).update(share=0.85)
    response = client.get(reverse("places:detail", args=["E07000111"]))
    page = html_of(response)
    assert 'href="/places/E10000016/">Kent</a>' in page
    assert "(part: 85% of Sevenoaks’s small areas)" in text_of(response)


def test_a_county_links_its_districts_and_their_icb(client, geo):
    response = client.get(reverse("places:detail", args=["E10000016"]))
    page = html_of(response)
    for code, name in (("E07000107", "Dartford"), ("E07000110", "Maidstone"), ("E07000111", "Sevenoaks")):
        assert f'href="/places/{code}/">{name}</a>' in page
    assert 'href="/places/E54000032/">NHS Kent and Medway Integrated Care Board</a>' in page
    assert "(part" not in text_of(response)
    assert "Kent is the upper tier: the county council runs public health" in text_of(response)


# --------------------------------------------------------------------------- profile: indicators

def test_headline_figures_show_value_england_comparison_and_source(client, geo):
    manchester_figures(geo, count=1)
    response = client.get(reverse("places:detail", args=["E08000003"]))
    text = text_of(response)
    assert "Indicator number 0" in text
    assert "22.5%" in text and "22.0% to 23.0%" in text  # latest value and its interval
    assert "17.0%" in text  # England for the same period
    assert "Worse than England" in text  # interval wholly above England, and low is good
    assert 'href="https://fingertips.phe.org.uk/">OHID Fingertips</a>' in html_of(response)
    assert "Open Government Licence v3.0" in text
    assert "Period: 2023" in text
    assert "Imported 4 March 2025" in text
    assert_sound_structure(response)


def test_the_profile_has_a_spine_chart_and_a_trend_chart_with_tables(client, geo):
    manchester_figures(geo, count=2)
    page = html_of(client.get(reverse("places:detail", args=["E08000003"])))
    assert page.count('role="img"') == 3  # one spine chart, two trend charts
    assert 'aria-labelledby="spine-chart-title spine-chart-desc"' in page
    assert 'id="trend-indicator-0-title"' in page
    assert "Headline indicators for Manchester and England, latest period</caption>" in page
    assert "Indicator number 1: Manchester and England by period</caption>" in page
    assert "style=" not in page


def test_the_spine_chart_leaves_out_counts_but_the_table_keeps_them(client, geo):
    from culturehub.places.tests.factories import make_indicator, make_value

    population = make_indicator(key="resident-population", name="Resident population", value_type="Count")
    make_value(indicator=population, area=geo.manchester, value=568_996, period="2022")
    make_value(indicator=population, area=geo.england, value=57_106_398, period="2022")
    rate = make_indicator(key="smoking", name="Smoking prevalence", value_type="Proportion")
    make_value(indicator=rate, area=geo.manchester, value=15.0, period="2022", lower_ci=14.0, upper_ci=16.0)
    make_value(indicator=rate, area=geo.england, value=12.0, period="2022")
    page = html_of(client.get(reverse("places:detail", args=["E08000003"])))
    start = page.index('id="spine-chart-title"')
    chart = page[start:page.index("</svg>", start)]
    assert "Smoking prevalence" in chart
    assert "Resident population" not in chart
    assert "Resident population</th>" in page or "Resident population" in page.split("</svg>", 1)[1]


def test_a_place_with_no_figures_says_not_loaded_and_shows_no_number(client, geo):
    manchester_figures(geo, count=1)
    response = client.get(reverse("places:detail", args=["E06000015"]))
    assert response.status_code == 404  # Derby is not loaded at all in these tests
    response = client.get(reverse("places:detail", args=["E07000110"]))
    text = text_of(response)
    assert "Not loaded for Maidstone." in text
    assert "We hold no indicator figures for Maidstone yet" in text
    assert "Indicator number 0 (OHID Fingertips)" in text
    assert 'role="img"' not in html_of(response)
    assert not re.search(r"\d+\.\d%", text)


def test_an_indicator_missing_for_the_place_is_listed_as_not_loaded(client, geo):
    manchester_figures(geo, count=1)
    missing = make_indicator(key="missing", name="Loneliness in adults")
    make_value(indicator=missing, area=geo.england, value=7.1)
    text = text_of(client.get(reverse("places:detail", args=["E08000003"])))
    assert "Not loaded for Manchester" in text
    assert "Loneliness in adults (OHID Fingertips)" in text


def test_a_county_shows_ons_wellbeing_by_district(client, geo):
    ons = make_source(key="ons-wellbeing", name="ONS personal wellbeing")
    satisfaction = make_indicator(key="ons-life-satisfaction", name="Life satisfaction", source=ons,
                                  polarity=Indicator.Polarity.HIGH_IS_GOOD)
    make_value(indicator=satisfaction, area=geo.maidstone, period="2020/21", value=7.61, lower_ci=7.5,
               upper_ci=7.7)
    make_value(indicator=satisfaction, area=geo.dartford, period="2020/21", value=7.2, lower_ci=7.0,
               upper_ci=7.3)
    make_value(indicator=satisfaction, area=geo.england, period="2020/21", value=7.38)
    response = client.get(reverse("places:detail", args=["E10000016"]))
    text = text_of(response)
    assert "Figures by district of Kent, 2020/21" in text
    header = '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Life satisfaction</th>'
    assert header in html_of(response)
    assert "published for district councils, not for counties" in text
    assert "Dartford 7.2 7.0 to 7.3 Worse than England" in text
    assert "Maidstone 7.6 7.5 to 7.7 Better than England" in text
    assert "Sevenoaks Not loaded for Sevenoaks" in text
    assert "England 7.4" in text
    assert 'href="/places/E07000110/">Maidstone</a>' in html_of(response)
    assert_sound_structure(response)


def test_an_indicator_with_one_period_has_no_trend_line(client, geo):
    indicator = make_indicator(key="once", name="Once only")
    make_value(indicator=indicator, area=geo.manchester, value=3, period="2020/21")
    text = text_of(client.get(reverse("places:detail", args=["E08000003"])))
    assert "Only one period is loaded (2020/21), so there is no trend to show." in text
    assert "Not compared (no England value for this period)" in text


def test_englands_profile_shows_its_figures_without_comparing_them_with_itself(client, geo):
    indicator = make_indicator(key="smoking", name="Smoking")
    make_value(indicator=indicator, area=geo.england, value=12.3, period="2022")
    make_value(indicator=indicator, area=geo.england, value=11.9, period="2023")
    response = client.get(reverse("places:detail", args=["E92000001"]))
    text = text_of(response)
    assert "Every other place is compared with these figures for England." in text
    assert "Compared with England" not in text
    assert "11.9" in text
    assert_sound_structure(response)


# --------------------------------------------------------------------------- profile: priorities

def test_priorities_show_their_themes_and_source(client, geo, vocabulary):
    from culturehub.vocabulary.models import Term

    themes = Term.objects.themes().filter(key__in=["mental_health", "isolation"])
    make_priority(area=geo.manchester, title="Mental wellness and balance", themes=themes,
                  source_url="https://example.org/manchester-strategy", publisher="Manchester HWB")
    response = client.get(reverse("places:detail", args=["E08000003"]))
    text = text_of(response)
    assert "Mental wellness and balance" in text
    for term in themes:
        assert term.label in text
    link = ('href="https://example.org/manchester-strategy">'
            "Joint Health and Wellbeing Strategy 2022 to 2030</a>")
    assert link in html_of(response)
    assert "Health and Wellbeing Strategy" in text and "2022-2030" in text and "Manchester HWB" in text
    assert_sound_structure(response)


def test_a_place_without_priorities_says_so_plainly(client, geo):
    text = text_of(client.get(reverse("places:detail", args=["E10000016"])))
    assert "No published priorities recorded for Kent." in text
    assert "We record only priorities from documents we could find" in text


# --------------------------------------------------------------------------- profile: query counts

def _profile_queries(client, code) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse("places:detail", args=[code])).status_code == 200
    return len(context.captured_queries)


def test_the_profile_runs_the_same_queries_however_many_indicators_and_priorities(
    client, geo, vocabulary, django_assert_max_num_queries
):
    from culturehub.vocabulary.models import Term

    manchester_figures(geo, count=1)
    make_priority(area=geo.manchester, title="First", themes=Term.objects.themes()[:2])
    baseline = _profile_queries(client, "E08000003")

    for number in range(1, 8):
        indicator = make_indicator(key=f"more-{number}", name=f"More {number}")
        make_value(indicator=indicator, area=geo.manchester, value=number, lower_ci=0, upper_ci=number + 1,
                   import_run=make_import_run())
        make_value(indicator=indicator, area=geo.england, value=number)
        make_priority(area=geo.manchester, title=f"Priority {number}", themes=Term.objects.themes()[:3])
    with django_assert_max_num_queries(baseline):
        response = client.get(reverse("places:detail", args=["E08000003"]))
    assert text_of(response).count("More ") >= 7


def test_a_county_profile_runs_the_same_queries_however_many_districts(
    client, geo, django_assert_max_num_queries
):
    ons = make_indicator(key="ons-happiness", name="Happiness")
    for district in (geo.maidstone, geo.dartford):
        make_value(indicator=ons, area=district, value=7.1, period="2020/21")
    baseline = _profile_queries(client, "E10000016")

    for number in range(8):
        district = Area.objects.create(code=f"E0700090{number}", name=f"District {number}",
                                       kind=Area.Kind.DISTRICT, upper_tier=geo.kent, region=geo.south_east)
        geo.kent_icb.district_links.create(area=district, share=1.0)
        make_value(indicator=ons, area=district, value=7.0 + number / 10, period="2020/21")
    with django_assert_max_num_queries(baseline):
        response = client.get(reverse("places:detail", args=["E10000016"]))
    assert "District 7" in text_of(response)


# --------------------------------------------------------------------------- search

def test_an_empty_search_shows_the_pilot_places_and_regions(client, geo):
    response = client.get(reverse("places:search"))
    text = text_of(response)
    assert title_of(response).startswith("Find a place")
    assert "Pilot places" in text
    assert 'href="/places/E08000003/">Manchester</a>' in html_of(response)
    assert 'href="/places/E10000016/">Kent</a>' in html_of(response)
    assert 'href="/places/?region=E12000002">Places in North West</a>' in html_of(response)
    assert_sound_structure(response)


def test_searching_by_part_of_a_name_lists_matches(client, geo):
    response = client.get(reverse("places:search"), {"q": "KEN"})
    text = text_of(response)
    assert title_of(response).startswith("Places matching “KEN”")
    assert "2 places found" in text
    assert 'href="/places/E10000016/">Kent</a>' in html_of(response)
    assert "County council (upper tier) · E10000016 · South East" in text


def test_an_exact_code_goes_straight_to_the_profile(client, geo):
    response = client.get(reverse("places:search"), {"q": "e08000003"})
    assert response.status_code == 302
    assert response["Location"] == "/places/E08000003/"


def test_an_exact_old_code_goes_to_the_current_place_and_says_so(client, geo):
    response = client.get(reverse("places:search"), {"q": "E07000201"}, follow=True)
    assert response.redirect_chain[-1][0] == "/places/E07000245/"
    assert "E07000201 (Forest Heath) is an old code. It is now part of West Suffolk (E07000245)." in text_of(
        response)


def test_a_partial_old_code_says_which_place_it_is_now_part_of(client, geo):
    text = text_of(client.get(reverse("places:search"), {"q": "E0700020"}))
    assert "Old code E07000201 (Forest Heath) now part of West Suffolk" in text


def test_search_filters_by_kind(client, geo):
    response = client.get(reverse("places:search"), {"q": "kent", "kind": ["icb"]})
    text = text_of(response)
    assert "1 place found" in text
    assert "NHS Kent and Medway Integrated Care Board" in text
    assert 'value="icb" checked' in html_of(response)


def test_browsing_a_region_lists_its_places(client, geo):
    response = client.get(reverse("places:search"), {"region": "E12000008"})
    assert title_of(response).startswith("Places in South East")
    text = text_of(response)
    for name in ("Kent", "Maidstone", "Dartford", "Sevenoaks"):
        assert name in text
    assert "Manchester" not in text.split("places found")[1]


def test_no_results_gives_helpful_suggestions(client, geo):
    text = text_of(client.get(reverse("places:search"), {"q": "Atlantis"}))
    assert "0 places found" in text
    assert "No place matches “Atlantis”." in text
    assert "check the spelling" in text


def test_search_results_are_paginated_keeping_the_query(client, geo):
    for number in range(30):
        Area.objects.create(code=f"E070008{number:02d}", name=f"Testborough {number:02d}",
                            kind=Area.Kind.DISTRICT)
    first = client.get(reverse("places:search"), {"q": "testborough", "kind": "district"})
    assert text_of(first).count("Testborough") == 25
    assert 'href="?q=testborough&amp;kind=district&amp;page=2"' in html_of(first)
    second = client.get(reverse("places:search"), {"q": "testborough", "kind": "district", "page": 2})
    assert text_of(second).count("Testborough") == 5
    assert title_of(second).startswith("Places matching “testborough” (page 2 of 2)")


def test_the_search_page_runs_the_same_queries_however_many_results(
    client, geo, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as context:
        client.get(reverse("places:search"), {"q": "e"})
    baseline = len(context.captured_queries)
    for number in range(20):
        Area.objects.create(code=f"E070007{number:02d}", name=f"Elsewhere {number}", kind=Area.Kind.DISTRICT,
                            upper_tier=geo.kent, region=geo.south_east)
    with django_assert_max_num_queries(baseline):
        response = client.get(reverse("places:search"), {"q": "e"})
    assert "Elsewhere 19" in text_of(response)

from datetime import datetime

import pytest
from django.utils import timezone

from culturehub.places.models import Indicator
from culturehub.places.tests.factories import (
    make_geography,
    make_import_run,
    make_indicator,
    make_priority,
    make_value,
)
from culturehub.vocabulary.models import Term

pytestmark = pytest.mark.django_db


@pytest.fixture
def geo(db):
    return make_geography()


@pytest.fixture
def smoking(geo):
    run = make_import_run(finished_at=timezone.make_aware(datetime(2025, 3, 4, 9, 30)))
    indicator = make_indicator(key="smoking", name="Smoking prevalence", unit="%",
                               polarity=Indicator.Polarity.LOW_IS_GOOD)
    for year, value in ((2022, 19.0), (2021, 20.0), (2023, 18.0)):
        make_value(indicator=indicator, area=geo.manchester, period=str(year), value=value,
                   lower_ci=value - 0.5, upper_ci=value + 0.5, count=100, import_run=run)
        make_value(indicator=indicator, area=geo.england, period=str(year), value=12.0, lower_ci=11.9,
                   upper_ci=12.1, import_run=run)
    return indicator


# --------------------------------------------------------------------------- search

def test_search_returns_matching_places_with_their_context(client, geo):
    body = client.get("/api/places/", {"q": "sevenoaks"}).json()
    assert body["count"] == 1
    [place] = body["items"]
    assert place["code"] == "E07000111"
    assert place["kind"] == "district"
    assert place["upper_tier"]["code"] == "E10000016"
    assert place["region"]["name"] == "South East"
    assert place["profile_url"] == "/places/E07000111/"
    assert place["old_code"] is None


def test_search_by_old_code_says_which_old_code_matched(client, geo):
    [place] = client.get("/api/places/", {"q": "E07000201"}).json()["items"]
    assert place["code"] == "E07000245"
    assert place["old_code"] == "E07000201"


def test_search_filters_by_kind_and_pages(client, geo):
    body = client.get("/api/places/", {"kind": ["district"], "limit": 2}).json()
    assert body["count"] == 4
    assert len(body["items"]) == 2
    assert {place["kind"] for place in body["items"]} == {"district"}


def test_search_with_no_query_lists_every_place(client, geo):
    assert client.get("/api/places/").json()["count"] == 13


# --------------------------------------------------------------------------- a place

def test_a_place_comes_with_context_headline_figures_and_priorities(client, geo, smoking, vocabulary):
    dementia = Term.objects.themes().filter(key="dementia")
    make_priority(area=geo.manchester, title="Start well", themes=dementia)
    body = client.get("/api/places/E08000003").json()
    assert body["area"]["name"] == "Manchester"
    assert body["is_own_upper_tier"] is True
    assert body["region"]["code"] == "E12000002"
    assert body["icbs"] == [{
        "code": "E54000057", "name": "NHS Greater Manchester Integrated Care Board", "kind": "icb",
        "kind_label": "Integrated Care Board", "profile_url": "/places/E54000057/",
        "whole": True, "share": 1.0,
    }]
    [headline] = body["headline_indicators"]
    assert headline["indicator"]["key"] == "smoking"
    assert headline["indicator"]["source"]["licence"] == "Open Government Licence v3.0"
    assert headline["latest"]["period"] == "2023"
    assert headline["latest"]["value"] == 18.0
    assert headline["latest"]["england_value"] == 12.0
    assert headline["latest"]["comparison"] == {
        "key": "worse", "label": "Worse than England", "compared": True,
    }
    assert headline["imported_at"].startswith("2025-03-04")
    assert headline["series_url"] == "/api/places/E08000003/indicators/smoking"
    assert body["not_loaded"] == []
    [priority] = body["priorities"]
    assert priority["title"] == "Start well"
    assert priority["themes"] == [{"key": "dementia", "label": "Dementia"}]
    assert priority["document_type_label"] == "Health and Wellbeing Strategy"


def test_a_county_has_its_districts_and_wellbeing_by_district(client, geo):
    ons = make_indicator(key="ons-anxiety", name="Anxiety", polarity=Indicator.Polarity.LOW_IS_GOOD)
    make_value(indicator=ons, area=geo.maidstone, period="2020/21", value=3.1, lower_ci=2.9, upper_ci=3.3)
    body = client.get("/api/places/E10000016").json()
    assert [district["name"] for district in body["districts"]] == ["Dartford", "Maidstone", "Sevenoaks"]
    assert body["headline_indicators"] == []
    [table] = body["indicators_by_district"]
    assert table["indicator"]["key"] == "ons-anxiety"
    assert table["districts"][0]["area"]["code"] == "E07000110"
    assert table["districts"][0]["latest"]["comparison"]["key"] == "no_england"


def test_an_old_code_gives_the_current_place(client, geo):
    assert client.get("/api/places/E07000201").json()["area"]["code"] == "E07000245"


def test_an_unknown_place_is_a_404_with_a_reason(client, geo):
    response = client.get("/api/places/E99999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "No place has the code E99999999."}


# --------------------------------------------------------------------------- a series

def test_a_series_lists_every_period_in_order_with_intervals_and_england(client, geo, smoking):
    body = client.get("/api/places/E08000003/indicators/smoking").json()
    assert body["breakdown"] == {"sex": "Persons", "age": "All ages", "category_type": "", "category": ""}
    assert [point["period"] for point in body["series"]] == ["2021", "2022", "2023"]
    first = body["series"][0]
    assert (first["value"], first["lower_ci"], first["upper_ci"]) == (20.0, 19.5, 20.5)
    england = (first["england_value"], first["england_lower_ci"], first["england_upper_ci"])
    assert england == (12.0, 11.9, 12.1)
    assert first["count"] == 100
    assert first["comparison"]["key"] == "worse"


def test_a_series_for_an_unknown_indicator_or_one_not_loaded_is_a_404(client, geo, smoking):
    assert client.get("/api/places/E08000003/indicators/nothing").status_code == 404
    response = client.get("/api/places/E10000016/indicators/smoking")
    assert response.status_code == 404
    assert response.json()["detail"] == "Smoking prevalence is not loaded for Kent."


def test_the_openapi_document_describes_the_places_endpoints(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/places/" in paths
    assert "/api/places/{code}" in paths
    assert "/api/places/{code}/indicators/{key}" in paths

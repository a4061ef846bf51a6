"""The search page and its CSV download, as a browser without JavaScript uses them."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from culturehub.directory.search_views import CSV_COLUMNS
from culturehub.directory.tests.test_search import make_offer, make_organisation
from culturehub.places.tests.factories import make_geography
from culturehub.places.tests.test_pages import assert_sound_structure, html_of, text_of, title_of

pytestmark = pytest.mark.django_db
URL = "/directory/search/"


@pytest.fixture
def geo(db):
    return make_geography()


@pytest.fixture
def listings(geo, vocabulary):
    riverside = make_organisation("Riverside Arts")
    make_offer(riverside, "Kent singing for the brain", text="Singing for people living with dementia.",
               areas=[geo.kent], themes=["dementia"], art_forms=["singing"], price="free",
               referral_routes=["self"])
    make_offer(riverside, "Maidstone clay club", text="Pottery for people who feel lonely.",
               areas=[geo.maidstone], themes=["isolation"], art_forms=["visual_arts"], price="per_session",
               price_amount="4.50", referral_routes=["social_prescribing"])
    make_offer(make_organisation("Northern Stage"), "Manchester youth theatre", text="Drama for teenagers.",
               areas=[geo.manchester], themes=["children_young_people"], art_forms=["theatre"])
    return riverside


def test_the_url_has_its_name_in_the_directory_namespace():
    assert reverse("directory:search") == URL
    assert reverse("directory:search_csv") == URL + "results.csv"


def test_the_empty_page_lists_every_offer_and_works_as_a_plain_form(client, listings):
    response = client.get(URL)

    assert response.status_code == 200
    assert_sound_structure(response)
    page = html_of(response)
    assert title_of(response).startswith("Search the directory")
    assert '<form method="get"' in page and "<script" not in page.split("<main")[1].split("</main>")[0]
    assert "3 offers found" in text_of(response)
    # Every filter is a fieldset with a legend.
    assert page.count("<fieldset") == page.count("<legend") == 8
    assert "Dementia (1) result" in text_of(response)


def test_a_search_shows_facet_counts_and_keeps_the_ticked_filters(client, listings):
    response = client.get(URL, {"q": "people", "theme": "dementia"})

    text = text_of(response)
    assert "1 offer found" in text and "Kent singing for the brain" in text
    assert "Maidstone clay club" not in text
    # Theme counts ignore the theme filter; art forms count within it.
    assert "Loneliness and social isolation (1) result" in text
    assert "Visual arts (0) results" in text and "Singing (1) result" in text
    assert 'id="theme-dementia" name="theme" type="checkbox" value="dementia" checked' in html_of(response)
    assert title_of(response).startswith("Offers matching “people”")


def test_a_county_search_marks_offers_that_serve_part_of_it(client, listings):
    response = client.get(URL, {"place": "Kent"})

    text = text_of(response)
    assert "2 offers found for Kent" in text
    assert "Serves part of Kent: Maidstone" in text
    assert "Manchester youth theatre" not in text


def test_a_place_can_be_given_by_its_ons_code(client, listings):
    response = client.get(URL, {"place": "e07000110"})

    assert "2 offers found for Maidstone" in text_of(response)
    assert "Serves part of" not in text_of(response)


def test_an_unknown_place_gets_an_error_message_and_no_results(client, listings):
    response = client.get(URL, {"place": "Atlantis", "theme": "dementia"})

    text = text_of(response)
    assert response.status_code == 200
    assert "There is a problem" in text
    assert "We could not find a place called “Atlantis”" in text
    assert '<a href="#id_place">' in html_of(response)
    assert title_of(response).startswith("Error: ")
    assert "offers found" not in text
    # The ticked filters stay ticked.
    assert 'value="dementia" checked' in html_of(response)


def test_no_results_gives_help(client, listings):
    response = client.get(URL, {"q": "zeppelin"})

    text = text_of(response)
    assert "0 offers found" in text and "No offers match your search" in text
    assert "remove some filters" in text
    assert "Download these results as CSV" not in text


def test_an_empty_directory_says_how_to_load_the_examples(client, db):
    assert "No organisation has published an offer yet" in text_of(client.get(URL))


def test_pages_keep_the_query(client, geo):
    org = make_organisation()
    for number in range(30):
        make_offer(org, f"Printmaking {number:02d}", areas=[geo.kent])

    first = client.get(URL, {"q": "printmaking", "place": "Kent"})
    second = client.get(URL, {"q": "printmaking", "place": "Kent", "page": 2})

    assert 'href="?q=printmaking&amp;place=Kent&amp;page=2"' in html_of(first)
    assert html_of(first).count('<h3 class="govuk-heading-s') == 25
    assert html_of(second).count('<h3 class="govuk-heading-s') == 5
    assert "(page 2 of 2)" in title_of(second)


def _csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_the_csv_has_a_header_row_and_the_same_results_as_the_page(client, listings):
    response = client.get(URL + "results.csv", {"place": "Kent"})

    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv_rows(response)
    assert rows[0] == [name for name, _description in CSV_COLUMNS]
    records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert [record["offer"] for record in records] == ["Kent singing for the brain", "Maidstone clay club"]
    clay = records[1]
    assert clay["place_match"] == "part" and clay["areas_served"] == "Maidstone"
    assert clay["price"] == "Per session" and clay["price_amount"] == "4.50"
    assert clay["referral_routes"] == "Social prescribing" and clay["organisation"] == "Riverside Arts"


def test_the_page_links_to_the_csv_with_the_same_parameters(client, listings):
    page = html_of(client.get(URL, {"q": "singing", "theme": "dementia"}))

    assert 'href="/directory/search/results.csv?q=singing&amp;theme=dementia"' in page


def test_csv_cells_that_spreadsheets_would_run_as_formulas_are_defused(client, db):
    make_offer(make_organisation("=HYPERLINK(1)"), "Safe offer")

    rows = _csv_rows(client.get(URL + "results.csv"))

    assert rows[1][0] == "'=HYPERLINK(1)"


def test_the_csv_refuses_an_unknown_place(client, db):
    response = client.get(URL + "results.csv", {"place": "Atlantis"})

    assert response.status_code == 400
    assert "We could not find a place called" in response.content.decode()


def _page_queries(client, params) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(context.captured_queries), text_of(response)


def test_a_page_of_25_results_runs_a_fixed_number_of_queries(client, geo, vocabulary):
    org = make_organisation()
    make_offer(org, "Choir 0", text="singing", areas=[geo.kent], themes=["dementia"], art_forms=["singing"])
    params = {"q": "singing", "place": "Maidstone", "theme": "dementia"}
    few, _text = _page_queries(client, params)

    for number in range(1, 40):
        other = make_organisation(f"Organisation {number}")
        make_offer(other, f"Choir {number}", text="singing", areas=[geo.kent, geo.maidstone, geo.dartford],
                   themes=["dementia", "isolation"], art_forms=["singing", "music"], populations=["carers"])
    many, text = _page_queries(client, params)

    assert text.count("Choir ") >= 25 and "page 1 of 2" in text
    assert many == few
    # Form choices (2), finding the place (3), what covers it (2), the terms, the consortia; one statement
    # for the total, every facet's counts and the page's ids; the page's offers with their themes and
    # areas (3) = 13, on SQLite and PostgreSQL alike.
    assert many == 13


def test_each_result_links_to_its_offer_and_organisation(client, listings):
    page = html_of(client.get(URL, {"q": "singing"}))

    offer = listings.offers.get(name="Kent singing for the brain")
    offer_url = reverse("directory:offer_detail", args=[offer.pk])
    assert f'href="{offer_url}">Kent singing for the brain</a>' in page
    assert f'href="{reverse("directory:organisation_detail", args=[listings.pk])}">Riverside Arts</a>' in page

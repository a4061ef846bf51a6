"""The Open Referral UK read API: every endpoint's real responses checked against the UK profile.

The directory is built with the factories below (a Leeds arts charity with two venues and two
published offers, plus records that must never appear); the vocabulary is the bundled one.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from culturehub.directory.models import (
    Offer,
    OfferVenue,
    Organisation,
    OrganisationIdentifier,
    Status,
    Venue,
)
from culturehub.directory.oruk.api import MAX_PER_PAGE
from culturehub.directory.oruk.ids import taxonomy_id, taxonomy_term_id
from culturehub.directory.oruk.throttling import ORUK_RATE
from culturehub.directory.oruk.validation import validation_errors
from culturehub.places.models import Area
from culturehub.vocabulary.models import Term

pytestmark = pytest.mark.django_db

BASE = "/api/oruk"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """The throttle counts requests in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


# Factories ---------------------------------------------------------------------------------------

def make_organisation(**fields) -> Organisation:
    defaults = {
        "name": "Leeds Community Arts",
        "legal_form": Organisation.LegalForm.CHARITY,
        "description": "Participatory arts with communities across Leeds.",
        "website": "https://leedscommunityarts.example.org/",
        "email": "hello@leedscommunityarts.example.org",
        "status": Status.PUBLISHED,
    }
    return Organisation.objects.create(**{**defaults, **fields})


def make_venue(organisation: Organisation, **fields) -> Venue:
    defaults = {
        "name": "Chapeltown Community Centre",
        "address": "2 Reginald Terrace",
        "town": "Leeds",
        "postcode": "LS7 3EZ",
        "latitude": 53.8197,
        "longitude": -1.5336,
        "accessibility": "Step-free entrance and an accessible toilet on the ground floor.",
    }
    return Venue.objects.create(organisation=organisation, **{**defaults, **fields})


def term(scheme: str, key: str) -> Term:
    return Term.objects.get(scheme__key=scheme, key=key)


def make_offer(organisation: Organisation, *, terms: dict | None = None, areas=(), venues=(), **fields):
    defaults = {
        "name": "Singing for wellbeing",
        "description": "A weekly community choir for older people who feel lonely.",
        "status": Status.PUBLISHED,
    }
    offer = Offer.objects.create(organisation=organisation, **{**defaults, **fields})
    for field, values in (terms or {}).items():
        getattr(offer, field).set(values)
    offer.areas_served.set(areas)
    for venue in venues:
        OfferVenue.objects.create(offer=offer, venue=venue)
    return offer


@pytest.fixture
def directory(vocabulary):
    leeds = Area.objects.create(code="E08000035", name="Leeds", kind=Area.Kind.METROPOLITAN)
    charity = make_organisation()
    OrganisationIdentifier.objects.create(organisation=charity, scheme="GB-CHC", identifier="1123456")
    chapeltown = make_venue(charity)
    holbeck = make_venue(
        charity, name="Holbeck Library", address="Nineveh Road", postcode="LS11 9QQ",
        latitude=53.7888, longitude=-1.5611, accessibility="",
    )
    choir = make_offer(
        charity,
        terms={
            "art_forms": [term("art_forms", "singing")],
            "populations": [term("populations", "older_people")],
            "themes": [term("themes", "isolation")],
            "delivery_settings": [term("settings", "community_venues")],
        },
        areas=[leeds],
        venues=[chapeltown, holbeck],
        minimum_age=50,
        price=Offer.Price.PER_SESSION,
        price_amount=Decimal("3.50"),
        schedule="Tuesdays, 2pm to 4pm, in term time",
        languages=["en", "ur"],
        contact_name="Asha Patel",
        contact_email="asha@leedscommunityarts.example.org",
        contact_phone="0113 496 0000",
        url="https://leedscommunityarts.example.org/choir",
    )
    dance = make_offer(
        charity,
        name="Family dance workshops",
        description="Saturday morning dance for children under 12 and the grown-ups who bring them.",
        terms={"art_forms": [term("art_forms", "dance")], "populations": [term("populations", "families")]},
        venues=[holbeck],
        minimum_age=0,
        maximum_age=11,
    )
    draft_offer = make_offer(charity, name="Draft drumming circle", status=Status.DRAFT)
    hidden_charity = make_organisation(name="Not Yet Published Theatre", status=Status.DRAFT)
    hidden_offer = make_offer(hidden_charity, name="Hidden theatre club", venues=[make_venue(hidden_charity)])
    return {
        "choir": choir, "dance": dance, "draft_offer": draft_offer, "hidden_offer": hidden_offer,
        "chapeltown": chapeltown, "holbeck": holbeck, "charity": charity, "leeds": leeds,
    }


def get(client, path: str, **params):
    return client.get(f"{BASE}{path}", params)


def names(response) -> list[str]:
    """The services' names in alphabetical order (the API lists them in id order)."""
    return sorted(item["name"] for item in response.json()["contents"])


# Validation against the UK profile -------------------------------------------------------------------

def endpoint_cases(data) -> list[tuple[str, str]]:
    choir = data["choir"]
    row = OfferVenue.objects.filter(offer=choir).first()
    return [
        ("/services", "services"),
        (f"/services/{choir.pk}", "service"),
        (f"/services/{data['dance'].pk}", "service"),
        ("/taxonomies", "taxonomies"),
        (f"/taxonomies/{taxonomy_id('art_forms')}", "taxonomy"),
        ("/taxonomy_terms", "taxonomy_terms"),
        (f"/taxonomy_terms/{taxonomy_term_id('art_forms', 'singing')}", "taxonomy_term"),
        ("/service_at_locations", "service_at_locations"),
        (f"/service_at_locations/{row.pk}", "service_at_location"),
    ]


def test_every_endpoint_answers_json_that_validates_against_the_uk_profile(client, directory):
    for path, kind in endpoint_cases(directory):
        response = get(client, path, per_page=MAX_PER_PAGE)
        assert response.status_code == 200, path
        errors = validation_errors(kind, response.json(), strict=True)
        assert errors == [], f"{path}: {errors}"


def test_the_validation_catches_an_id_that_is_not_a_uuid(client, directory):
    data = get(client, f"/services/{directory['choir'].pk}").json()
    data["service_at_locations"][0]["location"]["id"] = "chapeltown-1"

    assert validation_errors("service", data) == [
        "service_at_locations[0].location.id: 'chapeltown-1' is not a 'uuid'"
    ]


def test_the_strict_validation_refuses_fields_the_uk_profile_drops(client, directory):
    data = get(client, f"/services/{directory['choir'].pk}").json()
    data["phones"] = [{"id": str(uuid.uuid4()), "number": "0113 496 0000"}]

    assert validation_errors("service", data) == []
    assert len(validation_errors("service", data, strict=True)) == 1


def test_the_root_describes_the_api_and_where_its_openapi_document_is(client, db):
    data = get(client, "/").json()

    assert data == {
        "version": "HSDS-UK-3.0",
        "profile": "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md",
        "openapi_url": "http://testserver/api/openapi.json",
    }


def test_the_openapi_document_lists_every_oruk_path(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]

    for path in ("/", "/services", "/services/{id}", "/taxonomies", "/taxonomies/{id}", "/taxonomy_terms",
                 "/taxonomy_terms/{id}", "/service_at_locations", "/service_at_locations/{id}"):
        assert f"{BASE}{path}" in paths
        assert list(paths[f"{BASE}{path}"]) == ["get"]


# Services ---------------------------------------------------------------------------------------------

def test_services_lists_only_published_offers_of_published_organisations(client, directory):
    response = get(client, "/services")

    assert names(response) == ["Family dance workshops", "Singing for wellbeing"]
    assert response["Content-Type"] == "application/json; charset=utf-8"


def test_a_service_carries_its_organisation_terms_areas_prices_and_venues(client, directory):
    choir = directory["choir"]
    data = get(client, f"/services/{choir.pk}").json()

    assert data["id"] == str(choir.pk)
    assert data["status"] == "active"
    assert data["minimum_age"] == 50
    assert "maximum_age" not in data
    assert data["email"] == "asha@leedscommunityarts.example.org"
    assert data["organization"]["organization_identifiers"][0]["identifier_scheme"] == "GB-CHC"
    assert data["organization"]["organization_identifiers"][0]["identifier"] == "1123456"
    assert data["cost_options"][0]["amount"] == 3.5
    assert data["cost_options"][0]["option"] == "Per session"
    assert data["schedules"][0]["description"] == "Tuesdays, 2pm to 4pm, in term time"
    assert data["service_areas"][0]["name"] == "Leeds"
    assert data["service_areas"][0]["uri"].endswith("/E08000035")
    assert data["contacts"][0]["name"] == "Asha Patel"
    assert len(data["languages"]) == 2
    singing = next(item for item in data["attributes"] if item["link_type"] == "art_form")
    assert singing["taxonomy_term"]["name"] == "Singing"
    assert singing["taxonomy_term"]["parent_id"] == str(taxonomy_term_id("art_forms", "music"))
    assert {item["link_type"] for item in data["attributes"]} == {"art_form", "audience", "priority_theme",
                                                                  "setting"}
    locations = {item["location"]["name"]: item for item in data["service_at_locations"]}
    assert locations["Chapeltown Community Centre"]["location"]["addresses"][0]["postal_code"] == "LS7 3EZ"
    assert locations["Chapeltown Community Centre"]["location"]["accessibility"][0]["description"]
    assert "accessibility" not in locations["Holbeck Library"]["location"]


def test_a_free_service_costs_nothing(client, directory):
    data = get(client, f"/services/{directory['dance'].pk}").json()

    assert data["cost_options"] == [
        {"id": data["cost_options"][0]["id"], "service_id": data["id"], "option": "Free", "amount": 0}
    ]


def test_ids_of_child_objects_stay_the_same_between_requests(client, directory):
    path = f"/services/{directory['choir'].pk}"

    assert get(client, path).json() == get(client, path).json()


@pytest.mark.parametrize("which", ["random", "not_a_uuid", "draft_offer", "hidden_offer"])
def test_an_unknown_or_unpublished_service_is_a_json_404(client, directory, which):
    ids = {"random": str(uuid.uuid4()), "not_a_uuid": "choir"}
    service_id = ids.get(which) or str(directory[which].pk)

    response = get(client, f"/services/{service_id}")

    assert response.status_code == 404
    assert response.json() == {"detail": f"There is no published service with the id '{service_id}'."}
    assert response["Access-Control-Allow-Origin"] == "*"


def test_unknown_taxonomies_terms_and_services_at_locations_are_json_404s(client, directory):
    hidden_row = OfferVenue.objects.get(offer=directory["hidden_offer"])
    for path in (f"/taxonomies/{uuid.uuid4()}", f"/taxonomy_terms/{uuid.uuid4()}", "/taxonomy_terms/music",
                 f"/service_at_locations/{hidden_row.pk}", f"/service_at_locations/{uuid.uuid4()}"):
        response = get(client, path)
        assert response.status_code == 404, path
        assert response.json()["detail"].startswith("There is no published")


# Paging ----------------------------------------------------------------------------------------------------

def test_the_page_object_describes_where_the_page_sits(client, directory):
    first = get(client, "/services", per_page=1).json()
    second = get(client, "/services", per_page=1, page=2).json()

    assert {key: value for key, value in first.items() if key != "contents"} == {
        "total_items": 2, "total_pages": 2, "page_number": 1, "size": 1,
        "first_page": True, "last_page": False, "empty": False,
    }
    assert (second["page_number"], second["first_page"], second["last_page"]) == (2, False, True)
    assert sorted(item["id"] for item in first["contents"] + second["contents"]) == sorted(
        str(directory[key].pk) for key in ("choir", "dance")
    )
    assert first["contents"][0]["id"] < second["contents"][0]["id"]  # id order: stable between pages


def test_a_page_past_the_end_is_empty_not_an_error(client, directory):
    data = get(client, "/services", page=9).json()

    assert (data["total_items"], data["size"], data["empty"], data["last_page"]) == (2, 0, True, True)
    assert data["contents"] == []


def test_no_results_give_an_empty_first_and_last_page(client, directory):
    data = get(client, "/services", search="zither").json()

    assert data == {"total_items": 0, "total_pages": 0, "page_number": 1, "size": 0, "first_page": True,
                    "last_page": True, "empty": True, "contents": []}


def test_per_page_is_capped(client, directory):
    charity = directory["charity"]
    Offer.objects.bulk_create(
        Offer(organisation=charity, name=f"Workshop {number:03d}", description="Clay.",
              status=Status.PUBLISHED)
        for number in range(MAX_PER_PAGE + 5)
    )

    data = get(client, "/services", per_page=5000).json()

    assert data["size"] == MAX_PER_PAGE
    assert data["total_items"] == MAX_PER_PAGE + 7
    assert data["total_pages"] == 2


@pytest.mark.parametrize("params", [{"per_page": 0}, {"page": 0}, {"page": "two"}, {"minimum_age": "old"}])
def test_bad_paging_or_filter_values_are_refused_with_json(client, directory, params):
    response = get(client, "/services", **params)

    assert response.status_code == 422
    assert "detail" in response.json()
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_services_list_takes_the_same_queries_for_one_or_many(
    client, directory, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the count and the page
        get(client, "/services", per_page=1)
    with django_assert_num_queries(2):
        get(client, "/services", per_page=50)


def test_a_full_service_takes_a_fixed_number_of_queries(client, directory, django_assert_num_queries):
    with django_assert_num_queries(9):
        get(client, f"/services/{directory['choir'].pk}")
    with django_assert_num_queries(9):
        get(client, f"/services/{directory['dance'].pk}")


# Filters ------------------------------------------------------------------------------------------------

def test_search_matches_every_word_in_names_and_descriptions_whatever_the_case(client, directory):
    assert names(get(client, "/services", search="CHOIR lonely")) == ["Singing for wellbeing"]
    assert names(get(client, "/services", search="choir saturday")) == []
    assert len(names(get(client, "/services", search="leeds community arts"))) == 2


def test_taxonomy_term_id_finds_services_with_that_term(client, directory):
    singing = taxonomy_term_id("art_forms", "singing")

    assert names(get(client, "/services", taxonomy_term_id=str(singing))) == ["Singing for wellbeing"]
    assert names(get(client, "/services", taxonomy_term_id=str(uuid.uuid4()))) == []


def test_taxonomy_id_finds_services_with_any_term_of_that_taxonomy(client, directory):
    assert len(names(get(client, "/services", taxonomy_id=str(taxonomy_id("populations"))))) == 2
    themes = str(taxonomy_id("themes"))
    assert names(get(client, "/services", taxonomy_id=themes)) == ["Singing for wellbeing"]
    assert names(get(client, "/services", taxonomy_id=str(taxonomy_id("outcomes")))) == []


def test_age_filters_follow_the_profiles_wording(client, directory):
    # minimum_age: "a minimum age of at least"; maximum_age: "a maximum age equal to or below".
    assert names(get(client, "/services", minimum_age=18)) == ["Singing for wellbeing"]
    assert names(get(client, "/services", maximum_age=12)) == ["Family dance workshops"]
    assert names(get(client, "/services", maximum_age=10)) == []


def test_modified_after_finds_services_changed_since(client, directory):
    long_ago = timezone.now() - timedelta(days=30)
    Offer.objects.update(updated_at=long_ago)
    Organisation.objects.update(updated_at=long_ago)
    Offer.objects.filter(pk=directory["dance"].pk).update(updated_at=timezone.now())
    since = (timezone.now() - timedelta(days=1)).isoformat()

    assert names(get(client, "/services", modified_after=since)) == ["Family dance workshops"]


def test_filters_apply_to_services_at_locations_too(client, directory):
    singing = str(taxonomy_term_id("art_forms", "singing"))
    data = get(client, "/service_at_locations", taxonomy_term_id=singing).json()

    assert data["total_items"] == 2
    assert {item["service"]["name"] for item in data["contents"]} == {"Singing for wellbeing"}


# Postcode and proximity ---------------------------------------------------------------------------------

def venue_names(response) -> list[str]:
    return sorted({item["location"]["name"] for item in response.json()["contents"]})


def test_a_postcode_finds_the_services_at_venues_there(client, directory):
    by_postcode = get(client, "/service_at_locations", postcode="ls73ez")
    assert venue_names(by_postcode) == ["Chapeltown Community Centre"]
    assert venue_names(get(client, "/service_at_locations", postcode="LS11")) == ["Holbeck Library"]


def test_proximity_keeps_venues_within_that_many_metres_of_the_postcode(client, directory):
    # Chapeltown to Holbeck is about 3.8 km as the crow flies.
    near = get(client, "/service_at_locations", postcode="LS7 3EZ", proximity="1000")
    far = get(client, "/service_at_locations", postcode="LS7 3EZ", proximity="5000")

    assert venue_names(near) == ["Chapeltown Community Centre"]
    assert venue_names(far) == ["Chapeltown Community Centre", "Holbeck Library"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"postcode": "SW1A 1AA", "proximity": "1000"}, "Culture Hub cannot place the postcode 'SW1A 1AA'"),
        ({"postcode": "not a postcode"}, "'not a postcode' is not a UK postcode"),
        ({"proximity": "1000"}, "proximity needs a postcode"),
        ({"postcode": "LS7 3EZ", "proximity": "a mile"}, "proximity must be a distance in metres"),
    ],
)
def test_a_postcode_that_cannot_be_used_is_a_clear_400(client, directory, params, message):
    response = get(client, "/service_at_locations", **params)

    assert response.status_code == 400
    assert response.json()["detail"].startswith(message)
    assert response["Access-Control-Allow-Origin"] == "*"


# Vocabulary as taxonomies --------------------------------------------------------------------------------

def test_each_vocabulary_scheme_is_a_taxonomy_with_a_stable_id(client, vocabulary):
    data = get(client, "/taxonomies").json()

    assert {item["name"] for item in data["contents"]} >= {"Art forms"}
    assert data["total_items"] == 5
    # uuid5 of a fixed namespace and the scheme (and term) key: pinned, because consumers store them.
    assert str(taxonomy_id("art_forms")) == "102ab29f-39ec-5cee-81ee-e7bcbeff73ac"
    assert str(taxonomy_term_id("art_forms", "music")) == "c5850e85-5293-55ed-b4f7-9b12318bb7f9"
    art_forms = next(item for item in data["contents"] if item["name"] == "Art forms")
    assert art_forms["id"] == str(taxonomy_id("art_forms"))
    assert art_forms["uri"] == "http://testserver/vocabulary/"


def test_a_taxonomy_lists_its_current_terms(client, vocabulary):
    data = get(client, f"/taxonomies/{taxonomy_id('art_forms')}").json()

    keys = [item["term"] for item in data["taxonomy_terms"]]
    assert keys[:2] == ["music", "singing"]
    assert len(keys) == Term.objects.current().filter(scheme__key="art_forms").count()


def test_taxonomy_terms_give_the_parent_of_narrower_terms(client, vocabulary):
    data = get(client, f"/taxonomy_terms/{taxonomy_term_id('art_forms', 'singing')}").json()

    assert data["name"] == "Singing"
    assert data["parent_id"] == str(taxonomy_term_id("art_forms", "music"))
    assert data["taxonomy_id"] == str(taxonomy_id("art_forms"))


def test_term_ids_survive_reloading_the_vocabulary(client, vocabulary):
    from culturehub.vocabulary.services import vocabulary_load

    before = get(client, "/taxonomy_terms", per_page=MAX_PER_PAGE).json()["contents"]
    vocabulary_load()
    after = get(client, "/taxonomy_terms", per_page=MAX_PER_PAGE).json()["contents"]

    assert [item["id"] for item in before] == [item["id"] for item in after]
    assert len(before) == Term.objects.current().count()


def test_retired_terms_are_not_published(client, vocabulary):
    Term.objects.filter(scheme__key="art_forms", key="circus").update(retired=True)

    response = get(client, f"/taxonomy_terms/{taxonomy_term_id('art_forms', 'circus')}")

    assert response.status_code == 404


# Open access: CORS and throttling -----------------------------------------------------------------------

def test_every_answer_allows_any_origin(client, directory):
    for path in ("/", "/services", "/taxonomies", "/service_at_locations", f"/services/{uuid.uuid4()}"):
        assert get(client, path)["Access-Control-Allow-Origin"] == "*", path


def test_a_cors_preflight_is_answered(client, db):
    response = client.options(
        f"{BASE}/services/{uuid.uuid4()}",
        headers={"Origin": "https://finder.example", "Access-Control-Request-Method": "GET",
                 "Access-Control-Request-Headers": "accept"},
    )

    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, OPTIONS"
    assert response["Access-Control-Allow-Headers"] == "accept"


def test_too_many_requests_from_one_address_are_throttled(client, db):
    allowed = int(ORUK_RATE.split("/")[0])
    for _ in range(allowed):
        assert get(client, "/").status_code == 200

    response = get(client, "/")

    assert response.status_code == 429
    assert response.json() == {"detail": "Too many requests."}
    assert int(response["Retry-After"]) > 0
    assert response["Access-Control-Allow-Origin"] == "*"
    # Another address still gets through.
    assert client.get(f"{BASE}/", REMOTE_ADDR="192.0.2.7").status_code == 200


def test_the_services_at_locations_list_takes_the_same_queries_for_one_or_many(
    client, directory, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the count and the page
        get(client, "/service_at_locations", per_page=1)
    with django_assert_num_queries(2):
        get(client, "/service_at_locations", per_page=50)


# Round trip ----------------------------------------------------------------------------------------------

def test_a_service_we_publish_imports_back_with_its_ids(client, directory, tmp_path):
    from culturehub.directory.oruk.importer import OrukImporter

    choir = directory["choir"]
    published = get(client, f"/services/{choir.pk}").json()
    feed = tmp_path / "choir.json"
    feed.write_text(json.dumps(published), encoding="utf-8")
    Organisation.objects.all().delete()

    run = OrukImporter().run(feed)

    assert (run.status, run.rows_created, run.rows_rejected) == ("succeeded", 1, 0)
    offer = Offer.objects.get()
    assert (offer.pk, offer.organisation_id) == (choir.pk, directory["charity"].pk)
    assert offer.is_cultural is True
    assert list(offer.areas_served.values_list("code", flat=True)) == ["E08000035"]
    assert sorted(str(pk) for pk in offer.offer_venues.values_list("pk", flat=True)) == sorted(
        item["id"] for item in published["service_at_locations"]
    )
    assert (offer.price, offer.price_amount, offer.schedule) == (
        Offer.Price.PER_SESSION, Decimal("3.50"), "Tuesdays, 2pm to 4pm, in term time"
    )

"""Importing Open Referral UK feeds: the profile's published examples and damaged copies of them.

The examples (in fixtures/oruk, see ATTRIBUTION.md there) are read as they are; each damaged copy
is made in its test so the one change is in plain sight. The network is never used: URL feeds are
served by a stand-in for requests.get.
"""

from __future__ import annotations

import copy
import json
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from django.core.management import call_command
from django.core.management.base import CommandError

from culturehub.core.models import ImportRun
from culturehub.directory.models import (
    Offer,
    OfferVenue,
    Organisation,
    OrganisationIdentifier,
    Origin,
    Status,
    Venue,
)
from culturehub.directory.oruk import importer as importer_module
from culturehub.directory.oruk.importer import OrukImporter, service_is_cultural

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "oruk"
SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
ORGANISATION_ID = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"


def example(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def write(tmp_path: Path, data, name: str = "feed.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def another_service(service: dict, **changes) -> dict:
    """A copy of the example service with a new id (and its nested ids) and the changes given."""
    other = copy.deepcopy(service)
    other["id"] = str(uuid.uuid4())
    other.pop("service_at_locations", None)
    other.update(changes)
    return other


def run_import(location) -> ImportRun:
    return OrukImporter().run(location)


def rejections(run: ImportRun) -> list[tuple[int, str, str]]:
    return [(error.line, error.field, error.message) for error in run.row_errors.all()]


# The examples ----------------------------------------------------------------------------------------

def test_a_full_service_becomes_an_organisation_an_offer_and_a_venue_with_the_feeds_ids():
    run = run_import(FIXTURES / "service_full.json")

    assert (run.status, run.rows_created, run.rows_rejected) == ("succeeded", 1, 0)
    offer = Offer.objects.get()
    assert str(offer.pk) == SERVICE_ID
    assert (offer.origin, offer.origin_id) == (Origin.ORUK, SERVICE_ID)
    assert offer.name == "Community Counselling"
    assert offer.status == Status.PUBLISHED
    assert (offer.minimum_age, offer.maximum_age) == (12, 100)
    assert (offer.price, offer.price_amount) == (Offer.Price.PER_SESSION, Decimal("35.00"))
    assert offer.contact_name == "Ann Persona"
    assert offer.contact_email == "email@example.com"
    assert offer.schedule.startswith("The service is available from 10 am to 6pm weekdays.")
    # Search finds it: the directory's own recipe filled its search text.
    assert "Community Counselling" in offer.search_text
    assert "Example Organization Inc." in offer.search_text
    organisation = offer.organisation
    assert str(organisation.pk) == ORGANISATION_ID
    assert (organisation.origin, organisation.origin_id) == (Origin.ORUK, ORGANISATION_ID)
    assert organisation.name == "Example Organization Inc."
    assert organisation.status == Status.PUBLISHED
    assert OrganisationIdentifier.objects.get().org_id == "GB-COH-1234567"
    venue = Venue.objects.get()
    assert str(venue.pk) == "3a19ff88-4620-4d17-9830-ac1d859eb5d5"
    assert (venue.name, venue.postcode, venue.town) == ("MyCity Civic Center", "ABC 1234", "MyCity")
    # The example's latitude of 100 is not on Earth: left out rather than stored.
    assert (venue.latitude, venue.longitude) == (None, None)
    assert str(OfferVenue.objects.get().pk) == "e94c9f38-1e8f-4564-91d4-d53501ab1765"


def test_counselling_is_not_flagged_as_cultural():
    run = run_import(FIXTURES / "service_full.json")

    assert Offer.objects.get().is_cultural is False
    assert "Services flagged as cultural: 0." in run.log


def test_a_page_of_services_loads_its_contents():
    run = run_import(FIXTURES / "service_list.json")

    assert (run.rows_read, run.rows_created) == (1, 1)
    assert str(Offer.objects.get().organisation_id) == ORGANISATION_ID


def stored() -> tuple:
    """Every field of the one offer, organisation and venue, timestamps included."""
    return Offer.objects.values().get(), Organisation.objects.values().get(), Venue.objects.values().get()


def test_a_second_run_of_the_same_feed_changes_nothing():
    run_import(FIXTURES / "service_full.json")
    before = stored()

    second = run_import(FIXTURES / "service_full.json")

    assert (second.rows_created, second.rows_updated, second.rows_unchanged) == (0, 0, 1)
    assert second.message.startswith("Read 1 rows: nothing changed")
    assert stored() == before
    assert (OfferVenue.objects.count(), OrganisationIdentifier.objects.count()) == (1, 1)


def test_a_changed_service_is_updated_in_place(tmp_path):
    run_import(FIXTURES / "service_full.json")
    service = example("service_full.json")
    service["name"] = "Community Counselling and Art Therapy"

    run = run_import(write(tmp_path, service))

    assert (run.rows_created, run.rows_updated) == (0, 1)
    offer = Offer.objects.get()
    assert offer.name == "Community Counselling and Art Therapy"
    assert offer.is_cultural is True


def test_a_service_the_feed_does_not_call_active_is_a_draft(tmp_path):
    service = example("service_full.json")
    service["status"] = "temporarily closed"

    run_import(write(tmp_path, service))

    assert Offer.objects.get().status == Status.DRAFT
    assert Organisation.objects.get().status == Status.DRAFT


def test_a_record_entered_here_with_the_same_id_is_left_alone(tmp_path):
    entered_organisation = Organisation.objects.create(
        pk=ORGANISATION_ID, name="Our own entry", legal_form="charity", description="Entered by hand.",
        status=Status.PUBLISHED,
    )
    entered_offer = Offer.objects.create(
        pk=SERVICE_ID, organisation=entered_organisation, name="Hand-made offer", description="Ours.",
        status=Status.PUBLISHED,
    )

    run = run_import(FIXTURES / "service_full.json")

    assert run.rows_created == 1
    entered_offer.refresh_from_db()
    assert (entered_offer.name, entered_offer.origin) == ("Hand-made offer", Origin.ENTERED)
    imported = Offer.objects.get(origin=Origin.ORUK)
    assert imported.origin_id == SERVICE_ID
    assert str(imported.pk) != SERVICE_ID
    assert imported.organisation.name == "Example Organization Inc."
    assert Organisation.objects.get(pk=ORGANISATION_ID).name == "Our own entry"


def test_services_missing_from_a_later_feed_are_kept(tmp_path):
    service = example("service_full.json")
    other = another_service(service, name="Sunday singing group")
    run_import(write(tmp_path, [service, other]))

    run = run_import(write(tmp_path, [service], name="smaller.json"))

    assert run.rows_unchanged == 1
    assert Offer.objects.count() == 2


def test_a_service_naming_an_organisation_described_earlier_loads(tmp_path):
    service = example("service_full.json")
    by_id_only = another_service(service, name="Drop-in art club", organization_id=ORGANISATION_ID)
    del by_id_only["organization"]

    run = run_import(write(tmp_path, [service, by_id_only]))

    assert (run.rows_created, run.rows_rejected) == (2, 0)
    assert Organisation.objects.count() == 1
    assert Offer.objects.get(name="Drop-in art club").is_cultural is True


# Damaged copies ------------------------------------------------------------------------------------------

def test_broken_services_are_reported_with_their_id_and_reason_and_the_good_ones_load(tmp_path):
    good = example("service_full.json")
    no_name = another_service(good)
    del no_name["name"]
    bad_id = another_service(good, id="service-42")
    wrong_type = another_service(good, minimum_age="twelve")
    not_an_object = "Community Counselling"

    run = run_import(write(tmp_path, [good, no_name, bad_id, wrong_type, not_an_object]))

    assert (run.status, run.rows_read, run.rows_created, run.rows_rejected) == ("succeeded", 5, 1, 4)
    assert rejections(run) == [
        (2, "name", f"Service '{no_name['id']}': name: 'name' is a required property."),
        (3, "id", "Service 'service-42': the id must be a UUID, as HSDS 3.0 requires."),
        (4, "minimum_age", f"Service '{wrong_type['id']}': minimum_age: 'twelve' is not of type 'number'."),
        (5, "", "Service 5 is a str, not a JSON object."),
    ]
    assert list(Offer.objects.values_list("name", flat=True)) == ["Community Counselling"]


def test_an_empty_name_is_refused(tmp_path):
    service = example("service_full.json")
    service["name"] = "   "

    run = run_import(write(tmp_path, service))

    assert rejections(run) == [
        (1, "name", f"Service '{SERVICE_ID}': the name is empty. Every service needs a name.")
    ]


def test_a_bad_organisation_id_or_no_organisation_is_refused(tmp_path):
    service = example("service_full.json")
    bad_organisation = another_service(service)
    bad_organisation["organization"]["id"] = "org-1"
    no_organisation = another_service(service)
    del no_organisation["organization"]
    unknown_organisation = another_service(service, organization_id=str(uuid.uuid4()))
    del unknown_organisation["organization"]

    run = run_import(write(tmp_path, [bad_organisation, no_organisation, unknown_organisation]))

    fields = [field for _line, field, _message in rejections(run)]
    assert fields == ["organization.id", "organization", "organization"]
    assert Offer.objects.count() == 0


def test_a_malformed_email_or_link_is_left_out_not_fatal(tmp_path):
    service = example("service_full.json")
    service["email"] = "not an email"
    service["url"] = "www example com"

    run = run_import(write(tmp_path, service))

    assert run.rows_created == 1
    offer = Offer.objects.get()
    assert (offer.contact_email, offer.url) == ("", "")


def test_a_file_that_is_not_json_fails_cleanly_with_exit_code_2(tmp_path):
    path = write(tmp_path, "<html><body>Service directory</body></html>", name="feed.html")

    with pytest.raises(CommandError) as raised:
        call_command("import_oruk", str(path))

    assert raised.value.returncode == 2
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(f"{path} is not JSON (Expecting value at line 1, column 1).")
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED
    assert Offer.objects.count() == 0


def test_json_that_is_not_a_feed_fails_cleanly(tmp_path):
    path = write(tmp_path, {"title": "Not a feed"})

    with pytest.raises(CommandError) as raised:
        call_command("import_oruk", str(path))

    assert raised.value.returncode == 2
    assert "is JSON but not an Open Referral UK feed" in str(raised.value)


def test_a_missing_file_fails_cleanly(tmp_path):
    with pytest.raises(CommandError) as raised:
        call_command("import_oruk", str(tmp_path / "nowhere.json"))

    missing = tmp_path / "nowhere.json"
    assert str(raised.value) == f"There is no file at {missing}. Check the path and try again."


def test_the_command_reports_what_it_did_and_what_it_rejected(tmp_path, capsys):
    service = example("service_full.json")
    broken = another_service(service)
    del broken["name"]

    call_command("import_oruk", str(write(tmp_path, [service, broken])))

    output = capsys.readouterr().out
    assert "Read 2 rows: 1 created, 0 updated, 0 unchanged, 1 rejected." in output
    assert f"line 2 (name): Service '{broken['id']}': name: 'name' is a required property." in output


def test_the_culturehub_command_knows_the_oruk_source():
    from culturehub.cli import IMPORT_COMMANDS

    assert IMPORT_COMMANDS["oruk"] == "import_oruk"


# URLs ------------------------------------------------------------------------------------------------------

class FakeResponse:
    def __init__(self, payload, status_code=200):
        self.status_code = status_code
        self.content = payload if isinstance(payload, bytes) else json.dumps(payload).encode()


@pytest.fixture
def feed(monkeypatch):
    """A stand-in ORUK API at https://council.example/oruk: the root and two pages of services."""
    service = example("service_list.json")["contents"][0]
    second = another_service(service, name="Ceramics for carers")
    pages = {
        "https://council.example/oruk": {"version": "HSDS-UK-3.0", "openapi_url": "https://council.example/o"},
        "https://council.example/oruk/services": {
            **example("service_list.json"), "total_items": 2, "total_pages": 2, "last_page": False,
        },
        "https://council.example/oruk/services?page=2": {
            **example("service_list.json"), "total_items": 2, "total_pages": 2, "page_number": 2,
            "first_page": False, "last_page": True, "contents": [second],
        },
    }
    requested = []

    def get(url, timeout, headers):
        requested.append(url)
        assert timeout == importer_module.TIMEOUT
        if url not in pages:
            return FakeResponse(b"Not found", status_code=404)
        return FakeResponse(pages[url])

    monkeypatch.setattr(importer_module.requests, "get", get)
    return requested


def test_an_api_base_url_is_read_page_by_page_until_the_last(feed):
    run = run_import("https://council.example/oruk")

    assert feed == [
        "https://council.example/oruk",
        "https://council.example/oruk/services",
        "https://council.example/oruk/services?page=2",
    ]
    assert (run.status, run.rows_created) == ("succeeded", 2)
    assert Offer.objects.get(name="Ceramics for carers").is_cultural is True
    assert "Read 2 page(s) from https://council.example/oruk/services." in run.log
    assert "Cultural: Ceramics for carers" in run.log


def test_a_url_that_answers_an_error_fails_the_run(feed):
    with pytest.raises(CommandError) as raised:
        call_command("import_oruk", "https://council.example/elsewhere")

    assert str(raised.value) == "https://council.example/elsewhere answered HTTP 404, not a feed."
    assert raised.value.returncode == 2


def test_no_network_is_a_clear_failure_and_changes_nothing(monkeypatch):
    run_import(FIXTURES / "service_full.json")

    def offline(url, timeout, headers):
        raise requests.ConnectionError("Name or service not known")

    monkeypatch.setattr(importer_module.requests, "get", offline)

    with pytest.raises(CommandError) as raised:
        call_command("import_oruk", "https://council.example/oruk")

    assert str(raised.value) == (
        "Could not read https://council.example/oruk: ConnectionError. Check the address and the connection."
    )
    assert Offer.objects.count() == 1


# The cultural rule ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "cultural", "words"),
    [
        ("Community choir for people living with dementia", True, ["community choir"]),
        ("Singing for the Brain at the library", True, ["singing for the brain", "library"]),
        ("Pottery and ceramics for carers", True, ["pottery", "ceramics"]),
        ("Counselling for anxiety and depression", False, []),
        ("Bulky waste collection and recycling", False, []),
        ("CV writing and reading support for job seekers", False, []),
        ("Age band 5 to 11: sound advice for parents", False, []),
        ("A state-of-the-art gym", False, []),
    ],
)
def test_service_is_cultural_names_the_art_form_words_it_found(text, cultural, words):
    assert service_is_cultural(text) == (cultural, words)


@pytest.mark.parametrize(
    ("cost_options", "expected"),
    [
        ([], ("not_stated", None)),
        ([{"id": "x", "option": "Free"}], ("free", None)),
        ([{"id": "x", "amount": 0}], ("free", None)),
        ([{"id": "x", "amount": "about a fiver"}], ("not_stated", None)),
        (
            [{"id": "x", "amount": 12.5, "amount_description": "per session"}],
            ("per_session", Decimal("12.50")),
        ),
    ],
)
def test_a_feed_that_states_no_price_is_not_called_free(cost_options, expected):
    from culturehub.directory.oruk.importer import OrukImporter

    assert OrukImporter._price(cost_options) == expected

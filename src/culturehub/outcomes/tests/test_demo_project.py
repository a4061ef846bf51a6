"""The demo's example outcome project: loaded through the services from the bundled file, marked as an
example, the same after a second load, and scored like any project."""

from io import StringIO
from statistics import mean

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from culturehub.outcomes import selectors
from culturehub.outcomes.demo import (
    DEMO_COMMISSIONER_EMAIL,
    DEMO_MEMBER_EMAIL,
    LOADER_EMAIL,
    example_answers,
    example_project_data,
    outcomes_demo_load,
)
from culturehub.outcomes.instruments import INSTRUMENTS
from culturehub.outcomes.models import (
    AttendanceRecord,
    Participant,
    Project,
    ProjectField,
    Response,
    Story,
)
from culturehub.outcomes.scoring import score_response
from culturehub.places.models import Area
from culturehub.places.tests.factories import give_two_factor, make_area

pytestmark = pytest.mark.django_db

GLOUCESTERSHIRE = "E10000013"


@pytest.fixture
def data():
    return example_project_data()


@pytest.fixture
def directory_examples(vocabulary):
    """The example organisations of the one demo place the example project needs."""
    make_area(code=GLOUCESTERSHIRE, name="Gloucestershire", kind=Area.Kind.COUNTY)
    call_command("load_directory_demo", stdout=StringIO())


def load() -> str:
    out = StringIO()
    call_command("load_outcomes_demo", stdout=out)
    return out.getvalue()


def _counts() -> tuple:
    return tuple(
        model.objects.count()
        for model in (Project, Participant, Response, Story, AttendanceRecord, ProjectField, LogEntry)
    )


def test_it_loads_one_example_project_of_a_demo_organisation(directory_examples, data):
    assert "Example outcome project loaded" in load()
    project = Project.objects.get()
    assert project.is_example
    assert project.title == data["project"]["title"]
    assert project.organisation.name == data["organisation"] and project.organisation.is_example
    assert [offer.name for offer in project.offers.all()] == data["offers"]
    assert [area.code for area in project.places.all()] == [GLOUCESTERSHIRE]
    assert project.instruments == ["swemwbs", "ons4", "ucla3"]
    assert [(p.key, p.name) for p in project.measurement_points.all()] == [
        tuple(point) for point in data["measurement_points"]
    ]
    assert {term.key for term in project.themes.all()} == set(data["project"]["themes"])


def test_the_counts_match_the_file(directory_examples, data):
    load()
    project = Project.objects.get()
    people = data["participants"]
    assert 40 <= len(people) <= 60
    assert project.participants.count() == len(people)
    expected_responses = sum(len(by_point) for p in people for by_point in p["responses"].values())
    assert Response.objects.filter(participant__project=project).count() == expected_responses
    for point in ("pre", "post", "followup"):
        answered = sum(point in p["responses"] for p in people)
        swemwbs = Response.objects.filter(point__project=project, point__key=point, instrument="swemwbs")
        assert swemwbs.count() == answered
    assert project.stories.count() == len(data["stories"]) == 3
    assert project.attendance_records.count() == len(data["attendance"])
    assert sorted(project.participant_fields.values_list("key", flat=True)) == ["course", "referred_by"]
    first = data["participants"][0]
    stored = project.participants.get(code=first["code"])
    assert (stored.age_band, stored.consent_date, stored.field_values) == (
        first["age_band"],
        first["consent_date"],
        first["fields"],
    )


def test_every_response_is_valid_and_scored_as_the_scorer_scores_its_answers(directory_examples, data):
    load()
    responses = Response.objects.select_related("participant", "point")
    assert responses.exists() and not responses.filter(valid=False).exists()
    by_key = {
        (p["code"], point, instrument): values
        for p in data["participants"]
        for point, by_instrument in p["responses"].items()
        for instrument, values in by_instrument.items()
    }
    for response in responses:
        values = by_key[(response.participant.code, response.point.key, response.instrument)]
        assert response.answers == example_answers(response.instrument, values)
        expected = score_response(INSTRUMENTS[response.instrument], response.answers)
        assert response.score == expected.score
        if response.instrument == "swemwbs":
            assert 7 <= response.score <= 35


def test_the_example_change_is_modest_and_some_people_decline(directory_examples):
    load()
    scores = {
        (participant, point): score
        for participant, point, score in Response.objects.filter(instrument="swemwbs").values_list(
            "participant_id", "point__key", "score"
        )
    }
    changes = [scores[(p, "post")] - scores[(p, "pre")] for p, point in scores if point == "post"]
    assert 1.5 <= mean(changes) <= 2.5
    assert any(change < 0 for change in changes)
    assert len([1 for _p, point in scores if point == "followup"]) < len(changes)  # attrition


def test_loading_it_again_changes_nothing(directory_examples):
    load()
    before = _counts()
    updated = dict(Response.objects.values_list("pk", "updated_at"))
    assert "nothing changed" in load()
    assert _counts() == before
    assert dict(Response.objects.values_list("pk", "updated_at")) == updated
    assert not outcomes_demo_load().changed_anything


def test_the_services_did_the_loading_so_the_audit_trail_names_the_loader(directory_examples):
    load()
    loader = get_user_model().objects.get(email=LOADER_EMAIL)
    assert not loader.is_active and not loader.has_usable_password()
    project = Project.objects.get()
    entries = LogEntry.objects.get_for_object(project.participants.first())
    assert entries.exists() and all(entry.actor == loader for entry in entries)


def test_it_waits_for_the_directory_examples(vocabulary):
    assert "load the directory examples first" in load()
    assert not Project.objects.exists()


def test_the_demo_sign_ins_get_the_data_role_and_the_commissioners_view(
    client, directory_examples, django_user_model
):
    member = django_user_model.objects.create_user(email=DEMO_MEMBER_EMAIL, role="member")
    commissioner = give_two_factor(
        django_user_model.objects.create_user(email=DEMO_COMMISSIONER_EMAIL, role="commissioner")
    )
    load()
    project = Project.objects.get()
    assert selectors.project_get(user=member, pk=project.pk)[1].has_data_role
    access = selectors.project_get(user=commissioner, pk=project.pk)[1]
    assert access.can_view and access.is_viewer and not access.has_data_role
    assert "nothing changed" in load()

    client.force_login(member)
    page = client.get(reverse("outcomes:project_detail", args=[project.pk])).content.decode()
    assert "invented to demonstrate Culture Hub" in page
    assert "not real data" in page
    assert "EX-001" in page


def test_the_banner_says_plainly_the_data_is_invented(directory_examples, client, alice):
    load()
    project = Project.objects.get()
    client.force_login(give_two_factor(alice))
    page = client.get(reverse("outcomes:project_detail", args=[project.pk])).content.decode()
    assert "Example data, not real data" in page
    assert "its participants and their answers are invented" in page

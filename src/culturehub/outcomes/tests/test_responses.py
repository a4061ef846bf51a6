"""Entering responses by web form: one participant, one measurement point, one instrument."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from culturehub.outcomes import services
from culturehub.outcomes.models import Response

pytestmark = pytest.mark.django_db


def entry_url(participant, point, instrument):
    return reverse("outcomes:response_entry", args=[participant.pk, point, instrument])


def test_ons4_can_be_saved_with_a_question_left_blank(client, bob, participant):
    client.force_login(bob)
    response = client.post(
        entry_url(participant, "post", "ons4"),
        {"life_satisfaction": "7", "worthwhile": "8", "happiness": "", "anxiety": "2"},
    )
    assert response.status_code == 302
    saved = Response.objects.get(instrument="ons4")
    assert saved.measures["anxiety"]["value"] == 2.0 and saved.measures["happiness"]["value"] is None


def test_ons4_with_nothing_answered_is_refused(client, bob, participant):
    client.force_login(bob)
    text = client.post(entry_url(participant, "post", "ons4"), {}).content.decode()
    assert "There is a problem" in text and "nothing answered" in text
    assert not Response.objects.exists()


def test_a_value_outside_the_items_range_is_refused_by_the_form(client, bob, participant):
    client.force_login(bob)
    answers = {f"q{n}": "3" for n in range(1, 8)} | {"q2": "6"}
    text = client.post(entry_url(participant, "pre", "swemwbs"), answers).content.decode()
    assert "Choose an answer for item 2 from the list" in text


def test_the_form_shows_the_answers_already_held(client, bob, project, participant):
    pre = project.measurement_points.get(key="pre")
    services.response_record(
        user=bob,
        participant=participant,
        point=pre,
        instrument="swemwbs",
        answers={f"q{n}": 2 for n in range(1, 8)},
    )
    client.force_login(bob)
    text = client.get(entry_url(participant, "pre", "swemwbs")).content.decode()
    assert "Saving replaces them" in text
    assert '<option value="2" selected>' in text


def test_the_licensed_wording_shows_once_the_operator_loads_it(client, bob, participant, settings, tmp_path):
    items = "\n".join(f"    q{n}: Statement number {n} as licensed" for n in range(1, 8))
    options = "\n".join(f"    {value}: Label {value}" for value in range(1, 6))
    wording = tmp_path / "wording.yaml"
    wording.write_text(f"swemwbs:\n  items:\n{items}\n  options:\n{options}\n", encoding="utf-8")
    settings.OUTCOMES_WEMWBS_WORDING_FILE = str(wording)
    client.force_login(bob)
    text = client.get(entry_url(participant, "pre", "swemwbs")).content.decode()
    assert "Statement number 3 as licensed" in text
    assert "3 – Label 3" in text
    assert "The question wording is not loaded" not in text


def test_a_point_of_another_project_is_refused(bob, riverside, project, participant):
    other = services.project_create(
        user=bob,
        organisation=riverside,
        title="Other",
        kind="pilot",
        funder_name="F",
        start_date=date(2026, 1, 1),
        instruments=["swemwbs"],
    )
    with pytest.raises(PermissionDenied):
        services.response_record(
            user=bob,
            participant=participant,
            point=other.measurement_points.first(),
            instrument="swemwbs",
            answers={f"q{n}": 3 for n in range(1, 8)},
        )


def test_an_unknown_measurement_point_is_not_found(client, bob, participant):
    client.force_login(bob)
    assert client.get(entry_url(participant, "midway", "swemwbs")).status_code == 404


def test_stories_are_kept_with_their_consent_date(client, bob, project):
    client.force_login(bob)
    response = client.post(
        reverse("outcomes:story_add", args=[project.pk]),
        {
            "title": "Back in the choir",
            "text": "I had not sung since school.",
            "attribution": "A participant, 70s",
            "consent_date": "30 6 2026",
        },
    )
    assert response.status_code == 302
    story = project.stories.get()
    assert (story.consent_date, story.attribution) == (date(2026, 6, 30), "A participant, 70s")


def test_attendance_is_recorded_through_the_form_by_the_data_role_only(client, bob, erin, project):
    client.force_login(erin)
    page = reverse("outcomes:attendance_add", args=[project.pk])
    assert client.get(page).status_code == 403
    client.force_login(bob)
    response = client.post(page, {"sessions": "12", "attendances": "150", "unique_people": "19"})
    assert response.status_code == 302
    assert project.attendance_records.get().unique_people == 19

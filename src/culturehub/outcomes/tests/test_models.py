"""The outcomes data model: its constraints, and the project services that build it."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from culturehub.outcomes import services
from culturehub.outcomes.models import MeasurementPoint, Participant, Project, ProjectDataRole, Response


def _plan_update(user, project, **changes):
    """Change the project's plan, keeping every detail the change does not name."""
    details = {"title": project.title, "kind": project.kind, "funder_name": project.funder_name,
               "start_date": project.start_date}
    return services.project_update(user=user, project=project, **{**details, **changes})


def _answer_swemwbs(user, participant, point, answer: int):
    return services.response_record(
        user=user, participant=participant, point=point, instrument="swemwbs",
        answers={f"q{n}": answer for n in range(1, 8)},
    )


pytestmark = pytest.mark.django_db


def test_a_project_is_delivered_by_an_organisation_or_a_consortium_never_both(project, riverside):
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(organisation=None)
    assert Project.objects.get(pk=project.pk).organisation == riverside


def test_creating_a_project_gives_its_plan_and_the_creator_the_data_role(project, bob):
    points = list(project.measurement_points.values_list("key", "name", "position"))
    assert points == [("pre", "Baseline", 0), ("post", "End of project", 1)]
    assert ProjectDataRole.objects.filter(project=project, user=bob).exists()
    assert project.min_cell_size == 10
    assert project.created_by == bob


def test_project_create_says_what_is_missing(bob, riverside):
    with pytest.raises(ValidationError) as error:
        services.project_create(
            user=bob,
            organisation=riverside,
            title="",
            kind="",
            funder_name="",
            start_date=None,
            instruments=["swemwbs", "nonsense"],
            measurement_points=[("pre", "Baseline"), ("pre", "Again")],
            retention_months=0,
        )
    fields = error.value.message_dict
    assert set(fields) >= {
        "title",
        "kind",
        "funder_name",
        "start_date",
        "instruments",
        "measurement_points",
        "retention_months",
    }
    assert "nonsense" in fields["instruments"][0]


def test_a_project_cannot_end_before_it_starts(bob, riverside):
    with pytest.raises(ValidationError) as error:
        services.project_create(
            user=bob,
            organisation=riverside,
            title="Backwards",
            kind="pilot",
            funder_name="A trust",
            start_date=date(2026, 5, 1),
            end_date=date(2026, 4, 1),
        )
    assert "end_date" in error.value.message_dict


def test_threshold_overrides_must_name_a_measure_and_be_positive(bob, riverside):
    with pytest.raises(ValidationError) as error:
        services.project_create(
            user=bob,
            organisation=riverside,
            title="T",
            kind="pilot",
            funder_name="F",
            start_date=date(2026, 1, 1),
            instruments=["ons4"],
            change_thresholds={"ons4:mood": 1, "swemwbs": -2},
        )
    assert len(error.value.message_dict["change_thresholds"]) == 2


def test_the_project_threshold_override_wins_over_the_default(project):
    project.change_thresholds = {"swemwbs": 2.5}
    instrument = services.project_instrument(project, "swemwbs")
    assert services.project_threshold(project, instrument, "score") == 2.5
    ons4 = services.project_instrument(project, "ons4")
    assert services.project_threshold(project, ons4, "anxiety") == 1.0


def test_participant_codes_are_unique_within_a_project(project, participant):
    with pytest.raises(IntegrityError), transaction.atomic():
        Participant.objects.create(project=project, code=participant.code, consent_date=date(2026, 1, 5))


def test_a_participant_gets_a_generated_code_when_none_is_given(bob, project):
    created = services.participant_create(user=bob, project=project, consent_date=date(2026, 1, 6))
    assert created.code.startswith("P-") and len(created.code) == 8
    assert created.consent_wording == project.consent_wording
    assert created.consent_version == "v1"


def test_contact_details_are_stored_apart_from_the_participant(participant):
    assert participant.contact_details.email == "sam@example.org"
    assert "Sam" not in str(participant.contact_details)


def test_one_response_per_participant_point_and_instrument(bob, participant, project):
    pre = project.measurement_points.get(key="pre")
    first, outcome = _answer_swemwbs(bob, participant, pre, 3)
    assert outcome == "created"
    assert (first.valid, first.raw, first.score) == (True, 21, 19.25)
    again, outcome = _answer_swemwbs(bob, participant, pre, 4)
    assert outcome == "updated" and again.pk == first.pk
    assert Response.objects.filter(participant=participant).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(participant=participant, point=pre, instrument="swemwbs", answers={})


def test_ons4_responses_keep_each_measure_and_its_band(bob, participant, project):
    post = project.measurement_points.get(key="post")
    response, _outcome = services.response_record(
        user=bob,
        participant=participant,
        point=post,
        instrument="ons4",
        answers={"life_satisfaction": "8", "worthwhile": 9, "happiness": "", "anxiety": 2},
    )
    assert response.measures["life_satisfaction"]["value"] == 8.0
    assert response.measures["life_satisfaction"]["band"]
    assert response.measures["happiness"]["value"] is None
    assert response.answers == {"life_satisfaction": "8", "worthwhile": 9, "anxiety": 2}


def test_answers_that_cannot_be_scored_are_not_kept(bob, participant, project):
    pre = project.measurement_points.get(key="pre")
    with pytest.raises(ValidationError) as error:
        services.response_record(
            user=bob,
            participant=participant,
            point=pre,
            instrument="swemwbs",
            answers={**{f"q{n}": 3 for n in range(1, 7)}, "q7": 9},
        )
    assert "q7" in error.value.messages[0]
    assert not Response.objects.exists()


def test_an_instrument_the_project_does_not_use_is_refused(bob, participant, project):
    pre = project.measurement_points.get(key="pre")
    with pytest.raises(ValidationError):
        services.response_record(
            user=bob,
            participant=participant,
            point=pre,
            instrument="ucla3",
            answers={"q1": 1, "q2": 1, "q3": 1},
        )


def test_a_custom_question_becomes_one_of_the_projects_instruments(bob, participant, project):
    services.custom_question_add(
        user=bob,
        project=project,
        key="confidence",
        question="How confident do you feel singing with others?",
        minimum=1,
        maximum=5,
    )
    project.refresh_from_db()
    assert "confidence" in project.instruments
    pre = project.measurement_points.get(key="pre")
    response, _ = services.response_record(
        user=bob, participant=participant, point=pre, instrument="confidence", answers={"confidence": "4"}
    )
    assert response.measures["confidence"]["value"] == 4.0


def test_a_measurement_point_with_responses_cannot_be_removed(bob, participant, project):
    pre = project.measurement_points.get(key="pre")
    _answer_swemwbs(bob, participant, pre, 2)
    with pytest.raises(ValidationError) as error:
        _plan_update(bob, project, instruments=project.instruments,
                     measurement_points=[("post", "End"), ("followup", "Three months on")])
    assert "pre" in error.value.messages[0]
    assert MeasurementPoint.objects.filter(project=project, key="pre").exists()


def test_the_plan_can_be_renamed_reordered_and_extended(bob, project):
    _plan_update(bob, project, instruments=project.instruments,
                 measurement_points=[("pre", "Before"), ("post", "After"), ("followup", "Three months on")])
    assert list(project.measurement_points.values_list("key", "name")) == [
        ("pre", "Before"),
        ("post", "After"),
        ("followup", "Three months on"),
    ]


def test_attendance_cannot_count_more_people_than_attendances(bob, project):
    with pytest.raises(ValidationError) as error:
        services.attendance_record_add(
            user=bob, project=project, sessions=10, attendances=40, unique_people=50
        )
    assert "unique_people" in error.value.message_dict
    record = services.attendance_record_add(
        user=bob, project=project, sessions=10, attendances=140, unique_people=18
    )
    assert str(record) == "Attendance, whole project"


def test_a_project_field_needs_a_purpose(bob, project):
    with pytest.raises(ValidationError) as error:
        services.project_field_add(user=bob, project=project, name="Referred by", purpose="")
    assert "purpose" in error.value.message_dict
    field = services.project_field_add(
        user=bob,
        project=project,
        name="Referred by",
        purpose="To see which referral routes work",
        choices=["GP", "Self"],
    )
    participant = services.participant_create(
        user=bob, project=project, consent_date=date(2026, 1, 6), field_values={"referred_by": "GP"}
    )
    assert participant.field_values == {field.key: "GP"}
    with pytest.raises(ValidationError):
        services.participant_create(
            user=bob, project=project, consent_date=date(2026, 1, 6), field_values={"referred_by": "Postman"}
        )


def test_deleting_a_project_deletes_its_participant_data(bob, project, participant):
    pre = project.measurement_points.get(key="pre")
    _answer_swemwbs(bob, participant, pre, 3)
    project.delete()
    assert not Participant.objects.exists() and not Response.objects.exists()


def test_a_measurement_point_with_responses_cannot_be_deleted_on_its_own(bob, project, participant):
    from django.db.models import RestrictedError

    pre = project.measurement_points.get(key="pre")
    _answer_swemwbs(bob, participant, pre, 3)
    with pytest.raises(RestrictedError), transaction.atomic():
        pre.delete()


def test_no_participant_can_be_added_after_the_retention_period(bob, project):
    from django.core.exceptions import PermissionDenied
    from django.utils import timezone

    project.participant_data_deleted_at = timezone.now()
    project.save()
    with pytest.raises(PermissionDenied):
        services.participant_create(user=bob, project=project, consent_date=date(2026, 1, 5))


def test_editing_a_project_keeps_its_own_questions_and_its_example_mark(bob, project):
    services.custom_question_add(user=bob, project=project, key="confidence", question="How confident?")
    Project.objects.filter(pk=project.pk).update(is_example=True)
    project.refresh_from_db()
    _plan_update(bob, project, instruments=["ucla3"])
    project.refresh_from_db()
    assert project.instruments == ["ucla3", "confidence"]
    assert project.is_example


def test_an_instrument_with_responses_cannot_be_dropped(bob, project, participant):
    pre = project.measurement_points.get(key="pre")
    _answer_swemwbs(bob, participant, pre, 3)
    with pytest.raises(ValidationError) as error:
        _plan_update(bob, project, instruments=["ons4"])
    assert error.value.message_dict["instruments"] == ["Keep swemwbs: participants have answered it"]

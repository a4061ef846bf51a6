"""Privacy by design: every view and change of participant data audited; export and erasure on request;
participant data deleted when the retention period ends, the aggregates kept."""

import csv
import io
import json
from datetime import UTC, date, datetime

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from culturehub.outcomes import selectors, services
from culturehub.outcomes.audit import audit_views_of
from culturehub.outcomes.models import (
    AggregateSnapshot,
    ContactDetails,
    Participant,
    Project,
    Response,
    ResponseUpload,
    Story,
)

pytestmark = pytest.mark.django_db


def answers(value):
    return {f"q{n}": value for n in range(1, 8)}


def _entries(model, pk):
    return LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model), object_pk=str(pk))


def _cohort(bob, project, size, *, change=1):
    """`size` participants with SWEMWBS before and after, each improving by `change` item points."""
    pre, post = project.measurement_points.order_by("position")[:2]
    for number in range(size):
        person = services.participant_create(
            user=bob, project=project, code=f"C-{number:03}", consent_date=date(2026, 1, 5)
        )
        base = 2 + number % 2
        services.response_record(
            user=bob, participant=person, point=pre, instrument="swemwbs", answers=answers(base)
        )
        services.response_record(
            user=bob, participant=person, point=post, instrument="swemwbs", answers=answers(base + change)
        )


# Audit ----------------------------------------------------------------------------------------------


def test_seeing_a_participant_is_in_the_audit_trail(bob, participant):
    selectors.participant_page(user=bob, pk=participant.pk)
    views = audit_views_of(participant)
    assert len(views) == 1
    assert views[0].actor == bob
    assert views[0].additional_data["viewed"] == "participant record"


def test_seeing_the_participant_list_is_in_the_audit_trail(bob, project, participant):
    selectors.project_page(user=bob, pk=project.pk)
    views = audit_views_of(project)
    assert [(v.actor, v.additional_data["viewed"], v.additional_data["participants"]) for v in views] == [
        (bob, "participant list", [participant.pk])
    ]


def test_a_refused_look_leaves_no_view_entry_and_people_without_the_role_see_no_list(
    erin, project, participant
):
    selectors.project_page(user=erin, pk=project.pk)
    assert audit_views_of(project) == []
    assert audit_views_of(participant) == []


def test_the_participant_page_view_is_audited_through_the_site(client, bob, participant):
    client.force_login(bob)
    client.get(reverse("outcomes:participant_detail", args=[participant.pk]))
    assert len(audit_views_of(participant)) == 1


def test_changes_to_participant_data_are_in_the_audit_trail(bob, project, participant):
    pre = project.measurement_points.get(key="pre")
    response, _ = services.response_record(
        user=bob, participant=participant, point=pre, instrument="swemwbs", answers=answers(3)
    )
    services.participant_update(
        user=bob, participant=participant, consent_date=date(2026, 1, 6), age_band="75_84"
    )
    assert _entries(Response, response.pk).filter(action=LogEntry.Action.CREATE, actor=bob).exists()
    assert _entries(Participant, participant.pk).filter(action=LogEntry.Action.UPDATE, actor=bob).exists()
    assert _entries(ContactDetails, participant.contact_details.pk).exists()


def test_the_project_history_shows_views_to_the_data_role(bob, project, participant):
    selectors.participant_get(user=bob, pk=participant.pk)
    history = selectors.project_audit_log(user=bob, project=project)
    assert any(entry.action == "Viewed" and entry.record.endswith("P-0001") for entry in history)


# Export ---------------------------------------------------------------------------------------------


def test_export_holds_everything_about_the_participant_and_is_audited(bob, project, participant):
    pre = project.measurement_points.get(key="pre")
    services.response_record(
        user=bob, participant=participant, point=pre, instrument="swemwbs", answers=answers(4)
    )
    services.story_add(
        user=bob,
        project=project,
        participant=participant,
        text="Singing got me out again.",
        consent_date=date(2026, 6, 1),
    )
    data = services.participant_export(user=bob, participant=participant)
    assert data["participant_code"] == "P-0001"
    assert data["contact_details"]["email"] == "sam@example.org"
    assert data["consent"]["wording"].startswith("I agree")
    assert data["responses"][0]["answers"] == answers(4)
    assert data["stories"][0]["text"] == "Singing got me out again."
    assert audit_views_of(participant)[0].additional_data["viewed"] == "export"


def test_export_downloads_as_json_or_csv(client, bob, participant):
    client.force_login(bob)
    page = reverse("outcomes:participant_export", args=[participant.pk])
    as_json = client.post(page, {"format": "json"})
    assert as_json["Content-Type"].startswith("application/json")
    assert 'filename="participant-P-0001.json"' in as_json["Content-Disposition"]
    assert json.loads(as_json.content)["contact_details"]["name"] == "Sam Example"
    as_csv = client.post(page, {"format": "csv"})
    rows = list(csv.reader(io.StringIO(as_csv.content.decode())))
    assert rows[0] == ["section", "name", "value"]
    assert ["contact_details", "email", "sam@example.org"] in rows


def test_export_is_refused_to_people_without_the_data_role(client, erin, carol, participant):
    for user, status in ((erin, 403), (carol, 403)):
        client.force_login(user)
        response = client.post(
            reverse("outcomes:participant_export", args=[participant.pk]), {"format": "json"}
        )
        assert response.status_code == status


# Erasure --------------------------------------------------------------------------------------------


def test_erasure_deletes_the_participant_and_all_their_data(bob, project, participant):
    pre = project.measurement_points.get(key="pre")
    response, _ = services.response_record(
        user=bob, participant=participant, point=pre, instrument="swemwbs", answers=answers(3)
    )
    services.story_add(
        user=bob, project=project, participant=participant, text="A story.", consent_date=date(2026, 6, 1)
    )
    contact_pk = participant.contact_details.pk
    report = services.participant_erase(user=bob, participant=participant)
    assert (report.participants, report.contact_details, report.responses, report.stories) == (1, 1, 1, 1)
    assert not Participant.objects.exists() and not ContactDetails.objects.exists()
    assert not Response.objects.exists() and not Story.objects.exists()
    # The audit trail keeps that the records existed, not what they held.
    for model, pk in ((ContactDetails, contact_pk), (Response, response.pk)):
        entries = _entries(model, pk)
        assert entries.exists()
        assert "sam@example.org" not in json.dumps([entry.changes for entry in entries])
    assert (
        _entries(Project, project.pk)
        .filter(additional_data__note="Participant P-0001 erased on request")
        .exists()
    )


def test_aggregates_are_computed_without_the_erased_participant(bob, project):
    _cohort(bob, project, 12)
    before = services.project_aggregates(project, min_n=10)["paired_change"][0]
    services.participant_erase(user=bob, participant=Participant.objects.get(code="C-000"))
    after = services.project_aggregates(project, min_n=10)["paired_change"][0]
    assert (before["n_paired"], after["n_paired"]) == (12, 11)


def test_erasure_through_the_site_asks_first(client, bob, participant):
    client.force_login(bob)
    page = reverse("outcomes:participant_erase", args=[participant.pk])
    assert "cannot be undone" in client.get(page).content.decode()
    assert Participant.objects.exists()
    response = client.post(page)
    assert response.status_code == 302
    assert not Participant.objects.exists()


def test_erasure_is_refused_to_administrators(client, admin, participant):
    client.force_login(admin)
    assert client.post(reverse("outcomes:participant_erase", args=[participant.pk])).status_code == 403
    assert Participant.objects.exists()


# Retention ------------------------------------------------------------------------------------------


def test_retention_ends_the_given_months_after_the_project(project):
    project.end_date, project.retention_months = date(2026, 8, 31), 6
    assert services.project_retention_ends(project) == date(2027, 2, 28)


def test_participant_data_is_kept_until_the_retention_period_ends(bob, project, participant):
    report = services.outcomes_retention_apply(now=datetime(2028, 6, 29, tzinfo=UTC))
    assert report.projects == []
    assert Participant.objects.exists()


def test_after_retention_participant_data_is_deleted_and_the_aggregates_kept(bob, project):
    _cohort(bob, project, 12)
    services.responses_upload(
        user=bob,
        project=project,
        instrument="ons4",
        file_name="x.csv",
        content=b"participant_code,timepoint,life_satisfaction,worthwhile,happiness,anxiety\n",
    )
    when = datetime(2028, 7, 1, tzinfo=UTC)  # end 30 June 2026 + 24 months
    report = services.outcomes_retention_apply(now=when)
    assert report.projects == [project.title]
    assert report.erased.participants == 12 and report.erased.responses == 24
    assert not Participant.objects.filter(project=project).exists()
    assert not Response.objects.exists() and not ResponseUpload.objects.exists()
    snapshot = AggregateSnapshot.objects.get(project=project)
    swemwbs = next(row for row in snapshot.data["paired_change"] if row["instrument"] == "swemwbs")
    assert swemwbs["n_paired"] == 12 and swemwbs["mean_change"] > 0 and not swemwbs["suppressed"]
    assert snapshot.data["participants"] == 12
    project.refresh_from_db()
    assert project.participant_data_deleted_at == when
    # Running again changes nothing.
    assert services.outcomes_retention_apply(now=when).projects == []
    assert AggregateSnapshot.objects.count() == 1


def test_a_small_projects_snapshot_keeps_only_suppressed_figures(bob, project):
    _cohort(bob, project, 4)
    services.outcomes_retention_apply(now=datetime(2028, 7, 1, tzinfo=UTC))
    swemwbs = next(
        row for row in AggregateSnapshot.objects.get().data["paired_change"] if row["instrument"] == "swemwbs"
    )
    assert swemwbs["suppressed"] and swemwbs["mean_change"] is None
    assert AggregateSnapshot.objects.get().data["participants"] is None


def test_a_project_with_no_end_date_keeps_its_data(bob, project, participant):
    Project.objects.filter(pk=project.pk).update(end_date=None)
    assert services.outcomes_retention_apply(now=datetime(2099, 1, 1, tzinfo=UTC)).projects == []
    assert Participant.objects.exists()


def test_the_retention_task_runs_the_sweep_and_schedules_its_next_run(bob, project, participant, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from culturehub.outcomes.tasks import next_retention_time, outcomes_retention

    result = outcomes_retention.enqueue()
    assert result.return_value["projects"] == []
    when = next_retention_time(datetime(2026, 7, 1, 12, 0, tzinfo=UTC))
    assert when == datetime(2026, 7, 2, 2, 30, tzinfo=UTC)  # 03:30 British Summer Time


def test_the_history_page_shows_who_saw_participants_to_the_data_role_only(
    client, bob, erin, carol, participant
):
    client.force_login(bob)
    client.get(reverse("outcomes:participant_detail", args=[participant.pk]))
    page = reverse("outcomes:project_history", args=[participant.project.pk])
    text = client.get(page).content.decode()
    assert "Participant: P-0001" in text and "Viewed" in text
    assert "sam@example.org" not in text  # contact details stay on the participant's own page
    for user in (erin, carol):
        client.force_login(user)
        assert client.get(page).status_code == 403


def test_the_project_page_says_when_participant_data_was_deleted(client, bob, project):
    _cohort(bob, project, 11)
    services.outcomes_retention_apply(now=datetime(2028, 7, 1, tzinfo=UTC))
    client.force_login(bob)
    text = client.get(reverse("outcomes:project_detail", args=[project.pk])).content.decode()
    assert "deleted on 1 July 2028 (retention period ended)" in text
    assert "The aggregate figures were kept: 11 people took part." in text

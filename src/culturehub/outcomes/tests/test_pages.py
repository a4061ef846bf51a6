"""The outcome pages, clicked through as each person would: who gets a page, a 403 or a 404."""

from datetime import date

import pytest
from django.urls import reverse

from culturehub.outcomes import services
from culturehub.outcomes.models import Participant, Project, Response

pytestmark = pytest.mark.django_db

SWEMWBS = {f"q{n}": "3" for n in range(1, 8)}


def url(name, *args):
    return reverse(f"outcomes:{name}", args=args)


def signed_in(client, user):
    client.force_login(user)
    return client


def test_your_projects_needs_signing_in(client):
    response = client.get(url("project_list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_your_projects_lists_the_project_for_its_members(client, project, bob):
    response = signed_in(client, bob).get(url("project_list"))
    assert response.status_code == 200
    assert project.title in response.content.decode()
    assert "Start a project" in response.content.decode()


def test_the_nav_links_to_your_projects(client, bob, project):
    response = signed_in(client, bob).get(url("project_detail", project.pk))
    assert f'href="{url("project_list")}"' in response.content.decode()


@pytest.mark.parametrize(
    ("who", "status", "sees_participants"),
    [
        ("bob", 200, True),
        ("erin", 200, False),
        ("carol", 200, False),
        ("alice", 200, False),
        ("frank", 404, False),
        ("gina", 404, False),
    ],
)
def test_the_project_page_for_each_role(
    client, project, participant, bob, erin, carol, admin, frank, gina, who, status, sees_participants
):
    user = {"bob": bob, "erin": erin, "carol": carol, "alice": admin, "frank": frank, "gina": gina}[who]
    response = signed_in(client, user).get(url("project_detail", project.pk))
    assert response.status_code == status
    if status == 200:
        text = response.content.decode()
        assert (participant.code in text) is sees_participants
        assert "Sam Example" not in text


def test_anonymous_people_get_not_found_for_a_project(client, project):
    assert client.get(url("project_detail", project.pk)).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [("bob", 200), ("erin", 403), ("carol", 403), ("alice", 403), ("frank", 404), ("gina", 404)],
)
def test_the_participant_page_for_each_role(
    client, project, participant, bob, erin, carol, admin, frank, gina, who, status
):
    user = {"bob": bob, "erin": erin, "carol": carol, "alice": admin, "frank": frank, "gina": gina}[who]
    response = signed_in(client, user).get(url("participant_detail", participant.pk))
    assert response.status_code == status
    if status == 200:
        assert "Sam Example" in response.content.decode()


def test_commissioners_see_small_counts_hidden(client, project, participant, carol):
    text = signed_in(client, carol).get(url("project_detail", project.pk)).content.decode()
    assert "fewer than 10 (hidden to protect them)" in text


def test_starting_a_project_shows_every_problem_at_once(client, bob, riverside):
    response = signed_in(client, bob).post(
        url("project_add"),
        {
            "delivered_by": f"organisation:{riverside.pk}",
            "title": "",
            "start_date": "31 2 2026",
            "min_cell_size": "10",
            "retention_months": "24",
            "measurement_points": "pre, Baseline",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text
    assert "Enter the project’s title" in text
    assert "Enter the date the project starts as day, month and year" in text


def test_starting_a_project_saves_it_and_its_plan(client, bob, riverside):
    response = signed_in(client, bob).post(
        url("project_add"),
        {
            "delivered_by": f"organisation:{riverside.pk}",
            "title": "Museum mornings",
            "kind": "pilot",
            "funder_name": "A small trust",
            "start_date": "1 4 2026",
            "end_date": "30/09/2026",
            "instruments": ["ons4", "ucla3"],
            "measurement_points": "pre, Baseline\npost, End\nfollowup, Three months on",
            "change_thresholds": "ucla3 = 2",
            "min_cell_size": "5",
            "retention_months": "12",
            "collects_contact_details": "no",
        },
    )
    project = Project.objects.get(title="Museum mornings")
    assert response.status_code == 302 and response["Location"] == url("project_detail", project.pk)
    assert project.end_date == date(2026, 9, 30)
    assert project.change_thresholds == {"ucla3": 2.0}
    assert list(project.measurement_points.values_list("key", flat=True)) == ["pre", "post", "followup"]


def test_a_member_cannot_start_a_project_for_another_organisation(client, erin, hillside):
    response = signed_in(client, erin).post(
        url("project_add"),
        {
            "delivered_by": f"organisation:{hillside.pk}",
            "title": "Not ours",
            "kind": "pilot",
            "funder_name": "F",
            "start_date": "1 4 2026",
            "min_cell_size": "10",
            "retention_months": "24",
            "measurement_points": "pre, Baseline",
        },
    )
    assert response.status_code == 200  # the choice is not offered to them
    assert not Project.objects.filter(title="Not ours").exists()


def test_the_edit_page_is_refused_to_members_without_the_data_role(client, project, erin, bob):
    assert signed_in(client, erin).get(url("project_edit", project.pk)).status_code == 403
    assert signed_in(client, bob).get(url("project_edit", project.pk)).status_code == 200


def test_adding_a_participant_through_the_form(client, project, bob):
    response = signed_in(client, bob).post(
        url("participant_add", project.pk),
        {
            "code": "",
            "age_band": "25_34",
            "consent_date": "2 2 2026",
            "contact_name": "",
            "contact_email": "",
            "contact_phone": "",
        },
    )
    participant = Participant.objects.get(project=project)
    assert response["Location"] == url("participant_detail", participant.pk)
    assert not hasattr(participant, "contact_details") or participant.contact_details is None


def test_a_future_consent_date_is_refused_on_the_form(client, project, bob):
    response = signed_in(client, bob).post(url("participant_add", project.pk), {"consent_date": "1 1 2099"})
    assert "The consent date must be today or in the past" in response.content.decode()


def test_entering_a_response_through_the_form(client, project, participant, bob):
    response = signed_in(client, bob).post(url("response_entry", participant.pk, "pre", "swemwbs"), SWEMWBS)
    assert response.status_code == 302
    saved = Response.objects.get(participant=participant)
    assert (saved.raw, saved.source) == (21, "web")


def test_the_licensed_wording_is_not_shown_until_loaded(client, project, participant, bob, settings):
    settings.OUTCOMES_WEMWBS_WORDING_FILE = ""
    text = (
        signed_in(client, bob).get(url("response_entry", participant.pk, "pre", "swemwbs")).content.decode()
    )
    assert "The question wording is not loaded" in text
    assert "Item 1 (q1)" in text


def test_the_ons4_wording_is_shown(client, project, participant, bob):
    text = signed_in(client, bob).get(url("response_entry", participant.pk, "pre", "ons4")).content.decode()
    assert "how satisfied are you with your life nowadays" in text.lower()


def test_a_missing_item_is_named_in_the_error_summary(client, project, participant, bob):
    answers = {**SWEMWBS, "q4": ""}
    text = (
        signed_in(client, bob)
        .post(url("response_entry", participant.pk, "pre", "swemwbs"), answers)
        .content.decode()
    )
    assert "There is a problem" in text and "Choose an answer for item 4" in text
    assert not Response.objects.exists()


def test_an_instrument_the_project_does_not_use_is_not_found(client, project, participant, bob):
    assert (
        signed_in(client, bob).get(url("response_entry", participant.pk, "pre", "ucla3")).status_code == 404
    )


def test_owners_give_the_data_role_on_the_people_page(client, project, bob, erin):
    response = signed_in(client, bob).post(url("people", project.pk), {"grant": "1", "role-member": erin.pk})
    assert response.status_code == 302
    assert project.data_roles.filter(user=erin).exists()


def test_the_people_page_is_refused_to_members_who_are_not_owners(client, project, erin):
    assert signed_in(client, erin).get(url("people", project.pk)).status_code == 403


def test_forms_carry_a_csrf_token(client, project, participant, bob):
    client.force_login(bob)
    for page in (
        url("project_add"),
        url("participant_add", project.pk),
        url("upload", project.pk),
        url("participant_erase", participant.pk),
        url("participant_export", participant.pk),
        url("people", project.pk),
    ):
        assert "csrfmiddlewaretoken" in client.get(page).content.decode(), page


def _queries(client, page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(page).status_code == 200
    return len(queries)


def test_the_project_page_runs_the_same_queries_however_many_participants(client, project, participant, bob):
    client.force_login(bob)
    page = url("project_detail", project.pk)
    with_one = _queries(client, page)
    for number in range(20):
        services.participant_create(
            user=bob, project=project, consent_date=date(2026, 1, 5), code=f"P-{number:03}"
        )
    assert _queries(client, page) == with_one <= 30
    assert "P-019" in client.get(page).content.decode()


def test_your_projects_runs_the_same_queries_however_many_projects(client, project, bob, riverside):
    client.force_login(bob)
    with_one = _queries(client, url("project_list"))
    for number in range(5):
        services.project_create(
            user=bob,
            organisation=riverside,
            title=f"Project {number}",
            kind="pilot",
            funder_name="F",
            start_date=date(2026, 1, 1),
        )
    assert _queries(client, url("project_list")) == with_one <= 8


def test_the_participant_page_shows_each_score_and_what_is_still_to_enter(client, project, participant, bob):
    client.force_login(bob)
    client.post(url("response_entry", participant.pk, "pre", "swemwbs"), SWEMWBS)
    text = client.get(url("participant_detail", participant.pk)).content.decode()
    assert "19.25 (raw 21)" in text
    assert "Not entered" in text


def test_the_project_page_names_instruments_and_points_in_the_counts(client, project, participant, bob):
    client.force_login(bob)
    client.post(url("response_entry", participant.pk, "pre", "swemwbs"), SWEMWBS)
    text = client.get(url("project_detail", project.pk)).content.decode()
    assert '<th scope="row" class="govuk-table__header">SWEMWBS</th>' in text
    assert "End of project</th>" in text


def test_owners_remove_the_data_role_and_viewers_on_the_people_page(client, project, bob, carol):
    client.force_login(bob)
    page = url("people", project.pk)
    assert client.post(page, {"revoke": "not-a-number"}).status_code == 404
    viewer = project.viewers.get(user=carol)
    assert client.post(page, {"remove_viewer": viewer.pk}).status_code == 302
    assert client.post(page, {"revoke": bob.pk}).status_code == 302
    assert not project.viewers.exists() and not project.data_roles.exists()


@pytest.mark.parametrize(("name", "posted", "made"), [
    ("attendance_add", {"sessions": "12", "attendances": "140", "unique_people": "15"},
     lambda project: project.attendance_records.get().attendances == 140),
    ("field_add", {"name": "Referred by", "purpose": "To see which routes bring people.",
                   "choices": "GP\nSelf-referral"},
     lambda project: project.participant_fields.get().choices == ["GP", "Self-referral"]),
    ("question_add", {"question": "How confident do you feel?", "key": "confidence", "minimum": "1",
                      "maximum": "5", "higher_is_better": "yes", "meaningful_change": "1"},
     lambda project: "confidence" in project.instruments),
    ("story_add", {"text": "Singing helps me breathe.", "consent_date": "1 6 2026"},
     lambda project: project.stories.get().text == "Singing helps me breathe."),
])
def test_each_add_page_adds_to_the_project_and_returns_to_it(client, bob, project, name, posted, made):
    response = signed_in(client, bob).post(url(name, project.pk), posted)
    assert response.status_code == 302
    assert response["Location"] == url("project_detail", project.pk)
    project.refresh_from_db()
    assert made(project)


@pytest.mark.parametrize("name", ["attendance_add", "field_add", "question_add", "story_add"])
def test_a_commissioner_cannot_add_to_a_project(client, carol, project, name):
    assert signed_in(client, carol).post(url(name, project.pk), {}).status_code == 403


def test_only_active_members_are_offered_the_data_role(client, bob, erin, project):
    offered = signed_in(client, bob).get(url("people", project.pk)).content.decode()
    assert erin.email in offered
    erin.is_active = False
    erin.save()
    assert erin.email not in signed_in(client, bob).get(url("people", project.pk)).content.decode()

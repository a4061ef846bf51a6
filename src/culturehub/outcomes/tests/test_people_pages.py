"""The project's participant list comes 50 at a time, for the data role only, in a bounded number of
queries, and each page's view is audited with the participants it showed."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from culturehub.outcomes import selectors, services
from culturehub.outcomes.audit import audit_views_of
from culturehub.outcomes.models import Participant

pytestmark = pytest.mark.django_db

PER_PAGE = selectors.PARTICIPANTS_PER_PAGE


def add_participants(project, number: int, prefix: str = "P") -> None:
    """Straight into the database: the services' own tests cover adding participants one by one."""
    Participant.objects.bulk_create(
        Participant(project=project, code=f"{prefix}-{index:04}", consent_date=date(2026, 1, 5))
        for index in range(number)
    )


def project_page(client, project, page=None):
    address = reverse("outcomes:project_detail", args=[project.pk])
    return client.get(address, {"page": page} if page is not None else {})


def codes_on(response) -> list[str]:
    return [participant.code for participant in response.context["page"].participants]


def test_the_list_is_split_into_pages_with_previous_and_next_links(client, project, bob):
    add_participants(project, 120)
    client.force_login(bob)

    first = project_page(client, project)
    text = first.content.decode()
    assert codes_on(first) == [f"P-{index:04}" for index in range(50)]
    assert "120 participants: 1 to 50 shown" in text
    assert 'class="govuk-pagination"' in text and 'aria-label="Pages of participants"' in text
    assert 'href="?page=2#participants"' in text and 'rel="prev"' not in text
    assert "Page 1 of 3" in text

    second = project_page(client, project, 2)
    assert codes_on(second) == [f"P-{index:04}" for index in range(50, 100)]
    assert 'href="?page=1#participants"' in second.content.decode()
    assert 'href="?page=3#participants"' in second.content.decode()

    last = project_page(client, project, 3)
    assert codes_on(last) == [f"P-{index:04}" for index in range(100, 120)]
    assert "101 to 120 shown" in last.content.decode()
    assert 'rel="next"' not in last.content.decode()


@pytest.mark.parametrize(("asked", "shown"), [("99", 3), ("0", 3), ("two", 1), ("", 1)])
def test_a_page_number_out_of_range_or_not_a_number_shows_the_nearest_page(
    client, project, bob, asked, shown
):
    add_participants(project, 120)
    client.force_login(bob)
    assert project_page(client, project, asked).context["page"].participants.number == shown


def test_a_single_page_has_no_pagination(client, project, bob):
    add_participants(project, PER_PAGE)
    client.force_login(bob)
    text = project_page(client, project).content.decode()
    assert "50 participants</caption>" in text
    assert "govuk-pagination" not in text


def test_a_project_without_participants_says_so(client, project, bob):
    client.force_login(bob)
    response = project_page(client, project)
    assert response.context["page"].participants.paginator.count == 0
    assert "No participants yet." in response.content.decode()
    assert "govuk-pagination" not in response.content.decode()


def test_the_response_counts_are_those_of_each_participant_shown(client, project, participant, bob):
    add_participants(project, 60, prefix="A")
    services.response_record(
        user=bob,
        participant=participant,
        point=project.measurement_points.get(key="pre"),
        instrument="ons4",
        answers={"life_satisfaction": 6, "worthwhile": 7, "happiness": 5, "anxiety": 3},
    )
    page = selectors.participant_list(user=bob, project=project, page=2)
    counts = {shown.code: shown.response_count for shown in page}
    assert counts["P-0001"] == 1  # the fixture's participant sorts after A-0000 ... A-0059
    assert len(counts) == 11
    assert set(counts.values()) == {0, 1}


def test_the_selector_keeps_refusing_people_without_the_data_role(project, participant, erin, carol):
    for person in (erin, carol):
        with pytest.raises(PermissionDenied):
            selectors.participant_list(user=person, project=project, page=1)


def test_each_page_seen_is_audited_with_only_the_participants_it_showed(project, bob):
    add_participants(project, 70)
    page = selectors.participant_list(user=bob, project=project, page=2)
    [entry] = audit_views_of(project)
    assert entry.additional_data["page"] == 2
    assert entry.additional_data["participants"] == [shown.pk for shown in page]
    assert len(entry.additional_data["participants"]) == 20


def test_the_page_runs_a_bounded_number_of_queries_however_many_participants(
    client, project, bob, django_assert_max_num_queries
):
    client.force_login(bob)
    add_participants(project, 3)
    with django_assert_max_num_queries(30) as few:
        assert project_page(client, project).status_code == 200
    add_participants(project, 200, prefix="Q")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = project_page(client, project, 4)
    assert len(response.context["page"].participants) == 50

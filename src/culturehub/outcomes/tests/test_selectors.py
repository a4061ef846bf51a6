"""The outcome selectors the pages lean on: who a project may be started for, the offers it may use, and
'Your projects' in a bounded number of queries."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from culturehub.directory.models import ConsortiumMember
from culturehub.directory.tests.factories import join, make_consortium, make_offer
from culturehub.outcomes import selectors, services
from culturehub.places.tests.factories import make_england

pytestmark = pytest.mark.django_db


@pytest.fixture
def consortium(dave, riverside, hillside):
    """Dave coordinates; Riverside is an active member, Hillside only invited."""
    shared = make_consortium(area=make_england(), name="Arts on Prescription North", coordinator=dave)
    join(consortium=shared, organisation=riverside)
    join(consortium=shared, organisation=hillside, state=ConsortiumMember.State.INVITED)
    return shared


def test_a_member_may_start_projects_for_their_organisations_and_the_consortia_they_coordinate(
    bob, dave, riverside, hillside, consortium
):
    assert selectors.project_delivered_by_choices(user=bob) == [
        (f"organisation:{riverside.pk}", riverside.name)
    ]
    assert selectors.project_delivered_by_choices(user=dave) == [
        (f"consortium:{consortium.pk}", f"{consortium.name} (consortium)")
    ]
    assert selectors.project_delivered_by_choices(user=AnonymousUser()) == []


def test_a_delivered_by_choice_names_its_record_or_is_not_found(riverside, consortium):
    assert selectors.project_delivered_by(value=f"organisation:{riverside.pk}") == {"organisation": riverside}
    assert selectors.project_delivered_by(value=f"consortium:{consortium.pk}") == {"consortium": consortium}
    for gone in ("organisation:999999", "consortium:nonsense"):
        with pytest.raises(Http404):
            selectors.project_delivered_by(value=gone)


def test_a_consortium_project_may_use_only_its_active_members_offers(dave, riverside, hillside, consortium):
    ours = make_offer(organisation=riverside, name="Singing for breath")
    invited = make_offer(organisation=hillside, name="Heritage walks")
    values = {
        "user": dave,
        "consortium": consortium,
        "kind": "pilot",
        "funder_name": "A trust",
        "start_date": date(2026, 1, 1),
    }
    shared = services.project_create(title="Shared", offers=[ours], **values)
    assert list(selectors.project_offer_choices(project=shared)) == [ours]
    with pytest.raises(ValidationError) as refused:
        services.project_create(title="Reaching out", offers=[invited], **values)
    assert "offers" in refused.value.message_dict


def test_your_projects_runs_a_bounded_number_of_queries_however_many_projects(
    client, bob, riverside, project, django_assert_max_num_queries
):
    client.force_login(bob)
    with django_assert_max_num_queries(20) as few:
        assert client.get(reverse("outcomes:project_list")).status_code == 200
    for number in range(5):
        services.project_create(
            user=bob,
            organisation=riverside,
            title=f"Project {number}",
            kind="pilot",
            funder_name="A trust",
            start_date=date(2026, 1, 1),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("outcomes:project_list"))
    assert len(response.context["projects"]) == 6

"""Who sees what, tested in the selectors and services (the pages are tested in test_pages.py).

One project delivered by Riverside. bob: owner, holds the data role. erin: Riverside member without it.
frank: another organisation's member. carol: commissioner linked to the project. gina: commissioner not
linked. alice: administrator. And someone not signed in.
"""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from culturehub.directory.models import ConsortiumMember, OrganisationMembership
from culturehub.outcomes import selectors, services
from culturehub.outcomes.permissions import project_access
from culturehub.places.tests.factories import make_england

pytestmark = pytest.mark.django_db

SWEMWBS = {f"q{n}": 3 for n in range(1, 8)}


def _everyone(bob, erin, frank, carol, gina, admin):
    return {
        "bob": bob,
        "erin": erin,
        "frank": frank,
        "carol": carol,
        "gina": gina,
        "alice": admin,
        "anonymous": AnonymousUser(),
    }


@pytest.mark.parametrize(
    ("who", "can_view", "has_data_role", "can_edit", "suppressed"),
    [
        ("bob", True, True, True, False),
        ("erin", True, False, False, False),
        ("frank", False, False, False, True),
        ("carol", True, False, False, True),
        ("gina", False, False, False, True),
        ("alice", True, False, True, True),
        ("anonymous", False, False, False, True),
    ],
)
def test_each_role_has_the_access_the_rules_give(
    project, bob, erin, frank, carol, gina, admin, who, can_view, has_data_role, can_edit, suppressed
):
    user = _everyone(bob, erin, frank, carol, gina, admin)[who]
    access = project_access(user=user, project=project)
    assert (access.can_view, access.has_data_role, access.can_edit, access.suppress_small_counts) == (
        can_view,
        has_data_role,
        can_edit,
        suppressed,
    )


@pytest.mark.parametrize("who", ["frank", "gina", "anonymous"])
def test_people_with_no_tie_to_the_project_are_told_it_does_not_exist(
    project, participant, bob, erin, frank, carol, gina, admin, who
):
    user = _everyone(bob, erin, frank, carol, gina, admin)[who]
    with pytest.raises(Http404):
        selectors.project_get(user=user, pk=project.pk)
    with pytest.raises(Http404):
        selectors.participant_get(user=user, pk=participant.pk)
    upload = services.responses_upload(
        user=bob,
        project=project,
        instrument="swemwbs",
        file_name="x.csv",
        content=b"participant_code,timepoint,q1,q2,q3,q4,q5,q6,q7\n",
    )
    with pytest.raises(Http404):
        selectors.upload_get(user=user, pk=upload.pk)


@pytest.mark.parametrize("who", ["erin", "carol", "alice"])
def test_people_who_see_the_project_but_not_its_participants_are_refused_participant_data(
    project, participant, bob, erin, frank, carol, gina, admin, who
):
    user = _everyone(bob, erin, frank, carol, gina, admin)[who]
    project_seen, _access = selectors.project_get(user=user, pk=project.pk)
    assert project_seen == project
    with pytest.raises(PermissionDenied):
        selectors.participant_list(user=user, project=project)
    with pytest.raises(PermissionDenied):
        selectors.participant_get(user=user, pk=participant.pk)
    with pytest.raises(PermissionDenied):
        services.participant_export(user=user, participant=participant)
    with pytest.raises(PermissionDenied):
        services.participant_erase(user=user, participant=participant)
    with pytest.raises(PermissionDenied):
        services.participant_create(user=user, project=project, consent_date=date(2026, 2, 1))
    with pytest.raises(PermissionDenied):
        services.response_record(
            user=user,
            participant=participant,
            point=project.measurement_points.first(),
            instrument="swemwbs",
            answers=SWEMWBS,
        )
    page = selectors.project_page(user=user, pk=project.pk)
    assert page.participants is None


def test_the_data_role_sees_participants_and_their_contact_details(project, participant, bob):
    page = selectors.project_page(user=bob, pk=project.pk)
    assert [p.code for p in page.participants] == ["P-0001"]
    detail = selectors.participant_page(user=bob, pk=participant.pk)
    assert detail.contact.name == "Sam Example"


def test_a_member_given_the_data_role_sees_participants(project, participant, bob, erin):
    services.data_role_grant(user=bob, project=project, member=erin)
    assert [p.code for p in selectors.participant_list(user=erin, project=project)] == ["P-0001"]
    services.data_role_revoke(user=bob, project=project, member=erin)
    with pytest.raises(PermissionDenied):
        selectors.participant_list(user=erin, project=project)


def test_the_data_role_lapses_when_the_person_leaves_the_organisation(project, participant, bob, riverside):
    OrganisationMembership.objects.filter(organisation=riverside, user=bob).delete()
    with pytest.raises(Http404):
        selectors.participant_get(user=bob, pk=participant.pk)


def test_only_delivering_members_can_hold_the_data_role(project, bob, frank, admin):
    with pytest.raises(ValidationError):
        services.data_role_grant(user=bob, project=project, member=frank)
    with pytest.raises(ValidationError):
        services.data_role_grant(user=admin, project=project, member=admin)


def test_administrators_manage_the_project_but_do_not_read_participants(project, participant, admin, erin):
    services.data_role_grant(user=admin, project=project, member=erin)
    updated = services.project_update(
        user=admin,
        project=project,
        title="Singing together",
        kind=project.kind,
        funder_name=project.funder_name,
        start_date=project.start_date,
        instruments=project.instruments,
    )
    assert updated.title == "Singing together"
    with pytest.raises(PermissionDenied):
        selectors.participant_get(user=admin, pk=participant.pk)


def test_members_without_the_data_role_cannot_name_who_holds_it(project, erin):
    with pytest.raises(PermissionDenied):
        services.data_role_grant(user=erin, project=project, member=erin)
    with pytest.raises(PermissionDenied):
        services.viewer_add(user=erin, project=project, email="gina@example.org")


def test_linked_commissioners_see_counts_under_ten_suppressed(project, participant, bob, carol):
    pre = project.measurement_points.get(key="pre")
    services.response_record(
        user=bob, participant=participant, point=pre, instrument="swemwbs", answers=SWEMWBS
    )
    outside = selectors.project_page(user=carol, pk=project.pk)
    assert outside.participant_count is None
    assert outside.response_counts.cells["swemwbs"]["pre"] is None
    inside = selectors.project_page(user=bob, pk=project.pk)
    assert inside.participant_count == 1
    assert inside.response_counts.cells["swemwbs"]["pre"] == 1


def test_your_projects_lists_only_projects_the_person_is_tied_to(
    project, bob, erin, frank, carol, gina, admin
):
    def titles(user):
        return [p.title for p in selectors.project_list_for_user(user=user)]

    assert titles(bob) == titles(erin) == titles(carol) == titles(admin) == [project.title]
    assert titles(frank) == titles(gina) == titles(AnonymousUser()) == []


def test_other_organisations_members_cannot_start_a_project_for_it(riverside, frank):
    with pytest.raises(PermissionDenied):
        services.project_create(
            user=frank,
            organisation=riverside,
            title="T",
            kind="pilot",
            funder_name="F",
            start_date=date(2026, 1, 1),
        )


def test_a_consortium_project_is_delivered_by_its_coordinator_and_active_members(
    dave, bob, frank, riverside, hillside
):
    from culturehub.directory.models import Consortium

    consortium = Consortium.objects.create(
        name="Arts on Prescription North",
        description="d",
        area=make_england(),
        coordinator=dave,
        contact_email="c@example.org",
    )
    ConsortiumMember.objects.create(
        consortium=consortium, organisation=riverside, state=ConsortiumMember.State.ACTIVE
    )
    ConsortiumMember.objects.create(
        consortium=consortium, organisation=hillside, state=ConsortiumMember.State.INVITED
    )
    shared = services.project_create(
        user=dave,
        consortium=consortium,
        title="Shared",
        kind="grant_funded",
        funder_name="A trust",
        start_date=date(2026, 1, 1),
    )
    assert project_access(user=dave, project=shared).has_data_role
    assert project_access(user=bob, project=shared).can_view
    assert not project_access(user=bob, project=shared).has_data_role
    assert not project_access(user=frank, project=shared).can_view  # only invited, not active
    services.data_role_grant(user=dave, project=shared, member=bob)
    assert project_access(user=bob, project=shared).has_data_role

"""Who may read and change what, role by role, checked in the selectors and services themselves.

bob owns Riverside; erin owns Hillside; dave coordinates a consortium Riverside belongs to; carol is a
commissioner; alice an administrator; "anonymous" is not signed in.
"""

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from culturehub.directory import selectors, services
from culturehub.directory.tests.factories import make_consortium, make_offer, make_organisation

pytestmark = pytest.mark.django_db

EVERYONE = ["anonymous", "bob", "erin", "carol", "dave", "alice"]
ORG_FIELDS = {"name": "Riverside Community Arts", "legal_form": "cio", "description": "Arts."}


@pytest.fixture
def people(bob, erin, carol, dave, alice, hillside):
    return {
        "anonymous": AnonymousUser(),
        "bob": bob,
        "erin": erin,
        "carol": carol,
        "dave": dave,
        "alice": alice,
    }


@pytest.fixture
def world(people, riverside, geo, dave):
    make_consortium(area=geo.kent, coordinator=dave, members=[riverside])
    return riverside


def allowed(call) -> bool:
    try:
        call()
    except PermissionDenied:
        return False
    return True


@pytest.mark.parametrize("who", EVERYONE)
def test_everyone_reads_a_published_organisation_and_its_published_offers(people, world, who):
    offer = make_offer(organisation=world)
    assert selectors.organisation_get(user=people[who], pk=world.pk) == world
    assert selectors.offer_get(user=people[who], pk=offer.pk) == offer
    assert offer in selectors.offer_list_visible(user=people[who])


@pytest.mark.parametrize("status", ["draft", "archived"])
@pytest.mark.parametrize(
    ("who", "can_see"),
    [
        ("anonymous", False),
        ("erin", False),
        ("carol", False),
        ("bob", True),
        ("dave", True),
        ("alice", True),
    ],
)
def test_drafts_and_archived_organisations_are_seen_by_members_the_coordinator_and_administrators(
    people, world, who, can_see, status
):
    world.status = status
    world.save()
    offer = make_offer(organisation=world)
    user = people[who]
    assert allowed(lambda: selectors.organisation_get(user=user, pk=world.pk)) is can_see
    assert allowed(lambda: selectors.offer_get(user=user, pk=offer.pk)) is can_see
    assert (world in selectors.organisation_list_visible(user=user)) is can_see
    assert (offer in selectors.offer_list_visible(user=user)) is can_see


@pytest.mark.parametrize(
    ("who", "can_see"),
    [
        ("anonymous", False),
        ("erin", False),
        ("carol", False),
        ("bob", True),
        ("alice", True),
    ],
)
def test_a_draft_offer_of_a_published_organisation_is_seen_only_by_its_people(people, world, who, can_see):
    offer = make_offer(organisation=world, status="draft")
    assert allowed(lambda: selectors.offer_get(user=people[who], pk=offer.pk)) is can_see
    assert (offer in selectors.offer_list_visible(user=people[who])) is can_see


def test_a_coordinator_of_another_consortium_does_not_see_a_draft(people, riverside, geo, django_user_model):
    riverside.status = "draft"
    riverside.save()
    other = django_user_model.objects.create_user(
        email="gita@example.org", password="x" * 12, role="coordinator"
    )
    make_consortium(area=geo.kent, coordinator=other, name="Elsewhere")
    assert not allowed(lambda: selectors.organisation_get(user=other, pk=riverside.pk))


def test_a_missing_record_is_not_found_rather_than_forbidden(people):
    for pk in (uuid.uuid4(), "not-a-uuid"):
        with pytest.raises(Http404):
            selectors.organisation_get(user=people["alice"], pk=pk)
        with pytest.raises(Http404):
            selectors.offer_get(user=people["alice"], pk=pk)
        with pytest.raises(Http404):
            selectors.consortium_get(user=people["alice"], pk=pk)


@pytest.mark.parametrize(
    ("who", "can_edit"),
    [
        ("anonymous", False),
        ("erin", False),
        ("carol", False),
        ("dave", False),
        ("bob", True),
        ("alice", True),
    ],
)
def test_only_members_and_administrators_change_an_organisation_its_offers_and_venues(
    people, world, who, can_edit
):
    user = people[who]
    offer = make_offer(organisation=world)
    assert (
        allowed(lambda: services.organisation_update(user=user, organisation=world, **ORG_FIELDS)) is can_edit
    )
    assert allowed(lambda: services.organisation_publish(user=user, organisation=world)) is can_edit
    assert (
        allowed(lambda: services.offer_update(user=user, offer=offer, name="N", description="D")) is can_edit
    )
    assert (
        allowed(lambda: services.offer_create(user=user, organisation=world, name="N", description="D"))
        is can_edit
    )
    assert (
        allowed(
            lambda: services.venue_create(
                user=user,
                organisation=world,
                name="Hall",
                address="1 Road",
                town="Derby",
                postcode="DE1 2FS",
            )
        )
        is can_edit
    )
    assert allowed(lambda: selectors.organisation_get_for_edit(user=user, pk=world.pk)) is can_edit


def test_an_editor_who_is_not_the_owner_still_edits(erin, riverside):
    organisation = make_organisation(name="Shared", editors=[erin])
    services.organisation_update(user=erin, organisation=organisation, **ORG_FIELDS)


@pytest.mark.parametrize(
    ("who", "can_edit"),
    [
        ("anonymous", False),
        ("bob", False),
        ("erin", False),
        ("carol", False),
        ("dave", True),
        ("alice", True),
    ],
)
def test_only_the_coordinator_and_administrators_change_a_consortium(
    people, riverside, geo, dave, who, can_edit
):
    consortium = make_consortium(area=geo.kent, coordinator=dave, lead=riverside)
    user = people[who]
    assert allowed(lambda: services.consortium_publish(user=user, consortium=consortium)) is can_edit
    assert (
        allowed(lambda: services.consortium_invite(user=user, consortium=consortium, email="new@example.org"))
        is can_edit
    )
    assert allowed(lambda: selectors.consortium_get_for_edit(user=user, pk=consortium.pk)) is can_edit


@pytest.mark.parametrize(
    ("who", "can_see"),
    [
        ("anonymous", False),
        ("erin", False),
        ("carol", False),
        ("bob", True),
        ("dave", True),
        ("alice", True),
    ],
)
def test_a_draft_consortium_is_seen_by_its_coordinator_members_and_administrators(
    people, riverside, geo, dave, who, can_see
):
    consortium = make_consortium(area=geo.kent, coordinator=dave, lead=riverside, status="draft")
    assert allowed(lambda: selectors.consortium_get(user=people[who], pk=consortium.pk)) is can_see
    assert (consortium in selectors.consortium_list_visible(user=people[who])) is can_see

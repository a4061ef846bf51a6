import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from culturehub.directory import selectors, services
from culturehub.directory.models import ConsortiumMember
from culturehub.directory.tests.factories import join, make_consortium, make_offer, make_organisation

pytestmark = pytest.mark.django_db

FIELDS = {
    "name": "Derby Creative Health",
    "description": "Arts for health in Derby.",
    "contact_email": "hello@dch.example.org",
}


def token_in(message) -> str:
    return re.search(r"/directory/consortia/invitations/([\w-]+)/", message.body).group(1)


@pytest.fixture
def consortium(geo, dave, riverside):
    """Dave coordinates it; Riverside (bob's) leads it."""
    return make_consortium(area=geo.kent, coordinator=dave, lead=riverside)


def test_starting_a_consortium_makes_the_creator_coordinator_and_the_lead_a_member(bob, riverside, geo):
    consortium = services.consortium_create(user=bob, area=geo.kent, lead=riverside, **FIELDS)
    assert consortium.coordinator == bob
    assert consortium.status == "draft"
    membership = consortium.memberships.get()
    assert (membership.organisation, membership.state) == (riverside, "active")
    assert membership.confirmed_by_consortium_at and membership.confirmed_by_organisation_at


def test_the_lead_must_be_one_of_the_creators_organisations_unless_an_administrator_sets_it(
    bob, riverside, alice, hillside, geo
):
    with pytest.raises(ValidationError) as caught:
        services.consortium_create(user=bob, area=geo.kent, lead=hillside, **FIELDS)
    assert caught.value.message_dict == {"lead": ["Choose one of your own organisations as the lead"]}
    consortium = services.consortium_create(user=alice, area=geo.kent, lead=hillside, **FIELDS)
    assert consortium.lead == hillside


def test_people_without_an_organisation_cannot_start_a_consortium_but_coordinators_can(frank, dave, geo):
    with pytest.raises(PermissionDenied):
        services.consortium_create(user=frank, area=geo.kent, **FIELDS)
    assert services.consortium_create(user=dave, area=geo.kent, **FIELDS).coordinator == dave


def test_an_invitation_is_emailed_and_stays_invited_until_a_member_accepts(consortium, dave, erin, hillside):
    membership = services.consortium_invite(
        user=dave,
        consortium=consortium,
        organisation=hillside,
        email="erin@example.org",
        role="heritage lead",
    )
    assert membership.state == "invited"
    assert membership.confirmed_by_consortium_at is not None
    assert membership.confirmed_by_organisation_at is None
    [message] = mail.outbox
    assert message.to == ["erin@example.org"]
    assert "Invitation to join Culture Together" in message.subject
    assert consortium.lead.name not in message.body
    token = token_in(message)
    assert (
        selectors.consortium_collective_offer(consortium=consortium).filter(organisation=hillside).count()
        == 0
    )

    accepted = services.consortium_accept_invitation(user=erin, token=token)
    assert accepted.state == "active"
    assert accepted.confirmed_by_organisation_at is not None
    assert accepted.invitation_token == ""
    with pytest.raises(ValidationError):
        services.consortium_accept_invitation(user=erin, token=token)


def test_only_a_member_of_the_invited_organisation_can_accept(consortium, dave, hillside, frank):
    services.consortium_invite(user=dave, consortium=consortium, organisation=hillside, email="x@example.org")
    with pytest.raises(PermissionDenied):
        services.consortium_accept_invitation(user=frank, token=token_in(mail.outbox[0]))
    assert ConsortiumMember.objects.get(organisation=hillside).state == "invited"


def test_an_invitation_by_email_alone_is_accepted_for_the_accepters_organisation(
    consortium, dave, erin, hillside
):
    services.consortium_invite(user=dave, consortium=consortium, email="someone@example.org")
    token = token_in(mail.outbox[0])
    with pytest.raises(ValidationError) as caught:
        services.consortium_accept_invitation(user=erin, token=token)
    assert caught.value.message_dict == {"organisation": ["Select the organisation that is joining"]}
    membership = services.consortium_accept_invitation(user=erin, token=token, organisation=hillside)
    assert (membership.organisation, membership.state) == (hillside, "active")


def test_declining_an_invitation(consortium, dave, erin, hillside):
    services.consortium_invite(user=dave, consortium=consortium, organisation=hillside, email="e@example.org")
    membership = services.consortium_decline_invitation(user=erin, token=token_in(mail.outbox[0]))
    assert membership.state == "declined"


def test_only_the_coordinator_or_an_administrator_invites(consortium, bob, alice, hillside):
    with pytest.raises(PermissionDenied):
        services.consortium_invite(
            user=bob, consortium=consortium, organisation=hillside, email="e@example.org"
        )
    services.consortium_invite(
        user=alice, consortium=consortium, organisation=hillside, email="e@example.org"
    )


def test_inviting_a_member_again_is_refused(consortium, dave, riverside):
    with pytest.raises(ValidationError) as caught:
        services.consortium_invite(
            user=dave, consortium=consortium, organisation=riverside, email="b@example.org"
        )
    assert caught.value.message_dict == {
        "organisation": ["Riverside Community Arts is already a member of the consortium"]
    }


def test_a_request_to_join_waits_for_the_coordinator_who_is_told_by_email(consortium, dave, erin, hillside):
    membership = services.consortium_request_to_join(user=erin, consortium=consortium, organisation=hillside)
    assert membership.state == "requested"
    assert set(mail.outbox[0].to) == {"hello@culture-together.example.org", "dave@example.org"}
    with pytest.raises(PermissionDenied):
        services.consortium_confirm_request(user=erin, membership=membership)
    services.consortium_confirm_request(user=dave, membership=membership)
    membership.refresh_from_db()
    assert membership.state == "active"


def test_asking_to_join_after_an_invitation_confirms_both_sides(consortium, dave, erin, hillside):
    services.consortium_invite(user=dave, consortium=consortium, organisation=hillside, email="e@example.org")
    membership = services.consortium_request_to_join(user=erin, consortium=consortium, organisation=hillside)
    assert membership.state == "active"


def test_only_members_of_an_organisation_ask_for_it_to_join(consortium, bob, hillside):
    with pytest.raises(PermissionDenied):
        services.consortium_request_to_join(user=bob, consortium=consortium, organisation=hillside)


def test_a_member_leaves_and_the_lead_is_cleared(consortium, bob, riverside):
    membership = consortium.memberships.get(organisation=riverside)
    services.consortium_leave(user=bob, membership=membership)
    membership.refresh_from_db()
    consortium.refresh_from_db()
    assert membership.state == "left"
    assert consortium.lead is None


def test_the_coordinator_removes_a_member_but_other_members_cannot(consortium, dave, erin, hillside):
    membership = join(consortium=consortium, organisation=hillside)
    with pytest.raises(PermissionDenied):
        services.consortium_remove_member(user=make_member_of_lead(consortium), membership=membership)
    services.consortium_remove_member(user=dave, membership=membership)
    membership.refresh_from_db()
    assert membership.state == "removed"


def make_member_of_lead(consortium):
    return consortium.lead.memberships.get().user


def test_the_collective_offer_is_the_published_offers_of_active_published_members(
    consortium, riverside, hillside
):
    join(consortium=consortium, organisation=hillside)
    invited = make_organisation(name="Invited Only Arts")
    join(consortium=consortium, organisation=invited, state=ConsortiumMember.State.INVITED)
    draft_org = make_organisation(name="Draft Org", status="draft")
    join(consortium=consortium, organisation=draft_org)
    ours = make_offer(organisation=riverside, name="Riverside singing")
    theirs = make_offer(organisation=hillside, name="Hillside heritage walks")
    make_offer(organisation=hillside, name="Hillside draft", status="draft")
    make_offer(organisation=invited, name="Invited offer")
    make_offer(organisation=draft_org, name="Draft org offer")
    assert list(selectors.consortium_collective_offer(consortium=consortium)) == [theirs, ours]


def test_the_coordinator_updates_and_publishes_the_consortium(consortium, dave, bob, geo):
    services.consortium_update(
        user=dave, consortium=consortium, area=geo.maidstone, lead=consortium.lead, **FIELDS
    )
    services.consortium_publish(user=dave, consortium=consortium)
    consortium.refresh_from_db()
    assert (consortium.name, consortium.area, consortium.status) == (
        "Derby Creative Health",
        geo.maidstone,
        "published",
    )
    with pytest.raises(PermissionDenied):
        services.consortium_update(user=bob, consortium=consortium, area=geo.kent, **FIELDS)

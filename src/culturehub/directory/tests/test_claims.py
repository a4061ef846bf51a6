"""Claiming unclaimed listings: who may claim, matching an address to the organisation's domain, the
emailed single-use link, administrators' decisions, withdrawing, and who sees which claims.

Lantern Theatre (lanterntheatre.org.uk) is an invented listing made from a public register, with no
members. People: bob a member, dave a coordinator, carol a commissioner, alice an administrator, frank a
member with no organisation.
"""

import re
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from culturehub.directory import claim_selectors, claim_services, services
from culturehub.directory.claim_services import email_matches_website
from culturehub.directory.models import Organisation, OrganisationClaim, OrganisationMembership
from culturehub.directory.tests.factories import make_organisation

pytestmark = pytest.mark.django_db

WEBSITE = "https://www.lanterntheatre.org.uk/"
EVIDENCE = "I am the theatre's general manager; the trustees' report on the register names me."


def token_in(message) -> str:
    return re.search(r"/directory/claims/confirm/([\w-]+)/", message.body).group(1)


def make_unclaimed(name="Lantern Theatre", website=WEBSITE, **fields) -> Organisation:
    return make_organisation(name=name, website=website, origin="register", origin_id="GB-CHC-1", **fields)


@pytest.fixture
def lantern():
    return make_unclaimed()


def claim_by_email(user, organisation, email="jo@lanterntheatre.org.uk"):
    return claim_services.claim_start(user=user, organisation=organisation, email=email)


def claim_for_review(user, organisation, email="jo@example.net"):
    return claim_services.claim_start(user=user, organisation=organisation, email=email, evidence=EVIDENCE)


# ---------------------------------------------------------------------------------------------------
# Matching an address to the website's domain
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "website", "matches"),
    [
        ("jo@lanterntheatre.org.uk", "https://www.lanterntheatre.org.uk/", True),
        ("jo@lanterntheatre.org.uk", "https://lanterntheatre.org.uk/whats-on?x=1", True),
        ("jo@box.lanterntheatre.org.uk", "https://www.lanterntheatre.org.uk", True),
        ("jo@lanterntheatre.org.uk", "https://tickets.lanterntheatre.org.uk/", True),
        ("Jo@LanternTheatre.ORG.UK", "lanterntheatre.org.uk", True),
        ("jo@lanterntheatre.org.uk", "http://www.lanterntheatre.org.uk:8080/", True),
        ("jo@otherlanterntheatre.org.uk", WEBSITE, False),
        ("jo@lanterntheatre.co.uk", WEBSITE, False),
        ("jo@lanterntheatre.org.uk.example.com", WEBSITE, False),
        ("jo@org.uk", "https://org.uk/", False),
        ("jo@gmail.com", "https://gmail.com/", False),
        ("jo@googlemail.com", "https://mail.googlemail.com/", False),
        ("jo@facebook.com", "https://www.facebook.com/lanterntheatre", False),
        ("jo@lanterntheatre.org.uk", "", False),
        ("jo@127.0.0.1", "http://127.0.0.1/", False),
        ("jo@localhost", "http://localhost/", False),
        ("not-an-address", WEBSITE, False),
    ],
)
def test_an_address_matches_only_the_registrable_domain_of_the_website(email, website, matches):
    assert email_matches_website(email, website) is matches


# ---------------------------------------------------------------------------------------------------
# Starting a claim, by role
# ---------------------------------------------------------------------------------------------------


def test_a_member_with_an_address_at_the_domain_is_emailed_a_single_use_link(bob, lantern):
    claim = claim_by_email(bob, lantern)
    assert (claim.method, claim.state, claim.email) == ("email_domain", "pending", "jo@lanterntheatre.org.uk")
    [message] = mail.outbox
    assert message.to == ["jo@lanterntheatre.org.uk"]
    assert "Lantern Theatre" in message.subject
    token = token_in(message)
    # Only the token's hash is stored.
    assert claim.token_hash == claim_selectors.token_hash(token) != token
    assert timedelta(hours=47) < claim.token_expires_at - timezone.now() <= timedelta(hours=48)
    assert not OrganisationMembership.objects.filter(organisation=lantern).exists()


def test_a_coordinator_with_another_address_asks_an_administrator_and_no_email_is_sent(dave, lantern):
    claim = claim_for_review(dave, lantern)
    assert (claim.method, claim.state, claim.evidence) == ("administrator", "pending", EVIDENCE)
    assert claim.token_hash == ""
    assert mail.outbox == []


@pytest.mark.parametrize("who", ["carol", "alice", "anonymous"])
def test_commissioners_administrators_and_visitors_cannot_claim(who, request, lantern):
    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        claim_by_email(user, lantern)
    assert not OrganisationClaim.objects.exists()
    assert mail.outbox == []


def test_a_listing_with_an_owner_cannot_be_claimed(frank, riverside):
    with pytest.raises(PermissionDenied, match="already has an owner"):
        claim_for_review(frank, riverside)


def test_a_draft_listing_cannot_be_claimed(bob):
    draft = make_unclaimed(status="draft")
    with pytest.raises(PermissionDenied, match="published"):
        claim_for_review(bob, draft)


def test_a_demo_example_cannot_be_claimed_and_its_page_does_not_offer_it(bob):
    example = make_unclaimed(is_example=True)
    with pytest.raises(PermissionDenied, match="example"):
        claim_for_review(bob, example)
    assert not claim_selectors.claim_status(user=bob, organisation=example).unclaimed


def test_a_person_cannot_claim_the_same_listing_twice_while_waiting(bob, lantern):
    claim_by_email(bob, lantern)
    with pytest.raises(PermissionDenied, match="already claimed"):
        claim_for_review(bob, lantern)


def test_two_people_may_claim_the_same_listing(bob, frank, lantern):
    claim_by_email(bob, lantern)
    claim_for_review(frank, lantern)
    assert lantern.claims.count() == 2


def test_another_address_without_evidence_is_refused_naming_the_domain(bob, lantern):
    with pytest.raises(ValidationError) as error:
        claim_services.claim_start(user=bob, organisation=lantern, email="jo@gmail.com")
    assert "lanterntheatre.org.uk" in error.value.message_dict["evidence"][0]


def test_a_listing_without_a_website_can_only_be_claimed_through_an_administrator(bob):
    listing = make_unclaimed(website="")
    with pytest.raises(ValidationError) as error:
        claim_services.claim_start(user=bob, organisation=listing, email="jo@lanterntheatre.org.uk")
    assert "domain we can check" in error.value.message_dict["evidence"][0]
    assert claim_for_review(bob, listing).method == "administrator"


@pytest.mark.parametrize(("email", "message"), [("", "Enter your email"), ("jo@", "correct format")])
def test_a_missing_or_malformed_address_is_refused(bob, lantern, email, message):
    with pytest.raises(ValidationError) as error:
        claim_services.claim_start(user=bob, organisation=lantern, email=email, evidence=EVIDENCE)
    assert message in error.value.message_dict["email"][0]


def test_a_person_can_start_five_claims_an_hour(bob):
    listings = [make_unclaimed(name=f"Listing {number}") for number in range(6)]
    with pytest.raises(ValidationError):  # refused claims do not count
        claim_services.claim_start(user=bob, organisation=listings[0], email="")
    for listing in listings[:5]:
        claim_for_review(bob, listing)
    assert claim_services.claim_starts_left(user=bob) == 0
    with pytest.raises(ValidationError, match="5 claims in the last hour"):
        claim_for_review(bob, listings[5])
    assert OrganisationClaim.objects.count() == 5


# ---------------------------------------------------------------------------------------------------
# Confirming by the emailed link
# ---------------------------------------------------------------------------------------------------


def test_the_link_makes_the_claimant_the_owner_and_keeps_the_record(bob, frank, lantern):
    other = claim_for_review(frank, lantern)
    claim = claim_by_email(bob, lantern)
    confirmed = claim_services.claim_verify_email(user=bob, token=token_in(mail.outbox[0]))
    assert confirmed.pk == claim.pk and confirmed.state == "verified" and confirmed.decided_at
    membership = OrganisationMembership.objects.get(organisation=lantern)
    assert (membership.user, membership.role) == (bob, "owner")
    lantern.refresh_from_db()
    assert lantern.origin == "register"  # where it came from stays on record
    other.refresh_from_db()
    assert other.state == "rejected" and "confirmed first" in other.reason
    assert LogEntry.objects.get_for_object(claim).filter(actor=bob).exists()
    # The new owner can now change the listing.
    updated = services.organisation_update(
        user=bob, organisation=lantern, name="Lantern Theatre", legal_form="cio", description="Plays."
    )
    assert updated.description == "Plays."


def test_the_link_works_only_once(bob, lantern):
    claim_by_email(bob, lantern)
    token = token_in(mail.outbox[0])
    claim_services.claim_verify_email(user=bob, token=token)
    with pytest.raises(ValidationError, match="already been used"):
        claim_services.claim_verify_email(user=bob, token=token)
    assert OrganisationMembership.objects.filter(organisation=lantern).count() == 1


def test_an_expired_link_does_nothing_and_the_listing_can_be_claimed_again(bob, lantern):
    claim = claim_by_email(bob, lantern)
    past = timezone.now() - timedelta(seconds=1)
    OrganisationClaim.objects.filter(pk=claim.pk).update(token_expires_at=past)
    with pytest.raises(ValidationError, match="expired"):
        claim_services.claim_verify_email(user=bob, token=token_in(mail.outbox[0]))
    assert not OrganisationMembership.objects.filter(organisation=lantern).exists()
    again = claim_by_email(bob, lantern)
    claim.refresh_from_db()
    assert claim.state == "withdrawn" and "expired" in claim.reason
    claim_services.claim_verify_email(user=bob, token=token_in(mail.outbox[1]))
    again.refresh_from_db()
    assert again.state == "verified"


def test_only_the_claimant_can_use_the_link(bob, frank, lantern):
    claim_by_email(bob, lantern)
    token = token_in(mail.outbox[0])
    for other in (frank, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            claim_services.claim_verify_email(user=other, token=token)
    assert not OrganisationMembership.objects.filter(organisation=lantern).exists()


@pytest.mark.parametrize("token", ["", "not-a-token"])
def test_an_unknown_link_is_not_found(bob, token):
    with pytest.raises(Http404):
        claim_services.claim_verify_email(user=bob, token=token)


def test_the_link_fails_when_someone_else_got_the_listing_first(bob, frank, alice, lantern):
    claim_by_email(bob, lantern)
    token = token_in(mail.outbox[0])
    claim_services.claim_decide(user=alice, claim=claim_for_review(frank, lantern), approve=True)
    with pytest.raises(ValidationError):
        claim_services.claim_verify_email(user=bob, token=token)
    owners = OrganisationMembership.objects.filter(organisation=lantern).values_list("user", flat=True)
    assert list(owners) == [frank.pk]


# ---------------------------------------------------------------------------------------------------
# Administrators' decisions
# ---------------------------------------------------------------------------------------------------


def test_an_administrator_approves_a_claim_and_the_claimant_is_told(alice, bob, lantern):
    claim = claim_services.claim_decide(
        user=alice, claim=claim_for_review(bob, lantern), approve=True, reason="Named in the register."
    )
    assert (claim.state, claim.decided_by, claim.reason) == ("approved", alice, "Named in the register.")
    assert OrganisationMembership.objects.get(organisation=lantern, user=bob).role == "owner"
    [message] = mail.outbox
    assert message.to == ["bob@example.org"] and "approved" in message.subject.lower()


def test_turning_a_claim_down_needs_a_reason_the_claimant_reads(alice, bob, lantern):
    claim = claim_for_review(bob, lantern)
    with pytest.raises(ValidationError) as error:
        claim_services.claim_decide(user=alice, claim=claim, approve=False, reason=" ")
    assert "reason" in error.value.message_dict
    claim_services.claim_decide(user=alice, claim=claim, approve=False, reason="No link to the theatre.")
    claim.refresh_from_db()
    assert (claim.state, claim.decided_by) == ("rejected", alice)
    assert not OrganisationMembership.objects.filter(organisation=lantern).exists()
    assert "No link to the theatre." in mail.outbox[0].body


@pytest.mark.parametrize("who", ["bob", "carol", "dave", "anonymous"])
def test_only_administrators_decide(who, request, frank, lantern):
    claim = claim_for_review(frank, lantern)
    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        claim_services.claim_decide(user=user, claim=claim, approve=True)
    claim.refresh_from_db()
    assert claim.state == "pending"


def test_an_email_claim_or_a_decided_one_is_not_decided_by_an_administrator(alice, bob, frank, lantern):
    with pytest.raises(ValidationError, match="no longer waiting"):
        claim_services.claim_decide(user=alice, claim=claim_by_email(bob, lantern), approve=True)
    claim = claim_for_review(frank, lantern)
    claim_services.claim_decide(user=alice, claim=claim, approve=False, reason="Not enough.")
    with pytest.raises(ValidationError, match="no longer waiting"):
        claim_services.claim_decide(user=alice, claim=claim, approve=True)


# ---------------------------------------------------------------------------------------------------
# Withdrawing
# ---------------------------------------------------------------------------------------------------


def test_the_claimant_withdraws_a_waiting_claim_and_its_link_stops_working(bob, lantern):
    claim = claim_by_email(bob, lantern)
    assert claim_services.claim_withdraw(user=bob, claim=claim).state == "withdrawn"
    with pytest.raises(ValidationError, match="already been used"):
        claim_services.claim_verify_email(user=bob, token=token_in(mail.outbox[0]))
    with pytest.raises(ValidationError, match="no longer waiting"):
        claim_services.claim_withdraw(user=bob, claim=claim)


@pytest.mark.parametrize("who", ["frank", "alice", "carol", "anonymous"])
def test_no_one_else_withdraws_a_claim(who, request, bob, lantern):
    claim = claim_for_review(bob, lantern)
    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        claim_services.claim_withdraw(user=user, claim=claim)


# ---------------------------------------------------------------------------------------------------
# Who sees which claims
# ---------------------------------------------------------------------------------------------------


def test_people_see_only_their_own_claims(bob, frank, lantern):
    own = claim_for_review(bob, lantern)
    claim_for_review(frank, lantern)
    assert list(claim_selectors.claim_list_for_user(user=bob)) == [own]
    assert list(claim_selectors.claim_list_for_user(user=AnonymousUser())) == []


def test_the_review_queue_holds_waiting_administrator_claims_for_administrators_only(
    alice, bob, carol, dave, frank, lantern
):
    waiting = claim_for_review(frank, lantern)
    claim_by_email(bob, lantern)
    assert list(claim_selectors.claim_list_for_review(user=alice)) == [waiting]
    for user in (bob, carol, dave, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            claim_selectors.claim_list_for_review(user=user)


def test_a_claim_is_read_by_its_claimant_and_administrators_only(alice, bob, carol, dave, frank, lantern):
    claim = claim_for_review(frank, lantern)
    assert claim_selectors.claim_get(user=frank, pk=claim.pk) == claim
    assert claim_selectors.claim_get(user=alice, pk=claim.pk) == claim
    for user in (bob, carol, dave, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            claim_selectors.claim_get(user=user, pk=claim.pk)
    with pytest.raises(Http404):
        claim_selectors.claim_get(user=alice, pk=claim.pk + 100)


def test_the_page_status_says_who_may_claim(bob, carol, alice, frank, lantern, riverside):
    assert claim_selectors.claim_status(user=AnonymousUser(), organisation=lantern).unclaimed
    assert claim_selectors.claim_status(user=bob, organisation=lantern).refusal == ""
    assert "Commissioners" in claim_selectors.claim_status(user=carol, organisation=lantern).refusal
    assert "Administrators" in claim_selectors.claim_status(user=alice, organisation=lantern).refusal
    assert not claim_selectors.claim_status(user=frank, organisation=riverside).unclaimed
    claim = claim_for_review(frank, lantern)
    status = claim_selectors.claim_status(user=frank, organisation=lantern)
    assert status.own_claim == claim and "already claimed" in status.refusal

"""The claim pages: the notice and button on an unclaimed listing, the claim form, 'check your email',
the confirmation link (nothing changes on GET), 'your claims', and the administrators' queue."""

import pytest
from django.core import mail
from django.test import Client

from culturehub.directory import claim_services
from culturehub.directory.models import OrganisationClaim, OrganisationMembership
from culturehub.directory.tests.test_claims import (
    EVIDENCE,
    claim_by_email,
    claim_for_review,
    make_unclaimed,
    token_in,
)
from culturehub.directory.tests.test_pages import (
    assert_sound_structure,
    count_queries,
    html_of,
    text_of,
    title_of,
    url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lantern():
    return make_unclaimed()


def signed_in(client, user):
    client.force_login(user)
    return client


# ---------------------------------------------------------------------------------------------------
# The organisation page
# ---------------------------------------------------------------------------------------------------


def test_visitors_see_the_listing_is_unclaimed_from_a_register_and_a_sign_in_link(client, lantern):
    response = client.get(url("organisation_detail", lantern.pk))
    text = text_of(response)
    assert "Unclaimed" in text and "made from a public register" in text
    claim_url = url("organisation_claim", lantern.pk)
    assert f'href="/accounts/login/?next={claim_url}"' in html_of(response)
    assert "Claim this listing</a>" not in html_of(response)


def test_a_signed_in_member_sees_the_claim_button(client, bob, lantern):
    response = signed_in(client, bob).get(url("organisation_detail", lantern.pk))
    assert f'href="{url("organisation_claim", lantern.pk)}">Claim this listing</a>' in html_of(response)
    assert_sound_structure(response)


def test_a_commissioner_sees_the_notice_without_a_button(client, carol, lantern):
    from culturehub.places.tests.factories import give_two_factor

    response = signed_in(client, give_two_factor(carol)).get(url("organisation_detail", lantern.pk))
    assert "Unclaimed" in text_of(response)
    assert "Claim this listing</a>" not in html_of(response)


def test_someone_who_claimed_is_told_the_claim_is_waiting(client, bob, lantern):
    claim_for_review(bob, lantern)
    response = signed_in(client, bob).get(url("organisation_detail", lantern.pk))
    assert "You claimed this listing on" in text_of(response)
    assert "Claim this listing</a>" not in html_of(response)


def test_a_listing_with_members_shows_no_claim_notice(client, riverside):
    assert "Unclaimed" not in text_of(client.get(url("organisation_detail", riverside.pk)))


def test_the_claim_notice_costs_no_more_than_one_query_beyond_an_owned_listings_page(
    client, frank, lantern, riverside
):
    """Both pages ask whether the listing has members; only the viewer's own waiting claim is extra."""
    owned = count_queries(client, url("organisation_detail", riverside.pk))
    assert count_queries(client, url("organisation_detail", lantern.pk)) <= owned
    signed_in(client, frank)
    owned = count_queries(client, url("organisation_detail", riverside.pk))
    assert count_queries(client, url("organisation_detail", lantern.pk)) <= owned + 1


# ---------------------------------------------------------------------------------------------------
# Claiming by email, then confirming
# ---------------------------------------------------------------------------------------------------


def test_the_claim_form_needs_signing_in(client, lantern):
    response = client.get(url("organisation_claim", lantern.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_claiming_by_email_then_confirming_from_the_link(client, bob, lantern):
    signed_in(client, bob)
    form = client.get(url("organisation_claim", lantern.pk))
    assert 'value="bob@example.org"' in html_of(form)  # the account's address, to change
    assert "lanterntheatre.org.uk" in text_of(form)
    assert_sound_structure(form)
    response = client.post(url("organisation_claim", lantern.pk), {"email": "jo@lanterntheatre.org.uk"})
    claim = OrganisationClaim.objects.get()
    assert response["Location"] == url("claim_sent", claim.pk)
    sent = client.get(response["Location"])
    assert title_of(sent).startswith("Check your email") and "jo@lanterntheatre.org.uk" in text_of(sent)

    link = url("claim_verify", token_in(mail.outbox[0]))
    page = client.get(link)
    assert ">Confirm</button>" in html_of(page)
    assert not OrganisationMembership.objects.exists()  # nothing changes on GET
    confirmed = client.post(link)
    assert confirmed["Location"] == url("organisation_detail", lantern.pk)
    detail = client.get(confirmed["Location"])
    assert "You are now the owner" in text_of(detail) and "Change details" in text_of(detail)
    assert "Unclaimed" not in text_of(detail)
    assert client.get(url("organisation_edit", lantern.pk)).status_code == 200

    used = client.post(link)
    assert "There is a problem" in text_of(used) and "already been used" in text_of(used)


def test_the_link_asks_a_signed_out_person_to_sign_in_and_refuses_someone_else(client, bob, frank, lantern):
    claim_by_email(bob, lantern)
    link = url("claim_verify", token_in(mail.outbox[0]))
    assert "/accounts/login/" in client.get(link)["Location"]
    assert signed_in(client, frank).post(link).status_code == 403
    assert not OrganisationMembership.objects.exists()


def test_an_unknown_link_is_not_found(client, bob):
    assert signed_in(client, bob).get(url("claim_verify", "nonsense")).status_code == 404


def test_an_expired_link_says_so_and_offers_a_new_claim(client, bob, lantern):
    from datetime import timedelta

    from django.utils import timezone

    claim = claim_by_email(bob, lantern)
    OrganisationClaim.objects.filter(pk=claim.pk).update(token_expires_at=timezone.now() - timedelta(hours=1))
    page = signed_in(client, bob).get(url("claim_verify", token_in(mail.outbox[0])))
    assert "This link has expired" in text_of(page) and ">Confirm</button>" not in html_of(page)
    assert url("organisation_claim", lantern.pk) in html_of(page)


def test_the_claim_form_shows_every_problem_in_an_error_summary(client, bob, lantern):
    response = signed_in(client, bob).post(url("organisation_claim", lantern.pk), {"email": "jo@"})
    text = text_of(response)
    assert title_of(response).startswith("Error:")
    assert "There is a problem" in text and "correct format" in text
    assert 'href="#id_email"' in html_of(response) and 'href="#id_evidence"' not in html_of(response)
    response = client.post(url("organisation_claim", lantern.pk), {"email": "jo@gmail.com"})
    assert 'href="#id_evidence"' in html_of(response) and "lanterntheatre.org.uk" in text_of(response)
    assert not OrganisationClaim.objects.exists()


def test_another_address_with_evidence_goes_to_the_administrators(client, bob, lantern):
    response = signed_in(client, bob).post(
        url("organisation_claim", lantern.pk), {"email": "jo@gmail.com", "evidence": EVIDENCE}
    )
    assert response["Location"] == url("claim_list")
    assert "An administrator will check it" in text_of(client.get(response["Location"]))
    assert mail.outbox == []


def test_too_many_claims_in_an_hour_answer_429_with_the_reason(client, bob, lantern):
    for number in range(claim_services.STARTS_PER_HOUR):
        claim_for_review(bob, make_unclaimed(name=f"Listing {number}"))
    response = signed_in(client, bob).post(
        url("organisation_claim", lantern.pk), {"email": "jo@lanterntheatre.org.uk"}
    )
    assert response.status_code == 429
    assert "claims in the last hour" in text_of(response)


def test_people_who_may_not_claim_are_told_why_and_cannot_post(client, frank, riverside):
    signed_in(client, frank)
    page = client.get(url("organisation_claim", riverside.pk))
    assert "already has an owner" in text_of(page) and "<form method=\"post\" novalidate" not in html_of(page)
    client.post(url("organisation_claim", riverside.pk), {"email": "x@example.net", "evidence": EVIDENCE})
    assert not OrganisationClaim.objects.exists()


def test_posting_without_the_csrf_token_is_refused(bob, lantern):
    client = signed_in(Client(enforce_csrf_checks=True), bob)
    response = client.post(url("organisation_claim", lantern.pk), {"email": "jo@lanterntheatre.org.uk"})
    assert response.status_code == 403
    assert not OrganisationClaim.objects.exists()


# ---------------------------------------------------------------------------------------------------
# Your claims, withdrawing
# ---------------------------------------------------------------------------------------------------


def test_your_claims_is_empty_at_first_and_links_to_the_directory(client, frank):
    response = signed_in(client, frank).get(url("claim_list"))
    assert "You have not claimed any listings" in text_of(response)
    assert_sound_structure(response)


def test_your_claims_lists_only_your_claims_in_a_fixed_number_of_queries(
    client, bob, frank, django_assert_max_num_queries
):
    claim_for_review(bob, make_unclaimed(name="First listing"))
    claim_for_review(frank, make_unclaimed(name="Frank's listing"))
    signed_in(client, bob)
    few = count_queries(client, url("claim_list"))
    for number in range(4):
        claim_by_email(bob, make_unclaimed(name=f"Listing {number}"))
    with django_assert_max_num_queries(few):
        response = client.get(url("claim_list"))
    assert "First listing" in text_of(response) and "Frank" not in text_of(response)
    assert_sound_structure(response)


def test_withdrawing_asks_first_then_withdraws(client, bob, frank, lantern):
    claim = claim_for_review(bob, lantern)
    assert signed_in(client, frank).get(url("claim_withdraw", claim.pk)).status_code == 403
    signed_in(client, bob)
    question = client.get(url("claim_withdraw", claim.pk))
    assert "Withdraw your claim?" in text_of(question)
    claim.refresh_from_db()
    assert claim.state == "pending"
    response = client.post(url("claim_withdraw", claim.pk))
    assert response["Location"] == url("claim_list")
    claim.refresh_from_db()
    assert claim.state == "withdrawn"


# ---------------------------------------------------------------------------------------------------
# The administrators' queue
# ---------------------------------------------------------------------------------------------------


def test_the_review_queue_is_for_administrators_only(client, bob, dave):
    for user in (bob, dave):
        assert signed_in(client, user).get(url("claim_review_list")).status_code == 403


def test_the_review_queue_is_empty_then_lists_claims_in_a_fixed_number_of_queries(
    client, admin_user, frank, django_assert_max_num_queries
):
    signed_in(client, admin_user)
    assert "No claims are waiting" in text_of(client.get(url("claim_review_list")))
    claim_for_review(frank, make_unclaimed(name="First listing"))
    few = count_queries(client, url("claim_review_list"))
    for number in range(4):
        claim_for_review(frank, make_unclaimed(name=f"Listing {number}"))
    with django_assert_max_num_queries(few):
        response = client.get(url("claim_review_list"))
    assert text_of(response).count("Review the claim by") == 5
    assert_sound_structure(response)


def test_an_administrator_approves_a_claim_from_the_queue(client, admin_user, frank, lantern):
    claim = claim_for_review(frank, lantern)
    signed_in(client, admin_user)
    page = client.get(url("claim_decide", claim.pk))
    assert EVIDENCE.replace("'", "&#x27;") in html_of(page)
    assert_sound_structure(page)
    response = client.post(url("claim_decide", claim.pk), {"decision": "approve", "reason": ""})
    assert response["Location"] == url("claim_review_list")
    assert OrganisationMembership.objects.get(organisation=lantern).user == frank


def test_turning_down_without_a_reason_shows_the_error(client, admin_user, frank, lantern):
    claim = claim_for_review(frank, lantern)
    response = signed_in(client, admin_user).post(url("claim_decide", claim.pk), {"decision": "reject"})
    assert "There is a problem" in text_of(response) and 'href="#id_reason"' in html_of(response)
    claim.refresh_from_db()
    assert claim.state == "pending"


def test_only_administrators_open_a_claim_to_decide(client, frank, bob, lantern):
    claim = claim_for_review(frank, lantern)
    # Not even the claimant decides their own claim.
    for user in (frank, bob):
        response = signed_in(client, user).post(url("claim_decide", claim.pk), {"decision": "approve"})
        assert response.status_code == 403
    assert not OrganisationMembership.objects.filter(organisation=lantern).exists()


def test_your_organisations_links_to_claims(client, admin_user, frank):
    assert url("claim_list") in html_of(signed_in(client, frank).get(url("yours")))
    assert url("claim_review_list") not in html_of(client.get(url("yours")))
    assert url("claim_review_list") in html_of(signed_in(client, admin_user).get(url("yours")))


"""Signing up by email: the address must be confirmed before the first sign-in, and everyone starts as a
cultural organisation member."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-unusual-passphrase"


def _sign_up(client, email="sam@arts.example.org", **extra):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, **extra},
    )


def _sign_in(client):
    return client.post(reverse("account_login"), {"login": "sam@arts.example.org", "password": NEW_PASSWORD})


def _confirmation_link(message) -> str:
    match = re.search(r"http://testserver(/accounts/confirm-email/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_it_sends_a_confirmation_email_and_shows_where_to_look(client):
    response = _sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sam@arts.example.org"]
    assert mail.outbox[0].subject == "[Culture Hub] Confirm your email address"
    page = client.get(response["Location"]).content.decode()
    assert "Check your email to confirm your address" in page


def test_a_new_account_is_a_member_whatever_the_form_says(client):
    _sign_up(client, role="administrator", is_staff="on")
    user = get_user_model().objects.get(email="sam@arts.example.org")
    assert user.role == "member"
    assert not user.is_staff
    assert not user.is_superuser


def test_it_will_not_sign_in_until_the_address_is_confirmed(client):
    _sign_up(client)
    client.post(reverse("account_logout"))
    response = _sign_in(client)
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_following_the_link_and_confirming_lets_the_person_sign_in(client):
    _sign_up(client)
    link = _confirmation_link(mail.outbox[0])
    confirm_page = client.get(link)
    assert b"Confirm that <strong>sam@arts.example.org</strong> is your email address" in confirm_page.content
    address = EmailAddress.objects.get(email="sam@arts.example.org")
    assert not address.verified, "opening the link alone must not confirm (mail scanners open links)"
    client.post(link)
    address.refresh_from_db()
    assert address.verified and address.primary
    response = _sign_in(client)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(address.user_id)


def test_it_explains_each_problem_with_the_form(client):
    response = client.post(
        reverse("account_signup"), {"email": "not-an-email", "password1": "short", "password2": "other"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter an email address in the correct format, like name@example.com" in html
    assert "This password is too short. It must contain at least 12 characters." in html
    assert not get_user_model().objects.filter(email="not-an-email").exists()


def test_signing_up_again_with_a_known_address_does_not_reveal_the_account(client, bob):
    response = _sign_up(client, email=bob.email)
    assert response["Location"] == reverse("account_email_verification_sent")
    assert mail.outbox[0].subject == "[Culture Hub] You already have an account"
    assert get_user_model().objects.filter(email=bob.email).count() == 1


def test_a_signed_in_person_adds_a_second_address_and_is_sent_a_confirmation(client, bob, verified):
    verified(bob)
    client.force_login(bob)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "bob@theatre.example.org"})
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["bob@theatre.example.org"]
    page = client.get(reverse("account_email")).content.decode()
    assert "bob@theatre.example.org" in page and "Not confirmed yet." in page

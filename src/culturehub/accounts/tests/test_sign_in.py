"""Signing in and out, and the limit on failed sign-in attempts."""

import pytest
from django.test import Client
from django.urls import reverse

from culturehub.accounts.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

TOO_MANY = "You have tried to sign in too many times. Wait 5 minutes, then try again, or reset your password."


def test_a_member_signs_in_with_email_and_password(client, bob, verified, sign_in):
    verified(bob)
    response = sign_in(client, bob)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(bob.pk)
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_the_email_address_is_not_case_sensitive(client, bob, verified):
    verified(bob)
    client.post(reverse("account_login"), {"login": "Bob@Example.org", "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(bob.pk)


def test_signing_out_needs_a_post_with_the_csrf_token(bob, verified, sign_in):
    verified(bob)
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("account_login"))
    token = page.context["csrf_token"]
    client.post(
        reverse("account_login"), {"login": bob.email, "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert client.session.get("_auth_user_id") == str(bob.pk)

    assert client.post(reverse("account_logout")).status_code == 403, "no token, no sign-out"
    assert client.session.get("_auth_user_id") == str(bob.pk)

    confirm = client.get(reverse("account_logout"))
    assert b"Are you sure you want to sign out" in confirm.content
    client.post(reverse("account_logout"), {"csrfmiddlewaretoken": confirm.context["csrf_token"]})
    assert "_auth_user_id" not in client.session


def test_the_sixth_failed_attempt_within_five_minutes_is_refused_with_a_clear_message(client, bob, verified):
    verified(bob)
    for attempt in range(5):
        response = client.post(reverse("account_login"), {"login": bob.email, "password": f"wrong-{attempt}"})
        assert "The email address or password is not correct" in response.content.decode()

    # Even the right password is refused now: the limit stops guessing, not only wrong guesses.
    response = client.post(reverse("account_login"), {"login": bob.email, "password": PASSWORD})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert TOO_MANY in html
    assert "_auth_user_id" not in client.session


def test_the_limit_counts_each_address_separately_from_another_computer(bob, dave, verified):
    verified(bob)
    verified(dave)
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    for attempt in range(5):
        attacker.post(reverse("account_login"), {"login": bob.email, "password": f"wrong-{attempt}"})
    elsewhere = Client(REMOTE_ADDR="203.0.113.9")
    elsewhere.post(reverse("account_login"), {"login": bob.email, "password": PASSWORD})
    assert "_auth_user_id" not in elsewhere.session, "bob's address is locked wherever the guesses came from"
    elsewhere.post(reverse("account_login"), {"login": dave.email, "password": PASSWORD})
    assert elsewhere.session["_auth_user_id"] == str(dave.pk)


def test_an_inactive_account_cannot_sign_in(client, bob, verified):
    verified(bob)
    bob.is_active = False
    bob.save()
    response = client.post(reverse("account_login"), {"login": bob.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response["Location"] == reverse("account_inactive")
    assert b"This account is closed" in client.get(response["Location"]).content

"""Resetting a forgotten password by email, and changing a known one."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from culturehub.accounts.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-passphrase-2026"


def _reset_link(message) -> str:
    match = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_a_person_resets_a_forgotten_password_from_the_emailed_link(client, bob, verified):
    verified(bob)
    response = client.post(reverse("account_reset_password"), {"email": bob.email})
    assert response["Location"] == reverse("account_reset_password_done")
    assert mail.outbox[0].subject == "[Culture Hub] Reset your password"

    link = _reset_link(mail.outbox[0])
    form_page = client.get(link, follow=True)
    assert b"Choose a new password" in form_page.content
    done = client.post(
        form_page.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert done["Location"] == reverse("account_reset_password_from_key_done")

    bob.refresh_from_db()
    assert bob.check_password(NEW_PASSWORD)
    assert client.get(link, follow=True).context["token_fail"], "the link works once"


def test_asking_for_a_reset_for_an_unknown_address_looks_the_same(client):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert response["Location"] == reverse("account_reset_password_done")
    assert mail.outbox[0].subject == "[Culture Hub] There is no account with this email address"


def test_a_damaged_reset_link_says_so_and_offers_a_new_one(client, bob):
    response = client.get(reverse("account_reset_password_from_key", kwargs={"uidb36": "1", "key": "nope"}))
    html = response.content.decode()
    assert "This reset link is not valid" in html
    assert reverse("account_reset_password") in html


def test_changing_the_password_needs_the_current_one_and_then_a_new_sign_in(client, bob, verified, sign_in):
    verified(bob)
    sign_in(client, bob)
    wrong = client.post(
        reverse("account_change_password"),
        {"oldpassword": "not-it", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert "Your current password is not correct" in wrong.content.decode()
    bob.refresh_from_db()
    assert bob.check_password(PASSWORD)

    client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    bob.refresh_from_db()
    assert bob.check_password(NEW_PASSWORD)
    # ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE: other sessions, and this one, must sign in again.
    assert "_auth_user_id" not in client.session


def test_too_many_reset_requests_for_one_address_get_a_plain_too_many_attempts_page(client, bob, verified):
    verified(bob)
    for _ in range(5):
        client.post(reverse("account_reset_password"), {"email": bob.email})
    response = client.post(reverse("account_reset_password"), {"email": bob.email})
    assert response.status_code == 429
    assert b"<h1 class=\"govuk-heading-l\">Too many attempts</h1>" in response.content
    assert len(mail.outbox) == 5

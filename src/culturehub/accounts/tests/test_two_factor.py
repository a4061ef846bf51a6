"""Two-factor authentication: offered to everyone, required for commissioners and administrators.

Codes are computed from the setup key the page shows, the way a phone's authenticator app does.
"""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from culturehub.accounts.tests.conftest import PASSWORD, secret_shown_on

pytestmark = pytest.mark.django_db

SOME_PAGE = "/vocabulary/"


def _set_up_authenticator(client, totp_code) -> str:
    page = client.get(reverse("mfa_activate_totp"))
    secret = secret_shown_on(page.content.decode())
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302, response.content.decode()
    return secret


def test_a_commissioner_is_sent_to_set_up_two_factor_after_signing_in(client, carol, verified, sign_in):
    verified(carol)
    response = sign_in(client, carol)
    assert response["Location"] == "/"
    assert client.get("/")["Location"] == reverse("mfa_activate_totp")
    assert client.get(SOME_PAGE)["Location"] == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"))
    assert b"Your role (commissioner) needs two-factor authentication" in page.content


def test_account_pages_stay_open_so_she_can_set_up_or_sign_out(client, carol, verified, sign_in):
    verified(carol)
    sign_in(client, carol)
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert client.get(reverse("account_logout")).status_code == 200


def test_after_setting_up_an_authenticator_she_reaches_pages_and_signing_in_asks_for_the_code(
    client, carol, verified, sign_in, totp_code
):
    verified(carol)
    sign_in(client, carol)
    secret = _set_up_authenticator(client, totp_code)
    assert Authenticator.objects.filter(user=carol, type=Authenticator.Type.TOTP).exists()
    assert client.get(SOME_PAGE).status_code == 200
    codes_page = client.get(reverse("mfa_view_recovery_codes"))
    assert codes_page.status_code == 200
    assert codes_page.content.count(b"<li><code>") == 10

    client.post(reverse("account_logout"))
    response = sign_in(client, carol)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session, "a password alone does not sign her in"

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert b"The code is not correct" in wrong.content
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(carol.pk)
    assert client.get(SOME_PAGE).status_code == 200


def test_a_code_cannot_be_used_twice(client, carol, verified, sign_in, totp_code, with_totp):
    verified(carol)
    secret = with_totp(carol)
    code = totp_code(secret)
    sign_in(client, carol)
    client.post(reverse("mfa_authenticate"), {"code": code})
    client.post(reverse("account_logout"))
    sign_in(client, carol)
    replay = client.post(reverse("mfa_authenticate"), {"code": code})
    assert b"The code is not correct" in replay.content
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_signs_in_once_when_the_phone_is_lost(client, bob, verified, sign_in, totp_code):
    verified(bob)
    sign_in(client, bob)
    _set_up_authenticator(client, totp_code)
    recovery_code = Authenticator.objects.get(user=bob, type=Authenticator.Type.RECOVERY_CODES)
    first_code = recovery_code.wrap().get_unused_codes()[0]
    client.post(reverse("account_logout"))
    sign_in(client, bob)
    client.post(reverse("mfa_authenticate"), {"code": first_code})
    assert client.session["_auth_user_id"] == str(bob.pk)
    assert first_code not in Authenticator.objects.get(pk=recovery_code.pk).wrap().get_unused_codes()


def test_recovery_codes_download_as_a_text_file(client, bob, verified, sign_in, totp_code):
    verified(bob)
    sign_in(client, bob)
    _set_up_authenticator(client, totp_code)
    response = client.get(reverse("mfa_download_recovery_codes"))
    assert response["Content-Type"].startswith("text/plain")
    assert "attachment" in response["Content-Disposition"]
    assert len(response.content.decode().split()) == 10


def test_a_member_is_offered_two_factor_but_not_forced(client, bob, verified, sign_in):
    verified(bob)
    sign_in(client, bob)
    assert client.get(SOME_PAGE).status_code == 200
    index = client.get(reverse("mfa_index")).content.decode()
    assert "Not set up" in index
    assert reverse("mfa_activate_totp") in index


def test_a_member_can_turn_two_factor_off_again(client, bob, verified, sign_in, with_totp):
    verified(bob)
    sign_in(client, bob)
    with_totp(bob)
    client.post(reverse("mfa_deactivate_totp"))
    assert not Authenticator.objects.filter(user=bob, type=Authenticator.Type.TOTP).exists()


def test_a_commissioner_cannot_turn_two_factor_off(client, carol, verified, sign_in, with_totp, totp_code):
    verified(carol)
    secret = with_totp(carol)
    sign_in(client, carol)
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    page = client.get(reverse("mfa_deactivate_totp")).content.decode()
    assert "Your role needs two-factor authentication, so you cannot turn it off." in page
    assert "Turn off two-factor authentication</button>" not in page
    client.post(reverse("mfa_deactivate_totp"))
    assert Authenticator.objects.filter(user=carol, type=Authenticator.Type.TOTP).exists()


def test_a_coordinator_is_not_forced_either(client, dave, verified, sign_in):
    verified(dave)
    sign_in(client, dave)
    assert client.get(SOME_PAGE).status_code == 200


def test_guessing_codes_is_limited_like_guessing_passwords(
    client, carol, verified, sign_in, with_totp, totp_code
):
    verified(carol)
    secret = with_totp(carol)
    sign_in(client, carol)
    for guess in ("111111", "222222", "333333", "444444", "555555"):
        client.post(reverse("mfa_authenticate"), {"code": guess})
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert b"You have tried to sign in too many times" in response.content
    assert "_auth_user_id" not in client.session


def test_without_a_recent_sign_in_she_confirms_her_password_before_setting_up(client, bob, verified):
    verified(bob)
    client.force_login(bob)  # a session with no record of when the password was last entered
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    page = client.get(response["Location"])
    assert b"Enter your password to continue" in page.content
    back = client.post(response["Location"], {"password": PASSWORD})
    assert back["Location"] == reverse("mfa_activate_totp")
    assert client.get(back["Location"]).status_code == 200

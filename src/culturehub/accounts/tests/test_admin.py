"""The admin site: administrators only, reached through the normal sign-in (so two-factor applies), and
the one place where roles change."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from culturehub.accounts.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _sign_in_with_code(client, user, secret, totp_code):
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert client.session["_auth_user_id"] == str(user.pk)


def _change_form(user, **changes):
    data = {
        "email": user.email,
        "display_name": user.display_name,
        "role": user.role,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_a_visitor_is_sent_to_the_normal_sign_in_page(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login") + "?next=")
    assert b"Sign in" in response.content


def test_a_member_cannot_open_the_admin_site(client, bob, verified, sign_in):
    verified(bob)
    sign_in(client, bob)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert client.get(reverse("admin:accounts_user_changelist"), follow=True).status_code == 403


def test_an_administrator_without_two_factor_is_sent_to_set_it_up(client, alice, verified, sign_in):
    verified(alice)
    sign_in(client, alice)
    assert client.get("/admin/")["Location"] == reverse("mfa_activate_totp")


def test_an_administrator_with_two_factor_signs_in_with_a_code_and_opens_the_admin_site(
    client, alice, verified, with_totp, totp_code
):
    verified(alice)
    secret = with_totp(alice)
    client.post(reverse("account_login"), {"login": alice.email, "password": PASSWORD})
    assert client.get("/admin/").status_code == 302, "not before the code"
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    response = client.get("/admin/")
    assert response.status_code == 200
    assert b"Culture Hub administration" in response.content
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200


def test_an_administrator_changes_a_role(client, alice, bob, verified, with_totp, totp_code):
    verified(alice)
    _sign_in_with_code(client, alice, with_totp(alice), totp_code)
    url = reverse("admin:accounts_user_change", args=[bob.pk])
    form = client.get(url).content.decode()
    for name in ("email", "display_name", "role", "is_active", "is_staff"):
        assert f'name="{name}"' in form
    assert 'name="password"' not in form and 'name="is_superuser"' not in form

    response = client.post(url, _change_form(bob, role="coordinator"))
    assert response.status_code == 302, response.content.decode()
    bob.refresh_from_db()
    assert bob.role == "coordinator"
    entry = LogEntry.objects.get_for_object(bob).latest("timestamp")
    assert (entry.actor, entry.changes_dict) == (alice, {"role": ["member", "coordinator"]})


def test_only_administrators_may_use_the_admin_site(client, alice, bob, verified, with_totp, totp_code):
    verified(alice)
    _sign_in_with_code(client, alice, with_totp(alice), totp_code)
    url = reverse("admin:accounts_user_change", args=[bob.pk])
    response = client.post(url, _change_form(bob, is_staff="on"))
    assert response.status_code == 200
    assert b"Only administrators can use the admin site" in response.content
    bob.refresh_from_db()
    assert not bob.is_staff


def test_an_administrator_cannot_remove_their_own_role(client, alice, verified, with_totp, totp_code):
    verified(alice)
    _sign_in_with_code(client, alice, with_totp(alice), totp_code)
    url = reverse("admin:accounts_user_change", args=[alice.pk])
    response = client.post(url, _change_form(alice, role="member", is_staff=""))
    assert b"You cannot remove your own administrator role" in response.content
    alice.refresh_from_db()
    assert alice.role == "administrator"


def test_a_staff_commissioner_still_cannot_change_people(client, carol, bob, verified, with_totp, totp_code):
    carol.is_staff = True
    carol.save()
    verified(carol)
    _sign_in_with_code(client, carol, with_totp(carol), totp_code)
    url = reverse("admin:accounts_user_change", args=[bob.pk])
    assert client.get(url).status_code in (302, 403)
    client.post(url, _change_form(bob, role="administrator"))
    bob.refresh_from_db()
    assert bob.role == "member"

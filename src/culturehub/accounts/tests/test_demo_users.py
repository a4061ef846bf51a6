"""The demo sign-ins: one per role, ready to use, made again safely, and never outside development."""

import os
import re
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

EMAILS = {
    "admin@demo.culturehub.test": "administrator",
    "commissioner@demo.culturehub.test": "commissioner",
    "member@demo.culturehub.test": "member",
    "coordinator@demo.culturehub.test": "coordinator",
}


def _run(*args) -> str:
    out = StringIO()
    call_command("create_demo_users", *args, stdout=out)
    return out.getvalue()


def _password(output: str) -> str:
    match = re.search(r"Password for each: (\S+)", output)
    assert match, output
    return match.group(1)


def _secret(output: str, email: str) -> str:
    match = re.search(rf"{re.escape(email)}\s+key ([A-Z2-7]+)", output)
    assert match, output
    return match.group(1)


@pytest.fixture
def debug_on(settings):
    settings.DEMO_SIGN_INS_ENABLED = True


def test_it_creates_one_verified_sign_in_per_role(debug_on):
    output = _run()
    users = get_user_model().objects.filter(email__in=EMAILS)
    assert {user.email: user.role for user in users} == EMAILS
    for user in users:
        assert user.email in output
        assert EmailAddress.objects.filter(user=user, email=user.email, verified=True, primary=True).exists()
    admin = users.get(role="administrator")
    assert admin.is_staff and admin.is_superuser
    assert not users.get(role="member").is_staff


def test_the_printed_password_signs_in_and_is_stored_only_as_a_hash(client, debug_on):
    password = _password(_run())
    member = get_user_model().objects.get(email="member@demo.culturehub.test")
    assert password not in member.password
    client.post(reverse("account_login"), {"login": member.email, "password": password})
    assert client.session["_auth_user_id"] == str(member.pk)


def test_privileged_demo_users_get_an_authenticator_whose_key_is_printed(client, debug_on, totp_code):
    output = _run()
    password = _password(output)
    for email in ("admin@demo.culturehub.test", "commissioner@demo.culturehub.test"):
        assert Authenticator.objects.filter(user__email=email, type=Authenticator.Type.TOTP).exists()
        assert "otpauth://totp/" in output
    assert not Authenticator.objects.filter(user__email="member@demo.culturehub.test").exists()

    commissioner = "commissioner@demo.culturehub.test"
    client.post(reverse("account_login"), {"login": commissioner, "password": password})
    client.post(reverse("mfa_authenticate"), {"code": totp_code(_secret(output, commissioner))})
    assert client.get("/vocabulary/").status_code == 200


def test_running_it_again_changes_nothing_and_says_the_password_was_set_before(debug_on):
    first = _run()
    hashes = dict(get_user_model().objects.values_list("email", "password"))
    second = _run()
    assert get_user_model().objects.count() == 4
    assert dict(get_user_model().objects.values_list("email", "password")) == hashes
    assert "Password: set on first run; reset with --reset-passwords" in second
    assert "Password for each" not in second
    admin = "admin@demo.culturehub.test"
    assert _secret(first, admin) == _secret(second, admin)
    assert Authenticator.objects.filter(type=Authenticator.Type.TOTP).count() == 2


def test_reset_passwords_gives_a_new_password(debug_on):
    old = _password(_run())
    new = _password(_run("--reset-passwords"))
    assert new != old
    assert get_user_model().objects.get(email="coordinator@demo.culturehub.test").check_password(new)


def test_it_refuses_to_run_when_debug_is_off(settings):
    settings.DEMO_SIGN_INS_ENABLED = False
    with pytest.raises(CommandError, match="development only"):
        _run()
    assert not get_user_model().objects.filter(email__in=EMAILS).exists()


def test_it_refuses_with_production_settings(tmp_path):
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env |= {"SECRET_KEY": secrets.token_urlsafe(60), "ALLOWED_HOSTS": "culturehub.example.org",
            "CULTUREHUB_DATA_DIR": str(tmp_path)}
    culturehub = Path(sys.executable).with_name("culturehub")
    result = subprocess.run(  # noqa: S603 (our own command, fixed arguments)
        [str(culturehub), "manage", "create_demo_users"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "Demo sign-ins are for development only" in result.stderr

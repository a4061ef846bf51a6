"""Fixtures for the accounts tests: verified email addresses, signing in through the real forms, and
authenticator codes computed from a secret the way a phone app does."""

import re
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core.cache import cache
from django.urls import reverse

from culturehub.accounts.services import user_verified_email_ensure

# The password the root conftest gives alice, bob, carol and dave.
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and used TOTP codes live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def verified():
    """Marks a user's email address verified, as it is after they follow the confirmation link."""

    def _verified(user):
        user_verified_email_ensure(user=user)
        return user

    return _verified


@pytest.fixture
def totp_code():
    """The code an authenticator app shows now for `secret`."""

    def _code(secret: str) -> str:
        # Codes are accepted only in their own 30-second step (allauth's default tolerance of 0, which
        # also keeps its used-code record as long as the code lives); near the end of a step, wait
        # for the next one so the code is still current when the server checks it.
        period = mfa_settings.TOTP_PERIOD
        if period - time.time() % period < 2:
            time.sleep(period - time.time() % period + 0.05)
        return format_hotp_value(hotp_value(secret, int(time.time()) // period))

    return _code


@pytest.fixture
def with_totp():
    """Gives a user an authenticator app; returns its secret."""

    def _with_totp(user) -> str:
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        return secret

    return _with_totp


@pytest.fixture
def sign_in():
    """Signs in through the sign-in form, as a person would; returns the response to the form."""

    def _sign_in(client, user, password=PASSWORD):
        return client.post(reverse("account_login"), {"login": user.email, "password": password})

    return _sign_in


def secret_shown_on(html: str) -> str:
    """The setup key printed on the 'Set up an authenticator app' page."""
    match = re.search(r'id="totp-secret">([A-Z2-7]+)<', html)
    assert match, "the page does not show the setup key"
    return match.group(1)

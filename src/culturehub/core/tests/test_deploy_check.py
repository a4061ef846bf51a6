"""Production settings: Django's deployment checklist passes, and a missing secret key stops start-up.

Tests run with DEBUG=1, so production behaviour is checked in a fresh process with production's
environment.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

CULTUREHUB = Path(sys.executable).with_name("culturehub")


def _production_env(tmp_path, **overrides):
    # Only what a server would have: nothing from the test run (DEBUG=1, or the browser tests'
    # DJANGO_ALLOW_ASYNC_UNSAFE) may leak in.
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR") if key in os.environ}
    env.update(
        {
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "culturehub.example.org",
            "CULTUREHUB_DATA_DIR": str(tmp_path),
        }
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def _manage(env, *args):
    return subprocess.run(  # noqa: S603 (our own command, fixed arguments)
        [str(CULTUREHUB), "manage", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_the_deployment_checklist_finds_no_issues_with_production_settings(tmp_path):
    result = _manage(_production_env(tmp_path), "check", "--deploy")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_cookies_are_secure_and_host_only(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SESSION_COOKIE_SAMESITE, s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SECURE_SSL_REDIRECT)"
    )
    result = _manage(_production_env(tmp_path), "shell", "--no-imports", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False", "True", "True", "True", "Lax", "__Host-culturehub-session", "__Host-culturehub-csrf", "True",
    ]


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    result = _manage(_production_env(tmp_path, SECRET_KEY=None), "check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr

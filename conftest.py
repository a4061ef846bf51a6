"""Shared fixtures: a small set of named users, one per role (alice administrator, carol
commissioner, bob organisation member, dave consortium coordinator, charlie with no account)."""

import pytest

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _quick_password_hashing(settings):
    """Named users are created, and sign in, in many tests; a hash that is slow by design would make
    the suite crawl. The production hasher is Django's default, tested by Django itself."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _user(django_user_model, email, role, **extra):
    return django_user_model.objects.create_user(email=email, password=PASSWORD, role=role, **extra)


@pytest.fixture
def alice(django_user_model):
    """An administrator."""
    return _user(django_user_model, "alice@example.org", "administrator", is_staff=True)


@pytest.fixture
def carol(django_user_model):
    """A commissioner."""
    return _user(django_user_model, "carol@example.org", "commissioner")


@pytest.fixture
def bob(django_user_model):
    """A cultural organisation member."""
    return _user(django_user_model, "bob@example.org", "member")


@pytest.fixture
def dave(django_user_model):
    """A consortium coordinator."""
    return _user(django_user_model, "dave@example.org", "coordinator")


@pytest.fixture
def vocabulary(db):
    """The bundled shared vocabulary, loaded."""
    from culturehub.vocabulary.services import vocabulary_load

    return vocabulary_load()

"""Fixtures for the directory tests: a small geography, and named organisations.

People (from the root conftest): alice administrator, carol commissioner, bob a member (owner) of
Riverside, dave a consortium coordinator; erin owns another organisation, Hillside; frank has an account
and no organisation.
"""

import pytest
from django.core.cache import cache

from culturehub.directory.tests.factories import make_organisation
from culturehub.places.tests.factories import give_two_factor, make_geography

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _quick_password_hashing(settings):
    """Tests sign people in often; the deliberately slow production hash would make them crawl."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def geo(db):
    return make_geography()


@pytest.fixture
def erin(django_user_model):
    """A member of another organisation (Hillside)."""
    return django_user_model.objects.create_user(email="erin@example.org", password=PASSWORD, role="member")


@pytest.fixture
def frank(django_user_model):
    """Signed up, with no organisation yet."""
    return django_user_model.objects.create_user(email="frank@example.org", password=PASSWORD, role="member")


@pytest.fixture
def riverside(bob):
    """Bob's organisation, published."""
    return make_organisation(name="Riverside Community Arts", owner=bob)


@pytest.fixture
def hillside(erin):
    return make_organisation(name="Hillside Heritage Trust", owner=erin)


@pytest.fixture
def admin_user(alice):
    """Alice with two-factor set up, as every administrator must have before using the site."""
    return give_two_factor(alice)

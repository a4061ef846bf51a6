"""Fixtures for the register importers: the councils the fixture files name, and running imports."""

from pathlib import Path

import pytest

from culturehub.places.models import Area

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def places(db):
    """The demo councils the fixtures name (ONS codes and names as ONS publishes them)."""
    kent = Area.objects.create(code="E10000016", name="Kent", kind=Area.Kind.COUNTY)
    areas = {
        "birmingham": Area.objects.create(code="E08000025", name="Birmingham", kind=Area.Kind.METROPOLITAN),
        "derby": Area.objects.create(code="E06000015", name="Derby", kind=Area.Kind.UNITARY),
        "manchester": Area.objects.create(code="E08000003", name="Manchester", kind=Area.Kind.METROPOLITAN),
        "york": Area.objects.create(code="E06000014", name="York", kind=Area.Kind.UNITARY),
        "kent": kent,
        "canterbury": Area.objects.create(
            code="E07000106", name="Canterbury", kind=Area.Kind.DISTRICT, upper_tier=kent
        ),
    }
    return areas


def rows_of(run):
    return list(run.row_errors.all())


@pytest.fixture
def admin(alice):
    """alice, the administrator, with her authenticator app set up (administrators must have one)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(alice, generate_totp_secret())
    return alice

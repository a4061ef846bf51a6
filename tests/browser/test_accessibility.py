"""Every page, as a visitor and as each kind of signed-in user, passes axe-core's WCAG 2.2 A/AA rules."""

import pytest
from django.core.management import call_command

from tests.browser.axe import wcag_violations

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC_PAGES = [
    "/",
    "/cookies/",
    "/accessibility/",
    "/data/",
    "/vocabulary/",
    "/places/",
    "/places/?q=man",
    "/places/?q=nowhere-at-all",
    "/places/E08000003/",  # Manchester: Fingertips and ONS4 figures
    "/places/E08000025/",  # Birmingham: figures not loaded, priorities
    "/places/E10000016/",  # Kent: a county with districts
    "/places/E07000110/",  # Maidstone: a district in Kent
    "/places/E54000057/",  # an Integrated Care Board
    "/places/E12000002/",  # North West region
    "/places/E92000001/",  # England
    "/no-such-page/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
]

SIGNED_IN_PAGES = [
    "/accounts/profile/",
    "/accounts/2fa/",
    "/accounts/password/change/",
    "/accounts/email/",
    "/places/E08000003/priorities/add/",
    "/imports/",
]


@pytest.fixture
def demo_data(db):
    call_command("load_demo", verbosity=0)


def _check(page, paths):
    problems = []
    for path in paths:
        response = page.goto(path)
        assert response is not None, path
        assert response.status < 500, f"{path} answered {response.status}"
        problems += wcag_violations(page)
    return problems


def test_public_pages_have_no_wcag_violations(page, demo_data):
    problems = _check(page, PUBLIC_PAGES)
    assert not problems, "\n".join(problems)


def test_signed_in_pages_have_no_wcag_violations(page, demo_data, sign_in_as, alice):
    sign_in_as(alice, with_two_factor=True)
    problems = _check(page, SIGNED_IN_PAGES)
    assert not problems, "\n".join(problems)


def test_a_form_with_errors_has_no_wcag_violations(page, demo_data):
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert not wcag_violations(page)

"""Every page, as a visitor and as each kind of signed-in user, passes axe-core's WCAG 2.2 A/AA rules."""

import pytest

from tests.browser.axe import wcag_violations

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC_PAGES = [
    "/",
    "/cookies/",
    "/accessibility/",
    "/data/",
    "/api-docs/",
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
    "/places/E06000015/culture/",  # Derby: registers' organisations, museums and Arts Council money
    "/places/E10000016/culture/",  # Kent: a county's culture page takes in its districts
    "/places/E06000027/culture/?art_form=circus",  # Torbay, filtered: empty states
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


EXPECTED_STATUS = {"/no-such-page/": 404}


def _check(page, paths, expected_status=EXPECTED_STATUS):
    problems = []
    for path in paths:
        response = page.goto(path)
        assert response is not None, path
        wanted = expected_status.get(path, 200)
        assert response.status == wanted, f"{path} answered {response.status}, not {wanted}"
        problems += wcag_violations(page)
    return problems


def test_public_pages_have_no_wcag_violations(page, demo_data):
    problems = _check(page, PUBLIC_PAGES)
    assert not problems, "\n".join(problems)


def test_signed_in_pages_have_no_wcag_violations(page, demo_data, sign_in_as, alice):
    from culturehub.core.models import ImportRun
    from culturehub.places.models import Priority

    sign_in_as(alice, with_two_factor=True)
    priority = Priority.objects.filter(area__code="E08000003").first()
    run = ImportRun.objects.first()
    paths = [
        *SIGNED_IN_PAGES,
        f"/places/priorities/{priority.pk}/edit/",
        f"/places/priorities/{priority.pk}/delete/",
        f"/imports/{run.pk}/",
    ]
    problems = _check(page, paths)
    assert not problems, "\n".join(problems)


def test_pages_for_a_member_without_two_factor_have_no_wcag_violations(page, demo_data, sign_in_as, bob):
    sign_in_as(bob)
    problems = _check(
        page, ["/accounts/profile/", "/accounts/2fa/totp/activate", "/imports/"], {"/imports/": 403}
    )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("path", "button"), [
    ("/accounts/login/", "Sign in"),
    ("/accounts/signup/", "Create account"),
    ("/accounts/password/reset/", "Send reset link"),
])
def test_a_form_with_errors_has_no_wcag_violations(page, path, button):
    page.goto(path)
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").is_visible()
    assert not wcag_violations(page)


def test_directory_pages_have_no_wcag_violations(page, demo_data, sign_in_as, alice):
    from culturehub.directory.models import Consortium, Offer, Organisation

    organisation = Organisation.objects.filter(is_example=True).first()
    offer = Offer.objects.filter(organisation=organisation).first()
    consortium = Consortium.objects.first()
    public = [
        "/directory/",
        "/directory/search/",
        "/directory/search/?q=singing&place=Manchester",
        "/directory/search/?q=zzzzqqq",
        "/directory/consortia/",
        f"/directory/organisations/{organisation.pk}/",
        f"/directory/offers/{offer.pk}/",
        f"/directory/consortia/{consortium.pk}/",
    ]
    problems = _check(page, public)
    sign_in_as(alice, with_two_factor=True)
    problems += _check(page, [
        "/directory/yours/",
        "/directory/organisations/add/",
        f"/directory/organisations/{organisation.pk}/edit/",
        f"/directory/organisations/{organisation.pk}/offers/add/",
        f"/directory/offers/{offer.pk}/edit/",
        "/directory/consortia/add/",
        f"/directory/consortia/{consortium.pk}/invite/",
    ])
    assert not problems, "\n".join(problems)


def test_the_directory_forms_with_errors_have_no_wcag_violations(page, demo_data, sign_in_as, alice):
    sign_in_as(alice, with_two_factor=True)
    page.goto("/directory/organisations/add/")
    page.locator("form[method=post] button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").is_visible()
    assert not wcag_violations(page)

"""Claiming an unclaimed listing in a real browser, end to end: a member claims with an address at the
organisation's domain, opens the link in the email, confirms, and edits the listing. Every claim page
passes axe-core's WCAG 2.2 A/AA rules, and the claim form works by keyboard alone.

The live server runs in this process, so the email it sends lands in django.core.mail.outbox.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.axe import wcag_violations

pytestmark = pytest.mark.django_db(transaction=True)

DOMAIN_ADDRESS = "jo@lanterntheatre.org.uk"


@pytest.fixture
def lantern(db):
    """An invented listing made from a public register: published, with no members."""
    from culturehub.directory.models import Organisation

    return Organisation.objects.create(
        name="Lantern Theatre",
        legal_form=Organisation.LegalForm.CIO,
        description="A community theatre.",
        website="https://www.lanterntheatre.org.uk/",
        status="published",
        origin="register",
        origin_id="GB-CHC-1",
    )


def _focused(page) -> dict:
    return page.evaluate(
        "() => ({tag: document.activeElement.tagName, id: document.activeElement.id,"
        " text: document.activeElement.textContent.trim()})"
    )


def _link_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/directory/claims/confirm/[\w-]+/)", message.body).group(1)


def test_a_member_claims_a_listing_by_email_confirms_it_and_edits_it(page, sign_in_as, bob, lantern):
    sign_in_as(bob)
    page.goto(f"/directory/organisations/{lantern.pk}/")
    assert page.get_by_text("made from a public register").is_visible()
    assert not wcag_violations(page)

    # By keyboard: follow the button, change the address, tab past the evidence box to the button.
    page.get_by_role("button", name="Claim this listing").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Claim this listing")
    assert not wcag_violations(page)
    page.get_by_label("Your email address at the organisation").focus()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(DOMAIN_ADDRESS)
    page.keyboard.press("Tab")
    assert _focused(page)["id"] == "id_evidence"
    page.keyboard.press("Tab")
    assert _focused(page) == {"tag": "BUTTON", "id": "", "text": "Send claim"}
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert page.get_by_text(DOMAIN_ADDRESS).is_visible()
    assert not wcag_violations(page)

    [message] = mail.outbox
    assert message.to == [DOMAIN_ADDRESS]
    page.goto(_link_path(message))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your claim")
    assert not wcag_violations(page)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()

    expect(page.get_by_text("You are now the owner of Lantern Theatre")).to_be_visible()
    assert page.get_by_text("Unclaimed").count() == 0
    page.get_by_role("link", name="Change details").click()
    page.wait_for_load_state()
    page.get_by_label("What the organisation does").fill("A theatre with weekly drama for older people.")
    page.locator("form[method=post] button[type=submit]").last.click()
    page.wait_for_load_state()
    expect(page.get_by_text("Changes to Lantern Theatre saved.")).to_be_visible()
    assert "weekly drama for older people" in page.locator(".govuk-body-l").inner_text()


def test_the_claim_pages_with_errors_and_for_administrators_have_no_wcag_violations(
    page, sign_in_as, bob, alice, lantern
):
    sign_in_as(bob)
    page.goto(f"/directory/organisations/{lantern.pk}/claim/")
    page.get_by_label("Your email address at the organisation").fill("jo@example.net")
    page.get_by_role("button", name="Send claim").click()
    page.wait_for_load_state()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    problems = wcag_violations(page)
    page.get_by_label("How are you connected").fill("I run the box office; the register lists me.")
    page.get_by_role("button", name="Send claim").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your claims")
    problems += wcag_violations(page)

    page.context.clear_cookies()
    sign_in_as(alice, with_two_factor=True)
    page.goto("/directory/claims/review/")
    problems += wcag_violations(page)
    page.get_by_role("link", name="Review the claim by").first.click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Turn down").click()
    page.wait_for_load_state()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    problems += wcag_violations(page)
    assert not problems, "\n".join(problems)

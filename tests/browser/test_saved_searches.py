"""Saving a search in a real browser, by keyboard alone, from the opportunities list; every saved-search
page passes axe-core's WCAG 2.2 A/AA rules, error states included."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import wcag_violations

pytestmark = pytest.mark.django_db(transaction=True)


def _focused(page) -> dict:
    return page.evaluate(
        "() => ({tag: document.activeElement.tagName, id: document.activeElement.id,"
        " value: document.activeElement.value || '', text: document.activeElement.textContent.trim()})"
    )


@pytest.fixture
def opportunity(db):
    from culturehub.opportunities.tests.saved_factories import make_opportunity

    return make_opportunity("Arts on prescription for older people")


def test_a_member_saves_a_search_from_the_list_by_keyboard(page, sign_in_as, bob, opportunity):
    from culturehub.opportunities.models import SavedSearch

    sign_in_as(bob)
    page.goto("/opportunities/?q=prescription")
    page.get_by_role("link", name="Save this search").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    expect(page.get_by_role("heading", level=1)).to_have_text("Save this search")
    assert page.get_by_text("prescription", exact=True).is_visible()
    assert not wcag_violations(page)

    # Clear the suggested name and send the form empty, to see the error state.
    page.get_by_label("Name").focus()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    page.get_by_role("button", name="Save search").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert not wcag_violations(page)

    page.get_by_label("Name").focus()
    page.keyboard.type("Arts on prescription")
    page.keyboard.press("Tab")
    assert _focused(page)["value"] == "weekly"  # the chosen radio takes the focus
    page.keyboard.press("ArrowUp")
    assert _focused(page)["value"] == "immediate"
    page.keyboard.press("Tab")
    assert _focused(page) == {"tag": "BUTTON", "id": "", "value": "", "text": "Save search"}
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your saved searches")
    expect(page.get_by_text("Search saved as ‘Arts on prescription’.")).to_be_visible()
    assert not wcag_violations(page)
    saved = SavedSearch.objects.get(owner=bob)
    assert (saved.name, saved.frequency, saved.query) == ("Arts on prescription", "immediate",
                                                          {"q": ["prescription"]})


def test_the_saved_search_pages_pass_axe(page, sign_in_as, bob):
    from culturehub.opportunities.tests.saved_factories import make_saved_search

    saved = make_saved_search(bob, name="Dance in Leeds", query={"q": ["dance"], "stage": ["tender"]})
    sign_in_as(bob)
    for path, heading in (
        (f"/opportunities/saved/{saved.pk}/edit/", "Change a saved search"),
        (f"/opportunities/saved/{saved.pk}/delete/", "Delete this saved search?"),
        (f"/opportunities/saved/{saved.pk}/feed-address/", "Replace the feed addresses?"),
        ("/opportunities/saved/", "Your saved searches"),
    ):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert not wcag_violations(page)

    # Deleting, by keyboard, from the list.
    page.get_by_role("link", name="Delete Dance in Leeds").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    page.get_by_role("button", name="Yes, delete it").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_text("You have no saved searches yet")).to_be_visible()
    assert not wcag_violations(page)

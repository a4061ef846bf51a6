"""The service works by keyboard alone: skip link first, visible focus, search and follow links."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def _focused(page):
    return page.evaluate(
        "() => { const e = document.activeElement; return {tag: e.tagName, text: e.textContent.trim(),"
        " id: e.id, outline: getComputedStyle(e).outlineStyle, shadow: getComputedStyle(e).boxShadow,"
        " background: getComputedStyle(e).backgroundColor}; }"
    )


def test_the_first_tab_reaches_the_skip_link_and_it_moves_focus_to_the_main_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    assert _focused(page)["text"] == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#main-content"


def test_every_focused_element_on_the_home_page_shows_where_focus_is(page):
    page.goto("/")
    seen = 0
    for _ in range(25):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if focused["tag"] == "BODY":
            break
        seen += 1
        has_indicator = (
            focused["outline"] not in ("none", "")
            or focused["shadow"] not in ("none", "")
            or focused["background"] not in ("rgba(0, 0, 0, 0)", "transparent")
        )
        assert has_indicator, f"no visible focus on {focused}"
    assert seen >= 5


def test_a_person_can_find_a_place_and_open_its_profile_by_keyboard(page, demo_data):
    page.goto("/places/")
    page.get_by_label("Name or ONS code").focus()
    page.keyboard.type("Manchester")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    link = page.get_by_role("link", name="Manchester", exact=True)
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Manchester"

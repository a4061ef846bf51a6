"""The opportunity pages in a browser: no WCAG 2.2 A/AA violations, and a search by keyboard alone."""

import pytest

from culturehub.directory.tests.factories import make_offer, make_organisation
from culturehub.opportunities.models import Opportunity
from culturehub.opportunities.services import relevance_flag_set
from culturehub.opportunities.tests.opportunity_factories import import_releases, make_buyer, make_opportunity
from culturehub.opportunities.tests.test_pages import OCID, _releases
from culturehub.places.tests.factories import make_geography
from culturehub.vocabulary.models import Term
from tests.browser.axe import wcag_violations

pytestmark = pytest.mark.django_db(transaction=True)
MEMORY_CAFES = "Memory cafes across Manchester"


@pytest.fixture
def notices(tmp_path, vocabulary):
    geo = make_geography()
    import_releases(tmp_path, _releases())
    dementia = Term.objects.get(scheme__key="themes", key="dementia")
    manchester = make_buyer(name="Manchester City Council", area=geo.manchester)
    make_opportunity(title=MEMORY_CAFES, buyer=manchester, themes=["dementia", "isolation"],
                     art_forms=["music"], deadline_days=12)
    make_opportunity(title="Youth theatre summer programme", buyer=manchester,
                     themes=["children_young_people"], deadline_days=5)
    make_opportunity(title="Library roof replacement", relevance="none", deadline_days=9)
    organisation = make_organisation(name="Manchester Memory Arts", areas=[geo.manchester])
    make_offer(organisation=organisation, themes=[dementia])
    return Opportunity.objects.get(title=MEMORY_CAFES)


def _check(page, paths) -> list[str]:
    problems = []
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        problems += wcag_violations(page)
    return problems


def test_the_opportunity_pages_have_no_wcag_violations(page, notices):
    imported = Opportunity.objects.get(ocid=OCID)
    paths = [
        "/opportunities/",
        "/opportunities/?theme=dementia&deadline=any&sort=relevance",
        "/opportunities/?value_min=lots&place=Atlantis",
        "/opportunities/?q=zebra",
        "/opportunities/?q=Creative+health",  # only a closed notice matches
        f"/opportunities/{imported.pk}/",
        f"/opportunities/{notices.pk}/",
        "/opportunities/about-relevance/",
    ]
    problems = _check(page, paths)
    assert not problems, "\n".join(problems)


def test_the_opportunity_page_with_flags_and_the_flag_form_has_no_wcag_violations(page, notices, sign_in_as,
                                                                                  carol):
    carol.display_name = "Carol Jones"
    carol.save()
    relevance_flag_set(user=carol, opportunity=notices, relevance="direct", note="For people with dementia.")
    sign_in_as(carol, with_two_factor=True)
    problems = _check(page, [f"/opportunities/{notices.pk}/"])
    assert page.get_by_role("button", name="Update your flag").is_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Update your flag").click()
    assert page.get_by_text("Your flag is saved").is_visible()
    problems += wcag_violations(page)
    assert not problems, "\n".join(problems)


def _focused(page) -> dict:
    return page.evaluate(
        "() => { const e = document.activeElement; const label = e.labels && e.labels[0];"
        " return {tag: e.tagName, text: (label ? label.textContent : e.textContent).trim(), name: e.name,"
        " value: e.value || '', checked: !!e.checked}; }"
    )


def _tab_until(page, wanted, limit: int = 120) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if wanted(focused):
            return focused
    raise AssertionError(f"Tab never reached the element wanted; last focused: {_focused(page)}")


def test_a_person_filters_by_theme_and_opens_a_result_by_keyboard_alone(page, notices):
    page.goto("/opportunities/")
    _tab_until(page, lambda e: e["name"] == "theme" and e["value"] == "dementia")
    page.keyboard.press("Space")
    assert _focused(page)["checked"]
    _tab_until(page, lambda e: e["tag"] == "BUTTON" and e["text"] == "Apply filters")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "theme=dementia" in page.url
    assert page.get_by_role("heading", name="1 opportunity matches your search").is_visible()
    _tab_until(page, lambda e: e["tag"] == "A" and e["text"] == MEMORY_CAFES)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == MEMORY_CAFES
    assert page.url.endswith(f"/opportunities/{notices.pk}/")

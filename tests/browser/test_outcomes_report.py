"""The outcome report in a browser: no WCAG 2.2 A/AA violations for the delivering organisation or a
commissioner, and the report reached and read by keyboard alone."""

import pytest

from culturehub.outcomes.models import AttendanceRecord, Story
from culturehub.outcomes.tests.conftest import erin, project, riverside  # noqa: F401  fixtures
from culturehub.outcomes.tests.test_report import cohort, ons4_people
from tests.browser.axe import wcag_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def reported(project):  # noqa: F811  the fixture imported above
    """The singing project with twelve people answering ONS4 before and after, attendance and a story."""
    people = ons4_people(["65_74"] * 6 + ["75_84"] * 6)
    cohort(project, people)
    AttendanceRecord.objects.create(project=project, sessions=12, attendances=140, unique_people=15)
    Story.objects.create(
        project=project, text="I sing in the car now.", attribution="A participant", consent_date="2026-06-01"
    )
    project.is_example = True
    project.save()
    return project


def test_the_report_has_no_wcag_violations_for_the_organisation_or_the_commissioner(
    page, sign_in_as, reported, bob, carol
):
    problems = []
    for user in (bob, carol):
        page.context.clear_cookies()
        sign_in_as(user)
        response = page.goto(f"/outcomes/projects/{reported.pk}/report/")
        assert response is not None and response.status == 200
        assert page.get_by_role("img", name="ONS personal wellbeing (ONS4): mean score before and after, "
                                "for the same people").is_visible()
        problems += wcag_violations(page)
    assert not problems, "\n".join(problems)


def _focused(page) -> dict:
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return {tag: e.tagName, text: (e.textContent || '').trim(), label: e.getAttribute('aria-label')}; }"
    )


def _tab_until(page, wanted, limit: int = 200) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if wanted(focused):
            return focused
    raise AssertionError(f"Tab never reached the element wanted; last focused: {_focused(page)}")


def test_a_person_opens_the_report_and_reaches_its_tables_and_pdf_by_keyboard(
    page, sign_in_as, reported, bob
):
    sign_in_as(bob)
    page.goto(f"/outcomes/projects/{reported.pk}/")
    _tab_until(page, lambda e: e["tag"] == "A" and e["text"] == "Read the outcome report")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == f"Outcome report: {reported.title}"
    _tab_until(page, lambda e: e["tag"] == "A" and e["text"] == "Download this report as a PDF")
    table = _tab_until(page, lambda e: (e["label"] or "").endswith("change table"))
    assert table["label"] == "SWEMWBS change table"  # the project's first instrument, with no answers
    _tab_until(page, lambda e: e["label"] == "ONS personal wellbeing (ONS4) change table")
    # A wide table scrolls sideways from the keyboard once its region has focus.
    page.keyboard.press("ArrowRight")
    _tab_until(page, lambda e: (e["label"] or "").endswith("meaningful change table"))

"""Every outcomes page, and its forms shown with errors, passes axe-core's WCAG 2.2 A/AA rules for the
delivering organisation; the commissioner's view of a project passes too."""

from datetime import date

import pytest

from culturehub.outcomes import services
from culturehub.outcomes.tests.conftest import erin, participant, project, riverside  # noqa: F401  fixtures
from tests.browser.axe import wcag_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def answered(bob, participant):  # noqa: F811  the fixture imported above
    """The participant has answered SWEMWBS at the baseline, and a story is kept."""
    services.response_record(
        user=bob, participant=participant, point=participant.project.measurement_points.get(key="pre"),
        instrument="swemwbs", answers={f"q{n}": "3" for n in range(1, 8)},
    )
    services.story_add(
        user=bob, project=participant.project, text="Singing helps me breathe.",
        attribution="A participant", consent_date=date(2026, 6, 1),
    )
    return participant


def _pages(project, participant):  # noqa: F811
    base = f"/outcomes/projects/{project.pk}"
    return [
        "/outcomes/",
        "/outcomes/projects/add/",
        f"{base}/",
        f"{base}/edit/",
        f"{base}/people/",
        f"{base}/history/",
        f"{base}/attendance/add/",
        f"{base}/fields/add/",
        f"{base}/questions/add/",
        f"{base}/participants/add/",
        f"{base}/upload/",
        f"{base}/stories/add/",
        f"{base}/report/",
        f"/outcomes/participants/{participant.pk}/",
        f"/outcomes/participants/{participant.pk}/edit/",
        f"/outcomes/participants/{participant.pk}/contact/",
        f"/outcomes/participants/{participant.pk}/export/",
        f"/outcomes/participants/{participant.pk}/erase/",
        f"/outcomes/participants/{participant.pk}/responses/pre/swemwbs/",
        f"/outcomes/participants/{participant.pk}/responses/post/ons4/",
    ]


def _check(page, paths):
    problems = []
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        problems += [f"{path}: {problem}" for problem in wcag_violations(page)]
    return problems


def test_the_delivering_organisations_outcomes_pages_have_no_wcag_violations(
    page, sign_in_as, bob, project, answered  # noqa: F811
):
    sign_in_as(bob)
    problems = _check(page, _pages(project, answered))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("path", "button"), [
    ("/outcomes/projects/add/", "Start project"),
    ("{base}/participants/add/", "Add participant"),
    ("{base}/attendance/add/", "Save attendance"),
    ("{base}/upload/", "Upload"),
])
def test_outcomes_forms_with_errors_have_no_wcag_violations(page, sign_in_as, bob, project, path, button):  # noqa: F811
    sign_in_as(bob)
    page.goto(path.format(base=f"/outcomes/projects/{project.pk}"))
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").is_visible()
    problems = wcag_violations(page)
    assert not problems, "\n".join(problems)


def test_the_commissioners_view_of_a_project_has_no_wcag_violations(page, sign_in_as, carol, project):  # noqa: F811
    sign_in_as(carol)
    problems = _check(page, ["/outcomes/", f"/outcomes/projects/{project.pk}/",
                             f"/outcomes/projects/{project.pk}/report/"])
    assert not problems, "\n".join(problems)

"""The project page's participant list in a browser: its pages have no WCAG 2.2 A/AA violations, and
the next and previous links lead through the list and back to it."""

from datetime import date

import pytest

from culturehub.outcomes.models import Participant
from culturehub.outcomes.tests.conftest import erin, project, riverside  # noqa: F401  fixtures
from tests.browser.axe import wcag_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def crowded(project):  # noqa: F811  the fixture imported above
    """The singing project with 75 participants: two pages of them."""
    Participant.objects.bulk_create(
        Participant(project=project, code=f"P-{index:03}", consent_date=date(2026, 1, 5), age_band="65_74")
        for index in range(75)
    )
    return project


def test_a_person_with_the_data_role_pages_through_the_participants(page, sign_in_as, crowded, bob):
    sign_in_as(bob)
    page.goto(f"/outcomes/projects/{crowded.pk}/")
    participants = page.get_by_role("table", name="75 participants: 1 to 50 shown")
    assert participants.get_by_role("link", name="P-049").is_visible()
    problems = wcag_violations(page)

    navigation = page.get_by_role("navigation", name="Pages of participants")
    with page.expect_navigation():
        navigation.get_by_role("link", name="Next page").click()
    assert page.url.endswith("?page=2#participants")
    second = page.get_by_role("table", name="75 participants: 51 to 75 shown")
    assert second.get_by_role("link", name="P-050").is_visible()
    assert second.get_by_role("link", name="P-049").count() == 0
    problems += wcag_violations(page)

    with page.expect_navigation():
        navigation.get_by_role("link", name="Previous page").click()
    assert page.get_by_role("table", name="75 participants: 1 to 50 shown").is_visible()
    assert not problems, "\n".join(problems)

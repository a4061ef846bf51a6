"""Fixtures for the outcomes tests: one project delivered by Riverside, and a person for each role.

People (root conftest): alice administrator, carol commissioner (linked to the project as a viewer),
bob owner of Riverside who started the project and holds its data role. Here: erin, a Riverside member
without the data role; frank, a member of another organisation (Hillside); gina, a commissioner not
linked to the project.
"""

from datetime import date

import pytest

from culturehub.directory.models import OrganisationMembership
from culturehub.directory.tests.factories import make_organisation
from culturehub.outcomes import services
from culturehub.places.tests.factories import give_two_factor

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def erin(django_user_model):
    return django_user_model.objects.create_user(email="erin@example.org", password=PASSWORD, role="member")


@pytest.fixture
def frank(django_user_model):
    return django_user_model.objects.create_user(email="frank@example.org", password=PASSWORD, role="member")


@pytest.fixture
def gina(django_user_model):
    user = django_user_model.objects.create_user(
        email="gina@example.org", password=PASSWORD, role="commissioner"
    )
    return give_two_factor(user)


@pytest.fixture
def riverside(bob, erin):
    organisation = make_organisation(name="Riverside Community Arts", owner=bob)
    OrganisationMembership.objects.create(organisation=organisation, user=erin)
    return organisation


@pytest.fixture
def hillside(frank):
    return make_organisation(name="Hillside Heritage Trust", owner=frank)


@pytest.fixture
def project(bob, riverside, carol):
    """Riverside's singing project: SWEMWBS and ONS4, before and after, carol linked as commissioner."""
    created = services.project_create(
        user=bob,
        organisation=riverside,
        title="Singing for better breathing",
        kind="commissioned",
        funder_name="Example Integrated Care Board",
        start_date=date(2026, 1, 5),
        end_date=date(2026, 6, 30),
        instruments=["swemwbs", "ons4"],
        measurement_points=[("pre", "Baseline"), ("post", "End of project")],
        collects_contact_details=True,
        contact_details_purpose="To send reminders before the follow-up questionnaire.",
        consent_version="v1",
        consent_wording="I agree that my answers are used, without my name, to evaluate the project.",
    )
    services.viewer_add(user=bob, project=created, email=carol.email)
    give_two_factor(carol)
    return created


@pytest.fixture
def admin(alice):
    return give_two_factor(alice)


@pytest.fixture
def participant(bob, project):
    return services.participant_create(
        user=bob,
        project=project,
        code="P-0001",
        consent_date=date(2026, 1, 5),
        age_band="65_74",
        contact={"name": "Sam Example", "email": "sam@example.org"},
    )

"""Who may do what with an outcome project: the rules in one place, used by the selectors and services.

- Delivering members: the members of the delivering organisation; for a consortium, its coordinator and
  the members of its active member organisations. They see the project and its aggregates unsuppressed.
- The data role (ProjectDataRole): delivering members named for one project. Only they see or change
  participant-level data (participants, contact details, responses, stories, uploads), and only while
  they are still delivering members.
- Linked viewers (ProjectViewer): the commissioner's or funder's accounts; they see the project and its
  aggregates with small counts suppressed, never participants.
- Administrators manage every project (change it, name who holds the data role and who views it) and
  see aggregates as outsiders do, but see participant-level data only if they hold the data role
  themselves like anyone else. The service runs the platform; the delivering organisation decides who
  handles its participants' data, so administrators get no standing right to read it.
- Everyone else: nothing, and the project's pages answer "not found".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from culturehub.core.permissions import is_administrator
from culturehub.directory.models import ConsortiumMember, OrganisationMembership
from culturehub.outcomes.models import Project, ProjectDataRole, ProjectViewer

NOT_FOUND = "There is no such project."
DATA_ROLE_NEEDED = (
    "Only members of the delivering organisation who hold this project’s data role can see or change "
    "participants’ data. Ask the organisation’s owner to give you the data role."
)
EDIT_NEEDED = (
    "Only the delivering organisation’s owners, members with the data role, and administrators can "
    "change this project."
)
PEOPLE_NEEDED = (
    "Only the delivering organisation’s owners (or the consortium’s coordinator) and administrators can "
    "say who holds the data role or sees the project."
)


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def delivering_member_q(user, prefix: str = "") -> Q:
    """Projects (or records reached through `prefix`, like 'project__') the user helps deliver."""
    own_organisations = OrganisationMembership.objects.filter(user=user).values("organisation_id")
    active_consortia = ConsortiumMember.objects.filter(
        state=ConsortiumMember.State.ACTIVE, organisation__memberships__user=user
    ).values("consortium_id")
    return (
        Q(**{f"{prefix}organisation__in": own_organisations})
        | Q(**{f"{prefix}consortium__coordinator": user})
        | Q(**{f"{prefix}consortium__in": active_consortia})
    )


def is_delivering_member(*, user, project: Project) -> bool:
    if not _signed_in(user):
        return False
    if project.organisation_id:
        return OrganisationMembership.objects.filter(
            organisation_id=project.organisation_id, user=user
        ).exists()
    return Project.objects.filter(delivering_member_q(user), pk=project.pk).exists()


def is_delivery_lead(*, user, project: Project) -> bool:
    """The organisation's owners, or the consortium's coordinator: they name who holds the data role."""
    if not _signed_in(user):
        return False
    if project.organisation_id:
        return OrganisationMembership.objects.filter(
            organisation_id=project.organisation_id, user=user, role=OrganisationMembership.Role.OWNER
        ).exists()
    return project.consortium.coordinator_id == user.pk


def holds_data_role(*, user, project: Project) -> bool:
    if not _signed_in(user):
        return False
    named = ProjectDataRole.objects.filter(project=project, user=user).exists()
    return named and is_delivering_member(user=user, project=project)


def is_linked_viewer(*, user, project: Project) -> bool:
    if not _signed_in(user):
        return False
    return ProjectViewer.objects.filter(project=project, user=user).exists()


@dataclass(frozen=True)
class ProjectAccess:
    """What one person may do with one project."""

    can_view: bool = False  # the project page and its aggregates
    is_delivering_member: bool = False  # sees aggregates without suppression
    has_data_role: bool = False  # sees and changes participant-level data
    can_edit: bool = False  # changes the project's details and measurement plan
    can_manage_people: bool = False  # names data-role holders and linked viewers
    is_viewer: bool = False  # a linked commissioner or funder

    @property
    def suppress_small_counts(self) -> bool:
        """Counts under the project's minimum cell size are hidden from everyone outside delivery."""
        return not self.is_delivering_member


NO_ACCESS = ProjectAccess()


def project_access(*, user, project: Project) -> ProjectAccess:
    if not _signed_in(user):
        return NO_ACCESS
    administrator = is_administrator(user)
    member = is_delivering_member(user=user, project=project)
    data_role = member and ProjectDataRole.objects.filter(project=project, user=user).exists()
    lead = member and is_delivery_lead(user=user, project=project)
    viewer = is_linked_viewer(user=user, project=project)
    return ProjectAccess(
        can_view=administrator or member or viewer,
        is_delivering_member=member,
        has_data_role=data_role,
        can_edit=administrator or lead or data_role,
        can_manage_people=administrator or lead,
        is_viewer=viewer,
    )


def project_access_or_404(*, user, project: Project) -> ProjectAccess:
    """What the user may do with the project; Http404 for anyone who may not see it (nothing disclosed)."""
    access = project_access(user=user, project=project)
    if not access.can_view:
        raise Http404(NOT_FOUND)
    return access


def can_create_project_for(*, user, organisation=None, consortium=None) -> bool:
    """Members of the organisation (or the consortium's coordinator) and administrators start projects."""
    if not _signed_in(user):
        return False
    if is_administrator(user):
        return True
    if organisation is not None:
        return OrganisationMembership.objects.filter(organisation=organisation, user=user).exists()
    if consortium is not None:
        return consortium.coordinator_id == user.pk
    return False

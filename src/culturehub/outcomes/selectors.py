"""Reading outcome projects, with the permission rules of permissions.py applied here, not in views.

Anyone who may not see a project gets Http404 (nothing about it is disclosed); someone who sees the
project but not its participants gets PermissionDenied with what to do. Every read of participant-level
data writes an "access" entry in the audit trail (audit.audit_view).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from culturehub.core.audit import HistoryEntry, audit_history
from culturehub.core.permissions import is_administrator
from culturehub.directory.models import Consortium, ConsortiumMember, Offer, Organisation
from culturehub.directory.selectors import organisation_lead_choices
from culturehub.outcomes import audit
from culturehub.outcomes.instruments import INSTRUMENTS
from culturehub.outcomes.models import (
    AggregateSnapshot,
    AttendanceRecord,
    ContactDetails,
    CustomQuestion,
    MeasurementPoint,
    Participant,
    Project,
    ProjectDataRole,
    ProjectField,
    ProjectViewer,
    Response,
    ResponseUpload,
    Story,
)
from culturehub.outcomes.permissions import (
    DATA_ROLE_NEEDED,
    EDIT_NEEDED,
    NOT_FOUND,
    ProjectAccess,
    delivering_member_q,
    project_access,
    project_access_or_404,
)
from culturehub.outcomes.statistics import SuppressedTable, suppress_counts

PARTICIPANTS_PER_PAGE = 50


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def _get_or_404(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, ValidationError):
        raise Http404(NOT_FOUND) from None


# ---------------------------------------------------------------------------------------------------
# Projects
# ---------------------------------------------------------------------------------------------------


def project_list_for_user(*, user) -> QuerySet[Project]:
    """'Your projects': those the user helps deliver or views as commissioner or funder (administrators:
    every project)."""
    projects = Project.objects.select_related("organisation", "consortium")
    if not _signed_in(user):
        return projects.none()
    if not is_administrator(user):
        viewing = ProjectViewer.objects.filter(user=user).values("project_id")
        mine = Project.objects.filter(delivering_member_q(user)).values("pk")
        projects = projects.filter(Q(pk__in=mine) | Q(pk__in=viewing))
    return projects.order_by("title", "pk")


def project_get(*, user, pk) -> tuple[Project, ProjectAccess]:
    """The project and what the user may do with it; Http404 for anyone who may not see it."""
    project = _get_or_404(Project.objects.select_related("organisation", "consortium"), pk)
    return project, project_access_or_404(user=user, project=project)


def project_get_for_edit(*, user, pk) -> Project:
    project, access = project_get(user=user, pk=pk)
    if not access.can_edit:
        raise PermissionDenied(EDIT_NEEDED)
    return project


def project_get_for_data(*, user, pk) -> Project:
    """The project, for someone about to see or change its participant-level data."""
    project, access = project_get(user=user, pk=pk)
    if not access.has_data_role:
        raise PermissionDenied(DATA_ROLE_NEEDED)
    return project


def project_response_counts(*, project: Project, suppress: bool) -> SuppressedTable:
    """Valid responses by instrument (rows) and measurement point (columns); counts under the project's
    minimum cell size hidden when `suppress` (anyone outside the delivering organisation)."""
    points = [point.key for point in project.measurement_points.all()]
    counts = Counter(
        (row["instrument"], row["point__key"])
        for row in Response.objects.filter(participant__project=project, valid=True).values(
            "instrument", "point__key"
        )
    )
    table = {key: {point: counts[(key, point)] for point in points} for key in project.instruments}
    if not table or not points:
        table = {"responses": {"all": 0}}
    return suppress_counts(table, min_count=project.min_cell_size if suppress else 0)


@dataclass
class ProjectPage:
    project: Project
    access: ProjectAccess
    points: list[MeasurementPoint]
    attendance: list[AttendanceRecord]
    fields: list[ProjectField]
    custom_questions: list[CustomQuestion]
    instruments: list[tuple[str, str]]  # (key, name)
    participant_count: int | None  # None when suppressed
    response_counts: SuppressedTable
    participants: Page | None = None  # one page of them, data role only
    data_roles: list[ProjectDataRole] = field(default_factory=list)
    viewers: list[ProjectViewer] = field(default_factory=list)
    uploads: list[ResponseUpload] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    snapshot: AggregateSnapshot | None = None

    @property
    def response_rows(self) -> list[tuple[str, list[int | None]]]:
        """The response counts with each instrument by name, columns in the plan's order."""
        names = dict(self.instruments)
        table = self.response_counts
        return [
            (names.get(row, row), [table.cells[row][column] for column in table.columns])
            for row in table.rows
        ]

    @property
    def response_columns(self) -> list[str]:
        names = {point.key: point.name for point in self.points}
        return [names.get(column, column) for column in self.response_counts.columns]


def _instrument_names(project: Project, questions: list[CustomQuestion]) -> list[tuple[str, str]]:
    custom = {question.key: question.question for question in questions}
    return [
        (key, INSTRUMENTS[key].name if key in INSTRUMENTS else custom.get(key, key))
        for key in project.instruments
    ]


def project_instruments(*, project: Project) -> list[tuple[str, str]]:
    """The project's instruments as (key, name), its own questions included."""
    return _instrument_names(project, list(project.custom_questions.all()))


def project_delivering_members(*, project: Project) -> QuerySet:
    """The people who deliver the project: those who may hold its data role. Accounts that cannot sign
    in (closed ones, and the one the example data is entered as) are left out."""
    users = get_user_model().objects.filter(is_active=True)
    if project.organisation_id:
        return users.filter(organisations=project.organisation_id).order_by("email")
    active = ConsortiumMember.objects.filter(
        consortium=project.consortium_id, state=ConsortiumMember.State.ACTIVE
    )
    return (
        users.filter(
            Q(pk=project.consortium.coordinator_id) | Q(organisations__in=active.values("organisation_id"))
        )
        .distinct()
        .order_by("email")
    )


def delivering_offers(*, organisation, consortium) -> QuerySet[Offer]:
    """Offers a project may use: its delivering organisation's, or the consortium's active members'.
    Takes the records or their ids, so a project not yet saved can be checked too."""
    if organisation is not None:
        return Offer.objects.filter(organisation=organisation).order_by("name")
    active = ConsortiumMember.objects.filter(consortium=consortium, state=ConsortiumMember.State.ACTIVE)
    return Offer.objects.filter(organisation__in=active.values("organisation_id")).order_by(
        "organisation__name", "name"
    )


def project_offer_choices(*, project: Project) -> QuerySet[Offer]:
    return delivering_offers(organisation=project.organisation_id, consortium=project.consortium_id)


def project_delivered_by_choices(*, user) -> list[tuple[str, str]]:
    """Who the user may start a project for, as form choices: their organisations, and the consortia
    they coordinate ('organisation:<pk>' or 'consortium:<pk>')."""
    if not _signed_in(user):
        return []
    organisations = organisation_lead_choices(user=user)
    consortia = Consortium.objects.filter(coordinator=user).order_by("name")
    return [(f"organisation:{o.pk}", o.name) for o in organisations] + [
        (f"consortium:{c.pk}", f"{c.name} (consortium)") for c in consortia
    ]


def project_delivered_by(*, value: str) -> dict:
    """The record a 'delivered by' choice names, as project_create takes it ({'organisation': ...} or
    {'consortium': ...}); Http404 if it has gone. project_create checks the user may start it."""
    kind, _colon, pk = value.partition(":")
    if kind == "organisation":
        return {"organisation": _get_or_404(Organisation.objects.all(), pk)}
    return {"consortium": _get_or_404(Consortium.objects.all(), pk)}


def project_page(*, user, pk, participant_page=1) -> ProjectPage:
    """Everything the project page shows, for this user. The participant list (data role only) comes a
    page at a time (`participant_page`) and is audited as a view of participant-level data."""
    project, access = project_get(user=user, pk=pk)
    questions = list(project.custom_questions.all())
    participant_count = all_participants = project.participants.count()
    if access.suppress_small_counts and participant_count < project.min_cell_size:
        participant_count = None
    page = ProjectPage(
        project=project,
        access=access,
        points=list(project.measurement_points.all()),
        attendance=list(project.attendance_records.all()),
        fields=list(project.participant_fields.all()),
        custom_questions=questions,
        instruments=_instrument_names(project, questions),
        participant_count=participant_count,
        response_counts=project_response_counts(project=project, suppress=access.suppress_small_counts),
        snapshot=project.aggregate_snapshots.order_by("-computed_at").first(),
    )
    if access.has_data_role:
        page.participants = participant_list(
            user=user, project=project, page=participant_page, known_count=all_participants
        )
        page.uploads = list(project.uploads.select_related("uploaded_by")[:10])
        page.stories = project_stories(project=project)
    if access.can_manage_people or access.is_delivering_member:
        page.data_roles = list(project.data_roles.select_related("user"))
        page.viewers = list(project.viewers.select_related("user"))
    return page


def project_audit_log(*, user, project: Project, limit: int = 100) -> list[HistoryEntry]:
    """Who changed the project and its plan, and who saw or changed participant data (data role and
    administrators; the participant records appear by code only)."""
    access = project_access(user=user, project=project)
    if not (access.has_data_role or access.can_manage_people):
        raise PermissionDenied("Only the delivering organisation’s data role and administrators read this.")
    return audit_history(
        {
            Project: [project.pk],
            MeasurementPoint: list(project.measurement_points.values_list("pk", flat=True)),
            ProjectDataRole: list(project.data_roles.values_list("pk", flat=True)),
            ProjectViewer: list(project.viewers.values_list("pk", flat=True)),
            Participant: list(project.participants.values_list("pk", flat=True)),
        },
        limit=limit,
    )


# ---------------------------------------------------------------------------------------------------
# Participant-level data: data role only, every read audited
# ---------------------------------------------------------------------------------------------------


def _require_data_role(user, project: Project) -> None:
    if not project_access_or_404(user=user, project=project).has_data_role:
        raise PermissionDenied(DATA_ROLE_NEEDED)


def participant_list(
    *, user, project: Project, page=1, per_page: int = PARTICIPANTS_PER_PAGE, known_count: int | None = None
) -> Page:
    """One page of the project's participants, by code, with their response counts (a count query,
    unless the caller has counted them already, and the page's query). `page` is taken as
    Paginator.get_page takes it: not a number gives the first page, past the end the last. Audited: the
    entry names the participants shown, not all of them."""
    _require_data_role(user, project)
    participants = project.participants.annotate(response_count=Count("responses")).order_by("code", "pk")
    paginator = Paginator(participants, per_page)
    # A plain count: the paginator would otherwise count the annotated query, a join for nothing.
    paginator.count = project.participants.count() if known_count is None else known_count
    shown = paginator.get_page(page)
    shown.object_list = list(shown.object_list)
    audit.audit_view(
        user=user,
        record=project,
        what="participant list",
        participants=[p.pk for p in shown.object_list],
        page=shown.number,
    )
    return shown


@dataclass
class ParticipantPage:
    participant: Participant
    project: Project
    contact: ContactDetails | None
    responses: list[Response]
    stories: list[Story]
    fields: list[tuple[ProjectField, str]]
    points: list[MeasurementPoint]
    instruments: list[tuple[str, str]]

    @property
    def response_grid(self) -> list[tuple[MeasurementPoint, str, str, Response | None]]:
        """Every (point, instrument key, instrument name) of the plan, with the response held, if any."""
        held = {(response.point_id, response.instrument): response for response in self.responses}
        return [
            (point, key, name, held.get((point.pk, key)))
            for point in self.points
            for key, name in self.instruments
        ]


def participant_get(*, user, pk) -> Participant:
    """One participant, for the data role of their project; audited. Http404 for anyone else who may
    not see the project."""
    participant = _get_or_404(
        Participant.objects.select_related("project", "project__organisation", "project__consortium"), pk
    )
    _require_data_role(user, participant.project)
    audit.audit_view(user=user, record=participant, what="participant record")
    return participant


def participant_page(*, user, pk) -> ParticipantPage:
    participant = participant_get(user=user, pk=pk)
    project = participant.project
    definitions = list(project.participant_fields.all())
    return ParticipantPage(
        participant=participant,
        project=project,
        contact=ContactDetails.objects.filter(participant=participant).first(),
        responses=list(
            participant.responses.select_related("point").order_by("point__position", "instrument")
        ),
        stories=list(participant.stories.all()),
        fields=[(definition, participant.field_values.get(definition.key, "")) for definition in definitions],
        points=list(project.measurement_points.all()),
        instruments=project_instruments(project=project),
    )


def upload_get(*, user, pk) -> ResponseUpload:
    """An upload's summary and rejected rows (which name participant codes): data role only."""
    upload = _get_or_404(ResponseUpload.objects.select_related("project", "uploaded_by"), pk)
    _require_data_role(user, upload.project)
    return upload


def point_get(*, project: Project, key: str) -> MeasurementPoint:
    try:
        return project.measurement_points.get(key=key)
    except MeasurementPoint.DoesNotExist:
        raise Http404("The project has no such measurement point.") from None


def project_stories(*, project: Project) -> list[Story]:
    """Stories shared with consent for the report (their text is meant to be published)."""
    return list(project.stories.order_by("-consent_date", "pk"))


# ---------------------------------------------------------------------------------------------------
# For analysis (no person sees these rows: callers publish only aggregates)
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResponseRecord:
    participant_id: int
    point: str
    instrument: str
    measures: dict
    age_band: str
    field_values: dict


def project_response_records(*, project: Project) -> list[ResponseRecord]:
    """Every valid scored response of the project, with the participant's age band and fields for
    subgroups; one query. For computing aggregates only: nothing here may be shown row by row."""
    rows = Response.objects.filter(participant__project=project, valid=True).values_list(
        "participant_id",
        "point__key",
        "instrument",
        "measures",
        "participant__age_band",
        "participant__field_values",
    )
    return [ResponseRecord(*row) for row in rows]

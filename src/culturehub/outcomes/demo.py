"""The demo's example outcome project: invented data, marked as an example, loaded through the services.

    outcomes_demo_load()   reads demo_data/outcomes/example_project.yaml; safe to run again

The file is made by demo_data/outcomes/make_example_project.py and describes no real person. Loading
goes through services.py so the example is checked and scored like any project and its audit trail
is the ordinary one. The services act for a person; here that is a dedicated account, "example data
loader", which cannot sign in (no usable password, inactive) and is made an owner of the example
organisation so it may start the project and hold its data role. The audit trail therefore says
plainly who entered the data.

When the demo sign-ins exist (`create_demo_users`, development only), the demo member is made a member
of the organisation with the project's data role, and the demo commissioner views the project.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from culturehub.accounts.management.commands.create_demo_users import demo_email
from culturehub.directory.models import Offer, Organisation, OrganisationMembership
from culturehub.outcomes import services
from culturehub.outcomes.instruments import INSTRUMENTS
from culturehub.outcomes.models import Participant, Project, Response
from culturehub.places.models import Area
from culturehub.vocabulary.models import Term

LOADER_EMAIL = demo_email("example-data")
LOADER_NAME = "Example data loader (cannot sign in)"
DEMO_MEMBER_EMAIL = demo_email("member")
DEMO_COMMISSIONER_EMAIL = demo_email("commissioner")
PLURALS = {"story": "stories"}
PROJECT_SCALARS = (
    "summary",
    "kind",
    "funder_name",
    "start_date",
    "end_date",
    "min_cell_size",
    "retention_months",
    "consent_version",
    "consent_wording",
)


class OutcomesDemoError(Exception):
    """The example file cannot be read or names something the demo does not have."""


def example_project_path() -> Path:
    return Path(settings.DEMO_DATA_DIR) / "outcomes" / "example_project.yaml"


def example_project_data(path: Path | None = None) -> dict:
    path = path or example_project_path()
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise OutcomesDemoError(f"Cannot read {path}: {error}") from error


@dataclass
class OutcomesDemoReport:
    project: Project | None = None
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def count(self, outcome: str, what: str) -> None:
        if outcome == "unchanged":
            return
        tally = self.created if outcome == "created" else self.updated
        tally[what] = tally.get(what, 0) + 1

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated)

    def describe(self) -> str:
        def things(number: int, what: str) -> str:
            return f"{number} {what if number == 1 else PLURALS.get(what, what + 's')}"

        parts = [f"{things(number, what)} added" for what, number in self.created.items()]
        parts += [f"{things(number, what)} changed" for what, number in self.updated.items()]
        return ", ".join(parts)


def _loader(organisation: Organisation, report: OutcomesDemoReport):
    """The account the services act for: it cannot sign in, and owns only the example organisation."""
    user, created = get_user_model().objects.get_or_create(
        email=LOADER_EMAIL,
        defaults={"display_name": LOADER_NAME, "role": "member", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        report.count("created", "loader account")
    _, joined = OrganisationMembership.objects.get_or_create(
        organisation=organisation, user=user, defaults={"role": OrganisationMembership.Role.OWNER}
    )
    if joined:
        report.count("created", "organisation membership")
    return user


def _terms(scheme: str, keys: list[str]) -> list[Term]:
    terms = list(Term.objects.filter(scheme__key=scheme, key__in=keys))
    missing = set(keys) - {term.key for term in terms}
    if missing:
        raise OutcomesDemoError(f"No {scheme} term {', '.join(sorted(missing))}: load the vocabulary first.")
    return terms


def _project_arguments(data: dict, organisation: Organisation, report: OutcomesDemoReport) -> dict:
    wanted = data["project"]
    places = list(Area.objects.filter(code__in=data.get("places") or []))
    if len(places) < len(data.get("places") or []):
        report.skipped.append("some places of the example project are not loaded: it is shown without them")
    offers = list(Offer.objects.filter(organisation=organisation, name__in=data.get("offers") or []))
    return {
        **{name: wanted[name] for name in PROJECT_SCALARS},
        "title": wanted["title"],
        "instruments": list(wanted["instruments"]),
        "measurement_points": [tuple(point) for point in data["measurement_points"]],
        "places": places,
        "offers": offers,
        "outcomes": _terms("outcomes", wanted.get("outcomes") or []),
        "themes": _terms("themes", wanted.get("themes") or []),
    }


def _project_differs(project: Project, arguments: dict) -> bool:
    if any(getattr(project, name) != arguments[name] for name in PROJECT_SCALARS):
        return True
    if project.instruments != arguments["instruments"] or not project.is_example:
        return True
    points = [(point.key, point.name) for point in project.measurement_points.all()]
    if points != arguments["measurement_points"]:
        return True
    return any(
        set(getattr(project, name).values_list("pk", flat=True)) != {record.pk for record in arguments[name]}
        for name in ("places", "offers", "outcomes", "themes")
    )


def _project(loader, organisation: Organisation, data: dict, report: OutcomesDemoReport) -> Project:
    arguments = _project_arguments(data, organisation, report)
    project = Project.objects.filter(
        organisation=organisation, title=arguments["title"], is_example=True
    ).first()
    if project is None:
        report.count("created", "project")
        return services.project_create(
            user=loader,
            organisation=organisation,
            is_example=True,
            collects_contact_details=False,
            **arguments,
        )
    if _project_differs(project, arguments):
        report.count("updated", "project")
        services.project_update(user=loader, project=project, is_example=True, **arguments)
    return project


def _fields(loader, project: Project, data: dict, report: OutcomesDemoReport) -> None:
    held = set(project.participant_fields.values_list("key", flat=True))
    for item in data.get("fields") or []:
        if services.field_key(item["name"]) in held:
            continue
        services.project_field_add(
            user=loader, project=project, name=item["name"], purpose=item["purpose"], choices=item["choices"]
        )
        report.count("created", "participant field")


def _attendance(loader, project: Project, data: dict, report: OutcomesDemoReport) -> None:
    held = set(project.attendance_records.values_list("period_start", "period_end"))
    for record in data.get("attendance") or []:
        if (record["period_start"], record["period_end"]) in held:
            continue
        services.attendance_record_add(user=loader, project=project, **record)
        report.count("created", "attendance record")


def _participants(loader, project: Project, data: dict, report: OutcomesDemoReport) -> dict[str, Participant]:
    held = {participant.code: participant for participant in project.participants.all()}
    for person in data["participants"]:
        values = {
            "consent_date": person["consent_date"],
            "age_band": person.get("age_band", ""),
            "field_values": person.get("fields") or {},
        }
        participant = held.get(person["code"])
        if participant is None:
            held[person["code"]] = services.participant_create(
                user=loader, project=project, code=person["code"], **values
            )
            report.count("created", "participant")
        elif any(getattr(participant, name) != value for name, value in values.items()):
            services.participant_update(user=loader, participant=participant, **values)
            report.count("updated", "participant")
    return held


def example_answers(instrument: str, values: list[int]) -> dict[str, int]:
    """The file lists each instrument's answers in item order; the services take them by item key."""
    items = INSTRUMENTS[instrument].items
    if len(values) != len(items):
        raise OutcomesDemoError(f"{instrument} needs {len(items)} answers, not {len(values)}")
    return dict(zip(items, values, strict=True))


def _responses(
    loader, project: Project, data: dict, participants: dict[str, Participant], report: OutcomesDemoReport
) -> None:
    points = {point.key: point for point in project.measurement_points.all()}
    held = {
        (participant_id, point_id, instrument): answers
        for participant_id, point_id, instrument, answers in Response.objects.filter(
            participant__project=project
        ).values_list("participant_id", "point_id", "instrument", "answers")
    }
    for person in data["participants"]:
        participant = participants[person["code"]]
        for point_key, by_instrument in (person.get("responses") or {}).items():
            point = points[point_key]
            for instrument, values in by_instrument.items():
                answers = example_answers(instrument, values)
                if held.get((participant.pk, point.pk, instrument)) == answers:
                    continue
                _response, outcome = services.response_record(
                    user=loader, participant=participant, point=point, instrument=instrument, answers=answers
                )
                report.count(outcome, "response")


def _stories(
    loader, project: Project, data: dict, participants: dict[str, Participant], report: OutcomesDemoReport
) -> None:
    held = set(project.stories.values_list("title", flat=True))
    for story in data.get("stories") or []:
        if story["title"] in held:
            continue
        services.story_add(
            user=loader,
            project=project,
            participant=participants[story["participant"]],
            title=story["title"],
            text=story["text"],
            attribution=story["attribution"],
            consent_date=story["consent_date"],
            consent_wording=data.get("story_consent_wording", ""),
        )
        report.count("created", "story")


def _demo_sign_ins(loader, project: Project, report: OutcomesDemoReport) -> None:
    """The demo member handles the participants' data; the demo commissioner sees the aggregates."""
    accounts = get_user_model().objects
    member = accounts.filter(email=DEMO_MEMBER_EMAIL).first()
    if member is not None:
        _, joined = OrganisationMembership.objects.get_or_create(
            organisation=project.organisation, user=member
        )
        if joined:
            report.count("created", "organisation membership")
        if not project.data_roles.filter(user=member).exists():
            services.data_role_grant(user=loader, project=project, member=member)
            report.count("created", "data role")
    commissioner = accounts.filter(email=DEMO_COMMISSIONER_EMAIL).first()
    if commissioner is not None and not project.viewers.filter(user=commissioner).exists():
        services.viewer_add(user=loader, project=project, email=commissioner.email)
        report.count("created", "viewer")


def outcomes_demo_load(*, path: Path | None = None) -> OutcomesDemoReport:
    """Load the example project of the demo (needs the directory examples and the vocabulary).

    Safe to run again: each record is matched (project by title, participants by code, responses by
    participant, point and instrument, stories by title) and only added or changed when it differs.
    """
    data = example_project_data(path)
    report = OutcomesDemoReport()
    organisation = Organisation.objects.filter(name=data["organisation"], is_example=True).first()
    if organisation is None:
        report.skipped.append(f"{data['organisation']} is not loaded: load the directory examples first")
        return report
    with transaction.atomic():
        loader = _loader(organisation, report)
        project = report.project = _project(loader, organisation, data, report)
        if project.participant_data_deleted_at is not None:
            report.skipped.append(
                "its participant data was deleted when its retention period ended; delete the project "
                "in the admin to load the example again"
            )
        else:
            _fields(loader, project, data, report)
            _attendance(loader, project, data, report)
            participants = _participants(loader, project, data, report)
            _responses(loader, project, data, participants, report)
            _stories(loader, project, data, participants, report)
        _demo_sign_ins(loader, project, report)
    return report


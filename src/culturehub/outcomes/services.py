"""Changing outcome projects and their participant-level data.

Every function checks the person's right first (PermissionDenied, see permissions.py) and the values
next (ValidationError keyed by field, in GOV.UK wording), before it saves anything. auditlog records each
change; outside a request we name the actor ourselves (core.audit.audit_actor_record).
"""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from culturehub.core.audit import audit_actor_record
from culturehub.core.permissions import require
from culturehub.core.validation import FieldErrors, clean_text
from culturehub.directory.models import Offer
from culturehub.outcomes import audit
from culturehub.outcomes.instruments import INSTRUMENTS, Instrument, custom_instrument, meaningful_change
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
    PEOPLE_NEEDED,
    can_create_project_for,
    is_delivering_member,
    project_access_or_404,
)
from culturehub.outcomes.scoring import score_response
from culturehub.outcomes.selectors import delivering_offers, project_response_records
from culturehub.outcomes.statistics import pair_by_participant, paired_change, suppress_count

DEFAULT_POINTS = (("pre", "Baseline"), ("post", "End of project"))
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_RETENTION_MONTHS = 120
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I, which people misread
CODE_COLUMNS = ("participant_code", "participant_id")


# ---------------------------------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------------------------------


def _require_signed_in(user) -> None:
    require(bool(user and user.is_authenticated), "Sign in to work on outcome projects.")


def _require_data_role(user, project: Project) -> None:
    _require_signed_in(user)
    access = project_access_or_404(user=user, project=project)
    require(access.has_data_role, DATA_ROLE_NEEDED)


def _require_editor(user, project: Project) -> None:
    _require_signed_in(user)
    access = project_access_or_404(user=user, project=project)
    require(access.can_edit, EDIT_NEEDED)


def _require_people_manager(user, project: Project) -> None:
    _require_signed_in(user)
    access = project_access_or_404(user=user, project=project)
    require(access.can_manage_people, PEOPLE_NEEDED)


def record_key(text: str) -> str:
    """The key a point, question or participant field is stored and uploaded under: 'Referred by' ->
    'referred_by'."""
    return slugify(clean_text(text)).replace("-", "_")


def field_key(name: str) -> str:
    """The key of a participant field, from its name (ProjectField.key holds 40 characters)."""
    return record_key(name)[:40]


def _record_actor(user, records, started: datetime) -> None:
    audit_actor_record(records=[record for record in records if record is not None], user=user, since=started)


# ---------------------------------------------------------------------------------------------------
# Instruments as a project uses them
# ---------------------------------------------------------------------------------------------------


def project_instrument(project: Project, key: str) -> Instrument:
    """A standard instrument, or one of the project's own questions; KeyError when it has neither."""
    if key in INSTRUMENTS:
        return INSTRUMENTS[key]
    question = project.custom_questions.filter(key=key).first()
    if question is None:
        raise KeyError(key)
    return custom_instrument(
        question.key,
        question=question.question,
        minimum=question.minimum,
        maximum=question.maximum,
        higher_is_better=question.higher_is_better,
        meaningful_change=question.meaningful_change,
    )


def project_threshold(project: Project, instrument: Instrument, measure: str) -> float:
    """The meaningful-change threshold the project uses: its own override, else the default in use."""
    overrides = project.change_thresholds or {}
    value = overrides.get(f"{instrument.key}:{measure}", overrides.get(instrument.key))
    if value is not None:
        return float(value)
    if instrument.key in INSTRUMENTS:
        return meaningful_change(instrument, measure)
    return instrument.measure(measure).meaningful_change


# ---------------------------------------------------------------------------------------------------
# Projects
# ---------------------------------------------------------------------------------------------------


def _check_points(errors: FieldErrors, points) -> list[tuple[str, str]]:
    cleaned, seen = [], set()
    for key, name in points:
        key, name = record_key(key), clean_text(name)
        if not key and not name:
            continue
        if not key or not name:
            errors.add(
                "measurement_points",
                "Give each measurement point a short key and a name, like ‘pre’ and ‘Baseline’",
            )
            continue
        if key in seen:
            errors.add("measurement_points", f"Use each key once: ‘{key}’ is given twice")
            continue
        seen.add(key)
        cleaned.append((key, name[:100]))
    if not cleaned:
        errors.add("measurement_points", "Add at least one measurement point, like ‘pre’ for the baseline")
    return cleaned


def _check_thresholds(
    errors: FieldErrors, thresholds: Mapping, instruments: Sequence[str]
) -> dict[str, float]:
    cleaned = {}
    for key, value in (thresholds or {}).items():
        instrument_key, _, measure = str(key).partition(":")
        known = INSTRUMENTS.get(instrument_key)
        if known is None or (measure and measure not in known.measure_keys):
            errors.add(
                "change_thresholds",
                f"‘{key}’ is not an instrument or measure: use, for example, "
                "‘swemwbs’ or ‘ons4:life_satisfaction’",
            )
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = 0.0
        if number <= 0:
            errors.add("change_thresholds", f"Enter a meaningful change for {key} greater than 0, like 3")
            continue
        cleaned[str(key)] = number
    return cleaned


def _project_values(errors: FieldErrors, *, organisation, consortium, fields: dict) -> dict:
    values = {
        "organisation": organisation,
        "consortium": consortium,
        "title": clean_text(fields.get("title")),
        "summary": clean_text(fields.get("summary")),
        "kind": clean_text(fields.get("kind")),
        "funder_name": clean_text(fields.get("funder_name")),
        "start_date": fields.get("start_date"),
        "end_date": fields.get("end_date"),
        "collects_contact_details": bool(fields.get("collects_contact_details")),
        "contact_details_purpose": clean_text(fields.get("contact_details_purpose")),
        "consent_version": clean_text(fields.get("consent_version")),
        "consent_wording": clean_text(fields.get("consent_wording")),
        "is_example": bool(fields.get("is_example")),
    }
    if not values["title"]:
        errors.add("title", "Enter the project’s title")
    elif len(values["title"]) > 200:
        errors.add("title", "The title must be 200 characters or fewer")
    if values["kind"] not in Project.Kind.values:
        errors.add("kind", "Select whether the project is commissioned, grant-funded or a pilot")
    if not values["funder_name"]:
        errors.add("funder_name", "Enter the name of the commissioner or funder")
    if not isinstance(values["start_date"], date):
        errors.add("start_date", "Enter the date the project starts, like 27 3 2026")
    end = values["end_date"]
    if end is not None and isinstance(values["start_date"], date) and end < values["start_date"]:
        errors.add("end_date", "The end date must be the same as or after the start date")
    if values["collects_contact_details"] and not values["contact_details_purpose"]:
        errors.add("contact_details_purpose", "Say why the project needs participants’ contact details")
    instruments = [key for key in dict.fromkeys(fields.get("instruments") or [])]
    unknown = [key for key in instruments if key not in INSTRUMENTS and key not in fields.get("_custom", ())]
    if unknown:
        errors.add("instruments", f"Choose instruments from the list: {', '.join(unknown)} is not one")
    values["instruments"] = instruments
    values["change_thresholds"] = _check_thresholds(
        errors, fields.get("change_thresholds") or {}, instruments
    )
    min_cell = fields.get("min_cell_size", 10)
    if not isinstance(min_cell, int) or not 1 <= min_cell <= 1000:
        errors.add(
            "min_cell_size", "Enter the smallest count to show as a whole number from 1 to 1000, like 10"
        )
    values["min_cell_size"] = min_cell
    retention = fields.get("retention_months", 24)
    if not isinstance(retention, int) or not 1 <= retention <= MAX_RETENTION_MONTHS:
        errors.add(
            "retention_months",
            f"Enter the retention period as a number of months from 1 to {MAX_RETENTION_MONTHS}, like 24",
        )
    values["retention_months"] = retention
    return values


def _check_offers(errors: FieldErrors, values: dict, offers) -> list[Offer]:
    offers = list(offers or [])
    if not offers:
        return []
    allowed = set(
        delivering_offers(organisation=values["organisation"], consortium=values["consortium"])
        .filter(pk__in=[o.pk for o in offers])
        .values_list("pk", flat=True)
    )
    outside = [offer.name for offer in offers if offer.pk not in allowed]
    if outside:
        errors.add("offers", f"Choose offers of the delivering organisation: {', '.join(outside)} is not one")
    return offers


def _save_points(project: Project, points: list[tuple[str, str]]) -> None:
    """Keep points by key (renamed and reordered), add new ones; a point with responses cannot go."""
    existing = {point.key: point for point in project.measurement_points.all()}
    wanted = {key for key, _name in points}
    removed = [point for key, point in existing.items() if key not in wanted]
    in_use = [point.key for point in removed if point.responses.exists()]
    if in_use:
        raise ValidationError(
            {
                "measurement_points": [
                    f"Measurement point ‘{', '.join(in_use)}’ has responses: keep it in the plan"
                ]
            }
        )
    for point in removed:
        point.delete()
    for position, (key, name) in enumerate(points):
        point = existing.get(key)
        if point is None:
            MeasurementPoint.objects.create(project=project, key=key, name=name, position=position)
        elif (point.name, point.position) != (name, position):
            point.name, point.position = name, position
            point.save(update_fields=["name", "position"])


def _save_relations(project: Project, relations: dict) -> None:
    for name in ("places", "offers", "outcomes", "themes"):
        if relations.get(name) is not None:
            getattr(project, name).set(list(relations[name]))


@transaction.atomic
def project_create(
    *,
    user,
    organisation=None,
    consortium=None,
    measurement_points=DEFAULT_POINTS,
    places=(),
    offers=(),
    outcomes=(),
    themes=(),
    **fields,
) -> Project:
    """Start a project for an organisation or a consortium; its creator holds the data role if they are a
    delivering member. `fields` are the Project's own fields (title, kind, funder_name, start_date...)."""
    _require_signed_in(user)
    if (organisation is None) == (consortium is None):
        raise ValidationError({"delivered_by": ["Choose the organisation or the consortium delivering it"]})
    require(
        can_create_project_for(user=user, organisation=organisation, consortium=consortium),
        "Only members of the organisation (or the consortium’s coordinator) can start a project for it.",
    )
    started = timezone.now()
    errors = FieldErrors()
    values = _project_values(errors, organisation=organisation, consortium=consortium, fields=fields)
    points = _check_points(errors, measurement_points)
    offers = _check_offers(errors, values, offers)
    errors.raise_if_any()
    project = Project.objects.create(**values, created_by=user)
    _save_points(project, points)
    _save_relations(project, {"places": places, "offers": offers, "outcomes": outcomes, "themes": themes})
    if is_delivering_member(user=user, project=project):
        ProjectDataRole.objects.create(project=project, user=user, granted_by=user)
    _record_actor(user, [project, *project.measurement_points.all()], started)
    return project


@transaction.atomic
def project_update(
    *,
    user,
    project: Project,
    measurement_points=None,
    places=None,
    offers=None,
    outcomes=None,
    themes=None,
    **fields,
) -> Project:
    """Change a project's details and plan. A relation or the points left as None stay as they are."""
    _require_editor(user, project)
    started = timezone.now()
    errors = FieldErrors()
    # The project's own questions stay among its instruments: custom_question_add manages them.
    custom = list(project.custom_questions.values_list("key", flat=True))
    instruments = [key for key in fields.get("instruments") or [] if key not in custom] + custom
    values = _project_values(
        errors,
        organisation=project.organisation,
        consortium=project.consortium,
        fields={"is_example": project.is_example, **fields, "instruments": instruments, "_custom": custom},
    )
    points = _check_points(errors, measurement_points) if measurement_points is not None else None
    offers = _check_offers(errors, values, offers) if offers is not None else None
    answered = Response.objects.filter(participant__project=project).values_list("instrument", flat=True)
    dropped = sorted(set(answered) - set(instruments))
    if dropped:
        errors.add("instruments", f"Keep {', '.join(dropped)}: participants have answered it")
    errors.raise_if_any()
    for key, value in values.items():
        setattr(project, key, value)
    project.save()
    if points is not None:
        _save_points(project, points)
    _save_relations(project, {"places": places, "offers": offers, "outcomes": outcomes, "themes": themes})
    _record_actor(user, [project, *project.measurement_points.all()], started)
    return project


@transaction.atomic
def custom_question_add(
    *,
    user,
    project: Project,
    key: str,
    question: str,
    minimum: int = 1,
    maximum: int = 5,
    higher_is_better: bool = True,
    meaningful_change: float = 1.0,
) -> CustomQuestion:
    """Add the project's own question (answered with a whole number) and use it as an instrument."""
    _require_editor(user, project)
    started = timezone.now()
    key = record_key(key)
    try:
        custom_instrument(
            key or "x",
            question=clean_text(question) or "x",
            minimum=minimum,
            maximum=maximum,
            higher_is_better=higher_is_better,
            meaningful_change=meaningful_change,
        )
    except ValueError as error:
        raise ValidationError({"key": [str(error).capitalize()]}) from None
    if not key or not clean_text(question):
        raise ValidationError({"question": ["Enter the question and a short key for it, like ‘confidence’"]})
    if project.custom_questions.filter(key=key).exists():
        raise ValidationError({"key": [f"The project already has a question ‘{key}’: choose another key"]})
    custom = CustomQuestion.objects.create(
        project=project,
        key=key,
        question=clean_text(question)[:300],
        minimum=minimum,
        maximum=maximum,
        higher_is_better=higher_is_better,
        meaningful_change=meaningful_change,
    )
    project.instruments = [*project.instruments, key]
    project.save(update_fields=["instruments", "updated_at"])
    _record_actor(user, [project, custom], started)
    return custom


@transaction.atomic
def project_field_add(
    *, user, project: Project, name: str, purpose: str, choices: Iterable[str] = ()
) -> ProjectField:
    """Collect one more thing about participants; the purpose is required and shown wherever it is asked."""
    _require_editor(user, project)
    started = timezone.now()
    errors = FieldErrors()
    name, purpose = clean_text(name), clean_text(purpose)
    choices = [choice for choice in dict.fromkeys(clean_text(c) for c in choices) if choice]
    key = field_key(name)
    if not name:
        errors.add("name", "Enter what the project collects, like ‘Referred by’")
    elif project.participant_fields.filter(key=key).exists():
        errors.add("name", f"The project already collects ‘{name}’")
    if not purpose:
        errors.add("purpose", "Say why the project needs it: participants are told")
    errors.raise_if_any()
    position = project.participant_fields.count()
    project_field = ProjectField.objects.create(
        project=project, key=key, name=name[:100], purpose=purpose, choices=choices, position=position
    )
    _record_actor(user, [project_field], started)
    return project_field


@transaction.atomic
def attendance_record_add(
    *,
    user,
    project: Project,
    sessions: int,
    attendances: int,
    unique_people: int,
    period_start: date | None = None,
    period_end: date | None = None,
    notes: str = "",
) -> AttendanceRecord:
    """Record sessions and attendance, for the whole project or for one period."""
    _require_editor(user, project)
    started = timezone.now()
    errors = FieldErrors()
    for name, value in (
        ("sessions", sessions),
        ("attendances", attendances),
        ("unique_people", unique_people),
    ):
        if not isinstance(value, int) or value < 0:
            errors.add(name, "Enter a whole number, 0 or more")
    if isinstance(unique_people, int) and isinstance(attendances, int) and unique_people > attendances:
        errors.add("unique_people", "The number of different people cannot be more than the attendances")
    if (period_start is None) != (period_end is None):
        errors.add("period_end", "Give both dates of the period, or neither for the whole project")
    elif period_start and period_end < period_start:
        errors.add("period_end", "The period must end on or after the day it starts")
    errors.raise_if_any()
    record = AttendanceRecord.objects.create(
        project=project,
        sessions=sessions,
        attendances=attendances,
        unique_people=unique_people,
        period_start=period_start,
        period_end=period_end,
        notes=clean_text(notes),
    )
    _record_actor(user, [record], started)
    return record


# ---------------------------------------------------------------------------------------------------
# Who holds the data role, and who views
# ---------------------------------------------------------------------------------------------------


@transaction.atomic
def data_role_grant(*, user, project: Project, member) -> ProjectDataRole:
    """Trust a delivering member with the project's participant-level data."""
    _require_people_manager(user, project)
    if not is_delivering_member(user=member, project=project):
        raise ValidationError(
            {"member": [f"{member} is not a delivering member: only members can hold the data role"]}
        )
    started = timezone.now()
    role, _created = ProjectDataRole.objects.get_or_create(
        project=project, user=member, defaults={"granted_by": user}
    )
    _record_actor(user, [role], started)
    return role


@transaction.atomic
def data_role_revoke(*, user, project: Project, member) -> None:
    _require_people_manager(user, project)
    ProjectDataRole.objects.filter(project=project, user=member).delete()


def _account_for(email: str):
    email = clean_text(email).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": ["Enter an email address in the correct format, like name@example.org"]}
        ) from None
    account = get_user_model().objects.filter(email__iexact=email).first()
    if account is None:
        raise ValidationError(
            {
                "email": [
                    "No one has an account with that email address: ask them to create one, then add them"
                ]
            }
        )
    return account


@transaction.atomic
def viewer_add(*, user, project: Project, email: str) -> ProjectViewer:
    """Let a commissioner's or funder's account see the project's aggregates (never its participants)."""
    _require_people_manager(user, project)
    account = _account_for(email)
    started = timezone.now()
    viewer, _created = ProjectViewer.objects.get_or_create(
        project=project, user=account, defaults={"added_by": user}
    )
    _record_actor(user, [viewer], started)
    return viewer


@transaction.atomic
def viewer_remove(*, user, project: Project, viewer: ProjectViewer) -> None:
    _require_people_manager(user, project)
    require(viewer.project_id == project.pk, "That person does not view this project.")
    viewer.delete()


# ---------------------------------------------------------------------------------------------------
# Participants
# ---------------------------------------------------------------------------------------------------


def participant_new_code(project: Project) -> str:
    """A fresh code like P-7K3QH2, unique in the project (30 bits: collisions are retried)."""
    taken = set(project.participants.values_list("code", flat=True))
    while True:
        code = "P-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        if code not in taken:
            return code


def _check_field_values(errors: FieldErrors, project: Project, values: Mapping | None) -> dict:
    cleaned = {}
    definitions = {field.key: field for field in project.participant_fields.all()}
    for key, value in (values or {}).items():
        definition = definitions.get(key)
        if definition is None:
            errors.add(key, f"The project does not collect ‘{key}’")
            continue
        value = clean_text(value)
        if not value:
            continue
        if definition.choices and value not in definition.choices:
            errors.add(key, f"Select one of the answers for {definition.name}")
            continue
        cleaned[key] = value[:500]
    return cleaned


def _participant_values(
    errors: FieldErrors, project: Project, *, age_band, field_values, consent_date
) -> dict:
    age_band = clean_text(age_band)
    if age_band and age_band not in Participant.AgeBand.values:
        errors.add("age_band", "Select an age band, or leave it blank")
    if not isinstance(consent_date, date):
        errors.add("consent_date", "Enter the date the participant gave consent, like 27 3 2026")
    elif consent_date > timezone.localdate():
        errors.add("consent_date", "The consent date must be today or in the past")
    return {
        "age_band": age_band,
        "field_values": _check_field_values(errors, project, field_values),
        "consent_date": consent_date,
    }


def _contact_values(errors: FieldErrors, contact: Mapping) -> dict:
    values = {key: clean_text(contact.get(key)) for key in ("name", "email", "phone", "notes")}
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            errors.add("email", "Enter an email address in the correct format, like name@example.org")
    if len(values["name"]) > 150:
        errors.add("name", "The name must be 150 characters or fewer")
    if len(values["phone"]) > 30:
        errors.add("phone", "The phone number must be 30 characters or fewer")
    return values


@transaction.atomic
def participant_create(
    *,
    user,
    project: Project,
    consent_date: date,
    code: str = "",
    age_band: str = "",
    field_values: Mapping | None = None,
    contact: Mapping | None = None,
) -> Participant:
    """Add a participant under a project code (generated when none is given) with their consent."""
    _require_data_role(user, project)
    require(
        project.participant_data_deleted_at is None,
        "The project’s retention period has ended: no more participant data can be added to it.",
    )
    started = timezone.now()
    errors = FieldErrors()
    code = clean_text(code).upper()
    if code and project.participants.filter(code=code).exists():
        errors.add(
            "code", f"{code} is already a participant in this project: use another code, or leave it blank"
        )
    if len(code) > 40:
        errors.add("code", "The code must be 40 characters or fewer")
    values = _participant_values(
        errors, project, age_band=age_band, field_values=field_values, consent_date=consent_date
    )
    contact_values = None
    if contact and any(clean_text(value) for value in contact.values()):
        if not project.collects_contact_details:
            errors.add("name", "This project does not collect contact details")
        contact_values = _contact_values(errors, contact)
    errors.raise_if_any()
    participant = Participant.objects.create(
        project=project,
        code=code or participant_new_code(project),
        **values,
        consent_version=project.consent_version,
        consent_wording=project.consent_wording,
    )
    details = (
        ContactDetails.objects.create(participant=participant, **contact_values) if contact_values else None
    )
    _record_actor(user, [participant, details], started)
    return participant


@transaction.atomic
def participant_update(
    *,
    user,
    participant: Participant,
    consent_date: date,
    age_band: str = "",
    field_values: Mapping | None = None,
) -> Participant:
    _require_data_role(user, participant.project)
    started = timezone.now()
    errors = FieldErrors()
    values = _participant_values(
        errors, participant.project, age_band=age_band, field_values=field_values, consent_date=consent_date
    )
    errors.raise_if_any()
    for key, value in values.items():
        setattr(participant, key, value)
    participant.save()
    _record_actor(user, [participant], started)
    return participant


@transaction.atomic
def contact_details_set(*, user, participant: Participant, **contact) -> ContactDetails | None:
    """Keep how to reach a participant, apart from their answers; blank everything to remove them."""
    project = participant.project
    _require_data_role(user, project)
    require(project.collects_contact_details, "This project does not collect contact details.")
    started = timezone.now()
    errors = FieldErrors()
    values = _contact_values(errors, contact)
    errors.raise_if_any()
    existing = ContactDetails.objects.filter(participant=participant).first()
    if not any(values.values()):
        if existing:
            existing.delete()
        return None
    if existing is None:
        existing = ContactDetails(participant=participant)
    for key, value in values.items():
        setattr(existing, key, value)
    existing.save()
    _record_actor(user, [existing], started)
    return existing


# ---------------------------------------------------------------------------------------------------
# Responses: the web form and CSV uploads
# ---------------------------------------------------------------------------------------------------


def _score_fields(score) -> dict:
    return {
        "valid": score.valid,
        "raw": score.raw,
        "score": score.score,
        "band": score.band,
        "error": score.error[:300],
        "measures": {
            key: {"value": measure.value, "band": measure.band, "error": measure.error}
            for key, measure in score.measures.items()
        },
    }


def _clean_answers(instrument: Instrument, answers: Mapping) -> dict:
    """The instrument's items only, as given (text trimmed); blanks stay out."""
    cleaned = {}
    for item in instrument.items:
        value = answers.get(item)
        if isinstance(value, str):
            value = value.strip()
        if value not in (None, ""):
            cleaned[item] = value
    return cleaned


def _save_response(
    participant: Participant,
    point: MeasurementPoint,
    instrument: Instrument,
    answers: dict,
    score,
    *,
    source: str,
    upload: ResponseUpload | None,
) -> tuple[Response, str]:
    """Create or update the one response per participant, point and instrument: 'created', 'updated' or
    'unchanged'."""
    values = {"answers": answers, **_score_fields(score)}
    response = Response.objects.filter(
        participant=participant, point=point, instrument=instrument.key
    ).first()
    if response is None:
        response = Response.objects.create(
            participant=participant,
            point=point,
            instrument=instrument.key,
            source=source,
            upload=upload,
            **values,
        )
        return response, "created"
    if all(getattr(response, key) == value for key, value in values.items()):
        return response, "unchanged"
    for key, value in values.items():
        setattr(response, key, value)
    response.source, response.upload = source, upload
    response.save()
    return response, "updated"


def _instrument_for(project: Project, key: str) -> Instrument:
    if key not in project.instruments:
        raise ValidationError({"instrument": ["Choose one of the project’s instruments"]})
    try:
        return project_instrument(project, key)
    except KeyError:
        raise ValidationError({"instrument": ["Choose one of the project’s instruments"]}) from None


@transaction.atomic
def response_record(
    *, user, participant: Participant, point: MeasurementPoint, instrument: str, answers: Mapping
) -> tuple[Response, str]:
    """Enter one participant's answers at one point; answering again replaces the earlier answers.

    Answers that cannot be scored (out of range, not a whole number, a required item unanswered) are
    not kept: the ValidationError names each item and what is allowed.
    """
    project = participant.project
    _require_data_role(user, project)
    require(point.project_id == project.pk, "That measurement point belongs to another project.")
    started = timezone.now()
    chosen = _instrument_for(project, instrument)
    cleaned = _clean_answers(chosen, answers)
    score = score_response(chosen, cleaned)
    if not score.valid:
        raise ValidationError({"answers": [f"The answers cannot be scored: {score.error}"]})
    response, outcome = _save_response(
        participant, point, chosen, cleaned, score, source=Response.Source.WEB, upload=None
    )
    _record_actor(user, [response], started)
    return response, outcome


@dataclass
class RowProblem:
    line: int
    reason: str


@dataclass
class _UploadState:
    participants: dict[str, Participant]
    points: dict[str, MeasurementPoint]
    seen: dict[tuple[str, str], int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0})
    problems: list[RowProblem] = field(default_factory=list)
    rows_read: int = 0


def _read_csv(content: bytes) -> tuple[list[str], Iterable]:
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": ["The file must be smaller than 5 MB: split it into smaller files"]})
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            {
                "file": [
                    "The file must be a CSV saved as UTF-8: in your spreadsheet choose "
                    "‘CSV UTF-8’ when you save it"
                ]
            }
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [column.strip().lower() for column in next(reader)]
    except StopIteration:
        raise ValidationError(
            {"file": ["The file is empty: it needs a header row and one row per response"]}
        ) from None
    except csv.Error as error:
        raise ValidationError({"file": [f"The file is not a readable CSV ({error})"]}) from None
    return header, reader


def _check_header(header: list[str], instrument: Instrument) -> str:
    code_column = next((name for name in CODE_COLUMNS if name in header), None)
    missing = [name for name in ("timepoint", *instrument.items) if name not in header]
    if code_column is None:
        missing.insert(0, "participant_code")
    if missing:
        raise ValidationError(
            {
                "file": [
                    f"The header row must name the columns participant_code, timepoint and "
                    f"{', '.join(instrument.items)}: {', '.join(missing)} missing"
                ]
            }
        )
    return code_column


def _upload_row(
    state: _UploadState,
    project: Project,
    instrument: Instrument,
    upload: ResponseUpload,
    line: int,
    row: dict,
) -> None:
    code = clean_text(row.get("participant_code") or row.get("participant_id")).upper()
    timepoint = clean_text(row.get("timepoint")).lower()
    if not code:
        state.problems.append(RowProblem(line, "No participant code: add one, like P-7K3QH2"))
        return
    point = state.points.get(timepoint)
    if point is None:
        allowed = ", ".join(state.points)
        state.problems.append(
            RowProblem(line, f"Timepoint ‘{timepoint}’ is not in the project’s plan: use {allowed}")
        )
        return
    earlier = state.seen.get((code, timepoint))
    if earlier is not None:
        state.problems.append(
            RowProblem(line, f"{code} at {timepoint} is already on line {earlier} of this file")
        )
        return
    participant = state.participants.get(code)
    if participant is None:
        state.problems.append(
            RowProblem(
                line, f"{code} is not a participant in this project: add them (with their consent) first"
            )
        )
        return
    answers = _clean_answers(instrument, row)
    score = score_response(instrument, answers)
    if not score.valid:
        state.problems.append(RowProblem(line, score.error))
        return
    state.seen[(code, timepoint)] = line
    _response, outcome = _save_response(
        participant, point, instrument, answers, score, source=Response.Source.UPLOAD, upload=upload
    )
    state.counts[outcome] += 1


@transaction.atomic
def responses_upload(
    *, user, project: Project, instrument: str, content: bytes, file_name: str
) -> ResponseUpload:
    """Load a CSV of responses to one instrument (columns participant_code or participant_id, timepoint
    and the items, as in the `outcomes score` command). Good rows are kept; each bad row is reported with
    its line and reason; uploading the same file again changes nothing."""
    _require_data_role(user, project)
    started = timezone.now()
    chosen = _instrument_for(project, instrument)
    header, reader = _read_csv(content)
    _check_header(header, chosen)
    upload = ResponseUpload.objects.create(
        project=project,
        instrument=chosen.key,
        file_name=clean_text(file_name)[:255] or "upload.csv",
        file_sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=user,
    )
    state = _UploadState(
        participants={participant.code: participant for participant in project.participants.all()},
        points={point.key: point for point in project.measurement_points.all()},
    )
    try:
        for values in reader:
            if not any(value.strip() for value in values):
                continue
            state.rows_read += 1
            line = reader.line_num
            if len(values) != len(header):
                state.problems.append(
                    RowProblem(
                        line, f"The row has {len(values)} values but the header has {len(header)} columns"
                    )
                )
                continue
            _upload_row(state, project, chosen, upload, line, dict(zip(header, values, strict=True)))
    except csv.Error as error:
        state.problems.append(
            RowProblem(reader.line_num, f"The file stops being a readable CSV here ({error})")
        )
    upload.rows_read = state.rows_read
    upload.rows_created = state.counts["created"]
    upload.rows_updated = state.counts["updated"]
    upload.rows_unchanged = state.counts["unchanged"]
    upload.rows_rejected = len(state.problems)
    upload.errors = [{"line": problem.line, "reason": problem.reason} for problem in state.problems]
    upload.save()
    _record_actor(user, [upload, *Response.objects.filter(upload=upload, updated_at__gte=started)], started)
    return upload


# ---------------------------------------------------------------------------------------------------
# Stories
# ---------------------------------------------------------------------------------------------------


@transaction.atomic
def story_add(
    *,
    user,
    project: Project,
    text: str,
    consent_date: date,
    title: str = "",
    attribution: str = "",
    participant: Participant | None = None,
    consent_wording: str = "",
) -> Story:
    """Keep a story a participant agreed to share in the project's report."""
    _require_data_role(user, project)
    started = timezone.now()
    errors = FieldErrors()
    if not clean_text(text):
        errors.add("text", "Enter the story as the participant shared it")
    if not isinstance(consent_date, date):
        errors.add("consent_date", "Enter the date they agreed to share it, like 27 3 2026")
    if participant is not None and participant.project_id != project.pk:
        errors.add("participant", "Choose a participant in this project")
    errors.raise_if_any()
    story = Story.objects.create(
        project=project,
        participant=participant,
        text=clean_text(text),
        consent_date=consent_date,
        title=clean_text(title)[:200],
        attribution=clean_text(attribution)[:150],
        consent_wording=clean_text(consent_wording),
    )
    _record_actor(user, [story], started)
    return story


# ---------------------------------------------------------------------------------------------------
# A participant's rights: export and erasure
# ---------------------------------------------------------------------------------------------------


def _participant_data(participant: Participant) -> dict:
    contact = ContactDetails.objects.filter(participant=participant).first()
    responses = participant.responses.select_related("point").order_by("point__position", "instrument")
    fields = {field.key: field for field in participant.project.participant_fields.all()}
    return {
        "project": participant.project.title,
        "delivered_by": str(participant.project.delivered_by),
        "participant_code": participant.code,
        "age_band": participant.get_age_band_display() if participant.age_band else "",
        "fields": [
            {
                "name": fields[key].name if key in fields else key,
                "purpose": fields[key].purpose if key in fields else "",
                "value": value,
            }
            for key, value in participant.field_values.items()
        ],
        "consent": {
            "date": participant.consent_date.isoformat(),
            "version": participant.consent_version,
            "wording": participant.consent_wording,
        },
        "contact_details": (
            {"name": contact.name, "email": contact.email, "phone": contact.phone, "notes": contact.notes}
            if contact
            else None
        ),
        "responses": [
            {
                "measurement_point": response.point.key,
                "instrument": response.instrument,
                "answers": response.answers,
                "raw": response.raw,
                "score": response.score,
                "band": response.band,
                "measures": response.measures,
                "entered": response.created_at.isoformat(),
                "last_changed": response.updated_at.isoformat(),
                "source": response.source,
            }
            for response in responses
        ],
        "stories": [
            {"title": story.title, "text": story.text, "consent_date": story.consent_date.isoformat()}
            for story in participant.stories.all()
        ],
    }


def participant_export(*, user, participant: Participant) -> dict:
    """Everything held about one participant, for a subject access request (audited)."""
    _require_data_role(user, participant.project)
    data = _participant_data(participant)
    audit.audit_view(user=user, record=participant, what="export")
    return data


def participant_export_csv(*, user, participant: Participant) -> str:
    """The same as participant_export, flat: one row per answer or fact, columns section,name,value."""
    data = participant_export(user=user, participant=participant)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "name", "value"])
    for key in ("project", "delivered_by", "participant_code", "age_band"):
        writer.writerow(["participant", key, data[key]])
    for item in data["fields"]:
        writer.writerow(["field", item["name"], item["value"]])
    for key, value in data["consent"].items():
        writer.writerow(["consent", key, value])
    for key, value in (data["contact_details"] or {}).items():
        writer.writerow(["contact_details", key, value])
    for response in data["responses"]:
        prefix = f"{response['measurement_point']}.{response['instrument']}"
        for item, value in response["answers"].items():
            writer.writerow(["response", f"{prefix}.{item}", value])
        for measure, result in response["measures"].items():
            writer.writerow(
                ["score", f"{prefix}.{measure}", "" if result["value"] is None else result["value"]]
            )
    for story in data["stories"]:
        writer.writerow(["story", story["title"] or story["consent_date"], story["text"]])
    return out.getvalue()


@dataclass
class ErasureReport:
    participants: int = 0
    contact_details: int = 0
    responses: int = 0
    stories: int = 0
    audit_entries_redacted: int = 0


def _erase(participant_ids: list[int]) -> ErasureReport:
    """Delete the participants and everything held about them; empty the values in their audit entries."""
    ids = {
        Participant: list(participant_ids),
        ContactDetails: list(
            ContactDetails.objects.filter(participant__in=participant_ids).values_list("pk", flat=True)
        ),
        Response: list(Response.objects.filter(participant__in=participant_ids).values_list("pk", flat=True)),
        Story: list(Story.objects.filter(participant__in=participant_ids).values_list("pk", flat=True)),
    }
    Participant.objects.filter(pk__in=participant_ids).delete()
    return ErasureReport(
        participants=len(ids[Participant]),
        contact_details=len(ids[ContactDetails]),
        responses=len(ids[Response]),
        stories=len(ids[Story]),
        audit_entries_redacted=audit.audit_redact(ids),
    )


@transaction.atomic
def participant_erase(*, user, participant: Participant) -> ErasureReport:
    """Erase a participant on request: them, their contact details, responses and stories.

    Aggregates are computed from the responses on the fly, so from now on they leave this person out;
    figures already published elsewhere (a PDF sent to a funder) cannot be recalled.
    """
    project = participant.project
    _require_data_role(user, project)
    code = participant.code
    report = _erase([participant.pk])
    audit.audit_note(user=user, record=project, note=f"Participant {code} erased on request")
    return report


# ---------------------------------------------------------------------------------------------------
# Retention
# ---------------------------------------------------------------------------------------------------


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has a 28th


def project_retention_ends(project: Project) -> date | None:
    """The day participant-level data is deleted: the end date plus the retention months."""
    if project.end_date is None:
        return None
    return _add_months(project.end_date, project.retention_months)


def project_aggregates(project: Project, *, min_n: int) -> dict:
    """The figures a report needs, from the responses now held: the number of participants and the paired
    change from the baseline to each later point, per instrument and measure; below `min_n` suppressed."""
    points = list(project.measurement_points.order_by("position"))
    records = project_response_records(project=project)
    figures = {"participants": suppress_count(project.participants.count(), min_n), "paired_change": []}
    if len(points) < 2:
        return figures
    baseline = points[0].key
    for key in project.instruments:
        try:
            instrument = project_instrument(project, key)
        except KeyError:
            continue
        for measure in instrument.measures:
            scores = [
                (record.participant_id, record.point, (record.measures.get(measure.key) or {}).get("value"))
                for record in records
                if record.instrument == key
            ]
            for later in points[1:]:
                pairing = pair_by_participant(scores, baseline=baseline, followup=later.key)
                result = paired_change(
                    pairing.pre,
                    pairing.post,
                    threshold=project_threshold(project, instrument, measure.key),
                    higher_is_better=measure.higher_is_better,
                    min_n=min_n,
                )
                figures["paired_change"].append(
                    {
                        "instrument": key,
                        "measure": measure.key,
                        "baseline": baseline,
                        "followup": later.key,
                        **result.as_dict(),
                    }
                )
    return figures


@dataclass
class RetentionReport:
    projects: list[str] = field(default_factory=list)
    erased: ErasureReport = field(default_factory=ErasureReport)


def outcomes_retention_apply(*, now: datetime | None = None) -> RetentionReport:
    """Delete the participant-level data of every project whose retention period has ended: participants,
    contact details, responses, stories and upload reports. An AggregateSnapshot of its figures
    (suppressed as for outsiders) is kept first. Safe to run again."""
    now = now or timezone.now()
    today = timezone.localdate(now) if timezone.is_aware(now) else now.date()
    report = RetentionReport()
    due = Project.objects.filter(end_date__isnull=False, participant_data_deleted_at__isnull=True)
    for project in due.order_by("end_date", "pk"):
        ends = project_retention_ends(project)
        if ends is None or ends > today:
            continue
        with transaction.atomic():
            AggregateSnapshot.objects.create(
                project=project,
                computed_at=now,
                reason="retention period ended",
                data=project_aggregates(project, min_n=project.min_cell_size),
            )
            erased = _erase(list(project.participants.values_list("pk", flat=True)))
            Story.objects.filter(project=project).delete()
            ResponseUpload.objects.filter(project=project).delete()  # their rejected rows name codes
            project.participant_data_deleted_at = now
            project.save(update_fields=["participant_data_deleted_at", "updated_at"])
            audit.audit_note(
                user=None,
                record=project,
                note=f"Retention period ended: {erased.participants} participants' data deleted",
            )
        report.projects.append(project.title)
        for name in ("participants", "contact_details", "responses", "stories", "audit_entries_redacted"):
            setattr(report.erased, name, getattr(report.erased, name) + getattr(erased, name))
    return report

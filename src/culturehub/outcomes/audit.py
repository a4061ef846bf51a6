"""The outcomes audit trail: every change (django-auditlog), every view of participant-level data
(an explicit "access" entry), and the redaction that makes an erasure complete.

Erasing a participant deletes their records; auditlog's own entries for those records hold the values
they had (contact details among them), so `audit_redact` empties those values and keeps the facts: who
did what to which record, and when.
"""

from __future__ import annotations

from collections.abc import Iterable

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType

from culturehub.outcomes.models import (
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

auditlog.register(Project, m2m_fields={"places", "offers", "outcomes", "themes"})
auditlog.register(MeasurementPoint)
auditlog.register(CustomQuestion)
auditlog.register(ProjectField)
auditlog.register(AttendanceRecord)
auditlog.register(ProjectDataRole)
auditlog.register(ProjectViewer)
auditlog.register(Participant)
auditlog.register(ContactDetails)
auditlog.register(Response)
auditlog.register(ResponseUpload)
auditlog.register(Story)

REDACTED = {"redacted": ["erased: the values are no longer kept"]}


def audit_view(*, user, record, what: str, **details) -> LogEntry:
    """Record that `user` saw `record` (a participant, or a project's participant list).

    `what` says what was shown, like "participant list" or "export"; `details` add ids, never values.
    """
    return LogEntry.objects.log_create(
        record,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=user if user and user.is_authenticated else None,
        actor_email=getattr(user, "email", "") or None,
        additional_data={"viewed": what, **details},
    )


def audit_note(*, user, record, note: str, **details) -> LogEntry:
    """An entry for something auditlog cannot see, like an erasure on request (logged on the project)."""
    return LogEntry.objects.log_create(
        record,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={"note": [None, note]},
        actor=user if user and user.is_authenticated else None,
        actor_email=getattr(user, "email", "") or None,
        additional_data={"note": note, **details},
    )


def audit_redact(records: dict[type, Iterable]) -> int:
    """Empty the stored values in the audit entries of erased records ({model: [pks]}); keep the entries."""
    redacted = 0
    for model, pks in records.items():
        keys = [str(pk) for pk in pks]
        if not keys:
            continue
        content_type = ContentType.objects.get_for_model(model)
        redacted += LogEntry.objects.filter(content_type=content_type, object_pk__in=keys).update(
            changes=REDACTED, changes_text="", serialized_data=None
        )
    return redacted


def audit_views_of(record) -> list[LogEntry]:
    """The access entries of one record, newest first (for tests and the participant's page)."""
    content_type = ContentType.objects.get_for_model(type(record))
    return list(
        LogEntry.objects.filter(
            content_type=content_type, object_pk=str(record.pk), action=LogEntry.Action.ACCESS
        ).order_by("-timestamp", "-pk")
    )

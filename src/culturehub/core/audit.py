"""Reading and completing the audit trail (django-auditlog), shared by every app."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from django.db.models import Q

# Bookkeeping people do not need to read: saved on every change, or never shown.
SKIPPED_FIELDS = {"id", "created_at", "updated_at", "search_text", "invitation_token"}
ACTIONS = {0: "Added", 1: "Changed", 2: "Deleted"}


@dataclass
class HistoryChange:
    field: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    action: str
    record: str = ""
    changes: list[HistoryChange] = field(default_factory=list)


def _model_field(model, name: str):
    try:
        return model._meta.get_field(name)
    except Exception:  # noqa: BLE001  a field since removed keeps its stored name
        return None


def _shown(model_field, raw) -> str:
    if raw in (None, "None", "", "[]"):
        return "(empty)"
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(raw, raw))
    return str(raw)


def _changes(model, changes: dict) -> list[HistoryChange]:
    result = []
    for name, change in changes.items():
        model_field = _model_field(model, name)
        # A foreign key is stored as a bare id, which tells a reader nothing.
        if name in SKIPPED_FIELDS or isinstance(model_field, models.ForeignKey):
            continue
        label = (model_field.verbose_name if model_field else name.replace("_", " ")).capitalize()
        if isinstance(change, dict) and change.get("type") == "m2m":
            objects = ", ".join(change.get("objects") or [])
            verb = "added" if change.get("operation") == "add" else "removed"
            result.append(HistoryChange(field=label, before="", after=f"{verb} {objects}"))
            continue
        before, after = (list(change) + [None, None])[:2] if isinstance(change, list) else (None, change)
        result.append(HistoryChange(field=label, before=_shown(model_field, before),
                                    after=_shown(model_field, after)))
    return result


def audit_history(records: dict, *, limit: int = 100) -> list[HistoryEntry]:
    """The audit trail of the given records ({model: [primary keys]}), newest first: two queries.

    Callers check the person's right to read it first.
    """
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    types = ContentType.objects.get_for_models(*records)
    wanted = Q(pk__in=[])
    for model, pks in records.items():
        if pks:
            wanted |= Q(content_type=types[model], object_pk__in=[str(pk) for pk in pks])
    models_by_type = {content_type.pk: model for model, content_type in types.items()}
    entries = LogEntry.objects.filter(wanted).select_related("actor").order_by("-timestamp", "-pk")[:limit]
    history = []
    for entry in entries:
        model = models_by_type[entry.content_type_id]
        history.append(HistoryEntry(
            when=entry.timestamp,
            who=str(entry.actor) if entry.actor else (entry.actor_email or "The system"),
            action=ACTIONS.get(entry.action, "Viewed"),
            record=f"{model._meta.verbose_name.capitalize()}: {entry.object_repr}",
            changes=[] if entry.action == LogEntry.Action.CREATE else _changes(model, entry.changes_dict),
        ))
    return history


def audit_actor_record(*, records: Iterable, user, since: datetime) -> None:
    """Name the person in the audit trail when no request did (a shell, a script, a test).

    Inside a request auditlog's middleware records the actor. We do not use auditlog's set_actor()
    because nesting it inside the middleware's own context leaves a signal receiver connected.
    """
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    if not (user and user.is_authenticated):
        return
    wanted = Q(pk__in=[])
    for record in records:
        content_type = ContentType.objects.get_for_model(type(record))
        wanted |= Q(content_type=content_type, object_pk=str(record.pk))
    LogEntry.objects.filter(wanted, actor__isnull=True, timestamp__gte=since).update(
        actor=user, actor_email=user.email
    )

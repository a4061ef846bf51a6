"""Changing places data: priorities (added, changed and deleted by administrators and commissioners).

Import code lives in places/imports.py.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from culturehub.core.audit import audit_actor_record
from culturehub.places.models import Area, Priority
from culturehub.places.selectors import priority_can_edit
from culturehub.vocabulary.models import Term

PRIORITY_FIELDS = (
    "title", "summary", "document_type", "source_title", "source_url", "source_date", "source_note",
    "publisher",
)
SOURCE_URL_MESSAGE = "Enter the address of the source document, starting with https://"


def _require_editor(user) -> None:
    if not priority_can_edit(user=user):
        raise PermissionDenied("Only administrators and commissioners can add, change or delete priorities.")


def _validate_themes(themes: Iterable[Term]) -> list[Term]:
    themes = list(themes)
    if any(term.scheme.key != "themes" for term in themes):
        raise ValidationError({"themes": "Select themes from the list of priority themes"})
    return themes


# What to do about a missing or unusable value, in GOV.UK error wording.
FIELD_MESSAGES = {
    "title": "Enter the title of the priority",
    "summary": "Enter a summary of the priority in your own words",
    "document_type": "Select the type of document the priority comes from",
    "source_title": "Enter the title of the source document",
    "source_url": SOURCE_URL_MESSAGE,
}


def _message_for(name: str, error: ValidationError) -> str:
    if error.code in {"blank", "required", "invalid", "invalid_choice", "null"} and name in FIELD_MESSAGES:
        return FIELD_MESSAGES[name]
    if error.code == "max_length":
        field = Priority._meta.get_field(name)
        return f"{str(field.verbose_name).capitalize()} must be {field.max_length} characters or fewer"
    return " ".join(error.messages)


def _validate_priority(priority: Priority) -> None:
    errors: dict[str, list[str]] = {}
    try:
        priority.full_clean(exclude=["themes"])
    except ValidationError as error:
        for name, field_errors in error.error_dict.items():
            errors[name] = [_message_for(name, field_error) for field_error in field_errors]
    if priority.source_url and not priority.source_url.lower().startswith("https://"):
        errors.setdefault("source_url", []).append(SOURCE_URL_MESSAGE)
    if errors:
        raise ValidationError({name: list(dict.fromkeys(messages)) for name, messages in errors.items()})


def _clean_text(value) -> str:
    return (value or "").strip()


@transaction.atomic
def priority_create(
    *,
    user,
    area: Area,
    title: str,
    summary: str,
    document_type: str,
    source_title: str,
    source_url: str,
    source_date: str = "",
    source_note: str = "",
    publisher: str = "",
    themes: Iterable[Term] = (),
) -> Priority:
    """Record a priority a place's public document states, with the document it comes from."""
    _require_editor(user)
    started = timezone.now()
    themes = _validate_themes(themes)
    priority = Priority(
        area=area,
        title=_clean_text(title),
        summary=_clean_text(summary),
        document_type=document_type,
        source_title=_clean_text(source_title),
        source_url=_clean_text(source_url),
        source_date=_clean_text(source_date),
        source_note=_clean_text(source_note),
        publisher=_clean_text(publisher),
        created_by=user,
    )
    _validate_priority(priority)
    priority.save()
    priority.themes.set(themes)
    audit_actor_record(records=[priority], user=user, since=started)
    return priority


@transaction.atomic
def priority_update(
    *,
    user,
    priority: Priority,
    title: str,
    summary: str,
    document_type: str,
    source_title: str,
    source_url: str,
    source_date: str = "",
    source_note: str = "",
    publisher: str = "",
    themes: Iterable[Term] = (),
) -> Priority:
    """Change a priority; the audit trail keeps what it said before."""
    _require_editor(user)
    started = timezone.now()
    themes = _validate_themes(themes)
    new_values = {
        "title": _clean_text(title),
        "summary": _clean_text(summary),
        "document_type": document_type,
        "source_title": _clean_text(source_title),
        "source_url": _clean_text(source_url),
        "source_date": _clean_text(source_date),
        "source_note": _clean_text(source_note),
        "publisher": _clean_text(publisher),
    }
    changed = [name for name, value in new_values.items() if getattr(priority, name) != value]
    for name, value in new_values.items():
        setattr(priority, name, value)
    _validate_priority(priority)
    if changed:
        priority.save()
    priority.themes.set(themes)
    audit_actor_record(records=[priority], user=user, since=started)
    return priority


@transaction.atomic
def priority_delete(*, user, priority: Priority) -> None:
    """Delete a priority; the audit trail keeps a record of it and of who deleted it."""
    _require_editor(user)
    started = timezone.now()
    pk = priority.pk
    priority.delete()
    audit_actor_record(records=[Priority(pk=pk)], user=user, since=started)

"""Reads about accounts: two-factor status and the changes a person has made."""

from dataclasses import dataclass
from datetime import datetime

from allauth.mfa.models import Authenticator
from auditlog.models import LogEntry

RECENT_CHANGES_LIMIT = 20


def user_has_two_factor(*, user) -> bool:
    """True when the person has an authenticator app (recovery codes alone do not count)."""
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


@dataclass(frozen=True)
class Change:
    """One audit-trail entry, ready to show: what was changed, how, when, and each field's old and new
    values."""

    when: datetime
    action: str
    kind: str
    record: str
    fields: list[tuple[str, str, str]]


def user_recent_changes(*, user, limit: int = RECENT_CHANGES_LIMIT) -> list[Change]:
    """The latest changes this person made to audited records, newest first."""
    entries = (
        LogEntry.objects.filter(actor_id=user.pk)
        .select_related("content_type")
        .order_by("-timestamp", "-pk")[:limit]
    )
    return [_change(entry) for entry in entries]


def _change(entry: LogEntry) -> Change:
    model = entry.content_type.model_class()
    kind = model._meta.verbose_name if model else entry.content_type.model
    fields = []
    for name, values in entry.changes_display_dict.items():
        old, new = (list(values) + ["", ""])[:2]
        fields.append((str(name), _shown(old), _shown(new)))
    return Change(
        when=entry.timestamp,
        action=entry.get_action_display(),
        kind=str(kind),
        record=entry.object_repr,
        fields=fields,
    )


def _shown(value) -> str:
    # auditlog writes "None" for a value that did not exist (before a create, after a delete).
    return "" if value in (None, "None") else str(value)

"""Alert emails for saved searches: one as soon as new matches are found, or a summary each week.

Which opportunities are new to a search: those that match it now, were stored by Culture Hub
(`created_at`) or given a new notice by their publisher (`last_updated`, the latest release's date) after
the search's `alerts_from`, and have not been alerted to it before. Counting a new notice as well as a
new process means a pipeline notice that did not match, followed by a tender notice that does, is still
alerted; `AlertMatch` being unique per search and opportunity means nothing is alerted twice.

Each run works in two steps, so that a job run twice, or stopped half way, sends nothing twice:

1. Compose: for each search, in one transaction, the period's `AlertMessage` ("immediate-" and the
   start of the run's window in UTC, or the ISO week, "2026-W47") and an `AlertMatch` for each new
   opportunity. The unique constraints make running it again a no-op.
2. Send: every message not yet sent is sent and `sent_at` set. A failure is counted in `attempts` with
   its `last_error`, and the next run tries again, up to `OPPORTUNITIES_ALERT_MAX_ATTEMPTS` times.

Nobody whose account is inactive is emailed.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from culturehub.core.links import site_url
from culturehub.core.schedule import UK
from culturehub.opportunities.feeds import opportunity_url
from culturehub.opportunities.models import AlertMatch, AlertMessage, Opportunity, Relevance, SavedSearch
from culturehub.opportunities.saved_selectors import saved_search_list_url, saved_search_matches

logger = logging.getLogger(__name__)

DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_INTERVAL_MINUTES = 15
LISTED_PER_EMAIL = 50


@dataclass
class AlertRun:
    composed: int = 0
    matches: int = 0
    sent: int = 0
    failed: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def max_attempts() -> int:
    return getattr(settings, "OPPORTUNITIES_ALERT_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)


def alerts_interval() -> timedelta:
    """How often immediate alerts are composed and sent; the job's schedule and its periods both use it."""
    minutes = int(getattr(settings, "OPPORTUNITIES_ALERTS_INTERVAL_MINUTES", DEFAULT_INTERVAL_MINUTES))
    return timedelta(minutes=max(1, minutes))


def immediate_period(now: datetime) -> str:
    """The run's window: the time rounded down to the alert interval, in UTC."""
    minutes = alerts_interval() // timedelta(minutes=1)
    utc = now.astimezone(UTC)
    start = utc.replace(second=0, microsecond=0) - timedelta(minutes=(utc.hour * 60 + utc.minute) % minutes)
    return f"immediate-{start:%Y-%m-%dT%H:%M}Z"


def weekly_period(now: datetime) -> str:
    """The ISO week, as it is in the UK, for example 2026-W47."""
    year, week, _day = now.astimezone(UK).isocalendar()
    return f"{year}-W{week:02d}"


def alerts_send_immediate(*, now: datetime | None = None) -> AlertRun:
    """Compose and send an alert for each immediate search with new matches."""
    now = now or timezone.now()
    return _compose_and_send(SavedSearch.Frequency.IMMEDIATE, immediate_period(now))


def alerts_send_weekly(*, now: datetime | None = None) -> AlertRun:
    """Compose and send the week's summary for each weekly search with new matches."""
    now = now or timezone.now()
    return _compose_and_send(SavedSearch.Frequency.WEEKLY, weekly_period(now))


def _compose_and_send(frequency: str, period: str) -> AlertRun:
    run = AlertRun()
    searches = SavedSearch.objects.filter(frequency=frequency, owner__is_active=True).order_by("pk")
    for saved_search in searches:
        added = alert_compose(saved_search=saved_search, period=period)
        if added:
            run.composed += 1
            run.matches += added
    sent, failed = alerts_send_pending()
    run.sent, run.failed = sent, failed
    logger.info("Alerts %s: %s", period, run.as_dict())
    return run


def new_matches(*, saved_search: SavedSearch) -> list[int]:
    """Ids of the opportunities new to the search (see the module's docstring)."""
    matches = saved_search_matches(saved_search=saved_search)
    if matches is None:
        logger.warning("Saved search %s no longer makes sense (a place it names has gone); no alerts.",
                       saved_search.pk)
        return []
    since = saved_search.alerts_from
    alerted = AlertMatch.objects.filter(saved_search=saved_search).values("opportunity_id")
    return list(
        matches.filter(Q(created_at__gt=since) | Q(last_updated__gt=since))
        .exclude(pk__in=alerted).values_list("pk", flat=True)
    )


def alert_compose(*, saved_search: SavedSearch, period: str) -> int:
    """Record the period's message and its new matches in one transaction; how many matches it added.

    When the period's message has already gone, new matches wait for the next period's."""
    found = new_matches(saved_search=saved_search)
    if not found:
        return 0
    with transaction.atomic():
        message, _ = AlertMessage.objects.get_or_create(saved_search=saved_search, period=period)
        if message.sent_at is not None:
            return 0
        before = message.matches.count()
        AlertMatch.objects.bulk_create(
            [AlertMatch(saved_search=saved_search, opportunity_id=pk, message=message) for pk in found],
            ignore_conflicts=True,
        )
        return message.matches.count() - before


def alerts_send_pending() -> tuple[int, int]:
    """Send every composed message not sent yet (of either frequency); (sent, failed)."""
    sent = failed = 0
    waiting = AlertMessage.objects.filter(sent_at__isnull=True, attempts__lt=max_attempts())
    for pk in waiting.order_by("created_at", "pk").values_list("pk", flat=True):
        outcome = _send_one(pk)
        sent += outcome is True
        failed += outcome is False
    return sent, failed


def _send_one(pk: int) -> bool | None:
    """True when sent, False when sending failed, None when there was nothing to send."""
    with transaction.atomic():
        # The lock keeps a second worker from sending the same message while this one is.
        message = (AlertMessage.objects.select_for_update(skip_locked=True, of=("self",))
                   .select_related("saved_search__owner").filter(pk=pk, sent_at__isnull=True).first())
        if message is None:
            return None
        owner = message.saved_search.owner
        if not owner.is_active or not owner.email:
            return None
        message.attempts += 1
        try:
            alert_email_send(message=message)
        except Exception as error:  # the mail server's failures are many; each is kept and retried
            message.last_error = f"{type(error).__name__}: {error}"[:300]
            message.save(update_fields=["attempts", "last_error"])
            if message.attempts >= max_attempts():
                logger.error("Giving up on alert %s for saved search %s after %s attempts: %s",
                             message.period, message.saved_search_id, message.attempts, message.last_error)
            else:
                logger.warning("Alert %s for saved search %s not sent (attempt %s): %s",
                               message.period, message.saved_search_id, message.attempts, message.last_error)
            return False
        message.sent_at = timezone.now()
        message.save(update_fields=["attempts", "sent_at"])
        return True


def alert_email_send(*, message: AlertMessage) -> None:
    """Plain text and HTML, rendered from templates in templates/opportunities/emails/."""
    context = alert_email_context(message=message)
    subject = render_to_string("opportunities/emails/alert_subject.txt", context).strip()
    body = render_to_string("opportunities/emails/alert.txt", context)
    html = render_to_string("opportunities/emails/alert.html", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [message.saved_search.owner.email],
              html_message=html)


def alert_email_context(*, message: AlertMessage) -> dict:
    saved_search = message.saved_search
    opportunities = list(
        Opportunity.objects.filter(pk__in=message.matches.values("opportunity_id"))
        .select_related("buyer").order_by("tender_deadline", "ocid")
    )
    listed = opportunities[:LISTED_PER_EMAIL]
    groups = []
    for relevance in Relevance:
        items = [_item(opportunity) for opportunity in listed if opportunity.relevance == relevance]
        if items:
            groups.append({"label": relevance.label, "items": items})
    return {
        "saved_search": saved_search,
        "weekly": not message.period.startswith("immediate-"),
        "count": len(opportunities),
        "more": len(opportunities) - len(listed),
        "groups": groups,
        "search_url": site_url(saved_search_list_url(saved_search.query)),
        "manage_url": site_url(reverse("saved_searches:edit", args=[saved_search.pk])),
        "list_url": site_url(reverse("saved_searches:list")),
        "site_name": "Culture Hub",
    }


def _item(opportunity: Opportunity) -> dict:
    return {
        "title": opportunity.title or opportunity.ocid,
        "buyer": opportunity.buyer.name if opportunity.buyer else "Not known",
        "deadline": timezone.localtime(opportunity.tender_deadline) if opportunity.tender_deadline else None,
        "relevance": opportunity.get_relevance_display(),
        "stage": opportunity.get_stage_display(),
        "url": opportunity_url(opportunity),
    }

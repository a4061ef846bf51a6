"""Background jobs for opportunities, run by `culturehub worker`: live imports and alert emails.

Each job enqueues its own next run when it finishes, and `schedule_ensure()` starts any that has no
run waiting or under way (see core/schedule.py); the worker calls it as it starts.

Settings, each with a default:
    OPPORTUNITIES_LIVE_IMPORT            False: the hourly job imports from the live services only when on
    OPPORTUNITIES_IMPORT_INTERVAL_MINUTES    60
    OPPORTUNITIES_ALERTS_INTERVAL_MINUTES    15: how often immediate alerts are composed and sent
    OPPORTUNITIES_DIGEST_WEEKDAY             0 (Monday; 0 to 6)
    OPPORTUNITIES_DIGEST_TIME                "07:00", UK time
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from culturehub.core import schedule
from culturehub.core.schedule import schedule_next
from culturehub.opportunities.alerts import alerts_interval, alerts_send_immediate, alerts_send_weekly
from culturehub.opportunities.live import LiveFeedError, import_live
from culturehub.opportunities.models import Source

logger = logging.getLogger(__name__)


def import_interval() -> timedelta:
    return timedelta(minutes=max(1, int(getattr(settings, "OPPORTUNITIES_IMPORT_INTERVAL_MINUTES", 60))))


def next_digest_time(now: datetime) -> datetime:
    """The next digest time after `now`: the digest weekday at the digest time, UK time."""
    weekday = int(getattr(settings, "OPPORTUNITIES_DIGEST_WEEKDAY", 0))
    at = time.fromisoformat(getattr(settings, "OPPORTUNITIES_DIGEST_TIME", "07:00"))
    return schedule.next_uk_time(now, at, weekday=weekday)


def live_import_enabled() -> bool:
    return bool(getattr(settings, "OPPORTUNITIES_LIVE_IMPORT", False))


def _import(source: str) -> dict:
    """One live import, its failures logged rather than raised: the next hour's run carries on from the
    saved cursor."""
    if not live_import_enabled():
        logger.info("Live import from %s skipped: OPPORTUNITIES_LIVE_IMPORT is off.", source)
        return {"source": source, "skipped": True}
    try:
        runs = import_live(source=source, progress=logger.info)
    except LiveFeedError as error:
        logger.error("Live import from %s stopped: %s", source, error)
        return {"source": source, "error": str(error)}
    return {"source": source, "pages": len(runs)}


@task()
def notices_import_find_a_tender() -> dict:
    try:
        return _import(Source.FIND_A_TENDER)
    finally:
        schedule_next(notices_import_find_a_tender, timezone.now() + import_interval())


@task()
def notices_import_contracts_finder() -> dict:
    try:
        return _import(Source.CONTRACTS_FINDER)
    finally:
        schedule_next(notices_import_contracts_finder, timezone.now() + import_interval())


@task()
def alerts_immediate() -> dict:
    try:
        return alerts_send_immediate().as_dict()
    finally:
        schedule_next(alerts_immediate, timezone.now() + alerts_interval())


@task()
def alerts_weekly_digest() -> dict:
    try:
        return alerts_send_weekly().as_dict()
    finally:
        schedule_next(alerts_weekly_digest, next_digest_time(timezone.now()))


def first_runs(now: datetime) -> dict:
    """Each scheduled task and when it should first run."""
    return {
        notices_import_find_a_tender: now,
        notices_import_contracts_finder: now,
        # After the first import has had a few minutes, so its matches go out in the first alert.
        alerts_immediate: now + timedelta(minutes=5),
        alerts_weekly_digest: next_digest_time(now),
    }


def schedule_ensure(*, now: datetime | None = None) -> list[str]:
    """Enqueue each of these jobs that has no run waiting or under way; the names of those enqueued."""
    return schedule.schedule_ensure(first_runs(now or timezone.now()))

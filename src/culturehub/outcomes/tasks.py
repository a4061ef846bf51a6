"""Background job for outcomes, run by `culturehub worker`: the daily retention sweep.

It enqueues its own next run when it finishes, and `schedule_ensure()` starts it when no run is
waiting (see core/schedule.py); the worker calls it as it starts.

Setting, with its default:
    OUTCOMES_RETENTION_TIME    "03:30", UK time: when the daily sweep runs
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import datetime, time

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from culturehub.core import schedule
from culturehub.core.schedule import schedule_next
from culturehub.outcomes.services import outcomes_retention_apply

logger = logging.getLogger(__name__)


def next_retention_time(now: datetime) -> datetime:
    """The next daily run after `now`, at OUTCOMES_RETENTION_TIME UK time."""
    at = time.fromisoformat(settings.OUTCOMES_RETENTION_TIME)
    return schedule.next_uk_time(now, at)


@task()
def outcomes_retention() -> dict:
    """Delete the participant-level data of projects past their retention period (aggregates kept)."""
    try:
        report = outcomes_retention_apply()
        if report.projects:
            logger.info("Retention period ended for %s.", ", ".join(report.projects))
        return {"projects": report.projects, **asdict(report.erased)}
    finally:
        schedule_next(outcomes_retention, next_retention_time(timezone.now()))


def schedule_ensure(*, now: datetime | None = None) -> list[str]:
    """Enqueue the retention sweep if no run of it is waiting or under way; the names enqueued."""
    return schedule.schedule_ensure({outcomes_retention: next_retention_time(now or timezone.now())})

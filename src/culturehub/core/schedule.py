"""Timetabled background jobs on django-tasks, which runs a job when asked but keeps no timetable.

Each scheduled job enqueues its own next run with `run_after` when it finishes (or fails), through
`schedule_next`. `schedule_ensure` starts any schedule with no run waiting or under way; the worker
calls it as it starts, so a fresh database, or a chain broken by a crash, is put right without
enqueuing anything twice.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django_tasks import TaskResultStatus

logger = logging.getLogger(__name__)

UK = ZoneInfo("Europe/London")
WAITING = (TaskResultStatus.READY,)
WAITING_OR_RUNNING = (TaskResultStatus.READY, TaskResultStatus.RUNNING)


def next_uk_time(now: datetime, at: time, *, weekday: int | None = None) -> datetime:
    """The first moment after `now` that is `at` o'clock UK time (on `weekday`, 0 for Monday, if given),
    in UTC; UK time so that 07:00 stays 07:00 across the clock changes."""
    local = now.astimezone(UK)
    step = timedelta(days=1 if weekday is None else 7)
    day = local.date() if weekday is None else local.date() + timedelta(days=(weekday - local.weekday()) % 7)
    when = datetime.combine(day, at, tzinfo=UK)
    if when <= local:
        when = datetime.combine(day + step, at, tzinfo=UK)
    return when.astimezone(UTC)


def schedule_ensure(first_runs: dict) -> list[str]:
    """Enqueue each task of `first_runs` (task: when to run first) that has no run waiting or under
    way; the names of those enqueued."""
    enqueued = []
    for scheduled, run_after in first_runs.items():
        if not scheduled.get_backend().supports_defer:
            logger.warning("The task backend cannot run tasks later, so %s is not scheduled.", scheduled.name)
            continue
        if has_run(scheduled, WAITING_OR_RUNNING):
            continue
        scheduled.using(run_after=run_after).enqueue()
        enqueued.append(scheduled.name)
    return enqueued


def schedule_next(scheduled, run_after: datetime) -> None:
    """Enqueue the task's next run, unless one is waiting already (schedule_ensure may have added it)."""
    if not scheduled.get_backend().supports_defer:
        return
    if has_run(scheduled, WAITING):
        return
    scheduled.using(run_after=run_after).enqueue()


def has_run(scheduled, statuses) -> bool:
    """Whether the task has a run in one of the statuses, on the database backend or a test's dummy."""
    backend = scheduled.get_backend()
    if hasattr(backend, "results"):
        return any(result.task.module_path == scheduled.module_path and result.status in statuses
                   for result in backend.results)
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=scheduled.module_path, backend_name=backend.alias, status__in=statuses
    ).exists()

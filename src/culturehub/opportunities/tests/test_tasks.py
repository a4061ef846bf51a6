"""Scheduled jobs: each enqueues its next run, schedule_ensure starts what is missing, imports stay off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks import TaskResultStatus, default_task_backend
from django_tasks_db.models import DBTaskResult

from culturehub import cli
from culturehub.opportunities import tasks
from culturehub.opportunities.live import LiveFeedError
from culturehub.opportunities.tasks import (
    alerts_immediate,
    alerts_weekly_digest,
    next_digest_time,
    notices_import_contracts_finder,
    notices_import_find_a_tender,
    schedule_ensure,
)
from culturehub.opportunities.tests.saved_factories import make_opportunity, make_saved_search

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_backend(settings):
    settings.TASKS = DATABASE


@pytest.fixture
def dummy_backend(settings):
    settings.TASKS = DUMMY
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


def _waiting(task) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=task.module_path, status=TaskResultStatus.READY))


def test_the_digest_is_due_on_monday_at_seven_uk_time_in_winter_and_summer():
    sunday_winter = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
    assert next_digest_time(sunday_winter) == datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
    monday_after_seven = datetime(2026, 11, 23, 7, 30, tzinfo=UTC)
    assert next_digest_time(monday_after_seven) == datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
    tuesday_summer = datetime(2026, 6, 2, 12, 0, tzinfo=UTC)
    assert next_digest_time(tuesday_summer) == datetime(2026, 6, 8, 6, 0, tzinfo=UTC)  # 07:00 BST


def test_schedule_ensure_enqueues_each_scheduled_task_once(database_backend):
    now = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
    first = schedule_ensure(now=now)
    second = schedule_ensure(now=now)

    assert sorted(first) == sorted(["notices_import_find_a_tender", "notices_import_contracts_finder",
                                    "alerts_immediate", "alerts_weekly_digest"])
    assert second == []
    assert DBTaskResult.objects.count() == 4
    assert [result.run_after for result in _waiting(alerts_weekly_digest)] == [
        datetime(2026, 11, 23, 7, 0, tzinfo=UTC)]
    assert [result.run_after for result in _waiting(alerts_immediate)] == [now + timedelta(minutes=5)]


def test_schedule_ensure_does_not_add_a_second_run_while_one_is_under_way(database_backend):
    schedule_ensure()
    DBTaskResult.objects.filter(task_path=alerts_immediate.module_path).update(status=TaskResultStatus.RUNNING)
    assert schedule_ensure() == []
    DBTaskResult.objects.filter(task_path=alerts_immediate.module_path).update(
        status=TaskResultStatus.SUCCESSFUL)
    assert schedule_ensure() == ["alerts_immediate"]


def test_immediate_alerts_run_then_enqueue_their_next_run_fifteen_minutes_on(database_backend, bob):
    make_saved_search(bob)
    make_opportunity("Arts on prescription")
    before = timezone.now()

    result = alerts_immediate.call()

    assert result["sent"] == 1 and len(mail.outbox) == 1
    [following] = _waiting(alerts_immediate)
    assert before + timedelta(minutes=15) <= following.run_after <= timezone.now() + timedelta(minutes=15)


def test_a_run_does_not_fork_the_schedule_when_its_next_run_is_already_waiting(database_backend):
    schedule_ensure()
    alerts_immediate.call()
    alerts_weekly_digest.call()
    assert len(_waiting(alerts_immediate)) == 1
    assert len(_waiting(alerts_weekly_digest)) == 1


def test_the_interval_is_a_setting(database_backend, settings):
    settings.OPPORTUNITIES_ALERTS_INTERVAL_MINUTES = 5
    before = timezone.now()
    alerts_immediate.call()
    [following] = _waiting(alerts_immediate)
    assert following.run_after <= before + timedelta(minutes=6)


def test_live_imports_stay_off_unless_switched_on(database_backend, settings):
    settings.OPPORTUNITIES_LIVE_IMPORT = False
    with mock.patch.object(tasks, "import_live") as import_live:
        assert notices_import_find_a_tender.call() == {"source": "find-a-tender", "skipped": True}
        notices_import_contracts_finder.call()
    import_live.assert_not_called()
    assert len(_waiting(notices_import_find_a_tender)) == 1  # the hourly schedule carries on


def test_a_failed_live_import_is_logged_and_the_next_hour_is_still_scheduled(database_backend, settings,
                                                                              caplog):
    settings.OPPORTUNITIES_LIVE_IMPORT = True
    with mock.patch.object(tasks, "import_live", side_effect=LiveFeedError("Contracts Finder said 503")):
        result = notices_import_contracts_finder.call()
    assert result == {"source": "contracts-finder", "error": "Contracts Finder said 503"}
    assert "Contracts Finder said 503" in caplog.text
    [following] = _waiting(notices_import_contracts_finder)
    assert following.run_after > timezone.now() + timedelta(minutes=59)


def test_a_live_import_that_is_switched_on_imports_from_its_own_service(database_backend, settings):
    settings.OPPORTUNITIES_LIVE_IMPORT = True
    with mock.patch.object(tasks, "import_live", return_value=["page one", "page two"]) as import_live:
        assert notices_import_find_a_tender.call() == {"source": "find-a-tender", "pages": 2}
    assert import_live.call_args.kwargs["source"] == "find-a-tender"


def test_schedule_ensure_works_on_the_dummy_backend_too(dummy_backend):
    assert len(schedule_ensure()) == 4
    assert schedule_ensure() == []
    assert {result.task.name for result in dummy_backend.results} == {
        "notices_import_find_a_tender", "notices_import_contracts_finder", "alerts_immediate",
        "alerts_weekly_digest"}


def test_nothing_is_scheduled_on_a_backend_that_cannot_run_tasks_later(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with mock.patch.object(tasks, "alerts_send_immediate") as send:
        assert schedule_ensure() == []
    send.assert_not_called()


def test_the_worker_command_schedules_first_unless_told_not_to(database_backend):
    with mock.patch.object(cli, "_call", return_value=0) as call:
        assert cli.main(["worker", "--queue-name", "default"]) == 0
        call.assert_called_with("db_worker", ["--queue-name", "default"])
        assert DBTaskResult.objects.count() == 5  # four for opportunities, the retention sweep for outcomes

        DBTaskResult.objects.all().delete()
        assert cli.main(["worker", "--no-schedule"]) == 0
        call.assert_called_with("db_worker", [])
        assert DBTaskResult.objects.count() == 0

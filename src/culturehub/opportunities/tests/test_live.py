"""Live import from Find a Tender and Contracts Finder, on recorded-shape responses; no network.

The services' answers are built here in their documented shape (an OCDS release package with
`links.next` carrying the next page's cursor) around the real releases in fixtures/release_package.json.
Those releases were published by Sell2Wales and Public Contracts Scotland rather than by these two
services; the importer treats every release alike, so what is under test is the paging, waiting and
resuming.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from culturehub.opportunities import live
from culturehub.opportunities.live import SERVICES, LiveFeedError, import_live
from culturehub.opportunities.models import FeedCursor, Opportunity, Release

FIXTURES = Path(__file__).parent / "fixtures"
RELEASES = json.loads((FIXTURES / "release_package.json").read_text())["releases"]
FTS_URL = SERVICES["find-a-tender"].default_url
CF_URL = SERVICES["contracts-finder"].default_url
SINCE = datetime(2025, 1, 1, 9, 30, tzinfo=UTC)

pytestmark = pytest.mark.django_db


class FakeResponse:
    def __init__(self, status_code=200, body=None, *, text=None, headers=None, url=FTS_URL):
        self.status_code = status_code
        self.text = text if text is not None else json.dumps(body)
        self.headers = headers or {}
        self.url = url

    def json(self):
        return json.loads(self.text)


class FakeSession:
    """Answers each get with the next response in turn (an exception is raised), recording the params."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls: list[tuple[str, dict]] = []

    def get(self, url, params=None, timeout=None, headers=None):
        self.calls.append((url, dict(params or {})))
        answer = self.answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return answer


def package(releases, next_cursor=None, base=FTS_URL):
    """A release package as the services publish it, with the link to the next page where there is one."""
    body = {
        "uri": base,
        "version": "1.1",
        "publishedDate": "2025-03-01T10:00:00Z",
        "publisher": {"name": "Cabinet Office", "scheme": "GB-GOR", "uid": "D2",
                      "uri": "https://www.gov.uk/government/organisations/cabinet-office"},
        "license": "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        "publicationPolicy": "https://www.gov.uk/government/publications/open-contracting",
        "releases": releases,
    }
    if next_cursor:
        body["links"] = {"next": f"{base}?updatedFrom=2025-01-01T09:30:00&limit=100&cursor={next_cursor}"}
    return FakeResponse(body=body, url=base)


def three_pages(base=FTS_URL):
    return [
        package(RELEASES[:3], "MTAwMA==", base),
        package(RELEASES[3:5], "MjAwMA==", base),
        package(RELEASES[5:], None, base),
    ]


def no_sleep(seconds):
    raise AssertionError(f"slept {seconds} seconds when no wait was asked for")


def test_it_pages_through_links_next_and_stores_every_release():
    session = FakeSession(*three_pages())
    lines = []
    runs = import_live(source="find-a-tender", since=SINCE, session=session, sleep=no_sleep,
                       progress=lines.append)
    assert [run.rows_created for run in runs] == [3, 2, 2]
    assert Opportunity.objects.count() == 7
    assert set(Release.objects.values_list("source", flat=True)) == {"find-a-tender"}
    assert [call[0] for call in session.calls] == [FTS_URL] * 3
    first, second, third = (call[1] for call in session.calls)
    assert first == {"updatedFrom": "2025-01-01T09:30:00", "stages": "planning,tender,award", "limit": 100}
    assert second["cursor"] == "MTAwMA==" and third["cursor"] == "MjAwMA=="
    assert second["updatedFrom"] == third["updatedFrom"] == "2025-01-01T09:30:00"
    assert sum("page " in line for line in lines) == 3
    # The pass is over: no cursor, and the next run asks for what changed since this one began.
    feed = FeedCursor.objects.get(source="find-a-tender")
    assert feed.cursor == ""
    assert timezone.now() - timedelta(hours=1, minutes=5) < feed.updated_from < timezone.now()


def test_a_rate_limit_is_waited_out_as_retry_after_says():
    slept = []
    session = FakeSession(
        FakeResponse(429, text="Too Many Requests", headers={"Retry-After": "7"}),
        package(RELEASES[:3]),
    )
    runs = import_live(source="find-a-tender", since=SINCE, session=session, sleep=slept.append)
    assert slept == [7]
    assert [run.rows_created for run in runs] == [3]
    assert session.calls[0] == session.calls[1]  # the same page asked for again


def test_contracts_finder_refusal_waits_five_minutes_and_a_503_its_retry_after_date():
    slept = []
    when = (timezone.now() + timedelta(seconds=120)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    session = FakeSession(
        FakeResponse(403, text="<html>The request rate limit may have been exceeded.</html>", url=CF_URL),
        FakeResponse(503, text="", headers={"Retry-After": when}, url=CF_URL),
        package(RELEASES[:2], None, CF_URL),
    )
    import_live(source="contracts-finder", since=SINCE, session=session, sleep=slept.append)
    assert slept[0] == 300
    assert 100 < slept[1] <= 120
    assert session.calls[0][1]["publishedFrom"] == "2025-01-01T09:30:00"


def test_waiting_is_bounded():
    slept = []
    refusal = FakeResponse(429, text="", headers={"Retry-After": "1"})
    session = FakeSession(*[refusal] * (live.MAX_RETRIES + 1))
    with pytest.raises(LiveFeedError, match=rf"refusing requests \(429\) after {live.MAX_RETRIES} waits"):
        import_live(source="find-a-tender", since=SINCE, session=session, sleep=slept.append)
    assert slept == [1] * live.MAX_RETRIES
    assert not Release.objects.exists()


def test_a_network_fault_is_tried_again_after_a_pause():
    slept = []
    session = FakeSession(requests.ConnectionError("reset"), package(RELEASES[:1]))
    runs = import_live(source="find-a-tender", since=SINCE, session=session, sleep=slept.append)
    assert slept == [10] and runs[0].rows_created == 1


def test_a_cursor_given_twice_stops_the_run_rather_than_looping():
    session = FakeSession(package(RELEASES[:2], "QUFB"), package(RELEASES[2:4], "QUFB"))
    with pytest.raises(LiveFeedError, match="same cursor twice"):
        import_live(source="find-a-tender", since=SINCE, session=session, sleep=no_sleep)
    assert Release.objects.count() == 2
    assert FeedCursor.objects.get(source="find-a-tender").cursor == "QUFB"


def test_a_wait_longer_than_a_quarter_of_an_hour_is_not_sat_through():
    session = FakeSession(FakeResponse(429, text="", headers={"Retry-After": "7200"}))
    with pytest.raises(LiveFeedError, match="asked us to wait 120 minutes"):
        import_live(source="find-a-tender", since=SINCE, session=session, sleep=no_sleep)


def test_a_run_that_stops_after_page_two_is_resumed_from_the_saved_cursor():
    pages = three_pages()
    # A crash, not a network fault the client would retry: the process dies asking for page 3.
    crashed = FakeSession(pages[0], pages[1], RuntimeError("killed"))
    with pytest.raises(RuntimeError, match="killed"):
        import_live(source="find-a-tender", since=SINCE, session=crashed, sleep=no_sleep)
    assert Release.objects.count() == 5
    feed = FeedCursor.objects.get(source="find-a-tender")
    assert feed.cursor == "MjAwMA==" and feed.updated_from == SINCE

    resumed = FakeSession(pages[2])
    runs = import_live(source="find-a-tender", session=resumed, sleep=no_sleep)
    assert resumed.calls[0][1] == {
        "updatedFrom": "2025-01-01T09:30:00", "stages": "planning,tender,award", "limit": 100,
        "cursor": "MjAwMA==",
    }
    assert [(run.rows_created, run.rows_updated, run.rows_unchanged) for run in runs] == [(2, 0, 0)]
    assert Release.objects.count() == 7
    assert FeedCursor.objects.get(source="find-a-tender").cursor == ""


def test_a_page_that_fails_to_store_keeps_the_cursor_before_it(monkeypatch):
    pages = three_pages()
    original = live.notices_import_items
    calls = []

    def failing_second_page(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            def broken(run):
                raise RuntimeError("database went away")
            kwargs["after_store"] = broken
        return original(**kwargs)

    monkeypatch.setattr(live, "notices_import_items", failing_second_page)
    with pytest.raises(RuntimeError, match="database went away"):
        import_live(source="find-a-tender", since=SINCE, session=FakeSession(*pages), sleep=no_sleep)
    assert Release.objects.count() == 3  # page 2 rolled back with its cursor
    assert FeedCursor.objects.get(source="find-a-tender").cursor == "MTAwMA=="


def test_a_body_that_is_not_ocds_is_a_clear_error_and_stores_nothing():
    session = FakeSession(FakeResponse(200, text="<html><body>Service unavailable</body></html>"))
    with pytest.raises(LiveFeedError, match="not an OCDS release package .*begins '<html><body>Service"):
        import_live(source="find-a-tender", since=SINCE, session=session, sleep=no_sleep)
    session = FakeSession(FakeResponse(200, body={"results": []}))
    with pytest.raises(LiveFeedError, match="not an OCDS release package"):
        import_live(source="find-a-tender", since=SINCE, session=session, sleep=no_sleep)
    assert not Release.objects.exists()


def test_the_first_run_needs_since():
    with pytest.raises(LiveFeedError, match="give --since DATE"):
        import_live(source="contracts-finder", session=FakeSession(), sleep=no_sleep)


# The command ------------------------------------------------------------------------------------------

@pytest.fixture
def fake_get(monkeypatch):
    """requests.Session.get replaced, so the command's own session never reaches the network."""
    session = FakeSession()
    monkeypatch.setattr(requests.Session, "get", lambda self, url, **kwargs: session.get(url, **kwargs))
    return session


def test_the_command_honours_since_over_a_saved_cursor(fake_get, capsys):
    FeedCursor.objects.create(source="contracts-finder", cursor="T0xE", updated_from=SINCE)
    fake_get.answers = three_pages(CF_URL)
    call_command("import_notices", "--source", "contracts-finder", "--since", "2026-11-01")
    url, params = fake_get.calls[0]
    assert url == CF_URL
    assert params["publishedFrom"] == "2026-11-01T00:00:00" and "cursor" not in params
    out = capsys.readouterr().out
    assert "page 1: 3 releases" in out and "page 3: 2 releases" in out
    assert "3 pages: 7 releases created" in out


def test_the_command_reports_a_non_ocds_answer_with_exit_code_2(fake_get):
    fake_get.answers = [FakeResponse(200, text="Request forbidden")]
    with pytest.raises(CommandError, match="not an OCDS release package") as error:
        call_command("import_notices", "--source", "find-a-tender", "--since", "2025-01-01")
    assert error.value.returncode == 2


def test_the_command_refuses_a_since_that_is_not_a_date(fake_get):
    with pytest.raises(CommandError, match="--since 'next week' is not a date") as error:
        call_command("import_notices", "--source", "find-a-tender", "--since", "next week")
    assert error.value.returncode == 2
    assert fake_get.calls == []

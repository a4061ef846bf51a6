"""Live import from Find a Tender and Contracts Finder, on pages in the services' own shapes; no network.

The pages are files in fixtures/live/ (see its README): real notices under the ocids their services
gave them, in each service's release package with its `uri`, `publisher`, `publishedDate` and the
full address of the next page in `links.next`; Contracts Finder's in ISO-8859-1. Each is answered as a
`requests.Response` holding the page's bytes, so decoding is done as it is for the live services.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

from culturehub.opportunities import live
from culturehub.opportunities.live import SERVICES, LiveFeedError, import_live, query_value
from culturehub.opportunities.models import FeedCursor, Opportunity, Release

LIVE = Path(__file__).parent / "fixtures" / "live"
RATE_LIMITS = json.loads((LIVE / "rate_limits.json").read_text())
FTS_URL = SERVICES["find-a-tender"].default_url
CF_URL = SERVICES["contracts-finder"].default_url
SINCE = datetime(2017, 1, 1, 9, 30, tzinfo=UTC)
FIRST_ASKED = {"updatedFrom": "2017-01-01T09:30:00", "stages": "planning,tender,award", "limit": 100}
# The next-page address of a Contracts Finder answer of October 2022, exactly as it was published.
RECORDED_CF_NEXT = (
    "https://www.contractsfinder.service.gov.uk/Published/Notices/OCDS/Search?publishedTo=2022-10-20T09:43:52"
    "+01:00&limit=100&cursor=cHVibGlzaGVkVG89MjAyMi0xMC0yMFQwOTo0Mzo1MiswMTowMHxsaW1pdD0xMDB8bmV4dEN1cnNvcj00"
    "ODA3NjE="
)

pytestmark = pytest.mark.django_db


def answer(status=200, body: bytes | str = b"", *, headers=None, url=FTS_URL) -> requests.Response:
    """A response as requests builds one from the wire: the bytes, the headers and the encoding they name."""
    response = requests.Response()
    response.status_code = status
    response._content = body.encode("utf-8") if isinstance(body, str) else body
    response.headers = CaseInsensitiveDict(headers or {})
    response.encoding = get_encoding_from_headers(response.headers)
    response.url = url
    return response


def page(name: str, *, headers=None) -> requests.Response:
    """A fixture page, answered from the address in its own `uri`."""
    body = (LIVE / name).read_bytes()
    uri = json.loads(body.decode("iso-8859-1" if name.startswith("cf_") else "utf-8"))["uri"]
    return answer(body=body, headers=headers or {"Content-Type": "application/json"}, url=uri)


def fts_pages():
    return [page(f"fts_page_{number}.json") for number in (1, 2, 3)]


def cf_pages():
    return [page(f"cf_page_{number}.json") for number in (1, 2, 3)]


def rate_limited(service: str, **header_values) -> requests.Response:
    refusal = RATE_LIMITS[service]
    headers = {**refusal["headers"], **header_values}
    url = FTS_URL if service.startswith("find-a-tender") else CF_URL
    return answer(refusal["status"], refusal["body"], headers=headers, url=url)


class FakeSession:
    """Answers each get with the next response in turn (an exception is raised), recording the params."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls: list[tuple[str, dict]] = []

    def get(self, url, params=None, timeout=None, headers=None):
        self.calls.append((url, dict(params or {})))
        reply = self.answers.pop(0)
        if isinstance(reply, BaseException):
            raise reply
        return reply


def no_sleep(seconds):
    raise AssertionError(f"slept {seconds} seconds when no wait was asked for")


def test_it_pages_through_links_next_and_stores_every_release():
    session = FakeSession(*fts_pages())
    lines = []
    runs = import_live(source="find-a-tender", since=SINCE, session=session, sleep=no_sleep,
                       progress=lines.append)
    assert [run.rows_created for run in runs] == [3, 2, 2]
    assert Opportunity.objects.count() == 7
    assert set(Release.objects.values_list("source", flat=True)) == {"find-a-tender"}
    assert [call[0] for call in session.calls] == [FTS_URL] * 3
    first, second, third = (call[1] for call in session.calls)
    assert first == FIRST_ASKED
    # The cursors come out of the next pages' full, percent-encoded addresses.
    assert second["cursor"] == "MTAwMA==" and third["cursor"] == "MjAwMA=="
    assert second["updatedFrom"] == third["updatedFrom"] == "2017-01-01T09:30:00"
    assert sum("page " in line for line in lines) == 3
    # The pass is over: no cursor, and the next run asks for what changed since this one began.
    feed = FeedCursor.objects.get(source="find-a-tender")
    assert feed.cursor == ""
    assert timezone.now() - timedelta(hours=1, minutes=5) < feed.updated_from < timezone.now()
    # Each page's run records the address the service answered from, and the notices are judged.
    assert runs[1].location.startswith(f"{FTS_URL}?updatedFrom=")
    assert runs[1].location.endswith("&cursor=MTAwMA==")
    assert Opportunity.objects.get(ocid="ocds-h6vhtk-068dfe").relevance == "direct"  # a cultural evaluation
    assert Opportunity.objects.get(ocid="ocds-h6vhtk-060d0f").relevance == "none"  # event security


def test_a_rate_limit_is_waited_out_as_retry_after_says():
    slept = []
    session = FakeSession(rate_limited("find-a-tender"), page("fts_page_3.json"))
    runs = import_live(source="find-a-tender", since=SINCE, session=session, sleep=slept.append)
    assert slept == [7]
    assert [run.rows_created for run in runs] == [2]
    assert session.calls[0] == session.calls[1]  # the same page asked for again


def test_contracts_finder_refusal_waits_five_minutes_and_a_503_its_retry_after_date():
    slept = []
    when = (timezone.now() + timedelta(seconds=120)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    session = FakeSession(
        rate_limited("contracts-finder"),
        answer(503, "", headers={"Retry-After": when}, url=CF_URL),
        page("cf_page_3.json"),
    )
    import_live(source="contracts-finder", since=SINCE, session=session, sleep=slept.append)
    assert slept[0] == 300
    assert 100 < slept[1] <= 120
    assert session.calls[0][1]["publishedFrom"] == "2017-01-01T09:30:00"


def test_waiting_is_bounded():
    slept = []
    session = FakeSession(*[rate_limited("find-a-tender", **{"Retry-After": "1"})] * (live.MAX_RETRIES + 1))
    with pytest.raises(LiveFeedError, match=rf"refusing requests \(429\) after {live.MAX_RETRIES} waits"):
        import_live(source="find-a-tender", since=SINCE, session=session, sleep=slept.append)
    assert slept == [1] * live.MAX_RETRIES
    assert not Release.objects.exists()


def test_a_network_fault_is_tried_again_after_a_pause():
    slept = []
    session = FakeSession(requests.ConnectionError("reset"), page("fts_page_3.json"))
    runs = import_live(source="find-a-tender", since=SINCE, session=session, sleep=slept.append)
    assert slept == [10] and runs[0].rows_created == 2


def test_a_cursor_given_twice_stops_the_run_rather_than_looping():
    # A stuck cursor: asked for the next page, the service answers with the first page again.
    first = page("fts_page_1.json")
    session = FakeSession(first, page("fts_page_1.json"))
    with pytest.raises(LiveFeedError, match="same cursor twice"):
        import_live(source="find-a-tender", since=SINCE, session=session, sleep=no_sleep)
    assert Release.objects.count() == 3
    assert FeedCursor.objects.get(source="find-a-tender").cursor == "MTAwMA=="


def test_a_wait_longer_than_a_quarter_of_an_hour_is_not_sat_through():
    session = FakeSession(rate_limited("find-a-tender", **{"Retry-After": "7200"}))
    with pytest.raises(LiveFeedError, match="asked us to wait 120 minutes"):
        import_live(source="find-a-tender", since=SINCE, session=session, sleep=no_sleep)


def test_a_run_that_stops_after_page_two_is_resumed_from_the_saved_cursor():
    pages = fts_pages()
    # A crash, not a network fault the client would retry: the process dies asking for page 3.
    crashed = FakeSession(pages[0], pages[1], RuntimeError("killed"))
    with pytest.raises(RuntimeError, match="killed"):
        import_live(source="find-a-tender", since=SINCE, session=crashed, sleep=no_sleep)
    assert Release.objects.count() == 5
    feed = FeedCursor.objects.get(source="find-a-tender")
    assert feed.cursor == "MjAwMA==" and feed.updated_from == SINCE

    resumed = FakeSession(pages[2])
    runs = import_live(source="find-a-tender", session=resumed, sleep=no_sleep)
    assert resumed.calls[0][1] == {**FIRST_ASKED, "cursor": "MjAwMA=="}
    assert [(run.rows_created, run.rows_updated, run.rows_unchanged) for run in runs] == [(2, 0, 0)]
    assert Release.objects.count() == 7
    assert FeedCursor.objects.get(source="find-a-tender").cursor == ""


def test_a_page_that_fails_to_store_keeps_the_cursor_before_it(monkeypatch):
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
        import_live(source="find-a-tender", since=SINCE, session=FakeSession(*fts_pages()), sleep=no_sleep)
    assert Release.objects.count() == 3  # page 2 rolled back with its cursor
    assert FeedCursor.objects.get(source="find-a-tender").cursor == "MTAwMA=="


def test_a_body_that_is_not_ocds_is_a_clear_error_and_stores_nothing():
    session = FakeSession(answer(200, "<html><body>Service unavailable</body></html>"))
    with pytest.raises(LiveFeedError, match="not an OCDS release package .*begins '<html><body>Service"):
        import_live(source="find-a-tender", since=SINCE, session=session, sleep=no_sleep)
    session = FakeSession(answer(200, json.dumps({"results": []})))
    with pytest.raises(LiveFeedError, match="not an OCDS release package"):
        import_live(source="find-a-tender", since=SINCE, session=session, sleep=no_sleep)
    assert not Release.objects.exists()


def test_the_first_run_needs_since():
    with pytest.raises(LiveFeedError, match="give --since DATE"):
        import_live(source="contracts-finder", session=FakeSession(), sleep=no_sleep)


# The services' own shapes -----------------------------------------------------------------------------

@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8"])
def test_contracts_finder_pages_in_iso_8859_1_keep_their_pound_signs_whatever_the_header_says(content_type):
    body = (LIVE / "cf_page_1.json").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")  # the page is ISO-8859-1, as Contracts Finder writes them: £ is byte 0xA3
    first = page("cf_page_1.json", headers={"Content-Type": content_type})
    session = FakeSession(first, page("cf_page_3.json"))
    import_live(source="contracts-finder", since=SINCE, session=session, sleep=no_sleep)
    evaluation = Opportunity.objects.get(ocid__startswith="ocds-b5fd17-13c86e58")
    assert "put £3.8m in total into the CLGF" in evaluation.description
    assert "\ufffd" not in evaluation.description
    # A character beyond ISO-8859-1 is a JSON escape in the page.
    assert "commissioning CLGF\u2019s external evaluation" in evaluation.description
    assert evaluation.relevance == "direct"


def test_contracts_finder_cursor_is_taken_from_its_unescaped_next_address():
    session = FakeSession(*cf_pages())
    runs = import_live(source="contracts-finder", since=SINCE, session=session, sleep=no_sleep)
    assert [run.rows_created for run in runs] == [3, 2, 2]
    asked = [call[1].get("cursor") for call in session.calls]
    assert asked[0] is None
    assert base64.b64decode(asked[1]).decode().endswith("|limit=100|nextCursor=100")
    assert base64.b64decode(asked[2]).decode().endswith("|limit=100|nextCursor=200")


def test_a_published_next_address_gives_its_cursor_with_plus_signs_kept():
    assert query_value(RECORDED_CF_NEXT, "publishedTo") == "2022-10-20T09:43:52+01:00"
    cursor = query_value(RECORDED_CF_NEXT, "cursor")
    assert base64.b64decode(cursor) == b"publishedTo=2022-10-20T09:43:52+01:00|limit=100|nextCursor=480761"
    encoded = f"{FTS_URL}?updatedFrom=2017-01-01T09%3A30%3A00&cursor=MTAwMA%3D%3D"
    assert query_value(encoded, "cursor") == "MTAwMA=="


def test_a_cursor_holding_a_plus_is_sent_back_as_a_plus():
    # Base64 cursors can hold '+' and '/'; Contracts Finder does not escape them in its links.
    text = (LIVE / "cf_page_2.json").read_bytes().decode("iso-8859-1")
    following = json.loads(text)["links"]["next"]
    text = text.replace(following, following.split("&cursor=")[0] + "&cursor=ab+c/dA==")
    session = FakeSession(answer(body=text.encode("iso-8859-1"), url=CF_URL), page("cf_page_3.json"))
    import_live(source="contracts-finder", since=SINCE, session=session, sleep=no_sleep)
    assert session.calls[1][1]["cursor"] == "ab+c/dA=="


def test_a_number_beyond_a_float_is_kept_as_the_service_wrote_it():
    # Find a Tender writes 1e9999 for "no limit" (Kingfisher Collect replaces it before parsing). Read as
    # a float it is infinity, which cannot be stored or hashed; the release would be rejected.
    text = (LIVE / "fts_page_3.json").read_text()
    text = text.replace('"tender": {', '"tender": {"lotDetails": {"maximumLotsBidPerSupplier": 1e9999}, ', 1)
    runs = import_live(source="find-a-tender", since=SINCE, session=FakeSession(answer(body=text)),
                       sleep=no_sleep)
    assert (runs[0].rows_created, runs[0].rows_rejected) == (2, 0)
    release = Release.objects.get(opportunity__ocid="ocds-h6vhtk-069817")
    assert release.data["tender"]["lotDetails"] == {"maximumLotsBidPerSupplier": "1e9999"}


@pytest.mark.parametrize(("service", "prefix", "names"), [
    ("find-a-tender", "ocds-h6vhtk-", [f"fts_page_{number}.json" for number in (1, 2, 3)]),
    ("contracts-finder", "ocds-b5fd17-", [f"cf_page_{number}.json" for number in (1, 2, 3)]),
])
def test_the_fixture_pages_are_release_packages_as_each_service_publishes_them(service, prefix, names):
    endpoint = SERVICES[service].default_url
    for position, name in enumerate(names, start=1):
        package = json.loads((LIVE / name).read_bytes().decode("iso-8859-1" if service == "contracts-finder"
                                                                 else "utf-8"))
        assert package["uri"].startswith(f"{endpoint}?")
        assert package["publisher"] == {
            "name": "Cabinet Office", "scheme": "GB-GOR", "uid": "D2",
            "uri": "https://www.gov.uk/government/organisations/cabinet-office",
        }
        assert datetime.fromisoformat(package["publishedDate"]).tzinfo is not None
        assert package["license"] == "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
        assert package["version"] == "1.1" and package["extensions"]
        assert package["releases"]
        assert all(release["ocid"].startswith(prefix) for release in package["releases"])
        if position < len(names):
            assert package["links"]["next"].startswith(f"{endpoint}?")
            assert query_value(package["links"]["next"], "cursor")
        else:
            assert "links" not in package  # the last page names no next


# The command ------------------------------------------------------------------------------------------

@pytest.fixture
def fake_get(monkeypatch):
    """requests.Session.get replaced, so the command's own session never reaches the network."""
    session = FakeSession()
    monkeypatch.setattr(requests.Session, "get", lambda self, url, **kwargs: session.get(url, **kwargs))
    return session


def test_the_command_honours_since_over_a_saved_cursor(fake_get, capsys):
    FeedCursor.objects.create(source="contracts-finder", cursor="T0xE", updated_from=SINCE)
    fake_get.answers = cf_pages()
    call_command("import_notices", "--source", "contracts-finder", "--since", "2026-11-01")
    url, params = fake_get.calls[0]
    assert url == CF_URL
    assert params["publishedFrom"] == "2026-11-01T00:00:00" and "cursor" not in params
    out = capsys.readouterr().out
    assert "page 1: 3 releases" in out and "page 3: 2 releases" in out
    assert "3 pages: 7 releases created" in out


def test_the_command_reports_a_non_ocds_answer_with_exit_code_2(fake_get):
    fake_get.answers = [answer(200, "Request forbidden")]
    with pytest.raises(CommandError, match="not an OCDS release package") as error:
        call_command("import_notices", "--source", "find-a-tender", "--since", "2025-01-01")
    assert error.value.returncode == 2


def test_the_command_refuses_a_since_that_is_not_a_date(fake_get):
    with pytest.raises(CommandError, match="--since 'next week' is not a date") as error:
        call_command("import_notices", "--source", "find-a-tender", "--since", "next week")
    assert error.value.returncode == 2
    assert fake_get.calls == []

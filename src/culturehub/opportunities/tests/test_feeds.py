"""Atom and iCalendar feeds of a saved search: read with the token alone, valid, and stable."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from culturehub.opportunities.feeds import ATOM_CONTENT_TYPE, CALENDAR_CONTENT_TYPE
from culturehub.opportunities.models import Opportunity
from culturehub.opportunities.tests.saved_factories import make_opportunity, make_saved_search

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://culturehub.example.org"


def _atom(client, saved):
    response = client.get(reverse("saved_searches:feed_atom", args=[saved.feed_token]))
    assert response.status_code == 200
    assert response["Content-Type"] == ATOM_CONTENT_TYPE
    return feedparser.parse(response.content)


def _calendar(client, saved) -> Calendar:
    response = client.get(reverse("saved_searches:feed_calendar", args=[saved.feed_token]))
    assert response.status_code == 200
    assert response["Content-Type"] == CALENDAR_CONTENT_TYPE
    return Calendar.from_ical(response.content)


def _events(calendar: Calendar) -> dict[str, object]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_the_atom_feed_lists_the_current_matches_newest_first_without_sign_in(client, bob):
    saved = make_saved_search(bob, name="Prescription")
    now = timezone.now()
    older = make_opportunity("Arts on prescription, older", last_updated=now - timedelta(days=2))
    newer = make_opportunity("Arts on prescription, newer", last_updated=now - timedelta(hours=1))
    make_opportunity("Street lighting maintenance")

    feed = _atom(client, saved)

    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Prescription: opportunities on Culture Hub"
    assert [entry.title for entry in feed.entries] == [newer.title, older.title]
    assert feed.entries[0].link == f"https://culturehub.example.org/opportunities/{newer.pk}/"
    assert feed.entries[0].id == f"tag:opportunities.culturehub,2026:{newer.ocid}"
    assert "Buyer: Leeds City Council" in feed.entries[0].summary


def test_the_feeds_give_the_value_as_the_pages_do(client, bob):
    saved = make_saved_search(bob, name="Prescription")
    make_opportunity("Arts on prescription", value_amount=Decimal("250000"), value_currency="GBP")

    summary = _atom(client, saved).entries[0].summary
    events = _events(_calendar(client, saved))

    assert "Value: £250,000" in summary
    assert all("Value: £250,000" in str(event["DESCRIPTION"]) for event in events.values())


def test_the_atom_feed_stops_at_a_hundred_entries(client, bob):
    saved = make_saved_search(bob)
    base = make_opportunity("Arts on prescription 0")
    deadline, now = base.tender_deadline, timezone.now()
    Opportunity.objects.bulk_create([
        Opportunity(ocid=f"ocds-h6vhtk-bulk-{number}", title=f"Arts on prescription {number}",
                    buyer=base.buyer, relevance=base.relevance, stage=base.stage, tender_deadline=deadline,
                    last_updated=now - timedelta(minutes=number))
        for number in range(1, 105)
    ])
    assert len(_atom(client, saved).entries) == 100


def test_a_bad_or_missing_token_is_not_found(client, bob):
    make_saved_search(bob)
    for name in ("feed_atom", "feed_calendar"):
        assert client.get(reverse(f"saved_searches:{name}", args=["not-a-real-token"])).status_code == 404


def test_the_feeds_of_a_deactivated_account_stop(client, bob):
    saved = make_saved_search(bob)
    bob.is_active = False
    bob.save()
    assert client.get(reverse("saved_searches:feed_atom", args=[saved.feed_token])).status_code == 404
    assert client.get(reverse("saved_searches:feed_calendar", args=[saved.feed_token])).status_code == 404


def test_the_feeds_are_read_only(client, bob):
    saved = make_saved_search(bob)
    assert client.post(reverse("saved_searches:feed_atom", args=[saved.feed_token])).status_code == 405


def test_the_calendar_has_deadlines_and_engagement_events_with_stable_uids(client, bob):
    saved = make_saved_search(bob, name="Prescription")
    deadline = datetime(2027, 1, 15, 12, 0, tzinfo=UTC)
    opportunity = make_opportunity(
        "Arts on prescription", ocid="ocds-h6vhtk-000777", deadline=deadline,
        engagement_dates=[
            {"date": "2026-12-03T00:00:00+00:00", "title": "Provider forum",
             "description": "At the town hall."},
            {"date": "2026-12-10T14:30:00+00:00", "title": "Online briefing", "description": ""},
            {"date": "", "title": "Market engagement (from the notice's words)",
             "description": "Date to follow."},
        ],
    )
    make_opportunity("Street lighting maintenance", ocid="ocds-h6vhtk-000778")

    first = _calendar(client, saved)
    events = _events(first)

    assert str(first["X-WR-CALNAME"]) == "Prescription (Culture Hub)"
    assert len(events) == 3  # the deadline and the two dated events; the undated one is left out
    deadline_event = events["ocds-h6vhtk-000777-tender-deadline@opportunities.culturehub"]
    assert deadline_event.decoded("DTSTART") == deadline
    assert str(deadline_event["SUMMARY"]) == "Deadline: Arts on prescription"
    assert str(deadline_event["URL"]) == f"https://culturehub.example.org/opportunities/{opportunity.pk}/"
    forum = next(event for event in events.values() if "Provider forum" in str(event["SUMMARY"]))
    assert forum.decoded("DTSTART") == date(2026, 12, 3)  # a date with no time is an all-day event
    assert "At the town hall." in str(forum["DESCRIPTION"])
    briefing = next(event for event in events.values() if "Online briefing" in str(event["SUMMARY"]))
    assert briefing.decoded("DTSTART") == datetime(2026, 12, 10, 14, 30, tzinfo=UTC)
    assert all(uid.startswith("ocds-h6vhtk-000777-") for uid in events)

    Opportunity.objects.filter(pk=opportunity.pk).update(title="Arts on prescription (updated)")
    assert set(_events(_calendar(client, saved))) == set(events)


def test_a_search_whose_place_has_gone_gives_empty_but_valid_feeds(client, bob):
    saved = make_saved_search(bob, query={"place": ["Nowhere at all"]})
    make_opportunity("Arts on prescription")
    assert _atom(client, saved).entries == []
    assert _events(_calendar(client, saved)) == {}

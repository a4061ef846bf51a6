"""A saved search's matches as an Atom feed (for feed readers) and an iCalendar feed (for calendars).

Both are read without signing in: the address holds the search's `feed_token`, which reveals only which
public notices match. Calendar events have UIDs made from the ocid, so a calendar app that reads the
feed again updates its events rather than adding them twice.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from feedgen.feed import FeedGenerator
from icalendar import Calendar, Event

from culturehub.core.links import site_url
from culturehub.opportunities.compiling import parse_when
from culturehub.opportunities.models import Opportunity, SavedSearch
from culturehub.opportunities.selectors import value_text

ATOM_CONTENT_TYPE = "application/atom+xml; charset=utf-8"
CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8"
UID_DOMAIN = "opportunities.culturehub"


def opportunity_url(opportunity: Opportunity) -> str:
    return site_url(reverse("opportunities:detail", args=[opportunity.pk]))


def _describe(opportunity: Opportunity) -> str:
    lines = [f"Buyer: {opportunity.buyer.name if opportunity.buyer else 'Not known'}",
             f"Stage: {opportunity.get_stage_display()}",
             f"Relevance: {opportunity.get_relevance_display()}"]
    if opportunity.tender_deadline:
        deadline = timezone.localtime(opportunity.tender_deadline)
        lines.append(f"Deadline: {deadline:%-d %B %Y, %H:%M} (UK time)")
    if opportunity.value_amount is not None:
        lines.append(f"Value: {value_text(opportunity.value_amount, opportunity.value_currency)}")
    return "\n".join(lines)


def atom_feed(*, saved_search: SavedSearch, items: list[Opportunity]) -> bytes:
    """The matches, most recently updated first."""
    feed_url = site_url(reverse("saved_searches:feed_atom", args=[saved_search.feed_token]))
    feed = FeedGenerator()
    feed.id(feed_url)
    feed.title(f"{saved_search.name}: opportunities on Culture Hub")
    feed.subtitle("Public procurement notices matching a saved search on Culture Hub.")
    feed.author({"name": "Culture Hub"})
    feed.link(href=feed_url, rel="self", type="application/atom+xml")
    feed.link(href=site_url(reverse("opportunities:list")), rel="alternate", type="text/html")
    feed.language("en-GB")
    feed.updated(max((_updated(item) for item in items), default=saved_search.updated_at))
    for opportunity in items:
        entry = feed.add_entry(order="append")
        url = opportunity_url(opportunity)
        entry.id(f"tag:{UID_DOMAIN},2026:{opportunity.ocid}")
        entry.title(opportunity.title or opportunity.ocid)
        entry.link(href=url, rel="alternate", type="text/html")
        entry.updated(_updated(opportunity))
        if opportunity.first_published:
            entry.published(opportunity.first_published)
        entry.summary(_describe(opportunity))
    return feed.atom_str(pretty=True)


def _updated(opportunity: Opportunity) -> datetime:
    return opportunity.last_updated or opportunity.updated_at


def calendar_feed(*, saved_search: SavedSearch, items: list[Opportunity]) -> bytes:
    """Tender deadlines and dated market engagement events of the matches."""
    calendar = Calendar()
    calendar.add("prodid", "-//Culture Hub//Saved search//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{saved_search.name} (Culture Hub)")
    calendar.add("x-wr-timezone", "UTC")
    for opportunity in items:
        for event in opportunity_events(opportunity):
            calendar.add_component(event)
    return calendar.to_ical()


def opportunity_events(opportunity: Opportunity) -> list[Event]:
    events = []
    url = opportunity_url(opportunity)
    stamp = _updated(opportunity)
    if opportunity.tender_deadline:
        deadline = opportunity.tender_deadline.astimezone(UTC)
        events.append(_event(
            uid=f"{opportunity.ocid}-tender-deadline@{UID_DOMAIN}",
            summary=f"Deadline: {opportunity.title or opportunity.ocid}",
            description=f"{_describe(opportunity)}\n\n{url}",
            start=deadline, end=deadline, url=url, stamp=stamp,
        ))
    seen: set[str] = set()
    for milestone in opportunity.engagement_dates or []:
        when = parse_when(milestone.get("date"))
        if when is None:
            continue
        title = milestone.get("title") or "Market engagement"
        # Milestones keep no id once compiled; their date and title name them. A moved event gets a new
        # UID, and the old one drops out because a subscribed calendar is replaced by the feed as a whole.
        key = hashlib.sha256(f"{milestone.get('date')}|{title}".encode()).hexdigest()[:12]
        uid = f"{opportunity.ocid}-engagement-{key}@{UID_DOMAIN}"
        if uid in seen:
            continue
        seen.add(uid)
        description = "\n\n".join(part for part in (milestone.get("description") or "",
                                                      _describe(opportunity), url) if part)
        all_day = when.time() == datetime.min.time()
        events.append(_event(
            uid=uid, summary=f"{title}: {opportunity.title or opportunity.ocid}", description=description,
            start=when.date() if all_day else when,
            end=(when.date() + timedelta(days=1)) if all_day else when, url=url, stamp=stamp,
        ))
    return events


def _event(*, uid: str, summary: str, description: str, start, end, url: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("last-modified", stamp.astimezone(UTC))
    event.add("summary", summary)
    event.add("description", description)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    return event

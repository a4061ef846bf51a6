"""Reading opportunities for the pages: the list's results, one opportunity's page, and flags.

Notices are public, so anyone may read them; only flagging is limited (see `relevance_flag_can_set`).
The list and the opportunity page are read in a fixed number of queries however many results,
releases, lots or flags there are (tests/test_pages.py counts them).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from django.core.paginator import Page, Paginator
from django.db.models import Max, QuerySet
from django.http import Http404
from django.utils import timezone

from culturehub.core.permissions import is_administrator, is_commissioner
from culturehub.vocabulary.models import Term

from .compiling import parse_when, stage_for
from .models import Opportunity, Release, Relevance, RelevanceFlag, Stage
from .partners import Partners, opportunity_partners
from .search import OpportunityFilters, opportunity_search

RESULTS_PER_PAGE = 25
NOT_FOUND = "There is no such opportunity in Culture Hub."
# OCDS reserved participation codes (the `otherRequirements` extension), as people would say them.
RESERVED_PARTICIPATION = {
    "shelteredWorkshop": "Reserved for supported businesses (sheltered workshops)",
    "shelteredProgram": "Reserved for supported employment programmes",
    "publicServiceMissionOrganization": "Reserved for public service mutuals and similar organisations",
}
# Where each publisher shows a notice to readers: its host and what a notice page's path looks like.
# A link is given only when the release itself names such a page (in a document's url); none is made up.
NOTICE_PAGES = {
    "www.find-tender.service.gov.uk": ("Find a Tender", "/notice/"),
    "www.contractsfinder.service.gov.uk": ("Contracts Finder", "/notice/"),
    "www.sell2wales.gov.wales": ("Sell2Wales", "/search/show/"),
    "www.publiccontractsscotland.gov.uk": ("Public Contracts Scotland", "/search/show/"),
}


# ---------------------------------------------------------------------------------------------------
# Shared pieces
# ---------------------------------------------------------------------------------------------------

def term_labels() -> dict[str, dict[str, str]]:
    """Labels of the priority themes and art forms by key, from the shared vocabulary (one query)."""
    labels: dict[str, dict[str, str]] = {"themes": {}, "art_forms": {}}
    rows = Term.objects.filter(scheme__key__in=labels).values_list("scheme__key", "key", "label")
    for scheme, key, label in rows:
        labels[scheme][key] = label
    return labels


def _labelled(keys, labels: dict[str, str]) -> list[str]:
    # A key the vocabulary no longer holds is shown as it is rather than dropped.
    return [labels.get(key, key.replace("_", " ")) for key in keys or []]


def value_text(amount, currency: str) -> str:
    """"£250,000" for pounds; other currencies are named after the figure."""
    if amount is None:
        return ""
    figure = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    if currency in ("", "GBP"):
        return f"£{figure}"
    return f"{figure} {currency}"


@dataclass(frozen=True)
class EngagementEvent:
    when: datetime | None
    title: str
    description: str


def engagement_events(opportunity: Opportunity) -> list[EngagementEvent]:
    """The market engagement events the notices give, dated ones in date order, then the undated."""
    events = []
    for event in opportunity.engagement_dates or []:
        events.append(EngagementEvent(
            when=parse_when(event.get("date")) if event.get("date") else None,
            title=event.get("title") or "Market engagement",
            description=event.get("description") or "",
        ))
    return sorted(events, key=lambda event: (event.when is None, event.when or timezone.now()))


def next_engagement_event(opportunity: Opportunity, now: datetime) -> EngagementEvent | None:
    """The first engagement event still to come; the stored `next_engagement` may be past."""
    upcoming = [event for event in engagement_events(opportunity) if event.when and event.when >= now]
    return upcoming[0] if upcoming else None


def latest_notice_date() -> datetime | None:
    """When the newest notice Culture Hub holds was published or last changed."""
    return Opportunity.objects.aggregate(latest=Max("last_updated"))["latest"]


# ---------------------------------------------------------------------------------------------------
# The list
# ---------------------------------------------------------------------------------------------------

@dataclass
class ResultRow:
    opportunity: Opportunity
    themes: list[str]
    next_event: EngagementEvent | None
    value: str
    deadline_passed: bool


@dataclass
class OpportunityResults:
    page: Page
    rows: list[ResultRow]
    closed_matches: int = 0

    @property
    def total(self) -> int:
        return self.page.paginator.count


def opportunity_results(*, filters: OpportunityFilters, page_number, labels: dict[str, dict[str, str]]
                        ) -> OpportunityResults:
    """One page of the search's results, ready to show. When nothing matches among open notices, how
    many closed ones would: the page offers them rather than a dead end."""
    page = Paginator(opportunity_search(filters=filters), RESULTS_PER_PAGE).get_page(page_number)
    now = timezone.now()
    rows = [
        ResultRow(
            opportunity=opportunity,
            themes=_labelled(opportunity.themes, labels["themes"]),
            next_event=next_engagement_event(opportunity, now),
            value=value_text(opportunity.value_amount, opportunity.value_currency),
            deadline_passed=bool(opportunity.tender_deadline and opportunity.tender_deadline < now),
        )
        for opportunity in page.object_list
    ]
    closed = 0
    if page.paginator.count == 0 and filters.deadline != "any":
        closed = opportunity_search(filters=dataclasses.replace(filters, deadline="any")).count()
    return OpportunityResults(page=page, rows=rows, closed_matches=closed)


# ---------------------------------------------------------------------------------------------------
# One opportunity
# ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class NoticeLink:
    url: str
    publisher: str


@dataclass
class TimelineEntry:
    release: Release
    stage: str
    notice_link: NoticeLink | None


@dataclass
class FlagSummary:
    relevance: str
    label: str
    count: int


@dataclass
class OpportunityPage:
    opportunity: Opportunity
    lots: list
    timeline: list[TimelineEntry]
    engagements: list[EngagementEvent]
    themes: list[str]
    art_forms: list[str]
    reserved: list[str]
    value: str
    flags: list[RelevanceFlag]
    flag_counts: list[FlagSummary]
    own_flag: RelevanceFlag | None
    can_flag: bool
    partners: Partners
    deadline_passed: bool
    notice_link: NoticeLink | None = None
    sources: list[str] = field(default_factory=list)


def notice_link(release_data: dict) -> NoticeLink | None:
    """The publisher's page for this notice, when the release gives its address in a document."""
    sections = [release_data.get("planning"), release_data.get("tender")]
    sections += [*(release_data.get("awards") or []), *(release_data.get("contracts") or [])]
    for section in sections:
        if not isinstance(section, dict) or not isinstance(section.get("documents"), list):
            continue
        for document in section["documents"]:
            url = document.get("url") if isinstance(document, dict) else None
            link = _publisher_page(url)
            if link:
                return link
    return None


def _publisher_page(url) -> NoticeLink | None:
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    known = NOTICE_PAGES.get((parts.hostname or "").lower())
    if parts.scheme not in ("http", "https") or known is None:
        return None
    publisher, path = known
    if not parts.path.lower().startswith(path) or len(parts.path) <= len(path):
        return None
    return NoticeLink(url=parts._replace(scheme="https").geturl(), publisher=publisher)


def opportunity_get(*, pk) -> Opportunity:
    try:
        return Opportunity.objects.select_related("buyer", "buyer__area").get(pk=pk)
    except (Opportunity.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND) from None


def relevance_flag_can_set(*, user) -> bool:
    """Commissioners and administrators flag notices (two-factor is required of them site-wide)."""
    return is_administrator(user) or is_commissioner(user)


def relevance_flag_list(*, opportunity: Opportunity) -> QuerySet[RelevanceFlag]:
    return opportunity.flags.select_related("flagged_by").order_by("-updated_at", "-pk")


def flag_counts(flags: list[RelevanceFlag]) -> list[FlagSummary]:
    counted = Counter(flag.relevance for flag in flags)
    return [FlagSummary(value, label, counted.get(value, 0)) for value, label in Relevance.choices]


def flag_author(flag: RelevanceFlag) -> str:
    """Who flagged, by the name they chose to show; never their email address."""
    person = flag.flagged_by
    if person.display_name:
        return person.display_name
    return "An administrator" if is_administrator(person) else "A commissioner"


def _timeline(opportunity: Opportunity) -> list[TimelineEntry]:
    releases = list(opportunity.releases.all())
    # Sorted here: SQLite and PostgreSQL put undated releases at opposite ends; undated go first, as
    # the opportunity was compiled.
    releases.sort(key=lambda release: (release.date is not None, release.date or timezone.now(), release.pk))
    return [
        TimelineEntry(
            release=release,
            stage=Stage(stage).label if (stage := stage_for(release.notice_type)) else "",
            notice_link=notice_link(release.data if isinstance(release.data, dict) else {}),
        )
        for release in releases
    ]


def opportunity_page(*, user, pk) -> OpportunityPage:
    opportunity = opportunity_get(pk=pk)
    labels = term_labels()
    timeline = _timeline(opportunity)
    flags = list(relevance_flag_list(opportunity=opportunity))
    own = next((flag for flag in flags if user.is_authenticated and flag.flagged_by_id == user.pk), None)
    for flag in flags:
        flag.author = flag_author(flag)
    lots = list(opportunity.lots.all())
    for lot in lots:
        lot.value_text = value_text(lot.value_amount, lot.value_currency)
    links = [entry.notice_link for entry in timeline if entry.notice_link]
    source_labels = dict(Release._meta.get_field("source").flatchoices)
    return OpportunityPage(
        opportunity=opportunity,
        lots=lots,
        timeline=timeline,
        engagements=engagement_events(opportunity),
        themes=_labelled(opportunity.themes, labels["themes"]),
        art_forms=_labelled(opportunity.art_forms, labels["art_forms"]),
        reserved=[RESERVED_PARTICIPATION.get(code, code) for code in opportunity.reserved_participation],
        value=value_text(opportunity.value_amount, opportunity.value_currency),
        flags=flags,
        flag_counts=flag_counts(flags),
        own_flag=own,
        can_flag=relevance_flag_can_set(user=user),
        partners=opportunity_partners(opportunity=opportunity, labels=labels),
        deadline_passed=bool(opportunity.tender_deadline and opportunity.tender_deadline < timezone.now()),
        notice_link=links[-1] if links else None,
        sources=[str(source_labels.get(source, source)) for source in opportunity.sources or []],
    )

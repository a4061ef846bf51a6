"""Which service published a notice, read from its ocid, for the Data and sources page.

Every OCDS publisher registers an ocid prefix with the Open Contracting Partnership, so the first
twelve characters of an ocid name the service that published the contracting process. Notices
transcribed from a web page that showed no ocid carry `ocds-page-` and are counted apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Min, Q
from django.db.models.functions import Substr

from culturehub.core.licences import OGL, OGL_URL

from .models import Opportunity

PREFIX_LENGTH = len("ocds-h6vhtk-")


@dataclass(frozen=True)
class NoticeService:
    name: str
    publisher: str
    url: str
    licence: str = OGL
    licence_url: str = OGL_URL


SERVICES = {
    "ocds-h6vhtk-": NoticeService("Find a Tender", "Cabinet Office", "https://www.find-tender.service.gov.uk/"),
    "ocds-b5fd17-": NoticeService(
        "Contracts Finder", "Cabinet Office", "https://www.contractsfinder.service.gov.uk/"
    ),
    "ocds-kuma6s-": NoticeService("Sell2Wales", "Welsh Government", "https://www.sell2wales.gov.wales/"),
    "ocds-r6ebe6-": NoticeService(
        "Public Contracts Scotland", "Scottish Government", "https://www.publiccontractsscotland.gov.uk/"
    ),
}
# Pages by charities and tender portals, not all under the OGL: their notices are held only as facts
# rewritten in our own words (demo_data/README.md).
OTHER = NoticeService(
    "Other notice pages", "The buyer, or the page that advertised the notice", "",
    licence="Facts as published, rewritten in our own words", licence_url="",
)


@dataclass
class NoticeCount:
    service: NoticeService
    notices: int
    undated: int
    first_published: datetime | None
    last_published: datetime | None


def notices_by_service() -> list[NoticeCount]:
    """How many opportunities each service published, with the range of their first publication dates.

    One query, grouped by ocid prefix; prefixes that name no known service are added together."""
    rows = (
        Opportunity.objects.annotate(prefix=Substr("ocid", 1, PREFIX_LENGTH))
        .values("prefix")
        .annotate(
            notices=Count("pk"), undated=Count("pk", filter=Q(first_published=None)),
            first=Min("first_published"), last=Max("first_published"),
        )
        .order_by()
    )
    counts: dict[NoticeService, NoticeCount] = {}
    for row in rows:
        service = SERVICES.get(row["prefix"], OTHER)
        count = counts.setdefault(service, NoticeCount(service, 0, 0, None, None))
        count.notices += row["notices"]
        count.undated += row["undated"]
        count.first_published = _earlier(count.first_published, row["first"])
        count.last_published = _later(count.last_published, row["last"])
    order = [*SERVICES.values(), OTHER]
    return sorted(counts.values(), key=lambda count: order.index(count.service))


def _earlier(one: datetime | None, other: datetime | None) -> datetime | None:
    return min(filter(None, (one, other)), default=None)


def _later(one: datetime | None, other: datetime | None) -> datetime | None:
    return max(filter(None, (one, other)), default=None)

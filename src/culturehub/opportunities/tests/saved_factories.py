"""Small builders for saved-search, alert and feed tests: opportunities and searches made directly."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from django.utils import timezone

from culturehub.opportunities.models import Buyer, Opportunity, Relevance, SavedSearch, Stage

_numbers = itertools.count(1)


def make_buyer(name: str = "Leeds City Council") -> Buyer:
    buyer, _ = Buyer.objects.get_or_create(
        key=f"name:{name.lower()}",
        defaults={"name": name, "normalised_name": name.lower(), "buyer_type": Buyer.Type.LOCAL_AUTHORITY},
    )
    return buyer


def make_opportunity(title: str = "Arts on prescription for older people", *, buyer: Buyer | None = None,
                     relevance: str = Relevance.DIRECT, stage: str = Stage.TENDER,
                     deadline: datetime | None = None, last_updated: datetime | None = None,
                     created_at: datetime | None = None, **fields) -> Opportunity:
    """An open tender, closing in 30 days unless told otherwise; `created_at` backdates it."""
    number = next(_numbers)
    now = timezone.now()
    opportunity = Opportunity.objects.create(
        ocid=fields.pop("ocid", f"ocds-h6vhtk-{number:06d}"),
        title=title,
        description=fields.pop("description", f"{title}: a programme of creative sessions."),
        buyer=buyer or make_buyer(),
        relevance=relevance,
        stage=stage,
        tender_deadline=deadline if deadline is not None else now + timedelta(days=30),
        last_updated=last_updated or now,
        first_published=last_updated or now,
        **fields,
    )
    if created_at is not None:
        Opportunity.objects.filter(pk=opportunity.pk).update(created_at=created_at)
        opportunity.refresh_from_db()
    return opportunity


def make_saved_search(owner, *, name: str = "Arts on prescription", query: dict | None = None,
                      frequency: str = SavedSearch.Frequency.IMMEDIATE,
                      alerts_from: datetime | None = None) -> SavedSearch:
    number = next(_numbers)
    return SavedSearch.objects.create(
        owner=owner, name=name, query=query if query is not None else {"q": ["prescription"]},
        frequency=frequency, feed_token=f"token-{number}-abcdefghijklmnopqrstuvwxyz",
        alerts_from=alerts_from or timezone.now() - timedelta(hours=1),
    )

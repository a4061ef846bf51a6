"""Plain functions that build opportunities for the page and search tests.

`make_opportunity` stores compiled fields directly (the importer is tested on its own), so a test says
exactly what it searches; `import_releases` runs the real importer on OCDS releases written in the test.
Titles and buyers are invented for the tests.
"""

from __future__ import annotations

import itertools
import json
from datetime import timedelta

from django.utils import timezone

from culturehub.opportunities.importer import notices_import_files
from culturehub.opportunities.models import Buyer, Opportunity, Relevance, Stage

_numbers = itertools.count(1)


def make_buyer(*, name: str = "Manchester City Council", area=None,
               buyer_type: str = Buyer.Type.LOCAL_AUTHORITY) -> Buyer:
    buyer, _created = Buyer.objects.get_or_create(
        key=f"name:{name.lower()}",
        defaults={"name": name, "normalised_name": name.lower(), "area": area, "buyer_type": buyer_type,
                  "placed_by": Buyer.Placement.NAME if area else Buyer.Placement.NOT_PLACED},
    )
    return buyer


def make_opportunity(*, title: str = "Creative health programme", buyer: Buyer | None = None,
                     relevance: str = Relevance.DIRECT, stage: str = Stage.TENDER,
                     deadline_days: float | None = 20, **fields) -> Opportunity:
    """An opportunity closing `deadline_days` from now (None: no deadline; negative: closed)."""
    number = next(_numbers)
    now = timezone.now()
    defaults = {
        "ocid": f"ocds-test00-{number:05d}",
        "description": "",
        "tender_deadline": now + timedelta(days=deadline_days) if deadline_days is not None else None,
        "last_updated": now - timedelta(days=1),
        "first_published": now - timedelta(days=10),
        "relevance_score": 0.9 if relevance != Relevance.NONE else 0.1,
    }
    return Opportunity.objects.create(
        title=title, buyer=buyer, relevance=relevance, stage=stage, **{**defaults, **fields}
    )


def import_releases(tmp_path, releases: list[dict], name: str = "releases.json"):
    """Import the releases with the real importer, as one release package file."""
    path = tmp_path / name
    path.write_text(json.dumps({"releases": releases}), encoding="utf-8")
    return notices_import_files(paths=[path])

"""Compiling an opportunity from its releases.

Each release is read into the facts it states (`release_facts`); facts it does not state are absent,
not empty. `compile_releases` applies the releases' facts in date order, so a later release's value
replaces an earlier one and a release that is silent on a field leaves it alone, which is how OCDS
merges releases into a compiled release for the fields Culture Hub keeps. Lots merge by their id.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.dateparse import parse_date, parse_datetime

from .engagement import engagements_in_text
from .models import Stage

UK_NOTICE_TYPE = re.compile(r"^UK([1-9]|1[0-7])$")
NOTICE_TYPE_STAGES = {
    "UK1": Stage.PIPELINE,
    "UK2": Stage.PLANNING,
    "UK3": Stage.PLANNING,
    "UK4": Stage.TENDER,
    "UK5": Stage.AWARD,  # a transparency notice announces a direct award
    "UK6": Stage.AWARD,
    "UK7": Stage.CONTRACT,
    "UK8": Stage.CONTRACT,
    "UK9": Stage.CONTRACT,
    "UK10": Stage.CONTRACT,
    "UK11": Stage.CLOSED,
    "UK12": Stage.CANCELLED,
    "UK13": Stage.TENDER,  # a dynamic market open to suppliers
    "UK14": Stage.TENDER,
    "UK15": Stage.CLOSED,
}
TAG_STAGES = {
    "planning": Stage.PLANNING,
    "planningUpdate": Stage.PLANNING,
    "tender": Stage.TENDER,
    "tenderAmendment": Stage.TENDER,
    "tenderUpdate": Stage.TENDER,
    "tenderCancellation": Stage.CANCELLED,
    "award": Stage.AWARD,
    "awardUpdate": Stage.AWARD,
    "awardCancellation": Stage.CANCELLED,
    "contract": Stage.CONTRACT,
    "contractUpdate": Stage.CONTRACT,
    "contractAmendment": Stage.CONTRACT,
    "implementation": Stage.CONTRACT,
    "implementationUpdate": Stage.CONTRACT,
    "contractTermination": Stage.CLOSED,
}
# When a release has several tags, the one furthest along the process says where it stands.
TAG_ORDER = list(TAG_STAGES)
# NHS health services let under the Health Care Services (Provider Selection Regime) Regulations 2023
# say so in their text; its processes ("direct award process C", "most suitable provider process")
# are named only by that regime.
PSR_TEXT = re.compile(
    r"provider selection regime|\bPSR\b|most suitable provider process|direct award process [abc]\b",
    re.IGNORECASE,
)
MAX_AMOUNT = Decimal("1e15")


# Small readers that never raise on the wrong type ---------------------------------------------------

def as_dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else []


def as_text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def parse_when(value: Any) -> datetime | None:
    """An OCDS date (ISO 8601, with or without a time) as an aware datetime; None when unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            moment = datetime(day.year, day.month, day.day) if day else None
    except ValueError:
        return None
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_amount(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        return None
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or amount < 0 or amount >= MAX_AMOUNT:
        return None
    return amount.quantize(Decimal("0.01"))


# Facts of one release -------------------------------------------------------------------------------

def notice_type(release: dict) -> str:
    """The release's Procurement Act notice type (UK1-UK17) from its documents' `noticeType`; else the
    release tag furthest along the process (for notices from before the Act); else ""."""
    # A release may repeat earlier notices' documents (an award release keeps the tender notice), so
    # the notice it is is the one in the furthest section; within a section, the latest published.
    candidates = []
    for rank, index, document in _documents(release):
        code = as_text(document.get("noticeType")).upper()
        if UK_NOTICE_TYPE.match(code):
            published = parse_when(document.get("datePublished"))
            candidates.append((rank, published.timestamp() if published else 0, index, code))
    if candidates:
        return max(candidates)[3]
    tags = [tag for tag in as_list(release.get("tag")) if tag in TAG_STAGES]
    return max(tags, key=TAG_ORDER.index) if tags else ""


def stage_for(code: str) -> str | None:
    return NOTICE_TYPE_STAGES.get(code) or TAG_STAGES.get(code)


def _documents(release: dict) -> list[tuple[int, int, dict]]:
    """Documents wherever the release puts them, each with its section's rank in the process
    (planning 0, tender 1, awards 2, contracts 3) and its place in the list."""
    sections = [(0, as_dict(release.get("planning"))), (1, as_dict(release.get("tender")))]
    sections += [(rank, as_dict(item)) for rank, key in ((2, "awards"), (3, "contracts"))
                 for item in as_list(release.get(key))]
    return [
        (rank, index, as_dict(document))
        for rank, section in sections
        for index, document in enumerate(as_list(section.get("documents")))
    ]


def buyer_of(release: dict) -> dict | None:
    """The buyer's name, identifier and published classifications; None when the release names none."""
    reference = as_dict(release.get("buyer"))
    party = {}
    for candidate in (as_dict(item) for item in as_list(release.get("parties"))):
        if reference.get("id") is not None and candidate.get("id") == reference.get("id"):
            party = candidate
            break
    if not party and not reference:
        party = next(
            (as_dict(item) for item in as_list(release.get("parties"))
             if "buyer" in as_list(as_dict(item).get("roles"))),
            {},
        )
    name = as_text(party.get("name")) or as_text(reference.get("name"))
    if not name:
        return None
    identifier = as_dict(party.get("identifier")) or as_dict(reference.get("identifier"))
    scheme, value = as_text(identifier.get("scheme")), as_text(str(identifier.get("id") or ""))
    if not (scheme and value):
        scheme, value = "", ""
    classifications = [
        " ".join(filter(None, (as_text(entry.get("id")), as_text(entry.get("description")))))
        for entry in (as_dict(item) for item in as_list(as_dict(party.get("details")).get("classifications")))
    ]
    return {"name": name[:300], "scheme": scheme[:40], "identifier": value[:100],
            "classifications": classifications}


def _cpv_codes(tender: dict) -> list[str]:
    entries = [as_dict(tender.get("classification"))]
    for item in (as_dict(item) for item in as_list(tender.get("items"))):
        entries.append(as_dict(item.get("classification")))
        entries += [as_dict(extra) for extra in as_list(item.get("additionalClassifications"))]
    codes = []
    for entry in entries:
        code = as_text(str(entry.get("id") or "")).split("-", 1)[0]
        scheme = as_text(entry.get("scheme")).upper()
        if (scheme == "CPV" or not scheme) and len(code) == 8 and code.isdigit():
            codes.append(code)
    return list(dict.fromkeys(codes))


def _engagements(release: dict) -> list[dict]:
    milestones = [as_dict(item) for key in ("planning", "tender")
                  for item in as_list(as_dict(release.get(key)).get("milestones"))]
    events = []
    for milestone in milestones:
        if as_text(milestone.get("type")) != "engagement":
            continue
        when = parse_when(milestone.get("dueDate")) or parse_when(milestone.get("dateMet"))
        events.append({
            "id": as_text(str(milestone.get("id") or "")),
            "date": when.isoformat() if when else "",
            "title": as_text(milestone.get("title")),
            "description": as_text(milestone.get("description")),
        })
    return events


def _suitability(tender: dict, key: str) -> bool | None:
    value = as_dict(tender.get("suitability")).get(key)
    if isinstance(value, bool):
        return value
    lots = [as_dict(as_dict(lot).get("suitability")).get(key) for lot in as_list(tender.get("lots"))]
    flags = [flag for flag in lots if isinstance(flag, bool)]
    return any(flags) if flags else None


def _lots(tender: dict) -> list[dict]:
    lots = []
    for lot in (as_dict(item) for item in as_list(tender.get("lots"))):
        lot_id = as_text(str(lot.get("id") or ""))
        if not lot_id:
            continue
        value = as_dict(lot.get("value"))
        lots.append({
            "lot_id": lot_id[:100],
            "title": as_text(lot.get("title")),
            "description": as_text(lot.get("description")),
            "value_amount": parse_amount(value.get("amount")),
            "value_currency": as_text(value.get("currency"))[:3],
        })
    return lots


def _stage_from_sections(release, tender, planning, awards, contracts) -> str | None:
    if tender.get("status") in ("cancelled", "withdrawn"):
        return Stage.CANCELLED
    if contracts:
        return Stage.CONTRACT
    if awards:
        return Stage.AWARD
    if tender:
        return Stage.PLANNING if tender.get("status") == "planning" else Stage.TENDER
    return Stage.PLANNING if planning else None


def release_facts(release: dict) -> dict[str, Any]:
    """The facts one release states, keyed by Opportunity field; what it does not state is absent."""
    tender = as_dict(release.get("tender"))
    planning = as_dict(release.get("planning"))
    awards = [as_dict(item) for item in as_list(release.get("awards"))]
    contracts = [as_dict(item) for item in as_list(release.get("contracts"))]
    facts: dict[str, Any] = {}
    # An award or contract notice may carry the only title and description a process has.
    later = awards + contracts
    title = as_text(tender.get("title")) or next(
        (as_text(item.get("title")) for item in later if as_text(item.get("title"))), ""
    )
    description = as_text(tender.get("description")) or next(
        (as_text(item.get("description")) for item in later if as_text(item.get("description"))), ""
    )
    if title:
        facts["title"] = title
    if description:
        facts["description"] = description
    code = notice_type(release)
    if code:
        facts["notice_type"] = code
        facts["stage"] = stage_for(code)
    elif release.get("tag") == ["compiled"] or not as_list(release.get("tag")):
        # A compiled release (a record package's) or an untagged one: the furthest section it holds.
        stage = _stage_from_sections(release, tender, planning, awards, contracts)
        if stage:
            facts["stage"] = stage
    value = as_dict(tender.get("value")) or as_dict(planning.get("budget")).get("amount") or {}
    amount = parse_amount(as_dict(value).get("amount"))
    if amount is not None:
        facts["value_amount"] = amount
        facts["value_currency"] = as_text(as_dict(value).get("currency"))[:3]
    deadline = parse_when(as_dict(tender.get("tenderPeriod")).get("endDate"))
    if deadline is not None:
        facts["tender_deadline"] = deadline
    # A notice's own milestones are the better record; its words are read only when it has none.
    engagements = _engagements(release) or engagements_in_text(description)
    if engagements:
        facts["engagement_dates"] = engagements
    cpv = _cpv_codes(tender)
    if cpv:
        facts["cpv_codes"] = cpv
    for field, key in (("suitable_for_sme", "sme"), ("suitable_for_vcse", "vcse")):
        flag = _suitability(tender, key)
        if flag is not None:
            facts[field] = flag
    reserved = [as_text(code) for code in as_list(as_dict(tender.get("otherRequirements")).get(
        "reservedParticipation")) if as_text(code)]
    if reserved:
        facts["reserved_participation"] = reserved
    lots = _lots(tender)
    if lots:
        facts["lots"] = lots
    buyer = buyer_of(release)
    if buyer:
        facts["buyer"] = buyer
    if PSR_TEXT.search(f"{title}\n{description}"):
        facts["is_provider_selection_regime"] = True
    return facts


# Compiling ------------------------------------------------------------------------------------------

COMPILED_DEFAULTS: dict[str, Any] = {
    "title": "",
    "description": "",
    "notice_type": "",
    "stage": Stage.UNKNOWN,
    "value_amount": None,
    "value_currency": "",
    "tender_deadline": None,
    "engagement_dates": [],
    "cpv_codes": [],
    "suitable_for_sme": None,
    "suitable_for_vcse": None,
    "reserved_participation": [],
    "is_provider_selection_regime": False,
    "buyer": None,
}


def compile_releases(releases: list[dict]) -> tuple[dict[str, Any], list[dict]]:
    """The compiled fields and lots of a process from its releases, given oldest first."""
    compiled = dict(COMPILED_DEFAULTS)
    lots: dict[str, dict] = {}
    engagements: dict[str, dict] = {}
    for release in releases:
        facts = release_facts(release)
        for lot in facts.pop("lots", []):
            lots[lot["lot_id"]] = {**lots.get(lot["lot_id"], {}), **lot}
        for event in facts.pop("engagement_dates", []):
            # Milestones merge by id, as OCDS arrays of objects do; one with no id is its own event.
            engagements[event["id"] or f"{event['date']}|{event['title']}"] = event
        psr = facts.pop("is_provider_selection_regime", False)
        compiled.update(facts)
        compiled["is_provider_selection_regime"] = compiled["is_provider_selection_regime"] or psr
    compiled["engagement_dates"] = sorted(
        ({key: value for key, value in event.items() if key != "id"} for event in engagements.values()),
        key=lambda event: event["date"] or "9999",
    )
    dated = [parse_when(event["date"]) for event in compiled["engagement_dates"] if event["date"]]
    compiled["next_engagement"] = min(dated) if dated else None
    return compiled, list(lots.values())

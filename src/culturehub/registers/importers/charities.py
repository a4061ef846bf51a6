"""Charities from a register extract in CSV, shaped as the UK-CAT project publishes it.

Columns used: org_id (GB-CHC-1234567), reg_number, name, postcode, active, date_registered,
activities, objects, income, spending, fye, web, company_number. Each charity's name, activities and
objects go through the shared tagger; only those it judges cultural become listings (the others are
skipped as "not cultural"). Charities on the Scottish or Northern Irish registers are skipped too:
Culture Hub covers England. Charities in Wales share the England and Wales register and cannot be told
apart by the register alone, so they are kept.
"""

from __future__ import annotations

import re
from datetime import date

from culturehub.core.importers import CsvImporter, RawRow, RowRejected, Skip
from culturehub.directory import validators
from culturehub.directory.models import Organisation
from culturehub.registers.importers.base import (
    Entry,
    RegisterImporter,
    clean_identifier,
    clean_postcode,
    clean_website,
    income_band,
    parse_money,
    text,
)
from culturehub.registers.models import Source
from culturehub.registers.postcodes import BASIS as POSTCODE_BASIS
from culturehub.registers.postcodes import area_code_for_postcode
from culturehub.vocabulary.tagger import tag_text

SKIP_NOT_CULTURAL = "not cultural (the tagger found no arts, culture or heritage work)"
SKIP_INACTIVE = "no longer on the register (not active)"
SKIP_ACTIVE_UNKNOWN = "the register does not say whether the charity is active"
SKIP_OUTSIDE_ENGLAND = "registered in Scotland or Northern Ireland (Culture Hub covers England)"
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
MAX_DESCRIPTION = 2000


def parse_date(value: str, *, field: str) -> date | None:
    """A date written 2019-03-31 (a time after it is ignored); empty is None; anything else is rejected."""
    cleaned = (value or "").strip()
    if not cleaned:
        return None
    found = ISO_DATE.match(cleaned)
    if found:
        try:
            return date(*(int(part) for part in found.groups()))
        except ValueError:
            pass
    raise RowRejected(
        f"{field} is '{text(cleaned, 30)}', which is not a date. Write it as 2019-03-31.", field=field
    )


def charity_tagging(*, name: str, activities: str, objects: str, description: str = ""):
    return tag_text(name=name, activities=activities, objects=objects, description=description)


class CharitiesCsvImporter(RegisterImporter, CsvImporter):
    source = "charities"
    required_columns = ("org_id", "reg_number", "name", "postcode", "active", "activities", "objects")

    def parse_row(self, row: RawRow) -> Entry | Skip:
        data = row.data
        org_id = text(data.get("org_id")).upper()
        if org_id.startswith(("GB-SC-", "GB-NIC-")):
            return Skip(SKIP_OUTSIDE_ENGLAND)
        if not org_id.startswith("GB-CHC-"):
            raise RowRejected(
                f"org_id is '{text(org_id, 30)}'. Give the charity's org-id, like GB-CHC-1234567.",
                field="org_id",
            )
        try:
            number = validators.charity_number_clean(data.get("reg_number") or org_id)
        except Exception as error:  # noqa: BLE001  ValidationError: its message says what to fix
            raise RowRejected(
                f"The charity number '{text(data.get('reg_number'), 30)}' is not valid: "
                f"{' '.join(error.messages)}.",
                field="reg_number",
            ) from None
        name = text(data.get("name"))
        if not name:
            raise RowRejected("name is empty. Every charity needs its registered name.", field="name")
        active = text(data.get("active")).lower()
        if active in {"false", "0", "no"}:
            return Skip(SKIP_INACTIVE)
        if active not in {"true", "1", "yes"}:
            return Skip(SKIP_ACTIVE_UNKNOWN)
        registered = parse_date(data.get("date_registered", ""), field="date_registered")
        year_end = parse_date(data.get("fye", ""), field="fye")
        income = parse_money(data.get("income"), field="income")
        spending = parse_money(data.get("spending"), field="spending")
        activities, objects = text(data.get("activities")), text(data.get("objects"))
        tagging = charity_tagging(name=name, activities=activities, objects=objects)
        if not tagging.cultural:
            return Skip(SKIP_NOT_CULTURAL)
        postcode = clean_postcode(data.get("postcode"))
        area_id = self.areas.by_code(area_code_for_postcode(postcode)) if postcode else None
        company = clean_identifier(validators.COH, data.get("company_number"))
        identifiers = ((validators.CHC, number),) + (((validators.COH, company),) if company else ())
        return Entry(
            source=Source.CHARITIES,
            source_id=f"GB-CHC-{number}",
            name=name,
            postcode=postcode,
            area_id=area_id,
            area_basis=POSTCODE_BASIS if area_id else "",
            listing={
                "legal_form": Organisation.LegalForm.CHARITY,
                "description": text(activities or objects, MAX_DESCRIPTION),
                "website": clean_website(data.get("web")),
                "postcode": postcode,
                "income_band": income_band(income),
            },
            identifiers=identifiers,
            data={
                "charity_number": number,
                "company_number": company,
                "date_registered": registered.isoformat() if registered else "",
                "income": str(income) if income is not None else "",
                "spending": str(spending) if spending is not None else "",
                "financial_year_end": year_end.isoformat() if year_end else "",
            },
            tagging=tagging,
        )

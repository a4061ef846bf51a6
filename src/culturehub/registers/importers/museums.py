"""Museums from the Mapping Museums data (Birkbeck, University of London), a CSV file.

Keeps museums in England that are open: Mapping Museums gives a closing year range
(year_closed_low / year_closed_high) for each museum that has closed, and "na" for one that has not.
A museum's place is the district (admin_area_4) or, failing that, the unitary authority or London
borough (admin_area_3) it names, looked up by name among Culture Hub's areas.
"""

from __future__ import annotations

from culturehub.core.importers import CsvImporter, RawRow, RowRejected, Skip
from culturehub.core.models import ImportRun
from culturehub.directory.models import Organisation
from culturehub.registers.importers.base import Entry, RegisterImporter, clean_postcode, text
from culturehub.registers.models import MuseumDetail, RegisterRecord, Source
from culturehub.registers.tagging import tagging_from_register

SKIP_NOT_ENGLAND = "not in England"
SKIP_CLOSED = "closed (Mapping Museums gives a closing year)"
ACCREDITATION = {"accredited": True, "unaccredited": False}
GOVERNANCE = {"independent", "government", "university", "unknown"}
SIZES = {"small", "medium", "large", "huge", "unknown"}
# Subjects whose museums are about art as well as being museums.
ART_SUBJECTS = {"arts": "visual_arts"}
DETAIL_FIELDS = (
    "name",
    "accredited",
    "governance",
    "governance_subtype",
    "size",
    "subject",
    "subject_detail",
    "year_opened",
    "address",
    "town",
    "postcode",
    "latitude",
    "longitude",
    "area_id",
)


def _number(value: str, *, field: str, low: float, high: float) -> float | None:
    cleaned = (value or "").strip()
    if not cleaned or cleaned.lower() == "na":
        return None
    try:
        number = float(cleaned)
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        raise RowRejected(
            f"{field} is '{text(cleaned, 30)}', which is not a number between {low:g} and {high:g}.",
            field=field,
        )
    return number


class MuseumsImporter(RegisterImporter, CsvImporter):
    source = "museums"
    required_columns = (
        "museum_id",
        "museum_name",
        "postcode",
        "admin_area_1",
        "admin_area_3",
        "admin_area_4",
        "accreditation",
        "governance_type",
        "size",
        "subject_matter",
        "year_opened_low",
        "year_closed_low",
        "year_closed_high",
    )

    def parse_row(self, row: RawRow) -> Entry | Skip:
        data = row.data
        museum_id = text(data.get("museum_id"))
        if not museum_id:
            raise RowRejected(
                "museum_id is empty. Every museum needs its Mapping Museums id.", field="museum_id"
            )
        name = text(data.get("museum_name"))
        if not name:
            raise RowRejected("museum_name is empty. Every museum needs a name.", field="museum_name")
        if text(data.get("admin_area_1")) != "England":
            return Skip(SKIP_NOT_ENGLAND)
        if any(
            text(data.get(column)).lower() not in {"", "na"}
            for column in ("year_closed_low", "year_closed_high")
        ):
            return Skip(SKIP_CLOSED)
        accreditation = text(data.get("accreditation")).lower()
        if accreditation not in ACCREDITATION:
            raise RowRejected(
                f"accreditation is '{text(data.get('accreditation'), 30)}'. Use Accredited or Unaccredited.",
                field="accreditation",
            )
        governance = text(data.get("governance_type"))
        if governance.lower() not in GOVERNANCE:
            raise RowRejected(
                f"governance_type is '{text(governance, 30)}'. "
                "Use Independent, Government, University or Unknown.",
                field="governance_type",
            )
        size = text(data.get("size")).lower()
        if size and size not in SIZES:
            raise RowRejected(
                f"size is '{text(size, 30)}'. Use small, medium, large, huge or unknown.", field="size"
            )
        opened = _number(data.get("year_opened_low", ""), field="year_opened_low", low=1000, high=2100)
        latitude = _number(data.get("latitude", ""), field="latitude", low=49, high=61)
        longitude = _number(data.get("longitude", ""), field="longitude", low=-9, high=3)
        district, authority = text(data.get("admin_area_4")), text(data.get("admin_area_3"))
        area_id = (self.areas.by_name(district) if district else None) or (
            self.areas.by_name(authority) if authority else None
        )
        postcode = clean_postcode(data.get("postcode"))
        subject = text(data.get("subject_matter"))
        subtype = text(data.get("subject_matter_full")) or subject
        subtype_detail = subtype.split("/", 1)[1] if "/" in subtype else ""
        address = ", ".join(
            line for line in (text(data.get("address_line_1")), text(data.get("address_line_2"))) if line
        )
        subtype_governance = text(data.get("governance_subtype"))
        art_forms = {"museums": "Mapping Museums: a museum"}
        if subject.lower() in ART_SUBJECTS:
            art_forms[ART_SUBJECTS[subject.lower()]] = f"Mapping Museums subject: {subtype}"
        detail = {
            "name": text(name, 300),
            "accredited": ACCREDITATION[accreditation],
            "governance": governance,
            "governance_subtype": subtype_governance,
            "size": size,
            "subject": text(subject, 100),
            "subject_detail": text(subtype_detail, 200),
            "year_opened": int(opened) if opened else None,
            "address": text(address, 300),
            "town": text(data.get("city"), 100),
            "postcode": postcode,
            "latitude": latitude,
            "longitude": longitude,
            "area_id": area_id,
        }
        return Entry(
            source=Source.MUSEUMS,
            source_id=museum_id,
            name=name,
            postcode=postcode,
            area_id=area_id,
            area_basis="council named by Mapping Museums" if area_id else "",
            listing={
                "legal_form": (
                    Organisation.LegalForm.MUSEUM_LIBRARY_SERVICE
                    if subtype_governance == "Local Authority"
                    else ""
                ),
                "address": text(address, 300),
                "town": text(data.get("city"), 100),
                "postcode": postcode,
            },
            data={"museum_id": museum_id, "admin_area": text(data.get("admin_area_full"))},
            tagging=tagging_from_register(
                reason="Listed by Mapping Museums as an open museum", art_forms=art_forms
            ),
            extra=detail,
        )

    def store_extra(self, record: RegisterRecord | None, entry: Entry, run: ImportRun) -> tuple[bool, bool]:
        values = {**entry.extra, "organisation_id": record.organisation_id}
        detail = MuseumDetail.objects.filter(record=record).first()
        if detail is None:
            MuseumDetail.objects.create(record=record, **values)
            return True, False
        # A museum moved to another listing by an administrator stays there.
        values["organisation_id"] = detail.organisation_id
        different = [name for name in DETAIL_FIELDS if getattr(detail, name) != values[name]]
        for name in different:
            setattr(detail, name, values[name])
        if different:
            detail.save(update_fields=different)
        return False, bool(different)

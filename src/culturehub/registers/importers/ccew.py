"""Charities from the Charity Commission for England and Wales full register download.

The Commission publishes the register as a set of files, each tab-separated text (`.txt`, UTF-8 with
a byte-order mark) or JSON (`.json`, an array of objects), with the same column names:

- publicextract.charity: one row per charity (date_of_extract, organisation_number,
  registered_charity_number, linked_charity_number, charity_name, charity_type,
  charity_registration_status, date_of_registration, ..., latest_income, latest_expenditure,
  charity_contact_address1-5, charity_contact_postcode, charity_contact_phone, charity_contact_email,
  charity_contact_web, charity_company_registration_number, ..., charity_is_cio, ...,
  charity_activities, ...);
- publicextract.charity_governing_document: charitable_objects;
- publicextract.charity_classification: what, who and how codes with their descriptions;
- publicextract.charity_area_of_operation: the areas a charity says it works in (geographic_area_type,
  geographic_area_description), including local authorities.

The importer reads the main file given and, from the same folder, whichever of the other three are
there (in the same format). It keeps main charities (linked_charity_number 0) that are registered
and that the tagger, reading their name, activities, objects and classifications, judges cultural.
The companion files are read into memory keyed by registered charity number, for main charities
only (objects cut to 1,500 characters, which is all the tagger needs), so the main file can stream.
Every file carries registered_charity_number and linked_charity_number, so the join does not need
the Commission's internal organisation_number.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from culturehub.core.importers import ImportFileError, RawRow, RowRejected, Skip
from culturehub.core.models import ImportRun
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
from culturehub.registers.importers.charities import (
    MAX_DESCRIPTION,
    SKIP_NOT_CULTURAL,
    charity_tagging,
    parse_date,
)
from culturehub.registers.models import Source
from culturehub.registers.postcodes import BASIS as POSTCODE_BASIS
from culturehub.registers.postcodes import area_code_for_postcode

MAIN_COLUMNS = (
    "organisation_number",
    "registered_charity_number",
    "linked_charity_number",
    "charity_name",
    "charity_registration_status",
)
COMPANIONS = ("charity_governing_document", "charity_classification", "charity_area_of_operation")
SKIP_LINKED = "a linked charity (listed under its main charity)"
SKIP_REMOVED = "removed from the register"
OBJECTS_LIMIT = 1500
AREA_BASIS = "area of operation in the register"


def _tab_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    # The Commission's text files are tab-separated without quoting: a quote is just a character.
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        try:
            for cells in reader:
                yield reader.line_num, cells
        except UnicodeDecodeError as error:
            raise ImportFileError(f"{path} is not UTF-8 text (byte {error.start}).") from error


def _json_rows(path: Path) -> Iterator[tuple[int, dict]]:
    import ijson

    with path.open("rb") as handle:
        if handle.read(3) != b"\xef\xbb\xbf":  # the Commission's JSON files start with a byte-order mark
            handle.seek(0)
        try:
            yield from enumerate(ijson.items(handle, "item"), start=1)
        except ijson.JSONError as error:
            raise ImportFileError(f"{path} is not a JSON array of records: {error}.") from error


def read_table(path: Path, required: tuple[str, ...] = ()) -> Iterator[RawRow]:
    """Rows of one extract file as dicts, with line numbers (or positions, for JSON)."""
    if path.suffix.lower() == ".json":
        for position, item in _json_rows(path):
            if not isinstance(item, dict):
                yield RawRow(position, item, f"Record {position} is not a JSON object.")
                continue
            yield RawRow(
                position, {key: ("" if value is None else str(value)) for key, value in item.items()}
            )
        return
    rows = _tab_rows(path)
    header: list[str] = []
    for _line, cells in rows:
        if any(cell.strip() for cell in cells):
            header = [cell.strip() for cell in cells]
            break
    if not header:
        raise ImportFileError(f"{path} is empty: it has no header row and no data.")
    missing = [column for column in required if column not in header]
    if missing:
        raise ImportFileError(
            f"{path} is missing the column(s) {', '.join(missing)}. Is it a Charity Commission "
            f"register extract file? The header row has: {', '.join(header[:12])}."
        )
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            yield RawRow(
                line,
                cells,
                (
                    f"This row has {len(cells)} fields but the header has {len(header)}: a tab or line "
                    "break inside a field has split it. Download the JSON extract instead, or mend the row."
                ),
            )
            continue
        yield RawRow(line, dict(zip(header, cells, strict=True)))


def _ccew_date(value: str, *, field: str):
    return parse_date((value or "")[:10], field=field)


class CcewImporter(RegisterImporter):
    source = "ccew"

    def read_rows(self, location: str) -> Iterator[RawRow]:
        path = Path(location)
        if not path.is_file():
            raise ImportFileError(f"There is no file at {location}. Check the path and try again.")
        yield from read_table(path, MAIN_COLUMNS)

    def before_run(self, run: ImportRun) -> None:
        super().before_run(run)
        self.objects: dict[str, str] = {}
        self.classifications: dict[str, list[str]] = defaultdict(list)
        self.areas_of_operation: dict[str, list[str]] = defaultdict(list)
        self._load_companions(Path(run.location))

    def _companion(self, main: Path, name: str) -> Path | None:
        for suffix in (main.suffix, ".txt", ".json"):
            candidate = main.with_name(f"publicextract.{name}{suffix}")
            if candidate.is_file():
                return candidate
        return None

    def _load_companions(self, main: Path) -> None:
        found = []
        for name in COMPANIONS:
            path = self._companion(main, name)
            if path is None:
                self.messages.append(f"No publicextract.{name} file beside the main file: read without it.")
                continue
            found.append(path.name)
            for row in read_table(path, ("registered_charity_number", "linked_charity_number")):
                if row.problem or row.data.get("linked_charity_number", "0").strip() not in {"0", ""}:
                    continue
                number = row.data["registered_charity_number"].strip()
                if name == "charity_governing_document":
                    self.objects[number] = text(row.data.get("charitable_objects"), OBJECTS_LIMIT)
                elif name == "charity_classification":
                    self.classifications[number].append(text(row.data.get("classification_description")))
                elif row.data.get("geographic_area_type", "").strip().lower() == "local authority":
                    self.areas_of_operation[number].append(text(row.data.get("geographic_area_description")))
        if found:
            self.messages.append(f"Read with {', '.join(found)}.")

    def parse_row(self, row: RawRow) -> Entry | Skip:
        data = row.data
        raw_number = text(data.get("registered_charity_number"))
        try:
            number = validators.charity_number_clean(raw_number)
        except Exception as error:  # noqa: BLE001  ValidationError
            raise RowRejected(
                f"The charity number '{text(raw_number, 30)}' is not valid: {' '.join(error.messages)}.",
                field="registered_charity_number",
            ) from None
        if text(data.get("linked_charity_number")) not in {"0", ""}:
            return Skip(SKIP_LINKED)
        if text(data.get("charity_registration_status")).lower() != "registered":
            return Skip(SKIP_REMOVED)
        name = text(data.get("charity_name"))
        if not name:
            raise RowRejected(
                "charity_name is empty. Every charity needs its registered name.", field="charity_name"
            )
        organisation_number = text(data.get("organisation_number"))
        registered = _ccew_date(data.get("date_of_registration", ""), field="date_of_registration")
        year_end = _ccew_date(
            data.get("latest_acc_fin_period_end_date", ""), field="latest_acc_fin_period_end_date"
        )
        income = parse_money(data.get("latest_income"), field="latest_income")
        spending = parse_money(data.get("latest_expenditure"), field="latest_expenditure")
        activities = text(data.get("charity_activities"))
        objects = self.objects.get(number, "")
        classifications = [item for item in self.classifications.get(number, []) if item]
        tagging = charity_tagging(
            name=name, activities=activities, objects=objects, description="; ".join(classifications)
        )
        if not tagging.cultural:
            return Skip(SKIP_NOT_CULTURAL)
        postcode = clean_postcode(data.get("charity_contact_postcode"))
        served = tuple(
            dict.fromkeys(
                area_id
                for area_id in (self.areas.by_name(item) for item in self.areas_of_operation.get(number, []))
                if area_id
            )
        )
        area_id, area_basis = (served[0], AREA_BASIS) if len(served) == 1 else (None, "")
        if area_id is None and postcode:
            area_id = self.areas.by_code(area_code_for_postcode(postcode))
            area_basis = POSTCODE_BASIS if area_id else ""
        lines = [text(data.get(f"charity_contact_address{n}")) for n in range(1, 6)]
        lines = [line for line in lines if line]
        company = clean_identifier(validators.COH, data.get("charity_company_registration_number"))
        is_cio = text(data.get("charity_is_cio")).lower() == "true" or text(data.get("charity_type")) == "CIO"
        return Entry(
            source=Source.CCEW,
            source_id=number,
            name=name,
            postcode=postcode,
            area_id=area_id,
            area_basis=area_basis,
            areas_served=served,
            listing={
                "legal_form": Organisation.LegalForm.CIO if is_cio else Organisation.LegalForm.CHARITY,
                "description": text(activities or objects, MAX_DESCRIPTION),
                "website": clean_website(data.get("charity_contact_web")),
                "email": self._email(data.get("charity_contact_email")),
                "phone": text(data.get("charity_contact_phone"), 30),
                "address": ", ".join(lines[:-1]) if len(lines) > 1 else "",
                "town": lines[-1] if lines else "",
                "postcode": postcode,
                "income_band": income_band(income),
            },
            identifiers=((validators.CHC, number),) + (((validators.COH, company),) if company else ()),
            data={
                "charity_number": number,
                "organisation_number": organisation_number,
                "company_number": company,
                "charity_type": text(data.get("charity_type")),
                "date_registered": registered.isoformat() if registered else "",
                "income": str(income) if income is not None else "",
                "spending": str(spending) if spending is not None else "",
                "financial_year_end": year_end.isoformat() if year_end else "",
                "date_of_extract": text(data.get("date_of_extract"))[:10],
                "classifications": classifications,
            },
            tagging=tagging,
        )

    @staticmethod
    def _email(value) -> str:
        from django.core.validators import validate_email

        email = text(value)
        try:
            validate_email(email)
        except Exception:  # noqa: BLE001
            return ""
        return email if len(email) <= 254 else ""

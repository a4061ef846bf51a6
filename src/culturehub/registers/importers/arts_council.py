"""Arts Council England investment: National Portfolio Organisations 2018-22 and National Lottery
Project Grants, from the spreadsheets the Arts Council publishes.

Every recipient is cultural by definition: the Arts Council's discipline becomes the listing's art
form. The money is stored as `Investment` rows (one per portfolio year, one per grant award) against
the local authority the Arts Council names, so a place's page can add it up.

Project Grants also go to individual artists, named in the list. Culture Hub does not make a public
listing for a private person from a funder's spreadsheet: an award whose recipient reads as a
person's name (two to four capitalised words, none of them a word organisations use, such as
"Theatre", "Arts" or "Company") is counted in its place's investment with no listing. The rule is a
reading of the name, not a fact about the recipient; the run's log says how many awards it covered.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import ClassVar

from culturehub.core.importers import ImportFileError, RawRow, RowRejected, Skip
from culturehub.core.models import ImportRun
from culturehub.registers.importers.base import Entry, RegisterImporter, clean_website, parse_money, text
from culturehub.registers.models import Investment, RegisterRecord, Source
from culturehub.registers.tagging import tagging_as_data, tagging_from_register
from culturehub.vocabulary.tagging import apply_tagging

# The Arts Council's disciplines and our art form keys. "Not discipline specific" and
# "Other/Not Known" name no art form, so the listing gets none rather than a guess.
DISCIPLINES = {
    "music": "music",
    "theatre": "theatre",
    "dance": "dance",
    "visual arts": "visual_arts",
    "literature": "literature",
    "combined arts": "combined_arts",
    "museums": "museums",
    "libraries": "libraries",
    "film": "film",
    "not discipline specific": "",
    "other/not known": "",
}
NPO_YEARS = (
    ("Portfolio grant 18/19 - £", "2018/19", 2018),
    ("Portfolio grant 19/20 - £", "2019/20", 2019),
    ("Portfolio grant 20/21 - £", "2020/21", 2020),
    ("Portfolio grant 21/22 - £", "2021/22", 2021),
)
ORGANISATION_WORDS = frozenset(
    [
        "theatre",
        "theater",
        "arts",
        "art",
        "artists",
        "company",
        "co",
        "productions",
        "production",
        "music",
        "musical",
        "dance",
        "festival",
        "festivals",
        "trust",
        "group",
        "collective",
        "ensemble",
        "orchestra",
        "choir",
        "chorus",
        "band",
        "gallery",
        "galleries",
        "museum",
        "museums",
        "studio",
        "studios",
        "society",
        "club",
        "association",
        "project",
        "projects",
        "ltd",
        "limited",
        "cic",
        "cio",
        "foundation",
        "centre",
        "center",
        "community",
        "communities",
        "network",
        "press",
        "books",
        "publishing",
        "records",
        "film",
        "films",
        "media",
        "youth",
        "players",
        "opera",
        "house",
        "hall",
        "library",
        "libraries",
        "school",
        "college",
        "university",
        "council",
        "partnership",
        "consortium",
        "agency",
        "cooperative",
        "circus",
        "puppet",
        "puppets",
        "lab",
        "works",
        "factory",
        "space",
        "spaces",
        "church",
        "the",
        "and",
        "of",
        "for",
        "in",
        "at",
        "on",
        "ensemble",
        "quartet",
        "trio",
        "collective",
        "initiative",
        "programme",
        "hub",
        "forum",
        "alliance",
        "partnerships",
        "cinema",
        "radio",
        "tv",
        "screen",
        "writers",
        "poetry",
        "literature",
        "heritage",
        "history",
        "carnival",
        "events",
        "productions",
        "uk",
        "england",
        "english",
        "british",
        "north",
        "south",
        "east",
        "west",
        "international",
        "creative",
        "culture",
        "cultural",
        "enterprises",
        "enterprise",
        "services",
        "friends",
        "foundation",
    ]
)
PERSON_WORD = re.compile(r"[A-Z][a-zA-Z'’-]*\.?|[A-Z]\.?|(?:de|da|van|von|le|la|du|del|di|bin|al)", re.ASCII)
SKIP_NO_MONEY = "no portfolio grant in 2018-22 (every year empty or zero)"


def art_form_for(discipline: str) -> str:
    return DISCIPLINES.get(text(discipline).lower(), "")


def looks_like_a_person(name: str) -> bool:
    """Whether a recipient's name reads as a private person's: see the module's docstring."""
    words = name.replace(",", " ").split()
    if not 2 <= len(words) <= 4:
        return False
    if any(word.lower().strip(".'’") in ORGANISATION_WORDS for word in words):
        return False
    return all(PERSON_WORD.fullmatch(word) for word in words)


def financial_year(day: date) -> tuple[str, int]:
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}", start


class XlsxImporter(RegisterImporter):
    """Reads the first worksheet whose header row (within its first 20 rows) has the columns needed."""

    required_columns: ClassVar[tuple[str, ...]] = ()

    def read_rows(self, location: str) -> Iterator[RawRow]:
        import zipfile

        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException

        path = Path(location)
        if not path.is_file():
            raise ImportFileError(f"There is no file at {location}. Check the path and try again.")
        try:
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
            raise ImportFileError(
                f"{location} is not a readable Excel workbook (.xlsx): {error}. "
                "Save it as .xlsx and try again."
            ) from error
        try:
            yield from self._sheet_rows(workbook, location)
        finally:
            workbook.close()

    def _sheet_rows(self, workbook, location: str) -> Iterator[RawRow]:
        seen = []
        for sheet in workbook.worksheets:
            rows = sheet.iter_rows(values_only=True)
            for number, cells in enumerate(rows, start=1):
                header = [" ".join(str(cell).split()) if cell is not None else "" for cell in cells]
                if all(column in header for column in self.required_columns):
                    yield from self._data_rows(rows, header, number)
                    return
                if number >= 20:
                    break
            seen.append(sheet.title)
        raise ImportFileError(
            f"{location} has no sheet with the columns {', '.join(self.required_columns)} in its first 20 "
            f"rows (sheets: {', '.join(seen)}). Is it the Arts Council's published list?"
        )

    @staticmethod
    def _data_rows(rows, header: list[str], header_line: int) -> Iterator[RawRow]:
        for number, cells in enumerate(rows, start=header_line + 1):
            if not any(cell not in (None, "") for cell in cells):
                continue
            yield RawRow(number, {name: cell for name, cell in zip(header, cells, strict=False) if name})


class NpoImporter(XlsxImporter):
    source = "arts-council-npo"
    register = Source.ACE_NPO
    programme = Investment.Programme.NPO
    required_columns = (
        "Applicant Name",
        "Discipline",
        "Local Authority",
        *(column for column, _, _ in NPO_YEARS),
    )

    # The list holds funding agreements, not organisations: an organisation with a second agreement
    # (as a Bridge or Museum Development organisation, say) has a second row, sometimes for another
    # council. One register entry per organisation and council; one investment per agreement and year.
    tagging_reason = "Arts Council England National Portfolio Organisation 2018-22"

    def parse_row(self, row: RawRow) -> Entry | Skip:
        data = row.data
        name = text(data.get("Applicant Name"))
        if not name:
            raise RowRejected(
                "Applicant Name is empty. Every portfolio organisation needs its name.",
                field="Applicant Name",
            )
        grants = []
        for column, label, start in NPO_YEARS:
            amount = parse_money(data.get(column), field=column)
            if amount:
                grants.append((label, start, amount))
        if not grants:
            return Skip(SKIP_NO_MONEY)
        discipline = text(data.get("Discipline"))
        authority = text(data.get("Local Authority"))
        area_id = self._area(authority)
        alternative = text(data.get("Alternative Name"))
        band, notes = text(data.get("Funding Band")), text(data.get("Notes"))
        # Short notes name the agreement's role (Bridge Organisation, Museum Development); long ones
        # explain a change in funding and are left out of the label.
        role = notes if notes and len(notes) <= 60 else ""
        agreement = f"National Portfolio, funding band {band or 'not given'}" + (f" ({role})" if role else "")
        notes_key = hashlib.sha256(notes.encode()).hexdigest()[:12]
        return Entry(
            source=Source.ACE_NPO,
            source_id=f"{name}|{authority}".lower()[:200],
            name=name,
            area_id=area_id,
            area_basis="local authority in the register" if area_id else "",
            listing={"website": clean_website(data.get("Web address"))},
            data={
                "alternative_name": "" if alternative in {"-", name} else alternative,
                "local_authority": authority,
                "upper_tier_authority": text(data.get("Upper Tier Authority")),
            },
            extra=[
                {
                    "source_id": f"{name[:150]}|{band}|{notes_key}|{label}",
                    "recipient_name": name,
                    "year": label,
                    "year_start": start,
                    "amount": amount,
                    "activity_name": agreement,
                    "award_date": None,
                    "discipline": discipline,
                    "art_form": art_form_for(discipline),
                    "local_authority_name": authority,
                    "area_id": area_id,
                }
                for label, start, amount in grants
            ],
        )

    def _area(self, authority: str) -> int | None:
        area_id = self.areas.by_name(authority) if authority else None
        if authority and area_id is None:
            self.unplaced[authority] += 1
        return area_id

    def before_run(self, run: ImportRun) -> None:
        super().before_run(run)
        self.unplaced: Counter[str] = Counter()

    def log_lines(self) -> list[str]:
        lines = super().log_lines()
        if self.unplaced:
            lines.append(
                "Local authorities not found among Culture Hub's areas (money kept without a place): "
                + ", ".join(f"{name} ({count})" for name, count in self.unplaced.most_common(20))
                + "."
            )
        return lines

    def store_extra(self, record: RegisterRecord | None, entry: Entry, run: ImportRun) -> tuple[bool, bool]:
        return store_investments(self.programme, record, entry.extra, run)

    def after_run(self, run: ImportRun) -> None:
        """Tag each entry seen in this run with the art forms of all its awards or agreements."""
        records = (
            RegisterRecord.objects.filter(source=self.register, last_run=run)
            .select_related("organisation")
            .prefetch_related("investments")
        )
        for record in records:
            disciplines = {
                investment.art_form: investment.discipline
                for investment in sorted(record.investments.all(), key=lambda item: item.art_form)
                if investment.art_form
            }
            tagging = tagging_from_register(
                reason=self.tagging_reason,
                art_forms={key: f"Arts Council discipline: {words}" for key, words in disciplines.items()},
            )
            wanted = tagging_as_data(tagging)
            if record.data.get("tagging") == wanted:
                continue
            record.data["tagging"] = wanted
            record.save(update_fields=["data"])
            organisation = record.organisation
            if organisation.origin_id == f"{record.source}:{record.source_id}" and self._is_unclaimed(
                organisation
            ):
                apply_tagging(organisation, tagging)


class ProjectGrantsImporter(NpoImporter):
    source = "arts-council-grants"
    register = Source.ACE_PROJECT_GRANTS
    programme = Investment.Programme.PROJECT_GRANTS
    tagging_reason = "Arts Council England National Lottery Project Grant recipient"
    required_columns = (
        "Recipient",
        "Activity name",
        "Award amount",
        "Award date",
        "Local authority",
        "Main discipline",
    )

    def before_run(self, run: ImportRun) -> None:
        super().before_run(run)
        self.occurrences: Counter[str] = Counter()
        self.people = 0

    def parse_row(self, row: RawRow) -> Entry | Skip:
        data = row.data
        name = text(data.get("Recipient"))
        if not name:
            raise RowRejected("Recipient is empty. Every award needs its recipient.", field="Recipient")
        amount = parse_money(data.get("Award amount"), field="Award amount", required=True)
        awarded = data.get("Award date")
        if isinstance(awarded, datetime):
            awarded = awarded.date()
        if not isinstance(awarded, date):
            raise RowRejected(
                f"Award date is '{text(awarded, 30) or 'empty'}', which is not a date. "
                "Enter it as a date, like 10/04/2018.",
                field="Award date",
            )
        year, start = financial_year(awarded)
        activity = text(data.get("Activity name"), 300)
        discipline = text(data.get("Main discipline"))
        art_form = art_form_for(discipline)
        authority = text(data.get("Local authority"))
        area_id = self._area(authority)
        # Rows carry no id: the award's own details, and how many times they have come before in this
        # file, make a key that is the same on every run of the same file.
        digest = hashlib.sha256(f"{name}|{activity}|{amount}|{awarded}".encode()).hexdigest()[:24]
        self.occurrences[digest] += 1
        person = looks_like_a_person(name)
        self.people += person
        return Entry(
            source=Source.ACE_PROJECT_GRANTS,
            source_id=f"{name.lower()}|{authority.lower()}"[:200],
            name=name,
            area_id=area_id,
            area_basis="local authority in the register" if area_id else "",
            data={"local_authority": authority},
            # A recipient's art forms come from all its awards, so they are set after the run.
            make_listing=not person,
            extra=[
                {
                    "source_id": f"{digest}-{self.occurrences[digest]}",
                    "recipient_name": name,
                    "year": year,
                    "year_start": start,
                    "amount": amount,
                    "activity_name": activity,
                    "award_date": awarded,
                    "discipline": discipline,
                    "art_form": art_form,
                    "local_authority_name": authority,
                    "area_id": area_id,
                }
            ],
        )

    def log_lines(self) -> list[str]:
        lines = super().log_lines()
        if self.people:
            lines.append(f"Awards to recipients named as people (counted, no listing made): {self.people:,}.")
        return lines


INVESTMENT_FIELDS = (
    "recipient_name",
    "year",
    "year_start",
    "amount",
    "activity_name",
    "award_date",
    "discipline",
    "art_form",
    "local_authority_name",
    "area_id",
)


def store_investments(programme: str, record: RegisterRecord | None, rows: list[dict], run: ImportRun):
    """Create or update each investment row; return (any created, any changed)."""
    existing = {
        investment.source_id: investment
        for investment in Investment.objects.filter(
            programme=programme, source_id__in=[row["source_id"] for row in rows]
        )
    }
    created = changed = False
    for row in rows:
        values = {name: row[name] for name in INVESTMENT_FIELDS}
        values["record_id"] = record.pk if record else None
        values["organisation_id"] = record.organisation_id if record else None
        investment = existing.get(row["source_id"])
        if investment is None:
            Investment.objects.create(programme=programme, source_id=row["source_id"], last_run=run, **values)
            created = True
            continue
        # An award moved to another listing by an administrator stays there.
        if investment.record_id == values["record_id"]:
            values["organisation_id"] = investment.organisation_id
        different = [name for name, value in values.items() if getattr(investment, name) != value]
        if different:
            for name in different:
                setattr(investment, name, values[name])
            investment.last_run = run
            investment.save()
            changed = True
    return created, changed

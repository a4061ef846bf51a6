"""Importers for places: ONS areas and their code history, OHID Fingertips indicators, ONS personal
wellbeing (ONS4) by district, and each place's published priorities.

Each importer is a small subclass of `core.importers.BaseImporter` (or `CsvImporter`): the base class
streams the input, records the run, rejects bad rows with their line and reason and keeps the run in
one transaction. What is particular to places lives here: resolving area codes (old codes too),
labelling periods, and storing figures so that a second run changes nothing.

Rows that are well formed but describe something Culture Hub does not keep (a GP practice, a Welsh
district, a figure for a district that has since merged into a larger council) are not errors: they
are *skipped*, counted by reason in the run's summary and log, and never stored. Rows that cannot be
read (a bad number, a missing indicator ID or year, a malformed area code) are *rejected* with their
line, field and reason.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from culturehub.core.importers import (
    BaseImporter,
    BatchCounts,
    CsvImporter,
    ImportFileError,
    RawRow,
    RowRejected,
    Skip,
)
from culturehub.core.licences import OGL, OGL_URL
from culturehub.core.models import ImportRun
from culturehub.places.models import (
    Area,
    AreaAlias,
    AreaIcb,
    DataSource,
    Indicator,
    IndicatorValue,
    Priority,
)
from culturehub.vocabulary.models import Term

ENGLAND_CODE = "E92000001"

DATA_SOURCES: dict[str, dict[str, str]] = {
    "ons-geography": {
        "name": "ONS geography lookups (local authorities, regions and ICBs)",
        "publisher": "Office for National Statistics",
        "url": "https://geoportal.statistics.gov.uk/",
        "licence": OGL,
        "licence_url": OGL_URL,
        "attribution": (
            "Source: Office for National Statistics licensed under the Open Government Licence v3.0. "
            "District to region (2024), district to upper tier (2023) and district code history "
            "(2016 to 2024) lookups. The share of each district in each Integrated Care Board is "
            "derived by counting the district's 2021 LSOAs in each sub-ICB location (2024): it is not "
            "an official ONS lookup."
        ),
    },
    "fingertips": {
        "name": "OHID Fingertips public health data",
        "publisher": "Office for Health Improvement and Disparities (OHID)",
        "url": "https://fingertips.phe.org.uk/",
        "licence": OGL,
        "licence_url": OGL_URL,
        "attribution": (
            "Contains public sector information from OHID Fingertips licensed under the Open Government "
            "Licence v3.0. Some indicators are compiled by OHID from NHS England, ONS and other "
            "publishers' data."
        ),
    },
    "ons-wellbeing": {
        "name": "ONS personal well-being (ONS4) by local authority, April 2020 to March 2021",
        "publisher": "Office for National Statistics",
        "url": (
            "https://www.ons.gov.uk/peoplepopulationandcommunity/wellbeing/datasets/"
            "headlineestimatesofpersonalwellbeing"
        ),
        "licence": OGL,
        "licence_url": OGL_URL,
        "attribution": (
            "Source: Office for National Statistics licensed under the Open Government Licence v3.0. "
            "Taken from the ONS Subnational indicators explorer dataset (February 2022), which "
            "republishes the Annual Population Survey personal well-being means by district "
            "(2019 boundaries). No confidence intervals and no England figure are in that file."
        ),
    },
}

GSS_CODE = re.compile(r"[A-Z]\d{8}", re.ASCII)
# NHS organisation codes as Fingertips uses them: GP practices (A81002), PCNs (U12345), sub-ICBs (01K).
ODS_CODE = re.compile(r"[A-Z0-9]{3,6}", re.ASCII)
NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?", re.ASCII)
YEAR = re.compile(r"\d{4}", re.ASCII)

SKIP_NOT_HELD = "area not held (GP practices, primary care networks, sub-ICB locations and the like)"
SKIP_MERGED = "old code of an area that merged into a larger one (the figure covers only part of it)"
SKIP_QUARTERLY = "quarterly figures without their quarter (this file shape gives only the year)"
SKIP_NOT_ENGLAND = "not in England"


def data_source_ensure(key: str) -> DataSource:
    """The data source with this key, created or brought up to date without needless writes."""
    wanted = DATA_SOURCES[key]
    source = DataSource.objects.filter(key=key).first()
    if source is None:
        return DataSource.objects.create(key=key, **wanted)
    if any(getattr(source, name) != value for name, value in wanted.items()):
        for name, value in wanted.items():
            setattr(source, name, value)
        source.save()
    return source


# ---------------------------------------------------------------------------------------------------
# Parsing helpers: each returns a clean value or raises RowRejected saying what to fix.
# ---------------------------------------------------------------------------------------------------

def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_number(text: str | None, *, field: str) -> float | None:
    """A decimal number, or None for an empty cell. Anything else is rejected, never guessed."""
    if text is None:
        return None
    cleaned = text.strip()
    if not cleaned:
        return None
    # float() alone would accept "nan", "inf" and "1_000", none of which a publisher means.
    if not NUMBER.fullmatch(cleaned):
        raise RowRejected(
            f"{field} is '{_shorten(cleaned)}', which is not a number. "
            "Use digits with a decimal point, or leave the cell empty.",
            field=field,
        )
    value = float(cleaned)
    if not math.isfinite(value):
        raise RowRejected(f"{field} is '{_shorten(cleaned)}', which is too large to store.", field=field)
    return value


def parse_year(text: str | None, *, field: str) -> int:
    cleaned = (text or "").strip()
    if not cleaned:
        raise RowRejected(f"{field} is empty. Give the year the figure's period starts in.", field=field)
    if not YEAR.fullmatch(cleaned) or not 1900 <= int(cleaned) <= 2100:
        raise RowRejected(f"{field} is '{_shorten(cleaned)}', which is not a year such as 2021.", field=field)
    return int(cleaned)


def check_area_code(text: str | None, *, field: str) -> str:
    given = (text or "").strip()
    code = given.upper()
    if not code:
        raise RowRejected(f"{field} is empty. Give the area's ONS code, such as E08000003.", field=field)
    if not (GSS_CODE.fullmatch(code) or ODS_CODE.fullmatch(code)):
        raise RowRejected(
            f"{field} is '{_shorten(given)}', which is neither an ONS area code (such as E08000003) "
            "nor an NHS organisation code (such as A81002).",
            field=field,
        )
    return code


def check_length(text: str, *, field: str, limit: int) -> str:
    if len(text) > limit:
        raise RowRejected(f"{field} is longer than {limit} characters.", field=field)
    return text


def period_label(period_type: str, year: int, years: int = 1) -> str:
    """The period as Fingertips writes it: '2021', '2021/22', '2019 - 21' or '2019/20 - 23/24'."""
    split_year = period_type in {"Financial", "Academic", "Yearly", "Financial multi-year"}
    last = year + max(years, 1) - 1
    if split_year:
        first_label = f"{year}/{(year + 1) % 100:02d}"
        return first_label if last == year else f"{first_label} - {last % 100:02d}/{(last + 1) % 100:02d}"
    return str(year) if last == year else f"{year} - {last % 100:02d}"


def polarity_from_text(text: str) -> str:
    text = (text or "").lower()
    if "high is good" in text:
        return Indicator.Polarity.HIGH_IS_GOOD
    if "low is good" in text:
        return Indicator.Polarity.LOW_IS_GOOD
    return Indicator.Polarity.NO_JUDGEMENT


# ---------------------------------------------------------------------------------------------------
# Areas: looking codes up, old codes included
# ---------------------------------------------------------------------------------------------------

@dataclass
class AreaIndex:
    """Every code we can resolve, held as small dicts of ids for the length of one run."""

    codes: dict[str, int]
    nhs_codes: dict[str, int]
    aliases: dict[str, tuple[int, bool]]

    @classmethod
    def load(cls) -> AreaIndex:
        return cls(
            codes=dict(Area.objects.values_list("code", "id")),
            nhs_codes=dict(Area.objects.exclude(nhs_code="").values_list("nhs_code", "id")),
            aliases={
                code: (area_id, same_area)
                for code, area_id, same_area in AreaAlias.objects.values_list("code", "area_id", "same_area")
            },
        )

    def resolve(self, code: str) -> tuple[int | None, str]:
        """The current area's id, or None and the reason the figure is skipped."""
        if code in self.codes:
            return self.codes[code], ""
        if code in self.aliases:
            area_id, same_area = self.aliases[code]
            return (area_id, "") if same_area else (None, SKIP_MERGED)
        if code in self.nhs_codes:
            return self.nhs_codes[code], ""
        return None, SKIP_NOT_HELD


# ---------------------------------------------------------------------------------------------------
# Storing indicator values: shared by the Fingertips and ONS wellbeing importers
# ---------------------------------------------------------------------------------------------------

@dataclass(slots=True)
class ValueRecord:
    line: int
    raw: Any
    indicator_id: int
    area_id: int
    period: str
    period_start: int
    sex: str
    age: str
    category_type: str
    category: str
    value: float | None
    lower_ci: float | None
    upper_ci: float | None
    count: float | None
    denominator: float | None
    value_note: str = ""

    def key(self) -> tuple:
        return (
            self.indicator_id, self.area_id, self.period, self.sex, self.age,
            self.category_type, self.category,
        )

    def figures(self) -> tuple:
        return (
            self.period_start, self.value, self.lower_ci, self.upper_ci, self.count,
            self.denominator, self.value_note,
        )


FIGURE_FIELDS = ("period_start", "value", "lower_ci", "upper_ci", "count", "denominator", "value_note")
KEY_FIELDS = ("indicator_id", "area_id", "period", "sex", "age", "category_type", "category")
DUPLICATE_MESSAGE = (
    "This row repeats the indicator, area, period, sex, age and category of an earlier row with "
    "different figures, and nothing in the file tells the two apart. The earlier row is kept."
)


class IndicatorValuesMixin:
    """Upserts `ValueRecord`s on IndicatorValue's unique key.

    A figure confirmed by a run is stamped with that run. That stamp is how a later row of the same
    file that repeats a key is recognised, in this batch or an earlier one, without keeping every
    key of the file in memory.
    """

    def start_counting(self) -> None:
        self.repeated = 0

    def store_batch(self, records: list, run: ImportRun) -> BatchCounts:
        counts = BatchCounts()
        firsts: dict[tuple, ValueRecord] = {}
        for record in records:
            if record.key() in firsts:
                self._repeat(firsts[record.key()].figures(), record, run, counts)
            else:
                firsts[record.key()] = record
        if not firsts:
            return counts

        stored = self._stored(firsts.values())
        to_create, to_update, confirmed = [], [], []
        for key, record in firsts.items():
            found = stored.get(key)
            if found is None:
                to_create.append(IndicatorValue(
                    **{name: getattr(record, name) for name in KEY_FIELDS + FIGURE_FIELDS},
                    import_run=run,
                ))
                counts.created += 1
                continue
            pk, figures, run_id = found
            if run_id == run.pk:
                self._repeat(figures, record, run, counts)
            elif figures == record.figures():
                confirmed.append(pk)
                counts.unchanged += 1
            else:
                to_update.append(IndicatorValue(
                    pk=pk, **{name: getattr(record, name) for name in FIGURE_FIELDS}, import_run=run,
                ))
                counts.updated += 1
        IndicatorValue.objects.bulk_create(to_create, batch_size=500)
        IndicatorValue.objects.bulk_update(to_update, [*FIGURE_FIELDS, "import_run"], batch_size=500)
        if confirmed:
            IndicatorValue.objects.filter(pk__in=confirmed).update(import_run=run)
        return counts

    def _stored(self, records) -> dict[tuple, tuple]:
        records = list(records)
        rows = IndicatorValue.objects.filter(
            indicator_id__in={record.indicator_id for record in records},
            area_id__in={record.area_id for record in records},
            period__in={record.period for record in records},
        ).values_list("pk", *KEY_FIELDS, *FIGURE_FIELDS, "import_run_id")
        width = len(KEY_FIELDS)
        return {
            tuple(row[1: 1 + width]): (row[0], tuple(row[1 + width: -1]), row[-1])
            for row in rows
        }

    def _repeat(self, earlier: tuple, record: ValueRecord, run: ImportRun, counts: BatchCounts) -> None:
        """A second row for a key already stored by this run: harmless if identical, else rejected."""
        if earlier == record.figures():
            self.repeated += 1
            counts.unchanged += 1
            return
        self._reject(run, RawRow(record.line, record.raw), RowRejected(DUPLICATE_MESSAGE, field="Value"))

    def log_lines(self) -> list[str]:
        lines = []
        if self.repeated:
            lines.append(f"Rows repeating an earlier row exactly (counted as unchanged): {self.repeated:,}")
        lines.extend(getattr(self, "notes", []))
        return lines


# ---------------------------------------------------------------------------------------------------
# OHID Fingertips
# ---------------------------------------------------------------------------------------------------

INDICATORS_JSON = Path(settings.DEMO_DATA_DIR) / "fingertips" / "indicators.json"

# The Fingertips API (`GET /api/all_data/csv/by_indicator_id`). Its full header is
#   Indicator ID, Indicator Name, Parent Code, Parent Name, Area Code, Area Name, Area Type, Sex, Age,
#   Category Type, Category, Time period, Value, Lower CI 95.0 limit, Upper CI 95.0 limit,
#   Lower CI 99.8 limit, Upper CI 99.8 limit, Count, Denominator, Value note, Recent Trend,
#   Compared to England value or percentiles, Compared to <parent area type> value or percentiles,
#   Time period Sortable, New data, Compared to goal, Time period range
# (the last one only in recent versions); these are the columns we read.
API_COLUMNS = (
    "Indicator ID", "Indicator Name", "Area Code", "Sex", "Age", "Category Type", "Category",
    "Time period", "Value", "Lower CI 95.0 limit", "Upper CI 95.0 limit", "Count", "Denominator",
)
# FingertipsNext's health data export (as in healthdata_northwest_subset.csv).
NEXT_COLUMNS = (
    "IndicatorId", "AreaCode", "Year", "Sex", "Age", "CategoryType", "Category", "Value", "LowerCI",
    "UpperCI", "Count", "Denominator",
)


def load_indicator_metadata(path: Path = INDICATORS_JSON) -> dict[str, dict]:
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    return {str(entry["id"]): entry for entry in document["indicators"]}


class FingertipsImporter(IndicatorValuesMixin, CsvImporter):
    """OHID Fingertips figures from either CSV shape; the header says which.

    Confidence limits are the 95% ones in both shapes (FingertipsNext keeps only those), so the same
    indicator compares the same way whichever file it came from.
    """

    source = "fingertips"
    value_note_limit = 200

    def __init__(self, *, metadata_path: Path = INDICATORS_JSON, **kwargs):
        super().__init__(**kwargs)
        self.metadata_path = Path(metadata_path)
        self.shape = ""

    def check_header(self, header: list[str], location: str) -> None:
        if "Indicator ID" in header:
            self.shape, required = "api", API_COLUMNS
        elif "IndicatorId" in header:
            self.shape, required = "next", NEXT_COLUMNS
        else:
            raise ImportFileError(
                f"{location} is not a Fingertips CSV: its header has neither 'Indicator ID' (the "
                "Fingertips API's all_data CSV) nor 'IndicatorId' (the FingertipsNext export)."
            )
        missing = [column for column in required if column not in header]
        if missing:
            raise ImportFileError(
                f"{location} is missing the column(s) {', '.join(missing)} that a Fingertips "
                f"{'API' if self.shape == 'api' else 'FingertipsNext'} CSV has."
            )
        self.progress(f"  File shape: {'Fingertips API' if self.shape == 'api' else 'FingertipsNext'} CSV")

    def before_run(self, run: ImportRun) -> None:
        self.start_counting()
        self.data_source = data_source_ensure("fingertips")
        self.areas = AreaIndex.load()
        self.metadata = load_indicator_metadata(self.metadata_path)
        self.indicator_ids: dict[str, int] = {}
        self.notes: list[str] = []

    def parse_row(self, row: RawRow):
        if self.shape == "api":
            return self._parse_api(row)
        return self._parse_next(row)

    # Both shapes -------------------------------------------------------------------------------

    def _indicator_id_from(self, text: str | None, field: str) -> str:
        external_id = (text or "").strip()
        if not external_id:
            raise RowRejected(f"{field} is empty. Every row needs the Fingertips indicator ID.", field=field)
        if not external_id.isdigit():
            raise RowRejected(f"{field} is '{_shorten(external_id)}', which is not a whole number.",
                              field=field)
        return str(int(external_id))

    def _indicator(self, external_id: str, name_in_file: str = "") -> int:
        """The Indicator's id, created from the bundled metadata (or the file's name) on first sight."""
        if external_id in self.indicator_ids:
            return self.indicator_ids[external_id]
        meta = self.metadata.get(external_id) or {}
        wanted = {
            "source": self.data_source,
            "external_id": external_id,
            "name": (meta.get("name") or name_in_file).strip()[:300],
            "definition": meta.get("definition", ""),
            "unit": (meta.get("unit") or "")[:60],
            "value_type": (meta.get("value_type") or "")[:100],
            "polarity": polarity_from_text(meta.get("polarity", "")),
            "benchmark_method": (meta.get("benchmark_method") or "")[:120],
        }
        indicator = Indicator.objects.filter(key=f"fingertips-{external_id}").first()
        if indicator is None:
            # Headline and themes are our own curation: set when the indicator is first created
            # and left alone afterwards, so that an administrator's later choice stands.
            indicator = Indicator.objects.create(
                key=f"fingertips-{external_id}", headline=bool(meta.get("headline")), **wanted,
            )
            indicator.themes.set(Term.objects.themes().filter(key__in=meta.get("themes") or []))
            self.notes.append(f"Indicator created: {external_id} {indicator.name}")
        elif any(getattr(indicator, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(indicator, name, value)
            indicator.save()
            self.notes.append(f"Indicator details updated: {external_id} {indicator.name}")
        self.indicator_ids[external_id] = indicator.pk
        return indicator.pk

    def _figures(self, data: dict, columns: tuple[str, str, str, str, str]) -> tuple:
        return tuple(parse_number(data.get(column), field=column) for column in columns)

    def _breakdown(self, data: dict, sex: str, age: str, category_type: str, category: str) -> tuple:
        # FingertipsNext wraps some category types in literal quotes; the API does not.
        return (
            check_length((data.get(sex) or "").strip(), field=sex, limit=20),
            check_length((data.get(age) or "").strip(), field=age, limit=40),
            check_length((data.get(category_type) or "").strip().strip('"').strip(), field=category_type,
                         limit=150),
            check_length((data.get(category) or "").strip().strip('"').strip(), field=category, limit=150),
        )

    # The Fingertips API shape ------------------------------------------------------------------

    def _parse_api(self, row: RawRow):
        data = row.data
        external_id = self._indicator_id_from(data.get("Indicator ID"), "Indicator ID")
        period = (data.get("Time period") or "").strip()
        if not period:
            raise RowRejected("Time period is empty. Every row needs its period, such as 2021/22.",
                              field="Time period")
        check_length(period, field="Time period", limit=40)
        first_year = YEAR.search(period) or YEAR.match((data.get("Time period Sortable") or "").strip())
        if first_year is None:
            raise RowRejected(f"Time period '{_shorten(period)}' has no year in it.", field="Time period")
        code = check_area_code(data.get("Area Code"), field="Area Code")
        value, lower, upper, count, denominator = self._figures(data, (
            "Value", "Lower CI 95.0 limit", "Upper CI 95.0 limit", "Count", "Denominator",
        ))
        sex, age, category_type, category = self._breakdown(data, "Sex", "Age", "Category Type", "Category")
        name = (data.get("Indicator Name") or "").strip()
        if not name and external_id not in self.metadata:
            raise RowRejected(
                f"Indicator Name is empty and indicator {external_id} is not in indicators.json.",
                field="Indicator Name",
            )
        area_id, reason = self.areas.resolve(code)
        if area_id is None:
            return Skip(reason)
        note = (data.get("Value note") or "").strip()
        if len(note) > self.value_note_limit:
            note = note[: self.value_note_limit - 1] + "…"
        return ValueRecord(
            line=row.line, raw=data,
            indicator_id=self._indicator(external_id, name),
            area_id=area_id, period=period, period_start=int(first_year.group()),
            sex=sex, age=age, category_type=category_type, category=category,
            value=value, lower_ci=lower, upper_ci=upper, count=count, denominator=denominator,
            value_note=note,
        )

    # The FingertipsNext shape ------------------------------------------------------------------

    def _parse_next(self, row: RawRow):
        data = row.data
        external_id = self._indicator_id_from(data.get("IndicatorId"), "IndicatorId")
        year = parse_year(data.get("Year"), field="Year")
        code = check_area_code(data.get("AreaCode"), field="AreaCode")
        value, lower, upper, count, denominator = self._figures(
            data, ("Value", "LowerCI", "UpperCI", "Count", "Denominator"),
        )
        sex, age, category_type, category = self._breakdown(data, "Sex", "Age", "CategoryType", "Category")
        meta = self.metadata.get(external_id)
        if meta is None:
            raise RowRejected(
                f"Indicator {external_id} is not described in indicators.json, so its name and period "
                "type are unknown. Add it there, or import the Fingertips API CSV, which names it.",
                field="IndicatorId",
            )
        area_id, reason = self.areas.resolve(code)
        if area_id is None:
            return Skip(reason)
        # This shape drops the quarter, so four quarterly figures would share one year's label.
        if meta.get("frequency") == "quarterly":
            return Skip(SKIP_QUARTERLY)
        years = int(meta.get("years_combined") or 1)
        return ValueRecord(
            line=row.line, raw=data, indicator_id=self._indicator(external_id), area_id=area_id,
            period=period_label(meta.get("period_type", ""), year, years), period_start=year,
            sex=sex, age=age, category_type=category_type, category=category,
            value=value, lower_ci=lower, upper_ci=upper, count=count, denominator=denominator,
        )


# ---------------------------------------------------------------------------------------------------
# ONS personal wellbeing (ONS4) from the Subnational indicators explorer files
# ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class OnsMeasure:
    key: str
    word: str  # how the file's "Indicator:" line names it
    name: str
    description: str
    polarity: str
    themes: tuple[str, ...]


# Descriptions and polarity follow the explorer's data dictionary ("Positive" / "Negative").
ONS_MEASURES = (
    OnsMeasure(
        "ons-life-satisfaction", "satisfaction", "Life satisfaction (ONS personal well-being)",
        "The average rating of those that feel satisfied about their lives.",
        Indicator.Polarity.HIGH_IS_GOOD, ("prevention_wellbeing", "mental_health"),
    ),
    OnsMeasure(
        "ons-worthwhile", "worthwhile",
        "Feeling that things done in life are worthwhile (ONS personal well-being)",
        "The average rating of those that feel the things they do in life are worthwhile.",
        Indicator.Polarity.HIGH_IS_GOOD, ("prevention_wellbeing", "mental_health"),
    ),
    OnsMeasure(
        "ons-happiness", "happiness", "Happiness (ONS personal well-being)",
        "The average rating of those that felt happy yesterday.",
        Indicator.Polarity.HIGH_IS_GOOD, ("prevention_wellbeing", "mental_health"),
    ),
    OnsMeasure(
        "ons-anxiety", "anxiety", "Anxiety (ONS personal well-being)",
        "The average rating of those that felt anxious yesterday. Lower is better.",
        Indicator.Polarity.LOW_IS_GOOD, ("mental_health",),
    ),
)
ONS_DATE = re.compile(r"(\d{2})/(\d{4})\s*-\s*(\d{2})/(\d{4})")
ONS_MISSING = {"na", "n/a", "x", "..", ":", "-"}


def ons_period(text: str) -> tuple[str, int]:
    """'04/2020-03/2021' -> ('2020/21', 2020); '01/2019-12/2019' -> ('2019', 2019)."""
    match = ONS_DATE.fullmatch(text.strip())
    if not match:
        raise ImportFileError(f"The Date line '{text}' is not a period such as 04/2020-03/2021.")
    start_month, start_year, end_month, end_year = (int(part) for part in match.groups())
    if start_year == end_year:
        return str(start_year), start_year
    if end_year == start_year + 1 and end_month == (start_month - 2) % 12 + 1:
        return f"{start_year}/{end_year % 100:02d}", start_year
    return f"{start_month:02d}/{start_year} - {end_month:02d}/{end_year}", start_year


class OnsWellbeingImporter(IndicatorValuesMixin, CsvImporter):
    """One ONS subnational indicators CSV: a title block, then `Area Code,Area,<measure>,Notes`.

    Values are by district on 2019 boundaries across the UK. Rows outside England are skipped;
    2019 codes resolve through aliases, and districts that have since merged are skipped, since a
    former district's mean is not the mean of the larger council that replaced it.
    """

    source = "ons-wellbeing"
    title_lines = 20
    age = "16+ yrs"  # the Annual Population Survey asks these questions of adults aged 16 and over

    def find_header(self, reader, location: str) -> tuple[int, list[str]]:
        self.title: dict[str, str] = {}
        seen_anything = False
        for line, cells in enumerate(reader, start=1):
            cells = [cell.strip() for cell in cells]
            seen_anything = seen_anything or any(cells)
            if cells and cells[0] == "Area Code":
                return line, cells
            if cells and cells[0].endswith(":") and len(cells) > 1:
                self.title[cells[0][:-1].lower()] = cells[1]
            if line >= self.title_lines:
                break
        if not seen_anything:
            raise ImportFileError(f"{location} is empty: it has no title block, header or data.")
        raise ImportFileError(
            f"{location} is not an ONS subnational indicators file: there is no 'Area Code,Area,...' "
            f"header in its first {self.title_lines} lines."
        )

    def check_header(self, header: list[str], location: str) -> None:
        if len(header) < 3 or header[1] != "Area" or not header[2]:
            raise ImportFileError(
                f"{location} has the header {','.join(header)}; expected Area Code, Area, then the measure."
            )
        self.measure_column = header[2]
        indicator_line = self.title.get("indicator", "")
        self.measure = next(
            (measure for measure in ONS_MEASURES if measure.word in indicator_line.lower()), None,
        )
        if self.measure is None:
            raise ImportFileError(
                f"{location} is not one of the four ONS personal wellbeing files (life satisfaction, "
                f"worthwhile, happiness, anxiety): its Indicator line says '{indicator_line}'."
            )
        self.period, self.period_start = ons_period(self.title.get("date", ""))
        self.indicator_name = indicator_line
        self.progress(f"  {indicator_line}, {self.period}")

    def before_run(self, run: ImportRun) -> None:
        self.start_counting()
        self.data_source = data_source_ensure("ons-wellbeing")
        self.areas = AreaIndex.load()
        self.indicator_pk: int | None = None
        self.notes: list[str] = []

    def _indicator(self) -> int:
        if self.indicator_pk is not None:
            return self.indicator_pk
        measure = self.measure
        wanted = {
            "source": self.data_source,
            "name": measure.name,
            "definition": (
                f"{measure.description} {self.measure_column}. Mean of people's own ratings, from the "
                "Annual Population Survey, by local authority district."
            ),
            "unit": "score (0 to 10)",
            "value_type": "Mean",
            "polarity": measure.polarity,
            "benchmark_method": "",
        }
        indicator = Indicator.objects.filter(key=measure.key).first()
        if indicator is None:
            indicator = Indicator.objects.create(key=measure.key, headline=True, **wanted)
            indicator.themes.set(Term.objects.themes().filter(key__in=measure.themes))
            self.notes.append(f"Indicator created: {measure.key}")
        elif any(getattr(indicator, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(indicator, name, value)
            indicator.save()
            self.notes.append(f"Indicator details updated: {measure.key}")
        self.indicator_pk = indicator.pk
        return indicator.pk

    def parse_row(self, row: RawRow):
        data = row.data
        given = (data.get("Area Code") or "").strip()
        code = given.upper()
        if not code:
            raise RowRejected("Area Code is empty. Give the district's ONS code.", field="Area Code")
        if not GSS_CODE.fullmatch(code):
            raise RowRejected(f"Area Code '{_shorten(given)}' is not an ONS code such as E08000003.",
                              field="Area Code")
        text = (data.get(self.measure_column) or "").strip()
        note = ""
        if text.lower() in ONS_MISSING:
            value, note = None, f"No figure in the source (shown as '{text}')."
        else:
            value = parse_number(text, field=self.measure_column)
            if value is None:
                note = "No figure in the source (the cell is empty)."
            elif not 0 <= value <= 10:
                raise RowRejected(f"{self.measure_column} is {text}; a mean rating lies between 0 and 10.",
                                  field=self.measure_column)
        if not code.startswith("E"):
            return Skip(SKIP_NOT_ENGLAND)
        area_id, reason = self.areas.resolve(code)
        if area_id is None:
            return Skip(reason)
        return ValueRecord(
            line=row.line, raw=data, indicator_id=self._indicator(), area_id=area_id,
            period=self.period, period_start=self.period_start, sex="Persons", age=self.age,
            category_type="", category="", value=value, lower_ci=None, upper_ci=None, count=None,
            denominator=None, value_note=note,
        )

    def log_lines(self) -> list[str]:
        lines = super().log_lines()
        has_england = IndicatorValue.objects.filter(
            indicator_id=self.indicator_pk, area__code=ENGLAND_CODE, period=getattr(self, "period", ""),
        ).exists()
        if not has_england:
            lines.append(
                "There is no England figure for this period, so places cannot be compared with England."
            )
        return lines


# ---------------------------------------------------------------------------------------------------
# Areas from the ONS lookups
# ---------------------------------------------------------------------------------------------------

AREA_FILES = {
    "regions": ("lookup_ltla24_region24.csv", "lookup_ltla23_region23.csv"),
    "upper_tiers": ("lookup_ltla23_utla23.csv",),
    "icbs": ("DERIVED_ltla24_sicbl24_icb24_by_lsoa21_count.csv",),
    "history": ("lookup_ltla_ltla.csv",),
    "history_2223": ("lookup_ltla22_ltla23.csv",),
}
DISTRICT_KINDS = {
    "E06": Area.Kind.UNITARY,
    "E07": Area.Kind.DISTRICT,
    "E08": Area.Kind.METROPOLITAN,
    "E09": Area.Kind.LONDON_BOROUGH,
}
HISTORY_YEARS = ("16", "17", "18", "19", "20", "21", "22", "23", "24")


@dataclass
class AreaRecord:
    line: int
    code: str
    name: str
    kind: str
    region: str = ""
    upper_tier: str = ""
    nhs_code: str = ""
    icbs: dict[str, float] = field(default_factory=dict)


@dataclass
class AliasRecord:
    line: int
    code: str
    name: str
    current: str
    same_area: bool
    note: str


def _read_csv(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = [column for column in required if column not in (reader.fieldnames or [])]
            if missing:
                raise ImportFileError(f"{path.name} is missing the column(s) {', '.join(missing)}.")
            for row in reader:
                yield reader.line_num, {key: (value or "").strip() for key, value in row.items() if key}
    except UnicodeDecodeError as error:
        raise ImportFileError(f"{path.name} is not UTF-8 text (byte {error.start}).") from error
    except csv.Error as error:
        raise ImportFileError(f"{path.name} is not a readable CSV file: {error}.") from error


class AreasImporter(BaseImporter):
    """England, its regions, upper- and lower-tier councils and ICBs, with the hierarchy and old codes.

    The input is a folder holding the ONS lookups. Records come out parents first (England, regions,
    counties, ICBs, then districts, then old codes), so each batch can link to what came before.
    """

    source = "ons-areas"
    batch_size = 500

    def read_rows(self, location: str) -> Iterator[RawRow]:
        folder = Path(location)
        if not folder.is_dir():
            raise ImportFileError(
                f"There is no folder at {location}. Give the folder holding the ONS lookups."
            )
        paths = {}
        for role, names in AREA_FILES.items():
            found = next((folder / name for name in names if (folder / name).is_file()), None)
            if found is None:
                raise ImportFileError(f"{location} has no {' or '.join(names)}.")
            paths[role] = found

        regions: dict[str, tuple[int, str]] = {}
        districts: list[tuple[int, dict[str, str]]] = []
        year = paths["regions"].name[len("lookup_ltla"):][:2]
        district_column, region_column = f"ltla{year}", f"region{year}"
        for line, row in _read_csv(paths["regions"], (f"{district_column}_code", f"{district_column}_name",
                                                      f"{region_column}_code", f"{region_column}_name")):
            if not row[f"{district_column}_code"].startswith("E"):
                continue
            districts.append((line, row))
            regions.setdefault(row[f"{region_column}_code"], (line, row[f"{region_column}_name"]))

        upper_tiers, counties = self._upper_tiers(paths["upper_tiers"])
        shares, icbs, icb_problems = self._icb_shares(paths["icbs"])

        yield RawRow(0, AreaRecord(0, ENGLAND_CODE, "England", Area.Kind.COUNTRY))
        for code, (line, name) in sorted(regions.items()):
            yield RawRow(line, AreaRecord(line, code, name, Area.Kind.REGION))
        region_of = {row[f"{district_column}_code"]: row[f"{region_column}_code"] for _, row in districts}
        for code, (line, name) in sorted(counties.items()):
            county_regions = {region_of.get(d) for d, county in upper_tiers.items() if county == code}
            county_regions.discard(None)
            record = AreaRecord(line, code, name, Area.Kind.COUNTY,
                                region=county_regions.pop() if len(county_regions) == 1 else "")
            yield RawRow(line, record)
        for code, (line, name, nhs_code) in sorted(icbs.items()):
            yield RawRow(line, AreaRecord(line, code, name, Area.Kind.ICB, nhs_code=nhs_code))
        yield from icb_problems
        for line, row in districts:
            code = row[f"{district_column}_code"]
            yield RawRow(line, {
                "file": paths["regions"].name, "code": code, "name": row[f"{district_column}_name"],
                "region": row[f"{region_column}_code"], "upper_tier": upper_tiers.get(code, ""),
                "icbs": shares.get(code, {}),
            })
        current = {row[f"{district_column}_code"] for _, row in districts}
        yield from self._aliases(paths["history"], paths["history_2223"], current)

    # Reading the lookups -------------------------------------------------------------------------

    def _upper_tiers(self, path: Path):
        upper_tiers: dict[str, str] = {}
        counties: dict[str, tuple[int, str]] = {}
        for line, row in _read_csv(path, ("ltla23_code", "utla23_code", "utla23_name")):
            district, upper = row["ltla23_code"], row["utla23_code"]
            if not district.startswith("E"):
                continue
            upper_tiers[district] = upper
            if upper.startswith("E10"):
                counties.setdefault(upper, (line, row["utla23_name"]))
        return upper_tiers, counties

    def _icb_shares(self, path: Path):
        """District -> ICB -> share, summing the sub-ICB rows of one ICB (a district can span two)."""
        shares: dict[str, dict[str, float]] = defaultdict(dict)
        icbs: dict[str, tuple[int, str, str]] = {}
        problems: list[RawRow] = []
        required = ("ltla24_code", "icb24_code", "icb24_name", "icb24_code_nhs", "share_of_ltla_lsoas")
        for line, row in _read_csv(path, required):
            share_text = row["share_of_ltla_lsoas"]
            try:
                share = parse_number(share_text, field="share_of_ltla_lsoas")
            except RowRejected as rejection:
                problems.append(RawRow(line, row, f"{path.name}: {rejection.message}"))
                continue
            if share is None or not 0 < share <= 1:
                problems.append(RawRow(line, row, f"{path.name}: share_of_ltla_lsoas must be above 0 "
                                                  f"and at most 1, not '{share_text}'."))
                continue
            district, icb = row["ltla24_code"], row["icb24_code"]
            shares[district][icb] = round(shares[district].get(icb, 0.0) + share, 4)
            icbs.setdefault(icb, (line, row["icb24_name"], row["icb24_code_nhs"]))
        return shares, icbs, problems

    def _aliases(self, history: Path, history_2223: Path, current: set[str]) -> Iterator[RawRow]:
        """Old district codes from the code history, each pointing at today's district.

        A current district fed by one line of history only changed its code; one fed by several
        lines is a merger, and its predecessors' figures must not stand for it.
        """
        lineages: list[tuple[int, dict[str, str]]] = []
        feeders: Counter[str] = Counter()
        columns = tuple(f"ltla{year}_code" for year in HISTORY_YEARS)
        for line, row in _read_csv(history, columns):
            now = row["ltla24_code"]
            if now.startswith("E"):
                lineages.append((line, row))
                feeders[now] += 1
        feeders_2223: Counter[str] = Counter()
        rows_2223 = []
        for line, row in _read_csv(history_2223, ("ltla22_code", "ltla22_name", "ltla23_code")):
            if row["ltla23_code"].startswith("E"):
                rows_2223.append((line, row))
                feeders_2223[row["ltla23_code"]] += 1

        seen: dict[str, str] = {}
        for line, row in lineages:
            now = row["ltla24_code"]
            same_area = feeders[now] == 1
            for position, year in enumerate(HISTORY_YEARS[:-1]):
                old = row[f"ltla{year}_code"]
                if not old or old == now or old in current or old in seen:
                    continue
                replaced_in = next(
                    later for later in HISTORY_YEARS[position + 1:] if row[f"ltla{later}_code"] != old
                )
                seen[old] = now
                yield RawRow(line, AliasRecord(
                    line, old, row[f"ltla{year}_name"], now, same_area,
                    _alias_note(row[f"ltla{year}_name"], now, row["ltla24_name"], same_area, replaced_in),
                ))
        for line, row in rows_2223:
            old, now = row["ltla22_code"], row["ltla23_code"]
            if old == now or old in current:
                continue
            if old in seen:
                if seen[old] != now:
                    yield RawRow(line, row, (
                        f"{history_2223.name}: {old} leads to {now} here but to {seen[old]} in "
                        f"{history.name}. Check which lookup is right."
                    ))
                continue
            same_area = feeders_2223[now] == 1
            seen[old] = now
            yield RawRow(line, AliasRecord(
                line, old, row["ltla22_name"], now, same_area,
                _alias_note(row["ltla22_name"], now, row.get("ltla23_name", ""), same_area, "23"),
            ))

    # Parsing and storing -------------------------------------------------------------------------

    def before_run(self, run: ImportRun) -> None:
        data_source_ensure("ons-geography")
        self.ids: dict[str, int] = dict(Area.objects.values_list("code", "id"))

    def parse_row(self, row: RawRow):
        if isinstance(row.data, (AreaRecord, AliasRecord)):
            return row.data
        data = row.data
        where = f"{data['file']}: "
        code, name = data["code"], data["name"]
        kind = DISTRICT_KINDS.get(code[:3])
        if kind is None or not GSS_CODE.fullmatch(code):
            raise RowRejected(f"{where}'{_shorten(code)}' is not an English district code (E06, E07, E08 "
                              "or E09 followed by six digits).", field="code")
        if not name:
            raise RowRejected(f"{where}{code} has no name.", field="name")
        if not data["region"].startswith("E12"):
            raise RowRejected(f"{where}{code} has no English region (E12...).", field="region")
        upper_tier = data["upper_tier"]
        if kind == Area.Kind.DISTRICT:
            if not upper_tier.startswith("E10"):
                raise RowRejected(f"{where}{code} {name} is a lower-tier district but "
                                  "lookup_ltla23_utla23.csv gives it no county.", field="upper_tier")
        else:
            upper_tier = ""  # unitary, metropolitan and London councils are their own upper tier
        return AreaRecord(row.line, code, name, kind, region=data["region"], upper_tier=upper_tier,
                          icbs=dict(data["icbs"]))

    def store_batch(self, records: list, run: ImportRun) -> BatchCounts:
        counts = BatchCounts()
        for record in records:
            if isinstance(record, AliasRecord) and record.current not in self.ids:
                # Its current area was rejected above, so there is nothing for the old code to point at.
                self._reject(run, RawRow(record.line, record), RowRejected(
                    f"Old code {record.code} leads to {record.current}, which is not loaded.", field="code",
                ))
                continue
            store = self._store_area if isinstance(record, AreaRecord) else self._store_alias
            outcome = store(record)
            setattr(counts, outcome, getattr(counts, outcome) + 1)
        return counts

    def _store_area(self, record: AreaRecord) -> str:
        wanted = {
            "name": record.name[:150],
            "kind": record.kind,
            "region_id": self.ids.get(record.region),
            "upper_tier_id": self.ids.get(record.upper_tier),
            "nhs_code": record.nhs_code,
        }
        area = Area.objects.filter(code=record.code).first()
        if area is None:
            area = Area.objects.create(code=record.code, **wanted)
            self.ids[record.code] = area.pk
            self._store_icb_links(area, record)
            return "created"
        changed = any(getattr(area, name) != value for name, value in wanted.items())
        if changed:
            for name, value in wanted.items():
                setattr(area, name, value)
            area.save()
        links_changed = self._store_icb_links(area, record)
        return "updated" if changed or links_changed else "unchanged"

    def _store_icb_links(self, area: Area, record: AreaRecord) -> bool:
        if record.kind not in DISTRICT_KINDS.values():
            return False
        wanted = {self.ids[icb]: share for icb, share in record.icbs.items() if icb in self.ids}
        stored = dict(AreaIcb.objects.filter(area=area).values_list("icb_id", "share"))
        if stored == wanted:
            return False
        AreaIcb.objects.filter(area=area).exclude(icb_id__in=wanted).delete()
        for icb_id, share in wanted.items():
            AreaIcb.objects.update_or_create(area=area, icb_id=icb_id, defaults={"share": share})
        return True

    def _store_alias(self, record: AliasRecord) -> str:
        wanted = {"area_id": self.ids[record.current], "name": record.name[:150], "note": record.note[:200],
                  "same_area": record.same_area}
        alias = AreaAlias.objects.filter(code=record.code).first()
        if alias is None:
            AreaAlias.objects.create(code=record.code, **wanted)
            return "created"
        if all(getattr(alias, name) == value for name, value in wanted.items()):
            return "unchanged"
        for name, value in wanted.items():
            setattr(alias, name, value)
        alias.save()
        return "updated"

    def after_run(self, run: ImportRun) -> None:
        # A code that is current now is not an alias, whatever an earlier run stored.
        stale = AreaAlias.objects.filter(code__in=Area.objects.values("code"))
        removed = stale.count()
        stale.delete()
        totals = Counter(Area.objects.values_list("kind", flat=True))
        lines = [f"{Area.Kind(kind).label}: {count}" for kind, count in sorted(totals.items())]
        lines.append(f"Old codes: {AreaAlias.objects.count()} "
                     f"({AreaAlias.objects.filter(same_area=False).count()} of areas since merged)")
        if removed:
            lines.append(f"Removed {removed} old code(s) that are current codes again.")
        self.area_totals = lines

    def log_lines(self) -> list[str]:
        return self.area_totals


def _alias_note(old_name: str, code: str, name: str, same_area: bool, year: str) -> str:
    if same_area:
        return f"Code used for {old_name} until the 20{year} lookup, which gives {code}."
    return f"{old_name} merged into {name or code} ({code}) in the 20{year} lookup."


# ---------------------------------------------------------------------------------------------------
# Priorities from the places' published strategies (YAML)
# ---------------------------------------------------------------------------------------------------

PRIORITY_FIELDS = ("summary", "document_type", "source_title", "source_date", "source_note", "publisher")


@dataclass
class PriorityRecord:
    area_id: int
    title: str
    source_url: str
    summary: str
    document_type: str
    source_title: str
    source_date: str
    source_note: str
    publisher: str
    theme_ids: frozenset[int]


class PrioritiesImporter(BaseImporter):
    """Each place's priorities with their source documents and themes, keyed by (area, title, link).

    The YAML's `date_note` (why a date is missing or uncertain) is kept as the priority's source note.
    """

    source = "priorities"
    allowed_keys: ClassVar[set[str]] = {
        "title", "summary", "themes", "document_type", "source_title", "source_url", "source_date",
        "date_note", "publisher",
    }

    def read_rows(self, location: str) -> Iterator[RawRow]:
        path = Path(location)
        if not path.is_file():
            raise ImportFileError(f"There is no file at {location}. Check the path and try again.")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            raise ImportFileError(f"{location} is not UTF-8 text (byte {error.start}).") from error
        loader = yaml.SafeLoader(text)
        try:
            root = loader.get_single_node()
            if root is None:
                raise ImportFileError(f"{location} is empty.")
            places = self._mapping_value(root, "places")
            if not isinstance(places, yaml.MappingNode):
                raise ImportFileError(f"{location} must have a 'places' mapping of ONS codes to places.")
            for code_node, place_node in places.value:
                yield from self._place_rows(loader, code_node, place_node)
        except yaml.YAMLError as error:
            raise ImportFileError(f"{location} is not valid YAML: {error}") from error
        finally:
            loader.dispose()

    @staticmethod
    def _mapping_value(node, key: str):
        if not isinstance(node, yaml.MappingNode):
            return None
        return next((value for name, value in node.value if getattr(name, "value", None) == key), None)

    def _place_rows(self, loader, code_node, place_node) -> Iterator[RawRow]:
        code = str(code_node.value).strip().upper()
        line = code_node.start_mark.line + 1
        priorities = self._mapping_value(place_node, "priorities")
        if priorities is None:
            yield RawRow(line, {"code": code}, f"Place {code} has no 'priorities' list.")
            return
        if not isinstance(priorities, yaml.SequenceNode):
            yield RawRow(line, {"code": code}, f"Place {code}: 'priorities' must be a list.")
            return
        for item in priorities.value:
            entry = loader.construct_object(item, deep=True)
            yield RawRow(item.start_mark.line + 1, {"code": code, "entry": entry})

    def before_run(self, run: ImportRun) -> None:
        self.areas = AreaIndex.load()
        self.themes = dict(Term.objects.themes().values_list("key", "id"))
        self.url_validator = URLValidator(schemes=["http", "https"])

    def parse_row(self, row: RawRow) -> PriorityRecord:
        code, entry = row.data["code"], row.data["entry"]
        if not isinstance(entry, dict):
            raise RowRejected(f"Each priority of {code} must be a mapping of fields.")
        unknown = sorted(set(entry) - self.allowed_keys)
        if unknown:
            raise RowRejected(f"Unknown field(s) {', '.join(map(str, unknown))}.", field=str(unknown[0]))
        area_id, reason = self.areas.resolve(code)
        if area_id is None:
            raise RowRejected(f"Area {code} is not loaded ({reason}). Import the areas first.", field="code")
        text = {name: str(entry.get(name) or "").strip() for name in (
            "title", "summary", "document_type", "source_title", "source_url", "source_date", "publisher",
            "date_note",
        )}
        for name, message in (
            ("title", "Give the priority a title."),
            ("summary", "Summarise the priority in your own words."),
            ("source_title", "Give the title of the source document."),
            ("source_url", "Give the address of the source document."),
        ):
            if not text[name]:
                raise RowRejected(f"{name} is empty. {message}", field=name)
        for name in ("title", "source_title", "source_url", "source_date", "publisher"):
            check_length(text[name], field=name, limit=Priority._meta.get_field(name).max_length)
        note_limit = Priority._meta.get_field("source_note").max_length
        check_length(text["date_note"], field="date_note", limit=note_limit)
        if text["document_type"] not in Priority.DocumentType.values:
            raise RowRejected(
                f"document_type '{_shorten(text['document_type'])}' is not one of "
                f"{', '.join(Priority.DocumentType.values)}.", field="document_type",
            )
        try:
            self.url_validator(text["source_url"])
        except ValidationError as error:
            raise RowRejected(f"source_url '{_shorten(text['source_url'])}' is not a web address.",
                              field="source_url") from error
        themes = entry.get("themes") or []
        if not isinstance(themes, list):
            raise RowRejected("themes must be a list of theme keys, such as [mental_health].", field="themes")
        themes = [str(key) for key in themes]
        unknown_themes = [key for key in themes if key not in self.themes]
        if unknown_themes:
            raise RowRejected(
                f"Unknown theme(s) {', '.join(unknown_themes)}. "
                f"Use {', '.join(self.themes) or 'the theme keys'} (load the vocabulary first).",
                field="themes",
            )
        return PriorityRecord(
            area_id=area_id, title=text["title"], source_url=text["source_url"], summary=text["summary"],
            document_type=text["document_type"], source_title=text["source_title"],
            source_date=text["source_date"], source_note=text["date_note"], publisher=text["publisher"],
            theme_ids=frozenset(self.themes[key] for key in themes),
        )

    def store_batch(self, records: list[PriorityRecord], run: ImportRun) -> BatchCounts:
        counts = BatchCounts()
        for record in records:
            priority = Priority.objects.filter(
                area_id=record.area_id, title=record.title, source_url=record.source_url,
            ).first()
            if priority is None:
                priority = Priority.objects.create(
                    area_id=record.area_id, title=record.title, source_url=record.source_url,
                    **{name: getattr(record, name) for name in PRIORITY_FIELDS},
                )
                priority.themes.set(record.theme_ids)
                counts.created += 1
                continue
            changed = any(getattr(priority, name) != getattr(record, name) for name in PRIORITY_FIELDS)
            if changed:
                for name in PRIORITY_FIELDS:
                    setattr(priority, name, getattr(record, name))
                priority.save()
            if set(priority.themes.values_list("id", flat=True)) != record.theme_ids:
                priority.themes.set(record.theme_ids)
                changed = True
            if changed:
                counts.updated += 1
            else:
                counts.unchanged += 1
        return counts


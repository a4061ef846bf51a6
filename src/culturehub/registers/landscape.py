"""The cultural landscape of a place: its organisations, museums and Arts Council money, from the registers.

Everything here is public and reads only published listings (money to individuals, which has no
listing, still counts towards its place). A place includes what lies inside it: a county its
districts, a region its councils, an Integrated Care Board the councils linked to it, England all.

The page is read in a fixed, small number of queries whatever the size of the place: the listings in
the place are read once, as plain rows, and the three breakdowns, the filters and the list are all
made from those rows; only the art forms (kept as vocabulary tags) and the page's museums need more.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Q, QuerySet, Sum

from culturehub.directory.models import Organisation, Status
from culturehub.places.models import Area, IndicatorValue
from culturehub.places.selectors import area_ids_within
from culturehub.registers.models import Investment, MuseumDetail, RegisterRecord, Source
from culturehub.registers.sources import SourceInfo, source_info
from culturehub.vocabulary.models import AssignedTag, Term

ENGLAND_CODE = "E92000001"
# OHID Fingertips "Resident population" (ONS mid-year estimates), published by five-year age band:
# a place's population is the sum of its all-persons bands in the latest year held. Where it is not
# loaded for a place the page says so rather than dividing by a figure from anywhere else.
POPULATION_FINGERTIPS_ID = "92708"
# England's total is shown only when the loaded awards reach this share of councils.
ENGLAND_COVERAGE = 0.9
COUNCIL_KINDS = (Area.Kind.DISTRICT, Area.Kind.UNITARY, Area.Kind.METROPOLITAN, Area.Kind.LONDON_BOROUGH)
ORGANISATIONS_PER_PAGE = 25
# Past this many listings the art-form tags are read for every organisation and matched here, rather
# than naming each listing in the query.
TAG_ID_LIMIT = 2000
MUSEUMS_LISTED = 200
NOT_KNOWN = "Not known"
MUSEUM_SIZES = ("small", "medium", "large", "huge", "unknown")


def organisations_in_place(area: Area) -> QuerySet[Organisation]:
    """Published listings a register places in the area, or that say they serve it (or part of it)."""
    ids = area_ids_within(area)
    placed = RegisterRecord.objects.filter(area_id__in=ids).values("organisation_id")
    served = Organisation.areas_served.through.objects.filter(area_id__in=ids).values("organisation_id")
    return Organisation.objects.filter(status=Status.PUBLISHED).filter(Q(pk__in=placed) | Q(pk__in=served))


# ---------------------------------------------------------------------------------------------------
# Counts for charts
# ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    key: str = ""


@dataclass
class Breakdown:
    """One set of counts, drawn as a bar chart with the same figures in a table beside it."""

    key: str
    title: str
    heading: str  # the first column of the table
    bars: list[Bar]
    total: int
    note: str = ""

    @property
    def has_any(self) -> bool:
        return any(bar.value for bar in self.bars)


def _breakdown(key, title, heading, counts: Counter, choices, total, note="") -> Breakdown:
    """Bars in the choices' order, zero counts left out, then anything not in the choices."""
    bars = [Bar(label, counts[value], value) for value, label in choices if counts.get(value)]
    known = {value for value, _ in choices}
    bars += [Bar(NOT_KNOWN if not value else str(value), n, str(value))
             for value, n in counts.items() if value not in known and n]
    return Breakdown(key, title, heading, bars, total, note)


# ---------------------------------------------------------------------------------------------------
# Organisations and their filters
# ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class OrganisationFilters:
    text: str = ""
    art_forms: tuple[str, ...] = ()
    legal_forms: tuple[str, ...] = ()
    income_bands: tuple[str, ...] = ()

    @classmethod
    def from_query(cls, query) -> OrganisationFilters:
        income_values = [*Organisation.IncomeBand.values, "unknown"]
        return cls(
            text=(query.get("q") or "").strip()[:200],
            art_forms=tuple(query.getlist("art_form")),
            legal_forms=tuple(v for v in query.getlist("legal_form") if v in Organisation.LegalForm.values),
            income_bands=tuple(v for v in query.getlist("income_band") if v in income_values),
        )

    @property
    def any(self) -> bool:
        return bool(self.text or self.art_forms or self.legal_forms or self.income_bands)

    def query_items(self) -> list[tuple[str, str]]:
        items = [("q", self.text)] if self.text else []
        items += [("art_form", v) for v in self.art_forms]
        items += [("legal_form", v) for v in self.legal_forms]
        items += [("income_band", v) for v in self.income_bands]
        return items


@dataclass
class OrganisationRow:
    pk: object
    name: str
    town: str
    legal_form: str
    income_band: str
    art_forms: list[str] = field(default_factory=list)  # labels

    @property
    def legal_form_label(self) -> str:
        return dict(Organisation.LegalForm.choices).get(self.legal_form, NOT_KNOWN)

    @property
    def income_band_label(self) -> str:
        return dict(Organisation.IncomeBand.choices).get(self.income_band, NOT_KNOWN)


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    selected: bool


@dataclass(frozen=True)
class FilterGroup:
    name: str
    legend: str
    options: list[Option]


def _art_forms_by_organisation(pks: list) -> dict[str, set[int]]:
    """Art-form term ids on each listing: a person's decision wins over the tagger's, as on its page."""
    if not pks:
        return {}
    wanted = {str(pk) for pk in pks}
    tags = AssignedTag.objects.filter(
        content_type=ContentType.objects.get_for_model(Organisation), term__scheme__key="art_forms"
    )
    if len(wanted) <= TAG_ID_LIMIT:
        tags = tags.filter(object_id__in=wanted)
    decided: dict[tuple[str, int], bool] = {}
    tagged: dict[tuple[str, int], bool] = {}
    for object_id, term_id, source, applies in tags.values_list("object_id", "term_id", "source", "applies"):
        if object_id not in wanted:
            continue
        (decided if source == AssignedTag.Source.PERSON else tagged)[(object_id, term_id)] = applies
    result: dict[str, set[int]] = defaultdict(set)
    for pair, applies in {**tagged, **decided}.items():
        if applies:
            result[pair[0]].add(pair[1])
    return result


def _matches(row: OrganisationRow, terms: set[int], filters: OrganisationFilters, term_ids: set[int]) -> bool:
    if filters.text and not all(word in row.name.lower() for word in filters.text.lower().split()):
        return False
    if filters.legal_forms and row.legal_form not in filters.legal_forms:
        return False
    if filters.income_bands and (row.income_band or "unknown") not in filters.income_bands:
        return False
    return not (term_ids and not terms & term_ids)


# ---------------------------------------------------------------------------------------------------
# Museums and investment
# ---------------------------------------------------------------------------------------------------

@dataclass
class Museums:
    total: int
    by_governance: Breakdown
    by_size: Breakdown
    by_accreditation: Breakdown
    listed: list[MuseumDetail]

    @property
    def shows_all(self) -> bool:
        return len(self.listed) >= self.total


def _museums(area_ids) -> Museums:
    museums = MuseumDetail.objects.filter(area_id__in=area_ids, organisation__status=Status.PUBLISHED)
    governance, size, accredited = Counter(), Counter(), Counter()
    for row in museums.values("governance", "size", "accredited").annotate(n=Count("pk")):
        governance[row["governance"]] += row["n"]
        size[row["size"] or "unknown"] += row["n"]
        accredited["yes" if row["accredited"] else "no"] += row["n"]
    total = sum(governance.values())
    return Museums(
        total=total,
        by_governance=_breakdown("museum-governance", "Museums by governance", "Governance", governance,
                                 [(key, key) for key in sorted(governance)], total),
        by_size=_breakdown("museum-size", "Museums by size", "Size", size,
                           [(key, key.capitalize()) for key in MUSEUM_SIZES], total,
                           note="Size as Mapping Museums estimates it from visitor numbers."),
        by_accreditation=_breakdown("museum-accreditation", "Museums by Arts Council England Accreditation",
                                    "Accreditation", accredited,
                                    [("yes", "Accredited"), ("no", "Not accredited")], total),
        listed=list(museums.order_by("name")[:MUSEUMS_LISTED]) if total else [],
    )


@dataclass
class YearRow:
    year: str
    npo: Decimal = Decimal("0")
    project_grants: Decimal = Decimal("0")
    awards: int = 0

    @property
    def total(self) -> Decimal:
        return self.npo + self.project_grants


@dataclass
class Population:
    value: float
    period: str
    source_name: str


@dataclass
class InvestmentSummary:
    years: list[YearRow]
    total: Decimal
    population: Population | None
    england_total: Decimal | None
    england_population: Population | None
    covers_england: bool = False

    @property
    def per_head(self) -> Decimal | None:
        if not self.population or not self.population.value:
            return None
        return self.total / Decimal(str(self.population.value))

    @property
    def england_per_head(self) -> Decimal | None:
        if self.england_total is None or not self.england_population or not self.england_population.value:
            return None
        return self.england_total / Decimal(str(self.england_population.value))

    @property
    def chart(self) -> Breakdown:
        return Breakdown("investment", "Arts Council England investment by financial year", "Financial year",
                         [Bar(row.year, float(row.total)) for row in self.years], len(self.years))


def _counted_money(queryset):
    """Money on published listings, and money to individuals (no listing)."""
    return queryset.filter(Q(organisation__isnull=True) | Q(organisation__status=Status.PUBLISHED))


def _populations(area: Area, england: Area | None) -> dict[int, Population]:
    """The latest all-persons resident population held for the area and for England, if loaded."""
    ids = [area.pk] + ([england.pk] if england and england.pk != area.pk else [])
    rows = (
        IndicatorValue.objects.filter(
            indicator__external_id=POPULATION_FINGERTIPS_ID, area_id__in=ids, sex="Persons",
            category="", value__isnull=False,
        )
        .exclude(age="All ages")
        .values("area_id", "period", "period_start", "indicator__source__name")
        .annotate(total=Sum("value"), bands=Count("pk"))
        .order_by("area_id", "-period_start")
    )
    found: dict[int, Population] = {}
    for row in rows:
        population = Population(row["total"], row["period"], row["indicator__source__name"])
        found.setdefault(row["area_id"], population)
    return found


def _investment(area: Area, area_ids) -> InvestmentSummary:
    years: dict[str, YearRow] = {}
    rows = (
        _counted_money(Investment.objects.filter(area_id__in=area_ids))
        .values("year", "year_start", "programme")
        .annotate(total=Sum("amount"), awards=Count("pk"))
        .order_by("year_start", "programme")
    )
    for row in rows:
        year = years.setdefault(row["year"], YearRow(row["year"]))
        if row["programme"] == Investment.Programme.NPO:
            year.npo += row["total"]
        else:
            year.project_grants += row["total"]
        year.awards += row["awards"]
    total = sum((year.total for year in years.values()), Decimal("0"))
    england = area if area.code == ENGLAND_CODE else Area.objects.filter(code=ENGLAND_CODE).first()
    populations = _populations(area, england)
    england_population = populations.get(england.pk) if england else None
    england_total = None
    covers_england = _investment_covers_england()
    if england_population and covers_england:
        # England's money includes grants whose council Culture Hub could not place.
        england_total = _counted_money(Investment.objects.all()).aggregate(total=Sum("amount"))["total"] \
            or Decimal("0")
    return InvestmentSummary(list(years.values()), total, populations.get(area.pk), england_total,
                             england_population, covers_england)


def _investment_covers_england() -> bool:
    """Whether the Arts Council data loaded reaches nearly every English council, so that England's
    total means England (the demo loads only its seven places)."""
    councils = Area.objects.filter(kind__in=COUNCIL_KINDS).count()
    reached = Investment.objects.filter(area__kind__in=COUNCIL_KINDS).values("area").distinct().count()
    return bool(councils) and reached >= ENGLAND_COVERAGE * councils


# ---------------------------------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RegisterSource:
    key: str
    info: SourceInfo
    last_read: object  # datetime, or None when Culture Hub has not read the register


def _register_sources() -> dict[str, RegisterSource]:
    latest = RegisterRecord.objects.values("source").annotate(last=Max("last_seen"))
    last = dict(latest.values_list("source", "last"))
    return {key: RegisterSource(key, source_info(key), last.get(key)) for key in Source.values}


# ---------------------------------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------------------------------

@dataclass
class Landscape:
    area: Area
    organisation_total: int
    by_art_form: Breakdown
    by_legal_form: Breakdown
    by_size: Breakdown
    filters: OrganisationFilters
    filter_groups: list[FilterGroup]
    page: Page
    matching: int
    museums: Museums
    investment: InvestmentSummary
    sources: dict[str, RegisterSource]

    @property
    def organisation_sources(self) -> list[RegisterSource]:
        return [source for source in self.sources.values() if source.last_read]

    @property
    def museum_source(self) -> RegisterSource:
        return self.sources[Source.MUSEUMS]

    @property
    def investment_sources(self) -> list[RegisterSource]:
        return [self.sources[Source.ACE_NPO], self.sources[Source.ACE_PROJECT_GRANTS]]


def place_landscape(*, area: Area, filters: OrganisationFilters | None = None, page=None) -> Landscape:
    """Everything the place's culture page shows, for anyone: published listings only."""
    filters = filters or OrganisationFilters()
    area_ids = area_ids_within(area)
    rows = [
        OrganisationRow(*values)
        for values in organisations_in_place(area).order_by("name", "pk").values_list(
            "pk", "name", "town", "legal_form", "income_band")
    ]
    art_terms = list(Term.objects.current().filter(scheme__key="art_forms").order_by("position", "label"))
    term_labels = {term.pk: term.label for term in art_terms}
    tags = _art_forms_by_organisation([row.pk for row in rows])

    art_counts, legal_counts, size_counts = Counter(), Counter(), Counter()
    untagged = 0
    for row in rows:
        terms = tags.get(str(row.pk), set())
        row.art_forms = sorted(term_labels[pk] for pk in terms if pk in term_labels)
        art_counts.update(term_labels[pk] for pk in terms if pk in term_labels)
        untagged += not terms
        legal_counts[row.legal_form] += 1
        size_counts[row.income_band] += 1
    total = len(rows)
    art_choices = [(term.label, term.label) for term in art_terms]
    if untagged:
        art_counts["No art form recorded"] = untagged
        art_choices.append(("No art form recorded", "No art form recorded"))

    wanted_terms = {term.pk for term in art_terms if term.key in filters.art_forms}
    chosen = [row for row in rows if _matches(row, tags.get(str(row.pk), set()), filters, wanted_terms)]
    income_choices = [*Organisation.IncomeBand.choices, ("unknown", "Income not known")]
    legal_choices = Organisation.LegalForm.choices
    return Landscape(
        area=area,
        organisation_total=total,
        by_art_form=_breakdown(
            "art-form", "Cultural organisations by art form", "Art form", art_counts, art_choices, total,
            note="An organisation working in several art forms is counted once under each.",
        ),
        by_legal_form=_breakdown("legal-form", "Cultural organisations by legal form", "Legal form",
                                 legal_counts, Organisation.LegalForm.choices, total),
        by_size=_breakdown("size", "Cultural organisations by size (yearly income)", "Yearly income",
                           size_counts, Organisation.IncomeBand.choices, total),
        filters=filters,
        filter_groups=[
            FilterGroup("art_form", "Art form",
                        [Option(t.key, t.label, t.key in filters.art_forms) for t in art_terms]),
            FilterGroup("legal_form", "Legal form",
                        [Option(v, label, v in filters.legal_forms) for v, label in legal_choices]),
            FilterGroup("income_band", "Size (yearly income)",
                        [Option(v, label, v in filters.income_bands) for v, label in income_choices]),
        ],
        page=Paginator(chosen, ORGANISATIONS_PER_PAGE).get_page(page),
        matching=len(chosen),
        museums=_museums(area_ids),
        investment=_investment(area, area_ids),
        sources=_register_sources(),
    )

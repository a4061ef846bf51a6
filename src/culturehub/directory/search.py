"""Searching the directory: one selector, `offer_search`, over the database's own full-text search.

SQLite uses a contentless FTS5 index (`directory_offer_fts`, with `directory_offer_fts_map` giving each
offer the integer key FTS5 needs), kept in step with `Offer.search_text` by triggers made in migration
0002_search, ranked by bm25; PostgreSQL uses `to_tsvector`/`to_tsquery` with a GIN index from the
same migration, ranked by ts_rank. Everything else (visibility, filters, facets, places) is plain ORM and
runs the same on both.

Facets follow the usual rule: the count beside each option is the number of results the search would give
if that option were ticked, all other filters kept; so each facet is counted over the results filtered by
every filter except its own.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connection
from django.db.models import Count, Q, QuerySet, prefetch_related_objects
from django.db.models.expressions import RawSQL

from culturehub.core.permissions import is_administrator
from culturehub.directory.models import (
    Consortium,
    ConsortiumMember,
    Offer,
    Organisation,
    OrganisationMembership,
    Status,
)
from culturehub.places.models import Area, AreaIcb
from culturehub.vocabulary.models import Term

ENGLAND_CODE = "E92000001"
# Postgres text search configuration; the GIN index in 0002_search is built with the same one.
PG_CONFIG = "english"
LOWER_TIER_KINDS = (Area.Kind.DISTRICT, Area.Kind.UNITARY, Area.Kind.METROPOLITAN, Area.Kind.LONDON_BOROUGH)

# Filter name -> (vocabulary scheme key, the Offer many-to-many field holding those terms).
TERM_FACETS = {
    "themes": ("themes", "themes"),
    "art_forms": ("art_forms", "art_forms"),
    "populations": ("populations", "populations"),
    "settings": ("settings", "delivery_settings"),
    "outcomes": ("outcomes", "outcomes"),
}
FACET_LABELS = {
    "themes": "Priority theme",
    "art_forms": "Art form",
    "populations": "Who it is for",
    "settings": "Setting",
    "outcomes": "Outcome",
    "price": "Price",
    "referral_routes": "Referral route",
    "consortium": "Consortium",
}
FACET_ORDER = tuple(FACET_LABELS)


# ---------------------------------------------------------------------------------------------------
# Who sees what
# ---------------------------------------------------------------------------------------------------

def visible_offers(user) -> QuerySet[Offer]:
    """Offers this person may see: published offers of published organisations for everyone; signed-in
    members also see their own organisations' drafts, and administrators see every draft.

    Archived records are left out of lists for everyone (their pages may still show them to owners).
    """
    published = Q(status=Status.PUBLISHED, organisation__status=Status.PUBLISHED)
    if user is None or not user.is_authenticated:
        return Offer.objects.filter(published)
    live = [Status.DRAFT, Status.PUBLISHED]
    if is_administrator(user):
        return Offer.objects.filter(status__in=live, organisation__status__in=live)
    own = OrganisationMembership.objects.filter(user=user).values("organisation_id")
    return Offer.objects.filter(
        published | Q(organisation_id__in=own, status__in=live, organisation__status__in=live)
    )


# ---------------------------------------------------------------------------------------------------
# Places: what covers a place, what lies within it
# ---------------------------------------------------------------------------------------------------

def _england_id() -> int | None:
    return Area.objects.filter(code=ENGLAND_CODE).values_list("pk", flat=True).first()


def _covering_ids(area: Area) -> set[int]:
    ids = {area.pk}
    if area.code == ENGLAND_CODE:
        return ids
    england = _england_id()
    if england:
        ids.add(england)
    if area.region_id:
        ids.add(area.region_id)
    if area.kind in LOWER_TIER_KINDS:
        if area.upper_tier_id:
            ids.add(area.upper_tier_id)
        ids.update(AreaIcb.objects.filter(area=area).values_list("icb_id", flat=True))
    elif area.kind == Area.Kind.COUNTY:
        # An ICB covers the whole county only when it is linked to every one of the county's districts.
        districts = Area.objects.filter(upper_tier=area).exclude(pk=area.pk)
        wanted = districts.count()
        if wanted:
            whole = (
                AreaIcb.objects.filter(area__in=districts).values("icb_id")
                .annotate(n=Count("area_id", distinct=True)).filter(n=wanted)
            )
            ids.update(row["icb_id"] for row in whole)
    elif area.kind == Area.Kind.ICB:
        regions = set(
            Area.objects.filter(icb_links__icb=area).exclude(region=None).values_list("region_id", flat=True)
        )
        if len(regions) == 1:
            ids.update(regions)
    return ids


def areas_covering(area: Area) -> QuerySet[Area]:
    """The areas whose whole territory includes this one: itself, and (as they apply) its county, its
    ICBs, its region and England. An offer serving any of them serves all of `area`."""
    return Area.objects.filter(pk__in=_covering_ids(area))


def areas_within(area: Area) -> QuerySet[Area]:
    """The areas lying inside this one (not itself): an offer serving one of them serves part of `area`.

    England holds every area; a region its counties, councils and the ICBs wholly inside it; a county its
    districts; an ICB the councils linked to it (and any county all of whose districts are). A district
    holds nothing.
    """
    others = Area.objects.exclude(pk=area.pk)
    if area.code == ENGLAND_CODE:
        return others
    if area.kind == Area.Kind.REGION:
        in_region = Q(region=area) | Q(upper_tier__region=area)
        icbs_outside = AreaIcb.objects.exclude(area__region=area).values("icb_id")
        icbs_inside = (
            AreaIcb.objects.filter(area__region=area).exclude(icb_id__in=icbs_outside).values("icb_id")
        )
        return others.filter(in_region | Q(pk__in=icbs_inside)).distinct()
    if area.kind == Area.Kind.COUNTY:
        return others.filter(upper_tier=area)
    if area.kind == Area.Kind.ICB:
        linked = AreaIcb.objects.filter(icb=area).values("area_id")
        unlinked = Area.objects.exclude(pk__in=linked).exclude(upper_tier=None).values("upper_tier_id")
        counties = (
            Area.objects.filter(kind=Area.Kind.COUNTY, districts__pk__in=linked).exclude(pk__in=unlinked)
        )
        return others.filter(Q(pk__in=linked) | Q(pk__in=counties.values("pk"))).distinct()
    return Area.objects.none()


# ---------------------------------------------------------------------------------------------------
# Full text
# ---------------------------------------------------------------------------------------------------

# From FTS5 rowids to offers and back, through the map table (one JSON list parameter).
MAP_BY_ROWID_SQL = (
    "SELECT offer_id, rowid FROM directory_offer_fts_map WHERE rowid IN (SELECT value FROM json_each(%s))"
)
MAP_BY_OFFER_SQL = (
    "SELECT offer_id, rowid FROM directory_offer_fts_map WHERE offer_id IN (SELECT value FROM json_each(%s))"
)
# The facet counts: the base set of offers computed once (MATERIALIZED: SQLite 3.35+, PostgreSQL 12+).
FACETS_SQL = "WITH base (id) AS MATERIALIZED (<base>) <counts>"
TOTAL_SQL = "SELECT 'total', '', COUNT(*) FROM base"
TERM_COUNT_SQL = (
    "SELECT %s, CAST(term_id AS TEXT), COUNT(*) FROM <table> WHERE offer_id IN (SELECT id FROM base) "
    "GROUP BY term_id"
)
PRICE_COUNT_SQL = (
    "SELECT %s, price, COUNT(*) FROM directory_offer WHERE id IN (SELECT id FROM base) GROUP BY price"
)
# Referral routes are a JSON list; as text, a quoted key cannot match inside another key.
ROUTE_COUNT_SQL = (
    "SELECT %s, %s, COUNT(*) FROM directory_offer WHERE id IN (SELECT id FROM base) "
    "AND CAST(referral_routes AS TEXT) LIKE %s"
)
CONSORTIUM_COUNT_SQL = (
    "SELECT %s, %s, COUNT(*) FROM directory_offer WHERE id IN (SELECT id FROM base) "
    "AND organisation_id IN (<members>)"
)
TERM_CONDITION = (
    "{t}.term_id IN (SELECT vt.id FROM vocabulary_term AS vt JOIN vocabulary_scheme AS vs "
    "ON vs.id = vt.scheme_id WHERE vs.key = %s AND vt.key IN (<keys>))"
)
WORD = re.compile(r"\w+", re.UNICODE)


def search_words(text: str) -> list[str]:
    """The words of what someone typed, lower case, punctuation and search operators dropped."""
    return [word.lower() for word in WORD.findall(text or "")][:20]


def fts5_query(words: list[str]) -> str:
    """An FTS5 MATCH expression: every word quoted (so AND, OR, NEAR, * and quotes are plain text), all
    required, the last matched as a prefix because people search while still typing."""
    quoted = ['"' + word.replace('"', '""') + '"' for word in words]
    if quoted:
        quoted[-1] += "*"
    return " ".join(quoted)


def tsquery_text(words: list[str]) -> str:
    """A to_tsquery expression for the same words; `search_words` leaves only letters, digits and _."""
    parts = [f"'{word}'" for word in words]
    if parts:
        parts[-1] += ":*"
    return " & ".join(parts)


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


@dataclass
class IdSet:
    """Offers picked through one table: `condition` (with {t} for the table's alias) over `table`,
    whose `column` holds offer ids. Fixed SQL text; every value is in `params`."""

    table: str
    column: str
    condition: str
    params: tuple

    def where(self, alias: str) -> str:
        return self.condition.replace("{t}", alias)


def _text_set(words: list[str]) -> IdSet:
    if _is_postgres():
        # The same expression as SearchVector/SearchQuery produce, so the GIN index from 0002 serves it.
        return IdSet(
            "directory_offer", "id",
            f"to_tsvector('{PG_CONFIG}'::regconfig, COALESCE({{t}}.search_text, '')) "
            f"@@ to_tsquery('{PG_CONFIG}'::regconfig, %s)",
            (tsquery_text(words),),
        )
    return IdSet(
        "directory_offer_fts_map", "offer_id",
        "{t}.rowid IN (SELECT rowid FROM directory_offer_fts WHERE directory_offer_fts MATCH %s)",
        (fts5_query(words),),
    )


def _read_ids(id_set: IdSet, *, within: list[str] | None) -> list[str]:
    """The offer ids in a set, or only those of `within` that are in it."""
    sql = f"SELECT DISTINCT s0.{id_set.column} FROM {id_set.table} AS s0 WHERE {id_set.where('s0')}"  # noqa: S608
    params: tuple = id_set.params
    if within is not None:
        if not within:
            return []
        sql += f" AND s0.{id_set.column} IN ({_id_list_sql()})"
        params = (*params, json.dumps(within))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return sorted(str(row[0]) for row in cursor.fetchall())


def _id_list_sql() -> str:
    """A subquery over one parameter, a JSON list of offer ids (one parameter however many ids)."""
    if _is_postgres():
        return "SELECT value::uuid FROM json_array_elements_text(%s::json)"
    return "SELECT value FROM json_each(%s)"


# ---------------------------------------------------------------------------------------------------
# The search
# ---------------------------------------------------------------------------------------------------

@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    key: str
    label: str
    options: list[FacetOption]

    @property
    def selected(self) -> list[FacetOption]:
        return [option for option in self.options if option.selected]


@dataclass
class PlaceMatch:
    """How an offer meets the place searched for: all of it, or part of it through the areas listed."""

    whole: bool
    part_areas: list[Area] = field(default_factory=list)


@dataclass
class Hit:
    offer: Offer
    place_match: PlaceMatch | None = None


@dataclass
class SearchResult:
    page: Page
    total: int
    facets: dict[str, Facet]
    place: Area | None
    text: str

    @property
    def hits(self) -> list[Hit]:
        return list(self.page.object_list)


class _Total:
    """Lets Django's Paginator work from a count we already have."""

    def __init__(self, total: int):
        self.total = total

    def count(self) -> int:
        return self.total


def _as_tuple(value) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(item) for item in value if item not in (None, ""))


class OfferQuery:
    """One search's filters, turned into querysets: the filtered set, each facet's set, the ranked ids."""

    def __init__(self, *, user, text="", place: Area | None = None, themes=(), art_forms=(), populations=(),
                 settings=(), outcomes=(), price=None, referral_routes=(), consortium=None):
        self.user = user
        self.text = (text or "").strip()
        self.words = search_words(self.text)
        self.place = place
        self.terms = {
            "themes": _as_tuple(themes), "art_forms": _as_tuple(art_forms),
            "populations": _as_tuple(populations), "settings": _as_tuple(settings),
            "outcomes": _as_tuple(outcomes),
        }
        self.price = _as_tuple(price)
        self.referral_routes = _as_tuple(referral_routes)
        consortium_id = getattr(consortium, "pk", consortium)
        # Raises ValueError for something that is not a consortium id (forms check before calling).
        self.consortium = str(uuid.UUID(str(consortium_id))) if consortium_id else ""
        self.covering: set[int] = set()
        self.within: set[int] = set()
        self._chains: dict[tuple[str, ...], list[str]] = {}
        self._scores: dict[int, float] | None = None  # SQLite: FTS5 rowid -> bm25
        self._offer_scores: dict[str, float] = {}  # SQLite: offer id (hex) -> bm25
        self._ranked: list[str] | None = None
        if place is not None:
            self.covering = _covering_ids(place)
            self.within = set(areas_within(place).values_list("pk", flat=True)) - self.covering

    # The filters come in two kinds. Those that pick offers through another table (words, place, terms)
    # give sets of offer ids, intersected before any offer row is read: offer rows are wide
    # (search_text), so reading thousands of them to discard most is the slow part. The rest test the
    # offer's own columns.
    def _id_sets(self) -> dict[str, IdSet]:
        sets: dict[str, IdSet] = {}
        if self.place is not None:
            areas = sorted(self.covering | self.within)
            table = Offer.areas_served.through._meta.db_table
            if self.place.code == ENGLAND_CODE:
                # Every area is in England: any offer that serves somewhere serves (part of) it.
                sets["place"] = IdSet(table, "offer_id", "{t}.area_id IS NOT NULL", ())
            else:
                condition = "{t}.area_id IN (" + ", ".join(["%s"] * len(areas)) + ")"
                sets["place"] = IdSet(table, "offer_id", condition, tuple(areas))
        for name, (scheme, field_name) in TERM_FACETS.items():
            keys = self.terms[name]
            if keys:
                sets[name] = IdSet(
                    getattr(Offer, field_name).through._meta.db_table, "offer_id",
                    TERM_CONDITION.replace("<keys>", ", ".join(["%s"] * len(keys))),
                    (scheme, *keys),
                )
        if self.words:
            sets["text"] = _text_set(self.words)
        return sets

    def _row_filters(self) -> dict[str, Q]:
        filters: dict[str, Q] = {}
        if self.price:
            filters["price"] = Q(price__in=self.price)
        if self.referral_routes:
            # JSON lists are stored as text on SQLite; the quoted key cannot match inside another key.
            routes = Q()
            for route in self.referral_routes:
                routes |= Q(referral_routes__icontains=f'"{route}"')
            filters["referral_routes"] = routes
        if self.consortium:
            filters["consortium"] = Q(organisation_id__in=_consortium_organisations([self.consortium]))
        return filters

    def _ids_without(self, without: str | None) -> list[str] | None:
        """The offer ids every id-set filter but `without` agrees on; None when no such filter applies.

        The sets are taken in order (place, then terms, then words: usually smallest first). The first is
        read whole; each next one only checks the ids still in hand, through its table's offer index. So
        no statement handles tens of thousands of ids, and the search's statements (the count with the
        facets, a ticked facet's counts, the ranked page) share the work through `_chains`."""
        sets = self._id_sets()
        names = tuple(name for name in sets if name != without)
        if not names:
            return None
        ids: list[str] | None = None
        for length in range(1, len(names) + 1):
            chain = names[:length]
            if chain not in self._chains:
                if chain[-1] == "text" and not _is_postgres():
                    self._chains[chain] = self._read_text_ids(within=ids)
                else:
                    self._chains[chain] = _read_ids(sets[chain[-1]], within=ids)
            ids = self._chains[chain]
        return ids

    def _read_text_ids(self, *, within: list[str] | None) -> list[str]:
        """SQLite: the offers matching the words (of `within`, if given). FTS5 is read once per search,
        every match with its bm25 score, which then serves each statement and the ranking: walking the
        index and scoring thousands of matches is the dearest step, so it is done only once."""
        if self._scores is None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT rowid, bm25(directory_offer_fts) FROM directory_offer_fts "
                    "WHERE directory_offer_fts MATCH %s", (fts5_query(self.words),),
                )
                self._scores = dict(cursor.fetchall())
        if within is None:
            sql, ids = MAP_BY_ROWID_SQL, list(self._scores)
        elif within:
            sql, ids = MAP_BY_OFFER_SQL, within
        else:
            return []
        with connection.cursor() as cursor:
            cursor.execute(sql, (json.dumps(ids),))
            rows = cursor.fetchall()
        kept = []
        for offer_id, rowid in rows:
            if rowid in self._scores:
                self._offer_scores[offer_id] = self._scores[rowid]
                kept.append(offer_id)
        return sorted(kept)

    def filtered(self, *, without: str | None = None) -> QuerySet[Offer]:
        """The visible offers meeting every filter but `without` (a facet name)."""
        offers = visible_offers(self.user)
        ids = self._ids_without(without)
        if ids is not None:
            offers = offers.filter(pk__in=RawSQL(_id_list_sql(), (json.dumps(ids),)))  # noqa: S611
        for name, condition in self._row_filters().items():
            if name != without:
                offers = offers.filter(condition)
        return offers

    def ranked_ids(self, *, offset: int, limit: int) -> list:
        """The ids of one slice of the results, best first (by name when there is no text)."""
        offers = self.filtered()
        if not self.words:
            return list(offers.order_by("name", "pk").values_list("pk", flat=True)[offset:offset + limit])
        if _is_postgres():
            from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

            query = SearchQuery(tsquery_text(self.words), config=PG_CONFIG, search_type="raw")
            ranked = offers.annotate(
                rank=SearchRank(SearchVector("search_text", config=PG_CONFIG), query)
            ).order_by("-rank", "name", "pk")
            return list(ranked.values_list("pk", flat=True)[offset:offset + limit])
        if self._ranked is None:
            # Every result already has its bm25 score from the one FTS5 read (lower is better).
            rows = offers.order_by().values_list("pk", "name")
            scored = sorted((self._offer_scores.get(pk.hex, 0.0), name, pk.hex) for pk, name in rows)
            self._ranked = [pk for _score, _name, pk in scored]
        return self._ranked[offset:offset + limit]

    def offers_for(self, ids: list) -> list[Offer]:
        """The offers for these ids, in the same order, with what the results list shows."""
        offers = (
            Offer.objects.filter(pk__in=ids)
            .select_related("organisation")
            .prefetch_related("themes", "areas_served")
        )
        by_id = {offer.pk.hex: offer for offer in offers}
        return [by_id[_hex(pk)] for pk in ids if _hex(pk) in by_id]

    def place_match(self, offer: Offer, areas_by_id: dict[int, Area]) -> PlaceMatch | None:
        if self.place is None:
            return None
        served = {area.pk for area in offer.areas_served.all()}
        if served & self.covering:
            return PlaceMatch(whole=True)
        parts = sorted((areas_by_id[pk] for pk in served & self.within if pk in areas_by_id),
                       key=lambda area: area.name)
        return PlaceMatch(whole=False, part_areas=parts)

    def hits_for(self, ids: list) -> list[Hit]:
        offers = self.offers_for(ids)
        areas_by_id = {area.pk: area for offer in offers for area in offer.areas_served.all()}
        return [Hit(offer=offer, place_match=self.place_match(offer, areas_by_id)) for offer in offers]

    # Facets ----------------------------------------------------------------------------------------
    def _active(self) -> set[str]:
        active = {name for name, keys in self.terms.items() if keys}
        for name, value in (("price", self.price), ("referral_routes", self.referral_routes),
                            ("consortium", self.consortium)):
            if value:
                active.add(name)
        return active

    def facets(self) -> tuple[dict[str, Facet], int]:
        """Every facet's counts, and the number of results. Facets with no option ticked share one base
        (the results themselves), so they are counted together, with the total, in one query; each facet
        with a ticked option needs its own base (the results without that filter) and its own query."""
        terms = _terms_by_scheme()
        consortia = list(Consortium.objects.filter(status=Status.PUBLISHED).order_by("name", "pk"))
        if self.consortium and not any(str(c.pk) == self.consortium for c in consortia):
            consortia += list(Consortium.objects.filter(pk=self.consortium))
        active = self._active()
        counts: dict[tuple[str, str], int] = {}
        groups = [(None, [name for name in FACET_ORDER if name not in active])]
        groups += [(name, [name]) for name in FACET_ORDER if name in active]
        for without, names in groups:
            if names or without is None:
                counts.update(self._count_facets(without, names, consortia))

        facets: dict[str, Facet] = {}
        for name, (scheme, _field) in TERM_FACETS.items():
            selected = set(self.terms[name])
            facets[name] = Facet(name, FACET_LABELS[name], [
                FacetOption(term.key, term.label, counts.get((name, str(term.pk)), 0), term.key in selected)
                for term in terms.get(scheme, [])
                if not term.retired or term.key in selected or counts.get((name, str(term.pk)))
            ])
        facets["price"] = Facet("price", FACET_LABELS["price"], [
            FacetOption(value, label, counts.get(("price", value), 0), value in self.price)
            for value, label in Offer.Price.choices
        ])
        facets["referral_routes"] = Facet("referral_routes", FACET_LABELS["referral_routes"], [
            FacetOption(value, label, counts.get(("referral_routes", value), 0),
                        value in self.referral_routes)
            for value, label in Offer.REFERRAL_ROUTES
        ])
        facets["consortium"] = Facet("consortium", FACET_LABELS["consortium"], [
            FacetOption(str(c.pk), c.name, counts.get(("consortium", str(c.pk)), 0),
                        str(c.pk) == self.consortium)
            for c in consortia
        ])
        return {name: facets[name] for name in FACET_ORDER}, counts.get(("total", ""), 0)

    def _count_facets(self, without: str | None, names: list[str], consortia) -> dict[tuple[str, str], int]:
        """One query: the base set materialised once, then a GROUP BY per facet, joined by UNION ALL."""
        base_sql, base_params = self.filtered(without=without).order_by().values("pk").query.sql_with_params()
        parts: list[str] = [TOTAL_SQL] if without is None else []
        params: list = list(base_params)
        for name in names:
            if name in TERM_FACETS:
                table = getattr(Offer, TERM_FACETS[name][1]).through._meta.db_table
                parts.append(TERM_COUNT_SQL.replace("<table>", table))
                params.append(name)
            elif name == "price":
                parts.append(PRICE_COUNT_SQL)
                params.append(name)
            elif name == "referral_routes":
                for value, _label in Offer.REFERRAL_ROUTES:
                    parts.append(ROUTE_COUNT_SQL)
                    params.extend([name, value, f'%"{value}"%'])
            elif name == "consortium":
                for consortium in consortia:
                    members = _consortium_organisations([consortium.pk]).query
                    members_sql, members_params = members.sql_with_params()
                    parts.append(CONSORTIUM_COUNT_SQL.replace("<members>", members_sql))
                    params.extend([name, str(consortium.pk), *members_params])
        if not parts:
            return {}
        sql = FACETS_SQL.replace("<base>", base_sql).replace("<counts>", " UNION ALL ".join(parts))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return {(facet, str(value)): count for facet, value, count in cursor.fetchall()}


def _hex(pk) -> str:
    return pk.hex if hasattr(pk, "hex") else str(pk).replace("-", "")


def _consortium_organisations(consortium_ids):
    """A consortium's collective offer is its active members' offers, and its lead's."""
    members = ConsortiumMember.objects.filter(
        consortium_id__in=consortium_ids, state=ConsortiumMember.State.ACTIVE
    ).exclude(organisation=None).values("organisation_id")
    leads = Consortium.objects.filter(pk__in=consortium_ids).exclude(lead=None).values("lead_id")
    return Organisation.objects.filter(Q(pk__in=members) | Q(pk__in=leads)).values("pk")


def _terms_by_scheme() -> dict[str, list[Term]]:
    terms: dict[str, list[Term]] = {}
    schemes = [scheme for scheme, _field in TERM_FACETS.values()]
    for term in Term.objects.filter(scheme__key__in=schemes).select_related("scheme").order_by(
        "scheme__position", "position", "key"
    ):
        terms.setdefault(term.scheme.key, []).append(term)
    return terms


def offer_search(*, user, text: str = "", place: Area | None = None, themes: Iterable[str] = (),
                 art_forms: Iterable[str] = (), populations: Iterable[str] = (), settings: Iterable[str] = (),
                 outcomes: Iterable[str] = (), price=None, referral_routes: Iterable[str] = (),
                 consortium=None, page: int = 1, per_page: int = 25) -> SearchResult:
    """Search the offers this user may see: ranked by relevance to `text` (by name without text), with a
    count for every facet option, one page of hits. Terms are given by their vocabulary keys; `place` is an
    Area (offers serving it, anything covering it, or part of it); `consortium` a Consortium or its id."""
    query = OfferQuery(
        user=user, text=text, place=place, themes=themes, art_forms=art_forms, populations=populations,
        settings=settings, outcomes=outcomes, price=price, referral_routes=referral_routes,
        consortium=consortium,
    )
    facets, total = query.facets()
    paginator = Paginator(_Total(total), per_page)
    try:
        number = paginator.validate_number(page)
    except EmptyPage:
        number = paginator.num_pages
    except PageNotAnInteger:
        number = 1
    offset = (number - 1) * per_page
    hits = query.hits_for(query.ranked_ids(offset=offset, limit=per_page)) if total else []
    return SearchResult(
        page=Page(hits, number, paginator), total=total, facets=facets, place=place, text=query.text,
    )


def offer_search_rows(*, user, batch_size: int = 500, **filters) -> Iterator[Hit]:
    """Every result of a search, best first, fetched a batch at a time (for the CSV download)."""
    query = OfferQuery(user=user, **filters)
    offset = 0
    while True:
        ids = query.ranked_ids(offset=offset, limit=batch_size)
        if not ids:
            return
        offers = query.offers_for(ids)
        # The CSV lists every vocabulary field, so fetch them with the batch.
        prefetch_related_objects(offers, "art_forms", "populations", "delivery_settings", "outcomes")
        areas_by_id = {area.pk: area for offer in offers for area in offer.areas_served.all()}
        for offer in offers:
            yield Hit(offer=offer, place_match=query.place_match(offer, areas_by_id))
        if len(ids) < batch_size:
            return
        offset += batch_size


# ---------------------------------------------------------------------------------------------------
# Keeping the SQLite index whole
# ---------------------------------------------------------------------------------------------------

def search_index_ensure(*, using: str = "default", **_signal_kwargs) -> bool:
    """Recreate the SQLite FTS5 triggers and refill the index if a later migration dropped them.

    Django's SQLite schema editor rebuilds a table to alter it (copy, drop, rename), which drops its
    triggers; this puts them back. Meant for a post_migrate signal; returns True when it had to rebuild.
    """
    from importlib import import_module

    from django.db import connections

    db = connections[using]
    if db.vendor != "sqlite":
        return False
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'directory_offer_fts_%%'"
        )
        if cursor.fetchone()[0] == 3:
            return False
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'directory_offer'")
        if not cursor.fetchone()[0]:
            return False
        migration = import_module("culturehub.directory.migrations.0002_search")
        for statement in migration.SQLITE_DROP[:3] + migration.SQLITE_CREATE:
            cursor.execute(statement)
    return True

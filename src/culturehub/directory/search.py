"""Searching the directory: one selector, `offer_search`, over the database's own full-text search.

SQLite uses a contentless FTS5 index (`directory_offer_fts`, with `directory_offer_fts_map` giving each
offer the integer key FTS5 needs), kept in step with `Offer.search_text` by triggers made in migration
0002_search, ranked by bm25; PostgreSQL matches `to_tsquery` against `directory_offer.search_vector`, a
stored generated `to_tsvector` of search_text with a GIN index (migration 0007_search_vector), ranked by
ts_rank. Places are worked out with the ORM.

A search is one SQL statement (see `OfferQuery._run`): the offers meeting the place and the words are
found and materialised inside the database (on SQLite with their bm25 scores, read in the same walk of the
FTS5 index), each ticked facet as a 0/1 column, and from them the total,
every facet's counts and the ranked ids of the page shown, so no list of ids travels between Python and
the database. Only the page's offers are then read as models.

Facets follow the usual rule: the count beside each option is the number of results the search would give
if that option were ticked, all other filters kept; so each facet is counted over the results filtered by
every filter except its own.
"""

from __future__ import annotations

import re
import sys
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects

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
# Postgres text search configuration; the stored search_vector column (0007_search_vector) uses the same.
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
# Organisation columns neither the results list nor the CSV shows, left unread.
ORGANISATION_UNSHOWN = ("description", "accessibility", "address")


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
# Every statement of a search starts from the same set: the visible offers meeting the place and the
# words, materialised once (MATERIALIZED: SQLite 3.35+, PostgreSQL 12+) with the columns the counts and
# the ranking read, so no statement goes back to the wide offer rows (search_text) for them.
# "CROSS JOIN" fixes SQLite's join order (PostgreSQL plans it freely): the results, a few hundred or
# thousand rows, drive; the other table is reached through its offer index.
TOTAL_SQL = "SELECT 'total', '', COUNT(*) FROM base"
TERM_COUNT_SQL = (
    "SELECT %s, CAST(t.term_id AS TEXT), COUNT(*) FROM <source> AS b CROSS JOIN <table> AS t "
    "WHERE t.offer_id = b.id GROUP BY t.term_id"
)
PRICE_COUNT_SQL = "SELECT %s, price, COUNT(*) FROM <source> GROUP BY price"
# Referral routes are a JSON list; as text, a quoted key cannot match inside another key.
ROUTE_CONDITION = "CAST(<routes> AS TEXT) LIKE %s"
ROUTE_COUNT_SQL = "SELECT %s, %s, COUNT(*) FROM <source> WHERE CAST(routes AS TEXT) LIKE %s"
CONSORTIUM_COUNT_SQL = "SELECT %s, %s, COUNT(*) FROM <source> WHERE org IN (<members>)"
# One slice of the results in order, `pos` counting from 1.
PAGE_SQL = "SELECT 'page', CAST(id AS TEXT), pos FROM (<ranked>) AS ranked WHERE pos > %s AND pos <= %s"
TERM_IDS = (
    "SELECT vt.id FROM vocabulary_term AS vt JOIN vocabulary_scheme AS vs "
    "ON vs.id = vt.scheme_id WHERE vs.key = %s AND vt.key IN (<keys>)"
)
# SQLite: the offers whose text matches, through the FTS5 index and its rowid map.
FTS_ROWIDS = "SELECT rowid FROM directory_offer_fts WHERE directory_offer_fts MATCH %s"
FTS_OFFERS = f"SELECT offer_id FROM directory_offer_fts_map WHERE rowid IN ({FTS_ROWIDS})"  # noqa: S608
FTS_CHECK = (
    "EXISTS (SELECT 1 FROM directory_offer_fts_map AS m WHERE m.offer_id = <id> "  # noqa: S608
    f"AND m.rowid IN ({FTS_ROWIDS}))"
)
# SQLite with words: the FTS5 index drives. Its matches are walked once, each kept only if it meets the
# place (a set of FTS5 rowids made first; "+" makes it a membership test, not a lookup per rowid), then
# joined to its offer through the map's integer key; bm25 (lower is better) is read in the same pass, so
# only those results are scored and the index is not walked a second time to rank them.
FTS_SOURCE = (
    "directory_offer_fts CROSS JOIN directory_offer_fts_map AS m CROSS JOIN <offers> AS o",
    "directory_offer_fts MATCH %s AND m.rowid = directory_offer_fts.rowid AND o.id = m.offer_id",
)
FTS_WITHIN = (
    "+directory_offer_fts.rowid IN (SELECT p.rowid FROM (<ids>) AS d "  # noqa: S608
    "CROSS JOIN directory_offer_fts_map AS p WHERE p.offer_id = d.offer_id)"
)
FTS_SCORE = "bm25(directory_offer_fts)"
# PostgreSQL: the stored generated column of migration 0007, to_tsvector(PG_CONFIG, search_text) kept
# by the database, with its GIN index. Matching and ranking read it rather than computing the vector
# again from each result's text, which took most of a search's time.
PG_VECTOR = "o.search_vector"
PG_QUERY = f"to_tsquery('{PG_CONFIG}'::regconfig, %s)"
PG_RANKED_SQL = (
    f"SELECT b.id, ROW_NUMBER() OVER (ORDER BY ts_rank({PG_VECTOR}, {PG_QUERY}) DESC, b.name, b.id) "  # noqa: S608
    "AS pos FROM base AS b JOIN directory_offer AS o ON o.id = b.id"
)
NAME_RANKED_SQL = "SELECT id, ROW_NUMBER() OVER (ORDER BY name, id) AS pos FROM base"
FTS_RANKED_SQL = "SELECT id, ROW_NUMBER() OVER (ORDER BY score, name, id) AS pos FROM base"
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
    """A filter that picks offers through another table, in two forms over the same parameters: `ids`, a
    query of the offer ids it picks (to start from), and `check`, a condition on an offer id (to test
    offers already in hand; <id> stands for the column holding it). Fixed SQL text; every value is in
    `params`."""

    ids: str
    check: str
    params: tuple

    def check_on(self, column: str) -> str:
        return self.check.replace("<id>", column)


def _through_set(table: str, condition: str, params: tuple) -> IdSet:
    """Offers through a many-to-many table, `condition` being on its alias t."""
    return IdSet(
        f"SELECT DISTINCT t.offer_id FROM {table} AS t WHERE {condition}",  # noqa: S608
        f"EXISTS (SELECT 1 FROM {table} AS t WHERE t.offer_id = <id> AND {condition})",  # noqa: S608
        params,
    )


def _text_set(words: list[str]) -> IdSet:
    if _is_postgres():
        return IdSet(
            f"SELECT o.id AS offer_id FROM directory_offer AS o WHERE {PG_VECTOR} @@ {PG_QUERY}",  # noqa: S608
            f"{PG_VECTOR} @@ {PG_QUERY}",
            (tsquery_text(words),),
        )
    return IdSet(FTS_OFFERS, FTS_CHECK, (fts5_query(words),))


def _visible_condition(user) -> tuple[str, list]:
    """The rule of `visible_offers` as SQL over offer `o`, for the search's own statements (which fix
    their join order, so cannot start from that queryset).

    An organisation's status is tested as "not among the few organisations in the other states" (a
    list read once through the status index) rather than by reading each offer's organisation row:
    the same answer, since status is always one of `Status`, for a fraction of the work."""
    organisations = Organisation._meta.db_table

    def organisation_not(statuses: list[str]) -> str:
        marks = ", ".join(["%s"] * len(statuses))
        return f"o.organisation_id NOT IN (SELECT id FROM {organisations} WHERE status IN ({marks}))"  # noqa: S608

    published, others = str(Status.PUBLISHED), [str(s) for s in Status.values if s != Status.PUBLISHED]
    live, dead = [str(Status.DRAFT), published], [str(Status.ARCHIVED)]
    public = f"(o.status = %s AND {organisation_not(others)})"
    if user is None or not user.is_authenticated:
        return public, [published, *others]
    if is_administrator(user):
        return f"(o.status IN (%s, %s) AND {organisation_not(dead)})", [*live, *dead]
    memberships = OrganisationMembership._meta.db_table
    own = (
        f"(o.organisation_id IN (SELECT organisation_id FROM {memberships} WHERE user_id = %s) "  # noqa: S608
        f"AND o.status IN (%s, %s) AND {organisation_not(dead)})"
    )
    return f"({public} OR {own})", [published, *others, user.pk, *live, *dead]


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
    """One search's filters, turned into SQL: the results, each ticked facet's wider set, the ranked ids."""

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
        if place is not None:
            self.covering = _covering_ids(place)
            self.within = set(areas_within(place).values_list("pk", flat=True)) - self.covering

    # The filters come in two kinds. Those that pick offers through another table (place, terms, words)
    # are `IdSet`s: the first starts the base, the rest are checked on each offer through their table's
    # offer index. The rest test the offer's own columns. Everything happens in the database: no list
    # of ids comes back to Python except the page's.
    def _id_sets(self) -> dict[str, IdSet]:
        sets: dict[str, IdSet] = {}
        if self.place is not None:
            areas = sorted(self.covering | self.within)
            table = Offer.areas_served.through._meta.db_table
            if self.place.code == ENGLAND_CODE:
                # Every area is in England: any offer that serves somewhere serves (part of) it.
                sets["place"] = _through_set(table, "t.area_id IS NOT NULL", ())
            else:
                condition = "t.area_id IN (" + ", ".join(["%s"] * len(areas)) + ")"
                sets["place"] = _through_set(table, condition, tuple(areas))
        for name, (scheme, field_name) in TERM_FACETS.items():
            keys = self.terms[name]
            if keys:
                term_ids = TERM_IDS.replace("<keys>", ", ".join(["%s"] * len(keys)))
                sets[name] = _through_set(
                    getattr(Offer, field_name).through._meta.db_table, f"t.term_id IN ({term_ids})",
                    (scheme, *keys),
                )
        if self.words:
            sets["text"] = _text_set(self.words)
        return sets

    def _row_filters(self) -> dict[str, tuple[str, list]]:
        filters: dict[str, tuple[str, list]] = {}
        if self.price:
            filters["price"] = ("o.price IN (" + ", ".join(["%s"] * len(self.price)) + ")", list(self.price))
        if self.referral_routes:
            routes = " OR ".join([ROUTE_CONDITION.replace("<routes>", "o.referral_routes")]
                                 * len(self.referral_routes))
            filters["referral_routes"] = (f"({routes})", [f'%"{route}"%' for route in self.referral_routes])
        if self.consortium:
            members_sql, members_params = _consortium_organisations([self.consortium]).query.sql_with_params()
            filters["consortium"] = (f"o.organisation_id IN ({members_sql})", list(members_params))
        return filters

    def _wide(self) -> tuple[str, list, list[str]]:
        """The SELECT of the visible offers meeting the place and the words, with a 0/1 column for each
        ticked facet saying whether the offer meets it; its parameters; and those facets, in column order.

        On SQLite with words, the FTS5 index drives (FTS_SOURCE) and each match's bm25 is the `score`
        column; otherwise place or words start it (their id set, then the other checked on each offer
        through its index). A ticked facet is a column, not a condition, because its own counts leave it
        out."""
        sets = self._id_sets()
        flags = {name: (sets[name].check_on("o.id"), list(sets[name].params))
                 for name in TERM_FACETS if name in sets}
        flags.update(self._row_filters())
        # SQLite scores the words with bm25 as it finds them (see FTS_SOURCE); elsewhere ranking comes later.
        text_index = "text" in sets and not _is_postgres()
        select = ["o.id", "o.name", "o.price", "o.referral_routes", "o.organisation_id",
                  FTS_SCORE if text_index else "NULL"]
        select_params: list = []
        for condition, condition_params in flags.values():
            select.append(f"CASE WHEN {condition} THEN 1 ELSE 0 END")
            select_params.extend(condition_params)
        required = [name for name in ("place", "text") if name in sets]
        if text_index:
            source, first = (part.replace("<offers>", Offer._meta.db_table) for part in FTS_SOURCE)
            where = [first]
            from_params: list = []
            where_params: list = list(sets["text"].params)
            if "place" in sets:
                where.append(FTS_WITHIN.replace("<ids>", sets["place"].ids))
                where_params.extend(sets["place"].params)
        else:
            # Ids first, offer rows last: an offer row is wide (search_text), so reading it is the dearest
            # step per offer; the other required set is checked before it through its table's offer index.
            source = f"{Offer._meta.db_table} AS o"
            where, from_params, where_params = [], [], []
            if required:
                start = sets[required.pop(0)]
                source = f"({start.ids}) AS d CROSS JOIN {source}"
                where.append("o.id = d.offer_id")
                from_params.extend(start.params)
                for name in required:
                    where.append(sets[name].check_on("d.offer_id"))
                    where_params.extend(sets[name].params)
        visible_sql, visible_params = _visible_condition(self.user)
        where.append(visible_sql)
        where_params.extend(visible_params)
        sql = f"SELECT {', '.join(select)} FROM {source} WHERE {' AND '.join(where)}"  # noqa: S608
        return sql, select_params + from_params + where_params, list(flags)

    def _run(self, *, counts: bool, page: tuple[int, int] | None, consortia=()) -> tuple[dict, list]:
        """One statement: the facet counts with the total (if `counts`) and the ids of the slice `page`
        (offset, limit) of the results, best first. Returns ({(facet, value): count}, ids)."""
        wide_sql, params, flagged = self._wide()
        columns = "".join(f", f_{name}" for name in flagged)
        ctes = [f"wide (id, name, price, routes, org, score{columns}) AS MATERIALIZED ({wide_sql})",
                f"base AS MATERIALIZED ({_results_of(flagged)})"]
        parts: list[str] = []
        part_params: list = []
        if counts:
            parts.append(TOTAL_SQL)
            for name in FACET_ORDER:
                source = "base"
                if name in flagged:
                    # A ticked facet's counts: the results with every filter but its own.
                    source = f"without_{name}"
                    ctes.append(f"{source} AS ({_results_of(flagged, without=name)})")
                name_parts, name_params = _count_parts(name, source, consortia)
                parts.extend(name_parts)
                part_params.extend(name_params)
        if page is not None:
            offset, limit = page
            if not self.words:
                ranked = NAME_RANKED_SQL
            elif _is_postgres():
                ranked = PG_RANKED_SQL
                part_params.append(tsquery_text(self.words))
            else:
                ranked = FTS_RANKED_SQL
            parts.append(PAGE_SQL.replace("<ranked>", ranked))
            part_params.extend([offset, offset + limit])
        sql = "WITH " + ", ".join(ctes) + " " + " UNION ALL ".join(parts)
        with connection.cursor() as cursor:
            cursor.execute(sql, params + part_params)
            rows = cursor.fetchall()
        found = {(kind, str(value)): count for kind, value, count in rows if kind != "page"}
        ids = [value for _position, value in sorted((n, v) for kind, v, n in rows if kind == "page")]
        return found, ids

    def ranked_ids(self, *, offset: int, limit: int) -> list:
        """The ids of one slice of the results, best first (by name when there is no text)."""
        return self._run(counts=False, page=(offset, limit))[1]
    def offers_for(self, ids: list) -> list[Offer]:
        """The offers for these ids, in the same order, with what the results list shows."""
        # Only what the list and the CSV show: an offer's search_text alone is several times the rest of
        # its row, and whole Term and Area rows cost more to read and build than the names shown.
        offers = (
            Offer.objects.filter(pk__in=ids)
            .select_related("organisation")
            .defer("search_text", *(f"organisation__{name}" for name in ORGANISATION_UNSHOWN))
            .prefetch_related(
                Prefetch("themes", queryset=Term.objects.only("pk", "key", "label")),
                Prefetch("areas_served", queryset=Area.objects.only("pk", "code", "name")),
            )
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
    def facets_and_page(self, *, offset: int, limit: int) -> tuple[dict[str, Facet], int, list]:
        """Every facet's counts, the number of results and the ids of one slice of them, in one statement.
        Facets with no option ticked are counted over the results themselves; each facet with a ticked
        option over the results without that filter."""
        terms = _terms_by_scheme()
        consortia = list(Consortium.objects.filter(status=Status.PUBLISHED).order_by("name", "pk"))
        if self.consortium and not any(str(c.pk) == self.consortium for c in consortia):
            consortia += list(Consortium.objects.filter(pk=self.consortium))
        counts, ids = self._run(counts=True, page=(offset, limit), consortia=consortia)

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
        return {name: facets[name] for name in FACET_ORDER}, counts.get(("total", ""), 0), ids


def _results_of(flagged: list[str], *, without: str | None = None) -> str:
    """The rows of `wide` meeting every ticked facet but `without`."""
    kept = [f"f_{name} = 1" for name in flagged if name != without]
    where = " WHERE " + " AND ".join(kept) if kept else ""
    return "SELECT id, name, price, routes, org, score FROM wide" + where  # noqa: S608


def _count_parts(name: str, source: str, consortia) -> tuple[list[str], list]:
    """The SELECTs counting one facet's options over `source`, with their parameters."""
    if name in TERM_FACETS:
        table = getattr(Offer, TERM_FACETS[name][1]).through._meta.db_table
        return [TERM_COUNT_SQL.replace("<table>", table).replace("<source>", source)], [name]
    if name == "price":
        return [PRICE_COUNT_SQL.replace("<source>", source)], [name]
    parts: list[str] = []
    params: list = []
    if name == "referral_routes":
        for value, _label in Offer.REFERRAL_ROUTES:
            parts.append(ROUTE_COUNT_SQL.replace("<source>", source))
            params.extend([name, value, f'%"{value}"%'])
    elif name == "consortium":
        for consortium in consortia:
            members_sql, members_params = _consortium_organisations([consortium.pk]).query.sql_with_params()
            parts.append(CONSORTIUM_COUNT_SQL.replace("<source>", source).replace("<members>", members_sql))
            params.extend([name, str(consortium.pk), *members_params])
    return parts, params
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
    for term in Term.objects.filter(scheme__key__in=schemes).select_related("scheme").only(
        "pk", "key", "label", "retired", "scheme__key"
    ).order_by("scheme__position", "position", "key"):
        terms.setdefault(term.scheme.key, []).append(term)
    return terms


def _page_number(paginator: Paginator, page) -> int:
    try:
        return paginator.validate_number(page)
    except EmptyPage:
        return paginator.num_pages
    except PageNotAnInteger:
        return 1


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
    # The page asked for is fetched with the counts; only a page past the end needs a second look.
    guess = _page_number(Paginator(_Total(sys.maxsize), per_page), page)
    facets, total, ids = query.facets_and_page(offset=(guess - 1) * per_page, limit=per_page)
    paginator = Paginator(_Total(total), per_page)
    number = _page_number(paginator, page)
    if number != guess:
        ids = query.ranked_ids(offset=(number - 1) * per_page, limit=per_page)
    hits = query.hits_for(ids) if total else []
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

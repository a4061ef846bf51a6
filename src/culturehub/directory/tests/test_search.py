"""The search selector: visibility, full text on the database in use, facets, places, pages."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from culturehub.directory.models import (
    Consortium,
    ConsortiumMember,
    Offer,
    Organisation,
    OrganisationMembership,
)
from culturehub.directory.search import (
    areas_covering,
    areas_within,
    fts5_query,
    offer_search,
    offer_search_rows,
    search_index_ensure,
    search_words,
    tsquery_text,
    visible_offers,
)
from culturehub.places.models import AreaIcb
from culturehub.places.tests.factories import make_area, make_geography
from culturehub.vocabulary.models import Term

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------------------------------
# Test data (set directly: the services that fill search_text are tested with them)
# ---------------------------------------------------------------------------------------------------

def make_organisation(name="Riverside Arts", status="published", **fields) -> Organisation:
    return Organisation.objects.create(
        name=name, legal_form="charity", description=f"{name} is a community arts charity.", status=status,
        **fields,
    )


def make_offer(organisation: Organisation, name: str, *, text: str = "", status="published", areas=(),
               themes=(), art_forms=(), populations=(), settings=(), outcomes=(), **fields) -> Offer:
    offer = Offer.objects.create(
        organisation=organisation, name=name, description=text or name, status=status,
        search_text=f"{name} {text} {organisation.name}", **fields,
    )
    offer.areas_served.set(areas)
    for field_name, keys in (("themes", themes), ("art_forms", art_forms), ("populations", populations),
                             ("delivery_settings", settings), ("outcomes", outcomes)):
        if keys:
            getattr(offer, field_name).set(Term.objects.filter(key__in=keys))
    return offer


def names(result) -> list[str]:
    return [hit.offer.name for hit in result.page.object_list]


def counts(facet) -> dict[str, int]:
    return {option.value: option.count for option in facet.options}


# ---------------------------------------------------------------------------------------------------
# Visibility
# ---------------------------------------------------------------------------------------------------

def test_everyone_sees_published_offers_of_published_organisations_only(bob):
    live = make_organisation("Live Arts")
    hidden = make_organisation("Hidden Arts", status="draft")
    make_offer(live, "Open singing")
    make_offer(live, "Draft singing", status="draft")
    make_offer(live, "Old singing", status="archived")
    make_offer(hidden, "Singing in a draft organisation")

    from django.contrib.auth.models import AnonymousUser

    assert [o.name for o in visible_offers(AnonymousUser())] == ["Open singing"]
    assert [o.name for o in visible_offers(bob)] == ["Open singing"]


def test_members_see_their_own_drafts_and_administrators_see_every_draft(bob, alice, carol):
    own = make_organisation("Bob's Arts", status="draft")
    OrganisationMembership.objects.create(organisation=own, user=bob, role="owner")
    other = make_organisation("Other Arts")
    make_offer(own, "Bob's draft", status="draft")
    make_offer(other, "Someone else's draft", status="draft")
    make_offer(other, "Published")

    assert sorted(o.name for o in visible_offers(bob)) == ["Bob's draft", "Published"]
    assert sorted(o.name for o in visible_offers(carol)) == ["Published"]
    everything = ["Bob's draft", "Published", "Someone else's draft"]
    assert sorted(o.name for o in visible_offers(alice)) == everything
    assert [hit.offer.name for hit in offer_search(user=bob, text="draft").hits] == ["Bob's draft"]


def test_the_search_shows_each_person_exactly_the_offers_they_may_see(bob, alice, carol):
    # The search states the visibility rule in its own SQL; it must agree with visible_offers.
    from django.contrib.auth.models import AnonymousUser

    own = make_organisation("Bob's Arts", status="draft")
    OrganisationMembership.objects.create(organisation=own, user=bob, role="owner")
    gone = make_organisation("Gone Arts", status="archived")
    for organisation in (own, make_organisation("Live Arts"), gone):
        for status in ("draft", "published", "archived"):
            make_offer(organisation, f"{organisation.name} {status}", text="singing", status=status)

    for user in (AnonymousUser(), bob, carol, alice):
        expected = sorted(offer.name for offer in visible_offers(user))
        assert expected  # every kind of person sees something here
        for text in ("singing", ""):
            assert sorted(names(offer_search(user=user, text=text, per_page=50))) == expected


# ---------------------------------------------------------------------------------------------------
# Full text
# ---------------------------------------------------------------------------------------------------

def test_the_words_people_type_are_quoted_so_search_syntax_is_plain_text():
    assert search_words('dance AND "older (people)" NEAR*') == ["dance", "and", "older", "people", "near"]
    assert fts5_query(["dance", "and", "old"]) == '"dance" "and" "old"*'


def test_a_strong_match_comes_before_a_passing_mention(db):
    org = make_organisation()
    make_offer(org, "Pottery for everyone", text="Clay work; some people sing while they work.")
    make_offer(org, "Singing for the brain", text="Singing sessions: singing together helps memory. Singing.")
    make_offer(org, "Drawing club", text="Drawing and painting.")

    result = offer_search(user=None, text="singing")

    # Both engines stem "sing" and "singing" alike; only the order of a clear winner is asserted.
    assert names(result) == ["Singing for the brain", "Pottery for everyone"]


def test_every_word_must_match_and_the_last_word_matches_as_a_prefix(db):
    org = make_organisation()
    make_offer(org, "Dance for Parkinson's", text="Dance classes for people living with Parkinson's.")
    make_offer(org, "Dance for children", text="Street dance for young people.")

    # Which of two equal matches ranks first differs between the engines; both must be found.
    both = ["Dance for Parkinson's", "Dance for children"]
    assert sorted(names(offer_search(user=None, text="danc"))) == both
    assert names(offer_search(user=None, text="dance parkin")) == ["Dance for Parkinson's"]
    # Search syntax typed by a person is read as words, never as operators (PostgreSQL drops the stop
    # word "or"; SQLite requires it), so it can only narrow the dance offers.
    assert set(names(offer_search(user=None, text='dance OR "*'))) <= set(both)


def test_text_that_is_only_punctuation_searches_without_words(db):
    make_offer(make_organisation(), "Choir")

    assert names(offer_search(user=None, text='"(*)"')) == ["Choir"]


def test_without_text_results_come_in_name_order(db):
    org = make_organisation()
    for name in ("Zither group", "Art walk", "Music makers"):
        make_offer(org, name)

    assert names(offer_search(user=None)) == ["Art walk", "Music makers", "Zither group"]


def test_the_index_follows_changes_to_search_text_and_deletions(db):
    org = make_organisation()
    offer = make_offer(org, "Gardening club", text="Growing vegetables.")
    assert names(offer_search(user=None, text="vegetables")) == ["Gardening club"]

    Offer.objects.filter(pk=offer.pk).update(search_text="Gardening club: flowers and bees")
    assert names(offer_search(user=None, text="vegetables")) == []
    assert names(offer_search(user=None, text="bees")) == ["Gardening club"]

    offer.delete()
    assert names(offer_search(user=None, text="bees")) == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite keeps its index with triggers")
def test_the_sqlite_index_is_rebuilt_when_a_table_rebuild_dropped_its_triggers(db):
    offer = make_offer(make_organisation(), "Poetry walk", text="Poems outdoors.")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER directory_offer_fts_update")
        cursor.execute("INSERT INTO directory_offer_fts (directory_offer_fts) VALUES ('delete-all')")
        cursor.execute("DELETE FROM directory_offer_fts_map")

    assert search_index_ensure() is True
    assert names(offer_search(user=None, text="poems")) == ["Poetry walk"]
    Offer.objects.filter(pk=offer.pk).update(search_text="Poetry walk by the sea")
    assert names(offer_search(user=None, text="sea")) == ["Poetry walk"]
    assert search_index_ensure() is False


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the stored search vector is PostgreSQL's")
def test_postgres_matches_and_ranks_on_the_stored_vector_as_it_did_on_the_text(db):
    org = make_organisation()
    make_offer(org, "Pottery for everyone", text="Clay work; some people sing while they work.")
    make_offer(org, "Singing for the brain", text="Singing sessions: singing together helps memory. Singing.")
    make_offer(org, "Sing and sign", text="Songs with sign language; singing for families.")
    make_offer(org, "Drawing club", text="Drawing and painting.")
    vector = "to_tsvector('english'::regconfig, COALESCE(search_text, ''))"

    with CaptureQueriesContext(connection) as queries:
        result = offer_search(user=None, text="singing")

    # The search reads the stored column and never computes a vector from the text.
    statements = [query["sql"] for query in queries.captured_queries if "ts_rank" in query["sql"]]
    assert statements
    assert all("search_vector" in sql and "to_tsvector" not in sql for sql in statements)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM directory_offer WHERE search_vector IS DISTINCT FROM {vector}")  # noqa: S608
        assert cursor.fetchone()[0] == 0
        # The ranking the search gave when it computed the vector from search_text.
        query = "to_tsquery('english'::regconfig, %s)"
        cursor.execute(
            f"SELECT name FROM directory_offer WHERE {vector} @@ {query} "  # noqa: S608
            f"ORDER BY ts_rank({vector}, {query}) DESC, name, id",
            [tsquery_text(["singing"])] * 2,
        )
        before = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'directory_offer'")
        indexes = {row[0] for row in cursor.fetchall()}
    assert len(before) == 3
    assert names(result) == before
    assert "directory_offer_search_vector_gin" in indexes and "directory_offer_search_gin" not in indexes


def test_the_offers_serving_a_place_are_indexed_by_area_then_offer(db):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "directory_offer_areas_served")
    assert constraints["directory_offer_areas_served_area_offer_idx"]["columns"] == ["area_id", "offer_id"]


# ---------------------------------------------------------------------------------------------------
# Filters and facets
# ---------------------------------------------------------------------------------------------------

def test_facet_counts_leave_out_their_own_filter_and_apply_the_others(vocabulary):
    org = make_organisation()
    make_offer(org, "Arts on prescription", themes=["mental_health", "non_medical"],
               art_forms=["visual_arts"], price="free", referral_routes=["social_prescribing"])
    make_offer(org, "Memory choir", themes=["dementia"], art_forms=["singing"], price="per_session",
               referral_routes=["self", "professional"])
    make_offer(org, "Youth theatre", themes=["children_young_people", "mental_health"],
               art_forms=["theatre"], price="free", referral_routes=["self"])

    result = offer_search(user=None, themes=["mental_health"])

    assert names(result) == ["Arts on prescription", "Youth theatre"]
    themes = counts(result.facets["themes"])
    # Theme counts ignore the theme filter: ticking dementia too would add the choir.
    assert themes["mental_health"] == 2 and themes["dementia"] == 1 and themes["children_young_people"] == 1
    assert [option.value for option in result.facets["themes"].selected] == ["mental_health"]
    # Other facets are counted within the mental health results.
    assert counts(result.facets["art_forms"])["singing"] == 0
    assert counts(result.facets["art_forms"])["theatre"] == 1
    assert counts(result.facets["price"]) == {"free": 2, "per_participant": 0, "per_session": 0,
                                              "per_programme": 0, "not_stated": 0}
    assert counts(result.facets["referral_routes"]) == {"self": 1, "professional": 0, "social_prescribing": 1}


def test_options_within_a_facet_widen_and_facets_narrow_each_other(vocabulary):
    org = make_organisation()
    make_offer(org, "Choir", themes=["dementia"], price="per_session", referral_routes=["self"])
    make_offer(org, "Painting", themes=["isolation"], price="free", referral_routes=["social_prescribing"])
    make_offer(org, "Drama", themes=["isolation"], price="per_session", referral_routes=["professional"])

    assert names(offer_search(user=None, themes=["dementia", "isolation"])) == ["Choir", "Drama", "Painting"]
    assert names(offer_search(user=None, themes=["dementia", "isolation"], price="per_session")) == [
        "Choir", "Drama",
    ]
    assert names(offer_search(user=None, referral_routes=["self", "professional"])) == ["Choir", "Drama"]
    assert names(offer_search(user=None, referral_routes=["social_prescribing"], price=["per_session"])) == []


def test_the_consortium_filter_lists_its_active_members_and_leads_offers(db):
    make_geography()
    from culturehub.places.models import Area

    kent = Area.objects.get(code="E10000016")
    lead, member, leaver, outsider = (make_organisation(name) for name in ("Lead", "Member", "Leaver", "Out"))
    consortium = Consortium.objects.create(
        name="Kent Arts and Health", description="A consortium.", area=kent, lead=lead,
        contact_email="hello@example.org", status="published",
    )
    ConsortiumMember.objects.create(consortium=consortium, organisation=member, state="active")
    ConsortiumMember.objects.create(consortium=consortium, organisation=leaver, state="left")
    for org in (lead, member, leaver, outsider):
        make_offer(org, f"{org.name} offer")

    result = offer_search(user=None, consortium=consortium)

    assert names(result) == ["Lead offer", "Member offer"]
    assert counts(result.facets["consortium"]) == {str(consortium.pk): 2}
    assert result.facets["consortium"].options[0].selected


def test_results_come_a_page_at_a_time_and_a_page_past_the_end_gives_the_last(db):
    org = make_organisation()
    for number in range(7):
        make_offer(org, f"Workshop {number}", text="printmaking")

    first = offer_search(user=None, text="printmaking", per_page=3)
    last = offer_search(user=None, text="printmaking", per_page=3, page=99)

    assert first.total == 7 and len(first.hits) == 3 and first.page.paginator.num_pages == 3
    assert last.page.number == 3 and len(last.hits) == 1
    every = {hit.offer.name for page in (1, 2, 3) for hit in offer_search(
        user=None, text="printmaking", per_page=3, page=page).hits}
    assert len(every) == 7


def test_the_rows_for_a_download_are_every_result_in_order(db):
    org = make_organisation()
    for number in range(5):
        make_offer(org, f"Class {number}", text="ceramics")

    rows = list(offer_search_rows(user=None, text="ceramics", batch_size=2))

    assert [row.offer.name for row in rows] == names(offer_search(user=None, text="ceramics"))


# ---------------------------------------------------------------------------------------------------
# Places
# ---------------------------------------------------------------------------------------------------

@pytest.fixture
def geography(db):
    return make_geography()


def _codes(areas) -> set[str]:
    return {area.code for area in areas}


def test_a_district_is_covered_by_its_county_icb_region_and_england(geography):
    assert _codes(areas_covering(geography.maidstone)) == {
        "E07000110", "E10000016", "E54000032", "E12000008", "E92000001",
    }
    assert _codes(areas_within(geography.maidstone)) == set()


def test_a_county_is_covered_by_an_icb_only_when_the_icb_holds_all_its_districts(geography):
    assert _codes(areas_covering(geography.kent)) == {"E10000016", "E54000032", "E12000008", "E92000001"}
    AreaIcb.objects.filter(area=geography.sevenoaks).delete()
    assert "E54000032" not in _codes(areas_covering(geography.kent))
    assert _codes(areas_within(geography.kent)) == {"E07000110", "E07000107", "E07000111"}


def test_an_icb_holds_its_councils_and_counties_whose_districts_are_all_in_it(geography):
    assert _codes(areas_within(geography.kent_icb)) == {"E07000110", "E07000107", "E07000111", "E10000016"}
    assert _codes(areas_covering(geography.kent_icb)) == {"E54000032", "E12000008", "E92000001"}


def test_a_region_holds_its_councils_and_the_icbs_wholly_inside_it(geography):
    within = _codes(areas_within(geography.south_east))
    assert {"E10000016", "E07000110", "E54000032"} <= within
    assert "E08000003" not in within and "E54000057" not in within
    assert _codes(areas_covering(geography.south_east)) == {"E12000008", "E92000001"}


def test_england_covers_everyone_and_holds_everything(geography):
    assert _codes(areas_covering(geography.england)) == {"E92000001"}
    assert len(_codes(areas_within(geography.england))) >= 10


def test_a_district_search_lists_offers_for_it_and_every_area_covering_it(geography):
    org = make_organisation()
    g = geography
    for label, area in (("district", g.maidstone), ("county", g.kent), ("icb", g.kent_icb),
                        ("region", g.south_east), ("england", g.england), ("neighbour", g.dartford),
                        ("elsewhere", g.manchester)):
        make_offer(org, f"For the {label}", areas=[area])

    result = offer_search(user=None, place=g.maidstone)

    assert names(result) == ["For the county", "For the district", "For the england", "For the icb",
                             "For the region"]
    assert all(hit.place_match.whole for hit in result.hits)


def test_a_county_search_also_lists_offers_serving_part_of_it_marked_as_such(geography):
    org = make_organisation()
    g = geography
    make_offer(org, "Kent-wide choir", areas=[g.kent])
    make_offer(org, "Maidstone and Dartford dance", areas=[g.maidstone, g.dartford])
    make_offer(org, "Manchester murals", areas=[g.manchester])

    result = offer_search(user=None, place=g.kent)

    by_name = {hit.offer.name: hit.place_match for hit in result.hits}
    assert set(by_name) == {"Kent-wide choir", "Maidstone and Dartford dance"}
    assert by_name["Kent-wide choir"].whole
    part = by_name["Maidstone and Dartford dance"]
    assert not part.whole and [area.name for area in part.part_areas] == ["Dartford", "Maidstone"]


def test_a_place_filter_combines_with_text(geography):
    org = make_organisation()
    make_offer(org, "Kent singing", text="singing", areas=[geography.kent])
    make_offer(org, "Manchester singing", text="singing", areas=[geography.manchester])

    assert names(offer_search(user=None, text="singing", place=geography.sevenoaks)) == ["Kent singing"]


def test_a_unitary_without_an_upper_tier_is_covered_by_its_region_and_icb(db):
    geography = make_geography()
    medway = make_area(code="E06000035", name="Medway", kind="unitary", region=geography.south_east)
    AreaIcb.objects.create(area=medway, icb=geography.kent_icb, share=1.0)

    assert _codes(areas_covering(medway)) == {"E06000035", "E54000032", "E12000008", "E92000001"}


def test_each_facet_count_is_the_number_of_results_that_ticking_it_gives(vocabulary):
    geography = make_geography()
    org = make_organisation()
    make_offer(org, "Choir", text="singing", themes=["dementia", "isolation"], art_forms=["singing"],
               price="free", referral_routes=["self"], areas=[geography.kent])
    make_offer(org, "Songs", text="singing", themes=["isolation"], art_forms=["music"], price="per_session",
               referral_routes=["self", "social_prescribing"], areas=[geography.maidstone])
    make_offer(org, "Drums", text="drumming", themes=["mental_health"], art_forms=["music"],
               price="per_session", referral_routes=["professional"], areas=[geography.manchester])
    other = make_organisation("Other")
    make_offer(other, "Other songs", text="singing", price="per_session", referral_routes=["self"],
               areas=[geography.kent])
    Consortium.objects.create(name="Kent Arts and Health", description="A consortium.", area=geography.kent,
                              lead=org, contact_email="hello@example.org", status="published")
    base = {"text": "sing", "place": geography.kent, "price": ["per_session"], "referral_routes": ["self"]}

    result = offer_search(user=None, **base)

    assert names(result) == ["Other songs", "Songs"]
    assert [option.count for option in result.facets["consortium"].options] == [1]
    for facet_name, facet in result.facets.items():
        for option in facet.options:
            # The count is what that option alone would give in its facet, the other facets kept.
            ticked = {**base, facet_name: option.value if facet_name == "consortium" else [option.value]}
            assert offer_search(user=None, **ticked).total == option.count, (facet_name, option.value)

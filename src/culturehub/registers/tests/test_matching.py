"""Joining entries from several registers into one listing."""

import pytest

from culturehub.directory.models import Organisation
from culturehub.registers.imports import arts_council_npo_import, charities_import, museums_import
from culturehub.registers.matching import MatchIndex, normalise_name, postcode_district
from culturehub.registers.models import ListingMatch, Source
from culturehub.registers.tests.conftest import FIXTURES


def test_names_are_compared_without_case_punctuation_or_filler_words():
    assert normalise_name("The Birmingham Repertory Theatre Ltd.") == "birmingham repertory theatre"
    assert normalise_name("Horniman Museum & Gardens") == normalise_name("HORNIMAN MUSEUM AND GARDENS")
    assert normalise_name("People's History Museum") == "peoples history museum"
    assert normalise_name("York Archaeological Trust Limited") == "york archaeological"


def test_postcode_district_is_the_outward_code():
    assert postcode_district("DE1 1BS") == "DE1"
    assert postcode_district("") == ""


def _index(*entries):
    index = MatchIndex()
    for pk, name, postcode, area, source in entries:
        index.add(pk, name=name, postcode=postcode, area_id=area, source=source)
    return index


def test_a_close_name_in_the_same_postcode_district_matches():
    index = _index((1, "Derby Museums Trust", "DE1 1BS", None, "museums"))

    match = index.find(name="DERBY MUSEUMS", source="charities", postcode="DE1 3AF")

    assert match is not None and match.organisation_id == 1
    assert "same postcode district" in match.matched_on


def test_a_name_made_of_a_few_of_anothers_words_does_not_match():
    index = _index((1, "Derby Museum", "DE1 1BS", None, "museums"))

    assert index.find(name="Museum", source="charities", postcode="DE1 1BS") is None


def test_without_a_shared_place_even_the_same_name_does_not_match():
    index = _index((1, "Pilot Theatre", "YO1 7HU", 10, "ace_npo"))

    assert index.find(name="Pilot Theatre", source="charities", postcode="M1 1AA", area_id=11) is None


def test_a_listing_that_already_holds_an_entry_from_the_same_register_is_no_candidate():
    index = _index((1, "Royal Crown Derby Museum", "DE23 8JZ", None, "museums"))

    assert index.find(name="Royal Crown Derby Museum", source="museums", postcode="DE23 8JZ") is None


def test_two_equally_good_candidates_mean_no_match():
    index = _index((1, "Quad", "DE1 3AS", 5, "ace_npo"), (2, "Quad", "DE1 3AS", 5, "museums"))

    assert index.find(name="QUAD", source="charities", postcode="DE1 3AS") is None


@pytest.mark.django_db
def test_a_charity_joins_the_arts_council_listing_of_the_same_name_in_its_council(places):
    arts_council_npo_import(path=FIXTURES / "ace_npo.xlsx")
    run = charities_import(path=FIXTURES / "charities.csv")

    assert "Joined to existing listings: 3 by fuzzy." in run.log
    rep = Organisation.objects.get(name="Birmingham Repertory Theatre")
    assert set(rep.register_records.values_list("source", flat=True)) == {Source.ACE_NPO, Source.CHARITIES}
    match = ListingMatch.objects.get(record__source=Source.CHARITIES, organisation=rep)
    assert match.method == ListingMatch.Method.FUZZY
    assert match.score == 100.0
    assert "same local authority" in match.matched_on
    # The charity completes the unclaimed listing without renaming it.
    rep.refresh_from_db()
    assert rep.postcode == "B1 2EP"
    assert rep.identifiers.filter(scheme="GB-CHC", identifier="223660").exists()
    assert not Organisation.objects.filter(name="BIRMINGHAM REPERTORY THEATRE LIMITED").exists()


@pytest.mark.django_db
def test_matching_is_stable_on_a_second_run(places):
    arts_council_npo_import(path=FIXTURES / "ace_npo.xlsx")
    charities_import(path=FIXTURES / "charities.csv")
    museums_import(path=FIXTURES / "museums.csv")
    before = ListingMatch.objects.count()

    again = charities_import(path=FIXTURES / "charities.csv")

    assert not again.changed_anything
    assert ListingMatch.objects.count() == before

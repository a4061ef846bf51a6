"""Tags on directory records: the tagger's, and people's corrections, which win."""

import pytest
from django.core.exceptions import PermissionDenied

from culturehub.directory.tests.factories import make_offer, make_organisation
from culturehub.vocabulary.models import AssignedTag, Term
from culturehub.vocabulary.tagger import tag_text
from culturehub.vocabulary.tagging import apply_tagging, tag_correct, tags_for

pytestmark = pytest.mark.django_db

TEXT = {"name": "Hilltop Singers", "description": "A community choir for people living with dementia."}


def shown_keys(obj, scheme):
    return [tag.term.key for tag in tags_for(obj).get(scheme, [])]


def term(scheme, key):
    return Term.objects.get(scheme__key=scheme, key=key)


def test_the_tagger_labels_are_stored_with_scores_and_reasons(vocabulary):
    organisation = make_organisation()
    stored = apply_tagging(organisation, tag_text(**TEXT))
    assert stored > 0
    assert "singing" in shown_keys(organisation, "art_forms")
    dementia = next(tag for tag in tags_for(organisation)["themes"] if tag.term.key == "dementia")
    assert not dementia.by_person and dementia.score > 0.5 and dementia.reasons


def test_tagging_again_replaces_only_the_taggers_own_labels(vocabulary, bob):
    organisation = make_organisation(owner=bob)
    apply_tagging(organisation, tag_text(**TEXT))
    tag_correct(user=bob, obj=organisation, term=term("themes", "isolation"), applies=True)
    apply_tagging(organisation, tag_text(description="An annual season of orchestral concerts."))
    assert "singing" not in shown_keys(organisation, "art_forms")
    assert "isolation" in shown_keys(organisation, "themes")


def test_a_person_rejecting_a_term_wins_over_the_tagger(vocabulary, bob):
    organisation = make_organisation(owner=bob)
    apply_tagging(organisation, tag_text(**TEXT))
    tag_correct(user=bob, obj=organisation, term=term("themes", "dementia"), applies=False)
    assert "dementia" not in shown_keys(organisation, "themes")
    apply_tagging(organisation, tag_text(**TEXT))
    assert "dementia" not in shown_keys(organisation, "themes")


def test_a_person_confirming_a_term_is_shown_as_their_decision(vocabulary, alice):
    organisation = make_organisation()
    tag_correct(user=alice, obj=organisation, term=term("art_forms", "crafts"), applies=True)
    [crafts] = tags_for(organisation)["art_forms"]
    assert crafts.by_person and crafts.term.key == "crafts"


@pytest.mark.parametrize("who", ["carol", "dave", "bob"])
def test_only_owners_and_administrators_correct_tags(vocabulary, request, who, alice):
    organisation = make_organisation(owner=alice)
    with pytest.raises(PermissionDenied):
        tag_correct(user=request.getfixturevalue(who), obj=organisation, term=term("themes", "dementia"),
                    applies=True)
    assert not AssignedTag.objects.exists()


def test_an_offers_tags_are_corrected_by_its_organisations_owners(vocabulary, bob):
    offer = make_offer(organisation=make_organisation(owner=bob))
    tag_correct(user=bob, obj=offer, term=term("themes", "isolation"), applies=True)
    assert shown_keys(offer, "themes") == ["isolation"]


def test_tags_for_reads_in_one_query(vocabulary, django_assert_num_queries):
    organisation = make_organisation()
    apply_tagging(organisation, tag_text(**TEXT))
    tags_for(organisation)  # warms the content-type cache
    with django_assert_num_queries(1):
        tags_for(organisation)

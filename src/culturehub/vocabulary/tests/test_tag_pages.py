"""The tags panel on an organisation's page, and owners correcting the tagger there."""

import pytest
from django.urls import reverse

from culturehub.directory.tests.factories import make_organisation
from culturehub.vocabulary.models import AssignedTag, Term
from culturehub.vocabulary.tagger import tag_text
from culturehub.vocabulary.tagging import apply_tagging

pytestmark = pytest.mark.django_db


@pytest.fixture
def listing(vocabulary, bob):
    organisation = make_organisation(name="Hilltop Singers", owner=bob)
    apply_tagging(organisation, tag_text(description="A community choir for people living with dementia."))
    return organisation


def correct_url(organisation):
    return reverse("vocabulary:tag_correct", kwargs={"kind": "organisation", "pk": organisation.pk})


def page(client, organisation):
    return client.get(reverse("directory:organisation_detail", kwargs={"pk": organisation.pk}))


def test_everyone_sees_the_tags_and_the_words_they_came_from(client, listing):
    response = page(client, listing)
    assert "What Culture Hub reads in this listing" in response.text
    assert "Suggested by the tagger from “dementia”" in response.text
    assert "Add a tag the tagger missed" not in response.text


def test_an_owner_adds_a_tag_and_it_shows_as_their_decision(client, listing, bob):
    client.force_login(bob)
    isolation = Term.objects.get(scheme__key="themes", key="isolation")
    response = client.post(correct_url(listing), {"term": isolation.pk, "applies": "yes"})
    assert response.status_code == 302 and response["Location"].endswith("#tags")
    text = page(client, listing).text
    assert "Confirmed by a person" in text and "Add a tag the tagger missed" in text


def test_an_owner_removes_a_taggers_tag(client, listing, bob):
    client.force_login(bob)
    dementia = Term.objects.get(scheme__key="themes", key="dementia")
    client.post(correct_url(listing), {"term": dementia.pk, "applies": "no"})
    assert "Suggested by the tagger from “dementia”" not in page(client, listing).text
    assert AssignedTag.objects.filter(term=dementia, source="person", applies=False).exists()


def test_someone_else_cannot_correct_the_tags(client, listing, dave):
    client.force_login(dave)
    dementia = Term.objects.get(scheme__key="themes", key="dementia")
    response = client.post(correct_url(listing), {"term": dementia.pk, "applies": "no"})
    assert response.status_code == 403
    assert not AssignedTag.objects.filter(source="person").exists()


def test_signed_out_people_are_sent_to_sign_in_and_get_changes_nothing(client, listing, bob):
    assert client.post(correct_url(listing), {"term": 1, "applies": "yes"}).status_code == 302
    client.force_login(bob)
    assert client.get(correct_url(listing)).status_code == 405


def test_an_unknown_kind_or_term_is_not_found(client, listing, bob):
    client.force_login(bob)
    bad_kind = reverse("vocabulary:tag_correct", kwargs={"kind": "venue", "pk": listing.pk})
    assert client.post(bad_kind, {"term": 1, "applies": "yes"}).status_code == 404
    assert client.post(correct_url(listing), {"term": 999999, "applies": "yes"}).status_code == 404

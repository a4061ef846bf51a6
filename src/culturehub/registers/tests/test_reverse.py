"""Undoing a join of two register entries: administrators only, and what it changes."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from culturehub.directory.models import Organisation, OrganisationIdentifier
from culturehub.registers.imports import arts_council_npo_import, charities_import
from culturehub.registers.models import ListingMatch, RegisterRecord, Source
from culturehub.registers.services import reverse_match
from culturehub.registers.tests.conftest import FIXTURES

pytestmark = pytest.mark.django_db


@pytest.fixture
def match(places):
    """The Birmingham Rep charity entry, joined by name to its Arts Council listing."""
    arts_council_npo_import(path=FIXTURES / "ace_npo.xlsx")
    charities_import(path=FIXTURES / "charities.csv")
    return ListingMatch.objects.get(record__source=Source.CHARITIES, record__source_id="GB-CHC-223660")


@pytest.mark.parametrize("who", ["bob", "carol", "dave"])
def test_only_an_administrator_may_undo_a_match(match, who, request):
    user = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        reverse_match(user, match)

    match.refresh_from_db()
    assert not match.is_reversed


def test_undoing_a_match_gives_the_entry_a_listing_of_its_own(match, alice, vocabulary):
    old = match.organisation

    new = reverse_match(alice, match)

    record = RegisterRecord.objects.get(pk=match.record_id)
    assert record.organisation == new
    assert new != old
    assert new.name == "BIRMINGHAM REPERTORY THEATRE LIMITED"
    assert new.origin_id == "charities:GB-CHC-223660"
    assert new.status == "published" and not new.members.exists()
    assert old.register_records.filter(source=Source.ACE_NPO).exists()
    assert old.investments.count() == 4  # the Arts Council money stays with the Arts Council entry
    # The charity and company numbers came with the charity entry, so they go with it.
    assert OrganisationIdentifier.objects.get(scheme="GB-CHC", identifier="223660").organisation == new
    match.refresh_from_db()
    assert match.reversed_by == alice and match.reversed_at is not None
    entry = LogEntry.objects.get_for_object(match).latest("timestamp")
    assert entry.actor == alice


def test_a_match_cannot_be_undone_twice(match, alice):
    reverse_match(alice, match)

    with pytest.raises(ValidationError):
        reverse_match(alice, match)


def test_later_imports_leave_an_undone_match_undone(match, alice):
    new = reverse_match(alice, match)

    again = charities_import(path=FIXTURES / "charities.csv")

    assert not again.changed_anything
    assert RegisterRecord.objects.get(pk=match.record_id).organisation == new
    assert ListingMatch.objects.filter(record_id=match.record_id, reversed_at__isnull=True).count() == 0


def test_the_undo_page_is_for_administrators(match, client, bob, admin):
    url = reverse("registers:match_reverse", args=[match.pk])
    client.force_login(bob)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403

    client.force_login(admin)
    page = client.get(url)
    assert page.status_code == 200
    assert "Give BIRMINGHAM REPERTORY THEATRE LIMITED a listing of its own?" in page.content.decode()
    response = client.post(url)
    new = RegisterRecord.objects.get(pk=match.record_id).organisation
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:organisation_detail", args=[new.pk])


def test_signed_out_people_are_sent_to_sign_in(match, client):
    response = client.post(reverse("registers:match_reverse", args=[match.pk]))

    assert response.status_code == 302
    assert "login" in response["Location"]
    assert Organisation.objects.filter(name="BIRMINGHAM REPERTORY THEATRE LIMITED").count() == 0

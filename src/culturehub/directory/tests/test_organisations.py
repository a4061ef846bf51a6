import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from culturehub.directory import selectors, services
from culturehub.directory.models import Organisation, OrganisationIdentifier, OrganisationMembership
from culturehub.directory.tests.factories import make_offer, make_organisation, make_venue

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Canal Arts Collective",
    "legal_form": Organisation.LegalForm.CIC,
    "description": "Community arts by the canal.",
}


def errors_of(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_registering_an_organisation_makes_a_draft_and_the_creator_its_owner(frank, geo):
    organisation = services.organisation_create(
        user=frank,
        **VALID,
        postcode="de1 2fs",
        website="www.canal-arts.example.org",
        areas_served=[geo.kent],
        identifiers={"GB-CHC": "1234567", "GB-COH": "445790"},
    )
    assert organisation.status == "draft"
    membership = OrganisationMembership.objects.get(organisation=organisation)
    assert (membership.user, membership.role) == (frank, "owner")
    assert organisation.postcode == "DE1 2FS"
    assert organisation.website == "https://www.canal-arts.example.org"
    assert list(organisation.areas_served.all()) == [geo.kent]
    assert sorted(i.org_id for i in organisation.identifiers.all()) == ["GB-CHC-1234567", "GB-COH-00445790"]


def test_anonymous_people_cannot_register_an_organisation():
    with pytest.raises(PermissionDenied):
        services.organisation_create(user=AnonymousUser(), **VALID)


def test_a_bad_postcode_an_impossible_charity_number_and_a_broken_url_each_get_their_own_message(frank):
    errors = errors_of(
        lambda: services.organisation_create(
            user=frank,
            **VALID,
            postcode="nowhere",
            website="not a website",
            identifiers={"GB-CHC": "12", "GB-SC": "SC98765"},
        )
    )
    assert errors["postcode"] == ["Enter a real postcode, like SW1A 1AA"]
    assert errors["website"] == ["Enter a web address in the correct format, like https://www.example.org"]
    assert errors["charity_number"] == [
        "A charity number in England and Wales has 6 or 7 digits; you entered 2"
    ]
    assert errors["scottish_charity_number"] == [
        "After SC, a Scottish charity number has 6 digits, like SC012345"
    ]
    assert not Organisation.objects.exists()


def test_missing_name_kind_and_description_are_reported_together(frank):
    errors = errors_of(
        lambda: services.organisation_create(
            user=frank, name=" ", legal_form="", description="", email="nope"
        )
    )
    assert errors == {
        "name": ["Enter the name of the organisation"],
        "description": ["Describe what the organisation does"],
        "legal_form": ["Select the kind of organisation"],
        "email": ["Enter an email address in the correct format, like name@example.org"],
    }


def test_a_register_number_already_listed_is_refused_with_the_other_listing_named(frank, riverside):
    OrganisationIdentifier.objects.create(organisation=riverside, scheme="GB-CHC", identifier="1234567")
    errors = errors_of(
        lambda: services.organisation_create(user=frank, **VALID, identifiers={"GB-CHC": "1234567"})
    )
    assert "Riverside Community Arts already has charity number 1234567" in errors["charity_number"][0]


def test_a_member_updates_their_organisation_and_replaces_its_identifiers(bob, riverside):
    OrganisationIdentifier.objects.create(organisation=riverside, scheme="GB-CHC", identifier="1234567")
    services.organisation_update(
        user=bob,
        organisation=riverside,
        name="Riverside Arts",
        legal_form="charity",
        description="New words.",
        identifiers={"GB-CHC": "", "GB-NIC": "NIC100012"},
    )
    riverside.refresh_from_db()
    assert riverside.name == "Riverside Arts"
    assert [i.org_id for i in riverside.identifiers.all()] == ["GB-NIC-100012"]


def test_renaming_an_organisation_refreshes_its_offers_search_text(bob, riverside):
    offer = make_offer(organisation=riverside)
    services.organisation_update(user=bob, organisation=riverside, **{**VALID, "name": "Lantern Arts"})
    offer.refresh_from_db()
    assert "Lantern Arts" in offer.search_text
    assert "Riverside" not in offer.search_text


def test_publishing_and_archiving_change_the_status(bob, riverside):
    riverside.status = "draft"
    riverside.save()
    services.organisation_publish(user=bob, organisation=riverside)
    assert Organisation.objects.get(pk=riverside.pk).status == "published"
    services.organisation_archive(user=bob, organisation=riverside)
    assert Organisation.objects.get(pk=riverside.pk).status == "archived"


def test_venues_need_a_real_postcode(bob, riverside):
    errors = errors_of(
        lambda: services.venue_create(
            user=bob, organisation=riverside, name="Hall", address="1 Road", town="Derby", postcode="DE1"
        )
    )
    assert errors == {"postcode": ["Enter a real postcode, like SW1A 1AA"]}
    venue = services.venue_create(
        user=bob, organisation=riverside, name="Hall", address="1 Road", town="Derby", postcode="de12fs"
    )
    assert venue.postcode == "DE1 2FS"
    services.venue_update(
        user=bob, venue=venue, name="Main Hall", address="1 Road", town="Derby", postcode="DE1 2FS"
    )
    venue.refresh_from_db()
    assert venue.name == "Main Hall"


def test_every_change_goes_to_the_audit_trail_with_who_made_it(bob, riverside):
    services.organisation_update(user=bob, organisation=riverside, **{**VALID, "name": "Lantern Arts"})
    entry = LogEntry.objects.get_for_object(riverside).latest("timestamp")
    assert entry.actor == bob
    assert entry.changes_dict["name"] == ["Riverside Community Arts", "Lantern Arts"]


def test_owners_read_the_history_of_their_organisation_offers_and_venues(bob, riverside):
    offer = services.offer_create(user=bob, organisation=riverside, name="Clay club", description="Pottery.")
    make_venue(organisation=riverside)
    services.offer_update(user=bob, offer=offer, name="Clay and craft club", description="Pottery.")
    services.organisation_update(user=bob, organisation=riverside, **{**VALID, "name": "Lantern Arts"})
    history = selectors.organisation_audit_log(user=bob, organisation=riverside)
    records = [entry.record for entry in history]
    assert records[0] == "Organisation: Lantern Arts"
    assert "Offer: Clay and craft club" in records
    assert any(record.startswith("Venue:") for record in records)
    renamed = next(entry for entry in history if entry.record == "Organisation: Lantern Arts")
    assert renamed.who == "bob@example.org"
    assert any(change.field == "Name" and change.after == "Lantern Arts" for change in renamed.changes)


def test_editors_and_others_cannot_read_the_history_but_administrators_can(bob, erin, alice, carol):
    organisation = make_organisation(owner=bob, editors=[erin])
    for user in (erin, carol):
        with pytest.raises(PermissionDenied):
            selectors.organisation_audit_log(user=user, organisation=organisation)
    history = selectors.organisation_audit_log(user=alice, organisation=organisation)
    assert [(entry.action, entry.who) for entry in history] == [("Added", "The system")]

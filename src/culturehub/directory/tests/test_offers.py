from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from culturehub.directory import services
from culturehub.directory.models import Offer
from culturehub.directory.tests.factories import make_offer, make_venue
from culturehub.vocabulary.models import Term

pytestmark = pytest.mark.django_db


def term(scheme: str, key: str) -> Term:
    return Term.objects.get(scheme__key=scheme, key=key)


def errors_of(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_a_member_adds_an_offer_with_terms_places_and_venues(bob, riverside, vocabulary, geo):
    venue = make_venue(organisation=riverside)
    offer = services.offer_create(
        user=bob,
        organisation=riverside,
        name="Singing for the brain",
        description="Weekly singing.",
        delivery_modes=["sessions", "outreach"],
        minimum_age="60",
        maximum_age=120,
        price="per_session",
        price_amount="4.50",
        referral_routes=["social_prescribing", "self"],
        languages=["English", "Urdu"],
        themes=[term("themes", "dementia")],
        art_forms=[term("art_forms", "singing")],
        populations=[term("populations", "people_with_dementia")],
        delivery_settings=[term("settings", "care_homes")],
        outcomes=[term("outcomes", "improved_quality_of_life_dementia")],
        areas_served=[geo.kent],
        venues=[venue],
        url="example.org/singing",
    )
    offer.refresh_from_db()
    assert offer.status == "draft"
    assert (offer.minimum_age, offer.maximum_age, offer.price_amount) == (60, 120, Decimal("4.50"))
    # Stored in the order the choices are listed, however they were ticked.
    assert offer.referral_routes == ["self", "social_prescribing"]
    assert offer.delivery_modes == ["sessions", "outreach"]
    assert [v.name for v in offer.venues.all()] == ["The Old Library"]
    assert offer.url == "https://example.org/singing"
    assert [t.key for t in offer.delivery_settings.all()] == ["care_homes"]


def test_ages_outside_0_to_120_and_a_maximum_below_the_minimum_are_refused(bob, riverside):
    errors = errors_of(
        lambda: services.offer_create(
            user=bob,
            organisation=riverside,
            name="Club",
            description="Clay.",
            minimum_age="-1",
            maximum_age="121",
        )
    )
    assert errors == {
        "minimum_age": ["Enter a minimum age between 0 and 120"],
        "maximum_age": ["Enter a maximum age between 0 and 120"],
    }
    errors = errors_of(
        lambda: services.offer_create(
            user=bob,
            organisation=riverside,
            name="Club",
            description="Clay.",
            minimum_age="18",
            maximum_age="12",
        )
    )
    assert errors == {"maximum_age": ["The maximum age must be the same as or more than the minimum age"]}
    errors = errors_of(
        lambda: services.offer_create(
            user=bob,
            organisation=riverside,
            name="Club",
            description="Clay.",
            minimum_age="ten",
        )
    )
    assert errors == {"minimum_age": ["Enter a minimum age between 0 and 120"]}


def test_prices_are_checked(bob, riverside):
    def create(**fields):
        return lambda: services.offer_create(
            user=bob, organisation=riverside, name="C", description="D", **fields
        )

    assert errors_of(create(price="free", price_amount="5"))["price_amount"] == [
        "Leave the amount empty for a free offer, or choose how it is charged"
    ]
    assert errors_of(create(price="per_session", price_amount="-1"))["price_amount"] == [
        "Enter an amount of £0 or more"
    ]
    assert errors_of(create(price="per_session", price_amount="lots"))["price_amount"] == [
        "Enter the amount in pounds and pence, like 12.50"
    ]
    assert errors_of(create(price="sometimes"))["price"] == ["Select how the offer is charged"]


def test_unknown_choices_and_terms_from_the_wrong_scheme_are_refused(bob, riverside, vocabulary):
    errors = errors_of(
        lambda: services.offer_create(
            user=bob,
            organisation=riverside,
            name="C",
            description="D",
            delivery_modes=["telepathy"],
            referral_routes=["magic"],
            themes=[term("art_forms", "music")],
            capacity="0",
        )
    )
    assert errors == {
        "delivery_modes": ["Select how the offer is delivered from the list"],
        "referral_routes": ["Select how people are referred from the list"],
        "themes": ["Select terms from the list"],
        "capacity": ["Enter the number of people, from 1 to 100,000"],
    }


def test_an_offer_cannot_use_another_organisations_venue(bob, riverside, hillside):
    their_venue = make_venue(organisation=hillside)
    errors = errors_of(
        lambda: services.offer_create(
            user=bob, organisation=riverside, name="C", description="D", venues=[their_venue]
        )
    )
    assert errors == {"venues": ["Select venues from your organisation’s list"]}


def test_search_text_holds_the_offer_organisation_term_synonyms_and_places(bob, riverside, vocabulary, geo):
    music = term("art_forms", "music")
    offer = services.offer_create(
        user=bob,
        organisation=riverside,
        name="Drum circle",
        description="Rhythm for everyone.",
        eligibility="Adults who feel isolated",
        art_forms=[music],
        areas_served=[geo.maidstone],
    )
    text = Offer.objects.get(pk=offer.pk).search_text
    for words in (
        "Drum circle",
        "Rhythm for everyone.",
        "Adults who feel isolated",
        "Riverside Community Arts",
        "Music",
        "ukulele",
        "Maidstone",
    ):
        assert words in text
    services.offer_update(
        user=bob, offer=offer, name="Drum circle", description="Rhythm.", art_forms=[], areas_served=[]
    )
    text = Offer.objects.get(pk=offer.pk).search_text
    assert "ukulele" not in text and "Maidstone" not in text


def test_updating_without_terms_leaves_them_as_they_were(bob, riverside, vocabulary):
    offer = make_offer(organisation=riverside, themes=[term("themes", "isolation")])
    services.offer_update(user=bob, offer=offer, name="New name", description="New words.")
    assert [t.key for t in offer.themes.all()] == ["isolation"]


def test_publishing_and_archiving_an_offer(bob, riverside):
    offer = make_offer(organisation=riverside, status="draft")
    services.offer_publish(user=bob, offer=offer)
    assert Offer.objects.get(pk=offer.pk).status == "published"
    services.offer_archive(user=bob, offer=offer)
    assert Offer.objects.get(pk=offer.pk).status == "archived"


def test_someone_else_cannot_add_or_change_an_offer(erin, riverside):
    offer = make_offer(organisation=riverside)
    with pytest.raises(PermissionDenied):
        services.offer_create(user=erin, organisation=riverside, name="C", description="D")
    with pytest.raises(PermissionDenied):
        services.offer_update(user=erin, offer=offer, name="Mine now", description="D")
    with pytest.raises(PermissionDenied):
        services.offer_publish(user=erin, offer=offer)

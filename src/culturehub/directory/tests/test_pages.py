import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from culturehub.directory.models import ConsortiumMember, Offer, Organisation, OrganisationIdentifier
from culturehub.directory.tests.factories import (
    join,
    make_consortium,
    make_offer,
    make_organisation,
    make_venue,
)
from culturehub.vocabulary.models import Term

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    return response.content.decode()


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html_of(response)))


def title_of(response) -> str:
    return re.search(r"<title>(.*?)</title>", html_of(response), re.S).group(1).strip()


def assert_sound_structure(response):
    """One h1; headings never skip a level; every table has a caption and scoped headers."""
    page = html_of(response)
    assert page.count("<h1") == 1
    levels = [int(level) for level in re.findall(r"<h([1-6])[\s>]", page)]
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, f"heading h{after} follows h{before}"
    for table in re.findall(r"<table.*?</table>", page, re.S):
        assert "<caption" in table
        assert all("scope=" in header for header in re.findall(r"<th[\s>][^>]*", table))


def url(name, *args) -> str:
    return reverse(f"directory:{name}", args=args)


# ---------------------------------------------------------------------------------------------------
# Navigation and lists
# ---------------------------------------------------------------------------------------------------


def test_the_main_navigation_links_to_the_directory(client):
    response = client.get(url("index"))
    assert f'href="{url("index")}" aria-current="page">Directory</a>' in html_of(response)
    assert_sound_structure(response)


def test_the_directory_lists_published_organisations_25_to_a_page(client, riverside):
    make_organisation(name="Secret Draft", status="draft")
    for number in range(26):
        make_organisation(name=f"Arts group {number:02d}")
    first = text_of(client.get(url("index")))
    assert "Arts group 00" in first and "Secret Draft" not in first
    assert "Page 1 of 2" in first
    second = text_of(client.get(url("index") + "?page=2"))
    assert "Riverside Community Arts" in second


def test_an_empty_directory_says_what_to_do(client):
    text = text_of(client.get(url("index")))
    assert "No organisations are published yet. If you run one, sign in and add it" in text
    assert "No consortia are published yet." in text


def test_a_signed_in_member_without_an_organisation_is_asked_to_add_one(client, frank):
    client.force_login(frank)
    assert "Add your organisation" in text_of(client.get(url("index")))
    response = client.get(url("yours"))
    assert "You are not a member of any organisation in the directory yet" in text_of(response)
    assert f'href="{url("organisation_add")}"' in html_of(response)


def test_your_organisations_lists_the_members_organisations_and_their_offers(client, bob, riverside):
    make_offer(organisation=riverside, name="Clay club", status="draft")
    make_organisation(name="Not Bobs")
    client.force_login(bob)
    response = client.get(url("yours"))
    text = text_of(response)
    assert "Riverside Community Arts" in text and "Clay club" in text and "Draft" in text
    assert "Not Bobs" not in text
    assert_sound_structure(response)


def test_the_dashboard_needs_a_sign_in(client):
    response = client.get(url("yours"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# ---------------------------------------------------------------------------------------------------
# Registering and changing an organisation
# ---------------------------------------------------------------------------------------------------


def test_registering_with_mistakes_shows_the_error_summary_with_a_message_for_each(client, frank, geo):
    client.force_login(frank)
    response = client.post(
        url("organisation_add"),
        {
            "name": "Canal Arts",
            "legal_form": "cic",
            "description": "Arts.",
            "postcode": "nowhere",
            "website": "not a website",
            "charity_number": "12",
            "areas_served": "Kent, Atlantis",
        },
    )
    assert response.status_code == 200
    text = text_of(response)
    assert "There is a problem" in text
    assert "Enter a real postcode, like SW1A 1AA" in text
    assert "Enter a web address in the correct format, like https://www.example.org" in text
    assert "A charity number in England and Wales has 6 or 7 digits; you entered 2" in text
    assert "We could not find a place called ‘Atlantis’" in text
    assert title_of(response).startswith("Error: ")
    assert 'href="#id_postcode"' in html_of(response)
    assert not Organisation.objects.exists()


def test_registering_an_organisation_then_publishing_it(client, frank, geo):
    client.force_login(frank)
    response = client.post(
        url("organisation_add"),
        {
            "name": "Canal Arts",
            "legal_form": "cic",
            "description": "Arts by the canal.",
            "postcode": "de12fs",
            "areas_served": "Kent, E07000110",
            "company_number": "445790",
            "email": "hi@canal.example.org",
        },
    )
    organisation = Organisation.objects.get()
    assert response.status_code == 302 and response["Location"] == url("organisation_detail", organisation.pk)
    assert {area.name for area in organisation.areas_served.all()} == {"Kent", "Maidstone"}
    assert organisation.members.get() == frank

    page = client.get(url("organisation_detail", organisation.pk))
    text = text_of(page)
    assert "GB-COH-00445790" in text and "Draft" in text and "hi@canal.example.org" in text
    assert "History of changes" in text
    assert_sound_structure(page)

    confirm = client.get(url("organisation_status", organisation.pk, "publish"))
    assert "Publish this organisation?" in text_of(confirm)
    assert Organisation.objects.get().status == "draft"
    client.post(url("organisation_status", organisation.pk, "publish"))
    assert Organisation.objects.get().status == "published"
    client.logout()
    assert client.get(url("organisation_detail", organisation.pk)).status_code == 200


def test_the_edit_form_shows_the_saved_values_and_saves_changes(client, bob, riverside, geo):
    riverside.areas_served.set([geo.kent])
    OrganisationIdentifier.objects.create(organisation=riverside, scheme="GB-CHC", identifier="1234567")
    client.force_login(bob)
    form = html_of(client.get(url("organisation_edit", riverside.pk)))
    assert 'value="Kent (E10000016)"' in form and 'value="1234567"' in form
    response = client.post(
        url("organisation_edit", riverside.pk),
        {
            "name": "Riverside Arts",
            "legal_form": "charity",
            "description": "Arts.",
            "areas_served": "Kent (E10000016)",
            "charity_number": "1234567",
        },
    )
    assert response.status_code == 302
    riverside.refresh_from_db()
    assert riverside.name == "Riverside Arts"
    assert [area.code for area in riverside.areas_served.all()] == ["E10000016"]


def test_someone_else_cannot_open_the_edit_form(client, erin, riverside):
    client.force_login(erin)
    assert client.get(url("organisation_edit", riverside.pk)).status_code == 403
    assert client.post(url("organisation_status", riverside.pk, "archive")).status_code == 403
    assert Organisation.objects.get(pk=riverside.pk).status == "published"


def test_a_draft_listing_is_forbidden_to_the_public_and_a_missing_one_not_found(client, riverside):
    riverside.status = "draft"
    riverside.save()
    assert client.get(url("organisation_detail", riverside.pk)).status_code == 403
    assert client.get("/directory/organisations/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_the_public_page_shows_the_listing_but_not_the_history(client, riverside, geo):
    riverside.areas_served.set([geo.kent])
    riverside.website = "https://riverside.example.org"
    riverside.save()
    make_offer(organisation=riverside, name="Clay club")
    make_offer(organisation=riverside, name="Hidden draft", status="draft")
    response = client.get(url("organisation_detail", riverside.pk))
    text = text_of(response)
    assert "Clay club" in text and "Kent" in text and "https://riverside.example.org" in text
    assert "Hidden draft" not in text
    assert "History of changes" not in text
    assert "Change details" not in text
    assert_sound_structure(response)


def test_an_editor_sees_the_edit_buttons_but_only_owners_see_the_history(client, erin, riverside):
    join_as_editor = riverside.memberships.create(user=erin)
    assert join_as_editor.role == "editor"
    client.force_login(erin)
    text = text_of(client.get(url("organisation_detail", riverside.pk)))
    assert "Change details" in text and "History of changes" not in text


def test_an_administrator_sees_the_history(client, admin_user, riverside):
    client.force_login(admin_user)
    assert "History of changes" in text_of(client.get(url("organisation_detail", riverside.pk)))


# ---------------------------------------------------------------------------------------------------
# Offers and venues
# ---------------------------------------------------------------------------------------------------


def test_the_offer_form_groups_vocabulary_terms_by_scheme(client, bob, riverside, vocabulary):
    client.force_login(bob)
    response = client.get(url("offer_add", riverside.pk))
    page = html_of(response)
    for legend in ("Priority themes (optional)", "Art forms (optional)", "Who takes part (optional)"):
        assert legend in page
    assert page.count('class="govuk-fieldset"') >= 7
    assert "No venues yet." in text_of(response)
    assert_sound_structure(response)


def test_adding_an_offer_with_mistakes_shows_each_message(client, bob, riverside, vocabulary):
    client.force_login(bob)
    response = client.post(
        url("offer_add", riverside.pk),
        {
            "name": "",
            "description": "Singing.",
            "minimum_age": "130",
            "maximum_age": "x",
            "price": "free",
            "price_amount": "5",
            "url": "not a website",
            "areas_served": "Nowhere-on-sea",
        },
    )
    text = text_of(response)
    assert "There is a problem" in text
    for message in (
        "Enter the name of the offer",
        "Enter a minimum age between 0 and 120",
        "Enter a maximum age between 0 and 120",
        "Leave the amount empty for a free offer, or choose how it is charged",
        "Enter a web address in the correct format, like https://www.example.org",
        "We could not find a place called ‘Nowhere-on-sea’",
    ):
        assert message in text
    assert not Offer.objects.exists()


def test_adding_an_offer_and_reading_its_page(client, bob, riverside, vocabulary, geo):
    venue = make_venue(organisation=riverside)
    dementia = Term.objects.get(scheme__key="themes", key="dementia")
    singing = Term.objects.get(scheme__key="art_forms", key="singing")
    client.force_login(bob)
    response = client.post(
        url("offer_add", riverside.pk),
        {
            "name": "Singing for memory",
            "description": "Weekly singing.",
            "minimum_age": "55",
            "maximum_age": "",
            "price": "per_session",
            "price_amount": "£3.50",
            "referral_routes": ["self", "social_prescribing"],
            "delivery_modes": ["sessions"],
            "themes": [dementia.pk],
            "art_forms": [singing.pk],
            "venues": [venue.pk],
            "areas_served": "Maidstone",
            "languages": "English, Polish",
            "contact_email": "sing@riverside.example.org",
        },
    )
    offer = Offer.objects.get()
    assert response["Location"] == url("offer_detail", offer.pk)
    page = client.get(url("offer_detail", offer.pk))
    text = text_of(page)
    for words in (
        "Singing for memory",
        "Ages 55 and over",
        "£3.50 per session",
        "Self-referral, Social prescribing",
        "Dementia",
        "Singing",
        "The Old Library",
        "Maidstone",
        "English, Polish",
        "Regular sessions",
        "sing@riverside.example.org",
        "Draft",
    ):
        assert words in text, words
    assert_sound_structure(page)
    client.post(url("offer_status", offer.pk, "publish"))
    client.logout()
    assert client.get(url("offer_detail", offer.pk)).status_code == 200


def test_editing_an_offer_keeps_its_ticked_terms(client, bob, riverside, vocabulary):
    dementia = Term.objects.get(scheme__key="themes", key="dementia")
    offer = make_offer(organisation=riverside, themes=[dementia])
    client.force_login(bob)
    form = html_of(client.get(url("offer_edit", offer.pk)))
    assert re.search(rf'value="{dementia.pk}"\s+checked', form)
    client.post(
        url("offer_edit", offer.pk),
        {"name": "New name", "description": "D", "price": "free", "themes": [dementia.pk]},
    )
    offer.refresh_from_db()
    assert offer.name == "New name"
    assert list(offer.themes.all()) == [dementia]


def test_adding_and_changing_a_venue(client, bob, riverside):
    client.force_login(bob)
    response = client.post(
        url("venue_add", riverside.pk),
        {"name": "Hall", "address": "1 Road", "town": "Derby", "postcode": "DE1"},
    )
    assert "Enter a real postcode, like SW1A 1AA" in text_of(response)
    client.post(
        url("venue_add", riverside.pk),
        {"name": "Hall", "address": "1 Road", "town": "Derby", "postcode": "de12fs"},
    )
    venue = riverside.venues.get()
    assert venue.postcode == "DE1 2FS"
    client.post(
        url("venue_edit", venue.pk),
        {"name": "Big Hall", "address": "1 Road", "town": "Derby", "postcode": "DE1 2FS"},
    )
    venue.refresh_from_db()
    assert venue.name == "Big Hall"


# ---------------------------------------------------------------------------------------------------
# Consortia
# ---------------------------------------------------------------------------------------------------


def test_starting_a_consortium_inviting_and_accepting(client, bob, erin, riverside, hillside, geo):
    client.force_login(bob)
    response = client.post(
        url("consortium_add"),
        {
            "name": "Kent Culture Collective",
            "description": "Working together.",
            "area": "Nowhere",
            "contact_email": "kcc@example.org",
        },
    )
    assert "We could not find a place called ‘Nowhere’" in text_of(response)
    client.post(
        url("consortium_add"),
        {
            "name": "Kent Culture Collective",
            "description": "Working together.",
            "area": "E10000016",
            "contact_email": "kcc@example.org",
            "lead": riverside.pk,
        },
    )
    consortium = riverside.consortium_memberships.get().consortium
    assert consortium.coordinator == bob

    response = client.post(
        url("consortium_invite", consortium.pk),
        {
            "email": "erin@example.org",
            "organisation": "Hillside Heritage Trust",
            "role": "heritage",
        },
    )
    assert response.status_code == 302
    link = re.search(r"http://\S+/directory/consortia/invitations/\S+/", mail.outbox[0].body).group(0)
    path = link.split("http://127.0.0.1:8000")[-1]
    client.logout()
    client.force_login(erin)
    page = client.get(path)
    assert "Join Kent Culture Collective?" in text_of(page)
    assert_sound_structure(page)
    client.post(path, {"decision": "accept", "organisation": hillside.pk})
    assert ConsortiumMember.objects.get(organisation=hillside).state == "active"
    assert client.get(path).status_code == 404


def test_the_consortium_page_shows_members_roles_lead_contact_and_the_collective_offer(
    client, riverside, hillside, geo, dave
):
    consortium = make_consortium(area=geo.kent, coordinator=dave, lead=riverside)
    join(consortium=consortium, organisation=hillside, role="Heritage walks")
    make_offer(organisation=riverside, name="Riverside singing")
    make_offer(organisation=hillside, name="Hillside walks")
    response = client.get(url("consortium_detail", consortium.pk))
    text = text_of(response)
    for words in (
        "Culture Together",
        "Lead organisation",
        "Riverside Community Arts",
        "Heritage walks",
        "hello@culture-together.example.org",
        "Riverside singing",
        "Hillside walks",
        "dave@example.org",
    ):
        assert words in text, words
    assert "Invite an organisation" not in text
    assert_sound_structure(response)


def test_the_coordinator_confirms_a_request_from_the_consortium_page(client, dave, erin, hillside, geo):
    consortium = make_consortium(area=geo.kent, coordinator=dave)
    client.force_login(erin)
    client.post(url("consortium_join", consortium.pk), {"organisation": hillside.pk, "role": ""})
    membership = ConsortiumMember.objects.get()
    assert membership.state == "requested"
    client.force_login(dave)
    page = text_of(client.get(url("consortium_detail", consortium.pk)))
    assert "Asked to join" in page
    assert "Confirm Hillside Heritage Trust" in text_of(
        client.get(url("membership_change", membership.pk, "confirm"))
    )
    client.post(url("membership_change", membership.pk, "confirm"))
    membership.refresh_from_db()
    assert membership.state == "active"


def test_a_member_leaves_from_the_consortium_page(client, bob, riverside, geo, dave):
    consortium = make_consortium(area=geo.kent, coordinator=dave, members=[riverside])
    membership = consortium.memberships.get()
    client.force_login(bob)
    assert "Leave the consortium" in text_of(client.get(url("consortium_detail", consortium.pk)))
    client.post(url("membership_change", membership.pk, "leave"))
    membership.refresh_from_db()
    assert membership.state == "left"


def test_someone_who_is_not_the_coordinator_cannot_remove_a_member(client, erin, riverside, geo, dave):
    consortium = make_consortium(area=geo.kent, coordinator=dave, members=[riverside])
    membership = consortium.memberships.get()
    client.force_login(erin)
    assert client.get(url("membership_change", membership.pk, "remove")).status_code == 403
    assert client.post(url("membership_change", membership.pk, "remove")).status_code == 403


def test_someone_without_an_organisation_is_told_to_add_one_before_starting_a_consortium(client, frank):
    client.force_login(frank)
    response = client.get(url("consortium_add"))
    assert response.status_code == 403
    assert "Add your organisation first" in text_of(response)


# ---------------------------------------------------------------------------------------------------
# Titles and query counts
# ---------------------------------------------------------------------------------------------------


def test_each_page_has_its_own_title(client, bob, riverside, geo, dave, vocabulary):
    offer = make_offer(organisation=riverside)
    consortium = make_consortium(area=geo.kent, coordinator=dave, lead=riverside)
    client.force_login(bob)
    pages = [
        url("index"),
        url("yours"),
        url("consortium_list"),
        url("organisation_add"),
        url("organisation_detail", riverside.pk),
        url("organisation_edit", riverside.pk),
        url("organisation_status", riverside.pk, "archive"),
        url("offer_add", riverside.pk),
        url("venue_add", riverside.pk),
        url("offer_detail", offer.pk),
        url("offer_edit", offer.pk),
        url("offer_status", offer.pk, "archive"),
        url("consortium_detail", consortium.pk),
        url("consortium_join", consortium.pk),
        url("consortium_add"),
    ]
    titles = []
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert_sound_structure(response)
        titles.append(title_of(response))
    assert len(set(titles)) == len(titles), titles


def count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context.captured_queries)


def test_more_offers_do_not_add_queries_to_the_organisation_page(
    client, bob, riverside, geo, vocabulary, django_assert_max_num_queries
):
    themes = list(Term.objects.filter(scheme__key="themes")[:3])
    riverside.areas_served.set([geo.kent, geo.maidstone])
    make_offer(organisation=riverside, name="Offer 0", themes=themes)
    client.force_login(bob)
    path = url("organisation_detail", riverside.pk)
    few = count_queries(client, path)
    for number in range(1, 8):
        make_offer(organisation=riverside, name=f"Offer {number}", themes=themes)
        make_venue(organisation=riverside, name=f"Venue {number}")
    OrganisationIdentifier.objects.create(organisation=riverside, scheme="GB-CHC", identifier="1234567")
    with django_assert_max_num_queries(few):
        client.get(path)
    client.logout()
    with django_assert_max_num_queries(12):
        client.get(path)


def test_more_terms_places_and_venues_do_not_add_queries_to_the_offer_page(
    client, riverside, geo, vocabulary, django_assert_max_num_queries
):
    offer = make_offer(organisation=riverside, themes=list(Term.objects.filter(scheme__key="themes")[:1]))
    path = url("offer_detail", offer.pk)
    few = count_queries(client, path)
    offer.themes.set(Term.objects.filter(scheme__key="themes"))
    offer.outcomes.set(Term.objects.filter(scheme__key="outcomes"))
    offer.areas_served.set([geo.kent, geo.maidstone, geo.dartford])
    for number in range(4):
        offer.offer_venues.create(venue=make_venue(organisation=riverside, name=f"Venue {number}"))
    with django_assert_max_num_queries(few):
        client.get(path)


def test_more_members_and_offers_do_not_add_queries_to_the_consortium_page(
    client, riverside, geo, dave, django_assert_max_num_queries
):
    consortium = make_consortium(area=geo.kent, coordinator=dave, lead=riverside)
    make_offer(organisation=riverside)
    client.force_login(dave)
    path = url("consortium_detail", consortium.pk)
    few = count_queries(client, path)
    for number in range(6):
        organisation = make_organisation(name=f"Member {number}")
        join(consortium=consortium, organisation=organisation, role="Music")
        make_offer(organisation=organisation, name=f"Offer {number}")
        pending = make_organisation(name=f"Pending {number}")
        join(consortium=consortium, organisation=pending, state=ConsortiumMember.State.REQUESTED)
    with django_assert_max_num_queries(few):
        client.get(path)


def test_more_organisations_do_not_add_queries_to_the_directory_page(
    client, geo, django_assert_max_num_queries
):
    make_organisation(name="First", areas=[geo.kent])
    few = count_queries(client, url("index"))
    for number in range(10):
        make_organisation(name=f"Group {number}", areas=[geo.kent, geo.maidstone])
    with django_assert_max_num_queries(few):
        client.get(url("index"))


def test_more_organisations_and_offers_do_not_add_queries_to_your_organisations(
    client, bob, riverside, django_assert_max_num_queries
):
    make_offer(organisation=riverside)
    client.force_login(bob)
    few = count_queries(client, url("yours"))
    for number in range(4):
        organisation = make_organisation(name=f"Bob's group {number}", owner=bob)
        make_offer(organisation=organisation, name=f"Offer {number}")
    with django_assert_max_num_queries(few):
        client.get(url("yours"))


def test_the_offer_history_is_shown_to_the_owner_only(client, bob, erin, riverside):
    riverside.memberships.create(user=erin)
    client.force_login(bob)
    client.post(
        url("offer_add", riverside.pk), {"name": "Clay club", "description": "Pottery.", "price": "free"}
    )
    offer = Offer.objects.get()
    client.post(
        url("offer_edit", offer.pk), {"name": "Clay and craft", "description": "Pottery.", "price": "free"}
    )
    text = text_of(client.get(url("offer_detail", offer.pk)))
    assert "History of changes" in text
    assert "“Clay club” changed to “Clay and craft”" in text
    client.force_login(erin)
    assert "History of changes" not in text_of(client.get(url("offer_detail", offer.pk)))


def test_the_consortium_history_is_shown_to_its_coordinator_not_its_members(
    client, dave, bob, riverside, geo
):
    consortium = make_consortium(area=geo.kent, coordinator=dave, members=[riverside])
    client.force_login(dave)
    client.post(url("consortium_invite", consortium.pk), {"email": "new@example.org"})
    text = text_of(client.get(url("consortium_detail", consortium.pk)))
    assert "History of changes" in text and "new@example.org in Culture Together (invited)" in text
    client.force_login(bob)
    assert "History of changes" not in text_of(client.get(url("consortium_detail", consortium.pk)))


def test_a_problem_found_by_both_the_form_and_the_service_is_shown_once(client, frank):
    client.force_login(frank)
    response = client.post(url("organisation_add"), {"name": "A", "legal_form": "bank", "description": "B"})
    assert text_of(response).count("Select the kind of organisation") == 2  # the summary and the field


def test_declining_an_invitation_from_the_link(client, dave, erin, hillside, geo):
    consortium = make_consortium(area=geo.kent, coordinator=dave)
    client.force_login(dave)
    client.post(url("consortium_invite", consortium.pk), {"email": "erin@example.org"})
    path = re.search(r"/directory/consortia/invitations/\S+/", mail.outbox[0].body).group(0)
    client.force_login(erin)
    response = client.post(path, {"decision": "decline"})
    assert response["Location"] == url("yours")
    assert ConsortiumMember.objects.get().state == "declined"

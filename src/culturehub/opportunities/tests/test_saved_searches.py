"""Saving a search from the list page, and managing saved searches: only ever one's own."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from culturehub.opportunities import saved_services
from culturehub.opportunities.models import SavedSearch
from culturehub.opportunities.saved_selectors import search_summary
from culturehub.opportunities.tests.saved_factories import make_saved_search
from culturehub.places.tests.factories import give_two_factor

pytestmark = pytest.mark.django_db

CREATE = reverse("saved_searches:create")
LIST = reverse("saved_searches:list")


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def carols_search(carol):
    return make_saved_search(give_two_factor(carol), name="Carol health and wellbeing search")


# Saving ------------------------------------------------------------------------------------------------


def test_a_member_saves_the_search_shown_on_the_list_page(client, bob):
    signed_in(client, bob)
    page = client.get(f"{CREATE}?q=loneliness&stage=tender&stage=planning&page=3")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Search words" in text and "loneliness" in text
    assert "Tender or Planning and market engagement" in text
    assert "Still open or not yet out to tender (the default)" in text

    response = client.post(f"{CREATE}?q=loneliness&stage=tender&stage=planning&page=3",
                           {"name": "Loneliness tenders", "frequency": "weekly"})

    assert response.status_code == 302 and response["Location"] == LIST
    saved = SavedSearch.objects.get(owner=bob)
    assert saved.name == "Loneliness tenders"
    assert saved.frequency == SavedSearch.Frequency.WEEKLY
    # The page number is not part of the search.
    assert saved.query == {"q": ["loneliness"], "stage": ["tender", "planning"]}
    assert len(saved.feed_token) >= 40
    listing = client.get(LIST).content.decode()
    assert "Loneliness tenders" in listing and "Search saved as ‘Loneliness tenders’." in listing


def test_the_form_suggests_a_name_from_the_search(client, bob):
    page = signed_in(client, bob).get(f"{CREATE}?q=dance")
    assert 'value="dance"' in page.content.decode()


def test_saving_a_search_needs_sign_in(client):
    response = client.get(f"{CREATE}?q=dance")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(f"{CREATE}?q=dance", {"name": "Dance", "frequency": "weekly"}).status_code == 302
    assert not SavedSearch.objects.exists()


def test_saving_without_the_csrf_token_is_refused(bob):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    response = client.post(f"{CREATE}?q=dance", {"name": "Dance", "frequency": "weekly"})
    assert response.status_code == 403
    assert not SavedSearch.objects.exists()


def test_a_search_with_a_problem_cannot_be_saved(client, bob):
    signed_in(client, bob)
    page = client.get(f"{CREATE}?value_min=lots")
    assert "This search has a problem" in page.content.decode()
    client.post(f"{CREATE}?value_min=lots", {"name": "Big ones", "frequency": "weekly"})
    assert not SavedSearch.objects.exists()


def test_it_asks_for_a_name_and_a_frequency(client, bob):
    response = signed_in(client, bob).post(f"{CREATE}?q=dance", {"name": "  ", "frequency": "hourly"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text
    assert "Enter a name for the search" in text
    assert "Choose how often you want emails" in text
    assert '<a href="#id_frequency">' in text and 'id="id_frequency" name="frequency"' in text
    assert not SavedSearch.objects.exists()


def test_it_says_how_to_save_more_once_the_limit_is_reached(client, bob, settings):
    settings.SAVED_SEARCHES_PER_PERSON = 2
    make_saved_search(bob, name="One")
    make_saved_search(bob, name="Two")
    signed_in(client, bob)
    assert "the most you can keep" in client.get(f"{CREATE}?q=dance").content.decode()

    response = client.post(f"{CREATE}?q=dance", {"name": "Three", "frequency": "weekly"})

    assert "Delete one you no longer need" in response.content.decode()
    assert SavedSearch.objects.filter(owner=bob).count() == 2


def test_the_service_refuses_an_invalid_search(bob):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        saved_services.saved_search_create(user=bob, name="Bad", frequency="weekly",
                                           query={"value_min": ["lots"]})


# Your saved searches -----------------------------------------------------------------------------------


def test_the_list_shows_only_your_own_searches_with_their_feeds(client, bob, carols_search):
    mine = make_saved_search(bob, name="Bob dance search", query={"q": ["dance"], "stage": ["tender"]})
    text = signed_in(client, bob).get(LIST).content.decode()
    assert "Bob dance search" in text
    assert "Carol health" not in text
    assert reverse("saved_searches:feed_atom", args=[mine.feed_token]) in text
    assert reverse("saved_searches:feed_calendar", args=[mine.feed_token]) in text
    assert carols_search.feed_token not in text
    assert f'{reverse("opportunities:list")}?q=dance&amp;stage=tender' in text


def test_the_list_reads_a_fixed_number_of_queries_however_many_searches(
        client, bob, django_assert_max_num_queries):
    for number in range(12):
        make_saved_search(bob, name=f"Search {number}",
                          query={"q": [f"word{number}"], "theme": ["loneliness"]})
    signed_in(client, bob)
    with django_assert_max_num_queries(8):
        response = client.get(LIST)
    assert response.content.decode().count('class="govuk-summary-card__title"') == 12


def test_an_empty_list_says_how_to_save_a_search(client, bob):
    assert "You have no saved searches yet" in signed_in(client, bob).get(LIST).content.decode()


# Only your own -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["edit", "delete", "token_replace"])
def test_bob_cannot_open_or_change_carols_search(client, bob, carols_search, name):
    signed_in(client, bob)
    url = reverse(f"saved_searches:{name}", args=[carols_search.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Taken", "frequency": "never"}).status_code == 404
    carols_search.refresh_from_db()
    assert carols_search.name == "Carol health and wellbeing search"
    assert carols_search.frequency == SavedSearch.Frequency.IMMEDIATE
    assert carols_search.feed_token.startswith("token-")


def test_the_services_refuse_someone_elses_search(bob, carols_search):
    with pytest.raises(PermissionDenied):
        saved_services.saved_search_update(user=bob, saved_search=carols_search, name="X", frequency="never")
    with pytest.raises(PermissionDenied):
        saved_services.saved_search_delete(user=bob, saved_search=carols_search)
    with pytest.raises(PermissionDenied):
        saved_services.saved_search_token_replace(user=bob, saved_search=carols_search)
    assert SavedSearch.objects.filter(pk=carols_search.pk, name__startswith="Carol").exists()


def test_a_commissioner_manages_her_own_search(client, carols_search):
    url = reverse("saved_searches:edit", args=[carols_search.pk])
    response = signed_in(client, carols_search.owner).post(url, {"name": "Wellbeing", "frequency": "weekly"})
    assert response.status_code == 302
    carols_search.refresh_from_db()
    assert (carols_search.name, carols_search.frequency) == ("Wellbeing", "weekly")


# Changing, deleting, replacing the feed address --------------------------------------------------------


def test_changing_a_search_keeps_its_filters(client, bob):
    saved = make_saved_search(bob, query={"q": ["dance"]}, frequency="weekly")
    url = reverse("saved_searches:edit", args=[saved.pk])
    signed_in(client, bob)
    page = client.get(url).content.decode()
    assert 'value="weekly" aria-describedby="id_frequency_1-hint" checked' in page
    response = client.post(url, {"name": "Dance, immediately", "frequency": "immediate"})
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.name == "Dance, immediately"
    assert saved.frequency == "immediate"
    assert saved.query == {"q": ["dance"]}


def test_turning_emails_back_on_starts_from_now(bob):
    saved = make_saved_search(bob, frequency="never")
    before = saved.alerts_from
    saved_services.saved_search_update(user=bob, saved_search=saved, name=saved.name, frequency="weekly")
    assert saved.alerts_from > before
    renamed_from = saved.alerts_from
    saved_services.saved_search_update(user=bob, saved_search=saved, name="New name", frequency="immediate")
    assert saved.alerts_from == renamed_from


def test_deleting_asks_first_then_deletes(client, bob):
    saved = make_saved_search(bob, name="Old search")
    url = reverse("saved_searches:delete", args=[saved.pk])
    signed_in(client, bob)
    assert "Delete this saved search?" in client.get(url).content.decode()
    assert SavedSearch.objects.filter(pk=saved.pk).exists()
    response = client.post(url, follow=True)
    assert not SavedSearch.objects.filter(pk=saved.pk).exists()
    assert "You deleted the saved search ‘Old search’" in response.content.decode()


def test_replacing_the_feed_address_stops_the_old_one(client, bob):
    saved = make_saved_search(bob)
    old_feed = reverse("saved_searches:feed_atom", args=[saved.feed_token])
    signed_in(client, bob)
    assert client.get(old_feed).status_code == 200
    client.post(reverse("saved_searches:token_replace", args=[saved.pk]))
    saved.refresh_from_db()
    assert client.get(old_feed).status_code == 404
    assert client.get(reverse("saved_searches:feed_atom", args=[saved.feed_token])).status_code == 200


def test_saved_searches_are_in_the_audit_trail_without_their_token(client, bob):
    signed_in(client, bob).post(f"{CREATE}?q=dance", {"name": "Dance", "frequency": "weekly"})
    saved = SavedSearch.objects.get(owner=bob)
    entry = LogEntry.objects.get_for_object(saved).get()
    assert entry.actor == bob
    assert entry.action == LogEntry.Action.CREATE
    assert saved.feed_token not in str(entry.changes)


# The summary -------------------------------------------------------------------------------------------


def test_the_summary_says_the_filters_in_words():
    summary = dict(search_summary({
        "q": ["arts"], "buyer_type": ["local_authority", "icb"], "value_min": ["10000"],
        "relevance": ["direct"], "deadline": ["30"], "sort": ["relevance"],
    }))
    assert summary["Search words"] == "arts"
    assert summary["Type of buyer"] == "Local authority or Integrated Care Board"
    assert summary["Value at least (£)"] == "£10000"
    assert summary["Relevance"] == "Cultural work"
    assert summary["Deadline"] == "Closing in the next 30 days"
    assert "Sort by" not in summary

import re

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from culturehub.places import selectors, services
from culturehub.places.models import Priority
from culturehub.places.tests.factories import give_two_factor, make_geography, make_priority
from culturehub.vocabulary.models import Term

pytestmark = pytest.mark.django_db


@pytest.fixture
def geo(db):
    return make_geography()


@pytest.fixture
def themes(vocabulary):
    return list(Term.objects.themes().filter(key__in=["mental_health", "isolation"]).order_by("key"))


def fields(**overrides):
    values = {
        "title": "Reduce loneliness",
        "summary": "Fewer people feel lonely, especially older people living alone.",
        "document_type": Priority.DocumentType.HEALTH_AND_WELLBEING_STRATEGY,
        "source_title": "Health and Wellbeing Strategy 2023 to 2028",
        "source_url": "https://example.org/hwb-strategy",
        "source_date": "2023-2028",
        "publisher": "Health and Wellbeing Board",
    }
    values.update(overrides)
    return values


def form_data(themes=(), **overrides):
    data = fields(**overrides)
    data["themes"] = [str(term.pk) for term in themes]
    return data


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def signed_in(client, user):
    if user.needs_two_factor:
        give_two_factor(user)
    client.force_login(user)
    return client


# --------------------------------------------------------------------------- services: who may

@pytest.mark.parametrize("name", ["alice", "carol"])
def test_administrators_and_commissioners_can_add_change_and_delete(request, geo, themes, name):
    user = request.getfixturevalue(name)
    priority = services.priority_create(user=user, area=geo.manchester, themes=themes, **fields())
    assert priority.created_by == user
    assert list(priority.themes.order_by("key")) == themes

    services.priority_update(
        user=user, priority=priority, themes=themes[:1], **fields(title="Less loneliness")
    )
    priority.refresh_from_db()
    assert priority.title == "Less loneliness"
    assert list(priority.themes.all()) == themes[:1]

    services.priority_delete(user=user, priority=priority)
    assert not Priority.objects.exists()


@pytest.mark.parametrize("name", ["bob", "dave", "anonymous"])
def test_members_coordinators_and_anonymous_people_cannot(request, geo, name):
    user = AnonymousUser() if name == "anonymous" else request.getfixturevalue(name)
    with pytest.raises(PermissionDenied):
        services.priority_create(user=user, area=geo.manchester, **fields())
    priority = make_priority(area=geo.manchester)
    with pytest.raises(PermissionDenied):
        services.priority_update(user=user, priority=priority, **fields(title="Changed"))
    with pytest.raises(PermissionDenied):
        services.priority_delete(user=user, priority=priority)
    priority.refresh_from_db()
    assert priority.title == "Mental wellness and balance"


# --------------------------------------------------------------------------- services: validation

def test_it_rejects_a_source_address_that_is_not_https(geo, alice):
    with pytest.raises(ValidationError) as error:
        services.priority_create(user=alice, area=geo.manchester, **fields(source_url="http://example.org/x"))
    assert error.value.message_dict["source_url"] == [
        "Enter the address of the source document, starting with https://"
    ]
    assert not Priority.objects.exists()


def test_it_rejects_a_missing_title_with_a_message_that_says_what_to_do(geo, alice):
    with pytest.raises(ValidationError) as error:
        services.priority_create(user=alice, area=geo.manchester, **fields(title="  "))
    assert error.value.message_dict["title"] == ["Enter the title of the priority"]


def test_it_rejects_themes_from_outside_the_priority_themes(geo, alice, vocabulary):
    art_form = Term.objects.get(scheme__key="art_forms", key="music")
    with pytest.raises(ValidationError) as error:
        services.priority_create(user=alice, area=geo.manchester, themes=[art_form], **fields())
    assert "themes" in error.value.message_dict


# --------------------------------------------------------------------------- audit trail

def test_changes_are_recorded_in_the_audit_trail_with_who_made_them(geo, alice, carol, themes):
    priority = services.priority_create(user=alice, area=geo.manchester, themes=themes[:1], **fields())
    services.priority_update(user=carol, priority=priority, themes=themes,
                             **fields(title="Less loneliness", document_type="jsna"))
    entries = LogEntry.objects.get_for_object(priority)
    assert entries.filter(action=LogEntry.Action.CREATE, actor=alice).exists()
    assert entries.filter(action=LogEntry.Action.UPDATE, actor=carol).exists()

    history = selectors.priority_history(user=carol, priority=priority)
    assert history[-1].action == "Added" and history[-1].who == "alice@example.org"
    changes = [(c.field, c.before, c.after) for entry in history for c in entry.changes]
    assert ("Title", "Reduce loneliness", "Less loneliness") in changes
    assert ("Document type", "Health and Wellbeing Strategy", "Joint Strategic Needs Assessment") in changes
    assert ("Themes", "", f"added {themes[0].label}") in changes or (
        "Themes", "", f"added {themes[1].label}") in changes
    assert all(c[0] != "Updated at" for c in changes)


def test_a_deletion_is_recorded_with_who_deleted(geo, alice):
    priority = services.priority_create(user=alice, area=geo.manchester, **fields())
    pk = priority.pk
    services.priority_delete(user=alice, priority=priority)
    assert LogEntry.objects.filter(object_id=pk, action=LogEntry.Action.DELETE, actor=alice).exists()


def test_only_editors_can_see_the_history(geo, bob):
    priority = make_priority(area=geo.manchester)
    with pytest.raises(PermissionDenied):
        selectors.priority_history(user=bob, priority=priority)


# --------------------------------------------------------------------------- pages: adding

@pytest.mark.parametrize("name", ["alice", "carol"])
def test_editors_add_a_priority_through_the_form(request, client, geo, themes, name):
    signed_in(client, request.getfixturevalue(name))
    url = reverse("places:priority_add", args=["E08000003"])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    assert "Mental health" in text_of(page)  # themes offered as checkboxes from the vocabulary
    assert 'type="checkbox"' in page.content.decode()

    response = client.post(url, form_data(themes=themes), follow=True)
    assert response.redirect_chain[-1][0] == "/places/E08000003/#priorities"
    assert "Priority added: Reduce loneliness" in text_of(response)
    priority = Priority.objects.get()
    assert priority.area == geo.manchester
    assert set(priority.themes.all()) == set(themes)


def test_a_bad_form_shows_the_error_summary_and_says_how_to_fix_it(client, geo, alice):
    signed_in(client, alice)
    response = client.post(
        reverse("places:priority_add", args=["E08000003"]),
        form_data(title="", source_url="example.org/strategy.pdf", document_type="", summary=""),
    )
    assert response.status_code == 200
    text = text_of(response)
    assert "There is a problem" in text
    assert "Enter the title of the priority" in text
    assert "Enter a summary of the priority in your own words" in text
    assert "Select the type of document the priority comes from" in text
    assert '<title>Error: Add a priority for Manchester' in response.content.decode()
    assert not Priority.objects.exists()


def test_an_http_address_is_refused_with_guidance(client, geo, alice):
    signed_in(client, alice)
    response = client.post(reverse("places:priority_add", args=["E08000003"]),
                           form_data(source_url="http://example.org/strategy"))
    assert "Enter the address of the source document, starting with https://" in text_of(response)
    assert 'href="#id_source_url"' in response.content.decode()
    assert not Priority.objects.exists()


@pytest.mark.parametrize("name", ["bob", "dave"])
def test_members_and_coordinators_cannot_open_or_post_the_forms(request, client, geo, name):
    signed_in(client, request.getfixturevalue(name))
    priority = make_priority(area=geo.manchester)
    add = reverse("places:priority_add", args=["E08000003"])
    assert client.get(add).status_code == 403
    assert client.post(add, form_data()).status_code == 403
    edit = reverse("places:priority_edit", args=[priority.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, form_data(title="Changed")).status_code == 403
    delete = reverse("places:priority_delete", args=[priority.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete).status_code == 403
    assert Priority.objects.get().title == "Mental wellness and balance"


def test_anonymous_people_are_sent_to_sign_in(client, geo):
    priority = make_priority(area=geo.manchester)
    for url in (
        reverse("places:priority_add", args=["E08000003"]),
        reverse("places:priority_edit", args=[priority.pk]),
        reverse("places:priority_delete", args=[priority.pk]),
    ):
        response = client.post(url, form_data(title="Changed"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert Priority.objects.count() == 1
    assert Priority.objects.get().title == "Mental wellness and balance"


def test_the_forms_need_a_csrf_token(geo, alice):
    client = signed_in(Client(enforce_csrf_checks=True), alice)
    response = client.post(reverse("places:priority_add", args=["E08000003"]), form_data())
    assert response.status_code == 403
    assert not Priority.objects.exists()


def test_adding_for_an_unknown_place_is_not_found(client, geo, alice):
    signed_in(client, alice)
    assert client.get(reverse("places:priority_add", args=["E99999999"])).status_code == 404


# --------------------------------------------------------------------------- pages: changing and deleting

def test_the_edit_page_fills_the_form_and_shows_the_history_of_changes(client, geo, alice, carol, themes):
    priority = services.priority_create(user=alice, area=geo.manchester, themes=themes, **fields())
    services.priority_update(user=alice, priority=priority, themes=themes, **fields(title="Less loneliness"))
    signed_in(client, carol)
    response = client.get(reverse("places:priority_edit", args=[priority.pk]))
    page = response.content.decode()
    text = text_of(response)
    assert 'value="Less loneliness"' in page
    assert page.count("checked") == len(themes)
    assert "History of changes" in text
    assert "alice@example.org" in text
    assert "“Reduce loneliness” changed to “Less loneliness”" in text


def test_editors_change_a_priority_through_the_form(client, geo, carol, themes):
    priority = make_priority(area=geo.manchester, themes=themes)
    signed_in(client, carol)
    response = client.post(reverse("places:priority_edit", args=[priority.pk]),
                           form_data(themes=themes[:1], title="Better mental health"), follow=True)
    assert "Priority changed: Better mental health" in text_of(response)
    priority.refresh_from_db()
    assert priority.title == "Better mental health"
    assert list(priority.themes.all()) == themes[:1]
    assert LogEntry.objects.get_for_object(priority).filter(actor=carol).exists()


def test_deleting_asks_for_confirmation_first(client, geo, alice):
    priority = make_priority(area=geo.manchester, title="Start well")
    signed_in(client, alice)
    url = reverse("places:priority_delete", args=[priority.pk])
    confirm = client.get(url)
    assert "Are you sure you want to delete this priority?" in text_of(confirm)
    assert "Start well" in text_of(confirm)
    assert Priority.objects.exists()
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == "/places/E08000003/#priorities"
    assert "Priority deleted: Start well" in text_of(response)
    assert not Priority.objects.exists()


# --------------------------------------------------------------------------- the profile's links

@pytest.mark.parametrize("name", ["alice", "carol"])
def test_editors_see_links_to_add_change_and_delete(request, client, geo, name):
    priority = make_priority(area=geo.manchester)
    signed_in(client, request.getfixturevalue(name))
    page = client.get(reverse("places:detail", args=["E08000003"])).content.decode()
    assert reverse("places:priority_add", args=["E08000003"]) in page
    assert reverse("places:priority_edit", args=[priority.pk]) in page
    assert reverse("places:priority_delete", args=[priority.pk]) in page


@pytest.mark.parametrize("name", ["bob", "dave", "anonymous"])
def test_everyone_else_sees_no_editing_links(request, client, geo, name):
    priority = make_priority(area=geo.manchester)
    if name != "anonymous":
        signed_in(client, request.getfixturevalue(name))
    page = client.get(reverse("places:detail", args=["E08000003"])).content.decode()
    assert "Mental wellness and balance" in page
    assert "/priorities/add/" not in page
    assert reverse("places:priority_edit", args=[priority.pk]) not in page

"""The audit trail of accounts: role and access changes are recorded with who made them; passwords and
sign-in times are not; each person sees their own recent changes on their account page."""

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from culturehub.accounts.selectors import user_recent_changes
from culturehub.accounts.services import user_save_access

pytestmark = pytest.mark.django_db


def _entries_for(user):
    return LogEntry.objects.get_for_object(user).order_by("timestamp", "pk")


def test_a_role_change_is_recorded_with_the_administrator_who_made_it(alice, bob):
    bob.role = "commissioner"
    with set_actor(alice):
        user_save_access(actor=alice, user=bob)
    entry = _entries_for(bob).last()
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == alice
    assert entry.changes_dict == {"role": ["member", "commissioner"]}


def test_closing_an_account_is_recorded(alice, dave):
    dave.is_active = False
    with set_actor(alice):
        user_save_access(actor=alice, user=dave)
    assert _entries_for(dave).last().changes_dict == {"is_active": ["True", "False"]}


def test_passwords_and_sign_in_times_are_never_recorded(bob):
    before = _entries_for(bob).count()
    bob.set_password("a-different-long-passphrase")
    bob.save()
    bob.last_login = timezone.now()
    bob.save()
    assert _entries_for(bob).count() == before
    assert all("password" not in (entry.changes_dict or {}) for entry in _entries_for(bob))


def test_only_an_administrator_can_save_a_role_change(carol, bob):
    bob.role = "administrator"
    with pytest.raises(PermissionDenied):
        user_save_access(actor=carol, user=bob)
    bob.refresh_from_db()
    assert bob.role == "member"


def test_recent_changes_are_the_persons_own_newest_first_and_at_most_twenty(alice, bob, dave):
    with set_actor(alice):
        for number in range(22):
            bob.display_name = f"Bob {number}"
            bob.save()
    with set_actor(dave):
        dave.display_name = "Dave"
        dave.save()
    changes = user_recent_changes(user=alice)
    assert len(changes) == 20
    assert changes[0].fields == [("display name", "Bob 20", "Bob 21")]
    assert all(change.record.startswith("Bob") for change in changes)


def test_the_account_page_shows_role_two_factor_and_recent_changes(client, alice, bob, with_totp):
    with set_actor(alice):
        bob.role = "coordinator"
        bob.save()
    with_totp(alice)
    client.force_login(alice)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "Administrator" in html
    assert '<strong class="govuk-tag govuk-tag--green">On</strong>' in html
    assert reverse("mfa_index") in html and reverse("account_change_password") in html
    assert "Your recent changes" in html
    assert "Role: Cultural organisation member to Consortium coordinator" in html


def test_the_account_page_says_when_there_are_no_changes(client, bob):
    client.force_login(bob)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "You have not changed any records yet." in html
    assert '<strong class="govuk-tag govuk-tag--grey">Off</strong>' in html

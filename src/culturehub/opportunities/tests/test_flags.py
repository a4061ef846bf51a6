"""Commissioners' relevance flags: who may flag, one flag per person, the audit trail, and the page.

alice is an administrator, carol a commissioner, bob a member; both privileged roles need two-factor.
"""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from culturehub.opportunities.models import RelevanceFlag
from culturehub.opportunities.services import relevance_flag_set
from culturehub.opportunities.tests.opportunity_factories import make_opportunity
from culturehub.places.tests.factories import give_two_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def opportunity(db):
    return make_opportunity(title="Roof repairs at the museum", relevance="none")


def flag_url(opportunity) -> str:
    return reverse("opportunities:flag", args=[opportunity.pk])


def detail_url(opportunity) -> str:
    return reverse("opportunities:detail", args=[opportunity.pk])


# The service ----------------------------------------------------------------------------------------

def test_a_commissioner_can_flag_and_a_second_flag_replaces_the_first(carol, opportunity):
    relevance_flag_set(user=carol, opportunity=opportunity, relevance="direct", note="A heritage project.")
    relevance_flag_set(user=carol, opportunity=opportunity, relevance="adjacent", note="  On reflection.  ")
    flag = RelevanceFlag.objects.get()
    assert (flag.flagged_by, flag.relevance, flag.note) == (carol, "adjacent", "On reflection.")


def test_an_administrator_can_flag(alice, opportunity):
    relevance_flag_set(user=alice, opportunity=opportunity, relevance="none", note="")
    assert RelevanceFlag.objects.filter(flagged_by=alice, relevance="none").exists()


def test_flags_never_change_culture_hubs_own_judgement(carol, opportunity):
    relevance_flag_set(user=carol, opportunity=opportunity, relevance="direct", note="")
    opportunity.refresh_from_db()
    assert opportunity.relevance == "none"


def test_a_member_cannot_flag(bob, opportunity):
    with pytest.raises(PermissionDenied):
        relevance_flag_set(user=bob, opportunity=opportunity, relevance="direct", note="")
    assert not RelevanceFlag.objects.exists()


def test_someone_not_signed_in_cannot_flag(opportunity):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        relevance_flag_set(user=AnonymousUser(), opportunity=opportunity, relevance="direct", note="")


def test_a_relevance_that_is_not_one_of_the_three_is_refused(carol, opportunity):
    with pytest.raises(ValidationError) as error:
        relevance_flag_set(user=carol, opportunity=opportunity, relevance="maybe", note="")
    assert "relevance" in error.value.message_dict


def test_flags_are_kept_in_the_audit_trail(carol, opportunity):
    flag = relevance_flag_set(user=carol, opportunity=opportunity, relevance="direct", note="")
    relevance_flag_set(user=carol, opportunity=opportunity, relevance="adjacent", note="")
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(RelevanceFlag), object_pk=str(flag.pk)
    ).order_by("timestamp")
    assert [entry.action for entry in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert entries[1].changes_dict["relevance"] == ["direct", "adjacent"]


# The page -------------------------------------------------------------------------------------------

def test_a_commissioner_with_two_factor_flags_from_the_page(client, carol, opportunity):
    client.force_login(give_two_factor(carol))
    assert 'action="' + flag_url(opportunity) + '"' in client.get(detail_url(opportunity)).content.decode()
    response = client.post(flag_url(opportunity), {"relevance": "adjacent", "note": "Could be a partner."})
    assert response.status_code == 302 and response["Location"] == detail_url(opportunity) + "#flags"
    flag = RelevanceFlag.objects.get()
    assert (flag.flagged_by, flag.relevance) == (carol, "adjacent")
    entry = LogEntry.objects.get(content_type=ContentType.objects.get_for_model(RelevanceFlag))
    assert entry.actor == carol
    page = client.get(detail_url(opportunity)).content.decode()
    assert "Your flag is saved" in page and "Update your flag" in page


def test_the_form_starts_from_the_persons_own_flag(client, carol, opportunity):
    relevance_flag_set(user=carol, opportunity=opportunity, relevance="adjacent", note="Maybe.")
    client.force_login(give_two_factor(carol))
    page = client.get(detail_url(opportunity)).content.decode()
    assert 'value="adjacent" checked' in page and "Maybe.</textarea>" in page


def test_an_administrator_with_two_factor_can_flag(client, alice, opportunity):
    client.force_login(give_two_factor(alice))
    assert client.post(flag_url(opportunity), {"relevance": "none"}).status_code == 302
    assert RelevanceFlag.objects.filter(flagged_by=alice).exists()


def test_a_commissioner_without_two_factor_is_sent_to_set_it_up(client, carol, opportunity):
    client.force_login(carol)
    response = client.post(flag_url(opportunity), {"relevance": "direct"})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    assert not RelevanceFlag.objects.exists()


def test_a_form_without_a_choice_gets_the_error_summary(client, carol, opportunity):
    client.force_login(give_two_factor(carol))
    response = client.post(flag_url(opportunity), {"note": "Hmm"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text and 'href="#id_relevance"' in text and 'id="id_relevance"' in text
    assert not RelevanceFlag.objects.exists()


def test_a_member_sees_the_flags_but_no_form_and_cannot_post(client, bob, carol, opportunity):
    carol.display_name = "Carol Jones"
    carol.save()
    relevance_flag_set(user=carol, opportunity=opportunity, relevance="direct", note="A heritage project.")
    client.force_login(bob)
    page = client.get(detail_url(opportunity)).content.decode()
    assert "Carol Jones" in page and "A heritage project." in page
    assert flag_url(opportunity) not in page
    assert client.post(flag_url(opportunity), {"relevance": "none"}).status_code == 403
    assert RelevanceFlag.objects.get().relevance == "direct"


def test_someone_not_signed_in_sees_the_counts_and_is_asked_to_sign_in_to_post(client, carol, alice,
                                                                             opportunity):
    relevance_flag_set(user=carol, opportunity=opportunity, relevance="direct", note="")
    relevance_flag_set(user=alice, opportunity=opportunity, relevance="direct", note="")
    page = client.get(detail_url(opportunity)).content.decode()
    assert "Cultural work: <strong>2</strong>" in page
    assert "Not for the cultural sector: <strong>0</strong>" in page
    assert flag_url(opportunity) not in page
    response = client.post(flag_url(opportunity), {"relevance": "none"})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_who_flagged_is_shown_by_display_name_and_never_by_email(client, carol, opportunity):
    relevance_flag_set(user=carol, opportunity=opportunity, relevance="direct", note="")
    page = client.get(detail_url(opportunity)).content.decode()
    assert "A commissioner" in page and carol.email not in page


def test_flagging_needs_the_csrf_token(carol, opportunity):
    client = Client(enforce_csrf_checks=True)
    client.force_login(give_two_factor(carol))
    assert client.post(flag_url(opportunity), {"relevance": "direct"}).status_code == 403
    assert not RelevanceFlag.objects.exists()


def test_flagging_an_unknown_opportunity_is_not_found(client, carol):
    client.force_login(give_two_factor(carol))
    response = client.post(reverse("opportunities:flag", args=[424242]), {"relevance": "direct"})
    assert response.status_code == 404


def test_the_flag_address_only_takes_posts(client, carol, opportunity):
    client.force_login(give_two_factor(carol))
    assert client.get(flag_url(opportunity)).status_code == 405

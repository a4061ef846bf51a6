"""Alert emails: new matches once only, whatever happens between composing and sending."""

from __future__ import annotations

import logging
import smtplib
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from culturehub.opportunities import alerts
from culturehub.opportunities.alerts import (
    alerts_send_immediate,
    alerts_send_weekly,
    immediate_period,
    weekly_period,
)
from culturehub.opportunities.models import AlertMatch, AlertMessage, Relevance, SavedSearch, Stage
from culturehub.opportunities.tests.saved_factories import make_buyer, make_opportunity, make_saved_search

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://culturehub.example.org/"


def _send_fails_once():
    """send_mail that refuses the first message, as a mail server that is down would, then delivers."""
    real = alerts.send_mail
    calls = {"count": 0}

    def send(*args, **kwargs):
        calls["count"] += 1
        if calls["count"] == 1:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return real(*args, **kwargs)

    return mock.patch.object(alerts, "send_mail", side_effect=send)


def test_periods_name_the_window_and_the_week():
    now = datetime(2026, 11, 22, 8, 37, 12, tzinfo=UTC)
    assert immediate_period(now) == "immediate-2026-11-22T08:30Z"
    assert weekly_period(now) == "2026-W47"
    # Sunday 23:30 UTC in summer is already Monday in the UK.
    assert weekly_period(datetime(2026, 6, 7, 23, 30, tzinfo=UTC)) == "2026-W24"


def test_an_immediate_search_is_emailed_its_new_matches_once_even_when_run_twice(bob):
    saved = make_saved_search(bob, query={"q": ["prescription"]})
    first = make_opportunity("Arts on prescription in Leeds")
    second = make_opportunity("Social prescription: creative health", relevance=Relevance.ADJACENT)
    make_opportunity("Road resurfacing")  # does not match the words

    run = alerts_send_immediate()
    again = alerts_send_immediate()

    assert (run.composed, run.matches, run.sent) == (1, 2, 1)
    assert (again.composed, again.matches, again.sent) == (0, 0, 0)
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["bob@example.org"]
    assert email.subject == "2 new opportunities for ‘Arts on prescription’"
    assert "Arts on prescription in Leeds" in email.body
    assert "Social prescription: creative health" in email.body
    assert "Road resurfacing" not in email.body
    assert set(AlertMatch.objects.filter(saved_search=saved).values_list("opportunity_id", flat=True)) == {
        first.pk, second.pk}
    assert AlertMessage.objects.get().sent_at is not None


def test_the_email_gives_each_opportunitys_details_and_links_in_text_and_html(bob):
    saved = make_saved_search(bob)
    deadline = datetime(2026, 12, 14, 12, 0, tzinfo=UTC)
    opportunity = make_opportunity("Arts on prescription", buyer=make_buyer("Leeds City Council"),
                                   deadline=deadline)
    with mock.patch.object(timezone, "now", return_value=datetime(2026, 11, 22, 9, tzinfo=UTC)):
        alerts_send_immediate()
    email = mail.outbox[0]
    link = f"https://culturehub.example.org/opportunities/{opportunity.pk}/"
    for text in (email.body, email.alternatives[0][0]):
        assert "Arts on prescription" in text
        assert "Leeds City Council" in text
        assert "14 December 2026, 12:00" in text
        assert "Cultural work" in text
        assert link in text
        assert f"https://culturehub.example.org/opportunities/saved/{saved.pk}/edit/" in text
    assert email.alternatives[0][1] == "text/html"


def test_opportunities_known_before_the_search_was_saved_are_not_alerted(bob):
    earlier = timezone.now() - timedelta(days=3)
    make_opportunity("Arts on prescription, old", created_at=earlier, last_updated=earlier)
    make_saved_search(bob, alerts_from=timezone.now() - timedelta(days=1))
    assert alerts_send_immediate().matches == 0
    assert mail.outbox == []


def test_an_older_process_given_a_new_notice_that_matches_is_alerted(bob):
    earlier = timezone.now() - timedelta(days=3)
    make_opportunity("Arts on prescription: tender now open", created_at=earlier,
                     last_updated=timezone.now())
    make_saved_search(bob, alerts_from=timezone.now() - timedelta(days=1))
    assert alerts_send_immediate().matches == 1


def test_a_crash_after_composing_leaves_the_message_for_the_next_run(bob):
    make_saved_search(bob)
    make_opportunity("Arts on prescription")
    with mock.patch.object(alerts, "alerts_send_pending", side_effect=SystemExit("worker killed")), \
            pytest.raises(SystemExit):
        alerts_send_immediate()
    message = AlertMessage.objects.get()
    assert message.sent_at is None and message.matches.count() == 1
    assert mail.outbox == []

    run = alerts_send_immediate()

    assert (run.composed, run.sent) == (0, 1)
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.sent_at is not None


def test_a_failed_send_is_kept_with_its_error_and_sent_once_on_the_next_run(bob):
    make_saved_search(bob)
    make_opportunity("Arts on prescription")
    with _send_fails_once():
        first = alerts_send_immediate()
        message = AlertMessage.objects.get()
        assert (first.sent, first.failed) == (0, 1)
        assert message.sent_at is None
        assert message.attempts == 1
        assert "SMTPServerDisconnected" in message.last_error
        second = alerts_send_immediate()
        third = alerts_send_immediate()
    assert (second.sent, third.sent) == (1, 0)
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.sent_at is not None and message.attempts == 2


def test_it_gives_up_after_the_last_attempt_and_says_so(bob, settings, caplog):
    settings.OPPORTUNITIES_ALERT_MAX_ATTEMPTS = 2
    make_saved_search(bob)
    make_opportunity("Arts on prescription")
    with mock.patch.object(alerts, "send_mail", side_effect=OSError("No route to host")), \
            caplog.at_level(logging.WARNING, logger="culturehub.opportunities.alerts"):
        alerts_send_immediate()
        alerts_send_immediate()
        alerts_send_immediate()
    message = AlertMessage.objects.get()
    assert message.attempts == 2 and message.sent_at is None
    assert any("Giving up" in record.getMessage() and record.levelno == logging.ERROR
               for record in caplog.records)


def test_matches_found_after_the_windows_message_went_wait_for_the_next_window(bob):
    make_saved_search(bob)
    now = datetime(2026, 11, 22, 9, 1, tzinfo=UTC)
    make_opportunity("Arts on prescription, first")
    alerts_send_immediate(now=now)
    make_opportunity("Arts on prescription, second")
    assert alerts_send_immediate(now=now + timedelta(minutes=5)).sent == 0
    assert alerts_send_immediate(now=now + timedelta(minutes=15)).sent == 1
    assert len(mail.outbox) == 2
    assert "second" in mail.outbox[1].body and "first" not in mail.outbox[1].body


def test_the_weekly_digest_gathers_the_weeks_matches_into_one_email_by_relevance(bob):
    make_saved_search(bob, name="Prescription weekly", frequency=SavedSearch.Frequency.WEEKLY)
    make_saved_search(bob, name="Immediate one")  # immediate: not in the digest
    make_opportunity("Arts on prescription A")
    make_opportunity("Arts on prescription B")
    make_opportunity("Green social prescription", relevance=Relevance.ADJACENT)
    monday = datetime(2026, 11, 23, 7, tzinfo=UTC)

    run = alerts_send_weekly(now=monday)
    alerts_send_weekly(now=monday + timedelta(hours=1))

    assert (run.composed, run.matches, run.sent) == (1, 3, 1)
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.subject == "This week’s 3 new opportunities for ‘Prescription weekly’"
    body = email.body
    assert body.index("CULTURAL WORK") < body.index("Arts on prescription A") < body.index(
        "COULD DELIVER PART OR PARTNER") < body.index("Green social prescription")
    assert AlertMessage.objects.get().period == "2026-W48"


def test_no_email_is_sent_in_a_week_with_no_new_matches(bob):
    make_saved_search(bob, frequency=SavedSearch.Frequency.WEEKLY)
    run = alerts_send_weekly()
    assert (run.composed, run.sent) == (0, 0)
    assert mail.outbox == [] and not AlertMessage.objects.exists()


def test_inactive_people_are_never_emailed(bob):
    make_saved_search(bob)
    make_opportunity("Arts on prescription")
    bob.is_active = False
    bob.save()
    alerts_send_immediate()
    assert mail.outbox == []
    assert not AlertMessage.objects.exists()


def test_a_message_composed_before_someone_was_deactivated_is_not_sent(bob):
    make_saved_search(bob)
    make_opportunity("Arts on prescription")
    with mock.patch.object(alerts, "alerts_send_pending", return_value=(0, 0)):
        alerts_send_immediate()
    bob.is_active = False
    bob.save()
    alerts_send_immediate()
    assert mail.outbox == []


def test_searches_with_no_emails_are_not_alerted(bob):
    make_saved_search(bob, frequency=SavedSearch.Frequency.NEVER)
    make_opportunity("Arts on prescription")
    alerts_send_immediate()
    alerts_send_weekly()
    assert mail.outbox == []


def test_closed_opportunities_are_not_alerted_by_a_search_for_open_ones(bob):
    make_saved_search(bob)
    make_opportunity("Arts on prescription, closed", stage=Stage.AWARD,
                     deadline=timezone.now() - timedelta(days=2))
    assert alerts_send_immediate().matches == 0


def test_a_long_list_is_cut_short_with_a_link_to_the_rest(bob, monkeypatch):
    monkeypatch.setattr(alerts, "LISTED_PER_EMAIL", 2)
    make_saved_search(bob)
    for letter in "ABC":
        make_opportunity(f"Arts on prescription {letter}")
    alerts_send_immediate()
    body = mail.outbox[0].body
    assert "And 1 more. See them all: https://culturehub.example.org/opportunities/?q=prescription" in body
    assert mail.outbox[0].subject.startswith("3 new opportunities")

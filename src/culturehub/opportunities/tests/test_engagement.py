"""Market engagement announced in a notice's words."""

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from culturehub.opportunities.compiling import compile_releases
from culturehub.opportunities.engagement import engagements_in_text, first_date


def test_it_finds_a_provider_forum_and_its_date():
    text = ("The council is recommissioning its carers' support service. A provider forum will be held "
            "on Tuesday 4th March 2025 at 10am at the Council House. Tenders open in May.")
    [event] = engagements_in_text(text)
    assert event["date"] == "2025-03-04T00:00:00+00:00"
    assert event["description"].startswith("A provider forum will be held")
    assert "Tenders open" not in event["description"]


def test_it_reads_a_day_first_numeric_date():
    [event] = engagements_in_text("Soft market testing questionnaire responses are due by 07/02/2025.")
    assert event["date"].startswith("2025-02-07")


def test_an_engagement_with_no_date_is_kept_without_one():
    [event] = engagements_in_text("We intend to hold a market engagement event for interested providers.")
    assert event["date"] == ""
    assert event["title"].startswith("Market engagement")


@pytest.mark.parametrize("text", [
    "Provision of catering services at the Civic Centre.",
    "The provider will engage with the market leaders in digital theatre.",
    "Event security for the summer festival on 3 June 2025.",
    "",
])
def test_text_that_announces_no_engagement_gives_none(text):
    assert engagements_in_text(text) == []


def test_the_same_sentence_gives_the_same_event_id_each_time():
    text = "A supplier day takes place on 12 May 2025."
    assert engagements_in_text(text)[0]["id"] == engagements_in_text(f"Intro. {text}")[0]["id"]


def test_an_impossible_date_is_passed_over_for_a_real_one():
    assert first_date("Meet the buyer: 31/02/2025, moved to 3 March 2025") == datetime(2025, 3, 3, tzinfo=UTC)


@given(st.text(max_size=400))
def test_any_text_is_read_without_error(text):
    for event in engagements_in_text(text):
        assert set(event) == {"id", "date", "title", "description"}


def _tender_release(description: str, milestones: list | None = None) -> dict:
    tender = {"id": "t1", "description": description}
    if milestones is not None:
        tender["milestones"] = milestones
    return {"ocid": "ocds-b5fd17-1", "id": "r1", "date": "2025-01-10T00:00:00Z", "tag": ["tender"],
            "tender": tender}


def test_a_process_compiles_an_engagement_found_only_in_its_words():
    release = _tender_release("Creative health service. A provider forum will be held on 4 March 2025.")
    compiled, _lots = compile_releases([release])
    [event] = compiled["engagement_dates"]
    assert event["date"].startswith("2025-03-04")
    assert compiled["next_engagement"] == datetime(2025, 3, 4, tzinfo=UTC)


def test_a_notice_with_engagement_milestones_is_not_read_for_more():
    milestone = {"id": "m1", "type": "engagement", "title": "Provider forum",
                 "dueDate": "2025-03-05T10:00:00Z"}
    release = _tender_release("A provider forum will be held on 4 March 2025.", [milestone])
    compiled, _lots = compile_releases([release])
    assert [event["title"] for event in compiled["engagement_dates"]] == ["Provider forum"]

"""The relevance judge on hand-written notices covering the rubric's hard cases."""

import pytest

from culturehub.opportunities.relevance import judge_release


def notice(title, description="", *, buyer="", cpv=()):
    tender = {"title": title, "description": description}
    if cpv:
        tender["items"] = [
            {"id": "1", "additionalClassifications": [{"scheme": "CPV", "id": code} for code in cpv]}
        ]
    return {"ocid": "ocds-test-1", "id": "r1", "tender": tender, "buyer": {"name": buyer}}


@pytest.mark.parametrize(
    ("title", "description", "buyer", "cpv"),
    [
        (
            "Museum roof repairs",
            "Replacement of the slate roof and lead gutters of the county museum.",
            "Town Council",
            ("45261000",),
        ),
        (
            "Theatre stage lighting equipment",
            "Supply and installation of LED stage lighting for the civic theatre.",
            "",
            (),
        ),
        (
            "Festival event security and stewarding",
            "Stewarding and security for the summer arts festival.",
            "",
            ("79952000",),
        ),
        (
            "Gallery cafe operator",
            "Catering concession for the cafe at the city art gallery.",
            "City Art Gallery",
            (),
        ),
        (
            "Library management system",
            "Replacement of the library management system for 20 public libraries.",
            "",
            (),
        ),
        ("Cleaning of heritage buildings", "Cleaning services for the museum and the archive.", "", ()),
        (
            "NHS Talking Therapies",
            "Psychological therapies for adults with anxiety and depression.",
            "NHS ICB",
            (),
        ),
        (
            "Home care framework",
            "Domiciliary care and support at home for older people with dementia.",
            "",
            (),
        ),
        ("Framework for highway resurfacing", "Resurfacing and patching of roads across the county.", "", ()),
    ],
)
def test_works_equipment_services_and_clinical_care_are_none_even_at_cultural_buyers(
    title, description, buyer, cpv
):
    judgement = judge_release(notice(title, description, buyer=buyer, cpv=cpv))
    assert judgement.relevance == "none", judgement
    assert judgement.themes == ()


@pytest.mark.parametrize(
    ("title", "description"),
    [
        (
            "Arts on prescription programme",
            "Creative workshops in visual arts and music for patients referred by GPs.",
        ),
        (
            "Public art commission for the new library",
            "We seek an artist to design and install a public artwork.",
        ),
        (
            "Delivery partner for the town festival",
            "Plan, programme and deliver a three-day cultural festival.",
        ),
        (
            "Evaluation of the cultural development programme",
            "Research and evaluation of a programme of arts activity.",
        ),
        (
            "Invitation to tender",
            "The museum wants a freelance education specialist to develop its schools programme.",
        ),
    ],
)
def test_arts_culture_and_heritage_work_is_direct(title, description):
    judgement = judge_release(notice(title, description))
    assert judgement.relevance == "direct", judgement
    assert judgement.score >= 0.85 and judgement.reasons


def test_arts_on_prescription_carries_the_non_medical_theme():
    judgement = judge_release(
        notice(
            "Arts on prescription programme",
            "Creative workshops for patients referred through social prescribing.",
        )
    )
    assert "non_medical" in judgement.themes


@pytest.mark.parametrize(
    ("title", "description", "theme"),
    [
        (
            "Dementia befriending service",
            "Befriending for people living with dementia who are isolated at home.",
            "dementia",
        ),
        (
            "Holiday activities and food programme",
            "Activities and healthy food for children in the school holidays.",
            "children_young_people",
        ),
        (
            "Social prescribing link worker service",
            "Link workers connecting people to community activities.",
            "non_medical",
        ),
        (
            "Youth service",
            "Open access youth clubs and detached youth work across the borough.",
            "children_young_people",
        ),
        (
            "Reducing loneliness in older people",
            "A community-based service to reduce social isolation.",
            "isolation",
        ),
    ],
)
def test_person_centred_services_in_priority_themes_are_adjacent(title, description, theme):
    judgement = judge_release(notice(title, description))
    assert judgement.relevance == "adjacent", judgement
    assert theme in judgement.themes


def test_a_wellbeing_service_made_of_clinical_care_is_none():
    judgement = judge_release(
        notice(
            "Children and young people's health and wellbeing service",
            "Public health nursing, the healthy child programme and sexual health services for pupils.",
        )
    )
    assert judgement.relevance == "none"
    assert any("clinical" in reason for reason in judgement.reasons)


def test_an_arts_cpv_code_supports_a_plain_title():
    assert judge_release(notice("Christmas show", "", cpv=("92312000",))).relevance == "direct"
    assert judge_release(notice("Christmas show", "")).relevance == "none"


def test_a_notice_with_no_text_is_none_with_a_low_score():
    judgement = judge_release({"ocid": "ocds-test-2"})
    assert judgement.relevance == "none" and judgement.score < 0.5

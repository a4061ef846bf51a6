"""The tagger reads text as a careful person would: labels with the phrases that justify them."""

import pytest

from culturehub.vocabulary.tagger import tag_text, training
from culturehub.vocabulary.tagger.model import Head, model_from_document


def test_a_dementia_choir_is_cultural_singing_for_people_with_dementia():
    tagging = tag_text(
        name="Memory Lane Singers",
        description="A community choir for people living with dementia and their carers.",
    )
    assert tagging.cultural
    assert "singing" in tagging.keys("art_forms")
    assert "dementia" in tagging.keys("themes")
    dementia = next(label for label in tagging.themes if label.key == "dementia")
    assert any("dementia" in reason for reason in dementia.reasons)


def test_an_ordinary_concert_season_gets_no_themes():
    tagging = tag_text(description="An annual season of orchestral concerts and recitals in the city hall.")
    assert tagging.cultural
    assert "music" in tagging.keys("art_forms")
    assert tagging.themes == ()


@pytest.mark.parametrize(
    "text, wrong_art_form",
    [
        ("Buying equipment for the hospital's operating theatres.", "theatre"),
        ("A martial arts club teaching karate to adults.", "visual_arts"),
        ("State of the art facilities for the county's sports teams.", "visual_arts"),
    ],
)
def test_phrases_that_only_look_like_art_forms_are_not_art_forms(text, wrong_art_form):
    tagging = tag_text(description=text)
    assert wrong_art_form not in tagging.keys("art_forms")


def test_a_food_bank_is_not_cultural_and_has_no_art_forms():
    tagging = tag_text(
        name="Eastside Food Bank", description="Emergency food parcels for families in crisis."
    )
    assert not tagging.cultural
    assert tagging.art_forms == ()


def test_social_prescribing_and_isolation_are_read_from_what_the_text_says():
    tagging = tag_text(
        description="Weekly art sessions for isolated older people, "
        "referred by GPs and social prescribing link workers."
    )
    assert {"non_medical", "isolation"} <= set(tagging.keys("themes"))
    assert "older_people" in tagging.keys("populations")


def test_every_label_carries_a_score_between_0_and_1_and_at_least_one_reason():
    tagging = tag_text(description="Youth theatre and dance workshops in schools across the borough.")
    labels = tagging.art_forms + tagging.themes + tagging.populations + tagging.settings
    assert labels
    for label in labels:
        assert 0 < label.score <= 1
        assert label.reasons


def test_a_head_says_yes_at_its_threshold_and_names_the_words_that_moved_it():
    head = Head(weights={"choir": 2.0, "the": 5.0, "art_form:any": 1.0}, bias=-1.0, threshold=0.5)
    decision = head.decide({"choir": 1.0, "the": 1.0, "art_form:any": 0.9})
    assert decision.yes
    assert "the" not in decision.reasons  # a word that explains nothing is never offered as a reason
    assert decision.reasons[0] == "choir"
    assert not head.decide({}).yes


def test_training_is_deterministic_so_the_model_file_can_be_rebuilt_exactly():
    examples = training.activity_examples()[:160]
    first = training.train(examples, learned_art_forms={"music"})
    second = training.train(examples, learned_art_forms={"music"})
    assert first == second
    assert set(first["heads"]) == {"cultural", "art_form:music"}
    model = model_from_document(first)
    assert model.head("art_form:music") is not None and model.head("art_form:dance") is None


def test_the_shipped_model_reads_the_labelled_examples_it_was_trained_on_well():
    examples = training.activity_examples()
    from culturehub.vocabulary.tagger.training import Counts

    counts = Counts()
    for example in examples:
        counts.add(tag_text(**example.field_values).cultural, bool(example.cultural))
    # A sanity floor far below the benchmark's out-of-fold figures: it fails only if the model is broken.
    assert counts.f1 > 0.8

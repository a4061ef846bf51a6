import shutil

import pytest

from culturehub.vocabulary.models import THEME_KEYS, Term
from culturehub.vocabulary.services import TAXONOMY_DIR, TaxonomyError, vocabulary_load

pytestmark = pytest.mark.django_db

REQUIRED_ART_FORMS = {
    "music", "singing", "theatre", "dance", "visual_arts", "crafts", "literature", "film",
    "photography", "digital", "heritage", "museums", "libraries", "festivals", "circus", "combined_arts",
}


def test_it_loads_the_seven_priority_themes_in_order():
    vocabulary_load()
    assert tuple(Term.objects.themes().values_list("key", flat=True)) == THEME_KEYS


def test_it_loads_every_required_art_form_with_a_description_and_synonyms():
    vocabulary_load()
    art_forms = Term.objects.filter(scheme__key="art_forms")
    assert set(art_forms.values_list("key", flat=True)) >= REQUIRED_ART_FORMS
    for term in art_forms:
        assert term.description and term.synonyms and term.commissioner_terms, term.key


def test_outcomes_name_the_themes_they_serve():
    vocabulary_load()
    wellbeing = Term.objects.get(scheme__key="outcomes", key="improved_mental_wellbeing")
    assert "mental_health" in wellbeing.themes.values_list("key", flat=True)


def test_a_second_load_changes_nothing():
    vocabulary_load()
    report = vocabulary_load()
    assert not report.changed_anything
    assert report.unchanged == Term.objects.count()


@pytest.fixture
def taxonomy_copy(tmp_path):
    shutil.copytree(TAXONOMY_DIR, tmp_path / "taxonomy")
    return tmp_path / "taxonomy"


def test_a_term_removed_from_a_file_is_retired_not_deleted(taxonomy_copy):
    vocabulary_load(directory=taxonomy_copy)
    path = taxonomy_copy / "settings.yaml"
    text = path.read_text()
    start = text.index("  - key: hospices")
    end = text.index("  - key:", start + 5)
    path.write_text(text[:start] + text[end:])
    report = vocabulary_load(directory=taxonomy_copy)
    assert report.retired == 1
    assert Term.objects.get(key="hospices").retired


def test_it_refuses_a_themes_file_that_changes_the_seven_themes(taxonomy_copy):
    path = taxonomy_copy / "themes.yaml"
    path.write_text(path.read_text().replace("key: dementia", "key: memory"))
    with pytest.raises(TaxonomyError, match="exactly the seven priority themes"):
        vocabulary_load(directory=taxonomy_copy)


def test_it_names_the_file_and_the_duplicated_key(taxonomy_copy):
    path = taxonomy_copy / "art_forms.yaml"
    path.write_text(path.read_text().replace("key: circus", "key: dance"))
    with pytest.raises(TaxonomyError, match="art_forms.yaml repeats the term key"):
        vocabulary_load(directory=taxonomy_copy)


def test_the_vocabulary_page_explains_each_term(client):
    vocabulary_load()
    html = client.get("/vocabulary/").content.decode()
    assert "Commissioners say:" in html
    assert "Social prescribing" in html


def test_the_vocabulary_api_lists_every_scheme(client):
    vocabulary_load()
    schemes = client.get("/api/vocabulary/").json()
    expected = ["themes", "art_forms", "populations", "settings", "outcomes"]
    assert [scheme["key"] for scheme in schemes] == expected

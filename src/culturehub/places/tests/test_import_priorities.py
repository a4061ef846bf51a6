from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from culturehub.core.models import ImportRun
from culturehub.places.importers import PrioritiesImporter
from culturehub.places.imports import DEMO_PRIORITIES
from culturehub.places.models import Priority

pytestmark = pytest.mark.django_db


@pytest.fixture
def priorities_file(fixtures_dir):
    return fixtures_dir / "priorities_small.yaml"


def edited_copy(source, tmp_path, changes):
    text = source.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "priorities.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_it_loads_each_places_priorities_with_source_and_themes(small_areas, vocabulary, priorities_file):
    run = PrioritiesImporter().run(priorities_file)
    assert (run.rows_read, run.rows_created, run.rows_rejected) == (3, 3, 0)
    connected = Priority.objects.get(area__code="E08000003", title__startswith="Supporting people")
    assert connected.document_type == Priority.DocumentType.OTHER
    assert connected.source_title == (
        "Manchester Population Health Plan (2018-2027): Tackling health inequalities"
    )
    assert connected.source_url == (
        "https://www.readkong.com/page/manchester-population-health-plan-2018-2027-8636894"
    )
    assert connected.source_date == "2018-2027"
    assert connected.publisher == "Manchester City Council"
    assert set(connected.themes.values_list("key", flat=True)) == {"communities", "isolation"}
    assert connected.created_by is None
    york = Priority.objects.get(area__code="E06000014")
    assert york.document_type == Priority.DocumentType.HEALTH_AND_WELLBEING_STRATEGY


def test_a_priority_with_no_date_and_a_date_note_loads_with_an_empty_date(small_areas, vocabulary,
                                                                          priorities_file):
    PrioritiesImporter().run(priorities_file)
    undated = Priority.objects.get(title="Strengthen our communities")
    assert undated.source_date == ""
    assert undated.document_type == Priority.DocumentType.INTEGRATED_CARE_STRATEGY


def test_a_second_run_reports_nothing_changed(small_areas, vocabulary, priorities_file):
    PrioritiesImporter().run(priorities_file)
    run = PrioritiesImporter().run(priorities_file)
    assert (run.rows_created, run.rows_updated, run.rows_unchanged) == (0, 0, 3)
    assert run.message == "Read 3 rows: nothing changed (3 unchanged, 0 rejected)."


def test_a_changed_summary_or_theme_updates_the_same_priority(small_areas, vocabulary, priorities_file,
                                                              tmp_path):
    PrioritiesImporter().run(priorities_file)
    edited = edited_copy(priorities_file, tmp_path, [
        ("themes: [mental_health]", "themes: [mental_health, prevention_wellbeing]"),
        ("build stronger communities as a basis", "build stronger communities as the basis"),
    ])
    run = PrioritiesImporter().run(edited)
    assert (run.rows_created, run.rows_updated, run.rows_unchanged) == (0, 2, 1)
    assert Priority.objects.count() == 3
    york = Priority.objects.get(area__code="E06000014")
    assert set(york.themes.values_list("key", flat=True)) == {"mental_health", "prevention_wellbeing"}


def test_bad_priorities_are_rejected_with_their_line_while_good_ones_load(small_areas, vocabulary,
                                                                          priorities_file, tmp_path):
    edited = edited_copy(priorities_file, tmp_path, [
        ("themes: [communities, isolation]", "themes: [communities, loneliness]"),
        ("document_type: integrated_care_strategy", "document_type: manifesto"),
        ('source_url: "https://york2032.co.uk/', 'source_url: "york2032.co.uk/'),
    ])
    run = PrioritiesImporter().run(edited)
    errors = list(run.row_errors.values_list("line", "field"))
    assert errors == [(6, "themes"), (14, "document_type"), (27, "source_url")]
    message = run.row_errors.get(line=6).message
    assert message.startswith("Unknown theme(s) loneliness. Use prevention_wellbeing")
    assert run.rows_created == 0


def test_a_place_that_is_not_loaded_is_rejected(small_areas, vocabulary, priorities_file, tmp_path):
    edited = edited_copy(priorities_file, tmp_path, [("  E06000014:", "  E06000027:")])  # Torbay
    run = PrioritiesImporter().run(edited)
    error = run.row_errors.get()
    assert (error.line, error.field) == (27, "code")
    assert error.message.startswith("Area E06000027 is not loaded")
    assert run.rows_created == 2


def test_a_file_that_is_not_valid_yaml_fails_and_keeps_what_was_stored(small_areas, vocabulary,
                                                                       priorities_file, tmp_path):
    PrioritiesImporter().run(priorities_file)
    broken = edited_copy(priorities_file, tmp_path, [("themes: [mental_health]", "themes: [mental_health")])
    run = PrioritiesImporter().run(broken)
    assert run.status == ImportRun.Status.FAILED
    assert "is not valid YAML" in run.message
    assert Priority.objects.count() == 3
    with pytest.raises(CommandError) as failure:
        call_command("import_priorities", str(broken), stdout=StringIO())
    assert failure.value.returncode == 2


def test_the_bundled_priorities_all_load(all_areas, vocabulary):
    out = StringIO()
    call_command("import_priorities", stdout=out)
    run = ImportRun.objects.get(source="priorities")
    assert run.location == str(DEMO_PRIORITIES)
    assert (run.rows_read, run.rows_created, run.rows_rejected) == (52, 52, 0)
    places = set(Priority.objects.values_list("area__code", flat=True))
    assert places == {"E08000025", "E06000015", "E08000003", "E06000027", "E06000014", "E10000016",
                      "E10000013"}
    # Every priority keeps the date its source gives; none is left without a source.
    assert not Priority.objects.filter(source_url="").exists()
    assert Priority.objects.exclude(source_date="").count() == 30

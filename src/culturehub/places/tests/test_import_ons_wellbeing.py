from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from culturehub.core.importers import ImportFileError
from culturehub.core.models import ImportRun
from culturehub.places.importers import OnsWellbeingImporter, ons_period
from culturehub.places.models import DataSource, Indicator, IndicatorValue

pytestmark = pytest.mark.django_db


@pytest.fixture
def life_satisfaction(fixtures_dir):
    return fixtures_dir / "ons_wellbeing" / "Life_satisfaction.csv"


@pytest.fixture
def anxiety(fixtures_dir):
    return fixtures_dir / "ons_wellbeing" / "Anxiety.csv"


def edited_copy(source, tmp_path, changes):
    text = source.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / source.name
    path.write_text(text, encoding="utf-8")
    return path


def figure(key, code):
    return IndicatorValue.objects.get(indicator__key=key, area__code=code)


def test_it_loads_district_means_with_the_period_from_the_date_line(small_areas, vocabulary,
                                                                   life_satisfaction):
    run = OnsWellbeingImporter().run(life_satisfaction)
    assert run.status == ImportRun.Status.SUCCEEDED
    assert (run.rows_read, run.rows_created, run.rows_rejected) == (12, 7, 0)
    manchester = figure("ons-life-satisfaction", "E08000003")
    assert (manchester.value, manchester.period, manchester.period_start) == (7.12, "2020/21", 2020)
    assert (manchester.sex, manchester.age) == ("Persons", "16+ yrs")
    # The file publishes no confidence intervals, so none are stored.
    assert (manchester.lower_ci, manchester.upper_ci) == (None, None)
    assert figure("ons-life-satisfaction", "E07000105").value == 7.49  # Ashford

    indicator = Indicator.objects.get(key="ons-life-satisfaction")
    assert indicator.polarity == Indicator.Polarity.HIGH_IS_GOOD
    assert indicator.headline and indicator.unit == "score (0 to 10)"
    assert indicator.source == DataSource.objects.get(key="ons-wellbeing")
    assert set(indicator.themes.values_list("key", flat=True)) == {"prevention_wellbeing", "mental_health"}


def test_a_figure_the_source_marks_na_is_kept_as_no_value(small_areas, life_satisfaction):
    OnsWellbeingImporter().run(life_satisfaction)
    city = figure("ons-life-satisfaction", "E09000001")
    assert city.value is None
    assert city.value_note == "No figure in the source (shown as 'na')."


def test_rows_outside_england_and_districts_since_merged_are_skipped_and_counted(small_areas,
                                                                                  life_satisfaction):
    run = OnsWellbeingImporter().run(life_satisfaction)
    expected = "Skipped 5 rows: 3 not in England; 2 old code of an area that merged into a larger one"
    assert expected in run.message
    # Aylesbury Vale's and Allerdale's means are not passed off as Buckinghamshire's or Cumberland's.
    assert not IndicatorValue.objects.filter(area__code__in=["E06000060", "E06000063"]).exists()


def test_the_file_has_no_england_row_and_the_run_says_so(small_areas, life_satisfaction):
    run = OnsWellbeingImporter().run(life_satisfaction)
    assert not IndicatorValue.objects.filter(area__code="E92000001").exists()
    assert "There is no England figure for this period" in run.log


def test_anxiety_is_low_is_good(small_areas, anxiety):
    OnsWellbeingImporter().run(anxiety)
    assert Indicator.objects.get(key="ons-anxiety").polarity == Indicator.Polarity.LOW_IS_GOOD
    assert figure("ons-anxiety", "E08000003").value == 3.52


def test_a_second_run_reports_nothing_changed(small_areas, life_satisfaction):
    OnsWellbeingImporter().run(life_satisfaction)
    run = OnsWellbeingImporter().run(life_satisfaction)
    assert (run.rows_created, run.rows_updated, run.rows_unchanged) == (0, 0, 7)
    assert run.message.startswith("Read 12 rows: nothing changed (7 unchanged, 0 rejected).")


def test_damaged_rows_are_rejected_with_their_line_while_good_rows_load(small_areas, life_satisfaction,
                                                                        tmp_path):
    damaged = edited_copy(life_satisfaction, tmp_path, [
        ("E07000105,Ashford,7.49", "E07000105,Ashford,7.4.9"),
        ("E07000117,Burnley,7.20", "E07000117,Burnley,72.0"),
        ("E07000118,Chorley", "Chorley,Chorley"),
    ])
    run = OnsWellbeingImporter().run(damaged)
    measure = "Mean satisfaction with your life nowadays scored 0 (not at all) - 10 (completely)"
    assert list(run.row_errors.values_list("line", "field", "message")) == [
        (10, measure, f"{measure} is '7.4.9', which is not a number. Use digits with a decimal point, or "
                      "leave the cell empty."),
        (11, measure, f"{measure} is 72.0; a mean rating lies between 0 and 10."),
        (12, "Area Code", "Area Code 'Chorley' is not an ONS code such as E08000003."),
    ]
    assert (run.rows_created, run.rows_rejected) == (4, 3)
    assert figure("ons-life-satisfaction", "E08000003").value == 7.12


@pytest.mark.parametrize(("changes", "expected"), [
    ([("Date:,04/2020-03/2021", "Date:,last year")], "The Date line 'last year' is not a period"),
    ([("Average life satisfaction rating", "Average weekly pay")], "is not one of the four ONS personal"),
    ([("Area Code,Area,", "Code,Name,")], "there is no 'Area Code,Area,...' header"),
])
def test_a_bad_file_fails_cleanly_and_keeps_what_was_stored(small_areas, life_satisfaction, anxiety, tmp_path,
                                                            changes, expected):
    OnsWellbeingImporter().run(anxiety)
    stored = IndicatorValue.objects.count()
    bad = edited_copy(life_satisfaction, tmp_path, changes)
    run = OnsWellbeingImporter().run(bad)
    assert run.status == ImportRun.Status.FAILED
    assert expected in run.message
    assert IndicatorValue.objects.count() == stored
    with pytest.raises(CommandError) as failure:
        call_command("import_ons_wellbeing", str(bad), stdout=StringIO())
    assert failure.value.returncode == 2


def test_the_command_imports_several_files(small_areas, life_satisfaction, anxiety):
    out = StringIO()
    call_command("import_ons_wellbeing", str(life_satisfaction), str(anxiety), stdout=out)
    assert out.getvalue().count("Read 12 rows: 7 created") == 2
    assert IndicatorValue.objects.filter(area__code="E08000003").count() == 2


@pytest.mark.parametrize(("text", "expected"), [
    ("04/2020-03/2021", ("2020/21", 2020)),
    ("01/2019-12/2019", ("2019", 2019)),
    ("10/2019-09/2021", ("10/2019 - 09/2021", 2019)),
])
def test_the_date_line_becomes_a_period(text, expected):
    assert ons_period(text) == expected


def test_a_date_line_that_is_not_a_period_is_refused():
    with pytest.raises(ImportFileError):
        ons_period("2020")

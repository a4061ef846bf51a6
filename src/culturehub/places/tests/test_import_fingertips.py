import math
from io import StringIO

import pytest
import requests
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import strategies as st

from culturehub.core.importers import RowRejected
from culturehub.core.models import ImportRun
from culturehub.places import fingertips_api
from culturehub.places.importers import FingertipsImporter, parse_number, period_label
from culturehub.places.models import Area, AreaAlias, DataSource, Indicator, IndicatorValue

pytestmark = pytest.mark.django_db

SKIPPED_NOT_HELD = "area not held"
SKIPPED_QUARTERLY = "quarterly figures without their quarter"


@pytest.fixture
def next_file(fixtures_dir):
    return fixtures_dir / "fingertips" / "next_small.csv"


@pytest.fixture
def api_file(fixtures_dir):
    return fixtures_dir / "fingertips" / "api_93701_districts.csv"


def damaged_copy(source, tmp_path, changes):
    """A copy of `source` with (line number, old text, new text) replacements."""
    lines = source.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    for number, old, new in changes:
        assert old in lines[number - 1], lines[number - 1]
        lines[number - 1] = lines[number - 1].replace(old, new, 1)
    path = tmp_path / source.name
    path.write_text("".join(lines), encoding="utf-8")
    return path


def value_of(indicator_id, code, **breakdown):
    return IndicatorValue.objects.get(
        indicator__external_id=str(indicator_id), area__code=code,
        category_type=breakdown.pop("category_type", ""), **breakdown,
    )


def test_it_loads_the_fingertips_next_shape(small_areas, vocabulary, next_file):
    run = FingertipsImporter().run(next_file)
    assert run.status == ImportRun.Status.SUCCEEDED
    assert (run.rows_read, run.rows_created, run.rows_unchanged, run.rows_rejected) == (19, 15, 1, 0)
    assert "Skipped 3 rows" in run.message
    assert SKIPPED_NOT_HELD in run.message and SKIPPED_QUARTERLY in run.message

    manchester = value_of(93701, "E08000003", period="2022/23")
    assert (manchester.value, manchester.lower_ci, manchester.upper_ci) == (31.1, 30.71, 31.47)
    assert (manchester.count, manchester.denominator) == (35642, 114635)
    assert (manchester.period_start, manchester.sex, manchester.age) == (2022, "Persons", "<16 yrs")
    assert manchester.import_run == run
    # The deprivation decile breakdown keeps its category, without FingertipsNext's stray quotes.
    decile = value_of(93701, "E92000001", period="2022/23", category="Most deprived decile (IMD2019)",
                      category_type="District & UA deprivation deciles in England (IMD2019, 4/23 geography)")
    assert decile.value == 38.4
    # Periods are labelled from each indicator's period type and span, as Fingertips writes them.
    assert value_of(92033, "E08000003").period == "2019/20 - 23/24"  # academic, 5 years combined
    assert value_of(93015, "E08000003").period == "2022/23"  # November to November
    assert value_of(352, "E08000003").period == "2020"  # calendar
    # A published row with no figure is kept as "no value", not dropped or invented.
    suppressed = IndicatorValue.objects.get(indicator__external_id="22401", area__code="E92000001")
    assert suppressed.value is None


def test_indicators_take_their_names_and_polarity_from_the_bundled_metadata(small_areas, vocabulary,
                                                                             next_file):
    FingertipsImporter().run(next_file)
    indicator = Indicator.objects.get(key="fingertips-93701")
    assert indicator.name == "Children in absolute low income families aged 15 years and under"
    assert indicator.polarity == Indicator.Polarity.LOW_IS_GOOD
    assert (indicator.unit, indicator.value_type) == ("%", "Proportion")
    assert indicator.benchmark_method == "Confidence intervals overlapping reference value (95.0)"
    assert indicator.definition.startswith("Percentage of children")
    assert indicator.source == DataSource.objects.get(key="fingertips")
    assert indicator.headline
    assert set(indicator.themes.values_list("key", flat=True)) == {"children_young_people", "communities"}
    # Rows skipped before they are stored create no empty indicator either.
    assert not Indicator.objects.filter(key="fingertips-91040").exists()


def test_a_second_run_reports_nothing_changed(small_areas, next_file):
    FingertipsImporter().run(next_file)
    run = FingertipsImporter().run(next_file)
    assert (run.rows_created, run.rows_updated, run.rows_unchanged, run.rows_rejected) == (0, 0, 16, 0)
    assert run.message.startswith("Read 19 rows: nothing changed (16 unchanged, 0 rejected).")
    assert not run.changed_anything


def test_a_changed_figure_is_updated_in_place(small_areas, next_file, tmp_path):
    FingertipsImporter().run(next_file)
    changed = damaged_copy(next_file, tmp_path, [(8, ",31.1,", ",31.2,")])
    run = FingertipsImporter().run(changed)
    assert (run.rows_created, run.rows_updated) == (0, 1)
    assert value_of(93701, "E08000003", period="2022/23").value == 31.2
    assert IndicatorValue.objects.filter(indicator__external_id="93701", area__code="E08000003").count() == 1


def test_damaged_rows_are_rejected_with_line_field_and_reason_while_good_rows_load(small_areas, next_file,
                                                                                   tmp_path):
    damaged = damaged_copy(next_file, tmp_path, [
        (4, ",15.2,", ",15.2x,"),  # Value
        (5, "93701,", ",", ),  # IndicatorId missing
        (6, ",2022,", ",,"),  # Year missing
        (7, ",E08000001,", ",Bolton MBC,"),  # AreaCode malformed
        (12, ",7.17829218686103,", ",7.2,"),  # repeats line 11's key with another figure
    ])
    run = FingertipsImporter().run(damaged)
    assert run.status == ImportRun.Status.SUCCEEDED
    errors = list(run.row_errors.values_list("line", "field", "message"))
    assert errors == [
        (4, "Value", "Value is '15.2x', which is not a number. Use digits with a decimal point, or leave "
                     "the cell empty."),
        (5, "IndicatorId", "IndicatorId is empty. Every row needs the Fingertips indicator ID."),
        (6, "Year", "Year is empty. Give the year the figure's period starts in."),
        (7, "AreaCode", "AreaCode is 'Bolton MBC', which is neither an ONS area code (such as E08000003) nor "
                        "an NHS organisation code (such as A81002)."),
        (12, "Value", "This row repeats the indicator, area, period, sex, age and category of an earlier "
                      "row with different figures, and nothing in the file tells the two apart. The "
                      "earlier row is kept."),
    ]
    assert (run.rows_created, run.rows_rejected) == (11, 5)
    assert value_of(93701, "E08000003", period="2022/23").value == 31.1
    assert value_of(241, "E54000048").value == 7.17829218686103
    # The raw row is kept with the error, so the person fixing the file can see it.
    assert "15.2x" in run.row_errors.get(line=4).raw


def test_an_indicator_missing_from_the_metadata_is_rejected_in_the_next_shape(small_areas, next_file,
                                                                               tmp_path):
    damaged = damaged_copy(next_file, tmp_path, [(2, "93701,", "99999,")])
    run = FingertipsImporter().run(damaged)
    error = run.row_errors.get()
    assert (error.line, error.field) == (2, "IndicatorId")
    assert error.message.startswith("Indicator 99999 is not described in indicators.json")


def test_it_loads_the_fingertips_api_shape(small_areas, api_file):
    run = FingertipsImporter().run(api_file)
    assert (run.rows_read, run.rows_created, run.rows_rejected) == (7, 7, 0)
    burnley = value_of(93701, "E07000117", period="2022/23")
    assert (burnley.value, burnley.lower_ci, burnley.upper_ci, burnley.period_start) == (30.7, 29.75, 31.58,
                                                                                           2022)
    assert Indicator.objects.get(key="fingertips-93701").polarity == Indicator.Polarity.LOW_IS_GOOD


def test_the_two_shapes_store_the_same_figure_under_one_key(small_areas, next_file, api_file):
    FingertipsImporter().run(next_file)
    run = FingertipsImporter().run(api_file)
    assert (run.rows_created, run.rows_updated, run.rows_unchanged) == (0, 0, 7)


def test_an_api_file_names_an_indicator_the_metadata_does_not_know(small_areas, api_file, tmp_path):
    renamed = tmp_path / "api.csv"
    renamed.write_text(api_file.read_text(encoding="utf-8").replace("93701,Children", "93702,Children"),
                       encoding="utf-8")
    FingertipsImporter().run(renamed)
    indicator = Indicator.objects.get(key="fingertips-93702")
    assert indicator.name == "Children in absolute low income families aged 15 years and under"
    assert indicator.polarity == Indicator.Polarity.NO_JUDGEMENT


def test_an_old_code_that_only_changed_resolves_to_the_current_area(small_areas, next_file, tmp_path):
    # Gateshead's code changed from E08000020 to E08000037 in 2013 with its area unchanged. The
    # figure is Manchester's, relabelled, only to exercise the lookup.
    gateshead = Area.objects.create(code="E08000037", name="Gateshead", kind=Area.Kind.METROPOLITAN)
    AreaAlias.objects.create(code="E08000020", area=gateshead, name="Gateshead", same_area=True)
    relabelled = damaged_copy(next_file, tmp_path, [(8, ",E08000003,", ",E08000020,")])
    FingertipsImporter().run(relabelled)
    assert value_of(93701, "E08000037", period="2022/23").value == 31.1


def test_an_old_code_of_a_merged_area_is_skipped_not_attached_to_the_larger_area(small_areas, next_file,
                                                                                  tmp_path):
    relabelled = damaged_copy(next_file, tmp_path, [(8, ",E08000003,", ",E07000004,")])  # Aylesbury Vale
    run = FingertipsImporter().run(relabelled)
    assert "1 old code of an area that merged into a larger one" in run.message
    assert not IndicatorValue.objects.filter(area__code="E06000060").exists()


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "is empty"),
    (b"IndicatorId,AreaCode\n93701,E08000003\n", "is missing the column(s) Year, Sex, Age"),
    (b"Area,Value\nManchester,1\n", "is not a Fingertips CSV"),
    (b"Indicator ID,Indicator Name,Area Code\n93701,Children,E08000003\n", "is missing the column(s) Sex"),
    (b"IndicatorId,Category\n93701,\xff\xfe\n", "is not utf-8-sig text"),
])
def test_a_bad_file_fails_cleanly_and_keeps_what_was_stored(small_areas, next_file, tmp_path, content,
                                                            expected):
    FingertipsImporter().run(next_file)
    stored = IndicatorValue.objects.count()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    run = FingertipsImporter().run(bad)
    assert run.status == ImportRun.Status.FAILED
    assert expected in run.message
    assert IndicatorValue.objects.count() == stored
    with pytest.raises(CommandError) as failure:
        call_command("import_fingertips", str(bad), stdout=StringIO())
    assert failure.value.returncode == 2
    assert expected in str(failure.value) and "\n" not in str(failure.value)


def test_a_file_that_breaks_part_way_stores_none_of_its_rows(small_areas, next_file, tmp_path,
                                                             monkeypatch):
    # Long enough that several batches are stored before the reader meets the bad byte.
    monkeypatch.setattr(FingertipsImporter, "batch_size", 5)
    good = next_file.read_bytes()
    rows = good.split(b"\n", 1)[1]
    broken = tmp_path / "broken.csv"
    broken.write_bytes(good + rows * 40 + b'93701,"","",<16 yrs,Persons,\xff\n')
    run = FingertipsImporter().run(broken)
    assert run.rows_read > 100
    assert run.status == ImportRun.Status.FAILED
    assert run.rows_created == 0
    assert not IndicatorValue.objects.exists()


def test_progress_is_reported_as_rows_are_read(small_areas, next_file, monkeypatch):
    monkeypatch.setattr(FingertipsImporter, "progress_every", 5)
    out = StringIO()
    call_command("import_fingertips", str(next_file), stdout=out)
    lines = out.getvalue().splitlines()
    assert "  5 rows read, 0 rejected" in lines and "  15 rows read, 0 rejected" in lines
    assert lines[-1].startswith("Read 19 rows: 15 created")


def test_the_command_needs_a_file_or_an_indicator_and_area_type():
    with pytest.raises(CommandError, match="Give a FILE to import, or both --indicator ID and --area-type"):
        call_command("import_fingertips", "--indicator", "93701", stdout=StringIO())


# The live API, with the network replaced by a recorded response -----------------------------------

class RecordedResponse:
    """Enough of requests.Response for a streamed download."""

    def __init__(self, body: bytes, url: str, status_code: int = 200):
        self.body, self.url, self.status_code = body, url, status_code

    def iter_content(self, chunk_size):
        for start in range(0, len(self.body), chunk_size):
            yield self.body[start: start + chunk_size]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_the_live_api_download_is_streamed_and_imported(small_areas, api_file, monkeypatch, settings):
    settings.FINGERTIPS_API_URL = "https://fingertips.example/api"
    calls = []

    def fake_get(url, params, stream, timeout):
        calls.append((url, params, stream, timeout))
        query = "&".join(f"{name}={value}" for name, value in params.items())
        address = f"{url}?{query}"
        return RecordedResponse(api_file.read_bytes(), address)

    monkeypatch.setattr(fingertips_api.requests, "get", fake_get)
    monkeypatch.setattr(fingertips_api, "CHUNK_BYTES", 256)
    out = StringIO()
    call_command("import_fingertips", "--indicator", "93701", "--area-type", "501", stdout=out)

    url, params, stream, timeout = calls[0]
    assert url == "https://fingertips.example/api/all_data/csv/by_indicator_id"
    assert params == {"indicator_ids": 93701, "child_area_type_id": 501}
    assert stream is True and timeout
    run = ImportRun.objects.get(source="fingertips")
    assert run.location == (
        "https://fingertips.example/api/all_data/csv/by_indicator_id?indicator_ids=93701&child_area_type_id=501"
    )
    assert run.rows_created == 7
    assert value_of(93701, "E08000003", period="2022/23").value == 31.1
    assert "Read 7 rows: 7 created" in out.getvalue()


def test_the_live_api_gives_one_clear_line_when_offline(small_areas, monkeypatch, tmp_path):
    def offline(*args, **kwargs):
        raise requests.ConnectionError("Name or service not known")

    monkeypatch.setattr(fingertips_api.requests, "get", offline)
    monkeypatch.setattr(fingertips_api.tempfile, "tempdir", str(tmp_path))
    with pytest.raises(CommandError) as failure:
        call_command("import_fingertips", "--indicator", "93701", "--area-type", "501", stdout=StringIO())
    assert failure.value.returncode == 2
    assert str(failure.value).startswith("Could not reach the Fingertips API at ")
    assert not list(tmp_path.iterdir())  # the half-made download is cleaned up
    assert not ImportRun.objects.filter(source="fingertips").exists()


def test_the_live_api_reports_an_error_status(small_areas, monkeypatch):
    monkeypatch.setattr(fingertips_api.requests, "get",
                        lambda url, **kwargs: RecordedResponse(b"Server error", url, status_code=500))
    with pytest.raises(CommandError, match="The Fingertips API answered 500 for indicator 93701"):
        call_command("import_fingertips", "--indicator", "93701", "--area-type", "501", stdout=StringIO())


# Parsing ------------------------------------------------------------------------------------------

@given(st.text())
def test_number_parsing_never_fails_except_by_rejecting_the_row(text):
    try:
        value = parse_number(text, field="Value")
    except RowRejected as rejection:
        assert rejection.field == "Value" and rejection.message
    else:
        assert value is None or math.isfinite(value)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_every_number_written_out_reads_back_exactly(number):
    assert parse_number(repr(number), field="Value") == number


@pytest.mark.parametrize(("period_type", "year", "years", "label"), [
    ("Calendar", 2021, 1, "2021"),
    ("Financial", 2021, 1, "2021/22"),
    ("Financial", 1999, 1, "1999/00"),
    ("Academic", 2019, 5, "2019/20 - 23/24"),
    ("Calendar", 2019, 3, "2019 - 21"),
    ("", 2020, 1, "2020"),
])
def test_periods_are_labelled_as_fingertips_writes_them(period_type, year, years, label):
    assert period_label(period_type, year, years) == label

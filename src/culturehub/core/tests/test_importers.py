"""The base importer: streaming, row rejection with line numbers, idempotence, all-or-nothing runs."""

import pytest

from culturehub.core.importers import BatchCounts, CsvImporter, RowRejected, Skip
from culturehub.core.models import ImportRun
from culturehub.places.models import DataSource

pytestmark = pytest.mark.django_db


class SourceImporter(CsvImporter):
    """A minimal importer used only here: one DataSource per row, keyed by `key`."""

    source = "test-sources"
    required_columns = ("key", "name", "url")
    batch_size = 2

    def parse_row(self, row):
        if not row.data["key"].strip():
            raise RowRejected("Enter a key for the source.", field="key")
        if not row.data["url"].startswith("https://"):
            raise RowRejected("The address must start with https://", field="url")
        return row.data

    def store_batch(self, records, run):
        counts = BatchCounts()
        for record in records:
            fields = {"name": record["name"], "url": record["url"], "publisher": "Test", "licence": "OGL"}
            existing = DataSource.objects.filter(key=record["key"]).first()
            if existing is None:
                DataSource.objects.create(key=record["key"], **fields)
                counts.created += 1
            elif existing.name != fields["name"] or existing.url != fields["url"]:
                DataSource.objects.filter(pk=existing.pk).update(**fields)
                counts.updated += 1
            else:
                counts.unchanged += 1
        return counts


def write(tmp_path, text, name="sources.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


GOOD = "key,name,url\nons,ONS,https://ons.gov.uk\nohid,OHID,https://fingertips.phe.org.uk\nace,ACE,https://ace.org.uk\n"


def test_it_loads_every_good_row_and_records_the_run(tmp_path):
    run = SourceImporter().run(write(tmp_path, GOOD))
    assert run.status == ImportRun.Status.SUCCEEDED
    assert (run.rows_read, run.rows_created, run.rows_rejected) == (3, 3, 0)
    assert set(DataSource.objects.values_list("key", flat=True)) == {"ons", "ohid", "ace"}
    assert run.finished_at is not None


def test_a_second_run_of_the_same_file_changes_nothing_and_says_so(tmp_path):
    path = write(tmp_path, GOOD)
    SourceImporter().run(path)
    second = SourceImporter().run(path)
    assert (second.rows_created, second.rows_updated, second.rows_unchanged) == (0, 0, 3)
    assert second.message == "Read 3 rows: nothing changed (3 unchanged, 0 rejected)."


def test_it_rejects_bad_rows_with_their_line_and_field_while_good_rows_load(tmp_path):
    text = "key,name,url\nons,ONS,https://ons.gov.uk\n,Nameless,https://x.org\nbad,Bad,http://x.org\n"
    run = SourceImporter().run(write(tmp_path, text))
    assert run.status == ImportRun.Status.SUCCEEDED
    assert (run.rows_created, run.rows_rejected) == (1, 2)
    errors = [(e.line, e.field, e.message) for e in run.row_errors.all()]
    assert errors == [
        (3, "key", "Enter a key for the source."),
        (4, "url", "The address must start with https://"),
    ]


def test_a_row_with_too_many_cells_is_rejected_with_a_hint(tmp_path):
    run = SourceImporter().run(write(tmp_path, "key,name,url\nons,ONS,https://ons.gov.uk,extra\n"))
    assert run.rows_rejected == 1
    assert "unquoted comma" in run.row_errors.get().message


@pytest.mark.parametrize(
    ("content", "encoding", "expected"),
    [
        ("", "utf-8", "is empty"),
        ("key,title\nons,ONS\n", "utf-8", "missing the column(s) name, url"),
        ("key,name,url\nons,Caf\u00e9 Trust,https://x.org\n", "latin-1", "is not utf-8-sig text"),
    ],
)
def test_a_file_it_cannot_read_fails_cleanly_and_keeps_what_was_stored(tmp_path, content, encoding, expected):
    SourceImporter().run(write(tmp_path, GOOD, name="good.csv"))
    run = SourceImporter().run(write(tmp_path, content, encoding=encoding))
    assert run.status == ImportRun.Status.FAILED
    assert expected in run.message
    assert DataSource.objects.count() == 3


def test_a_missing_file_fails_with_the_path_in_the_message(tmp_path):
    run = SourceImporter().run(tmp_path / "nowhere.csv")
    assert run.status == ImportRun.Status.FAILED
    assert "There is no file at" in run.message


def test_an_unexpected_error_part_way_rolls_the_whole_run_back(tmp_path, monkeypatch):
    importer = SourceImporter()
    calls = {"n": 0}
    original = importer.store_batch

    def fail_on_second_batch(records, run):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return original(records, run)

    monkeypatch.setattr(importer, "store_batch", fail_on_second_batch)
    with pytest.raises(RuntimeError):
        importer.run(write(tmp_path, GOOD))
    assert DataSource.objects.count() == 0
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED


class SkippingImporter(SourceImporter):
    def parse_row(self, row):
        if row.data["key"] == "ace":
            return Skip("not a public health source")
        return super().parse_row(row)


def test_skipped_rows_are_counted_by_reason_and_not_stored_or_rejected(tmp_path):
    run = SkippingImporter().run(write(tmp_path, GOOD))
    assert (run.rows_created, run.rows_skipped, run.rows_rejected) == (2, 1, 0)
    assert "Skipped 1 rows: 1 not a public health source." in run.message
    assert run.log == "Skipped, not a public health source: 1"
    assert not DataSource.objects.filter(key="ace").exists()


def test_rejected_rows_report_their_physical_line_even_after_a_cell_spanning_lines(tmp_path):
    text = 'key,name,url\nons,"Office for\nNational Statistics",https://ons.gov.uk\nbad,Bad,http://x.org\n'
    run = SourceImporter().run(write(tmp_path, text))
    assert run.row_errors.get().line == 4


def test_it_reports_progress_as_it_goes(tmp_path):
    messages = []
    SourceImporter(progress=messages.append).run(write(tmp_path, GOOD))
    assert messages[0].startswith("Importing test-sources from")
    assert messages[-1] == "Read 3 rows: 3 created, 0 updated, 0 unchanged, 0 rejected."

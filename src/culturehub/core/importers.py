"""The one base importer every Culture Hub importer subclasses.

A subclass says how to read its input (`read_rows`), how to turn one raw row into a clean record
or reject it (`parse_row`), and how to store a batch of clean records (`store_batch`). The base
class streams the input in batches, records the run, reports progress, rejects bad rows with
their line and reason while good rows load, and keeps the whole run in one transaction so that a
run that fails part way leaves what was stored before it untouched.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from django.db import transaction
from django.utils import timezone

from culturehub.core.models import ImportRowError, ImportRun

logger = logging.getLogger(__name__)

MAX_STORED_ROW_ERRORS = 5000


class RowRejected(Exception):
    """Raised by `parse_row` for a row that cannot be loaded; the message says what to do."""

    def __init__(self, message: str, *, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Skip:
    """Returned by `parse_row` for a well-formed row the importer does not keep, and why.

    A skipped row is not an error (a GP practice's figure when Culture Hub holds only councils, say):
    it is counted by reason in the run's summary and log, never stored, never listed as rejected.
    """

    reason: str


class ImportFileError(Exception):
    """Raised for input that cannot be read at all: missing columns, wrong encoding, empty."""


@dataclass
class BatchCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __iadd__(self, other: BatchCounts) -> BatchCounts:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        return self


@dataclass
class RawRow:
    line: int
    data: Any
    problem: str = ""  # set by a reader for a row it could not split into fields


class BaseImporter:
    source: ClassVar[str]
    batch_size: ClassVar[int] = 2000
    progress_every: ClassVar[int] = 10000

    def __init__(self, *, progress: Callable[[str], None] | None = None, user=None):
        self.progress = progress or (lambda message: None)
        self.user = user

    # What a subclass provides --------------------------------------------------------------

    def read_rows(self, location: str) -> Iterator[RawRow]:
        """Yield the input's rows one at a time with their line numbers."""
        raise NotImplementedError

    def parse_row(self, row: RawRow) -> Any:
        """Return a clean record or a Skip, or raise RowRejected."""
        raise NotImplementedError

    def store_batch(self, records: list[Any], run: ImportRun) -> BatchCounts:
        """Store clean records idempotently and count what was created, updated or unchanged."""
        raise NotImplementedError

    def before_run(self, run: ImportRun) -> None:
        """Hook for work done once per run inside its transaction (e.g. caching lookups)."""

    def after_run(self, run: ImportRun) -> None:
        """Hook for work done once after every batch is stored, inside the transaction."""

    def log_lines(self) -> list[str]:
        """Extra lines for the run's log, after the skipped counts."""
        return []

    # The run itself -------------------------------------------------------------------------

    def run(self, location: str | Path) -> ImportRun:
        location = str(location)
        run = ImportRun.objects.create(source=self.source, location=location, started_by=self.user)
        self.skipped: Counter[str] = Counter()
        self.progress(f"Importing {self.source} from {location}")
        try:
            with transaction.atomic():
                self.before_run(run)
                self._load(run, self.read_rows(location))
                self.after_run(run)
                run.rows_skipped = sum(self.skipped.values())
                run.log = "\n".join(self._skipped_lines() + self.log_lines())
        except ImportFileError as error:
            self._finish(run, ImportRun.Status.FAILED, str(error))
            return run
        except Exception as error:
            logger.exception("Import %s from %s failed", self.source, location)
            self._finish(run, ImportRun.Status.FAILED, f"The import stopped: {error}. Nothing was changed.")
            raise
        self._finish(run, ImportRun.Status.SUCCEEDED, self.summary(run))
        return run

    def _load(self, run: ImportRun, rows: Iterable[RawRow]) -> None:
        counts = BatchCounts()
        batch: list[Any] = []
        for row in rows:
            run.rows_read += 1
            try:
                if row.problem:
                    raise RowRejected(row.problem)
                record = self.parse_row(row)
                if isinstance(record, Skip):
                    self.skipped[record.reason] += 1
                else:
                    batch.append(record)
            except RowRejected as rejection:
                self._reject(run, row, rejection)
            if len(batch) >= self.batch_size:
                counts += self.store_batch(batch, run)
                batch = []
            if run.rows_read % self.progress_every == 0:
                self.progress(f"  {run.rows_read:,} rows read, {run.rows_rejected:,} rejected")
        if batch:
            counts += self.store_batch(batch, run)
        run.rows_created, run.rows_updated, run.rows_unchanged = (
            counts.created, counts.updated, counts.unchanged,
        )

    def _reject(self, run: ImportRun, row: RawRow, rejection: RowRejected) -> None:
        run.rows_rejected += 1
        if run.rows_rejected <= MAX_STORED_ROW_ERRORS:
            ImportRowError.objects.create(
                run=run, line=row.line, field=rejection.field, message=rejection.message,
                raw=str(row.data)[:500],
            )

    def _finish(self, run: ImportRun, status: str, message: str) -> None:
        run.status = status
        run.message = message
        run.finished_at = timezone.now()
        if status == ImportRun.Status.FAILED:
            run.rows_created = run.rows_updated = run.rows_unchanged = run.rows_skipped = 0
        run.save()
        self.progress(message)

    def _skipped_lines(self) -> list[str]:
        return [f"Skipped, {reason}: {count:,}" for reason, count in self.skipped.most_common()]

    def summary(self, run: ImportRun) -> str:
        if not run.changed_anything:
            text = (
                f"Read {run.rows_read:,} rows: nothing changed "
                f"({run.rows_unchanged:,} unchanged, {run.rows_rejected:,} rejected)."
            )
        else:
            text = (
                f"Read {run.rows_read:,} rows: {run.rows_created:,} created, "
                f"{run.rows_updated:,} updated, {run.rows_unchanged:,} unchanged, "
                f"{run.rows_rejected:,} rejected."
            )
        if self.skipped:
            details = "; ".join(f"{count:,} {reason}" for reason, count in self.skipped.most_common())
            text += f" Skipped {run.rows_skipped:,} rows: {details}."
        return text


class CsvImporter(BaseImporter):
    """A base importer for CSV input: streams the file and checks its header first."""

    required_columns: ClassVar[tuple[str, ...]] = ()
    encoding: ClassVar[str] = "utf-8-sig"

    def read_rows(self, location: str) -> Iterator[RawRow]:
        import csv

        path = Path(location)
        if not path.is_file():
            raise ImportFileError(f"There is no file at {location}. Check the path and try again.")
        with path.open(newline="", encoding=self.encoding) as handle:
            try:
                yield from self._rows_after_header(csv.reader(handle), location)
            except UnicodeDecodeError as error:
                raise ImportFileError(
                    f"{location} is not {self.encoding} text (byte {error.start}). "
                    "Save it as CSV UTF-8 and try again."
                ) from error
            except csv.Error as error:
                raise ImportFileError(f"{location} is not a readable CSV file: {error}.") from error

    def find_header(self, reader, location: str) -> tuple[int, list[str]]:
        """Return the header's line number and cells; subclasses may skip a title block."""
        for cells in reader:
            if any(cell.strip() for cell in cells):
                return reader.line_num, [cell.strip() for cell in cells]
        raise ImportFileError(f"{location} is empty: it has no header row and no data.")

    def check_header(self, header: list[str], location: str) -> None:
        missing = [column for column in self.required_columns if column not in header]
        if missing:
            raise ImportFileError(
                f"{location} is missing the column(s) {', '.join(missing)}. "
                f"The header row has: {', '.join(header) or 'nothing'}."
            )

    def _rows_after_header(self, reader, location: str) -> Iterator[RawRow]:
        header_line, header = self.find_header(reader, location)
        self.check_header(header, location)
        self.header = header
        for cells in reader:
            line = reader.line_num  # the physical line, right even after a cell that spans lines
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header):
                extra = cells[len(header):]
                if any(cell.strip() for cell in extra):
                    problem = (
                        f"This row has {len(cells)} cells but the header has {len(header)}. "
                        "Check for an unquoted comma."
                    )
                    yield RawRow(line, cells, problem)
                    continue
            yield RawRow(line, dict(zip(header, cells, strict=False)))

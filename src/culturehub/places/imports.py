"""Running the places importers: from files, from the Fingertips API, and the bundled demo data.

Management commands are thin wrappers around these functions, so that tests, the benchmark and a
future admin page can run an import the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from culturehub.core.models import ImportRun
from culturehub.places.fingertips_api import fingertips_download
from culturehub.places.importers import (
    AreasImporter,
    FingertipsImporter,
    OnsWellbeingImporter,
    PrioritiesImporter,
)
from culturehub.places.models import Area

Progress = Callable[[str], None]

DEMO_DATA_DIR = Path(settings.DEMO_DATA_DIR)
DEMO_ONS_LOOKUPS = DEMO_DATA_DIR / "ons"
DEMO_FINGERTIPS = DEMO_DATA_DIR / "fingertips" / "demo_values.csv"
DEMO_WELLBEING = tuple(
    DEMO_DATA_DIR / "ons" / "wellbeing" / name
    for name in ("Life_satisfaction.csv", "Worthwhile.csv", "Happiness.csv", "Anxiety.csv")
)
DEMO_PRIORITIES = DEMO_DATA_DIR / "priorities.yaml"


def _quiet(message: str) -> None:
    """Progress goes nowhere unless the caller asks for it."""


def areas_import(*, directory: Path = DEMO_ONS_LOOKUPS, progress: Progress = _quiet, user=None) -> ImportRun:
    return AreasImporter(progress=progress, user=user).run(directory)


def fingertips_import_file(*, path: Path, progress: Progress = _quiet, user=None) -> ImportRun:
    return FingertipsImporter(progress=progress, user=user).run(path)


def fingertips_import_api(
    *,
    indicator_id: int,
    area_type_id: int,
    parent_area_type_id: int | None = None,
    progress: Progress = _quiet,
    user=None,
) -> ImportRun:
    """Download one indicator's CSV from the Fingertips API and import it; the run records the URL.

    Raises FingertipsApiError (before any run is recorded) when the API cannot be reached.
    """
    progress(f"Downloading indicator {indicator_id} for area type {area_type_id} from the Fingertips API")
    path, address = fingertips_download(
        indicator_id=indicator_id, area_type_id=area_type_id, parent_area_type_id=parent_area_type_id,
    )
    try:
        run = FingertipsImporter(progress=progress, user=user).run(path)
    finally:
        path.unlink(missing_ok=True)
    run.location = address[: ImportRun._meta.get_field("location").max_length]
    run.save(update_fields=["location"])
    return run


def ons_wellbeing_import(*, paths: Iterable[Path], progress: Progress = _quiet, user=None) -> list[ImportRun]:
    """One run per file: each file is one measure and stands or falls on its own."""
    return [OnsWellbeingImporter(progress=progress, user=user).run(path) for path in paths]


def priorities_import(*, path: Path = DEMO_PRIORITIES, progress: Progress = _quiet, user=None) -> ImportRun:
    return PrioritiesImporter(progress=progress, user=user).run(path)


def import_run_problems(*, run: ImportRun, limit: int = 20) -> list[str]:
    """The first rejected rows of a run as lines a person can act on."""
    lines = []
    for error in run.row_errors.all()[:limit]:
        where = f"line {error.line}" if error.line else "file"
        field_name = f" ({error.field})" if error.field else ""
        lines.append(f"{where}{field_name}: {error.message}")
    if run.rows_rejected > limit:
        lines.append(f"... and {run.rows_rejected - limit:,} more rejected rows (see the import run page).")
    return lines


class DemoDataError(Exception):
    """A bundled demo file failed to import; the message is the failed run's."""


@dataclass
class DemoLoadReport:
    loaded: bool
    runs: list[ImportRun] = field(default_factory=list)
    vocabulary_message: str = ""

    @property
    def changed_anything(self) -> bool:
        return any(run.changed_anything for run in self.runs)


def demo_data_load(*, progress: Progress = _quiet, if_missing: bool = False) -> DemoLoadReport:
    """Load the bundled snapshot: vocabulary, areas, Fingertips, ONS4, priorities. Idempotent.

    With `if_missing`, does nothing when areas are already loaded (for `culturehub serve --demo`).
    """
    from culturehub.vocabulary.services import vocabulary_load

    if if_missing and Area.objects.exists():
        progress("Areas are already loaded: leaving the data as it is.")
        return DemoLoadReport(loaded=False)
    report = DemoLoadReport(loaded=True)
    vocabulary = vocabulary_load()
    report.vocabulary_message = (
        f"Vocabulary: {vocabulary.created} created, {vocabulary.updated} updated, "
        f"{vocabulary.unchanged} unchanged, {vocabulary.retired} retired."
    )
    progress(report.vocabulary_message)
    steps: list[Callable[[], list[ImportRun]]] = [
        lambda: [areas_import(progress=progress)],
        lambda: [fingertips_import_file(path=DEMO_FINGERTIPS, progress=progress)],
        lambda: ons_wellbeing_import(paths=DEMO_WELLBEING, progress=progress),
        lambda: [priorities_import(progress=progress)],
    ]
    for step in steps:
        for run in step():
            report.runs.append(run)
            if run.status == ImportRun.Status.FAILED:
                raise DemoDataError(f"{run.source}: {run.message}")
    return report


# ---------------------------------------------------------------------------------------------------
# Helpers for the management commands
# ---------------------------------------------------------------------------------------------------

class ProgressWriter:
    """Writes an importer's progress, holding back its latest headline message.

    A run ends with its summary or its reason for failing. Holding that last message lets a command
    print a failure once, as its error line, instead of twice.
    """

    def __init__(self, write: Progress):
        self._write = write
        self._held: str | None = None

    def __call__(self, message: str) -> None:
        self.flush()
        if message.startswith("  "):  # a progress line: show it now
            self._write(message)
        else:
            self._held = message

    def flush(self) -> None:
        if self._held is not None:
            self._write(self._held)
        self._held = None

    def discard(self) -> None:
        self._held = None


def command_finish(*, runs: list[ImportRun], writer: ProgressWriter, write: Progress) -> None:
    """Print what each run did and its first rejected rows; fail with exit status 2 if any run failed."""
    from django.core.management.base import CommandError

    failed = [run for run in runs if run.status == ImportRun.Status.FAILED]
    if failed:
        writer.discard()
        raise CommandError(" ".join(run.message for run in failed), returncode=2)
    writer.flush()
    for run in runs:
        for line in import_run_problems(run=run):
            write(f"  {line}")

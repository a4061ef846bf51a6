"""Running the register importers: from the commands, the demo loader and tests alike."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings

from culturehub.core.models import ImportRun
from culturehub.registers.importers.arts_council import NpoImporter, ProjectGrantsImporter
from culturehub.registers.importers.ccew import CcewImporter
from culturehub.registers.importers.charities import CharitiesCsvImporter
from culturehub.registers.importers.museums import MuseumsImporter

Progress = Callable[[str], None]
CHARITY_FORMATS = {"csv": CharitiesCsvImporter, "ccew": CcewImporter}
DEMO_DIR = Path(settings.DEMO_DATA_DIR) / "registers"


def _quiet(message: str) -> None:
    """Progress goes nowhere unless the caller asks for it."""


def charities_import(
    *, path: Path | str, format: str = "csv", progress: Progress = _quiet, user=None
) -> ImportRun:
    return CHARITY_FORMATS[format](progress=progress, user=user).run(path)


def arts_council_npo_import(*, path: Path | str, progress: Progress = _quiet, user=None) -> ImportRun:
    return NpoImporter(progress=progress, user=user).run(path)


def arts_council_grants_import(
    *, paths: Iterable[Path | str], progress: Progress = _quiet, user=None
) -> list[ImportRun]:
    """One run per file: each year's list stands or falls on its own."""
    return [ProjectGrantsImporter(progress=progress, user=user).run(path) for path in paths]


def museums_import(*, path: Path | str, progress: Progress = _quiet, user=None) -> ImportRun:
    return MuseumsImporter(progress=progress, user=user).run(path)


def demo_registers_load(*, progress: Progress = _quiet) -> list[ImportRun]:
    """Import the bundled register subsets for the demo places. Idempotent.

    The Arts Council and museum lists go first: they name councils, so charities that match them
    by name and place join their listings rather than making second ones.
    """
    runs = [
        arts_council_npo_import(path=DEMO_DIR / "ace_npo_2018_22.xlsx", progress=progress),
        *arts_council_grants_import(
            paths=sorted(DEMO_DIR.glob("ace_project_grants_*.xlsx")), progress=progress
        ),
        museums_import(path=DEMO_DIR / "mapping_museums.csv", progress=progress),
        charities_import(path=DEMO_DIR / "charities.csv", format="csv", progress=progress),
    ]
    return runs

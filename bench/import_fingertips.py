"""Benchmark: import a Fingertips CSV into a fresh temporary SQLite database and print the figures.

    python bench/import_fingertips.py [FILE] [--damaged]

FILE defaults to ../shared/data/fingertips/healthdata_northwest_subset.csv (relative to the repo root).
The script migrates a throwaway database, loads the bundled areas, then:
  1. imports FILE and prints rows per second;
  2. imports it again and checks that the second run changed nothing;
  3. measures peak memory (tracemalloc, Python allocations) importing the first half of the file and
     then the whole file, to show memory does not grow with the file; prints the process's maxrss;
  4. with --damaged, imports a copy with a few broken rows and lists what was rejected.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILE = REPO_ROOT.parent / "shared" / "data" / "fingertips" / "healthdata_northwest_subset.csv"

# (what is broken, line to break, text to replace, replacement); lines are chosen among rows for areas
# Culture Hub holds, so each would otherwise load. The originals are checked before they are changed.
DAMAGE = [
    ("a value that is not a number", 2, ",6.93158962798202,", ",6.93x,"),
    ("a missing indicator ID", 69, "241,", ","),
    ("a missing year", 174, ",2019,", ",,"),
    ("a malformed area code", 175, ",E54000048,", ",E54-000048,"),
    ("a repeated row with a different figure", 106, ",7.17829218686103,", ",7.2,"),
]


def setup_django(data_dir: Path) -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ["DEBUG"] = "1"
    os.environ["CULTUREHUB_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "culturehub.config.settings"
    sys.path.insert(0, str(REPO_ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings

    # With DEBUG on, Django keeps the text of recent queries in memory; an import run in production
    # does not, so neither does the benchmark.
    settings.DEBUG = False


def timed_import(path: Path):
    from culturehub.places.importers import FingertipsImporter

    started = time.perf_counter()
    run = FingertipsImporter().run(path)
    seconds = time.perf_counter() - started
    return run, seconds


def rate(rows: int, seconds: float) -> str:
    return f"{rows:,} rows in {seconds:.2f} s = {rows / seconds:,.0f} rows/s"


def clear_values() -> None:
    from culturehub.places.models import IndicatorValue

    IndicatorValue.objects.all().delete()


def traced_peak(path: Path) -> tuple[float, int]:
    clear_values()
    tracemalloc.start()
    tracemalloc.reset_peak()
    run, _seconds = timed_import(path)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20, run.rows_read


def first_half(path: Path, folder: Path) -> Path:
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    half = folder / "first_half.csv"
    half.write_text("".join(lines[: 1 + (len(lines) - 1) // 2]), encoding="utf-8")
    return half


def damaged_copy(path: Path, folder: Path) -> Path:
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    for _what, number, old, new in DAMAGE:
        if old not in lines[number - 1]:
            raise SystemExit(f"Line {number} of {path} is not the row this benchmark expects to damage.")
        lines[number - 1] = lines[number - 1].replace(old, new, 1)
    damaged = folder / "damaged.csv"
    damaged.write_text("".join(lines), encoding="utf-8")
    return damaged


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--damaged", action="store_true", help="also import a copy with broken rows")
    options = parser.parse_args()
    path = options.file.resolve()
    if not path.is_file():
        print(f"No file at {path}", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="culturehub-bench-") as folder:
        folder = Path(folder)
        setup_django(folder)
        from django.core.management import call_command

        from culturehub.places.imports import areas_import

        call_command("migrate", verbosity=0)
        areas = areas_import()
        print(f"File: {path} ({path.stat().st_size / 2**20:.1f} MB)")
        print(f"Areas: {areas.message}")

        run, seconds = timed_import(path)
        print(f"\nFirst run:  {run.message}")
        print(f"            {rate(run.rows_read, seconds)}")

        again, seconds = timed_import(path)
        print(f"Second run: {again.message}")
        print(f"            {rate(again.rows_read, seconds)}")
        print("            " + ("nothing changed, as expected." if not again.changed_anything
                                else "CHANGED SOMETHING: the import is not idempotent."))

        half_peak, half_rows = traced_peak(first_half(path, folder))
        whole_peak, whole_rows = traced_peak(path)
        print("\nPeak Python memory during an import into an empty table (tracemalloc):")
        print(f"  first half: {half_rows:>7,} rows  {half_peak:6.1f} MiB")
        print(f"  whole file: {whole_rows:>7,} rows  {whole_peak:6.1f} MiB")
        maxrss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
        print(f"Process peak resident memory (getrusage maxrss): {maxrss_mib:.1f} MiB")

        if options.damaged:
            clear_values()
            damaged = damaged_copy(path, folder)
            run, seconds = timed_import(damaged)
            print(f"\nDamaged copy ({len(DAMAGE)} rows broken): {run.message}")
            from culturehub.places.imports import import_run_problems

            for line in import_run_problems(run=run):
                print(f"  {line}")
            expected = {number for _what, number, _old, _new in DAMAGE}
            found = set(run.row_errors.values_list("line", flat=True))
            print("  " + ("every broken row was reported, and the others loaded." if found == expected
                          else f"UNEXPECTED: reported lines {sorted(found)}, broke {sorted(expected)}."))
        from django.db import connections

        connections.close_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())

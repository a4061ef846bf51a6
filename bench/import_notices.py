"""Benchmark: import a large OCDS input into a fresh SQLite database and print the figures.

    .venv/bin/python bench/import_notices.py [--releases 100000] [--keep] [--tracemalloc]

The input is made from the real releases bundled in src/culturehub/opportunities/data, repeated with
fresh ocids (and fresh release ids where the publisher gives one; releases published without an id keep
none, so their ids are derived from their content as they would be) until there are N releases. It is
written twice to var/bench/notices/: as JSON Lines and as one release package. The script then prints:
  1. the bare parse time of each file, read with the importer's own reader (`ocds.read_releases`) and
     with plain `orjson.loads` per line (JSON Lines) or `ijson.items` (the package);
  2. releases per second importing the JSON Lines file into an empty database, and the ratio of import
     time to the faster of those two parse times (the aim is within 5 times);
  3. a second import of the same file, which should change nothing, and its time; then the same for
     the package, imported into an emptied database;
  4. the peak memory of an import at a quarter of N and at N releases, each measured in a child process
     on its own empty database (the child's own peak resident memory; with --tracemalloc also the peak
     of Python allocations, which makes those imports several times slower), to show whether memory
     stays flat as the input grows.
Everything under var/bench/notices/ is removed at the end unless --keep is given.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import ijson
import orjson

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA = REPO_ROOT / "src" / "culturehub" / "opportunities" / "data"
SOURCES = ("releases_pages_dev.json", "releases_wales_scotland.json")
FOLDER = REPO_ROOT / "var" / "bench" / "notices"
TARGET_RATIO = 5


def setup_django(database: Path) -> None:
    """Django on a throwaway SQLite file; DATABASE_URL is set before setup so no other database is used."""
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["DEBUG"] = "1"
    os.environ["CULTUREHUB_DATA_DIR"] = str(database.parent)
    os.environ["DJANGO_SETTINGS_MODULE"] = "culturehub.config.settings"
    sys.path.insert(0, str(REPO_ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings

    # With DEBUG on, Django keeps the text of recent queries in memory; production does not.
    settings.DEBUG = False


def prepare_database(database: Path) -> None:
    from django.core.management import call_command

    from culturehub.places.imports import areas_import

    call_command("migrate", verbosity=0)
    # Buyers are placed in areas as they are met, so the areas are loaded as they would be in use.
    areas_import()


def fresh_database(name: str) -> Path:
    database = FOLDER / name
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    return database


# Generating the input ------------------------------------------------------------------------------

def bundled_releases() -> list[dict]:
    releases = []
    for name in SOURCES:
        with (DATA / name).open(encoding="utf-8") as handle:
            releases += json.load(handle)["releases"]
    return releases


def copies(releases: list[dict], count: int):
    """`count` releases: the bundled ones over and over, each round with its own ocids and release ids."""
    made = 0
    round_number = 0
    while made < count:
        round_number += 1
        for release in releases:
            if made == count:
                return
            copy = dict(release)
            copy["ocid"] = f"{release['ocid']}-bench{round_number}"
            if release.get("id") not in (None, ""):
                copy["id"] = f"{release['id']}-bench{round_number}"
            made += 1
            yield copy


def write_inputs(count: int, *, package: bool) -> tuple[Path, Path | None]:
    releases = bundled_releases()
    lines_path = FOLDER / f"releases-{count}.jsonl"
    with lines_path.open("w", encoding="utf-8") as handle:
        for release in copies(releases, count):
            handle.write(json.dumps(release, ensure_ascii=False) + "\n")
    if not package:
        return lines_path, None
    package_path = FOLDER / f"release-package-{count}.json"
    with package_path.open("w", encoding="utf-8") as handle:
        handle.write('{"uri": "https://example.invalid/culturehub-bench", "version": "1.1",\n"releases": [\n')
        for number, release in enumerate(copies(releases, count)):
            handle.write((",\n" if number else "") + json.dumps(release, ensure_ascii=False))
        handle.write("\n]}\n")
    return lines_path, package_path


# Parsing ---------------------------------------------------------------------------------------------

def parse_with_reader(path: Path) -> tuple[int, float]:
    from culturehub.opportunities.ocds import read_releases

    started = time.perf_counter()
    count = sum(1 for item in read_releases(path) if item.error is None)
    return count, time.perf_counter() - started


def parse_plain(path: Path, *, package: bool) -> tuple[int, float]:
    started = time.perf_counter()
    count = 0
    with path.open("rb") as handle:
        if package:
            for _release in ijson.items(handle, "releases.item"):
                count += 1
        else:
            for line in handle:
                orjson.loads(line)
                count += 1
    return count, time.perf_counter() - started


# Importing -------------------------------------------------------------------------------------------

def timed_import(path: Path, *, quiet: bool = False):
    from culturehub.opportunities.importer import NoticesImporter

    progress = (lambda _message: None) if quiet else (lambda message: print(f"    {message}", flush=True))
    started = time.perf_counter()
    run = NoticesImporter(progress=progress).run(path)
    return run, time.perf_counter() - started


def clear_notices() -> None:
    from culturehub.opportunities.models import Buyer, Lot, Opportunity, Release

    for model in (Lot, Release, Opportunity, Buyer):
        model.objects.all().delete()


def rate(count: int, seconds: float) -> str:
    return f"{count:,} releases in {seconds:.2f} s = {count / seconds:,.0f} releases/s"


def memory_child(path: Path, database: Path, *, traced: bool) -> int:
    """Run in a child process: import `path` into an empty database and print the peaks as JSON."""
    setup_django(database)
    prepare_database(database)
    if traced:
        tracemalloc.start()
    run, seconds = timed_import(path, quiet=True)
    peak = tracemalloc.get_traced_memory()[1] if traced else None
    tracemalloc.stop()
    print(json.dumps({
        "releases": run.rows_read, "created": run.rows_created, "seconds": seconds,
        "traced_peak": peak, "maxrss_kib": own_peak_kib(),
    }))
    return 0


def own_peak_kib() -> int:
    """This process's peak resident memory in KiB. Linux's VmHWM where there is one: `ru_maxrss` of a
    child started by `subprocess` also counts the parent's peak at the moment it was started (the
    kernel carries it over the exec), so after the large imports above it would show the parent."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure_memory(path: Path, count: int, *, traced: bool) -> dict:
    database = fresh_database(f"memory-{count}.sqlite3")
    result = subprocess.run(  # noqa: S603 - this interpreter running this script on files it wrote
        [sys.executable, __file__, "--memory-child", str(path), str(database), *(["--tracemalloc"] * traced)],
        capture_output=True, text=True, check=False,
    )
    if result.returncode:
        raise SystemExit(f"The memory measurement at {count:,} releases failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=100_000, help="releases to import (default 100000)")
    parser.add_argument("--keep", action="store_true", help="keep the files under var/bench/notices")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also trace Python allocations in the memory runs (slow)")
    parser.add_argument("--memory-child", nargs=2, metavar=("FILE", "DATABASE"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.memory_child:
        return memory_child(Path(options.memory_child[0]), Path(options.memory_child[1]),
                            traced=options.tracemalloc)
    count = options.releases
    if count < 4:
        parser.error("--releases must be at least 4")

    FOLDER.mkdir(parents=True, exist_ok=True)
    database = fresh_database("bench.sqlite3")
    setup_django(database)
    try:
        return run_benchmark(count, database, traced=options.tracemalloc)
    finally:
        from django.db import connections

        connections.close_all()
        if not options.keep:
            shutil.rmtree(FOLDER, ignore_errors=True)


def run_benchmark(count: int, database: Path, *, traced: bool) -> int:
    print(f"Generating {count:,} releases from {len(SOURCES)} bundled files into {FOLDER} ...", flush=True)
    started = time.perf_counter()
    lines_path, package_path = write_inputs(count, package=True)
    quarter = count // 4
    quarter_path, _ = write_inputs(quarter, package=False)
    print(f"  done in {time.perf_counter() - started:.1f} s: {lines_path.name} "
          f"({lines_path.stat().st_size / 2**20:.0f} MB), {package_path.name} "
          f"({package_path.stat().st_size / 2**20:.0f} MB)", flush=True)
    prepare_database(database)

    print("\nBare parse time (no database):", flush=True)
    parsed = {}
    for label, path, package in (("JSON Lines", lines_path, False), ("package", package_path, True)):
        read, reader_seconds = parse_with_reader(path)
        plain, plain_seconds = parse_plain(path, package=package)
        # The fastest honest parse of the file is the yardstick.
        parsed[label] = min(reader_seconds, plain_seconds)
        plain_name = "ijson.items" if package else "orjson.loads per line"
        print(f"  {label:10}  ocds.read_releases: {rate(read, reader_seconds)}")
        print(f"  {'':10}  {plain_name + ':':19} {rate(plain, plain_seconds)}", flush=True)

    for label, path in (("JSON Lines", lines_path), ("package", package_path)):
        clear_notices()
        print(f"\nImport of the {label} file into an empty database:", flush=True)
        run, seconds = timed_import(path)
        ratio = seconds / parsed[label]
        verdict = "within" if ratio <= TARGET_RATIO else "OVER"
        print(f"  {rate(run.rows_read, seconds)}")
        print(f"  import time / parse time = {ratio:.1f}x ({verdict} the {TARGET_RATIO}x aim)", flush=True)
        print(f"Second import of the same {label} file (nothing changed):", flush=True)
        again, seconds = timed_import(path)
        print(f"  {rate(again.rows_read, seconds)}; "
              f"import time / parse time = {seconds / parsed[label]:.1f}x")
        print("  " + ("nothing changed, as expected." if not again.changed_anything
                      else "CHANGED SOMETHING: the import is not idempotent."), flush=True)

    print("\nPeak memory importing JSON Lines into an empty database (child process each):", flush=True)
    for size, path in ((quarter, quarter_path), (count, lines_path)):
        figures = measure_memory(path, size, traced=traced)
        traced_text = (f"tracemalloc peak {figures['traced_peak'] / 2**20:6.1f} MiB, " if traced else "")
        peak = figures["maxrss_kib"] / 1024
        print(f"  {figures['releases']:>9,} releases: {traced_text}peak resident {peak:6.1f} MiB"
              f"  (import {figures['seconds']:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: filtered full-text searches of the generated directory, printing percentiles in ms.

    python bench/directory_generate.py            # once: 20,000 organisations, 50,000 offers
    python bench/directory_search.py [--data-dir var/bench/directory] [--runs 200] [--seed 7]
                                     [--database-url URL]

With --database-url postgres://... it times a PostgreSQL database filled by directory_generate.py with
the same option.

Each run is a search for one word with one priority theme and one place (a council, county, ICB or
region), timed three ways:
  1. the selector, `directory.search.offer_search`, first page of 25 with its facet counts;
  2. the search page, GET /directory/search/?q=...&theme=...&place=CODE through Django's test client
     (form, place lookup, selector and template);
  3. GET /api/oruk/services?per_page=50 (a different page each run), skipped with a message while the
     endpoint answers 404.
A few warm-up runs come first and are not counted. Target on SQLite: the search page's first page
within 150 ms at the 95th percentile; the ORUK services page within 100 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from directory_generate import DEFAULT_DATA_DIR, WORDS, setup_django  # noqa: E402

WARM_UP = 5


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]

    return (f"p50 {statistics.median(ordered):7.1f}   p95 {at(0.95):7.1f}   p99 {at(0.99):7.1f}   "
            f"max {ordered[-1]:7.1f}   (n={len(ordered)})")


def cases(runs: int, seed: int) -> list[tuple[str, str, object]]:
    from culturehub.places.models import Area
    from culturehub.vocabulary.models import Term

    rnd = random.Random(seed)  # noqa: S311  repeatable choices, not secrets
    themes = list(Term.objects.themes().values_list("key", flat=True))
    places = list(Area.objects.exclude(kind__in=["country"]).order_by("code"))
    return [(rnd.choice(WORDS), rnd.choice(themes), rnd.choice(places)) for _ in range(runs + WARM_UP)]


def timed(function) -> tuple[float, object]:
    started = time.perf_counter()
    value = function()
    return (time.perf_counter() - started) * 1000, value


def bench_selector(runs) -> tuple[list[float], list[int]]:
    from django.contrib.auth.models import AnonymousUser

    from culturehub.directory.search import offer_search

    samples, totals = [], []
    for index, (word, theme, place) in enumerate(runs):
        ms, result = timed(lambda w=word, t=theme, p=place: offer_search(
            user=AnonymousUser(), text=w, themes=[t], place=p))
        if index >= WARM_UP:
            samples.append(ms)
            totals.append(result.total)
    return samples, totals


def bench_page(client, runs) -> list[float]:
    samples = []
    for index, (word, theme, place) in enumerate(runs):
        ms, response = timed(lambda w=word, t=theme, p=place: client.get(
            "/directory/search/", {"q": w, "theme": t, "place": p.code}))
        if response.status_code != 200:
            raise SystemExit(f"search page answered {response.status_code} for {word!r} {theme} {place.code}")
        if index >= WARM_UP:
            samples.append(ms)
    return samples


def bench_oruk(client, count: int) -> list[float] | None:
    # The feed allows 120 requests a minute per address; the benchmark measures answers, not the limit.
    from culturehub.directory.oruk import throttling

    throttling.OrukRateThrottle.allow_request = lambda self, request: True
    first = client.get("/api/oruk/services", {"per_page": 50})
    if first.status_code == 404:
        return None
    if first.status_code != 200:
        raise SystemExit(f"/api/oruk/services answered {first.status_code}")
    samples = []
    for index in range(count + WARM_UP):
        ms, response = timed(lambda i=index: client.get("/api/oruk/services",
                                                        {"per_page": 50, "page": 1 + i % 20}))
        if response.status_code != 200:
            raise SystemExit(f"/api/oruk/services answered {response.status_code}")
        if index >= WARM_UP:
            samples.append(ms)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", help="a PostgreSQL database filled by directory_generate.py")
    args = parser.parse_args()
    database = args.database_url or args.data_dir / "culturehub.sqlite3"
    if not args.database_url and not database.exists():
        raise SystemExit(f"No database at {database}: run bench/directory_generate.py first.")
    setup_django(args.data_dir, args.database_url)
    from django.conf import settings
    from django.test import Client

    from culturehub.directory.models import Offer

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    print(f"Directory: {Offer.objects.count():,} offers in {database}")
    runs = cases(args.runs, args.seed)

    samples, totals = bench_selector(runs)
    print(f"offer_search, first page + facets (ms): {percentiles(samples)}")
    print(f"  results per search: median {statistics.median(totals):,.0f}, max {max(totals):,}, "
          f"{sum(1 for total in totals if total == 0)} of {len(totals)} with none")
    client = Client()
    print(f"search page /directory/search/ (ms):     {percentiles(bench_page(client, runs))}")
    oruk = bench_oruk(client, args.runs)
    if oruk is None:
        print("/api/oruk/services?per_page=50: skipped, the endpoint answers 404 (not built yet)")
    else:
        print(f"/api/oruk/services?per_page=50 (ms):    {percentiles(oruk)}")


if __name__ == "__main__":
    main()

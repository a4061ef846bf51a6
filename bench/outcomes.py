"""How long scoring and analysing outcome responses takes, on clearly synthetic data.

    .venv/bin/python bench/outcomes.py [--rows 100000] [--instrument swemwbs] [--seed 6]

Writes a CSV of synthetic responses (participants SYNTH-000001..., half at `pre`, half at `post`, answers
drawn at random with a small upward shift at `post`) to a temporary folder, then times, for each
instrument: reading, scoring and writing the file (`culturehub outcomes score`), and reading, scoring,
pairing and analysing it (`culturehub outcomes analyse`). The figures are the product's speed only: the
data are random and say nothing about any real programme. The temporary folder is removed at the end.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "culturehub.config.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from culturehub.outcomes.batch import analyse_csv, score_csv  # noqa: E402
from culturehub.outcomes.instruments import INSTRUMENTS  # noqa: E402


def synthetic_answer(rng: random.Random, low: int, high: int, shift: float) -> int:
    middle = (low + high) / 2 + shift
    return max(low, min(high, round(rng.gauss(middle, (high - low) / 4))))


def write_synthetic(path: Path, instrument_key: str, rows: int, seed: int) -> None:
    instrument = INSTRUMENTS[instrument_key]
    rng = random.Random(seed)  # noqa: S311  synthetic answers, not a secret
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["participant_id", "timepoint", *instrument.items])
        for index in range(rows):
            participant, timepoint = divmod(index, 2)
            shift = 0.3 if timepoint else 0.0
            answers = [
                synthetic_answer(rng, instrument.item_minimum, instrument.item_maximum, shift)
                for _item in instrument.items
            ]
            if rng.random() < 0.01:  # a few bad rows, as real uploads have
                answers[0] = ""
            writer.writerow([f"SYNTH-{participant + 1:06}", "post" if timepoint else "pre", *answers])


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="responses per instrument (default 100000)")
    parser.add_argument(
        "--instrument", action="append", choices=list(INSTRUMENTS), help="repeatable; default: all four"
    )
    parser.add_argument("--seed", type=int, default=6)
    options = parser.parse_args()
    print(f"Synthetic responses: {options.rows:,} per instrument (random data, not real people).")
    print(f"{'instrument':<10} {'score (s)':>10} {'rows/s':>10} {'analyse (s)':>12} {'pairs':>8}  change")
    with tempfile.TemporaryDirectory(prefix="culturehub-bench-outcomes-") as folder:
        for key in options.instrument or list(INSTRUMENTS):
            source = Path(folder) / f"synthetic_{key}.csv"
            write_synthetic(source, key, options.rows, options.seed)
            scored = Path(folder) / f"scored_{key}.csv"
            summary, score_seconds = timed(score_csv, source, scored, instrument=key)
            result, analyse_seconds = timed(analyse_csv, source, instrument=key)
            print(
                f"{key:<10} {score_seconds:>10.2f} {summary.rows / score_seconds:>10,.0f} "
                f"{analyse_seconds:>12.2f} {result['n_paired']:>8,}  {result['mean_change']:+.3f} "
                f"(p {result['t_p_value']:.2g}; {summary.rows - summary.valid:,} rows with an error)"
            )
        if options.instrument is None or "swemwbs" in options.instrument:
            print("\nanalyse output, swemwbs:")
            print(json.dumps(analyse_csv(Path(folder) / "synthetic_swemwbs.csv", instrument="swemwbs")))


if __name__ == "__main__":
    main()

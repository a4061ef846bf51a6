"""`culturehub outcomes score --instrument swemwbs|wemwbs|ons4|ucla3 --input FILE.csv --output OUT.csv`:
score every row of a file of responses.

`culturehub outcomes analyse --instrument NAME --input FILE.csv [--baseline pre --followup post]
[--measure life_satisfaction] [--min-n 10] [--threshold N]`: print one JSON object with the paired change
from the baseline to the follow-up.

A file that cannot be read gets one error line and exit code 2 (docs/decisions/0007-outcome-measurement.md).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from culturehub.outcomes.batch import OutcomesInputError, analyse_csv, output_columns, score_csv
from culturehub.outcomes.instruments import INSTRUMENTS
from culturehub.outcomes.statistics import DEFAULT_MIN_N

STANDARD = ("swemwbs", "wemwbs", "ons4", "ucla3")


class Command(BaseCommand):
    help = "Score responses to an outcome instrument, or analyse the change from baseline to follow-up."

    def add_arguments(self, parser):
        subparsers = parser.add_subparsers(dest="action", required=True, metavar="{score,analyse}")
        score = subparsers.add_parser(
            "score",
            help="one output row per input row: participant_id,timepoint,valid,raw,score,band,error "
            "(ONS4: each measure and its band)",
        )
        self._instrument_argument(score)
        score.add_argument("--input", required=True, type=Path, help="CSV file, UTF-8, with a header row")
        score.add_argument("--output", required=True, type=Path, help="CSV file to write")
        analyse = subparsers.add_parser("analyse", help="print the paired change as one JSON object")
        self._instrument_argument(analyse)
        analyse.add_argument(
            "--input",
            required=True,
            type=Path,
            help="CSV file, UTF-8: participant_id,timepoint and the item columns (or a score column)",
        )
        analyse.add_argument("--baseline", default="pre", help="timepoint of the baseline (default pre)")
        analyse.add_argument("--followup", default="post", help="timepoint of the follow-up (default post)")
        analyse.add_argument(
            "--measure", help="ONS4: life_satisfaction (default), worthwhile, happiness or anxiety"
        )
        analyse.add_argument(
            "--min-n",
            type=int,
            default=DEFAULT_MIN_N,
            help=f"fewest pairs for figures to be shown (default {DEFAULT_MIN_N})",
        )
        analyse.add_argument(
            "--threshold", type=float, help="meaningful change (default: the instrument's documented default)"
        )

    @staticmethod
    def _instrument_argument(parser):
        parser.add_argument("--instrument", required=True, choices=STANDARD, help="the instrument")

    def handle(self, *args, **options):
        try:
            if options["action"] == "score":
                self._score(options)
            else:
                self._analyse(options)
        except OutcomesInputError as error:
            raise CommandError(str(error), returncode=2) from error

    def _score(self, options):
        summary = score_csv(options["input"], options["output"], instrument=options["instrument"])
        instrument = INSTRUMENTS[options["instrument"]]
        self.stderr.write(
            f"Scored {summary.rows:,} rows of {instrument.name} into {options['output']} "
            f"({len(output_columns(instrument))} columns): {summary.valid:,} valid, "
            f"{summary.rows - summary.valid:,} with an error (their reasons are in the file)."
        )

    def _analyse(self, options):
        result = analyse_csv(
            options["input"],
            instrument=options["instrument"],
            baseline=options["baseline"],
            followup=options["followup"],
            measure=options["measure"],
            min_n=options["min_n"],
            threshold=options["threshold"],
        )
        self.stdout.write(json.dumps(result))

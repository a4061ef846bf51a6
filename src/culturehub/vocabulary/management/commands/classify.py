"""`culturehub classify organisations --input FILE.csv --output OUT.csv [--id-column org_id]
[--text-columns name,activities,objects]`: tag each row of a CSV file with the tagger.

`culturehub classify notices --input FILE... --output OUT.csv`: judge each release in OCDS files
(release packages, record packages, JSON Lines) direct, adjacent or none for the cultural sector."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from culturehub.opportunities.classify import classify_notices
from culturehub.opportunities.ocds import NotOcdsError
from culturehub.vocabulary.tagger.classify import (
    DEFAULT_ID_COLUMN,
    DEFAULT_TEXT_COLUMNS,
    ClassifyInputError,
    classify_organisations,
)


class Command(BaseCommand):
    help = (
        "Classify organisations in a CSV file (cultural or not, art forms, themes and populations), "
        "or procurement notices in OCDS files (direct, adjacent or none, with themes)."
    )

    def add_arguments(self, parser):
        subparsers = parser.add_subparsers(dest="what", required=True, metavar="{organisations,notices}")
        organisations = subparsers.add_parser(
            "organisations",
            help="one output row per input row: id,cultural,art_forms,themes,populations,score,reasons",
        )
        organisations.add_argument(
            "--input", required=True, type=Path, help="CSV file, UTF-8, with a header row"
        )
        organisations.add_argument("--output", required=True, type=Path, help="CSV file to write")
        organisations.add_argument(
            "--id-column",
            default=DEFAULT_ID_COLUMN,
            help=f"column holding each row's id (default {DEFAULT_ID_COLUMN})",
        )
        organisations.add_argument(
            "--text-columns",
            default=",".join(DEFAULT_TEXT_COLUMNS),
            help=f"comma-separated columns to read (default {','.join(DEFAULT_TEXT_COLUMNS)})",
        )
        notices = subparsers.add_parser(
            "notices", help="one output row per release: ocid,release_id,relevance,themes,score,reasons"
        )
        notices.add_argument(
            "--input",
            required=True,
            nargs="+",
            type=Path,
            help="OCDS release package, record package or JSON Lines files, UTF-8",
        )
        notices.add_argument("--output", required=True, type=Path, help="CSV file to write")

    def handle(self, *args, **options):
        if options["what"] == "notices":
            self._notices(options)
            return
        text_columns = tuple(
            column.strip() for column in options["text_columns"].split(",") if column.strip()
        )
        if not text_columns:
            raise CommandError(
                "--text-columns names no column: give one or more, separated by commas.", returncode=2
            )
        try:
            summary = classify_organisations(
                options["input"],
                options["output"],
                id_column=options["id_column"],
                text_columns=text_columns,
                progress=lambda message: self.stderr.write(message),
            )
        except ClassifyInputError as error:
            raise CommandError(str(error), returncode=2) from error
        self.stderr.write(
            f"Classified {summary.rows:,} rows into {options['output']}: {summary.cultural:,} cultural, "
            f"{summary.bad_rows:,} could not be read (their reasons are in the file)."
        )

    def _notices(self, options):
        try:
            summary = classify_notices(
                options["input"], options["output"], progress=lambda message: self.stderr.write(message)
            )
        except NotOcdsError as error:
            raise CommandError(str(error), returncode=2) from error
        self.stderr.write(
            f"Classified {summary.releases:,} releases into {options['output']}: {summary.direct:,} direct, "
            f"{summary.adjacent:,} adjacent, {summary.bad_releases:,} could not be read "
            "(their reasons are in the file)."
        )

from pathlib import Path

from django.core.management.base import BaseCommand

from culturehub.places.imports import ProgressWriter, command_finish, ons_wellbeing_import


class Command(BaseCommand):
    help = (
        "Import ONS personal wellbeing (ONS4) means by district from the ONS Subnational indicators "
        "CSVs (Life_satisfaction.csv, Worthwhile.csv, Happiness.csv, Anxiety.csv)."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="One or more of the CSVs.")

    def handle(self, *args, files, **options):
        writer = ProgressWriter(self.stdout.write)
        runs = ons_wellbeing_import(paths=files, progress=writer)
        command_finish(runs=runs, writer=writer, write=self.stdout.write)

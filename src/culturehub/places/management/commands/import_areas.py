from pathlib import Path

from django.core.management.base import BaseCommand

from culturehub.places.imports import DEMO_ONS_LOOKUPS, ProgressWriter, areas_import, command_finish


class Command(BaseCommand):
    help = (
        "Import England's regions, councils (upper and lower tier) and ICBs with their hierarchy and "
        "old codes from the ONS lookups in DIR (default: the bundled copies)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", type=Path, default=DEMO_ONS_LOOKUPS, metavar="DIR",
                            help="Folder holding the ONS lookup CSVs.")

    def handle(self, *args, directory, **options):
        writer = ProgressWriter(self.stdout.write)
        run = areas_import(directory=directory, progress=writer)
        command_finish(runs=[run], writer=writer, write=self.stdout.write)

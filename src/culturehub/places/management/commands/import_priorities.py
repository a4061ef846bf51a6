from pathlib import Path

from django.core.management.base import BaseCommand

from culturehub.places.imports import DEMO_PRIORITIES, ProgressWriter, command_finish, priorities_import


class Command(BaseCommand):
    help = "Import places' published priorities from a YAML file (default: the bundled demo priorities)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", type=Path, default=DEMO_PRIORITIES, metavar="FILE",
                            help="The priorities YAML file.")

    def handle(self, *args, file, **options):
        writer = ProgressWriter(self.stdout.write)
        run = priorities_import(path=file, progress=writer)
        command_finish(runs=[run], writer=writer, write=self.stdout.write)

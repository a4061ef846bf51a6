from django.core.management.base import BaseCommand, CommandError

from culturehub.opportunities.importer import notices_import_files
from culturehub.places.imports import ProgressWriter, command_finish

LIVE_SOURCES = ("find-a-tender", "contracts-finder")


class Command(BaseCommand):
    help = (
        "Import public procurement notices (OCDS) into opportunities: release packages, record packages "
        "or JSON Lines files. Each release is kept; importing the same file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", metavar="FILE", nargs="*", help="OCDS files to import, one run each.")
        parser.add_argument("--source", choices=LIVE_SOURCES, help="Read a live service instead of files.")
        parser.add_argument("--since", metavar="DATE", help="With --source: releases updated since then.")

    def handle(self, *args, paths, source, since, **options):
        if source:
            # Said plainly rather than pretending: the live clients are a separate piece of work.
            raise CommandError(
                f"live import from {source} is not available yet: import downloaded files instead "
                "(culturehub import notices FILE...).",
                returncode=2,
            )
        if since:
            raise CommandError("--since goes with --source; a file is imported whole.", returncode=2)
        if not paths:
            raise CommandError("name one or more OCDS files to import (or --source).", returncode=2)
        writer = ProgressWriter(self.stdout.write)
        runs = notices_import_files(paths=paths, progress=writer)
        command_finish(runs=runs, writer=writer, write=self.stdout.write)
        for run in runs:
            for line in run.log.splitlines():
                self.stdout.write(f"  {line}")

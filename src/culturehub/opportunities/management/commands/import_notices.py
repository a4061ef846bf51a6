from datetime import UTC, datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date, parse_datetime

from culturehub.opportunities.importer import notices_import_files
from culturehub.opportunities.live import LiveFeedError, import_live
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
        parser.add_argument(
            "--since", metavar="DATE",
            help="With --source: start afresh from notices changed since DATE (UTC); the first run needs it.",
        )

    def handle(self, *args, paths, source, since, **options):
        if source:
            if paths:
                raise CommandError("give either --source or files, not both.", returncode=2)
            self._import_live(source, since)
            return
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

    def _import_live(self, source: str, since: str | None) -> None:
        start = parse_since(since) if since else None
        try:
            runs = import_live(source=source, since=start, progress=self.stdout.write)
        except LiveFeedError as error:
            # Pages stored before the failure stay stored, with the cursor to carry on from.
            raise CommandError(str(error), returncode=2) from error
        created = sum(run.rows_created for run in runs)
        updated = sum(run.rows_updated for run in runs)
        rejected = sum(run.rows_rejected for run in runs)
        self.stdout.write(
            f"{len(runs):,} pages: {created:,} releases created, {updated:,} updated, {rejected:,} rejected."
        )


def parse_since(text: str) -> datetime:
    """A date (midnight UTC) or an ISO 8601 date and time (UTC where no offset is given)."""
    try:
        moment = parse_datetime(text)
        day = None if moment else parse_date(text)
    except ValueError:
        moment = day = None
    if day:
        moment = datetime.combine(day, time.min)
    if moment is None:
        raise CommandError(
            f"--since {text!r} is not a date: give it as 2026-11-01 or 2026-11-01T09:30:00.", returncode=2
        )
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

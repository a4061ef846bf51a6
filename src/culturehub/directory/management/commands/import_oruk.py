from django.core.management.base import BaseCommand

from culturehub.directory.oruk.importer import OrukImporter
from culturehub.places.imports import ProgressWriter, command_finish


class Command(BaseCommand):
    help = (
        "Import an Open Referral UK feed (HSDS 3.0 UK profile) into organisations and offers: a JSON "
        "file or URL holding a service or a page of services, or an ORUK API's base URL (every page is "
        "read). Services that are arts, culture or heritage are flagged as cultural."
    )

    def add_arguments(self, parser):
        parser.add_argument("location", metavar="URL|FILE", help="The feed: a JSON file, or an http(s) URL.")

    def handle(self, *args, location, **options):
        writer = ProgressWriter(self.stdout.write)
        run = OrukImporter(progress=writer).run(location)
        command_finish(runs=[run], writer=writer, write=self.stdout.write)

from django.core.management.base import BaseCommand

from culturehub.registers.imports import museums_import
from culturehub.registers.management.commands._register_command import finish, writer_for


class Command(BaseCommand):
    help = (
        "Import the Mapping Museums data (CSV): a listing with museum details for each open museum in "
        "England. Closed museums and those elsewhere in the UK are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="FILE")

    def handle(self, *args, path, **options):
        finish(self, [museums_import(path=path, progress=writer_for(self))])

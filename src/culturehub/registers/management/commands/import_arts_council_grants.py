from django.core.management.base import BaseCommand

from culturehub.registers.imports import arts_council_grants_import
from culturehub.registers.management.commands._register_command import finish, writer_for


class Command(BaseCommand):
    help = (
        "Import Arts Council England National Lottery Project Grants award lists (.xlsx, one or more "
        "years): each award as investment in its council, and a listing for each recipient organisation."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", metavar="FILE", nargs="+")

    def handle(self, *args, paths, **options):
        finish(self, arts_council_grants_import(paths=paths, progress=writer_for(self)))

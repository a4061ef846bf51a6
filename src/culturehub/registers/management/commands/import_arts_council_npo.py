from django.core.management.base import BaseCommand

from culturehub.registers.imports import arts_council_npo_import
from culturehub.registers.management.commands._register_command import finish, writer_for


class Command(BaseCommand):
    help = (
        "Import Arts Council England's National Portfolio Organisations 2018-22 spreadsheet (.xlsx): a "
        "listing for each organisation and its yearly portfolio grants as investment in its council."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="FILE")

    def handle(self, *args, path, **options):
        finish(self, [arts_council_npo_import(path=path, progress=writer_for(self))])

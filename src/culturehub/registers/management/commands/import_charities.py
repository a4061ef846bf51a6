from django.core.management.base import BaseCommand

from culturehub.registers.imports import CHARITY_FORMATS, charities_import
from culturehub.registers.management.commands._register_command import finish, writer_for


class Command(BaseCommand):
    help = (
        "Import cultural charities from a register extract into unclaimed listings: a CSV in the UK-CAT "
        "shape (--format csv), or the Charity Commission's publicextract.charity file (.txt or .json; "
        "--format ccew), read with the governing document, classification and area of operation files "
        "beside it. The tagger decides which charities are cultural; the rest are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="FILE")
        parser.add_argument(
            "--format",
            choices=sorted(CHARITY_FORMATS),
            default="csv",
            help="csv (UK-CAT shape, the default) or ccew (Charity Commission extract)",
        )

    def handle(self, *args, path, format, **options):
        run = charities_import(path=path, format=format, progress=writer_for(self))
        finish(self, [run])

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from culturehub.places.fingertips_api import FingertipsApiError
from culturehub.places.imports import (
    ProgressWriter,
    command_finish,
    fingertips_import_api,
    fingertips_import_file,
)


class Command(BaseCommand):
    help = (
        "Import OHID Fingertips figures from a CSV file (the API's all_data CSV or the FingertipsNext "
        "export), or download one indicator from the Fingertips API with --indicator and --area-type."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", type=Path, metavar="FILE", help="A Fingertips CSV file.")
        parser.add_argument("--indicator", type=int, metavar="ID", help="Fingertips indicator ID.")
        parser.add_argument("--area-type", type=int, metavar="ID",
                            help="Fingertips area type ID, for example 502 for districts and unitaries.")
        parser.add_argument("--parent-area-type", type=int, metavar="ID",
                            help="Fingertips parent area type ID (optional).")

    def handle(self, *args, file, indicator, area_type, parent_area_type, **options):
        from_api = indicator is not None or area_type is not None
        if file and from_api:
            raise CommandError("Give either FILE or --indicator and --area-type, not both.", returncode=2)
        if not file and not (indicator is not None and area_type is not None):
            raise CommandError("Give a FILE to import, or both --indicator ID and --area-type ID.",
                               returncode=2)
        writer = ProgressWriter(self.stdout.write)
        if file:
            run = fingertips_import_file(path=file, progress=writer)
        else:
            try:
                run = fingertips_import_api(
                    indicator_id=indicator, area_type_id=area_type, parent_area_type_id=parent_area_type,
                    progress=writer,
                )
            except FingertipsApiError as error:
                writer.flush()
                raise CommandError(str(error), returncode=2) from error
        command_finish(runs=[run], writer=writer, write=self.stdout.write)

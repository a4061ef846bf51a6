from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from culturehub.vocabulary.services import TAXONOMY_DIR, TaxonomyError, vocabulary_load


class Command(BaseCommand):
    help = "Load the shared vocabulary (themes, art forms, populations, settings, outcomes) from YAML."

    def add_arguments(self, parser):
        parser.add_argument("--directory", type=Path, default=TAXONOMY_DIR,
                            help="Folder holding the taxonomy YAML files (default: the bundled ones).")

    def handle(self, *args, directory, **options):
        try:
            report = vocabulary_load(directory=directory)
        except TaxonomyError as error:
            raise CommandError(str(error)) from error
        for message in report.messages:
            self.stdout.write(f"  {message}")
        if report.changed_anything:
            self.stdout.write(self.style.SUCCESS(
                f"Vocabulary loaded: {report.created} created, {report.updated} updated, "
                f"{report.unchanged} unchanged, {report.retired} retired."
            ))
        else:
            self.stdout.write(f"Vocabulary already up to date: {report.unchanged} terms, nothing changed.")

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from culturehub.outcomes.demo import OutcomesDemoError, outcomes_demo_load


class Command(BaseCommand):
    help = (
        "Load the demo's example outcome project (invented participants and answers, marked as an "
        "example). Needs the vocabulary, the areas and the directory examples. Safe to run again."
    )

    def handle(self, *args, **options):
        try:
            report = outcomes_demo_load()
        except (OutcomesDemoError, ValidationError, PermissionDenied) as error:
            raise CommandError(f"The example outcome project did not load: {error}", returncode=2) from error
        for problem in report.skipped:
            self.stdout.write(f"  skipped: {problem}")
        if report.project is None:
            return
        if report.changed_anything:
            self.stdout.write(self.style.SUCCESS(f"Example outcome project loaded: {report.describe()}."))
        else:
            self.stdout.write(
                self.style.SUCCESS("Example outcome project already up to date: nothing changed.")
            )

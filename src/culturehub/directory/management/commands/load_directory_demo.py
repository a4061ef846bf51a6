from django.core.management.base import BaseCommand, CommandError

from culturehub.directory.services import DemoDataError, directory_demo_load


class Command(BaseCommand):
    help = (
        "Load the example organisations, offers and consortia for the demo localities (invented, marked "
        "as examples). Needs the areas and vocabulary loaded. Safe to run again."
    )

    def handle(self, *args, **options):
        try:
            report = directory_demo_load()
        except DemoDataError as error:
            raise CommandError(f"The directory examples did not load: {error}", returncode=2) from error
        for problem in report.skipped:
            self.stdout.write(f"  skipped {problem}")
        if report.changed_anything:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Directory examples loaded: {report.created} created, {report.updated} updated."
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS("Directory examples already up to date: nothing changed."))

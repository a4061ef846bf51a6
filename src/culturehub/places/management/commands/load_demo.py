from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from culturehub.core.models import ImportRun
from culturehub.places.imports import DemoDataError, demo_data_load, import_run_problems

DEMO_USERS_COMMAND = "create_demo_users"
# Real procurement notices (see demo_data/README.md): the transcribed notice pages, then the
# Sell2Wales and Public Contracts Scotland releases as published. They are the labelled notice set the
# relevance judge is measured on, read from where that set lives rather than kept twice.
DEMO_NOTICES = ("releases_pages_dev.json", "releases_wales_scotland.json")
NOTICES_DIR = Path(__file__).resolve().parents[3] / "opportunities" / "data"


def demo_notices_load() -> list[ImportRun]:
    """Import the bundled notices, one run per file; importing them again changes nothing."""
    from culturehub.opportunities.importer import notices_import_files

    return notices_import_files(paths=[NOTICES_DIR / name for name in DEMO_NOTICES])


class Command(BaseCommand):
    help = (
        "Load the bundled demo data: vocabulary, areas, Fingertips and ONS wellbeing figures, the seven "
        "places' priorities, the demo users, the directory examples, the example outcome project, the "
        "public registers and real procurement notices. Safe to run again: nothing changes the second time."
    )

    def add_arguments(self, parser):
        parser.add_argument("--if-missing", action="store_true",
                            help="Do nothing when areas are already loaded.")

    def handle(self, *args, if_missing, **options):
        try:
            report = demo_data_load(progress=self.stdout.write, if_missing=if_missing)
        except DemoDataError as error:
            raise CommandError(f"The demo data did not load: {error}", returncode=2) from error
        if not report.loaded:
            return
        for run in report.runs:
            for line in import_run_problems(run=run, limit=5):
                self.stdout.write(f"  {run.source}: {line}")
        self._create_demo_users()
        done = "Demo data loaded."
        if not report.changed_anything:
            done = "Demo data already up to date: nothing changed."
        self.stdout.write(self.style.SUCCESS(done))
        for run in report.runs:
            self.stdout.write(f"  {run.source:<14} {run.message}")
        call_command("load_directory_demo", stdout=self.stdout, stderr=self.stderr)
        # After the directory examples (its organisation) and the demo sign-ins (who may see it).
        call_command("load_outcomes_demo", stdout=self.stdout, stderr=self.stderr)
        self._load_registers()
        self._load_notices()

    def _load_registers(self) -> None:
        from culturehub.registers.imports import demo_registers_load

        for run in demo_registers_load():
            self.stdout.write(f"  {run.source:<20} {run.message}")

    def _load_notices(self) -> None:
        for run in demo_notices_load():
            self.stdout.write(f"  {run.source:<20} {Path(run.location).name}: {run.message}")
            for line in import_run_problems(run=run, limit=5):
                self.stdout.write(f"  {run.source}: {line}")

    def _create_demo_users(self) -> None:
        # The demo users come from the accounts app; until its command exists, skip it quietly.
        try:
            call_command(DEMO_USERS_COMMAND, stdout=self.stdout, stderr=self.stderr)
        except CommandError as error:
            if "Unknown command" not in str(error):
                raise
            self.stdout.write(f"No {DEMO_USERS_COMMAND} command yet: no demo users created.")

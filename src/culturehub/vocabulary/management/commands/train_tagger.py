"""`culturehub train-tagger`: rebuild the tagger's learned heads from the labelled files in the repo."""

from django.core.management.base import BaseCommand

from culturehub.vocabulary.tagger import training
from culturehub.vocabulary.tagger.model import MODEL_PATH


class Command(BaseCommand):
    help = "Rebuild the tagger's model file from its labelled data (deterministic; takes a minute or two)."

    def handle(self, *args, **options):
        examples = training.labelled_examples()
        self.stdout.write(
            f"Training on {len(examples):,} labelled texts; choosing a reader for each art form..."
        )
        report = training.TrainingReport()
        document = training.train(examples, report)
        for art_form, choice in sorted(report.choices.items()):
            self.stdout.write(f"  {art_form}: {choice}")
        training.write_model(document)
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {MODEL_PATH} ({MODEL_PATH.stat().st_size // 1024} KiB).")
        )

from django.apps import AppConfig


class VocabularyConfig(AppConfig):
    name = "culturehub.vocabulary"
    label = "vocabulary"
    verbose_name = "Vocabulary"

    def ready(self):
        from culturehub.vocabulary import audit  # noqa: F401  (registers the audit trail)

from django.apps import AppConfig


class VocabularyConfig(AppConfig):
    name = "culturehub.vocabulary"
    label = "vocabulary"
    verbose_name = "Vocabulary"

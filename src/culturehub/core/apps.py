from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "culturehub.core"
    label = "core"
    verbose_name = "Core"

from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "culturehub.outcomes"
    label = "outcomes"
    verbose_name = "Outcomes"

    def ready(self):
        from culturehub.outcomes import audit  # noqa: F401  registers models with the audit trail

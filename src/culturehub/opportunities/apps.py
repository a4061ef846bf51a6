from django.apps import AppConfig


class OpportunitiesConfig(AppConfig):
    name = "culturehub.opportunities"
    label = "opportunities"
    verbose_name = "Opportunities"

    def ready(self):
        from culturehub.opportunities import audit  # noqa: F401  registers models with the audit trail

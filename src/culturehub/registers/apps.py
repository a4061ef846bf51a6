from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "culturehub.registers"
    label = "registers"
    verbose_name = "Public registers"

    def ready(self):
        from culturehub.registers import audit  # noqa: F401  registers models with the audit trail

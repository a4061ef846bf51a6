from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "culturehub.accounts"
    label = "accounts"
    verbose_name = "People and roles"

    def ready(self):
        from auditlog.registry import auditlog

        from culturehub.accounts.models import User

        # Role and access changes must be traceable. Password hashes never go in the log, and
        # last_login would add an entry at every sign-in.
        auditlog.register(User, exclude_fields=["password", "last_login"])

from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "culturehub.directory"
    label = "directory"
    verbose_name = "Directory"

    def ready(self):
        from django.db.models.signals import post_migrate

        from culturehub.directory import audit  # noqa: F401  registers models with the audit trail
        from culturehub.directory.search import search_index_ensure

        # Altering the offer table on SQLite rebuilds it and drops the full-text triggers.
        post_migrate.connect(search_index_ensure, sender=self, dispatch_uid="directory_search_index")

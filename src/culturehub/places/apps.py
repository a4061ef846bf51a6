from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "culturehub.places"
    label = "places"
    verbose_name = "Places"

    def ready(self):
        from culturehub.places import audit  # noqa: F401  registers models with the audit trail

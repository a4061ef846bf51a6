from django.urls import path

from culturehub.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("cookies/", views.cookies, name="cookies"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("data/", views.data_sources, name="data_sources"),
    path("api-docs/", views.api_docs, name="api_docs"),
    path("imports/", views.import_runs, name="import_runs"),
    path("imports/<int:run_id>/", views.import_run_detail, name="import_run_detail"),
    path("healthz", views.health, name="health"),
]

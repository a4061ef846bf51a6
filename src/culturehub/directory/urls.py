from django.urls import include, path

app_name = "directory"

urlpatterns = [
    path("search/", include("culturehub.directory.search_urls")),
    path("", include("culturehub.directory.pages_urls")),
]

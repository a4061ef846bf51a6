from django.urls import include, path

app_name = "directory"

urlpatterns = [
    path("search/", include("culturehub.directory.search_urls")),
    # Before the pages: "organisations/<pk>/claim/" would otherwise match the status-change pattern.
    path("", include("culturehub.directory.claim_urls")),
    path("", include("culturehub.directory.pages_urls")),
]

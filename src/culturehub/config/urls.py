from django.contrib import admin
from django.urls import include, path

from culturehub.config.api import api

admin.site.site_header = "Culture Hub administration"
admin.site.site_title = "Culture Hub administration"

urlpatterns = [
    path("", include("culturehub.core.urls")),
    path("places/", include("culturehub.places.urls")),
    path("vocabulary/", include("culturehub.vocabulary.urls")),
    path("accounts/", include("culturehub.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]

handler404 = "culturehub.core.views.page_not_found"
handler500 = "culturehub.core.views.server_error"

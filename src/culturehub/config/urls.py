from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from culturehub.config.api import api

admin.site.site_header = "Culture Hub administration"
admin.site.site_title = "Culture Hub administration"
# Sign in to the admin site through allauth, so rate limits and two-factor authentication apply;
# people who are signed in without staff access get "Forbidden", not a second sign-in form.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", include("culturehub.core.urls")),
    path("places/", include("culturehub.places.urls")),
    path("vocabulary/", include("culturehub.vocabulary.urls")),
    path("directory/", include("culturehub.directory.urls")),
    path("registers/", include("culturehub.registers.urls")),
    path("opportunities/saved/", include("culturehub.opportunities.saved_urls")),
    path("opportunities/", include("culturehub.opportunities.urls")),
    path("outcomes/", include("culturehub.outcomes.urls")),
    path("accounts/", include("culturehub.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]

handler404 = "culturehub.core.views.page_not_found"
handler500 = "culturehub.core.views.server_error"
# allauth's rate limits answer through this (Django itself has no 429 handler).
handler429 = "culturehub.accounts.views.too_many_requests"

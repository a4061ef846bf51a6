from django.urls import path

from culturehub.places import views

app_name = "places"

urlpatterns = [
    path("", views.search, name="search"),
    path("<str:code>/", views.detail, name="detail"),
]

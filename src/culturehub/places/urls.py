from django.urls import path

from culturehub.places import views
from culturehub.registers.landscape_views import place_culture

app_name = "places"

urlpatterns = [
    path("", views.search, name="search"),
    path("priorities/<int:pk>/edit/", views.priority_edit, name="priority_edit"),
    path("priorities/<int:pk>/delete/", views.priority_delete, name="priority_delete"),
    path("<str:code>/priorities/add/", views.priority_add, name="priority_add"),
    path("<str:code>/culture/", place_culture, name="culture"),
    path("<str:code>/", views.detail, name="detail"),
]

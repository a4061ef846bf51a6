from django.urls import path

from culturehub.places import views

app_name = "places"

urlpatterns = [
    path("", views.search, name="search"),
    path("priorities/<int:pk>/edit/", views.priority_edit, name="priority_edit"),
    path("priorities/<int:pk>/delete/", views.priority_delete, name="priority_delete"),
    path("<str:code>/priorities/add/", views.priority_add, name="priority_add"),
    path("<str:code>/", views.detail, name="detail"),
]

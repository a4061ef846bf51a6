from django.urls import path

from culturehub.vocabulary import views

app_name = "vocabulary"

urlpatterns = [
    path("", views.index, name="index"),
    path("tags/<slug:kind>/<uuid:pk>/", views.tag_correct, name="tag_correct"),
]

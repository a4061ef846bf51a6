from django.urls import path

from culturehub.vocabulary import views

app_name = "vocabulary"

urlpatterns = [
    path("", views.index, name="index"),
]

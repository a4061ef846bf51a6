from django.urls import path

from culturehub.registers import views

app_name = "registers"

urlpatterns = [
    path("matches/", views.match_list, name="match_list"),
    path("matches/<int:pk>/reverse/", views.match_reverse, name="match_reverse"),
]

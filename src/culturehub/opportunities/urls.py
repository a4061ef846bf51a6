from django.urls import path

from culturehub.opportunities import views

app_name = "opportunities"

urlpatterns = [
    path("", views.opportunity_list, name="list"),
    path("about-relevance/", views.relevance_help, name="relevance_help"),
    path("<int:pk>/", views.opportunity_detail, name="detail"),
    path("<int:pk>/flag/", views.relevance_flag, name="flag"),
]

from django.urls import path

from culturehub.opportunities import saved_views

app_name = "saved_searches"

urlpatterns = [
    path("", saved_views.saved_search_list, name="list"),
    path("new/", saved_views.saved_search_create, name="create"),
    path("<int:pk>/edit/", saved_views.saved_search_edit, name="edit"),
    path("<int:pk>/delete/", saved_views.saved_search_delete, name="delete"),
    path("<int:pk>/feed-address/", saved_views.saved_search_token_replace, name="token_replace"),
    path("feeds/<str:token>/atom/", saved_views.saved_search_atom, name="feed_atom"),
    path("feeds/<str:token>/calendar.ics", saved_views.saved_search_calendar, name="feed_calendar"),
]

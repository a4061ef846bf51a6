"""Included by directory/urls.py at /directory/search/, inside the `directory` namespace."""

from django.urls import path

from culturehub.directory import search_views

urlpatterns = [
    path("", search_views.search, name="search"),
    path("results.csv", search_views.search_csv, name="search_csv"),
]

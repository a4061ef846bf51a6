from django.urls import path

from culturehub.directory import views

urlpatterns = [
    path("", views.index, name="index"),
    path("yours/", views.yours, name="yours"),
    path("organisations/add/", views.organisation_add, name="organisation_add"),
    path("organisations/<uuid:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<uuid:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<uuid:pk>/<str:action>/", views.organisation_status, name="organisation_status"),
    path("organisations/<uuid:pk>/offers/add/", views.offer_add, name="offer_add"),
    path("organisations/<uuid:pk>/venues/add/", views.venue_add, name="venue_add"),
    path("venues/<uuid:pk>/edit/", views.venue_edit, name="venue_edit"),
    path("offers/<uuid:pk>/", views.offer_detail, name="offer_detail"),
    path("offers/<uuid:pk>/edit/", views.offer_edit, name="offer_edit"),
    path("offers/<uuid:pk>/<str:action>/", views.offer_status, name="offer_status"),
    path("consortia/", views.consortium_list, name="consortium_list"),
    path("consortia/add/", views.consortium_add, name="consortium_add"),
    path("consortia/invitations/<str:token>/", views.consortium_accept, name="consortium_accept"),
    path("consortia/memberships/<int:pk>/<str:action>/", views.membership_change, name="membership_change"),
    path("consortia/<uuid:pk>/", views.consortium_detail, name="consortium_detail"),
    path("consortia/<uuid:pk>/edit/", views.consortium_edit, name="consortium_edit"),
    path("consortia/<uuid:pk>/invite/", views.consortium_invite, name="consortium_invite"),
    path("consortia/<uuid:pk>/join/", views.consortium_join, name="consortium_join"),
    path("consortia/<uuid:pk>/<str:action>/", views.consortium_status, name="consortium_status"),
]

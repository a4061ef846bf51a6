from django.urls import path

from culturehub.directory import claim_views

urlpatterns = [
    path("organisations/<uuid:pk>/claim/", claim_views.organisation_claim, name="organisation_claim"),
    path("claims/", claim_views.claim_list, name="claim_list"),
    path("claims/review/", claim_views.claim_review_list, name="claim_review_list"),
    path("claims/confirm/<str:token>/", claim_views.claim_verify, name="claim_verify"),
    path("claims/<int:pk>/check-your-email/", claim_views.claim_sent, name="claim_sent"),
    path("claims/<int:pk>/withdraw/", claim_views.claim_withdraw, name="claim_withdraw"),
    path("claims/<int:pk>/decide/", claim_views.claim_decide, name="claim_decide"),
]

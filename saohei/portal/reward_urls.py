"""The reward claim page; saohei/portal/urls.py includes it (names resolve as portal:reward-claim)."""

from django.urls import path

from saohei.portal.views.rewards import reward_claim_view

urlpatterns = [
    path("", reward_claim_view, name="reward-claim"),
]

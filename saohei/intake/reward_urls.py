"""URLs of rewards (under /reports/rewards/) and of two-person identity requests
(under /reports/identity-requests/); saohei/intake/urls.py includes both lists."""

from django.urls import path

from saohei.intake.views import identity_requests as idr
from saohei.intake.views import rewards

reward_patterns = [
    path("", rewards.reward_ledger_view, name="reward-ledger"),
    path("export.xlsx", rewards.reward_export, name="reward-export"),
    path("propose/<int:report_id>/", rewards.reward_propose_view, name="reward-propose"),
    path("<int:reward_id>/", rewards.reward_detail, name="reward-detail"),
    path("<int:reward_id>/approve/", rewards.reward_approve_view, name="reward-approve"),
    path("<int:reward_id>/pay/", rewards.reward_pay_view, name="reward-pay"),
    path("<int:reward_id>/check-claim/", rewards.reward_check_claim_view, name="reward-check-claim"),
    path("<int:reward_id>/void/", rewards.reward_void_view, name="reward-void"),
]

identity_request_patterns = [
    path("", idr.identity_request_ledger_view, name="identity-request-ledger"),
    path("new/<int:report_id>/", idr.identity_request_create_view, name="identity-request-create"),
    path("<int:request_id>/", idr.identity_request_detail, name="identity-request-detail"),
    path("<int:request_id>/decide/", idr.identity_request_decide_view, name="identity-request-decide"),
    path("<int:request_id>/read/", idr.identity_request_read_view, name="identity-request-read"),
]

# Included alone (include("saohei.intake.reward_urls")) it serves the rewards.
urlpatterns = reward_patterns

"""Claiming a reward with the receipt: the reporter gets a claim code and what to do with it.

The receipt is posted, never put in a URL. A wrong receipt gets the follow-up page's answer and
counts against the client's receipt-guessing limit. Nothing about the reporter is asked.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from saohei.intake.receipts import LENGTH
from saohei.intake.rewards import ClaimRefused, ReceiptUnknown, reward_claim
from saohei.portal.forms import FollowForm
from saohei.portal.views.common import portal_page, portal_render, receipt_limits, receipt_typed

#: The follow-up page's answer to a wrong receipt (saohei/portal/views/follow.py), word for word.
WRONG_RECEIPT = "No report matches this receipt. Check each character and try again."


def _ask(request: HttpRequest, form: FollowForm, status: int = 200) -> HttpResponse:
    return portal_render(request, "portal/reward_claim.html", {"form": form}, status=status)


@csrf_exempt
@portal_page
@csrf_protect
@require_http_methods(["GET", "POST"])
def reward_claim_view(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _ask(request, FollowForm())
    form = FollowForm(request.POST)
    code, status = receipt_typed(request, form)
    if not code:
        return _ask(request, form, status=status)
    failed = receipt_limits()[1]
    try:
        if len(code) != LENGTH:
            raise ReceiptUnknown
        reward, claim_code = reward_claim(receipt=code)
    except ReceiptUnknown:
        failed(request)
        form.add_error("receipt", _(WRONG_RECEIPT))
        return _ask(request, form, status=400)
    except ClaimRefused as exc:
        return portal_render(request, "portal/reward_claimed.html", {"refusal": " ".join(exc.messages)},
                             status=409)
    return portal_render(request, "portal/reward_claimed.html", {
        "claim_code": claim_code,
        "amount": reward.amount,
        "office": reward.office,
    })

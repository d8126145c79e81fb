"""Abuse defences of the public portal: rate limits, the offline challenge, the client key.

The portal views use:

    decision = submission_allowed(request)          # on every submitted report form (POST)
    if not decision.allowed: ...                    # show decision.message, status 429, Retry-After
    if decision.needs_challenge and not challenge_passed(request):
        ...                                         # re-show the form with challenge_error_message()
    context.update(challenge_context(request))      # every render of the form; the form includes
                                                    # {% include "portal/challenge.html" %}

    if not receipt_attempt_allowed(request): ...    # show too_many_attempts_message(), do not look up
    if receipt is wrong: receipt_attempt_failed(request)
"""

from .challenge import (
    ANSWER_FIELD,
    TOKEN_FIELD,
    Challenge,
    challenge_context,
    challenge_error_message,
    challenge_issue,
    challenge_passed,
    challenge_verify,
)
from .client import client_ip, client_key
from .limits import (
    Decision,
    challenge_required,
    receipt_attempt_allowed,
    receipt_attempt_failed,
    submission_allowed,
    too_many_attempts_message,
)

__all__ = [
    "ANSWER_FIELD",
    "TOKEN_FIELD",
    "Challenge",
    "Decision",
    "challenge_context",
    "challenge_error_message",
    "challenge_issue",
    "challenge_passed",
    "challenge_required",
    "challenge_verify",
    "client_ip",
    "client_key",
    "receipt_attempt_allowed",
    "receipt_attempt_failed",
    "submission_allowed",
    "too_many_attempts_message",
]

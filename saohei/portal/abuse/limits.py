"""Rate limits for the public portal: submissions and wrong receipts, per client and overall.

Counters are fixed-window counts in Django's cache (see SAOHEI_CACHE_URL); cache keys hold only the
client key from `client.py`, never an address. Nothing a client sends is dropped here: a refused
request is told to come back later, and what was stored before stays stored.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext, ngettext

from .client import client_key

SUBMIT_WINDOW = 600  # seconds: the per-client submission window
GLOBAL_WINDOW = 60  # seconds: the global submission window (limits and challenge load are per minute)
RECEIPT_WINDOW = 900  # seconds: the wrong-receipt window
RECEIPT_FREE_FAILURES = 3  # wrong receipts a client may make before each attempt is slowed
RECEIPT_MAX_DELAY = 3.0  # seconds: the longest a slowed attempt waits
CHALLENGE_SHOW_FRACTION = 0.75  # forms carry the challenge a little before it is required
PREFIX = "saohei:portal"


@dataclass(frozen=True)
class Decision:
    """Whether a submission may go ahead; `message` is for the reporter, in their language."""

    allowed: bool
    needs_challenge: bool
    retry_after: int | None
    message: str


# --- counters ------------------------------------------------------------------------------------


def _key(scope: str, ident: str, window: int, index: int) -> str:
    return f"{PREFIX}:{scope}:{ident}:{window}:{index}"


def _hit(scope: str, ident: str, window: int) -> tuple[int, int]:
    """Count one event in the current window; return the count and the seconds until it ends."""
    now = time.time()
    index = int(now // window)
    key = _key(scope, ident, window, index)
    cache.add(key, 0, timeout=window * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=window * 2)
        count = 1
    return int(count), max(1, math.ceil((index + 1) * window - now))


def _peek(scope: str, ident: str, window: int) -> tuple[int, int]:
    now = time.time()
    index = int(now // window)
    count = cache.get(_key(scope, ident, window, index), 0)
    return int(count or 0), max(1, math.ceil((index + 1) * window - now))


def _rate(scope: str, ident: str, window: int) -> float:
    """Events in the last `window` seconds, estimated from the current and the previous window."""
    now = time.time()
    index = int(now // window)
    elapsed = (now - index * window) / window
    keys = [_key(scope, ident, window, index), _key(scope, ident, window, index - 1)]
    counts = cache.get_many(keys)
    current = int(counts.get(keys[0], 0) or 0)
    previous = int(counts.get(keys[1], 0) or 0)
    return current + previous * (1.0 - elapsed)


# --- submissions ---------------------------------------------------------------------------------


def submission_load() -> float:
    """Submissions per minute over all clients (a sliding estimate)."""
    return _rate("submit-all", "all", GLOBAL_WINDOW)


def challenge_required() -> bool:
    """True while the portal is under enough load that a submission must pass the offline challenge."""
    threshold = int(settings.SAOHEI_PORTAL_CHALLENGE_AT)
    if threshold < 0:
        return False
    return threshold == 0 or submission_load() >= threshold


def challenge_advised() -> bool:
    """True when forms should already carry a challenge (slightly before it becomes required)."""
    threshold = int(settings.SAOHEI_PORTAL_CHALLENGE_AT)
    if threshold < 0:
        return False
    return threshold == 0 or submission_load() >= threshold * CHALLENGE_SHOW_FRACTION


def _minutes(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60))


def submission_allowed(request: HttpRequest) -> Decision:
    """Count one submission attempt by this client and say whether it may go ahead.

    Call once per submitted form (POST), before validating or storing anything. A refusal names when
    to come back; `needs_challenge` asks the view to check the offline challenge (`challenge_passed`).
    """
    per_client = int(settings.SAOHEI_PORTAL_SUBMIT_PER_CLIENT)
    if per_client > 0:
        count, retry = _hit("submit", client_key(request), SUBMIT_WINDOW)
        if count > per_client:
            minutes = _minutes(retry)
            message = ngettext(
                "You have sent several reports in a short time. Please wait %(minutes)d minute and send "
                "again; what you sent before has been received.",
                "You have sent several reports in a short time. Please wait %(minutes)d minutes and send "
                "again; what you sent before has been received.",
                minutes,
            ) % {"minutes": minutes}
            return Decision(allowed=False, needs_challenge=False, retry_after=retry, message=message)
    overall = int(settings.SAOHEI_PORTAL_SUBMIT_PER_MINUTE)
    count, retry = _hit("submit-all", "all", GLOBAL_WINDOW)
    if overall > 0 and count > overall:
        message = gettext(
            "The reporting site is very busy right now. Please try again in a minute; nothing you have "
            "already sent is lost."
        )
        return Decision(allowed=False, needs_challenge=False, retry_after=retry, message=message)
    if challenge_required():
        return Decision(allowed=True, needs_challenge=True, retry_after=None, message=challenge_prompt_message())
    return Decision(allowed=True, needs_challenge=False, retry_after=None, message="")


def challenge_prompt_message() -> str:
    return gettext(
        "Many reports are arriving right now. Please complete the short check below, then send again."
    )


# --- receipts ------------------------------------------------------------------------------------


def receipt_delay(failures: int) -> float:
    """Seconds to wait before an attempt after `failures` wrong receipts: 0, 0, 0, 1, 2, 3, 3, …"""
    if failures < RECEIPT_FREE_FAILURES:
        return 0.0
    return float(min(2 ** (failures - RECEIPT_FREE_FAILURES), RECEIPT_MAX_DELAY))


def receipt_attempt_allowed(request: HttpRequest) -> bool:
    """Whether this client may try a receipt now; waits first if it has made several wrong tries.

    Call before looking the receipt up and do not look it up when this returns False (show
    `too_many_attempts_message()`). The wait happens before the lookup, so a right and a wrong receipt
    take the same time; only wrong ones (`receipt_attempt_failed`) count.
    """
    per_client = int(settings.SAOHEI_PORTAL_RECEIPT_FAILURES_PER_CLIENT)
    overall = int(settings.SAOHEI_PORTAL_RECEIPT_FAILURES_GLOBAL)
    failures, _retry = _peek("receipt-fail", client_key(request), RECEIPT_WINDOW)
    if per_client > 0 and failures >= per_client:
        return False
    if overall > 0 and _peek("receipt-fail-all", "all", RECEIPT_WINDOW)[0] >= overall:
        return False
    delay = receipt_delay(failures)
    if delay:
        time.sleep(delay)
    return True


def receipt_attempt_failed(request: HttpRequest) -> None:
    """Record a wrong receipt from this client (and in the overall count)."""
    _hit("receipt-fail", client_key(request), RECEIPT_WINDOW)
    _hit("receipt-fail-all", "all", RECEIPT_WINDOW)


def too_many_attempts_message() -> str:
    return gettext("Too many attempts. Please wait a quarter of an hour and try again.")

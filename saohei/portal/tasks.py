"""Background work of the portal: registering accepted submissions."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django_tasks import default_task_backend, task

from saohei.portal.inbox import inbox_drain

WAKE_KEY = "portal:inbox-wake"


@task()
def portal_inbox_drain() -> int:
    """Register what waits in the inbox; while there was work, look again a little later."""
    done = inbox_drain()
    every = settings.SAOHEI_PORTAL_DRAIN_EVERY
    # A submission accepted while this run was under way (and whose wake-up the throttle swallowed) is
    # picked up by the follow-up run, which starts after the throttle window has closed.
    if done and every > 0 and default_task_backend.supports_defer:
        portal_inbox_drain.using(run_after=timezone.now() + dt.timedelta(seconds=every + 1)).enqueue()
    return done


def inbox_wake() -> None:
    """Ask the worker to register new submissions, at most once per SAOHEI_PORTAL_DRAIN_EVERY seconds per
    process (0 = after every submission)."""
    every = settings.SAOHEI_PORTAL_DRAIN_EVERY
    if every > 0 and not cache.add(WAKE_KEY, 1, timeout=every):
        return
    portal_inbox_drain.enqueue()

"""Thin tasks around the analytics services."""

from __future__ import annotations

from django_tasks import task

from saohei.analytics.services import repeat_fingerprints_repair, repeat_index_rebuild, report_match


@task()
def report_match_task(report_id: int) -> int:
    """Match a newly received report against every stored report; returns the number of candidates."""
    return len(report_match(report_id=report_id))


@task()
def repeat_index_rebuild_task(if_due: bool = False) -> int:
    """Fit the shingle weights on the stored reports and sign every report fingerprint again with them (the index of
    each process reloads on its next match); `if_due`: only when a refit is due. Returns the reports fingerprinted."""
    return repeat_index_rebuild(if_due=if_due).fingerprints


@task()
def repeat_fingerprints_repair_task() -> int:
    """Sign again the fingerprints a stopped rebuild left signed with other weights; returns how many."""
    return repeat_fingerprints_repair()


NETWORK_WARM_DELAY_SECONDS = 60  # a warm-up waits this long after a change and covers every change meanwhile
NETWORK_WARM_PRIORITY = -10  # after extraction, matching and scoring: those change what users see, this only speed
_NETWORK_WARM_PENDING = "analytics:network-warm-pending:"


@task()
def network_warm_task(office_id: int | None = None) -> int:
    """Queue the warm-up of the networks of the members of one office (of every office when None) before they open
    the network page, one task per set of memberships so that other work runs in between; returns how many were
    queued (ADR 0008)."""
    from django.core.cache import cache

    from saohei.analytics.network_selectors import network_warm_members
    from saohei.orgs.models import Office

    if office_id is not None:
        cache.delete(f"{_NETWORK_WARM_PENDING}office:{office_id}")  # a change from now on schedules the next one
    offices = Office.objects.all() if office_id is None else Office.objects.filter(pk=office_id)
    member_task = network_warm_member_task
    if member_task.get_backend().supports_priority:
        member_task = member_task.using(priority=NETWORK_WARM_PRIORITY)
    queued = 0
    for office in offices.order_by("pk"):
        for user in network_warm_members(office=office):
            if cache.add(f"{_NETWORK_WARM_PENDING}user:{user.pk}", True, 900):  # one pending warm-up per set
                member_task.enqueue(user.pk)
                queued += 1
    return queued


@task()
def network_warm_member_task(user_id: int) -> bool:
    """Build and keep the network of one user, and so of everyone with the same memberships, unless the cache holds
    a current one; True when it built one."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache

    from saohei.analytics.network_selectors import network_warm

    cache.delete(f"{_NETWORK_WARM_PENDING}user:{user_id}")
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    return user is not None and network_warm(user)


def cache_is_shared() -> bool:
    """Whether the default cache is seen by every process (database, Redis…): a network warmed in the worker's
    process memory would help nobody."""
    from django.conf import settings

    backend = str(settings.CACHES["default"]["BACKEND"])
    return not backend.endswith(("LocMemCache", "DummyCache"))


def network_warm_soon(*, record_kind: str, record_id: int) -> int:
    """After a record's entities changed: warm the networks of the offices at and above it in
    `NETWORK_WARM_DELAY_SECONDS`, once per office however many records change meanwhile. Nothing when tasks run
    inline (no worker: the warm-up would run inside the request that changed the record) or when the cache is
    each process's own memory (`SAOHEI_CACHE_URL` unset). Returns how many
    warm-ups were scheduled."""
    from datetime import timedelta

    from django.core.cache import cache
    from django.utils import timezone

    from saohei.analytics.network_selectors import record_offices

    backend = network_warm_task.get_backend()
    if not backend.supports_defer or not cache_is_shared():
        return 0
    later = network_warm_task.using(run_after=timezone.now() + timedelta(seconds=NETWORK_WARM_DELAY_SECONDS))
    if backend.supports_priority:
        later = later.using(priority=NETWORK_WARM_PRIORITY)
    scheduled = 0
    for office_id in record_offices(record_kind=record_kind, record_id=record_id):
        # Pending until the task starts; the timeout only frees an office whose warm-up was lost with its worker.
        if cache.add(f"{_NETWORK_WARM_PENDING}office:{office_id}", True, NETWORK_WARM_DELAY_SECONDS + 900):
            later.enqueue(office_id)
            scheduled += 1
    return scheduled

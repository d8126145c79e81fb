"""The repeat index of this process, loaded from ``ReportFingerprint`` rows and kept in step with them.

Only task workers load it (``report_match`` runs as a task; web requests read ``RepeatMatch`` rows). Every worker
process holds its own ``RepeatIndex``: the first match loads every stored fingerprint at once
(``RepeatIndex.build``, one sort per structure), later matches add the fingerprints stored since (by id), so reports
registered by other processes are found too. The index is signed with the active ``ShingleWeightsFile`` (none:
unweighted); when another weights file becomes active (``saohei analytics rebuild-index``), each process loads its
index again on its next match. Fingerprints signed with other weights are left out (and counted), never refused
with an error: the rebuild signs them again.
"""

from __future__ import annotations

import fcntl
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection

from saohei.analytics.models import ReportFingerprint, ShingleWeightsFile
from saohei.analytics.repeats import (
    THRESHOLD,
    UNWEIGHTED_THRESHOLD,
    RepeatIndex,
    ShingleWeights,
    Signature,
    signature_weights_id,
)

BATCH = 5000
logger = logging.getLogger(__name__)
REQUEST_AGAIN_SECONDS = 600
_REBUILD_LOCK_KEY = 0x5A0E1  # PostgreSQL advisory lock held while a rebuild runs


@dataclass(frozen=True)
class LoadedIndex:
    """This process's index with the weights its signatures are made with (None: unweighted)."""

    index: RepeatIndex
    weights: ShingleWeights | None
    weights_file_id: int | None
    reports_stored_when_fitted: int | None  # of the weights file; None without weights
    left_out: int  # fingerprints signed with other weights, not in the index


@dataclass
class _Loaded:
    database: str
    weights_file_id: int | None
    weights: ShingleWeights | None = None
    reports_stored_when_fitted: int | None = None
    index: RepeatIndex | None = None
    seen_id: int = 0
    left_out: int = 0
    requested: dict[str, float] = field(default_factory=dict)  # "refit", "repair" → when last asked (monotonic)
    lock: threading.Lock = field(default_factory=threading.Lock)


_loaded: _Loaded | None = None
_guard = threading.Lock()


def weights_file_active_id() -> int | None:
    """The id of the weights file that signs fingerprints now (None: none fitted yet, reports are signed unweighted)."""
    return ShingleWeightsFile.objects.filter(active=True).values_list("pk", flat=True).first()


def match_threshold(weights: ShingleWeights | None) -> float:
    """THRESHOLD (measured by the benchmark, see repeats.py) with fitted weights; without, shared stock wording
    counts in full and the unweighted threshold applies."""
    return THRESHOLD if weights is not None else UNWEIGHTED_THRESHOLD


def _fingerprints_after(seen_id: int) -> Iterator[tuple[int, int, bytes]]:
    while True:
        rows = list(
            ReportFingerprint.objects.filter(pk__gt=seen_id, report__voided_at__isnull=True)
            .order_by("pk").values_list("pk", "report_id", "signature")[:BATCH]
        )
        if not rows:
            return
        for pk, report_id, signature in rows:
            yield pk, report_id, bytes(signature)
        seen_id = rows[-1][0]


def _signatures(loaded: _Loaded, weights_id: int) -> Iterator[tuple[int, Signature]]:
    """(report id, signature) of the fingerprints stored after `loaded.seen_id` that are signed with `weights_id`;
    advances `seen_id` and counts the others in `left_out`."""
    for pk, report_id, data in _fingerprints_after(loaded.seen_id):
        loaded.seen_id = max(loaded.seen_id, pk)
        if signature_weights_id(data) != weights_id:
            loaded.left_out += 1
            continue
        yield report_id, Signature.from_bytes(data)


def _load(loaded: _Loaded) -> RepeatIndex:
    if loaded.index is not None:
        for report_id, signature in _signatures(loaded, loaded.index.weights_id):
            if report_id not in loaded.index:  # else added by this process's match, or signed again alike
                loaded.index.add(key=report_id, signature=signature)
        return loaded.index
    if loaded.weights_file_id is not None:
        row = ShingleWeightsFile.objects.filter(pk=loaded.weights_file_id).values_list(
            "data", "reports_stored").first()
        if row is not None:
            loaded.weights = ShingleWeights.from_bytes(bytes(row[0]))
            loaded.reports_stored_when_fitted = row[1]
    weights_id = loaded.weights.weights_id if loaded.weights is not None else 0
    loaded.index = RepeatIndex.build(_signatures(loaded, weights_id), weights_id=weights_id,
                                     threshold=match_threshold(loaded.weights),
                                     size_hint=ReportFingerprint.objects.count())
    if loaded.left_out:  # a rebuild under way, or one that stopped before it activated its weights
        logger.warning("repeat index: %d fingerprints signed with other weights are left out until they are signed "
                       "again (the worker repairs them on its next match)", loaded.left_out)
    return loaded.index


def repeat_index() -> LoadedIndex:
    """This process's index, with every fingerprint stored so far that is signed with the active weights."""
    global _loaded
    database = str(connection.settings_dict.get("NAME"))
    active_id = weights_file_active_id()
    with _guard:
        if _loaded is None or _loaded.database != database or _loaded.weights_file_id != active_id:
            _loaded = _Loaded(database=database, weights_file_id=active_id)
        loaded = _loaded
    with loaded.lock:
        index = _load(loaded)
        return LoadedIndex(index=index, weights=loaded.weights, weights_file_id=loaded.weights_file_id,
                           reports_stored_when_fitted=loaded.reports_stored_when_fitted, left_out=loaded.left_out)


def repeat_request_once(weights_file_id: int | None, *, kind: str) -> bool:
    """True when this process may ask for `kind` of work ("refit", "repair") while the index of `weights_file_id` is
    loaded: the first time, and again REQUEST_AGAIN_SECONDS later (the task may have found a rebuild running and
    done nothing), so that a process enqueues one task per weights and while, not one per match."""
    now = time.monotonic()
    with _guard:
        if _loaded is None or _loaded.weights_file_id != weights_file_id:
            return False
        asked = _loaded.requested.get(kind)
        if asked is not None and now - asked < REQUEST_AGAIN_SECONDS:
            return False
        _loaded.requested[kind] = now
        return True


def repeat_index_forget() -> None:
    """Drop this process's index (tests; after a rebuild); the next match loads it again."""
    global _loaded
    with _guard:
        _loaded = None


_process_rebuild_lock = threading.Lock()


@contextmanager
def repeat_rebuild_lock() -> Iterator[bool]:
    """Yields whether this process may rebuild now: one rebuild at a time, in this process and across processes
    (a PostgreSQL advisory lock; with SQLite a lock file next to the database). Released when the process ends, so
    a crashed rebuild blocks nothing."""
    if not _process_rebuild_lock.acquire(blocking=False):
        yield False
        return
    try:
        with _database_rebuild_lock() as acquired:
            yield acquired
    finally:
        _process_rebuild_lock.release()


@contextmanager
def _database_rebuild_lock() -> Iterator[bool]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [_REBUILD_LOCK_KEY])
            acquired = bool(cursor.fetchone()[0])
        try:
            yield acquired
        finally:
            if acquired:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [_REBUILD_LOCK_KEY])
        return
    name = str(connection.settings_dict.get("NAME") or "")
    if connection.vendor != "sqlite" or not name or name.startswith("file:") or name == ":memory:":
        yield True  # an in-memory database lives in this process only
        return
    with open(Path(f"{name}.repeat-rebuild.lock"), "a") as lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)

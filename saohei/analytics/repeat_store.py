"""The repeat index of this process, loaded from ``ReportFingerprint`` rows and kept in step with them.

Every worker process holds its own ``RepeatIndex``; before each match it loads the fingerprints
stored since its last look (by id), so reports registered by other processes are found too. A
rebuild (``saohei analytics rebuild-index``) recomputes every fingerprint from the report texts.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import connection

from saohei.analytics.models import ReportFingerprint
from saohei.analytics.repeats import RepeatIndex, Signature

BATCH = 5000


@dataclass
class _Loaded:
    index: RepeatIndex
    seen_id: int = 0
    database: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)


_loaded: _Loaded | None = None
_guard = threading.Lock()


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


def repeat_index() -> RepeatIndex:
    """This process's index, with every fingerprint stored so far."""
    global _loaded
    database = str(connection.settings_dict.get("NAME"))
    with _guard:
        if _loaded is None or _loaded.database != database:
            _loaded = _Loaded(index=RepeatIndex(), database=database)
        loaded = _loaded
    with loaded.lock:
        for pk, report_id, signature in _fingerprints_after(loaded.seen_id):
            loaded.index.add(key=report_id, signature=Signature.from_bytes(signature))
            loaded.seen_id = max(loaded.seen_id, pk)
    return loaded.index


def repeat_index_forget() -> None:
    """Drop this process's index (tests; after a rebuild); the next match loads it again."""
    global _loaded
    with _guard:
        _loaded = None

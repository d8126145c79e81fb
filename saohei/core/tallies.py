"""Marking pre-counted monthly figures as stale when a dated record changes (see ``TallyStale``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from saohei.core.models import TallyStale

Moment = dt.date | dt.datetime | None


def month_of(moment: dt.date | dt.datetime) -> dt.date:
    """The first day of the month of a date, or of a moment in the current time zone."""
    day = timezone.localdate(moment) if isinstance(moment, dt.datetime) else moment
    return day.replace(day=1)


def tally_stale_mark(*, path: str, moments: Iterable[Moment]) -> None:
    """Mark the months of ``moments`` (absent ones ignored) of the records at ``path`` for recounting."""
    months = sorted({month_of(m) for m in moments if m is not None})
    if months:
        TallyStale.objects.bulk_create([TallyStale(path=path, month=m) for m in months])

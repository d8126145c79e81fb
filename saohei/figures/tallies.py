"""Monthly outcome tallies: the outcome figures of whole months read from ``OutcomeTally`` rows
instead of counting every case, suspect, asset and clue (ADR 0007).

A tally holds, for one jurisdiction path and one month, what ``outcome_counts`` counts from the rows
of that path dated in that month. Counts of disjoint periods add up, so the figures of a period are
the tallies of its whole months plus the rows of the partial months at its ends.

Keeping them right: every service that changes a dated case, suspect, asset or clue marks the
record's path and months stale (``saohei.core.tallies.tally_stale_mark``) in its own transaction;
``outcome_tallies_refresh`` recounts the marked cells from the rows and is run before every read, so
a figure never lags a committed write. ``outcome_tallies_rebuild`` recounts everything (after bulk
loads that bypass the services), ``outcome_tallies_verify`` compares the tallies with the rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Min, QuerySet, Sum
from django.db.models.functions import Length
from django.utils import timezone

from saohei.cases.models import Asset, Case, Suspect
from saohei.clues.models import Clue
from saohei.core.models import TallyStale
from saohei.core.tallies import month_of
from saohei.figures.models import OutcomeTally
from saohei.figures.outcome_counts import (
    Grouped,
    asset_sums,
    case_counts,
    concluded_clue_counts,
    suspect_counts,
)
from saohei.orgs.models import Jurisdiction

#: The columns of a tally, in the model's order.
TALLIED: tuple[str, ...] = tuple(
    f.name for f in OutcomeTally._meta.concrete_fields if f.name not in {"id", "path", "month", "subtree"}
)
#: Full jurisdiction paths: grouping by this many characters groups by the path itself.
WHOLE_PATH = 40
#: Above this many paths in one month, recounting the whole month is cheaper than naming them.
MANY_PATHS = 400
#: A PostgreSQL advisory lock key: one recount at a time, so none writes counts older than another's.
LOCK_KEY = 7_106_2024


@dataclass(frozen=True)
class PeriodParts:
    """A period cut into whole months (``first_month``..``last_month``, or none) and the partial
    stretches before and after them, each counted from the rows."""

    first_month: dt.date | None
    last_month: dt.date | None
    partial: tuple[tuple[dt.date, dt.date], ...]


def _next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def month_end(month: dt.date) -> dt.date:
    return _next_month(month) - dt.timedelta(days=1)


def period_parts(start: dt.date, end: dt.date) -> PeriodParts:
    first = start if start.day == 1 else _next_month(start)
    after = end + dt.timedelta(days=1)
    stop = after if after.day == 1 else after.replace(day=1)  # the first day after the whole months
    if first >= stop:  # no whole month: one stretch, or two when it crosses into the next month
        if end < first:
            return PeriodParts(None, None, ((start, end),))
        return PeriodParts(None, None, ((start, first - dt.timedelta(days=1)), (first, end)))
    partial = []
    if start < first:
        partial.append((start, first - dt.timedelta(days=1)))
    if stop <= end:
        partial.append((stop, end))
    last = (stop - dt.timedelta(days=1)).replace(day=1)
    return PeriodParts(first, last, tuple(partial))


def count_from_rows(
    *, scopes: dict[str, QuerySet[Any]], start: dt.date, end: dt.date, prefix_len: int, out: Grouped
) -> None:
    """Add the tallied counts of ``[start, end]`` from the rows of ``scopes`` (case, suspect, asset and
    clue querysets, already restricted to what should be counted) to ``out``."""
    case_counts(scopes["case"], start, end, prefix_len, out)
    suspect_counts(scopes["suspect"], start, end, prefix_len, out)
    asset_sums(scopes["asset"], start, end, prefix_len, out)
    concluded_clue_counts(scopes["clue"], start, end, prefix_len, out)


def count_from_tallies(*, path: str, first_month: dt.date, last_month: dt.date, prefix_len: int, out: Grouped) -> None:
    """Add the tallies of the whole months ``first_month``..``last_month`` of ``path``'s subtree,
    grouped as ``outcome_counts`` groups rows: one subtree tally per child and month, and the tallies
    of the records at ``path`` itself (a national figure reads 35 rows a month, not 3,000)."""
    months = OutcomeTally.objects.filter(month__gte=first_month, month__lte=last_month)
    child_paths = list(Jurisdiction.objects.filter(path__startswith=path).annotate(length=Length("path"))
                       .filter(length=prefix_len).values_list("path", flat=True))
    children = months.filter(subtree=True, path__in=child_paths)
    sums = {name: Sum(name) for name in TALLIED}
    rows: list[Any] = [
        *children.values("path").annotate(**sums),
        *months.filter(subtree=False, path=path).values("path").annotate(**sums),
    ]
    for row in rows:
        cell = out[row["path"]]
        for name in TALLIED:
            cell[name] = (cell.get(name) or 0) + (row[name] or 0)


def subtract(out: Grouped, less: Grouped) -> None:
    """Take the counts of ``less`` from ``out`` (a month's tally less the days outside a stretch)."""
    for node, cell in less.items():
        for name, value in cell.items():
            if value:
                out[node][name] = (out[node].get(name) or 0) - value


def _all_rows(paths: Collection[str] | None) -> dict[str, QuerySet[Any]]:
    scopes: dict[str, QuerySet[Any]] = {
        "case": Case.objects.filter(voided_at__isnull=True),
        "suspect": Suspect.objects.filter(voided_at__isnull=True),
        "asset": Asset.objects.filter(voided_at__isnull=True),
        "clue": Clue.objects.all(),
    }
    if paths is None:
        return scopes
    return {kind: qs.filter(jurisdiction_path__in=list(paths)) for kind, qs in scopes.items()}


def _month_cells(month: dt.date, paths: Collection[str] | None) -> dict[str, dict[str, Any]]:
    out: Grouped = defaultdict(dict)
    count_from_rows(scopes=_all_rows(paths), start=month, end=month_end(month), prefix_len=WHOLE_PATH, out=out)
    return {path: cell for path, cell in out.items() if any(cell.values())}


def _tally(path: str, month: dt.date, cell: dict[str, Any], *, subtree: bool = False) -> OutcomeTally:
    return OutcomeTally(path=path, month=month, subtree=subtree, **{name: cell.get(name) or 0 for name in TALLIED})


def _ancestors(path: str) -> list[str]:
    """The path itself and every path above it: '000000/', '000000/420000/', …"""
    parts = path.rstrip("/").split("/")
    return ["/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


def _subtree_cells(own: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    cells: dict[str, dict[str, Any]] = defaultdict(lambda: dict.fromkeys(TALLIED, 0))
    for path, cell in own.items():
        for ancestor in _ancestors(path):
            target = cells[ancestor]
            for name in TALLIED:
                target[name] += cell.get(name) or 0
    return cells


def _store_month(month: dt.date, paths: Collection[str] | None) -> int:
    """Recount the cells of ``paths`` (all when None) in ``month`` from the rows, then the subtree
    tallies of the month from the cells."""
    cells = _month_cells(month, paths)
    old = OutcomeTally.objects.filter(month=month, subtree=False)
    (old if paths is None else old.filter(path__in=list(paths))).delete()
    OutcomeTally.objects.bulk_create([_tally(path, month, cell) for path, cell in sorted(cells.items())],
                                     batch_size=500)
    if paths is None:
        own = {row["path"]: row for row in
               OutcomeTally.objects.filter(month=month, subtree=False).values("path", *TALLIED)}
        OutcomeTally.objects.filter(month=month, subtree=True).delete()
        OutcomeTally.objects.bulk_create(
            [_tally(path, month, cell, subtree=True) for path, cell in sorted(_subtree_cells(own).items())],
            batch_size=500)
        return len(own)
    # A few paths changed: only the subtrees above them are summed again, each from its cells.
    for ancestor in sorted({a for path in paths for a in _ancestors(path)}):
        below = OutcomeTally.objects.filter(month=month, subtree=False)
        if ancestor.count("/") > 1:
            below = below.filter(path__startswith=ancestor)
        total = below.aggregate(**{name: Sum(name) for name in TALLIED})
        OutcomeTally.objects.filter(month=month, subtree=True, path=ancestor).delete()
        if any(total.values()):
            _tally(ancestor, month, total, subtree=True).save()
    return len(paths)


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
    # SQLite runs one writing transaction at a time (transaction_mode IMMEDIATE).


def outcome_tallies_refresh() -> int:
    """Recount the cells marked stale; returns how many (path, month) cells were recounted."""
    if not TallyStale.objects.exists():
        return 0
    with transaction.atomic():
        _lock()
        marks = list(TallyStale.objects.values_list("pk", "path", "month"))
        by_month: dict[dt.date, set[str]] = defaultdict(set)
        for _pk, path, month in marks:
            by_month[month].add(path)
        for month, paths in sorted(by_month.items()):
            _store_month(month, None if len(paths) > MANY_PATHS else paths)
        ids = [pk for pk, _path, _month in marks]
        for i in range(0, len(ids), 500):
            TallyStale.objects.filter(pk__in=ids[i:i + 500]).delete()
    return sum(len(paths) for paths in by_month.values())


def _months_with_rows() -> list[dt.date]:
    firsts: list[dt.date | dt.datetime] = []
    dated: Iterable[tuple[QuerySet[Any], tuple[str, ...]]] = (
        (Case.objects.all(), ("filed_on", "destroyed_on", "solved_on", "indicted_on", "first_judgment_on",
                              "effective_judgment_on")),
        (Suspect.objects.all(), ("detained_on", "arrested_on", "indicted_on", "judged_on")),
        (Asset.objects.all(), ("secured_on",)),
        (Clue.objects.all(), ("signed_at",)),
    )
    for qs, names in dated:
        found = qs.aggregate(**{name: Min(name) for name in names})
        firsts += [v for v in found.values() if v is not None]
    if not firsts:
        return []
    month, last = min(month_of(v) for v in firsts), month_of(timezone.localdate())
    months = []
    while month <= last:
        months.append(month)
        month = _next_month(month)
    return months


def outcome_tallies_rebuild() -> int:
    """Recount every month from the rows (after a bulk load); returns the number of tally rows."""
    with transaction.atomic():
        _lock()
        TallyStale.objects.all().delete()
        OutcomeTally.objects.all().delete()
        return sum(_store_month(month, None) for month in _months_with_rows())


def outcome_tallies_verify() -> list[str]:
    """The cells whose tally differs from a count of the rows, and the subtree tallies that differ
    from the sum of their cells (empty when all agree)."""
    outcome_tallies_refresh()
    wrong = []
    stored: dict[tuple[str, dt.date, bool], dict[str, Any]] = {
        (t.path, t.month, t.subtree): {name: getattr(t, name) for name in TALLIED} for t in OutcomeTally.objects.all()
    }
    for month in _months_with_rows():
        counted = _month_cells(month, None)
        expected = {**{(p, False): c for p, c in counted.items()},
                    **{(p, True): c for p, c in _subtree_cells(counted).items()}}
        keys = {(p, sub) for p, m, sub in stored if m == month} | set(expected)
        for path, sub in sorted(keys):
            want, have = expected.get((path, sub)), stored.get((path, month, sub))
            if _normal(want) != _normal(have):
                kind = "subtree" if sub else "cell"
                wrong.append(f"{kind} {path} {month:%Y-%m}: tally {have} rows {want}")
    return wrong


def _normal(cell: dict[str, Any] | None) -> dict[str, Any]:
    if cell is None:
        return {name: 0 for name in TALLIED}
    return {name: Decimal(str(cell.get(name) or 0)) if name == "assets_amount" else int(cell.get(name) or 0)
            for name in TALLIED}

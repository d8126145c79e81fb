"""Demo history: moves are made now, through the services, then dated back to when the story says.

The demo shows ten months of work, but the services stamp every record with the current time
(and refuse deadlines in the past). So the demo runner notes, before each service call, the
real time and the date the story gives that step; at the end `Clock.backdate()` rewrites the
timestamps of the clue records the demo made (ClueEvent, Clue, Assignment, Verification,
Endorsement, Report.feedback_at, Reporter.created_at) from the real time to the story's time,
and shifts the deadlines computed from "today" by the same amount.

This is done ONLY by the demo, only on records it has just created, with queryset updates,
because a demo without history shows no weekly trends and no overdue clues. The audit chain is
not touched: its events keep the real time at which the demo wrote them, and it still verifies.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Model
from django.utils import timezone

from saohei.clues.choices import AssignmentState
from saohei.clues.models import Assignment, Clue, ClueEvent, Verification
from saohei.intake.models import Report, Reporter
from saohei.signoff.models import Endorsement


class Clock:
    def __init__(self) -> None:
        self.started = timezone.now()
        self._real: list[dt.datetime] = []
        self._story: list[dt.datetime] = []

    def at(self, when: dt.datetime) -> None:
        """What happens from now until the next call happened at `when` in the story."""
        self._real.append(timezone.now())
        self._story.append(when)

    def map(self, value: dt.datetime | None) -> dt.datetime | None:
        if value is None or value < self.started:
            return value
        i = bisect_right(self._real, value) - 1
        if i < 0:
            return value
        return self._story[i] + (value - self._real[i])

    def _shift(self, day: dt.date | None, real: dt.datetime | None) -> dt.date | None:
        """Move a date computed from the real `today` to the story's day."""
        mapped = self.map(real)
        if day is None or real is None or mapped is None:
            return day
        return day + (timezone.localdate(mapped) - timezone.localdate(real))

    def _remap(self, model: type[Model], rows: Iterable[Any], fields: Sequence[str]) -> list[Any]:
        changed = []
        for row in rows:
            for name in fields:
                setattr(row, name, self.map(getattr(row, name)))
            changed.append(row)
        model.objects.bulk_update(changed, list(fields), batch_size=400)  # type: ignore[attr-defined]
        return changed

    def backdate(self, clue_ids: list[int]) -> None:
        events = ClueEvent.objects.filter(clue_id__in=clue_ids).only("id", "occurred_at")
        self._remap(ClueEvent, events, ["occurred_at"])
        reports = Report.objects.filter(clue_id__in=clue_ids).only("id", "feedback_at", "reporter_id")
        reporter_ids = [r.reporter_id for r in reports if r.reporter_id]
        self._remap(Report, reports, ["feedback_at"])
        self._remap(Reporter, Reporter.objects.filter(pk__in=reporter_ids).only("id", "created_at"), ["created_at"])

        assignments = list(Assignment.objects.filter(clue_id__in=clue_ids))
        for a in assignments:
            a.deadline = self._shift(a.deadline, a.assigned_at)
            a.assigned_at = self.map(a.assigned_at)
            a.ended_at = self.map(a.ended_at)
        Assignment.objects.bulk_update(assignments, ["deadline", "assigned_at", "ended_at"], batch_size=400)
        verifications = Verification.objects.filter(assignment__clue_id__in=clue_ids)
        self._remap(Verification, verifications, ["started_at", "concluded_at", "signed_at"])
        v_ids = [str(pk) for pk in verifications.values_list("pk", flat=True)]
        endorsements = Endorsement.objects.filter(subject_type="verification", subject_id__in=v_ids)
        self._remap(Endorsement, endorsements, ["signed_at", "voided_at"])

        tracks: dict[int, list[tuple[str, dt.date, dt.datetime | None]]] = {}
        concluded = dict(Verification.objects.filter(assignment__clue_id__in=clue_ids)
                         .values_list("assignment_id", "concluded_at"))
        for a in assignments:
            if a.active:
                tracks.setdefault(a.clue_id, []).append((a.state, a.deadline, concluded.get(a.pk)))
        supervised = self._supervision_days(clue_ids)
        clues = list(Clue.objects.filter(pk__in=clue_ids))
        stamps = ["created_at", "updated_at", "triaged_at", "assigned_at", "concluded_at", "signed_at", "feedback_at",
                  "replied_at", "closed_at"]
        for clue in clues:
            for name in stamps:
                setattr(clue, name, self.map(getattr(clue, name)))
            mine = tracks.get(clue.pk, [])
            open_deadlines = [d for s, d, _c in mine if s in (AssignmentState.ASSIGNED, AssignmentState.VERIFYING)]
            clue.deadline = min(open_deadlines) if open_deadlines else None
            if clue.signed_at is not None and mine:
                clue.concluded_on_time = all(c is not None and timezone.localdate(c) <= d for _s, d, c in mine)
            if clue.pk in supervised and clue.supervision_next_due is not None:
                clue.supervision_next_due = clue.supervision_next_due + supervised[clue.pk]
        Clue.objects.bulk_update(clues, [*stamps, "deadline", "concluded_on_time", "supervision_next_due"],
                                 batch_size=300)

    def _supervision_days(self, clue_ids: list[int]) -> dict[int, dt.timedelta]:
        """How far back the last supervision step (which set the next report's due date) moved."""
        shifts: dict[int, dt.timedelta] = {}
        events = (ClueEvent.objects.filter(clue_id__in=clue_ids, action__in=["supervise", "report_progress"])
                  .order_by("occurred_at", "id").values_list("clue_id", "occurred_at", "id"))
        # Called after the events were moved: the shift is the story's day − the day the demo ran.
        for clue_id, occurred, _id in events:
            shifts[clue_id] = timezone.localdate(occurred) - timezone.localdate(self.started)
        return shifts

"""A small hand-counted world of clues in 江汉 and 江岸 for the figure tests.

Period: the last 30 days up to today. Hand counts (江汉 420103 / 武汉 420100):

| clue | place | what happens                                 | in the counts of                          |
|------|-------|----------------------------------------------|-------------------------------------------|
| J1   | 江汉  | hotline, valid, assigned, signed, told, closed | triaged valid assigned concluded on_time |
| J2   | 江汉  | hotline, valid, assigned, signed late         | triaged valid assigned concluded          |
| J3   | 江汉  | hotline, valid, assigned to 民族街, overdue   | triaged valid assigned overdue            |
| J4   | 江汉  | hotline, valid, reported again by J6          | triaged valid repeat                      |
| J5   | 江汉  | hotline, invalid                              | triaged                                   |
| J6   | 江汉  | hotline, duplicate of J4                      | triaged (not "created": a duplicate)      |
| J7   | 江汉  | screening (not public), untouched             | created                                   |
| J8   | 江汉  | assigned 60 days ago (before the period)      | due only                                  |
| J9   | 江汉  | hotline, its report voided                    | created; its report is not counted        |
| A1   | 江岸  | hotline, valid, assigned to 大智街, overdue   | triaged valid assigned overdue            |
| A2   | 江岸  | portal, untouched                             | created                                   |
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from saohei.clues import services
from saohei.clues.models import Assignment, Clue, OffenceCategory
from saohei.clues.tests.helpers import receive, to_closed, to_signed, triage_valid
from saohei.intake.models import Report
from saohei.intake.services import report_void


@dataclass
class Scenario:
    start: dt.date
    end: dt.date
    clues: dict[str, Clue]


JIANGHAN = {
    "reports_received": 7,
    "triaged": 6,
    "valid": 4,
    "assigned": 3,
    "concluded": 2,
    "due": 4,
    "on_time": 1,
    "overdue": 1,
    "created": 7,
    "repeat": 1,
    "public_reachable": 6,
    "feedback_given": 1,
}
JIANGAN = {
    "reports_received": 2,
    "triaged": 1,
    "valid": 1,
    "assigned": 1,
    "concluded": 0,
    "due": 1,
    "on_time": 0,
    "overdue": 1,
    "created": 2,
    "repeat": 0,
    "public_reachable": 2,
    "feedback_given": 0,
}
WUHAN = {k: JIANGHAN[k] + JIANGAN[k] for k in JIANGHAN}


def _overdue(clue: Clue, days: int = 3) -> None:
    past = timezone.localdate() - dt.timedelta(days=days)
    Clue.objects.filter(pk=clue.pk).update(deadline=past)
    Assignment.objects.filter(clue=clue, active=True).update(deadline=past)


def build(org: Any) -> Scenario:
    today = timezone.localdate()
    clerk = org.users["clerk.jianghan"]
    c: dict[str, Clue] = {}
    c["J1"] = to_closed(org, receive(org, subject="J1"))
    c["J2"] = to_signed(org, receive(org, subject="J2"))
    Clue.objects.filter(pk=c["J2"].pk).update(concluded_on_time=False)
    c["J3"] = receive(org, subject="J3")
    triage_valid(org, c["J3"])
    services.clue_assign(clue=c["J3"], unit=org.units["jh_minzu"], actor=clerk)
    _overdue(c["J3"])
    c["J4"] = triage_valid(org, receive(org, subject="J4"))
    c["J5"] = services.clue_triage(
        clue=receive(org, subject="J5"), actor=clerk, decision="invalid", note="无实质内容"
    )
    c["J6"] = services.clue_triage(
        clue=receive(org, subject="J6"), actor=clerk, decision="duplicate", duplicate_of=c["J4"]
    )
    c["J7"] = receive(org, subject="J7", channel="screening")
    c["J8"] = receive(org, subject="J8")
    triage_valid(org, c["J8"])
    services.clue_assign(clue=c["J8"], unit=org.units["jh_wansong"], actor=clerk)
    long_ago = timezone.now() - dt.timedelta(days=60)
    Clue.objects.filter(pk=c["J8"].pk).update(created_at=long_ago, triaged_at=long_ago, assigned_at=long_ago)
    Report.objects.filter(clue=c["J8"]).update(received_at=long_ago)
    c["J9"] = receive(org, subject="J9")
    report_void(report=Report.objects.get(clue=c["J9"]), actor=clerk, reason="录入错误，重复录入")

    clerk_ja = org.users["clerk.jiangan"]
    c["A1"] = receive(org, subject="A1", place="jiangan")
    services.clue_triage(
        clue=c["A1"],
        actor=clerk_ja,
        decision="valid",
        priority=2,
        category=OffenceCategory.objects.get(code="forced_transactions"),
    )
    services.clue_assign(clue=c["A1"], unit=org.units["ja_dazhi"], actor=clerk_ja)
    _overdue(c["A1"])
    c["A2"] = receive(org, subject="A2", place="jiangan", channel="portal")
    return Scenario(
        start=today - dt.timedelta(days=30),
        end=today,
        clues={k: Clue.objects.get(pk=v.pk) for k, v in c.items()},
    )

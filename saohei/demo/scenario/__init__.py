"""The demo data: the organisation of saohei.demo.org and ten months of clue work in 江汉区 and 江岸区.

Everything is written through the real services (report_receive, clue_triage, clue_assign, …);
only the dates are moved back afterwards (see clock.py for why and how).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from saohei.cases.models import Case
from saohei.clues.choices import OPEN_STATES, AssignmentMode
from saohei.clues.models import Assignment, Clue
from saohei.demo.cases import demo_cases
from saohei.demo.org import KEY_PERSONAS, PERSONAS, build_org
from saohei.demo.scenario.clock import Clock
from saohei.demo.scenario.plan import plan
from saohei.demo.scenario.runner import Runner
from saohei.intake.models import Report
from saohei.orgs.models import Membership, Office
from saohei.orgs.services import jurisdiction_load_divisions

DEFAULT_SEED = 20180601
DEFAULT_REPORTS = 300


@dataclass
class DemoSummary:
    states: dict[str, int] = field(default_factory=dict)
    channels: dict[str, int] = field(default_factory=dict)
    places: dict[str, int] = field(default_factory=dict)
    reports: int = 0
    clues: int = 0
    overdue: int = 0
    repeated: int = 0
    dual: int = 0
    escalated: int = 0
    reopened: int = 0
    supervised: int = 0
    cases: int = 0
    stages: dict[str, int] = field(default_factory=dict)


def demo_users_exist() -> bool:
    names = {p[0] for p in PERSONAS}
    return get_user_model().objects.filter(username__in=names).count() == len(names)


def database_is_empty() -> bool:
    """No offices, users, reports or clues (a loaded jurisdiction tree does not count)."""
    return not (Office.objects.exists() or get_user_model().objects.exists() or Report.objects.exists()
                or Clue.objects.exists())


def demo_build(*, reports: int = DEFAULT_REPORTS, seed: int = DEFAULT_SEED,
               progress: Callable[[str], None] | None = None) -> DemoSummary:
    """Load the divisions, build the organisation and play the planned stories, in one transaction."""
    say = progress or (lambda _msg: None)
    rng = random.Random(seed)
    with transaction.atomic():
        counts = jurisdiction_load_divisions(year=2024)
        say(f"divisions: {counts['provinces']} / {counts['prefectures']} / {counts['counties']}")
        org = build_org()
        say(f"organisation: {len(org.offices)} offices, {len(org.units)} units, {len(org.users)} users")
        now = timezone.now()
        clock = Clock()
        runner = Runner(org, rng, clock, now)
        stories = plan(reports=reports, rng=rng, now=now)
        for i, story in enumerate(stories, 1):
            runner.run(story)
            if i % 50 == 0:
                say(f"stories: {i}/{len(stories)}")
        clock.backdate(runner.clue_ids)
        made = demo_cases(org, rng, target=20 if reports >= 300 else max(4, reports // 15))
        say(f"cases: {made}")
    return demo_summary()


def demo_summary(*, today: dt.date | None = None) -> DemoSummary:
    today = today or timezone.localdate()
    clues = Clue.objects.all()
    summary = DemoSummary()
    summary.states = dict(Counter(clues.values_list("state", flat=True)))
    summary.channels = dict(Counter(Report.objects.values_list("channel", flat=True)))
    summary.places = dict(Counter(clues.values_list("jurisdiction__name", flat=True)))
    summary.reports = Report.objects.count()
    summary.clues = clues.count()
    summary.overdue = clues.filter(state__in=list(OPEN_STATES), deadline__lt=today).count()
    summary.repeated = clues.filter(report_count__gte=2).count()
    summary.dual = (clues.annotate(tracks=Count("assignments", filter=Q(assignments__active=True)))
                    .filter(tracks__gte=2).count())
    summary.escalated = Assignment.objects.filter(mode__in=[AssignmentMode.UPGRADE, AssignmentMode.OFFSITE]).count()
    summary.reopened = Assignment.objects.filter(mode=AssignmentMode.REOPEN).count()
    summary.supervised = clues.exclude(supervision_level="").count()
    summary.cases = Case.objects.count()
    summary.stages = dict(Counter(Case.objects.values_list("stage", flat=True)))
    return summary


def personas() -> list[tuple[str, str, str, bool]]:
    """(username, display name, "title, place; …", key persona?) in the order of saohei.demo.org."""
    names = list(dict.fromkeys(p[0] for p in PERSONAS))
    displays = {p[0]: p[1] for p in PERSONAS}
    held: dict[str, list[str]] = {}
    for m in (Membership.objects.filter(user__username__in=names, active=True)
              .select_related("user", "office", "unit").order_by("pk")):
        place = m.office.name if m.office else m.unit.name if m.unit else ""
        held.setdefault(m.user.get_username(), []).append(f"{m.title or m.get_role_display()}（{place}）")
    return [(u, displays[u], "；".join(held.get(u, [])), u in KEY_PERSONAS) for u in names]


__all__ = ["DEFAULT_REPORTS", "DEFAULT_SEED", "DemoSummary", "database_is_empty", "demo_build",
           "demo_summary", "demo_users_exist", "personas"]

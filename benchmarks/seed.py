"""Bulk benchmark data: N clues with their reports, assignments and verifications.

Written straight with bulk_create (not through the services) because the point is the read paths
over a large table; the services' own cost is measured separately by the move benchmark.
"""

from __future__ import annotations

import datetime as dt
import random
import time

from django.db import connection, transaction
from django.utils import timezone

from saohei.clues.choices import AssignmentState, State
from saohei.clues.models import Assignment, Clue, OffenceCategory, Verification
from saohei.demo.org import build_org
from saohei.intake.models import Report
from saohei.orgs.models import Jurisdiction, Office
from saohei.orgs.services import jurisdiction_load_divisions

STATES = [
    (State.RECEIVED, 8), (State.VALID, 6), (State.DUPLICATE, 5), (State.REFERRED, 4), (State.INVALID, 7),
    (State.ASSIGNED, 14), (State.VERIFYING, 16), (State.CONCLUDED, 8), (State.SIGNED, 6), (State.CLOSED, 24),
    (State.REVIEW, 2),
]
TRACK_STATE = {
    State.ASSIGNED: AssignmentState.ASSIGNED, State.VERIFYING: AssignmentState.VERIFYING,
    State.CONCLUDED: AssignmentState.CONCLUDED, State.SIGNED: AssignmentState.SIGNED,
    State.CLOSED: AssignmentState.SIGNED, State.REVIEW: AssignmentState.SIGNED,
}
CHANNELS = ["hotline", "portal", "letter", "visit", "email", "wechat", "incident_110", "higher_referral", "screening"]
SUBJECTS = ["强迫交易", "寻衅滋事", "敲诈勒索", "非法拘禁", "套路贷", "欺行霸市", "滋扰工地", "开设赌场", "暴力拆迁"]


def seed(*, clues: int, seed_value: int = 7, batch: int = 5000) -> dict[str, float]:
    rng = random.Random(seed_value)
    started = time.perf_counter()
    if not Jurisdiction.objects.filter(code="420103").exists():
        jurisdiction_load_divisions(year=2024)
    if not Office.objects.filter(jurisdiction__code="420103").exists():
        build_org()
    jianghan_office = Office.objects.get(jurisdiction__code="420103")
    jiangan_office = Office.objects.get(jurisdiction__code="420102")
    from saohei.orgs.models import Unit

    jh_units = list(Unit.objects.filter(office=jianghan_office, kind__in=["police_station", "discipline_commission"]))
    ja_units = list(Unit.objects.filter(office=jiangan_office, kind="police_station"))
    user = jianghan_office.memberships.first().user  # type: ignore[union-attr]
    categories = list(OffenceCategory.objects.all())
    # Most clues elsewhere in the country, so subtree filters have work to do.
    counties = list(Jurisdiction.objects.filter(level="county").exclude(code__in=["420103", "420102"])[:400])
    jianghan = Jurisdiction.objects.get(code="420103")
    jiangan = Jurisdiction.objects.get(code="420102")
    weights = [w for _s, w in STATES]
    states = [s for s, _w in STATES]
    now = timezone.now()
    today = timezone.localdate()
    made = Clue.objects.count()
    while made < clues:
        n = min(batch, clues - made)
        with transaction.atomic():
            rows = []
            for _ in range(n):
                roll = rng.random()
                if roll < 0.30:
                    place, office = jianghan, jianghan_office
                elif roll < 0.45:
                    place, office = jiangan, jiangan_office
                else:
                    place, office = rng.choice(counties), jianghan_office
                state = rng.choices(states, weights)[0]
                created = now - dt.timedelta(days=rng.randint(0, 360), minutes=rng.randint(0, 1440))
                triaged = state not in (State.RECEIVED,)
                assigned = state in TRACK_STATE
                is_open = state in (State.ASSIGNED, State.VERIFYING)
                deadline = (created + dt.timedelta(days=30)).date() if is_open else None
                signed = state in (State.SIGNED, State.CLOSED, State.REVIEW)
                rows.append(Clue(
                    title=f"{place.name}{rng.choice(SUBJECTS)}线索",
                    summary="基准测试数据：" + rng.choice(SUBJECTS) * 8,
                    source=rng.choice(CHANNELS), state=state, office=office, jurisdiction=place,
                    jurisdiction_path=place.path, category=rng.choice(categories) if triaged else None,
                    priority=rng.randint(1, 4), report_count=rng.choice([1, 1, 1, 1, 2, 3]),
                    triaged_at=created + dt.timedelta(days=1) if triaged else None,
                    assigned_at=created + dt.timedelta(days=2) if assigned else None, deadline=deadline,
                    signed_at=created + dt.timedelta(days=25) if signed else None,
                    concluded_on_time=rng.random() < 0.85 if signed else None,
                    supervision_level=rng.choice(["", "", "", "", "municipal", "provincial"]),
                ))
            created_clues = Clue.objects.bulk_create(rows, batch_size=1000)
            for c in created_clues:
                c.number = f"XS{c.jurisdiction_path[-7:-1]}{c.created_at:%Y}{c.pk:07d}"
            Clue.objects.bulk_update(created_clues, ["number"], batch_size=1000)
            Report.objects.bulk_create([
                Report(number=f"JB-B{c.pk:08d}", channel=c.source, received_at=now, office_id=c.office_id,
                       jurisdiction_id=c.jurisdiction_id, subject=c.title, content=c.summary, clue=c)
                for c in created_clues
            ], batch_size=1000)
            assignments = []
            for c in created_clues:
                if c.state in TRACK_STATE:
                    units = ja_units if c.jurisdiction_id == jiangan.pk else jh_units
                    assignments.append(Assignment(
                        clue=c, unit=rng.choice(units), track="police", state=TRACK_STATE[State(c.state)],
                        assigned_by=user, assigned_at=now, deadline=c.deadline or today + dt.timedelta(days=30),
                    ))
            Assignment.objects.bulk_create(assignments, batch_size=1000)
            Verification.objects.bulk_create([Verification(assignment=a) for a in assignments], batch_size=1000)
        made += n
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    return {"clues": float(Clue.objects.count()), "seconds": time.perf_counter() - started}

"""`saohei demo`: a lived-in office in every state, built through the services, never over existing data."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q
from django.utils import timezone

from saohei.audit.models import AuditEvent
from saohei.audit.services import audit_verify
from saohei.cases.models import Asset, Case, Suspect
from saohei.clues.choices import OPEN_STATES, AssignmentMode, State, Track
from saohei.clues.models import Assignment, Clue, ClueEvent
from saohei.demo.org import DEMO_PASSWORD, KEY_PERSONAS
from saohei.intake.choices import Channel
from saohei.intake.models import Report, Reporter
from saohei.orgs.choices import Level
from saohei.orgs.services import jurisdiction_ensure, jurisdiction_national_root, office_create
from saohei.signoff.models import Endorsement

pytestmark = pytest.mark.django_db

FIVE_CHIEFS_MINZU = ["verifier.jianghan", "deputy.minzu", "head.minzu", "chief.jianghan", "deputy.jhbureau",
                     "head.jhbureau"]
DISCIPLINE = ["discipline.jianghan", "deputy.jhdiscipline", "head.jhdiscipline"]


def _demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def _signers(assignment: Assignment) -> list[str]:
    return list(Endorsement.objects.filter(subject_type="verification", subject_id=str(assignment.verification.pk),
                                           voided_at__isnull=True)
                .order_by("step__order").values_list("signer__username", flat=True))


def _counts() -> tuple[int, int, int]:
    return Clue.objects.count(), Report.objects.count(), AuditEvent.objects.count()


def test_demo_builds_ten_months_of_work_in_every_state_and_never_runs_twice(client) -> None:
    out = _demo("--reports", "60", "--seed", "7")
    today = timezone.localdate()

    # Every state of the clue's life is on show, in 江汉 and in 江岸, from every channel.
    assert set(Clue.objects.values_list("state", flat=True)) == set(State.values)
    assert Report.objects.count() == 60
    places = dict(Clue.objects.values_list("jurisdiction__code").annotate(n=Count("id")))
    assert places["420103"] > places["420102"] > 0
    assert set(Report.objects.values_list("channel", flat=True)) == set(Channel.values)

    # History: overdue open clues, months of reports, nothing in the future, deadlines after assignment.
    overdue = Clue.objects.filter(state__in=list(OPEN_STATES), deadline__lt=today)
    assert overdue.exists()
    assert Report.objects.filter(received_at__date__lt=today - dt.timedelta(days=150)).exists()
    assert not ClueEvent.objects.filter(occurred_at__gt=timezone.now()).exists()
    for a in Assignment.objects.all():
        assert a.deadline > timezone.localdate(a.assigned_at)
    assert Clue.objects.filter(state=State.CLOSED, concluded_on_time=False).exists()

    # Repeat reports, dual assignment, escalation, reopening, supervision.
    assert Clue.objects.filter(report_count__gte=2).exists()
    assert Clue.objects.filter(state=State.REVIEW, review_pending=True).exists()
    dual = Clue.objects.annotate(
        police=Count("assignments", filter=Q(assignments__active=True, assignments__track=Track.POLICE)),
        discipline=Count("assignments", filter=Q(assignments__active=True, assignments__track=Track.DISCIPLINE)),
    ).filter(police=1, discipline=1, names_officials=True)
    assert dual.exists()
    modes = set(Assignment.objects.values_list("mode", flat=True))
    assert {AssignmentMode.UPGRADE, AssignmentMode.OFFSITE, AssignmentMode.REOPEN} <= modes
    assert Clue.objects.exclude(supervision_level="").exists()

    # Sign-off chains were walked in their order: 五长一警 for 民族街, the discipline chain for 保护伞.
    minzu = Assignment.objects.filter(active=True, unit__name__contains="民族街", clue__state=State.CLOSED).first()
    assert minzu is not None and _signers(minzu) == FIVE_CHIEFS_MINZU
    closed_dual = dual.filter(state=State.CLOSED).first()
    if closed_dual is not None:
        track = closed_dual.assignments.get(active=True, track=Track.DISCIPLINE)
        assert _signers(track) == DISCIPLINE

    # Cases formed from the substantiated clues, through the services, after the clues were signed.
    cases = list(Case.objects.prefetch_related("clue_links__clue"))
    assert len(cases) >= 5 and len({c.stage for c in cases}) >= 2
    assert {"420103", "420102"} == set(Case.objects.values_list("jurisdiction__code", flat=True))
    for case in cases:
        assert case.number == f"AJ{case.filed_on.year}{case.pk:07d}" and case.filed_on <= today
        for link in case.clue_links.all():
            assert link.clue.conclusion in ("substantiated", "partly_substantiated")
            assert timezone.localdate(link.clue.signed_at) <= case.filed_on
    assert Suspect.objects.filter(detained_on__isnull=False).exists() and Asset.objects.exists()
    assert AuditEvent.objects.filter(action="case.create").count() == len(cases)
    assert "Cases" in out or "案件" in out

    # Reporter identities are sealed; the audit chain holds.
    assert Reporter.objects.filter(anonymous=False).exists()
    assert not Reporter.objects.filter(contact_sealed__contains="1380027").exists()
    assert audit_verify().ok

    # The personas are printed and can sign in with the documented password.
    assert "http://127.0.0.1:8000/" in out and DEMO_PASSWORD in out
    for username in KEY_PERSONAS:
        assert username in out
        assert client.login(username=username, password=DEMO_PASSWORD), username

    # Running it again changes nothing: --if-empty lists the personas, without it the command refuses.
    before = _counts()
    again = _demo("--if-empty")
    assert "clerk.jianghan" in again
    with pytest.raises(CommandError, match="--if-empty"):
        _demo()
    assert _counts() == before


def test_demo_refuses_a_database_that_holds_other_data() -> None:
    hubei = jurisdiction_ensure(code="420000", name="湖北省", level=Level.PROVINCE, parent=jurisdiction_national_root())
    office_create(jurisdiction=hubei, name="湖北省扫黑办", actor=None)
    with pytest.raises(CommandError, match="--if-empty"):
        _demo("--reports", "30")
    out = _demo("--if-empty")
    assert "clerk.jianghan" not in out  # not the demo: no personas to offer
    assert not Clue.objects.exists() and not Report.objects.exists()

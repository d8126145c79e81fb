"""The rules of workflow.md, each one a test, against the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from saohei.clues import services
from saohei.clues.choices import AssignmentState, State
from saohei.clues.deadlines import OverdueLevel, default_deadline, overdue_level
from saohei.clues.filtersets import ClueFilterSet
from saohei.clues.models import Assignment, Clue, DeadlineDefault, OffenceCategory
from saohei.clues.services.common import TransitionRefused
from saohei.clues.tests.helpers import FIVE_CHIEFS, receive, to_closed, to_concluded, to_signed, triage_valid
from saohei.core.models import DeletionForbidden
from saohei.signoff.models import Endorsement

# 1. Who may: roles and jurisdictions


def test_a_verifier_may_not_triage_and_a_clerk_may_not_verify(org, clerk, verifier):
    clue = receive(org)
    with pytest.raises(PermissionDenied):
        services.clue_triage(clue=clue, actor=verifier, decision="invalid", note="无实质内容")
    triage_valid(org, clue)
    services.clue_assign(clue=clue, unit=org.units["jh_minzu"], actor=clerk)
    with pytest.raises(PermissionDenied):
        services.clue_start(clue=clue, actor=clerk)
    assert Clue.objects.get(pk=clue.pk).state == State.ASSIGNED


def test_a_verifier_of_another_county_can_neither_see_nor_move_a_jianghan_clue(org, other_verifier):
    clue = receive(org)
    triage_valid(org, clue)
    services.clue_assign(clue=clue, unit=org.units["jh_minzu"], actor=org.users["clerk.jianghan"])
    assert not Clue.objects.visible_to(other_verifier).filter(pk=clue.pk).exists()
    with pytest.raises(PermissionDenied):
        services.clue_start(clue=clue, actor=other_verifier)


def test_the_assigned_station_sees_its_clue_and_loses_it_when_moved_off_site(org, verifier, city_director):
    clue = receive(org)
    triage_valid(org, clue)
    services.clue_assign(clue=clue, unit=org.units["jh_minzu"], actor=org.users["clerk.jianghan"])
    assert Clue.objects.visible_to(verifier).filter(pk=clue.pk).exists()
    services.clue_escalate(clue=clue, actor=city_director, unit=org.units["ja_dazhi"], mode="offsite",
                           reason="被举报人与民族街派出所民警有亲属关系，异地核查")
    assert not Clue.objects.visible_to(verifier).filter(pk=clue.pk).exists()
    assert Clue.objects.visible_to(org.users["verifier.jiangan"]).filter(pk=clue.pk).exists()


def test_a_city_director_sees_the_whole_city_and_a_county_clerk_only_the_county(org, clerk, city_director):
    jianghan = receive(org)
    jiangan = receive(org, place="jiangan", subject="江岸区大智街某棋牌室聚众赌博")
    assert set(Clue.objects.visible_to(city_director).values_list("pk", flat=True)) >= {jianghan.pk, jiangan.pk}
    assert list(Clue.objects.visible_to(clerk).values_list("pk", flat=True)) == [jianghan.pk]


def test_only_a_higher_office_puts_a_clue_under_supervision(org, city_director):
    clue = receive(org)
    triage_valid(org, clue)
    with pytest.raises(PermissionDenied):
        services.clue_supervise(clue=clue, actor=org.users["director.jianghan"], level="county", interval_days=7)
    clue = services.clue_supervise(clue=clue, actor=city_director, level="municipal", interval_days=7)
    assert clue.supervision_level == "municipal"
    assert clue.supervision_next_due == timezone.localdate() + dt.timedelta(days=7)


def test_moves_from_the_wrong_state_are_refused_and_change_nothing(org, clerk, verifier):
    clue = receive(org)
    with pytest.raises(TransitionRefused):
        services.clue_assign(clue=clue, unit=org.units["jh_minzu"], actor=clerk)
    with pytest.raises(TransitionRefused):
        services.clue_close(clue=clue, actor=clerk)
    clue.refresh_from_db()
    assert clue.state == State.RECEIVED
    assert clue.assignments.count() == 0


# 2. Deadlines and overdue levels


def test_assignment_takes_the_office_default_deadline_per_category(org, clerk):
    category = OffenceCategory.objects.get(code="forced_transactions")
    DeadlineDefault.objects.create(office=org.offices["jianghan"], category=category, days=15)
    clue = receive(org)
    triage_valid(org, clue)
    assignment = services.clue_assign(clue=clue, unit=org.units["jh_minzu"], actor=clerk)
    assert assignment.deadline == timezone.localdate() + dt.timedelta(days=15)
    other = OffenceCategory.objects.get(code="gambling")
    assert default_deadline(office=org.offices["jianghan"], category=other, start=timezone.localdate()) == (
        timezone.localdate() + dt.timedelta(days=30)
    )


def test_a_deadline_in_the_past_is_refused(org, clerk):
    clue = receive(org)
    triage_valid(org, clue)
    with pytest.raises(ValidationError):
        services.clue_assign(clue=clue, unit=org.units["jh_minzu"], actor=clerk,
                             deadline=timezone.localdate() - dt.timedelta(days=1))
    assert Clue.objects.get(pk=clue.pk).state == State.VALID


@pytest.mark.parametrize(
    ("days_late", "level"),
    [(-10, OverdueLevel.ON_TIME), (-2, OverdueLevel.DUE_SOON), (0, OverdueLevel.DUE_SOON), (1, OverdueLevel.YELLOW),
     (7, OverdueLevel.YELLOW), (8, OverdueLevel.ORANGE), (30, OverdueLevel.ORANGE), (31, OverdueLevel.RED)],
)
def test_overdue_warning_level_rises_with_time(days_late, level):
    today = dt.date(2026, 6, 30)
    assert overdue_level(today - dt.timedelta(days=days_late), today) == level


def test_overdue_clues_are_listed_and_leave_the_list_when_concluded(org, clerk):
    clue = receive(org)
    triage_valid(org, clue)
    services.clue_assign(clue=clue, unit=org.units["jh_minzu"], actor=clerk)
    Clue.objects.filter(pk=clue.pk).update(deadline=timezone.localdate() - dt.timedelta(days=3))
    overdue = ClueFilterSet({"overdue": "true"}, queryset=Clue.objects.visible_to(clerk)).qs
    assert list(overdue.values_list("pk", flat=True)) == [clue.pk]
    to_concluded_clue = Clue.objects.get(pk=clue.pk)
    v = org.users["verifier.jianghan"]
    services.clue_start(clue=to_concluded_clue, actor=v)
    services.clue_record_musts(clue=clue, actor=v, reporter_met="unreachable", reporter_met_note="电话三次未接通",
                               content_rechecked=True, content_recheck_note="调取监控", feedback_planned=True)
    services.clue_conclude(clue=clue, actor=v, conclusion="unverifiable", finding="现有证据无法核实举报内容。")
    assert not ClueFilterSet({"overdue": "true"}, queryset=Clue.objects.visible_to(clerk)).qs.exists()


# 3. Conflict of interest


def test_a_clue_naming_jianghan_officials_may_not_be_verified_by_jianghan_units(org, clerk, city_director):
    clue = receive(org, subject="江汉区某派出所副所长为赌场充当保护伞")
    triage_valid(org, clue, names_officials=True, conflict_jurisdictions=[org.places["jianghan"]])
    with pytest.raises(ValidationError, match=r"Conflict of interest|利益冲突"):
        services.clue_assign(clue=clue, unit=org.units["jh_minzu"], actor=clerk)
    # The municipal office assigns it upward, to the city's criminal investigation detachment.
    assignment = services.clue_assign(clue=clue, unit=org.units["wh_brigade"], actor=city_director)
    assert assignment.unit == org.units["wh_brigade"]


def test_escalation_upward_and_off_site_check_the_target(org, clerk, city_director):
    clue = receive(org)
    triage_valid(org, clue)
    services.clue_assign(clue=clue, unit=org.units["jh_minzu"], actor=clerk)
    with pytest.raises(ValidationError):  # 江岸 is not above 江汉
        services.clue_escalate(clue=clue, actor=city_director, unit=org.units["ja_dazhi"], mode="upgrade",
                               reason="情况复杂")
    with pytest.raises(PermissionDenied):  # the county office cannot send it into another county
        services.clue_escalate(clue=clue, actor=org.users["director.jianghan"], unit=org.units["ja_dazhi"],
                               mode="offsite", reason="情况复杂")
    new = services.clue_escalate(clue=clue, actor=city_director, unit=org.units["wh_brigade"], mode="upgrade",
                                 reason="线索涉及多个街道，提级核查")
    assert new.mode == "upgrade"
    assert list(clue.assignments.filter(active=True)) == [new]
    assert clue.assignments.get(unit=org.units["jh_minzu"]).state == AssignmentState.ESCALATED


# 4. Repeat reports


def test_a_repeat_report_on_a_closed_clue_reopens_it_for_review(org, clerk):
    closed = to_closed(org, receive(org))
    again = receive(org, subject="再次举报：民族街KTV强迫交易问题仍然存在")
    services.clue_triage(clue=again, actor=clerk, decision="duplicate", duplicate_of=closed)
    closed.refresh_from_db()
    assert closed.state == State.REVIEW
    assert closed.report_count == 2
    assert closed.reports.count() == 2
    assignment = services.clue_reopen(clue=closed, actor=clerk, unit=org.units["jh_wansong"],
                                      reason="重复举报，原结论需复核")
    closed.refresh_from_db()
    assert closed.state == State.ASSIGNED and assignment.mode == "reopen"


def test_a_review_may_uphold_the_conclusion(org, clerk):
    closed = to_closed(org, receive(org))
    again = receive(org)
    services.clue_triage(clue=again, actor=clerk, decision="duplicate", duplicate_of=closed)
    services.clue_uphold(clue=closed, actor=clerk, note="复核认为原结论准确，重复举报无新情况")
    closed.refresh_from_db()
    assert closed.state == State.CLOSED and not closed.review_pending


def test_a_repeat_report_during_sign_off_blocks_closing_until_reviewed(org, clerk):
    signed = to_signed(org, receive(org))
    services.clue_triage(clue=receive(org), actor=clerk, decision="duplicate", duplicate_of=signed)
    services.clue_feedback(clue=signed, actor=clerk, text="经核查未查实")
    services.clue_reply(clue=signed, actor=org.users["head.minzu"], text="核查完毕")
    with pytest.raises(ValidationError):
        services.clue_close(clue=signed, actor=clerk)
    services.clue_acknowledge_repeat(clue=signed, actor=clerk, note="重复举报内容与原线索一致，无新情况")
    assert services.clue_close(clue=signed, actor=clerk).state == State.CLOSED


# Sign-off in order, voiding, dual assignment


def test_chiefs_sign_in_order_and_out_of_turn_signatures_are_refused(org):
    clue = to_concluded(org, receive(org))
    with pytest.raises(PermissionDenied, match="责任民警"):
        services.clue_sign(clue=clue, actor=org.users["head.jhbureau"])
    for username in FIVE_CHIEFS[:-1]:
        services.clue_sign(clue=clue, actor=org.users[username])
        assert Clue.objects.get(pk=clue.pk).state == State.CONCLUDED
    services.clue_sign(clue=clue, actor=org.users[FIVE_CHIEFS[-1]])
    clue.refresh_from_db()
    assert clue.state == State.SIGNED and clue.concluded_on_time is True
    hashes = set(Endorsement.objects.filter(voided_at__isnull=True).values_list("content_hash", flat=True))
    assert len(hashes) == 1 and len(next(iter(hashes))) == 64


def test_changing_the_conclusion_voids_the_signatures_given(org):
    clue = to_concluded(org, receive(org))
    for username in FIVE_CHIEFS[:3]:
        services.clue_sign(clue=clue, actor=org.users[username])
    services.clue_amend_conclusion(clue=clue, actor=org.users["head.minzu"], conclusion="partly_substantiated",
                                   finding="补充调查发现万某确有强迫两家商户购买酒水的行为。", reason="补充调查")
    assert Endorsement.objects.filter(voided_at__isnull=False).count() == 3
    assert Endorsement.objects.filter(voided_at__isnull=True).count() == 0
    with pytest.raises(PermissionDenied):  # the chain starts again from the first step
        services.clue_sign(clue=clue, actor=org.users["chief.jianghan"])
    services.clue_sign(clue=clue, actor=org.users["verifier.jianghan"])


def test_a_dual_assigned_clue_concludes_only_when_both_tracks_have(org, clerk):
    clue = receive(org, subject="社区书记为恶势力团伙充当保护伞")
    triage_valid(org, clue, names_officials=True)
    police, discipline = services.clue_assign_dual(clue=clue, police_unit=org.units["jh_minzu"],
                                                   discipline_unit=org.units["jh_discipline"], actor=clerk)
    for track, who in ((police, "verifier.jianghan"), (discipline, "discipline.jianghan")):
        services.clue_start(clue=clue, actor=org.users[who], assignment_id=track.pk)
        services.clue_record_musts(clue=clue, actor=org.users[who], assignment_id=track.pk, reporter_met="met",
                                   reporter_met_note="当面询问", content_rechecked=True,
                                   content_recheck_note="调阅材料", feedback_planned=True)
    services.clue_conclude(clue=clue, actor=org.users["verifier.jianghan"], assignment_id=police.pk,
                           conclusion="substantiated", finding="查明该团伙强迫交易事实属实，已立案侦查。")
    assert Clue.objects.get(pk=clue.pk).state == State.VERIFYING
    services.clue_conclude(clue=clue, actor=org.users["discipline.jianghan"], assignment_id=discipline.pk,
                           conclusion="unsubstantiated", finding="未发现社区书记收受好处或充当保护伞的证据。")
    clue.refresh_from_db()
    assert clue.state == State.CONCLUDED
    assert clue.conclusion == "substantiated"  # the most serious finding of the two tracks


def test_concluding_needs_the_three_musts(org, clerk, verifier):
    clue = receive(org)
    triage_valid(org, clue)
    services.clue_assign(clue=clue, unit=org.units["jh_minzu"], actor=clerk)
    services.clue_start(clue=clue, actor=verifier)
    with pytest.raises(ValidationError):
        services.clue_conclude(clue=clue, actor=verifier, conclusion="unsubstantiated", finding="未发现违法犯罪事实。")
    with pytest.raises(ValidationError):  # a public report: the reporter must be met if reachable
        services.clue_record_musts(clue=clue, actor=verifier, reporter_met="not_applicable", reporter_met_note="",
                                   content_rechecked=True, content_recheck_note="走访", feedback_planned=True)


def test_closing_needs_feedback_and_the_reply(org, clerk):
    clue = to_signed(org, receive(org))
    with pytest.raises(ValidationError):
        services.clue_close(clue=clue, actor=clerk)
    with pytest.raises(ValidationError):  # the reporter can be reached: "impossible" is not accepted
        services.clue_feedback(clue=clue, actor=clerk, impossible_reason="无法联系")
    services.clue_feedback(clue=clue, actor=clerk, text="您反映的问题经核查未查实。")
    assert clue.reports.filter(feedback_at__isnull=False).count() == 1
    with pytest.raises(ValidationError):
        services.clue_close(clue=clue, actor=clerk)


# 7. Nothing is deleted


def test_nothing_is_deleted(org):
    clue = to_closed(org, receive(org))
    with pytest.raises(DeletionForbidden):
        clue.delete()
    with pytest.raises(DeletionForbidden):
        Assignment.objects.filter(clue=clue).delete()
    with pytest.raises(DeletionForbidden):
        clue.reports.first().delete()
    assert Clue.objects.filter(pk=clue.pk).exists()


def test_every_move_is_on_the_timeline_and_in_the_audit_chain(org):
    from saohei.audit.models import AuditEvent
    from saohei.audit.services import audit_verify

    clue = to_closed(org, receive(org))
    actions = list(clue.events.values_list("action", flat=True))
    assert actions[0] == "receive" and actions[-1] == "close"
    assert actions.count("sign") == len(FIVE_CHIEFS)
    audited = AuditEvent.objects.filter(object_type="clue", object_id=str(clue.pk)).count()
    assert audited == len(actions)
    assert audit_verify().ok

"""Cases: formed from signed substantiated clues, stages forward only, facts, solving, destruction, voiding."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from saohei.audit.models import AuditEvent
from saohei.audit.services import audit_verify
from saohei.cases import services
from saohei.cases.choices import CaseOrigin, Custody, Stage
from saohei.cases.models import Case, CaseClue, CaseStage, Consultation
from saohei.cases.tests.case_helpers import days_ago, new_case, signed_clue
from saohei.clues.tests.helpers import receive, to_concluded

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The refusals below are matched by their English text."""
    with translation.override("en"):
        yield


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


def test_a_case_formed_from_a_signed_substantiated_clue_is_numbered_placed_staged_linked_and_audited(org):
    clue = signed_clue(org)
    case = new_case(org, clues=[clue])
    assert case.number == f"AJ{days_ago(60).year}{case.pk:07d}"
    assert case.jurisdiction_path == org.places["jianghan"].path
    assert case.stage == Stage.INVESTIGATION and case.stage_unit == org.units["jh_brigade"]
    first = CaseStage.objects.get(case=case)
    assert (first.stage, first.unit, first.started_on) == (Stage.INVESTIGATION, org.units["jh_brigade"], days_ago(60))
    assert list(case.clues.all()) == [clue]
    assert list(case.offences.values_list("code", flat=True)) == ["forced_transactions"]
    event = AuditEvent.objects.filter(action="case.create", object_id=str(case.pk)).get()
    assert event.before is None and event.after["number"] == case.number and event.after["clues"] == [clue.number]
    assert event.actor_label == "director.jianghan"
    assert audit_verify().ok


def test_a_partly_substantiated_clue_forms_a_case_but_an_unsigned_one_does_not(org):
    partly = signed_clue(org, "partly_substantiated")
    assert new_case(org, clues=[partly]).clues.get() == partly
    unsigned = to_concluded(org, receive(org, subject="江汉区某砂石场强迫交易"), "substantiated")
    with pytest.raises(ValidationError, match="cannot form a case yet"):
        new_case(org, clues=[unsigned])
    assert not CaseClue.objects.filter(clue=unsigned).exists()


def test_an_unsubstantiated_clue_is_refused_with_the_advice_to_open_an_accountability_review(org):
    clue = signed_clue(org, "unsubstantiated")
    cases_before = Case.objects.count()
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        new_case(org, clues=[clue])
    assert "open an accountability review" in _messages(exc)
    assert Case.objects.count() == cases_before  # nothing half-stored
    case = new_case(org)
    with translation.override("en"), pytest.raises(ValidationError, match="accountability review"):
        services.case_clue_link(actor=org.users["director.jianghan"], case=case, clue=clue)


def test_a_case_from_clues_needs_a_clue_and_one_opened_by_the_police_does_not(org):
    with pytest.raises(ValidationError):
        new_case(org, clues=[])
    case = new_case(org, clues=[], origin=CaseOrigin.POLICE, actor="chief.jianghan")
    assert case.origin == CaseOrigin.POLICE and not case.clues.exists()


def test_the_jurisdiction_lies_within_the_office_and_the_investigating_unit_is_police(org):
    director = org.users["director.jianghan"]
    with pytest.raises(ValidationError, match="outside"):
        services.case_create(actor=org.users["director.wuhan"], office=org.offices["jianghan"],
                             jurisdiction=org.places["jiangan"], title="跨区案件", unit=org.units["jh_brigade"],
                             origin=CaseOrigin.POLICE)
    with pytest.raises(ValidationError):
        services.case_create(actor=director, office=org.offices["jianghan"], jurisdiction=org.places["jianghan"],
                             title="法院不能立案侦查", unit=org.units["jh_court"], origin=CaseOrigin.POLICE)
    with pytest.raises(ValidationError):
        services.case_create(actor=director, office=org.offices["jianghan"], jurisdiction=org.places["jianghan"],
                             title="未来立案", unit=org.units["jh_brigade"], origin=CaseOrigin.POLICE,
                             filed_on=timezone.localdate() + dt.timedelta(days=1))
    assert not Case.objects.exists()


def test_who_may_open_a_case(org):
    office, place = org.offices["jianghan"], org.places["jianghan"]

    def create(user: str, unit: str) -> Case:
        return services.case_create(actor=org.users[user], office=office, jurisdiction=place, title="涉恶案件",
                                    unit=org.units[unit], origin=CaseOrigin.POLICE)

    assert create("chief.jianghan", "jh_brigade").stage_unit == org.units["jh_brigade"]
    assert create("verifier.jianghan", "jh_minzu").pk
    for user, unit in (("verifier.jiangan", "ja_dazhi"), ("verifier.jiangan", "jh_brigade"),
                       ("verifier.jianghan", "jh_brigade"), ("clerk.jianghan", "jh_brigade"),
                       ("judge.jianghan", "jh_brigade")):
        with pytest.raises(PermissionDenied):
            create(user, unit)


def test_stages_move_forward_only_with_a_unit_of_the_right_kind_and_set_their_dates_once(org):
    case = new_case(org, filed_days_ago=200)
    director = org.users["director.jianghan"]

    def advance(stage: str, unit: str, ago: int) -> None:
        services.case_stage_advance(actor=director, case=case, stage=stage, unit=org.units[unit],
                                    started_on=days_ago(ago))

    with pytest.raises(ValidationError):  # skipping prosecution review
        advance(Stage.INDICTED, "jh_procuratorate", 150)
    with pytest.raises(ValidationError):  # a court does not review for prosecution
        advance(Stage.PROSECUTION_REVIEW, "jh_court", 150)
    with pytest.raises(ValidationError):  # before the investigation began
        advance(Stage.PROSECUTION_REVIEW, "jh_procuratorate", 201)
    advance(Stage.PROSECUTION_REVIEW, "jh_procuratorate", 150)
    with pytest.raises(ValidationError):  # never back
        advance(Stage.INVESTIGATION, "jh_brigade", 140)
    advance(Stage.INDICTED, "jh_procuratorate", 120)
    advance(Stage.FIRST_INSTANCE, "jh_court", 90)
    with pytest.raises(ValidationError, match="effective judgment"):
        advance(Stage.EXECUTION, "jh_court", 60)
    advance(Stage.EFFECTIVE_JUDGMENT, "jh_court", 60)  # no appeal: the second instance is skipped
    advance(Stage.EXECUTION, "jh_justice", 30)
    case.refresh_from_db()
    assert case.stage == Stage.EXECUTION and case.stage_unit == org.units["jh_justice"]
    assert (case.indicted_on, case.first_judgment_on, case.effective_judgment_on) == (
        days_ago(120), days_ago(90), days_ago(60))
    assert list(case.stages.values_list("stage", flat=True)) == [
        Stage.INVESTIGATION, Stage.PROSECUTION_REVIEW, Stage.INDICTED, Stage.FIRST_INSTANCE,
        Stage.EFFECTIVE_JUDGMENT, Stage.EXECUTION]
    assert AuditEvent.objects.filter(action="case.stage_advance", object_id=str(case.pk)).count() == 5
    with pytest.raises(ValidationError):  # nothing after execution
        advance(Stage.EXECUTION, "jh_court", 10)


def test_an_appeal_goes_through_the_second_instance_and_the_first_dates_stay(org):
    case = new_case(org, filed_days_ago=300)
    director = org.users["director.wuhan"]
    steps = ((Stage.PROSECUTION_REVIEW, "jh_procuratorate", 250), (Stage.INDICTED, "wh_procuratorate", 200),
             (Stage.FIRST_INSTANCE, "wh_court", 150), (Stage.SECOND_INSTANCE, "wh_court", 100),
             (Stage.EFFECTIVE_JUDGMENT, "wh_court", 50))
    for stage, unit, ago in steps:
        services.case_stage_advance(actor=director, case=case, stage=stage, unit=org.units[unit],
                                    started_on=days_ago(ago))
    case.refresh_from_db()
    assert case.first_judgment_on == days_ago(150) and case.effective_judgment_on == days_ago(50)


def test_only_the_stage_unit_and_directors_move_the_case_on(org):
    case = new_case(org)
    procuratorate = org.units["jh_procuratorate"]
    with pytest.raises(PermissionDenied):
        services.case_stage_advance(actor=org.users["prosecutor.jianghan"], case=case,
                                    stage=Stage.PROSECUTION_REVIEW, unit=procuratorate, started_on=days_ago(10))
    services.case_stage_advance(actor=org.users["chief.jianghan"], case=case, stage=Stage.PROSECUTION_REVIEW,
                                unit=procuratorate, started_on=days_ago(10))
    with pytest.raises(PermissionDenied):  # the police handed it over
        services.case_stage_advance(actor=org.users["chief.jianghan"], case=case, stage=Stage.INDICTED,
                                    unit=procuratorate, started_on=days_ago(5))
    services.case_stage_advance(actor=org.users["prosecutor.jianghan"], case=case, stage=Stage.INDICTED,
                                unit=procuratorate, started_on=days_ago(5))


def test_the_facts_change_with_an_audit_of_what_changed(org):
    case = new_case(org)
    services.case_update(actor=org.users["chief.jianghan"], case=case, organization_name="万某恶势力犯罪集团",
                         organization_type="evil_force_group", offences=["forced_transactions", "extortion"],
                         lead_official="周建国", lead_official_position="区委政法委书记", supervision_level="municipal",
                         regulator_negligence="区市场监管局对该KTV长期违规经营未予查处。")
    case.refresh_from_db()
    assert case.organization_type == "evil_force_group" and case.lead_official == "周建国"
    assert set(case.offences.values_list("code", flat=True)) == {"forced_transactions", "extortion"}
    event = AuditEvent.objects.filter(action="case.update", object_id=str(case.pk)).get()
    assert event.before["organization_type"] == "evil_force_gang"
    assert event.after["organization_type"] == "evil_force_group"
    assert "title" not in event.after
    with pytest.raises(ValidationError):
        services.case_update(actor=org.users["chief.jianghan"], case=case, stage=Stage.INDICTED)
    with pytest.raises(ValidationError):
        services.case_update(actor=org.users["chief.jianghan"], case=case, title="  ")
    with pytest.raises(PermissionDenied):
        services.case_update(actor=org.users["verifier.jiangan"], case=case, title="改名")


def test_solving_and_destroying_are_dated_once_and_never_before_filing(org):
    case = new_case(org, filed_days_ago=40)
    chief = org.users["chief.jianghan"]
    with pytest.raises(ValidationError):
        services.case_solve(actor=chief, case=case, solved_on=days_ago(41))
    with pytest.raises(ValidationError):
        services.case_solve(actor=chief, case=case, solved_on=days_ago(-1))
    services.case_solve(actor=chief, case=case, solved_on=days_ago(30))
    with pytest.raises(ValidationError, match="already"):
        services.case_solve(actor=chief, case=case, solved_on=days_ago(20))
    services.case_destroyed_record(actor=chief, case=case, destroyed_on=days_ago(20))
    case.refresh_from_db()
    assert case.solved_on == days_ago(30) and case.destroyed and case.destroyed_on == days_ago(20)
    with pytest.raises(ValidationError):
        services.case_update(actor=chief, case=case, organization_type="")
    plain = new_case(org, organization_type="", organization_name="")
    with pytest.raises(ValidationError, match="organisation type"), translation.override("en"):
        services.case_destroyed_record(actor=chief, case=plain, destroyed_on=days_ago(5))


def test_a_consultation_records_its_units_and_decisions(org):
    case = new_case(org)
    units = [org.units["jh_brigade"], org.units["jh_procuratorate"], org.units["jh_court"]]
    c = services.consultation_record(actor=org.users["director.jianghan"], case=case, held_on=days_ago(3),
                                     topic="万某团伙是否认定为恶势力犯罪集团", decisions="补充侦查后移送审查起诉",
                                     participants=units)
    assert set(Consultation.objects.get(pk=c.pk).participants.all()) == set(units)
    with pytest.raises(ValidationError):
        services.consultation_record(actor=org.users["director.jianghan"], case=case, held_on=days_ago(3),
                                     topic="会商", decisions="")


def test_a_further_clue_is_linked_once_and_only_if_the_user_sees_it(org):
    case = new_case(org)
    other = signed_clue(org, subject="江汉区某KTV继续强迫消费")
    link = services.case_clue_link(actor=org.users["chief.jianghan"], case=case, clue=other)
    assert link.linked_by == org.users["chief.jianghan"]
    with pytest.raises(ValidationError, match="already"):
        services.case_clue_link(actor=org.users["chief.jianghan"], case=case, clue=other)
    jiangan = signed_clue(org, place="jiangan")
    with pytest.raises(ValidationError):
        services.case_clue_link(actor=org.users["chief.jianghan"], case=case, clue=jiangan)
    event = AuditEvent.objects.filter(action="case.clue_link", object_id=str(case.pk)).get()
    assert event.before == {"clues": [case.clues.exclude(pk=other.pk).get().number]}
    assert len(event.after["clues"]) == 2


def test_voiding_a_case_takes_its_records_with_it_and_only_a_director_may(org):
    case = new_case(org)
    chief, director = org.users["chief.jianghan"], org.users["director.jianghan"]
    suspect = services.suspect_add(actor=chief, case=case, name="万某", role="leader", custody=Custody.DETAINED,
                                   custody_on=days_ago(30))
    asset = services.asset_record(actor=chief, case=case, kind="cash", description="现金", amount="50000",
                                  state="seized", secured_on=days_ago(29))
    with pytest.raises(PermissionDenied):
        services.record_void(actor=chief, record=case, reason="重复录入")
    with pytest.raises(ValidationError):
        services.record_void(actor=director, record=case, reason=" ")
    services.record_void(actor=director, record=case, reason="重复录入")
    for obj in (case, suspect, asset):
        obj.refresh_from_db()
        assert obj.voided_at is not None
    assert "重复录入" in suspect.void_reason
    assert AuditEvent.objects.filter(action__endswith=".void").count() == 3
    with pytest.raises(ValidationError):
        services.record_void(actor=director, record=case, reason="再次作废")
    with pytest.raises(ValidationError):
        services.suspect_add(actor=chief, case=case, name="李某", role="member")

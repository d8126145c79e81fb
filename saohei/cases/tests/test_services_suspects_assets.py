"""Suspects (custody over time, surrender, outcome) and assets (amounts, states, final states)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from saohei.audit.models import AuditEvent
from saohei.cases import services
from saohei.cases.choices import AssetState, Custody, Stage, SuspectOutcome
from saohei.cases.models import Asset, AssetChange, CustodyChange, Suspect
from saohei.cases.tests.case_helpers import days_ago, new_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(org):
    return new_case(org, filed_days_ago=120)


@pytest.fixture
def chief(org):
    return org.users["chief.jianghan"]


def test_a_detained_suspect_carries_the_case_path_the_first_date_and_a_custody_entry(org, case, chief):
    s = services.suspect_add(actor=chief, case=case, name="万某", alias="万老大", role="leader",
                             custody=Custody.DETAINED, custody_on=days_ago(100), id_number="42010319800101123x")
    assert s.jurisdiction_path == case.jurisdiction_path
    assert s.detained_on == days_ago(100) and s.arrested_on is None and s.id_number.endswith("X")
    assert list(s.custody_changes.values_list("custody", "on")) == [(Custody.DETAINED, days_ago(100))]
    event = AuditEvent.objects.get(action="suspect.add", object_id=str(s.pk))
    assert event.after["name"] == "万某" and event.after["case_number"] == case.number


def test_custody_changes_keep_the_first_detention_and_arrest_dates(org, case, chief):
    s = services.suspect_add(actor=chief, case=case, name="李某", role="core", custody=Custody.DETAINED,
                             custody_on=days_ago(100))
    for custody, ago in ((Custody.ARRESTED, 90), (Custody.BAIL, 60), (Custody.DETAINED, 40), (Custody.ARRESTED, 30)):
        services.suspect_custody_change(actor=chief, suspect=s, custody=custody, on=days_ago(ago),
                                        unit=org.units["jh_brigade"])
    s.refresh_from_db()
    assert (s.custody, s.detained_on, s.arrested_on) == (Custody.ARRESTED, days_ago(100), days_ago(90))
    assert CustodyChange.objects.filter(suspect=s).count() == 5
    event = AuditEvent.objects.filter(action="suspect.custody", object_id=str(s.pk)).order_by("seq").first()
    assert event.before == {"custody": Custody.DETAINED, "arrested_on": None}
    assert event.after["custody"] == Custody.ARRESTED


def test_an_arrest_without_detention_counts_and_a_surrendered_suspect_is_not_at_large(org, case, chief):
    s = services.suspect_add(actor=chief, case=case, name="张某", role="member")
    assert s.custody == Custody.AT_LARGE and not s.custody_changes.exists()
    services.suspect_custody_change(actor=chief, suspect=s, custody=Custody.ARRESTED, on=days_ago(20))
    s.refresh_from_db()
    assert s.arrested_on == days_ago(20) and s.detained_on is None
    with translation.override("en"), pytest.raises(ValidationError, match="surrendered"):
        services.suspect_add(actor=chief, case=case, name="赵某", role="member", surrendered=True)
    t = services.suspect_add(actor=chief, case=case, name="赵某", role="member", surrendered=True,
                             custody=Custody.DETAINED, custody_on=days_ago(15))
    assert t.surrendered and t.detained_on == days_ago(15)
    with pytest.raises(ValidationError):  # a custody other than at large needs its date
        services.suspect_add(actor=chief, case=case, name="钱某", role="member", custody=Custody.DETAINED)


def test_custody_changes_go_forward_in_time_and_change_something(org, case, chief):
    s = services.suspect_add(actor=chief, case=case, name="孙某", role="member", custody=Custody.DETAINED,
                             custody_on=days_ago(50))
    with pytest.raises(ValidationError):
        services.suspect_custody_change(actor=chief, suspect=s, custody=Custody.ARRESTED, on=days_ago(51))
    with pytest.raises(ValidationError):
        services.suspect_custody_change(actor=chief, suspect=s, custody=Custody.ARRESTED, on=days_ago(-1))
    with pytest.raises(ValidationError):
        services.suspect_custody_change(actor=chief, suspect=s, custody=Custody.DETAINED, on=days_ago(10))
    with pytest.raises(ValidationError):
        services.suspect_custody_change(actor=chief, suspect=s, custody="escaped", on=days_ago(10))
    with pytest.raises(PermissionDenied):
        services.suspect_custody_change(actor=org.users["verifier.jiangan"], suspect=s, custody=Custody.ARRESTED,
                                        on=days_ago(10))
    assert Suspect.objects.get(pk=s.pk).arrested_on is None


def test_outcomes_follow_indictment_then_judgment_with_a_sentence(org, case, chief):
    s = services.suspect_add(actor=chief, case=case, name="周某", role="leader", custody=Custody.ARRESTED,
                             custody_on=days_ago(100))
    with translation.override("en"), pytest.raises(ValidationError, match="indictment first"):
        services.suspect_outcome_record(actor=chief, suspect=s, outcome=SuspectOutcome.CONVICTED, on=days_ago(10),
                                        sentence="有期徒刑八年", sentence_months=96)
    services.suspect_outcome_record(actor=chief, suspect=s, outcome=SuspectOutcome.INDICTED, on=days_ago(60))
    with pytest.raises(ValidationError):  # a conviction carries its sentence
        services.suspect_outcome_record(actor=chief, suspect=s, outcome=SuspectOutcome.CONVICTED, on=days_ago(10))
    with pytest.raises(ValidationError):  # judged before the indictment
        services.suspect_outcome_record(actor=chief, suspect=s, outcome=SuspectOutcome.CONVICTED, on=days_ago(61),
                                        sentence="有期徒刑八年")
    services.suspect_outcome_record(actor=chief, suspect=s, outcome=SuspectOutcome.CONVICTED, on=days_ago(10),
                                    sentence="有期徒刑八年", sentence_months=96)
    s.refresh_from_db()
    assert (s.outcome, s.indicted_on, s.judged_on, s.sentence_months) == (
        SuspectOutcome.CONVICTED, days_ago(60), days_ago(10), 96)
    other = services.suspect_add(actor=chief, case=case, name="吴某", role="member")
    with pytest.raises(ValidationError):  # only a conviction carries a sentence
        services.suspect_outcome_record(actor=chief, suspect=other, outcome=SuspectOutcome.NOT_PROSECUTED,
                                        on=days_ago(5), sentence="罚金")
    services.suspect_outcome_record(actor=chief, suspect=other, outcome=SuspectOutcome.NOT_PROSECUTED,
                                    on=days_ago(5))
    with pytest.raises(ValidationError):
        services.suspect_outcome_record(actor=chief, suspect=other, outcome=SuspectOutcome.INDICTED, on=days_ago(1))


def test_the_court_records_judgments_only_once_the_case_reaches_it(org, case, chief):
    s = services.suspect_add(actor=chief, case=case, name="郑某", role="core", custody=Custody.ARRESTED,
                             custody_on=days_ago(100))
    services.suspect_outcome_record(actor=chief, suspect=s, outcome=SuspectOutcome.INDICTED, on=days_ago(50))
    judge = org.users["judge.jianghan"]
    with pytest.raises(PermissionDenied):
        services.suspect_outcome_record(actor=judge, suspect=s, outcome=SuspectOutcome.ACQUITTED, on=days_ago(5))
    director = org.users["director.jianghan"]
    steps = ((Stage.PROSECUTION_REVIEW, "jh_procuratorate", 60), (Stage.INDICTED, "jh_procuratorate", 50),
             (Stage.FIRST_INSTANCE, "jh_court", 20))
    for stage, unit, ago in steps:
        services.case_stage_advance(actor=director, case=case, stage=stage, unit=org.units[unit],
                                    started_on=days_ago(ago))
    services.suspect_outcome_record(actor=judge, suspect=s, outcome=SuspectOutcome.ACQUITTED, on=days_ago(5))
    assert Suspect.objects.get(pk=s.pk).outcome == SuspectOutcome.ACQUITTED


@pytest.mark.parametrize("amount", ["0", "-5", "abc", "12.345", None, "NaN", "1e20"])
def test_an_asset_amount_is_a_positive_sum_of_yuan_and_fen(org, case, chief, amount):
    with pytest.raises(ValidationError):
        services.asset_record(actor=chief, case=case, kind="cash", description="现金", amount=amount,
                              state="seized", secured_on=days_ago(10))
    assert not Asset.objects.exists()


def test_an_asset_is_secured_first_and_its_changes_are_recorded_until_a_final_state(org, case, chief):
    with pytest.raises(ValidationError):
        services.asset_record(actor=chief, case=case, kind="cash", description="现金", amount="1000",
                              state=AssetState.CONFISCATED, secured_on=days_ago(10))
    asset = services.asset_record(actor=chief, case=case, kind="real_estate", description="江汉区某商铺",
                                  holder="万某", amount="1,250,000.50", state=AssetState.SEALED,
                                  secured_on=days_ago(60))
    assert asset.amount == Decimal("1250000.50") and isinstance(asset.amount, Decimal)
    assert asset.jurisdiction_path == case.jurisdiction_path and asset.state_on == days_ago(60)
    with pytest.raises(ValidationError):
        services.asset_state_change(actor=chief, asset=asset, state=AssetState.CONFISCATED, on=days_ago(61))
    with pytest.raises(ValidationError):
        services.asset_state_change(actor=chief, asset=asset, state=AssetState.SEALED, on=days_ago(5))
    services.asset_state_change(actor=chief, asset=asset, state=AssetState.CONFISCATED, on=days_ago(5),
                                note="判决没收")
    with pytest.raises(ValidationError, match="final"), translation.override("en"):
        services.asset_state_change(actor=chief, asset=asset, state=AssetState.RETURNED, on=days_ago(1))
    changes = list(AssetChange.objects.filter(asset=asset).values_list("from_state", "to_state", "on"))
    assert changes == [("", AssetState.SEALED, days_ago(60)), (AssetState.SEALED, AssetState.CONFISCATED, days_ago(5))]
    asset.refresh_from_db()
    assert (asset.state, asset.secured_on, asset.state_on) == (AssetState.CONFISCATED, days_ago(60), days_ago(5))
    event = AuditEvent.objects.get(action="asset.state", object_id=str(asset.pk))
    assert event.before["state"] == AssetState.SEALED and event.after["state"] == AssetState.CONFISCATED

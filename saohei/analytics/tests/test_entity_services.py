"""Entities of reports, clues and cases kept in the database: the clerk sees them, corrects them, and the corrections
outlive every later reading of the text; who-is-who judgements are kept, audited and only for what one may see."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from saohei.analytics.entity_services import (
    entity_correct,
    entity_correct_at,
    record_entities_extract,
    resolution_judge,
)
from saohei.analytics.entity_tasks import record_entities_task
from saohei.analytics.models import EntityCorrection, EntityMention, ResolutionJudgement
from saohei.analytics.network_selectors import mention_person_key
from saohei.audit.models import AuditEvent
from saohei.clues.models import Clue
from saohei.clues.tests.helpers import receive

pytestmark = pytest.mark.django_db

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(body: str) -> str:
    """A resident ID number with its check digit (GB 11643)."""
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]


GANG = ("民族街陈大明团伙强迫商户买酒",
        "举报人称：陈大明（电话13812345678）纠集多人在江汉区民族街强迫商户高价购买酒水，不从者遭殴打。"
        "民族街派出所所长王建国收受其好处，为其通风报信。")
LOAN = ("张伟放高利贷", "举报张伟在江汉区放高利贷，月息高达百分之三十。")
GAMBLING = ("张伟开设地下赌场", "张伟在江汉区某小区开设地下赌场，每晚聚赌数十人。")
JIANGAN = ("大智街棋牌室聚众赌博",
           f"江岸区大智街棋牌室老板李四海组织赌博，手机13900001111，身份证号{id_number('42010219800101123')}。")


def read(clue: Clue) -> Clue:
    """Extract the entities of the clue and of its reports (the task does this after intake)."""
    record_entities_extract(record_kind="clue", record_id=clue.pk)
    for report in clue.reports.all():
        record_entities_extract(record_kind="report", record_id=report.pk)
    return clue


def received(org: Any, text: tuple[str, str], **kw: Any) -> Clue:
    return read(receive(org, subject=text[0], content=text[1], **kw))


def mentions(clue: Clue, kind: str | None = None) -> list[EntityMention]:
    found = EntityMention.objects.filter(record_kind="clue", record_id=clue.pk).order_by("start")
    return list(found.filter(kind=kind) if kind else found)


def test_a_clue_text_yields_its_persons_phone_official_and_place_with_the_jurisdiction_code(org):
    clue = received(org, GANG)

    found = {(m.kind, m.text) for m in mentions(clue)}
    assert {("person", "陈大明"), ("phone", "13812345678"), ("person", "王建国")} <= found
    official = next(m for m in mentions(clue, "person") if m.text == "王建国")
    assert official.attributes["role"] == "派出所所长"
    place = next(m for m in mentions(clue, "place") if m.text == "江汉区")
    assert place.attributes["code"] == "420103" and place.value == "湖北省武汉市江汉区"

    before = [(m.kind, m.start, m.end) for m in mentions(clue)]
    again = record_entities_extract(record_kind="clue", record_id=clue.pk)
    assert sorted((m.kind, m.start, m.end) for m in again) == sorted(before)  # replaced, not added to
    assert EntityMention.objects.filter(record_kind="clue", record_id=clue.pk).count() == len(before)


def test_an_id_number_with_a_valid_check_digit_is_an_entity_and_a_wrong_one_is_not(org):
    clue = received(org, JIANGAN, place="jiangan")
    wrong = received(org, ("身份证号有误", "李四海身份证号420102198001011230。"), place="jiangan")

    assert [m.value for m in mentions(clue, "id_number")] == [id_number("42010219800101123")]
    assert mentions(wrong, "id_number") == []


def test_a_removal_a_change_and_an_addition_are_kept_and_applied_again_after_extracting_anew(org, clerk):
    clue = received(org, GANG)
    phone = mentions(clue, "phone")[0]
    dachen = next(m for m in mentions(clue, "person") if m.text == "陈大明")

    entity_correct(actor=clerk, record_kind="clue", record_id=clue.pk, action="remove", kind="phone",
                   start=phone.start, end=phone.end, text=phone.text, note="这是举报人自己的电话")
    entity_correct(actor=clerk, record_kind="clue", record_id=clue.pk, action="change", kind="person",
                   start=dachen.start, end=dachen.end, text="陈大明", new_value="陈大明（绰号陈老大）")
    entity_correct_at(actor=clerk, record_kind="clue", record_id=clue.pk, kind="place", text="民族街")

    for _ in range(2):  # as a later task would: the text is read again, every correction applied again
        record_entities_extract(record_kind="clue", record_id=clue.pk)
        assert mentions(clue, "phone") == []
        assert "陈大明（绰号陈老大）" in [m.value for m in mentions(clue, "person")]
        added = mentions(clue, "place")
        assert "民族街" in [m.text for m in added]
        assert next(m for m in added if m.text == "民族街").attributes["source"] == "correction"
    assert EntityCorrection.objects.filter(record_kind="clue", record_id=clue.pk).count() == 3
    events = AuditEvent.objects.filter(object_type="clue", object_id=str(clue.pk), action__startswith="entity.")
    assert sorted(e.action for e in events) == ["entity.add", "entity.change", "entity.remove"]
    assert events.get(action="entity.remove").reason == "这是举报人自己的电话"


def test_a_correction_whose_words_are_not_at_that_place_is_refused(org, clerk):
    from django.core.exceptions import ValidationError

    clue = received(org, GANG)
    phone = mentions(clue, "phone")[0]
    with pytest.raises(ValidationError):
        entity_correct(actor=clerk, record_kind="clue", record_id=clue.pk, action="remove", kind="phone",
                       start=phone.start + 1, end=phone.end + 1, text=phone.text)
    with pytest.raises(ValidationError):
        entity_correct_at(actor=clerk, record_kind="clue", record_id=clue.pk, kind="person", text="不在文中的人")
    assert EntityCorrection.objects.count() == 0


def test_a_clerk_of_another_county_may_not_correct_the_entities_of_a_clue_she_cannot_see(org):
    clue = received(org, GANG)
    phone = mentions(clue, "phone")[0]
    with pytest.raises(Http404):
        entity_correct(actor=org.users["clerk.jiangan"], record_kind="clue", record_id=clue.pk, action="remove",
                       kind="phone", start=phone.start, end=phone.end, text=phone.text)
    assert EntityCorrection.objects.count() == 0 and len(mentions(clue, "phone")) == 1


def test_the_task_extracts_a_report_and_keeps_nothing_for_a_missing_record(org):
    clue = receive(org, subject=GANG[0], content=GANG[1])
    report = clue.reports.get()

    assert record_entities_task.call("report", report.pk) >= 3
    assert EntityMention.objects.filter(record_kind="report", record_id=report.pk, kind="person").exists()
    assert record_entities_task.call("clue", 999_999) == 0


def test_a_judgement_is_kept_audited_and_a_later_one_on_the_same_pair_replaces_it(org, clerk):
    first, second = received(org, LOAN), received(org, GAMBLING)
    left = mention_person_key(mentions(first, "person")[0])
    right = mention_person_key(mentions(second, "person")[0])

    confirmed = resolution_judge(actor=clerk, kind="confirm", record=left, others=[right], note="同一手机号")
    rejected = resolution_judge(actor=clerk, kind="reject", record=right, others=[left], note="年龄不符")

    confirmed.refresh_from_db()
    assert confirmed.voided_at is not None and rejected.voided_at is None
    assert list(ResolutionJudgement.objects.filter(voided_at__isnull=True)) == [rejected]
    assert AuditEvent.objects.filter(action__in=["resolution.confirm", "resolution.reject"]).count() == 2


def test_a_judgement_naming_a_person_the_analyst_may_not_see_is_refused(org, clerk):
    mine = received(org, LOAN)
    theirs = received(org, JIANGAN, place="jiangan")
    with pytest.raises(Http404):
        resolution_judge(actor=clerk, kind="confirm", record=mention_person_key(mentions(mine, "person")[0]),
                         others=[mention_person_key(mentions(theirs, "person")[0])])
    with pytest.raises(Http404):
        resolution_judge(actor=clerk, kind="confirm", record=mention_person_key(mentions(mine, "person")[0]),
                         others=["clue:1@0-2; drop table"])
    assert ResolutionJudgement.objects.count() == 0

"""The entities of clues and cases are read when their texts are written, not only those of reports: a clue received,
a case opened or its summary rewritten shows its persons without anyone asking; a change that leaves the texts as
they were reads nothing again; and a backfill reads the records that were stored while nothing read them."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from saohei.analytics.entity_services import record_entities_extract
from saohei.analytics.models import EntityMention
from saohei.cases import services as case_services
from saohei.cases.choices import CaseOrigin
from saohei.cases.models import Case
from saohei.cases.tests.case_helpers import new_case
from saohei.clues.models import Clue
from saohei.clues.tests.helpers import receive, triage_valid

pytestmark = pytest.mark.django_db

GANG = ("民族街陈大明团伙强迫商户买酒",
        "举报人称：陈大明（电话13812345678）纠集多人在江汉区民族街强迫商户高价购买酒水，不从者遭殴打。")
CASE_SUMMARY = "2023年以来，陈大明纠集多人在江汉区民族街强迫商户高价购买酒水。"
CASE_SUMMARY_REWRITTEN = ("2023年以来，陈大明纠集多人在江汉区民族街强迫商户高价购买酒水；"
                          "民族街派出所所长王建国收受其好处，为其通风报信。")


def persons(kind: str, pk: int) -> set[str]:
    return set(EntityMention.objects.filter(record_kind=kind, record_id=pk, kind="person")
               .values_list("text", flat=True))


def mention_ids(kind: str, pk: int) -> set[int]:
    """The stored rows: extracting again replaces them all, so the same ids mean nothing was read again."""
    return set(EntityMention.objects.filter(record_kind=kind, record_id=pk).values_list("pk", flat=True))


def police_case(org: Any, **kw: Any) -> Case:
    return new_case(org, clues=[], origin=CaseOrigin.POLICE, actor="chief.jianghan", title="陈大明等人强迫交易案",
                    organization_leader="陈大明", **kw)


def test_a_received_clue_shows_its_persons_and_its_report_too(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        clue = receive(org, subject=GANG[0], content=GANG[1])

    assert "陈大明" in persons("clue", clue.pk)
    assert "陈大明" in persons("report", clue.reports.get().pk)
    assert EntityMention.objects.filter(record_kind="clue", record_id=clue.pk, kind="phone",
                                        text="13812345678").exists()


def test_triage_leaves_the_texts_as_they_were_and_reads_nothing_again(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        clue = receive(org, subject=GANG[0], content=GANG[1])
    before = mention_ids("clue", clue.pk)
    assert before

    with django_capture_on_commit_callbacks(execute=True):
        triage_valid(org, Clue.objects.get(pk=clue.pk))

    assert mention_ids("clue", clue.pk) == before


def test_a_case_opened_shows_its_persons_and_a_rewritten_summary_shows_the_new_ones(
        org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = police_case(org, summary=CASE_SUMMARY)
    assert "陈大明" in persons("case", case.pk) and "王建国" not in persons("case", case.pk)

    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_update(actor=org.users["chief.jianghan"], case=case, summary=CASE_SUMMARY_REWRITTEN)

    assert {"陈大明", "王建国"} <= persons("case", case.pk)


def test_a_case_update_that_leaves_title_and_summary_alone_reads_nothing_again(
        org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = police_case(org, summary=CASE_SUMMARY)
    before = mention_ids("case", case.pk)
    assert before
    chief = org.users["chief.jianghan"]

    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_update(actor=chief, case=case, organization_name="陈大明恶势力犯罪集团")
        case_services.case_update(actor=chief, case=case, summary=CASE_SUMMARY)  # the same words again

    assert mention_ids("case", case.pk) == before


def test_the_backfill_reads_the_records_stored_while_nothing_read_them_and_leaves_the_others(org):
    # Received and opened with no task run (the callbacks after commit never run here): nothing was read.
    first = receive(org, subject=GANG[0], content=GANG[1])
    second = receive(org, subject="张伟放高利贷", content="举报张伟在江汉区放高利贷，月息高达百分之三十。")
    case = police_case(org, summary=CASE_SUMMARY)
    record_entities_extract(record_kind="clue", record_id=first.pk)  # this one was read
    kept = mention_ids("clue", first.pk)
    assert kept and not persons("clue", second.pk) and not persons("case", case.pk)

    out = StringIO()
    call_command("analytics", "entities-backfill", "--kind", "clue", stdout=out)
    assert "clue: read 1 records" in out.getvalue()
    assert "张伟" in persons("clue", second.pk)
    assert mention_ids("clue", first.pk) == kept
    assert not persons("case", case.pk)

    out = StringIO()
    call_command("analytics", "entities-backfill", stdout=out)
    lines = out.getvalue()
    assert "report: read 2 records" in lines and "clue: read 0 records" in lines and "case: read 1 records" in lines
    assert "陈大明" in persons("case", case.pk)
    assert "张伟" in persons("report", second.reports.get().pk)


def test_the_backfill_reads_at_most_the_limit_the_most_recent_first(org):
    older = receive(org, subject=GANG[0], content=GANG[1])
    newer = receive(org, subject="张伟放高利贷", content="举报张伟在江汉区放高利贷，月息高达百分之三十。")

    out = StringIO()
    call_command("analytics", "entities-backfill", "--kind", "clue", "--limit", "1", stdout=out)

    assert "clue: read 1 records" in out.getvalue()
    assert persons("clue", newer.pk) and not persons("clue", older.pk)

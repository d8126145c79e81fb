"""Importing the case registers: every row or none, each error naming its row and column in the
uploader's language, Chinese or English headers, a template per register, bad files refused."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import Workbook, load_workbook

from saohei.audit.models import AuditEvent
from saohei.cases.imports import COLUMNS
from saohei.cases.models import Asset, Case, Fugitive, Suspect, Umbrella
from saohei.cases.tests.case_helpers import days_ago
from saohei.cases.tests.ledger_fixtures import World, build_world
from saohei.intake.models import ImportBatch

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    """Uploaded files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


def headers(register: str, language: str = "zh") -> list[str]:
    return [c.zh if language == "zh" else c.en for c in COLUMNS[register]]


def csv_bytes(header: list[str], rows: list[list[Any]], encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(header: list[str], rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client: Client, register: str, name: str, data: bytes, office: Any) -> Any:
    return client.post(reverse("case-import", kwargs={"register": register}),
                       {"office": office.pk, "file": SimpleUploadedFile(name, data)})


def by_header(register: str, **values: Any) -> list[Any]:
    """A row in the register's column order, from values keyed by column key."""
    return [values.get(c.key, "") for c in COLUMNS[register]]


@pytest.fixture
def director(client: Client, org: Any) -> Client:
    client.force_login(org.users["director.jianghan"])
    return client


def test_a_case_register_in_chinese_creates_every_case_through_the_services(director: Client, org: Any) -> None:
    rows = [
        by_header("cases", title="万某等人强迫交易案", unit="江汉区分局刑侦大队", origin="公安直接立案",
                  organization_type="恶势力团伙", organization_name="万某恶势力团伙", organization_leader="万某",
                  offences="强迫交易、寻衅滋事", filed_on=days_ago(60).strftime("%Y/%m/%d"),
                  solved_on=days_ago(30).isoformat(), destroyed_on=days_ago(20).isoformat(), supervision_level="市督"),
        by_header("cases", title="唐家墩聚众斗殴案", unit=str(org.units["jh_brigade"].pk), origin="police",
                  kind="行政案件", jurisdiction="420103", filed_on=days_ago(2).isoformat()),
    ]
    response = upload(director, "cases", "案件台账.csv", csv_bytes(headers("cases"), rows), org.offices["jianghan"])
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("case-import-status", kwargs={"pk": batch.pk})
    assert batch.state == "done", batch.errors
    assert batch.created_reports == 2 and batch.percent == 100
    gang = Case.objects.get(title="万某等人强迫交易案")
    assert (gang.organization_type, gang.destroyed, gang.destroyed_on, gang.solved_on, gang.supervision_level) == (
        "evil_force_gang", True, days_ago(20), days_ago(30), "municipal")
    assert sorted(gang.offences.values_list("code", flat=True)) == ["forced_transactions", "provoking_trouble"]
    assert Case.objects.get(title="唐家墩聚众斗殴案").kind == "administrative"
    assert AuditEvent.objects.filter(action="case.create").count() == 2
    assert AuditEvent.objects.filter(action="case.destroyed", object_id=str(gang.pk)).exists()
    page = director.get(response["Location"]).content.decode()
    assert "100%" in page and 'hx-trigger="every 1s"' not in page


def test_one_bad_row_saves_nothing_and_every_error_names_its_row_and_column(director: Client, org: Any) -> None:
    good = by_header("cases", title="好案件", unit="江汉区分局刑侦大队", origin="police")
    rows = [
        good,
        by_header("cases", title="", unit="不存在的单位", origin="police", filed_on="明天"),
        good,
        by_header("cases", title="坏日期", unit="江汉区分局刑侦大队", origin="police",
                  filed_on=days_ago(-5).isoformat(), organization_type="黑帮"),
    ]
    with translation.override("en"):
        director.post(reverse("set-language"), {"language": "en"})
        upload(director, "cases", "cases.csv", csv_bytes(headers("cases", "en"), rows), org.offices["jianghan"])
    batch = ImportBatch.objects.get()
    assert batch.state == "failed" and Case.objects.count() == 0
    found = {(e["row"], e["column"]) for e in batch.errors}
    assert {(3, "title"), (3, "investigating_unit"), (3, "filed_on"), (5, "filed_on"),
            (5, "organization_type")} <= found
    assert all(e["row"] in (3, 5) for e in batch.errors)
    with translation.override("en"):
        messages = {e["message"] for e in batch.errors}
        assert gettext("No active unit is called %(name)s.") % {"name": "不存在的单位"} in messages
    page = director.get(reverse("case-import-status", kwargs={"pk": batch.pk})).content.decode()
    assert 'id="import-errors"' in page and "不存在的单位" in page


def test_a_row_the_service_refuses_rolls_back_the_rows_before_it(director: Client, org: Any) -> None:
    rows = [
        by_header("cases", title="甲案", unit="江汉区分局刑侦大队", origin="police"),
        # Checked fine row by row; the service refuses an organisation destroyed before its case was filed.
        by_header("cases", title="乙案", unit="江汉区分局刑侦大队", origin="police", organization_type="恶势力团伙",
                  filed_on=days_ago(10).isoformat(), destroyed_on=days_ago(20).isoformat()),
        by_header("cases", title="丙案", unit="江汉区分局刑侦大队", origin="police"),
    ]
    with translation.override("en"):
        director.post(reverse("set-language"), {"language": "en"})
        upload(director, "cases", "cases.csv", csv_bytes(headers("cases"), rows), org.offices["jianghan"])
    batch = ImportBatch.objects.get()
    assert batch.state == "failed" and Case.objects.count() == 0
    assert [e["row"] for e in batch.errors] == [3] and "cannot be before" in batch.errors[0]["message"]
    assert not AuditEvent.objects.filter(action="case.create").exists()


def test_rows_name_only_cases_the_uploader_sees(director: Client, org: Any) -> None:
    world: World = build_world(org)
    rows = [
        by_header("suspects", case=world.cases["gang"].number, name="新甲", detained_on=days_ago(9).isoformat()),
        by_header("suspects", case=world.cases["mafia"].number, name="新乙"),  # a case of another county
    ]
    before = Suspect.objects.count()
    upload(director, "suspects", "suspects.csv", csv_bytes(headers("suspects"), rows), org.offices["jianghan"])
    batch = ImportBatch.objects.get()
    assert batch.state == "failed" and Suspect.objects.count() == before
    assert [(e["row"], e["column"]) for e in batch.errors] == [(3, "案件编号")]


def test_suspects_with_their_custody_history_and_outcome(director: Client, org: Any) -> None:
    world: World = build_world(org)
    number = world.cases["gang"].number
    rows = [
        by_header("suspects", case=number, name="王甲", alias="王老二", role="首要分子",
                  detained_on=days_ago(50).isoformat(), arrested_on=days_ago(40).isoformat(), custody="逮捕",
                  outcome="有罪判决", indicted_on=days_ago(10).isoformat(), outcome_on=days_ago(5).isoformat(),
                  sentence="有期徒刑八年", sentence_months=96, birth_year=1975),
        by_header("suspects", case=number, name="王乙", role="一般成员", detained_on=days_ago(12).isoformat(),
                  custody="取保候审", custody_on=days_ago(2).isoformat(), surrendered="是"),
        by_header("suspects", case=number, name="王丙"),
    ]
    data = xlsx_bytes(headers("suspects", "en"), rows)
    upload(director, "suspects", "suspects.xlsx", data, org.offices["jianghan"])
    batch = ImportBatch.objects.get()
    assert batch.state == "done", batch.errors
    first = Suspect.objects.get(name="王甲")
    assert (first.role, first.custody, first.detained_on, first.arrested_on, first.outcome, first.sentence_months) == (
        "leader", "arrested", days_ago(50), days_ago(40), "convicted", 96)
    second = Suspect.objects.get(name="王乙")
    assert (second.custody, second.detained_on, second.surrendered) == ("bail", days_ago(12), True)
    assert list(second.custody_changes.values_list("custody", flat=True)) == ["detained", "bail"]
    assert Suspect.objects.get(name="王丙").custody == "at_large"


def test_assets_fugitives_and_umbrellas(client: Client, org: Any) -> None:
    world: World = build_world(org)
    number = world.cases["gang"].number
    client.force_login(org.users["director.jianghan"])
    assets = [
        by_header("assets", case=number, kind="银行存款", description="王某存款", amount="1,000,000.00",
                  state="冻结", secured_on=days_ago(9).isoformat()),
        by_header("assets", case=number, kind="vehicle", description="奔驰轿车", amount=350000,
                  state="扣押", secured_on=days_ago(9).isoformat(), final_state="没收",
                  final_on=days_ago(1).isoformat()),
    ]
    upload(client, "assets", "assets.csv", csv_bytes(headers("assets"), assets, encoding="gb18030"),
           org.offices["jianghan"])
    assert ImportBatch.objects.latest("pk").state == "done", ImportBatch.objects.latest("pk").errors
    assert Asset.objects.get(description="奔驰轿车").state == "confiscated"
    assert Asset.objects.get(description="王某存款").amount == Decimal("1000000.00")

    fugitives = [by_header("fugitives", name="逃甲", listed_on=days_ago(300).isoformat(), location="境外",
                           outcome="劝返", outcome_on=days_ago(3).isoformat()),
                 by_header("fugitives", name="逃乙", listed_on=days_ago(200).isoformat(), case=number)]
    upload(client, "fugitives", "fugitives.csv", csv_bytes(headers("fugitives"), fugitives), org.offices["jianghan"])
    assert ImportBatch.objects.latest("pk").state == "done", ImportBatch.objects.latest("pk").errors
    assert Fugitive.objects.get(name="逃甲").outcome == "persuaded"
    assert Fugitive.objects.get(name="逃乙").case_id == world.cases["gang"].pk

    umbrellas = [by_header("umbrellas", name="伞甲", position="某所原所长", handling_unit="江汉区纪委监委",
                           opened_on=days_ago(30).isoformat(), case=number, outcome="移送司法机关",
                           outcome_on=days_ago(2).isoformat(), party_member="是")]
    # Only the discipline commission and directors import protection cases; for others the page does not exist.
    client.force_login(org.users["chief.jianghan"])
    assert client.get(reverse("case-import", kwargs={"register": "umbrellas"})).status_code == 404
    client.force_login(org.users["head.jhdiscipline"])
    response = upload(client, "umbrellas", "umbrellas.csv", csv_bytes(headers("umbrellas"), umbrellas),
                      org.units["jh_discipline"].office)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ImportBatch.objects.latest("pk").state == "done", ImportBatch.objects.latest("pk").errors
    assert Umbrella.objects.get(name="伞甲").outcome == "transferred_judicial"


def test_bad_files_are_refused_at_upload_and_nothing_is_stored(director: Client, org: Any,
                                                               settings: Any) -> None:
    office = org.offices["jianghan"]
    good = csv_bytes(headers("fugitives"), [by_header("fugitives", name="某", listed_on="2024-01-01")])
    cases = [
        ("fugitives.pdf", good),  # wrong type
        ("fugitives.csv", b""),  # empty
        ("fugitives.csv", b"\xff\xfe\x00\x00binary"),  # not text
        ("fugitives.csv", "姓名,列入日期\n".encode("utf-16")),  # neither UTF-8 nor GB18030
        ("fugitives.xlsx", b"PK\x03\x04 not really a workbook"),  # damaged workbook
        ("fugitives.csv", csv_bytes(["名字", "日期"], [["某", "2024-01-01"]])),  # columns missing
        ("fugitives.csv", csv_bytes(headers("fugitives"), [])),  # header only
    ]
    for name, data in cases:
        response = upload(director, "fugitives", name, data, office)
        assert response.status_code == 400, name
        assert 'class="form-error"' in response.content.decode(), name
    settings.SAOHEI_IMPORT_MAX_BYTES = 100
    response = upload(director, "fugitives", "fugitives.csv", good + b" " * 200, office)
    assert response.status_code == 400
    assert ImportBatch.objects.count() == 0 and Fugitive.objects.count() == 0


def test_each_register_has_a_template_that_imports_as_it_is(director: Client, org: Any) -> None:
    for register in ("cases", "suspects", "assets", "fugitives", "umbrellas"):
        response = director.get(reverse("case-import-template", kwargs={"register": register}))
        assert response.status_code == 200
        wb = load_workbook(io.BytesIO(response.content))
        sheet = wb.worksheets[0]
        assert [c.value for c in sheet[1]] == headers(register)
        assert len(wb.sheetnames) == 3
    response = director.get(reverse("case-import-template", kwargs={"register": "fugitives"}))
    upload(director, "fugitives", "template.xlsx", response.content, org.offices["jianghan"])
    assert ImportBatch.objects.get().state == "done"
    assert director.get(reverse("case-import-template", kwargs={"register": "reviews"})).status_code == 404


def test_a_batch_is_seen_by_its_uploader_only(client: Client, org: Any) -> None:
    client.force_login(org.users["director.jianghan"])
    data = csv_bytes(headers("fugitives"), [by_header("fugitives", name="某", listed_on="2024-01-01")])
    upload(client, "fugitives", "f.csv", data, org.offices["jianghan"])
    batch = ImportBatch.objects.get()
    client.force_login(org.users["director.jiangan"])
    assert client.get(reverse("case-import-status", kwargs={"pk": batch.pk})).status_code == 404
    # An office the uploader does not belong to cannot be chosen.
    response = upload(client, "fugitives", "f.csv", data, org.offices["jianghan"])
    assert response.status_code == 400 and ImportBatch.objects.count() == 1

"""Bulk import: all rows or none, errors per row in the user's language, progress to 100%."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import Workbook, load_workbook

from saohei.intake.imports import COLUMNS
from saohei.intake.models import ImportBatch, Report, Reporter
from saohei.intake.tests.conftest import clue_model

pytestmark = pytest.mark.django_db

ZH_HEADERS = [c.zh for c in COLUMNS]
EN_HEADERS = [c.en for c in COLUMNS]


def good_row(i: int, channel: str = "hotline") -> list[Any]:
    return [
        channel,
        "2024-03-01 09:30",
        "420103",
        f"第{i}号举报：强迫交易",
        f"举报内容{i}：某人纠集多人强迫商户交易。",
        "民族街",
        f"LY{i:05d}",
        "欧阳明远" if i % 2 else "",
        "13912345678" if i % 2 else "",
        "",
    ]


def csv_bytes(rows: list[list[Any]], headers: list[str] = ZH_HEADERS, encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[Any]], headers: list[str] = ZH_HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client: Any, name: str, data: bytes, office: Any) -> Any:
    return client.post(
        reverse("report-import"), {"office": office.pk, "file": SimpleUploadedFile(name, data)}
    )


def test_good_csv_creates_one_report_and_one_clue_per_row(org: Any, clerk: Any, login: Any) -> None:
    client = login(clerk)
    response = upload(
        client, "reports.csv", csv_bytes([good_row(i) for i in range(1, 8)]), org.offices["jianghan"]
    )
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("report-import-status", kwargs={"pk": batch.pk})
    assert batch.state == "done" and batch.created_reports == 7 and batch.percent == 100
    assert Report.objects.filter(import_batch=batch).count() == 7
    assert clue_model().objects.filter(state="received").count() == 7
    assert Reporter.objects.filter(anonymous=False).count() == 4
    page = client.get(response["Location"]).content.decode()
    assert "100%" in page and 'hx-trigger="every 1s"' not in page
    assert (org.offices["jianghan"].pk, "hotline") == (
        Report.objects.first().office_id,
        Report.objects.first().channel,
    )


def test_good_xlsx_with_english_headers_and_labels(org: Any, clerk: Any, login: Any) -> None:
    rows = [
        good_row(1, "letter"),
        good_row(2, "110 incident"),
        good_row(3, "上级交办"),
        good_row(4, "WeChat"),
    ]
    rows[1][2] = 420103  # a code typed as a number
    data = xlsx_bytes(rows, headers=EN_HEADERS)
    assert upload(login(clerk), "reports.xlsx", data, org.offices["jianghan"]).status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.state == "done", batch.errors
    assert sorted(Report.objects.values_list("channel", flat=True)) == sorted(
        ["letter", "incident_110", "higher_referral", "wechat"]
    )
    assert clue_model().objects.count() == 4


def test_gb18030_csv_is_read(org: Any, clerk: Any, login: Any) -> None:
    data = csv_bytes([good_row(1, "来信")], encoding="gb18030")
    upload(login(clerk), "gbk.csv", data, org.offices["jianghan"])
    assert ImportBatch.objects.get().state == "done"
    assert Report.objects.get().subject == "第1号举报：强迫交易"


def bad_rows() -> list[list[Any]]:
    rows = [good_row(i) for i in range(1, 7)]
    rows[1][0] = "飞鸽传书"  # row 3: unknown channel
    rows[2][4] = ""  # row 4: content missing
    rows[3][2] = "420102"  # row 5: 江岸 is outside the 江汉 office
    rows[4][1] = "2024-13-45"  # row 6: not a date
    return rows


@pytest.mark.parametrize(
    ("language", "columns"),
    [
        ("zh-hans", ["渠道", "内容", "行政区划代码", "接收时间"]),
        ("en", ["channel", "content", "jurisdiction", "received_at"]),
    ],
)
def test_one_bad_row_saves_nothing_and_lists_errors_in_the_users_language(
    org: Any, clerk: Any, login: Any, language: str, columns: list[str]
) -> None:
    client = login(clerk, language)
    upload(client, "bad.csv", csv_bytes(bad_rows()), org.offices["jianghan"])
    batch = ImportBatch.objects.get()
    assert batch.state == "failed" and batch.language == language
    assert Report.objects.count() == 0 and clue_model().objects.count() == 0 and Reporter.objects.count() == 0
    found = [(e["row"], e["column"]) for e in batch.errors]
    assert found == list(zip([3, 4, 5, 6], columns, strict=True))
    with translation.override(language):
        expected = gettext("Unknown channel: %(channel)s") % {"channel": "飞鸽传书"}
        missing = gettext("The content is missing.")
    assert batch.errors[0]["message"] == expected and batch.errors[1]["message"] == missing
    page = client.get(reverse("report-import-status", kwargs={"pk": batch.pk})).content.decode()
    assert "飞鸽传书" in page and 'id="import-errors"' in page and columns[2] in page


def test_bad_xlsx_row_saves_nothing(org: Any, clerk: Any, login: Any) -> None:
    upload(login(clerk), "bad.xlsx", xlsx_bytes(bad_rows()), org.offices["jianghan"])
    batch = ImportBatch.objects.get()
    assert batch.state == "failed" and [e["row"] for e in batch.errors] == [3, 4, 5, 6]
    assert Report.objects.count() == 0


def test_five_hundred_rows_reach_100_percent(org: Any, clerk: Any, login: Any) -> None:
    client = login(clerk)
    upload(client, "big.csv", csv_bytes([good_row(i) for i in range(1, 501)]), org.offices["jianghan"])
    batch = ImportBatch.objects.get()
    assert batch.state == "done" and batch.total_rows == 500 and batch.processed_rows == 500
    assert batch.percent == 100 and batch.created_reports == 500
    assert Report.objects.count() == 500 and clue_model().objects.count() == 500
    partial = client.get(reverse("report-import-status", kwargs={"pk": batch.pk}), HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    assert "100%" in partial.content.decode()


def test_progress_partial_polls_until_done(org: Any, clerk: Any, login: Any, settings: Any) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}
    }
    client = login(clerk)
    upload(client, "queued.csv", csv_bytes([good_row(1)]), org.offices["jianghan"])
    batch = ImportBatch.objects.get()
    assert batch.state == "queued" and Report.objects.count() == 0
    partial = client.get(reverse("report-import-status", kwargs={"pk": batch.pk}), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in partial.content.decode()
    assert "0%" in partial.content.decode()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("reports.pdf", b"%PDF-1.4 something"),
        ("reports.xlsx", b"this is not a workbook"),
        ("reports.xlsx", b"PK\x03\x04broken zip"),
        ("reports.csv", b""),
        ("reports.csv", "渠道,标题\nhotline,x\n".encode()),  # content and time columns missing
        ("reports.csv", csv_bytes([])),  # header only
    ],
)
def test_unreadable_files_are_refused_at_upload(
    org: Any, clerk: Any, login: Any, name: str, data: bytes
) -> None:
    response = upload(login(clerk, "en"), name, data, org.offices["jianghan"])
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert ImportBatch.objects.count() == 0 and Report.objects.count() == 0


def test_too_many_rows_fails_the_batch(org: Any, clerk: Any, login: Any, settings: Any) -> None:
    settings.SAOHEI_IMPORT_MAX_ROWS = 3
    upload(
        login(clerk, "en"), "many.csv", csv_bytes([good_row(i) for i in range(1, 5)]), org.offices["jianghan"]
    )
    batch = ImportBatch.objects.get()
    assert batch.state == "failed" and "at most 3" in batch.errors[0]["message"]
    assert Report.objects.count() == 0


def test_too_large_file_is_refused(org: Any, clerk: Any, login: Any, settings: Any) -> None:
    settings.SAOHEI_IMPORT_MAX_BYTES = 100
    response = upload(
        login(clerk), "big.csv", csv_bytes([good_row(i) for i in range(1, 5)]), org.offices["jianghan"]
    )
    assert response.status_code == 400 and ImportBatch.objects.count() == 0


def test_template_has_headers_and_an_example_that_imports(org: Any, clerk: Any, login: Any) -> None:
    client = login(clerk)
    response = client.get(reverse("report-import-template"))
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == ZH_HEADERS and len(rows) == 2
    upload(client, "template.xlsx", response.content, org.offices["jianghan"])
    assert ImportBatch.objects.get().state == "done" and Report.objects.count() == 1


def test_only_intake_staff_import_and_see_batches(org: Any, clerk: Any, login: Any) -> None:
    upload(login(clerk), "reports.csv", csv_bytes([good_row(1)]), org.offices["jianghan"])
    batch = ImportBatch.objects.get()
    assert login(org.users["verifier.jianghan"]).get(reverse("report-import")).status_code == 403
    status = reverse("report-import-status", kwargs={"pk": batch.pk})
    assert login(org.users["clerk.jiangan"]).get(status).status_code == 404
    wrong_office = upload(login(clerk), "r.csv", csv_bytes([good_row(2)]), org.offices["jiangan"])
    assert wrong_office.status_code == 400 and ImportBatch.objects.count() == 1


def test_profile_language_decides_the_error_language(org: Any, clerk: Any, client: Any) -> None:
    from saohei.orgs.models import Profile

    Profile.objects.update_or_create(user=clerk, defaults={"language": "en"})
    client.force_login(clerk)  # login copies the profile's language into the session
    page = client.get(reverse("report-import"))
    assert page.status_code == 200 and reverse("report-import-template") in page.content.decode()
    upload(client, "bad.csv", csv_bytes(bad_rows()), org.offices["jianghan"])
    batch = ImportBatch.objects.get()
    assert batch.language == "en" and batch.errors[0]["column"] == "channel"

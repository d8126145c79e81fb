"""The report ledger and its export: filters, visibility, no identity."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from saohei.intake.tests.conftest import make_report

pytestmark = pytest.mark.django_db


def export_cells(content: bytes) -> list[str]:
    ws = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None]


def test_city_director_sees_both_counties_and_filters_by_jurisdiction(
    org: Any, city_director: Any, login: Any
) -> None:
    a = make_report(org, subject="江汉的举报")
    b = make_report(org, place="jiangan", subject="江岸的举报")
    client = login(city_director)
    html = client.get(reverse("report-ledger")).content.decode()
    assert a.number in html and b.number in html
    assert reverse("clue-detail", kwargs={"pk": a.clue_id}) in html
    only = client.get(reverse("report-ledger"), {"jurisdiction": "420102"}).content.decode()
    assert b.number in only and a.number not in only
    text = client.get(reverse("report-ledger"), {"q": "江汉的"}).content.decode()
    assert a.number in text and b.number not in text
    state = client.get(reverse("report-ledger"), {"clue_state": "valid"}).content.decode()
    assert a.number not in state
    reach = client.get(reverse("report-ledger"), {"reachable": "no"}).content.decode()
    assert a.number not in reach


def test_export_has_the_filtered_rows_and_no_identity(org: Any, city_director: Any, login: Any) -> None:
    a = make_report(org, subject="江汉的举报")
    b = make_report(org, place="jiangan", subject="江岸的举报")
    response = login(city_director).get(reverse("report-export"), {"jurisdiction": "420103"})
    assert response.status_code == 200
    cells = export_cells(response.content)
    assert a.number in cells and b.number not in cells
    joined = " ".join(cells)
    assert "欧阳明远" not in joined and "13912345678" not in joined and "42010319800101123X" not in joined


def test_county_clerk_sees_only_own_county(org: Any, clerk: Any, login: Any) -> None:
    a = make_report(org, subject="江汉的举报")
    b = make_report(org, place="jiangan", subject="江岸的举报")
    html = login(clerk).get(reverse("report-ledger")).content.decode()
    assert a.number in html and b.number not in html
    assert login(clerk).get(reverse("report-detail", kwargs={"pk": b.pk})).status_code == 404

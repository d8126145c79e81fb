"""The clue ledger: filters, visibility, the Excel export and a query count that does not grow."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from saohei.clues import services
from saohei.clues.models import Assignment, Clue, OffenceCategory
from saohei.clues.tests.helpers import receive, triage_valid


def _jiangan_assigned(org, subject: str = "江岸区某砂场老板垄断运输") -> Clue:
    clue = receive(org, subject=subject, place="jiangan")
    clerk = org.users["clerk.jiangan"]
    services.clue_triage(
        clue=clue,
        actor=clerk,
        decision="valid",
        category=OffenceCategory.objects.get(code="forced_transactions"),
        priority=2,
    )
    services.clue_assign(clue=clue, unit=org.units["ja_dazhi"], actor=clerk)
    return Clue.objects.get(pk=clue.pk)


def _export_numbers(client, query: str) -> list[str]:
    response = client.get(reverse("clue-export") + "?" + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return [row[0] for row in rows[1:]]


@pytest.fixture
def clues(org):
    received = receive(org, subject="民族街KTV强迫交易")
    valid = triage_valid(org, receive(org, subject="汉正街市场欺行霸市"))
    overdue = receive(org, subject="万松园路放高利贷")
    triage_valid(org, overdue)
    services.clue_assign(clue=overdue, unit=org.units["jh_minzu"], actor=org.users["clerk.jianghan"])
    late = timezone.localdate() - dt.timedelta(days=10)
    Assignment.objects.filter(clue=overdue).update(deadline=late)
    Clue.objects.filter(pk=overdue.pk).update(deadline=late)
    jiangan = _jiangan_assigned(org)
    return {
        "received": received,
        "valid": Clue.objects.get(pk=valid.pk),
        "overdue": Clue.objects.get(pk=overdue.pk),
        "jiangan": jiangan,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("state=received", {"received"}),
        ("state=valid&state=assigned", {"valid", "overdue", "jiangan"}),
        ("jurisdiction=420103", {"received", "valid", "overdue"}),
        ("jurisdiction=420102", {"jiangan"}),
        ("overdue=true", {"overdue"}),
        ("q=欺行霸市", {"valid"}),
        ("", {"received", "valid", "overdue", "jiangan"}),
    ],
)
def test_the_ledger_and_its_export_show_exactly_the_filtered_clues(
    client, clues, city_director, query, expected
):
    client.force_login(city_director)
    response = client.get(reverse("clue-ledger") + "?" + query)
    assert response.status_code == 200
    html = response.content.decode()
    for key, clue in clues.items():
        assert (f'data-clue="{clue.pk}"' in html) == (key in expected), key
    assert sorted(_export_numbers(client, query)) == sorted(clues[k].number for k in expected)


def test_ledger_rows_show_state_deadline_level_and_reports(client, clues, clerk):
    client.force_login(clerk)
    html = client.get(reverse("clue-ledger") + "?overdue=true").content.decode()
    assert "overdue-3" in html  # ten days late: orange
    assert "state-assigned" in html
    assert reverse("clue-detail", kwargs={"pk": clues["overdue"].pk}) in html
    assert reverse("clue-export") + "?overdue=true" in html


def test_a_table_only_response_for_htmx_filtering(client, clues, clerk):
    client.force_login(clerk)
    response = client.get(reverse("clue-ledger") + "?state=received&partial=table", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert f'data-clue="{clues["received"].pk}"' in html
    assert f'data-clue="{clues["valid"].pk}"' not in html


def test_sorting_by_a_column_does_not_clash_with_the_filter_sort(client, clues, city_director):
    client.force_login(city_director)
    html = client.get(reverse("clue-ledger") + "?order=-number").content.decode()
    positions = sorted((html.find(f'data-clue="{c.pk}"'), c.number) for c in clues.values())
    assert [n for _p, n in positions] == sorted((c.number for c in clues.values()), reverse=True)


def test_another_countys_verifier_never_sees_a_jianghan_clue(client, clues, other_verifier):
    client.force_login(other_verifier)
    html = client.get(reverse("clue-ledger")).content.decode()
    assert f'data-clue="{clues["jiangan"].pk}"' in html
    for key in ("received", "valid", "overdue"):
        assert f'data-clue="{clues[key].pk}"' not in html
    assert _export_numbers(client, "") == [clues["jiangan"].number]
    assert _export_numbers(client, "jurisdiction=420103") == []


def test_the_ledger_query_count_does_not_grow_with_the_page_size(
    client, org, city_director, django_assert_max_num_queries
):
    for i in range(12):
        clue = receive(org, subject=f"线索{i}", place="jianghan" if i % 2 else "jiangan")
        if i % 3 == 0 and i % 2:
            triage_valid(org, clue)
    client.force_login(city_director)
    client.get(reverse("clue-ledger"))  # warm the session
    with CaptureQueriesContext(connection) as small:
        response = client.get(reverse("clue-ledger") + "?per_page=10")
    assert response.content.decode().count("data-clue=") == 10
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("clue-ledger") + "?per_page=100")
    assert response.content.decode().count("data-clue=") == 12

"""The figures page: form, numbers that link to rows, charts from local static files, Excel."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from saohei.figures.tests.scenario import WUHAN


def get(client, user, **params):
    client.force_login(user)
    return client.get(reverse("figures-clues"), params)


def test_the_page_shows_the_widest_jurisdiction_this_year_by_default(org, scenario, client):
    response = get(client, org.users["director.wuhan"])
    assert response.status_code == 200
    form = response.context["form"]
    today = timezone.localdate()
    assert form.cleaned_data["jurisdiction"].code == "420100"
    assert (form.cleaned_data["start"], form.cleaned_data["end"]) == (dt.date(today.year, 1, 1), today)
    assert [j.code for j in form.choices()] == ["420100", "420102", "420103"]


def test_every_number_links_to_its_rows(org, scenario, client):
    response = get(
        client,
        org.users["director.wuhan"],
        jurisdiction="420100",
        start=scenario.start.isoformat(),
        end=scenario.end.isoformat(),
    )
    assert response.status_code == 200
    body = response.content.decode()
    figures = response.context["figures"]
    ledger = reverse("clue-ledger")
    card = body.split('id="kpi-valid"', 1)[1].split("</div>\n  </div>", 1)[0]
    assert f'href="{ledger}?' in card and f">{WUHAN['valid']}</a>" in card
    assert figures.totals.valid.url.replace("&", "&amp;") in body
    assert figures.totals.feedback_given.url.replace("&", "&amp;") in body
    for unit in figures.overdue_by_unit:
        assert unit.count.url.replace("&", "&amp;") in body
    assert "江汉区分局民族街派出所" in body and "江岸区" in body


def test_charts_come_from_local_static_files_never_a_cdn(org, scenario, client):
    body = get(client, org.users["director.wuhan"]).content.decode()
    assert '<script src="/static/vendor/echarts/dist/echarts.min.js" defer></script>' in body
    assert '<script src="/static/saohei/figures.js" defer></script>' in body
    assert not re.search(r"<script[^>]+src=[\"']?(https?:)?//", body)
    assert 'id="figures-trend"' in body and 'id="figures-children"' in body
    assert finders.find("vendor/echarts/dist/echarts.min.js")
    assert finders.find("saohei/figures.js")


def test_chart_data_is_embedded_as_json(org, scenario, client):
    response = get(
        client,
        org.users["director.wuhan"],
        jurisdiction="420100",
        start=scenario.start.isoformat(),
        end=scenario.end.isoformat(),
    )
    charts = response.context["charts"]
    assert charts["children"]["labels"] == ["江岸区", "江汉区"]
    received = charts["children"]["series"][0]
    assert received["data"] == [2, 7] and all(
        u.startswith(reverse("report-ledger")) for u in received["urls"]
    )
    assert sum(charts["trend"]["series"][1]["data"]) == WUHAN["valid"]


def test_a_jurisdiction_outside_the_users_reach_is_refused_with_a_message(org, scenario, client):
    response = get(
        client,
        org.users["verifier.jiangan"],
        jurisdiction="420103",
        start=scenario.start.isoformat(),
        end=scenario.end.isoformat(),
    )
    assert response.status_code == 400
    assert response.context["figures"] is None
    assert "江汉区" in response.context["form"].errors["jurisdiction"][0]


def test_the_verifier_of_jiangan_gets_figures_of_jiangan(org, scenario, client):
    response = get(client, org.users["verifier.jiangan"])
    assert response.status_code == 200
    assert response.context["figures"].jurisdiction.code == "420102"
    assert response.context["figures"].totals.valid.value == 1


@pytest.mark.parametrize(
    "params",
    [
        {"jurisdiction": "420100", "start": "2025-13-01", "end": "2025-12-31"},
        {"jurisdiction": "999999", "start": "2025-01-01", "end": "2025-12-31"},
        {"jurisdiction": "420100", "start": "2025-06-01", "end": "2025-01-01"},
        {"jurisdiction": "420100", "start": "1900-01-01", "end": "2025-01-01"},
        {"jurisdiction": "<script>", "start": "", "end": ""},
    ],
)
def test_bad_input_gets_an_error_not_a_crash(org, client, params):
    response = get(client, org.users["director.wuhan"], **params)
    assert response.status_code == 400
    assert response.context["form"].errors


def test_someone_without_a_role_is_told_so(org, client):
    from saohei.orgs.services import user_create

    nobody = user_create(username="nobody", password="demo-password", display_name="无岗位")
    response = get(client, nobody)
    assert response.status_code == 200 and response.context["figures"] is None


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(reverse("figures-clues"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_excel_download_holds_the_figures_table(org, scenario, client):
    client.force_login(org.users["director.wuhan"])
    response = client.get(
        reverse("figures-clues-export"),
        {"jurisdiction": "420100", "start": scenario.start.isoformat(), "end": scenario.end.isoformat()},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    summary, children, units, weeks = (list(ws.iter_rows(values_only=True)) for ws in wb.worksheets)
    values = [row[1] for row in summary[3:]]
    # reports, valid, valid rate, assigned, concluded, verification rate, on-time rate, overdue,
    # repeat rate, feedback rate
    assert values == [9, 5, 71.4, 4, 2, 40.0, 50.0, 2, 11.1, 12.5]
    assert summary[5][2:] == (5, 7)  # valid rate: numerator and denominator
    assert [(r[0], r[1], r[2]) for r in children[1:]] == [("420102", "江岸区", 2), ("420103", "江汉区", 7)]
    assert {r[0]: r[2] for r in units[1:]}["江岸区分局大智街派出所"] == 1
    assert sum(r[4] for r in weeks[1:]) == 5


def test_excel_download_with_bad_input_is_refused(org, client):
    client.force_login(org.users["director.wuhan"])
    response = client.get(
        reverse("figures-clues-export"), {"jurisdiction": "420100", "start": "x", "end": "y"}
    )
    assert response.status_code == 400


def test_the_page_shows_rewards_paid_with_a_link_to_the_reward_ledger(client, org):
    client.force_login(org.users["director.wuhan"])
    page = client.get(reverse("figures-clues"), {"jurisdiction": "420100", "start": "2026-01-01",
                                                 "end": "2026-12-31"}).content.decode()
    assert 'id="kpi-rewards"' in page
    assert reverse("reward-ledger") + "?state=paid&amp;jurisdiction=420100" in page

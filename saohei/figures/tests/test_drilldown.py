"""Every figure's link lists exactly the rows it counts."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.http import QueryDict
from django.urls import reverse

from saohei.clues.filtersets import ClueFilterSet
from saohei.clues.models import Clue
from saohei.figures.kpis import (
    CLUE_COUNTS,
    CLUE_LEDGER,
    REPORT_COUNTS,
    REPORT_LEDGER,
    ClueFigures,
    Figure,
    clue_figures,
)


def all_figures(f: ClueFigures) -> list[tuple[str, Figure]]:
    out = [(f"total {n}", getattr(f.totals, n)) for n in CLUE_COUNTS + REPORT_COUNTS]
    for row in f.by_child:
        if row.figures.triaged.linkable:
            out += [(f"{row.code} {n}", getattr(row.figures, n)) for n in CLUE_COUNTS + REPORT_COUNTS]
    for p in f.trend:
        out += [
            (f"{p.label} received", p.reports_received),
            (f"{p.label} valid", p.valid),
            (f"{p.label} concluded", p.concluded),
        ]
    out += [(f"overdue {u.unit_name}", u.count) for u in f.overdue_by_unit]
    return out


def clue_rows(user, fig: Figure) -> int:
    fs = ClueFilterSet(QueryDict(fig.query), queryset=Clue.objects.visible_to(user))
    assert fs.is_valid(), fs.errors
    return fs.qs.count()


CASES = [
    ("director.wuhan", "wuhan"),
    ("director.wuhan", "jianghan"),
    ("clerk.jianghan", "wuhan"),
    ("verifier.jiangan", "wuhan"),
    ("verifier.jiangan", "jianghan"),
    ("admin", "hubei"),
]


@pytest.mark.parametrize(("username", "place"), CASES)
def test_each_clue_figure_counts_the_rows_of_its_ledger_filter(org, scenario, username, place):
    user = org.users[username]
    f = clue_figures(user=user, jurisdiction=org.places[place], start=scenario.start, end=scenario.end)
    checked = 0
    for name, fig in all_figures(f):
        if fig.ledger != CLUE_LEDGER:
            continue
        assert clue_rows(user, fig) == fig.value, name
        checked += 1
    assert checked >= len(CLUE_COUNTS) + 3


def test_links_open_the_ledgers_with_the_filter(org, scenario):
    f = clue_figures(
        user=org.users["director.wuhan"],
        jurisdiction=org.places["wuhan"],
        start=scenario.start,
        end=scenario.end,
    )
    valid = urlsplit(f.totals.valid.url)
    assert valid.path == reverse("clue-ledger")
    q = QueryDict(valid.query)
    assert q["jurisdiction"] == "420100"
    assert (q["triaged_from"], q["triaged_to"]) == (scenario.start.isoformat(), scenario.end.isoformat())
    assert set(q.getlist("state")) == {
        "valid",
        "assigned",
        "verifying",
        "concluded",
        "signed",
        "closed",
        "review",
    }
    feedback = urlsplit(f.totals.feedback_given.url)
    assert feedback.path == reverse("report-ledger")
    assert QueryDict(feedback.query).dict() == {
        "jurisdiction": "420100",
        "received_from": scenario.start.isoformat(),
        "received_to": scenario.end.isoformat(),
        "voided": "no",
        "public": "yes",
        "reachable": "yes",
        "feedback": "yes",
    }
    unit = f.overdue_by_unit[0].count
    assert QueryDict(urlsplit(unit.url).query)["overdue"] == "true"


def test_overdue_unit_links_through_the_ledger_page(org, scenario, client):
    """When the clue ledger page exists, a unit's overdue link shows that unit's overdue clues."""
    from django.urls import resolve

    f = clue_figures(
        user=org.users["director.wuhan"],
        jurisdiction=org.places["wuhan"],
        start=scenario.start,
        end=scenario.end,
    )
    url = next(u.count.url for u in f.overdue_by_unit if u.unit_name == "江岸区分局大智街派出所")
    if resolve(urlsplit(url).path).url_name != "clue-ledger":
        pytest.skip("the clue ledger page is not built yet")
    client.force_login(org.users["director.wuhan"])
    body = client.get(url).content.decode()
    assert scenario.clues["A1"].number in body
    assert scenario.clues["J3"].number not in body


@pytest.mark.parametrize(("username", "place"), CASES)
def test_each_report_figure_counts_the_rows_of_the_report_ledger(org, scenario, username, place):
    filtersets = pytest.importorskip("saohei.intake.filtersets")
    ReportFilterSet = getattr(filtersets, "ReportFilterSet", None)
    if ReportFilterSet is None:
        pytest.skip("the report ledger's filter set is not built yet")
    from saohei.intake.models import Report

    user = org.users[username]
    visible = Report.objects.filter(clue__in=Clue.objects.visible_to(user).values("pk"))
    f = clue_figures(user=user, jurisdiction=org.places[place], start=scenario.start, end=scenario.end)
    for name, fig in all_figures(f):
        if fig.ledger != REPORT_LEDGER:
            continue
        fs = ReportFilterSet(QueryDict(fig.query), queryset=visible)
        assert fs.is_valid(), fs.errors
        assert fs.qs.count() == fig.value, name

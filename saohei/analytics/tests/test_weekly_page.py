"""周研判 page: the city director sees his counties' hotspots and the rise in 江汉, a clerk of 江岸 sees none of
江汉, the clue lists link to the clues, and the Excel and PDF documents say what the page says.

The world, hand-counted (weeks are ISO weeks, W0 the current one; each clue is received through the
intake services and its ``created_at`` moved back by whole weeks):

| place | W-4 | W-3       | W-2              | W-1 | W0                                                     |
|-------|-----|-----------|------------------|-----|--------------------------------------------------------|
| 江汉  | 1   | 1 overdue | 1 repeated in W0 | 1   | 8: 6 provoking trouble, 1 forced trading, 1 untriaged  |
| 江岸  | 1   | 1         | 1                | 1   | 1                                                      |

plus, in W0, a duplicate of the W-2 clue of 江汉.

The triaged 江汉 clues are 寻衅滋事 (provoking trouble) of normal priority but one, 强迫交易 (forced trading) of
high priority (``triage_valid``); all 江岸 clues are 敲诈勒索 (extortion). The duplicate is not counted as a
clue received: it is the W-2 matter reported again.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import types
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from saohei.analytics.scoring import clue_score_update
from saohei.analytics.weekly import IsoWeek
from saohei.clues import services
from saohei.clues.models import Assignment, Clue, OffenceCategory
from saohei.clues.tests.helpers import receive, triage_valid

pytestmark = pytest.mark.urls("saohei.analytics.tests.urls_weekly_test")


# --- the world -----------------------------------------------------------------------------------


@dataclass
class World:
    week: IsoWeek
    overdue: Clue
    on_time: Clue
    repeated: Clue
    duplicate: Clue
    high: Clue
    jianghan_now: list[Clue]


def _received(org: Any, *, place: str, label: str, weeks_ago: int) -> Clue:
    clue = receive(org, place=place, subject=f"{label}：某KTV老板纠集人员滋事",
                   content=f"举报人称：{label}，有人在{place}一带多次寻衅滋事，殴打商户。",
                   contact=f"1380000{weeks_ago:02d}{len(label):02d}")
    if weeks_ago:
        moved = timezone.now() - dt.timedelta(weeks=weeks_ago)
        Clue.objects.filter(pk=clue.pk).update(created_at=moved)
    return Clue.objects.get(pk=clue.pk)


def _triage(org: Any, clue: Clue, *, priority: int = 3) -> Clue:
    jiangan = clue.jurisdiction.code == "420102"
    return services.clue_triage(
        clue=clue, actor=org.users["clerk.jiangan" if jiangan else "clerk.jianghan"], decision="valid",
        category=OffenceCategory.objects.get(code="extortion" if jiangan else "provoking_trouble"), priority=priority)


def _assign(org: Any, clue: Clue, *, late_days: int | None = None) -> Clue:
    services.clue_assign(clue=clue, unit=org.units["jh_minzu"], actor=org.users["clerk.jianghan"])
    if late_days is not None:
        past = timezone.localdate() - dt.timedelta(days=late_days)
        Clue.objects.filter(pk=clue.pk).update(deadline=past)
        Assignment.objects.filter(clue=clue, active=True).update(deadline=past)
    return Clue.objects.get(pk=clue.pk)


@pytest.fixture
def world(org: Any) -> World:
    past = {k: _triage(org, _received(org, place="jianghan", label=f"江汉W-{k}", weeks_ago=k)) for k in (4, 3, 2, 1)}
    for k in (4, 3, 2, 1, 0):
        _triage(org, _received(org, place="jiangan", label=f"江岸W-{k}", weeks_ago=k))
    overdue = _assign(org, past[3], late_days=3)
    on_time = _assign(org, past[1])
    now = [_triage(org, _received(org, place="jianghan", label=f"江汉本周{i}", weeks_ago=0)) for i in range(6)]
    high = triage_valid(org, _received(org, place="jianghan", label="江汉本周急", weeks_ago=0))
    untriaged = _received(org, place="jianghan", label="江汉本周未研判", weeks_ago=0)
    duplicate = services.clue_triage(clue=_received(org, place="jianghan", label="江汉本周重复", weeks_ago=0),
                                     actor=org.users["clerk.jianghan"], decision="duplicate", duplicate_of=past[2])
    return World(IsoWeek.of(timezone.localdate()), overdue, on_time, Clue.objects.get(pk=past[2].pk), duplicate,
                 high, [*now, high, untriaged])


# --- reading what the user sees ------------------------------------------------------------------


class _Tables(HTMLParser):
    """The text of every cell of the tables of a page, by table id; links kept as (text, href)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.links: dict[str, list[tuple[str, str]]] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None
        self._href: str | None = None
        self._link_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and a.get("id"):
            self._table = a["id"]
            self.tables[self._table], self.links[self._table] = [], []
        elif self._table and tag == "tr":
            self.tables[self._table].append([])
        elif self._table and tag in ("td", "th"):
            self._cell = []
        elif self._table and tag == "a":
            self._href, self._link_text = a.get("href") or "", []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = None
        elif self._table and tag in ("td", "th") and self._cell is not None:
            self.tables[self._table][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif self._table and tag == "a" and self._href is not None:
            self.links[self._table].append(("".join(self._link_text).strip(), self._href))
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._href is not None:
            self._link_text.append(data)


def tables(body: str) -> _Tables:
    parser = _Tables()
    parser.feed(body)
    return parser


def by_place(rows: list[list[str]]) -> dict[str, list[str]]:
    """Body rows of a table keyed by their first cell (the header row dropped)."""
    return {row[0]: row[1:] for row in rows[1:]}


def grid(rows: list[list[str]]) -> dict[str, dict[str, str]]:
    """A table as {row header: {column header: cell}}."""
    return {row[0]: dict(zip(rows[0][1:], row[1:], strict=True)) for row in rows[1:]}


def get(client: Any, user: Any, name: str = "weekly-analysis", *args: str, **params: Any) -> Any:
    from saohei.orgs.services import profile_set_language

    profile_set_language(user=user, language="en")
    client.force_login(user)
    return client.get(reverse(name, args=args), params)


# --- the tests -----------------------------------------------------------------------------------


def test_the_city_director_sees_the_hotspots_of_his_counties(org, world, client):
    response = get(client, org.users["director.wuhan"])

    assert response.status_code == 200
    assert response.context["form"].cleaned_data["jurisdiction"].code == "420100"  # his office, by default
    page = tables(response.content.decode())
    with translation.override("en"):
        provoking, extortion, forced = (str(OffenceCategory.objects.get(code=code))
                                        for code in ("provoking_trouble", "extortion", "forced_transactions"))
    heat = grid(page.tables["weekly-heat"])
    assert heat == {
        "江岸区": {provoking: "0", extortion: "1", forced: "0", "Not yet categorised": "0", "Total": "1"},
        "江汉区": {provoking: "6", extortion: "0", forced: "1", "Not yet categorised": "1", "Total": "8"},
        "Total": {provoking: "6", extortion: "1", forced: "1", "Not yet categorised": "1", "Total": "9"},
    }
    hotspots = [(row[1], row[2], row[3]) for row in page.tables["weekly-hotspots"][1:]]
    assert hotspots[0] == ("江汉区", provoking, "6")
    assert ("江岸区", extortion, "1") in hotspots and ("江汉区", forced, "1") in hotspots
    ledger = [href for text, href in page.links["weekly-hotspots"] if text == "6"]
    assert ledger and ledger[0].startswith(reverse("clue-ledger") + "?") and "category=provoking_trouble" in ledger[0]


def test_the_hotspot_link_lists_exactly_the_clues_counted(org, world, client):
    response = get(client, org.users["director.wuhan"])
    [href] = [href for text, href in tables(response.content.decode()).links["weekly-hotspots"] if text == "6"]

    ledger = client.get(href.replace("&amp;", "&"))

    assert ledger.status_code == 200
    body = ledger.content.decode()
    shown = [c for c in world.jianghan_now if c.title in body]
    assert len(shown) == 6 and world.duplicate.title not in body and world.overdue.title not in body
    assert world.high.title not in body  # another category


def test_a_clerk_of_another_county_sees_neither_the_clues_nor_the_counts_of_the_first(org, world, client):
    clerk = org.users["clerk.jiangan"]
    response = get(client, clerk)

    assert response.status_code == 200
    body = response.content.decode()
    assert response.context["form"].cleaned_data["jurisdiction"].code == "420102"
    assert "江汉" not in body
    assert by_place(tables(body).tables["weekly-heat"])["江岸区"][-1] == "1"
    assert by_place(tables(body).tables["weekly-weeks"])["Total"] == ["1", "1", "1", "1", "1"]

    for code in ("420103", "420100"):  # 江汉, and the city above both
        refused = get(client, clerk, jurisdiction=code)
        assert refused.status_code == 400 and refused.context["page"] is None
        text = refused.content.decode()
        assert "You may not see the analysis of" in text and 'id="weekly-heat"' not in text
        assert all(c.title not in text for c in world.jianghan_now)
    export = get(client, clerk, "weekly-analysis-export", "xlsx", jurisdiction="420103")
    assert export.status_code == 400 and export["Content-Type"].startswith("text/html")


def test_a_station_officer_counts_only_the_clues_assigned_to_his_station(org, world, client):
    response = get(client, org.users["verifier.jianghan"])  # 民族街派出所: the W-3 and W-1 clues are assigned there

    page = tables(response.content.decode())
    assert by_place(page.tables["weekly-weeks"])["Total"] == ["0", "1", "0", "1", "0"]
    assert "No clue was received in this week." in response.content.decode()
    assert [row[1] for row in page.tables["weekly-overdue"][1:]] == [world.overdue.title]
    assert "weekly-high" not in page.tables  # the high-priority clue is not his station's


def test_a_county_jumping_from_one_a_week_to_eight_is_a_rising_trend(org, world, client):
    response = get(client, org.users["director.wuhan"])

    rising = {(row[0], row[1]): row[2:] for row in tables(response.content.decode()).tables["weekly-rising"][1:]}
    with translation.override("en"):
        provoking = str(OffenceCategory.objects.get(code="provoking_trouble"))
    assert rising[("江汉区", "All categories")][:3] == ["8", "1.0", "×8.0"]
    assert rising[("江汉区", "All categories")][-1] == "8 clues this week against about 1 a week before"
    assert rising[("江汉区", provoking)][-1] == "6 clues this week against about 1 a week before"
    assert not any(place == "江岸区" for place, _category in rising)  # one a week, steady


def test_a_quiet_week_shows_no_rise(org, world, client):
    response = get(client, org.users["director.wuhan"], week=str(world.week.shifted(-1)))

    body = response.content.decode()
    assert response.status_code == 200 and 'id="weekly-rising"' not in body
    assert "No rise stands out in this week." in body


def test_overdue_repeated_and_high_priority_clues_are_listed_with_links_to_them(org, world, client):
    response = get(client, org.users["director.wuhan"])
    page = tables(response.content.decode())

    overdue = page.tables["weekly-overdue"]
    assert [row[1] for row in overdue[1:]] == [world.overdue.title]
    assert overdue[1][overdue[0].index("Days overdue")] == "3"
    detail = reverse("clue-detail", kwargs={"pk": world.overdue.pk})
    assert (world.overdue.title, detail) in page.links["weekly-overdue"]
    assert world.on_time.title not in str(overdue)
    repeated = page.tables["weekly-repeated"]
    assert [(row[1], row[repeated[0].index("Reports")]) for row in repeated[1:]] == [(world.repeated.title, "2")]
    high = [row[1] for row in page.tables["weekly-high"][1:]]
    assert high == [world.high.title]


def test_the_clue_lists_show_the_analysed_priority_where_it_was_computed(org, world, client):
    score = clue_score_update(clue_id=world.high.pk)
    assert score is not None
    page = tables(get(client, org.users["director.wuhan"]).content.decode())
    high = page.tables["weekly-high"]
    assert high[1][high[0].index("Analysed")] == str(score.score)
    overdue = page.tables["weekly-overdue"]
    assert overdue[1][overdue[0].index("Analysed")] == "—"  # not computed for that clue


def test_a_long_list_says_how_many_there_are_and_opens_the_ledger_for_the_rest(org, world, client, monkeypatch):
    monkeypatch.setattr("saohei.analytics.weekly_selectors.LIST_LIMIT", 0)

    response = get(client, org.users["director.wuhan"])

    body = response.content.decode()
    section = body.split("<h2>Overdue clues</h2>", 1)[1].split("</section>", 1)[0]
    assert "Showing 0 of 1." in section and "No clue is overdue." not in section
    assert f'href="{reverse("clue-ledger")}?jurisdiction=420100&amp;overdue=true"' in section


def test_the_week_picker_moves_back_and_forth(org, world, client):
    director = org.users["director.wuhan"]
    response = get(client, director)
    page = tables(response.content.decode())
    body = response.content.decode()
    assert 'rel="next"' not in body  # nothing after this week
    earlier = str(world.week.shifted(-1))

    back = get(client, director, week=earlier)

    assert back.context["form"].cleaned_data["week"] == world.week.shifted(-1)
    assert by_place(tables(back.content.decode()).tables["weekly-heat"])["江汉区"][-1] == "1"
    assert f"week={world.week}" in back.content.decode().split('rel="next"')[0].rsplit("<a", 1)[1]
    assert by_place(page.tables["weekly-weeks"])["江汉区"] == ["1", "1", "1", "1", "8"]
    future = get(client, director, week=str(world.week.shifted(1)))
    assert future.status_code == 400 and "That week has not begun yet." in future.content.decode()
    nonsense = get(client, director, week="2026-W60")
    assert nonsense.status_code == 400 and "Give a week as 2026-W05" in nonsense.content.decode()


def test_the_excel_workbook_holds_the_counts_of_the_page(org, world, client):
    director = org.users["director.wuhan"]
    page = tables(get(client, director).content.decode())

    response = get(client, director, "weekly-analysis-export", "xlsx")

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="weekly-420100-{world.week}.xlsx"'
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["Overview", "Hotspots", "Jurisdiction x category", "Week by week", "Rising trends",
                               "Overdue", "Repeated", "High priority"]

    def sheet(name: str) -> list[list[str]]:
        return [["" if v is None else str(v) for v in row] for row in book[name].iter_rows(values_only=True)]

    assert sheet("Jurisdiction x category") == page.tables["weekly-heat"]
    assert sheet("Week by week") == page.tables["weekly-weeks"]
    assert [row[:4] for row in sheet("Hotspots")[1:]] == [row[:4] for row in page.tables["weekly-hotspots"][1:]]
    [jianghan] = [row for row in sheet("Rising trends")[1:] if row[0] == "江汉区" and row[1] == "All categories"]
    assert jianghan[2] == "8" and jianghan[-1] == "8 clues this week against about 1 a week before"
    [late] = sheet("Overdue")[1:]
    assert late[1] == world.overdue.title and late[-1].endswith(reverse("clue-detail", kwargs={"pk": world.overdue.pk}))
    assert late[-1].startswith("http://testserver/")


def test_a_title_that_looks_like_a_formula_stays_text_in_the_workbook(org, world, client):
    Clue.objects.filter(pk=world.high.pk).update(title="=HYPERLINK(\"http://evil\")")

    response = get(client, org.users["director.wuhan"], "weekly-analysis-export", "xlsx")

    book = load_workbook(io.BytesIO(response.content), read_only=True)
    titles = [row[1] for row in book["High priority"].iter_rows(min_row=2, values_only=True)]
    assert titles == ["'=HYPERLINK(\"http://evil\")"]


def test_the_pdf_is_a_pdf(org, world, client):
    pytest.importorskip("weasyprint", reason="WeasyPrint is not installed in .venv")

    response = get(client, org.users["director.wuhan"], "weekly-analysis-export", "pdf")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_pdf_is_made_from_the_printable_document(org, world, client, monkeypatch):
    """The wiring to WeasyPrint, with a stand-in that records what it is given (the real one may be absent)."""
    given: dict[str, str] = {}

    class FakeHTML:
        def __init__(self, *, string: str, base_url: str) -> None:
            given.update(string=string, base_url=base_url)

        def write_pdf(self) -> bytes:
            return b"%PDF-1.7 stand-in"

    monkeypatch.setitem(sys.modules, "weasyprint", types.SimpleNamespace(HTML=FakeHTML))

    response = get(client, org.users["director.wuhan"], "weekly-analysis-export", "pdf")

    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == f'attachment; filename="weekly-420100-{world.week}.pdf"'
    assert given["base_url"] == "http://testserver/"
    assert "Weekly analysis of 武汉市" in given["string"] and "Noto Sans CJK SC" in given["string"]
    assert world.overdue.title in given["string"]


def test_without_weasyprint_the_user_is_told_and_offered_the_other_documents(org, world, client, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # importing it now fails, as when it is not installed

    response = get(client, org.users["director.wuhan"], "weekly-analysis-export", "pdf")

    assert response.status_code == 503
    body = response.content.decode()
    assert "WeasyPrint is not installed" in body
    assert reverse("weekly-analysis-export", args=["xlsx"]) in body


def test_the_printable_document_is_the_page_in_print_form(org, world, client):
    director = org.users["director.wuhan"]
    page = tables(get(client, director).content.decode())

    response = get(client, director, "weekly-analysis-export", "html")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Weekly analysis of 武汉市, week " + str(world.week) in body
    assert "Noto Sans CJK SC" in body  # without a CJK font every Chinese glyph would be an empty box
    document = tables(body)
    assert document.tables["weekly-heat"] == page.tables["weekly-heat"]
    assert any(href == "http://testserver" + reverse("clue-detail", kwargs={"pk": world.overdue.pk})
               for _text, href in document.links["weekly-overdue"])


def test_someone_without_a_role_is_told_there_is_nothing_to_see(org, client, django_user_model):
    nobody = django_user_model.objects.create_user(username="nobody", password="x")

    response = get(client, nobody)

    assert response.status_code == 200
    assert "there is no analysis for you to see" in response.content.decode()

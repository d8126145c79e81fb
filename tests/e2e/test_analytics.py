"""The analytics pages in Chromium, in the default language (简体): the network page an analyst explores, the weekly
analysis (周研判) and its documents, and the two panels of the clue page (possible repeats, entities in the text).

The worlds are built with the intake, clue and case services, as the unit tests of saohei/analytics do; the texts
are theirs. Every label the tests look for is read from the same catalogs the server uses (`label`), so a missing
translation shows up as English text on a Chinese page.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext_lazy, pgettext_lazy

from saohei.analytics.entity_services import record_entities_extract
from saohei.analytics.models import RepeatDecision, RepeatMatch
from saohei.analytics.tests.test_entity_services import GANG, JIANGAN, mentions, received
from saohei.analytics.tests.test_network_page import ZHAO, ZHOU
from saohei.analytics.tests.test_repeat_intake import AGAIN_TRADITIONAL, FIRST
from saohei.cases import services as case_services
from saohei.cases.models import Case
from saohei.cases.tests.case_helpers import days_ago, new_case
from saohei.clues import services as clue_services
from saohei.clues.choices import State
from saohei.clues.models import Clue, OffenceCategory
from saohei.clues.tests.helpers import receive
from tests.e2e.pages import label, shot, state_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CJK = re.compile(r"[\u4e00-\u9fff]")


def chinese(lazy: Any) -> str:
    """The 简体 text of a msgid, checked to be a translation (not the English msgid shown as is)."""
    text = label(lazy)
    assert CJK.search(text), f"{lazy!r} is not translated into 简体: {text!r}"
    return text


def cells(page: Any, selector: str) -> list[list[str]]:
    """The body rows of a table as the user reads them."""
    return page.locator(f"{selector} tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.children).map(c => c.innerText.trim()))")


def download(page: Any, click: Any, *, timeout: float = 30_000) -> tuple[str, bytes]:
    with page.expect_download(timeout=timeout) as info:
        click()
    item = info.value
    return item.suggested_filename, Path(item.path()).read_bytes()


# --- the network page ------------------------------------------------------------------------------------------------


@dataclass
class Network:
    gang: Clue
    zhou: Clue
    zhao: Clue
    case: Case
    jiangan: Clue


@pytest.fixture
def network(e2e_org: Any) -> Network:
    """Three 江汉 clues naming 派出所所长王建国 with one gang member each, the gang's case with its three suspects and a
    protection case opened on 王建国 (the evidence of a protection candidate); one 江岸 clue, assigned to 大智街派出所,
    naming 李四海."""
    org = e2e_org
    clues = [received(org, text) for text in (GANG, ZHOU, ZHAO)]
    case = new_case(org)
    director = org.users["director.jianghan"]
    for name, role in (("陈大明", "leader"), ("周大勇", "core"), ("赵铁柱", "member")):
        case_services.suspect_add(actor=director, case=case, name=name, role=role)
    record_entities_extract(record_kind="case", record_id=case.pk)
    case_services.umbrella_open(actor=org.users["liaison.jianghan"], name="王建国", position="民族街派出所所长",
                                handling_unit=org.units["jh_discipline"], opened_on=days_ago(10), case=case)
    jiangan = received(org, JIANGAN, place="jiangan")
    clerk = org.users["clerk.jiangan"]
    clue_services.clue_triage(clue=jiangan, actor=clerk, decision="valid", priority=3,
                              category=OffenceCategory.objects.get(code="gambling"))
    clue_services.clue_assign(clue=jiangan, unit=org.units["ja_dazhi"], actor=clerk)
    return Network(*(Clue.objects.get(pk=c.pk) for c in clues), case=case, jiangan=Clue.objects.get(pk=jiangan.pk))


def search(page: Any, term: str) -> list[list[str]]:
    page.fill("#id_q", term)
    with page.expect_navigation():
        page.click("#network-search button[type=submit]")
    return cells(page, "#network-results") if page.locator("#network-results table").count() else []


def expand(page: Any, hops: int) -> None:
    page.select_option("#id_hops", str(hops))
    with page.expect_navigation():
        page.click("#network-selected button[type=submit]")
    assert f"hops={hops}" in page.url


def shown_names(page: Any) -> set[str]:
    """The entities of the table the graph is drawn from (its fallback without JavaScript)."""
    return {row[0] for row in cells(page, "#network-centrality")}


PAINTED_JS = """() => {
    const c = document.querySelector('#network-chart canvas');
    if (!c || !c.width || !c.height) { return 0; }
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) { painted++; } }
    return painted;
}"""


def wait_for_the_graph(page: Any) -> None:
    """Until ECharts has painted the graph on its canvas (nodes, links, labels) and offers the PNG."""
    try:
        page.wait_for_function(f"() => ({PAINTED_JS})() > 2000")
    except Exception as exc:
        raise AssertionError(f"the graph canvas stays empty ({page.evaluate(PAINTED_JS)} pixels painted)") from exc
    assert page.locator("#network-png").is_visible()


def test_the_city_director_explores_a_gang_in_the_network(login: Any, url: Any, network: Network,
                                                          artifacts: Path) -> None:
    page = login("director.wuhan")
    page.goto(url("/clues/"))
    nav = page.locator("nav.mainnav a[href='/analytics/network/']")
    assert nav.inner_text().strip() == chinese(gettext_lazy("Network"))
    with page.expect_navigation():
        nav.click()
    assert page.locator("h1").inner_text().strip() == chinese(
        gettext_lazy("Network of persons, companies, officials and records"))
    assert page.get_attribute("nav.mainnav a[href='/analytics/network/']", "aria-current") == "page"

    # He searches the gang leader named in the clue.
    found = search(page, "陈大明")
    person = chinese(gettext_lazy("person"))
    assert [row[:2] for row in found if row[1] == person] == [["陈大明", person]], found

    # Opens him (two links away by default), then one link away: the graph is drawn and the tables list the same.
    row = page.locator("#network-results tbody tr").filter(has=page.get_by_role("cell", name=person, exact=True))
    with page.expect_navigation():
        row.get_by_role("link", name="陈大明", exact=True).click()
    around = label(gettext_lazy("Around %(name)s"))
    assert CJK.search(around.replace("%(name)s", "")), around
    assert page.locator("#network-selected h2").inner_text().strip() == around % {"name": "陈大明"}
    two = shown_names(page)
    expand(page, 1)
    one = shown_names(page)
    assert {"陈大明", "王建国", "13812345678", network.gang.number} <= one, one
    assert "周大勇" not in one and "李四海" not in one
    assert {"周大勇", "赵铁柱"} <= two and one < two, (one, two)
    links = cells(page, "#network-links")
    assert any(network.gang.number in row[3] for row in links), links
    wait_for_the_graph(page)
    shot(page, artifacts, "network-one-hop")

    # Two links away again: the graph and the table grow to the other gang members through 王建国.
    expand(page, 2)
    assert shown_names(page) == two
    wait_for_the_graph(page)

    # The exports: GraphML with the nodes shown, PNG of the drawing.
    name, data = download(page, lambda: page.click("#network-export a[href*='graphml']"))
    assert name.endswith(".graphml")
    graph = nx.read_graphml(io.BytesIO(data))
    labels = {attrs["label"] for _node, attrs in graph.nodes(data=True)}
    assert {"陈大明", "王建国", "周大勇", "赵铁柱", "13812345678"} <= labels and "李四海" not in labels
    assert graph.number_of_edges() > 0
    name, data = download(page, lambda: page.click("#network-png"))
    assert name == "saohei-network.png"
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 5_000

    # A path from the gang leader to another gang member: through the official they are both named with.
    assert page.inner_text("label[for=id_source]").strip() == label(pgettext_lazy("network path", "From"))
    assert page.inner_text("label[for=id_target]").strip() == label(pgettext_lazy("network path", "To"))
    page.fill("#id_source", "陈大明")
    page.fill("#id_target", "赵铁柱")
    with page.expect_navigation():
        page.click("#network-path-form button[type=submit]")
    paths = page.locator("#network-paths ol.network-path")
    assert paths.count() >= 1, page.inner_text("#network-paths")
    texts = paths.all_inner_texts()
    for path in paths.all():
        steps = [t.split("\n")[0] for t in path.locator(":scope > li").all_inner_texts()]
        assert steps[0].startswith("陈大明") and steps[-1].startswith("赵铁柱") and len(steps) >= 3, steps
    # Both the gang's case and the official they are both named with join them, each step citing its record.
    assert any(network.case.number in text for text in texts), texts
    assert any("王建国" in t and network.gang.number in t and network.zhao.number in t for t in texts), texts
    assert page.locator("#network-no-path").count() == 0

    # The protection candidate: 王建国, named with three gang members in three clues, with his recorded umbrella.
    protection = page.locator("#network-protection")
    assert protection.locator("h2").inner_text().strip() == chinese(gettext_lazy("Possible protective umbrellas"))
    rows = cells(page, "#network-protection")
    assert len(rows) == 1 and rows[0][0].startswith("王建国"), rows
    assert all(name in rows[0][1] for name in ("陈大明", "周大勇", "赵铁柱"))
    assert all(clue.number in rows[0][2] for clue in (network.gang, network.zhou, network.zhao))
    recorded = label(ngettext_lazy("%(count)s recorded protection link", "%(count)s recorded protection links", 1))
    assert CJK.search(recorded), recorded
    assert re.search(re.escape(recorded).replace(re.escape("%(count)s"), r"[1-9]\d*"), rows[0][0]), rows[0][0]
    shot(page, artifacts, "network-path-and-protection")


def test_a_verifier_of_another_county_finds_none_of_its_persons(login: Any, url: Any, network: Network) -> None:
    page = login("verifier.jiangan")
    page.goto(url("/analytics/network/"))
    nothing = chinese(gettext_lazy("Nothing found among the records you may see."))
    for term in ("陈大明", "王建国", "13812345678"):
        assert search(page, term) == [], term
        assert nothing in page.inner_text("#network-results")
    # His own county's person is found: the search works, it only hides what is not his.
    found = search(page, "李四海")
    assert [row[0] for row in found] == ["李四海"], found
    body = page.inner_text("main")
    assert "陈大明" not in body and "王建国" not in body and network.gang.number not in body
    assert page.locator("#network-protection").count() == 0

    # A path asked between 江汉 persons finds no end; the GraphML of everything he may see holds none of them.
    page.fill("#id_source", "陈大明")
    page.fill("#id_target", "王建国")
    with page.expect_navigation():
        page.click("#network-path-form button[type=submit]")
    assert page.locator("#network-paths ol.network-path").count() == 0
    assert chinese(gettext_lazy("Both ends must be entities among the records you may see; one of them was not "
                                "found.")) in page.inner_text("#network-paths")
    assert network.gang.number not in page.content()
    graphml = page.request.get(url("/analytics/network/graphml/"))
    assert graphml.status == 200
    labels = {a["label"] for _n, a in nx.read_graphml(io.BytesIO(graphml.body())).nodes(data=True)}
    assert "李四海" in labels and not labels & {"陈大明", "王建国", "周大勇", "赵铁柱", "13812345678"}


# --- the weekly analysis ---------------------------------------------------------------------------------------------


@dataclass
class Weekly:
    now: list[Clue]
    before: list[Clue]


def _received_weeks_ago(org: Any, *, n: int, place: str = "jianghan", tag: str) -> Clue:
    clue = receive(org, place=place, subject=f"{tag}：某KTV老板纠集人员滋事",
                   content=f"举报人称：{tag}，有人在{place}一带多次寻衅滋事，殴打商户。",
                   contact=f"139{n:04d}{len(tag):04d}")
    if n:
        Clue.objects.filter(pk=clue.pk).update(created_at=timezone.now() - dt.timedelta(weeks=n))
    return Clue.objects.get(pk=clue.pk)


@pytest.fixture
def weekly(e2e_org: Any) -> Weekly:
    """江汉: one clue of provoking trouble a week for four weeks, then seven this week; 江岸: one a week."""
    org = e2e_org

    def triaged(clue: Clue) -> Clue:
        jiangan = clue.jurisdiction.code == "420102"
        return clue_services.clue_triage(
            clue=clue, actor=org.users["clerk.jiangan" if jiangan else "clerk.jianghan"], decision="valid",
            category=OffenceCategory.objects.get(code="extortion" if jiangan else "provoking_trouble"), priority=3)

    before = [triaged(_received_weeks_ago(org, n=n, tag=f"江汉W-{n}")) for n in (4, 3, 2, 1)]
    for n in (4, 3, 2, 1, 0):
        triaged(_received_weeks_ago(org, n=n, place="jiangan", tag=f"江岸W-{n}"))
    now = [triaged(_received_weeks_ago(org, n=0, tag=f"江汉本周{i}")) for i in range(7)]
    return Weekly(now=now, before=before)


def test_the_city_director_reads_the_weekly_analysis_and_downloads_it(login: Any, url: Any, weekly: Weekly,
                                                                      artifacts: Path) -> None:
    page = login("director.wuhan")
    page.goto(url("/figures/"))
    title = chinese(gettext_lazy("Weekly analysis"))
    tab = page.locator("nav.figures-tabs a[href='/analytics/weekly/']")
    assert tab.inner_text().strip() == title
    with page.expect_navigation():
        tab.click()
    assert page.locator("h1").inner_text().strip() == title
    assert page.get_attribute("nav.figures-tabs a[href='/analytics/weekly/']", "aria-current") == "page"
    provoking = OffenceCategory.objects.get(code="provoking_trouble").name_zh_hans
    extortion = OffenceCategory.objects.get(code="extortion").name_zh_hans

    # The hotspots: 江汉's seven clues of provoking trouble first, each count opening the clues it counts.
    assert page.inner_text("#weekly-total .kpi").strip() == "8"
    hotspots = cells(page, "#weekly-hotspots")
    assert [row[1:4] for row in hotspots] == [["江汉区", provoking, "7"], ["江岸区", extortion, "1"]], hotspots
    link = page.locator("#weekly-hotspots tbody tr").first.locator("a", has_text="7")
    with page.expect_navigation():
        link.click()
    listed = page.inner_text("#clue-table")
    assert all(c.number in listed for c in weekly.now) and not any(c.number in listed for c in weekly.before)
    page.go_back()

    # The rise in 江汉, in plain words.
    rising = {(row[0], row[1]): row for row in cells(page, "#weekly-rising")}
    everything = chinese(gettext_lazy("All categories"))
    assert ("江汉区", everything) in rising, rising
    plain = label(ngettext_lazy("%(current)d clue this week against about %(before)s a week before",
                                "%(current)d clues this week against about %(before)s a week before", 7))
    assert CJK.search(plain), plain
    assert rising[("江汉区", everything)][-1] == plain % {"current": 7, "before": "1"}
    assert rising[("江汉区", everything)][2] == "7"
    assert not any(place == "江岸区" for place, _category in rising)
    shot(page, artifacts, "weekly-analysis")

    # The Excel workbook: the same hotspots, sheet names and headers in 简体.
    from openpyxl import load_workbook

    name, data = download(page, lambda: page.click("#weekly-downloads a[href*='export.xlsx']"))
    assert re.fullmatch(r"weekly-420100-\d{4}-W\d{2}\.xlsx", name), name
    book = load_workbook(io.BytesIO(data), read_only=True)
    sheet = chinese(gettext_lazy("Hotspots"))
    assert sheet in book.sheetnames, book.sheetnames
    rows = [list(r) for r in book[sheet].iter_rows(values_only=True)]
    assert rows[0][:4] == [chinese(gettext_lazy("Rank")), chinese(gettext_lazy("Jurisdiction")),
                           chinese(gettext_lazy("Category")), chinese(gettext_lazy("Clues this week"))]
    assert [r[1:4] for r in rows[1:]] == [["江汉区", provoking, 7], ["江岸区", extortion, 1]], rows
    trends = [list(r) for r in book[chinese(gettext_lazy("Rising trends"))].iter_rows(values_only=True)]
    assert [r[-1] for r in trends[1:] if r[:2] == ["江汉区", everything]] == [plain % {"current": 7, "before": "1"}]

    # The PDF.
    name, data = download(page, lambda: page.click("#weekly-downloads a[href*='export.pdf']"), timeout=120_000)
    assert name.endswith(".pdf") and data.startswith(b"%PDF") and len(data) > 10_000, (name, len(data))


# --- the clue page's panels ------------------------------------------------------------------------------------------


@pytest.fixture
def repeated(e2e_org: Any) -> tuple[Clue, Clue]:
    """A report of 万某's gang, then the same matter told again in traditional characters (matched at intake)."""
    first = receive(e2e_org, subject=FIRST[0], content=FIRST[1])
    again = receive(e2e_org, subject=AGAIN_TRADITIONAL[0], content=AGAIN_TRADITIONAL[1], contact="13900003333")
    assert list(RepeatMatch.objects.filter(report__clue=again).values_list("earlier__clue", flat=True)) == [first.pk]
    return Clue.objects.get(pk=first.pk), Clue.objects.get(pk=again.pk)


def test_the_clerk_confirms_a_possible_repeat_and_the_clue_becomes_a_duplicate(
        login: Any, url: Any, repeated: tuple[Clue, Clue], artifacts: Path) -> None:
    first, again = repeated
    page = login("clerk.jianghan")
    page.goto(url(f"/clues/{again.pk}/"))
    panel = page.locator("#clue-repeats")
    assert chinese(gettext_lazy("Possible repeats of earlier reports")) in panel.locator("h2").inner_text()
    [row] = cells(page, "#clue-repeats")
    assert first.number in row[2] and row[3].endswith("%") and int(row[3].rstrip("%")) > 50, row
    assert "13812345678" in row[4], row  # the phone both reports give
    assert state_of(page) == State.RECEIVED.value
    shot(page, artifacts, "clue-possible-repeat")
    report_numbers = [r.number for clue in (first, again) for r in clue.reports.all()]

    with page.expect_navigation():
        panel.get_by_role("button", name=chinese(gettext_lazy("Confirm: same matter"))).click()
    assert page.url.endswith(f"/clues/{again.pk}/")
    assert state_of(page) == State.DUPLICATE.value
    assert page.inner_text("#clue-state .badge").strip() == label(State.DUPLICATE.label)
    shot(page, artifacts, "clue-repeat-confirmed")
    assert Clue.objects.get(pk=again.pk).duplicate_of_id == first.pk

    # The duplicate names the earlier clue; there the report is attached, and the decision is on record.
    with page.expect_navigation():
        page.locator(f"#clue-panel a[href='/clues/{first.pk}/']").first.click()
    assert first.number in page.inner_text("#clue-panel h1")
    assert page.inner_text("#clue-report-count").strip() == "2"
    assert all(number in page.inner_text("#clue-reports") for number in report_numbers), report_numbers
    decided = cells(page, "#clue-repeats")[0][-1]
    assert chinese(RepeatDecision.CONFIRMED.label) in decided and "李晓燕" in decided, decided
    assert page.locator("#clue-repeats form").count() == 0


def test_the_clerk_corrects_the_entities_of_a_clue_and_the_correction_stays(login: Any, url: Any,
                                                                            e2e_org: Any) -> None:
    gang = received(e2e_org, GANG)
    phone = mentions(gang, "phone")[0]
    page = login("clerk.jianghan")
    page.goto(url(f"/clues/{gang.pk}/"))
    panel = page.locator("#record-entities")
    assert chinese(gettext_lazy("Entities in the text")) in panel.locator("h2").inner_text()
    written = [row[0] for row in cells(page, "#record-entities")]
    assert {"陈大明", "王建国", "13812345678"} <= set(written), written
    assert "民族街" not in written

    # The clerk takes the phone number out: in this story it is the reporter's own, written beside 陈大明 by mistake.
    row = page.locator(f"#entity-{phone.start}-{phone.end}-phone")
    with page.expect_navigation():
        row.get_by_role("button", name=chinese(gettext_lazy("Not an entity"))).click()
    assert page.locator(".messages .msg-success").inner_text().strip() == chinese(
        gettext_lazy("The correction is kept and will be applied every time the text is read again."))
    assert "13812345678" not in [row[0] for row in cells(page, "#record-entities")]

    # The street the gang works in was missed: added as a place.
    page.fill("#entity-add-text", "民族街")
    page.select_option("#entity-add-kind", "place")
    page.fill("#entity-add-note", "团伙活动地点")
    with page.expect_navigation():
        page.click("#entity-add button[type=submit]")
    added = [row for row in cells(page, "#record-entities") if row[0] == "民族街"]
    assert added and chinese(gettext_lazy("corrected")) in added[0][1], added

    # Both stay after a reload, and after the text is read again.
    for again in ("reload", "read again"):
        if again == "reload":
            page.reload()
        else:
            with page.expect_navigation():
                page.get_by_role("button", name=chinese(gettext_lazy("Read the text again"))).click()
        written = [row[0] for row in cells(page, "#record-entities")]
        assert "民族街" in written and "13812345678" not in written and "陈大明" in written, (again, written)
        assert page.locator("#entity-corrections summary").inner_text().startswith("2"), again
    page.click("#entity-corrections summary")
    assert page.inner_text("#entity-corrections ul").count("李晓燕") == 2
    assert [m.text for m in mentions(gang, "phone")] == []

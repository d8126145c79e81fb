"""The outcome figures page: the form, numbers that open their rows, the bulletin, the Excel download."""

from __future__ import annotations

import datetime as dt
import io
from html import unescape

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from saohei.figures.tests.outcome_world import END, START, build

PERIOD = {"jurisdiction": "420100", "start": START.isoformat(), "end": END.isoformat()}


@pytest.fixture
def world(org):
    return build(org)


def get(client, user, name="figures-outcomes", **params):
    client.force_login(user)
    return client.get(reverse(name), params)


def test_the_page_shows_the_widest_jurisdiction_this_year_by_default(org, client):
    response = get(client, org.users["director.wuhan"])
    assert response.status_code == 200
    d = response.context["form"].cleaned_data
    today = timezone.localdate()
    assert (d["jurisdiction"].code, d["start"], d["end"]) == ("420100", dt.date(today.year, 1, 1), today)
    # Nothing recorded yet: the bulletin says so.
    assert "暂无可通报" in response.context["bulletin"] or "no outcomes" in response.context["bulletin"]


def test_every_number_links_to_its_rows(org, world, client):
    response = get(client, org.users["director.wuhan"], **PERIOD)
    assert response.status_code == 200
    body = response.content.decode()
    t = response.context["figures"].totals
    for fig in (t.destroyed_mafia_type, t.suspects_detained, t.cases_solved, t.assets_secured, t.cases_indicted,
                t.fugitives_caught, t.clues_formed_case, t.clues_referred, t.protection.transferred):
        assert f'href="{fig.url.replace("&", "&amp;")}"' in body
    card = body.split('id="kpi-destroyed_mafia_type"', 1)[1].split("</div>\n    </div>", 1)[0]
    assert f'href="{reverse("case-ledger")}?' in card and ">1</a>" in card
    rate = body.split('id="kpi-fugitive_arrest_rate"', 1)[1].split("</div>\n    </div>", 1)[0]
    assert "40.0%" in rate
    table = body.split('id="outcomes-by-child"', 1)[1].split("</table>", 1)[0]
    assert "江岸区" in table and "江汉区" in table


def test_the_bulletin_is_selectable_text_with_a_copy_button_for_javascript(org, world, client):
    with translation.override("zh-hans"):
        response = get(client, org.users["director.wuhan"], **PERIOD)
    body = response.content.decode()
    textarea = body.split('<textarea id="bulletin-text" readonly', 1)[1].split("</textarea>", 1)[0]
    assert "2025年1月1日至2025年6月30日，全市共刑事拘留涉黑涉恶犯罪人员2人" in unescape(textarea)
    assert '<p data-copy-row hidden><button type="button" class="btn" data-copy-target="bulletin-text"' in body
    assert '<script src="/static/saohei/bulletin.js" defer></script>' in body
    assert finders.find("saohei/bulletin.js")
    others = [lang for lang, _name, _text in response.context["other_bulletins"]]
    assert others == ["zh-hant", "en"]


def test_the_bulletin_follows_the_interface_language(org, world, client):
    from saohei.orgs.services import profile_set_language

    user = org.users["director.wuhan"]
    profile_set_language(user=user, language="en")
    response = get(client, user, **PERIOD)
    assert response.context["language"] == "en"
    assert response.context["bulletin"].startswith("From 1 January 2025 to 30 June 2025, the city")
    assert "30.16 million yuan" in response.content.decode()  # the asset figure, in the page's language
    profile_set_language(user=user, language="zh-hant")
    response = get(client, user, **PERIOD)
    assert response.context["bulletin"].startswith("2025年1月1日至2025年6月30日，全市共刑事拘留涉黑涉惡犯罪人員2人")
    assert "3016萬元" in response.content.decode()


def test_protection_figures_are_absent_for_a_clerk(org, world, client):
    response = get(client, org.users["clerk.jianghan"], jurisdiction="420103", start=START.isoformat(),
                   end=END.isoformat())
    assert response.status_code == 200
    body = response.content.decode()
    assert response.context["figures"].totals.protection is None
    assert 'id="outcomes-protection"' not in body and reverse("umbrella-ledger") not in body
    assert "保护伞" not in response.context["bulletin"]
    assert 'id="outcomes-protection"' in get(client, org.users["director.wuhan"], **PERIOD).content.decode()


def test_a_jurisdiction_outside_the_users_reach_is_refused(org, world, client):
    response = get(client, org.users["verifier.jiangan"], jurisdiction="420103", start=START.isoformat(),
                   end=END.isoformat())
    assert response.status_code == 400
    assert response.context["figures"] is None


@pytest.mark.parametrize(
    "params",
    [
        {"jurisdiction": "420100", "start": "2025-13-01", "end": "2025-12-31"},
        {"jurisdiction": "999999", "start": "2025-01-01", "end": "2025-12-31"},
        {"jurisdiction": "420100", "start": "2025-06-01", "end": "2025-01-01"},
        {"jurisdiction": "<script>", "start": "", "end": ""},
    ],
)
def test_bad_input_gets_an_error_not_a_crash(org, client, params):
    response = get(client, org.users["director.wuhan"], **params)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert get(client, org.users["director.wuhan"], "figures-outcomes-export", **params).status_code == 400


def test_anonymous_users_are_sent_to_log_in(client):
    for name in ("figures-outcomes", "figures-outcomes-export"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "login" in response["Location"]


def test_the_pages_link_to_each_other(org, client):
    clues = get(client, org.users["director.wuhan"], "figures-clues").content.decode()
    outcomes = get(client, org.users["director.wuhan"]).content.decode()
    assert f'href="{reverse("figures-outcomes")}?' in clues
    assert f'href="{reverse("figures-clues")}?' in outcomes


def test_excel_download_holds_the_figures_and_the_bulletin(org, world, client):
    with translation.override("zh-hans"):
        response = get(client, org.users["director.wuhan"], "figures-outcomes-export", **PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="outcomes-420100-' in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    summary, children, bulletins = (list(ws.iter_rows(values_only=True)) for ws in wb.worksheets)
    values = {row[0]: row[1:] for row in summary[3:]}
    assert len(values) == len(summary) - 3
    cells = [row[1] for row in summary[3:]]
    # filed: mafia, gangs, groups; destroyed: mafia, gangs, groups; detained, arrested, captured, of them
    # surrendered, solved, assets …
    assert cells[:12] == [1, 2, 0, 1, 2, 0, 2, 3, 3, 1, 4, 30160000]
    assert summary[14][4] == "3016万元"
    assert [(r[0], r[1], r[2]) for r in children[1:]] == [("420102", "江岸区", 1), ("420103", "江汉区", 2)]
    texts = {r[0]: r[1] for r in bulletins[1:]}
    assert texts["简体中文"].startswith("2025年1月1日至2025年6月30日，全市")
    assert texts["English"].startswith("From 1 January 2025 to 30 June 2025")
    assert texts["繁體中文"].startswith("2025年1月1日至2025年6月30日，全市")

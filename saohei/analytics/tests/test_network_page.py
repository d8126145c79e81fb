"""The network page as analysts use it: a county clerk explores what his county's clues say, a clerk of another
county sees none of it, judgements on who is who take effect, protection candidates only for those who may see
umbrellas, and the exports open in other tools."""

from __future__ import annotations

import io
import re
from typing import Any

import networkx as nx
import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from saohei.analytics import network_selectors
from saohei.analytics.entity_services import record_entities_extract
from saohei.analytics.graph import citations_from_json
from saohei.analytics.network_selectors import network_for_user, network_search
from saohei.analytics.tests.test_entity_services import (
    GAMBLING,
    GANG,
    JIANGAN,
    LOAN,
    id_number,
    mentions,
    read,
    received,
)
from saohei.cases import services as case_services
from saohei.cases.tests.case_helpers import days_ago, new_case
from saohei.clues.models import Clue

pytestmark = [pytest.mark.django_db, pytest.mark.urls("saohei.analytics.tests.urls_network_test")]

DEBT = ("陈大明暴力讨债", "陈大明带人到江汉区某小区暴力讨债，砸坏房门。")
ZHOU = ("周大勇在民族街收保护费", "周大勇带人在江汉区民族街向商户收取保护费，派出所所长王建国对此视而不见。")
ZHAO = ("赵铁柱暴力讨债", "赵铁柱在江汉区放高利贷并暴力讨债，派出所所长王建国收受其财物。")


def english(user: Any) -> Client:
    """A client logged in as `user`, the interface in English (the words the tests match)."""
    client = Client()
    client.force_login(user)
    session = client.session
    session["saohei_language"] = "en"
    session.save()
    return client


def get(user: Any, name: str = "network", **params: str) -> tuple[int, str, Any]:
    with translation.override("en"):
        response = english(user).get(reverse(name), params)
    text = response.content.decode() if response.status_code == 200 and "graphml" not in name else ""
    return response.status_code, text, response


def post(user: Any, url: str, data: dict[str, Any]) -> Any:
    with translation.override("en"):
        return english(user).post(url, data)


def node_id(user: Any, term: str) -> str:
    return network_search(network_for_user(user), term)[0].id


def section(text: str, ident: str) -> str:
    """The HTML of one <section id=...> of the page ("" when the page has none)."""
    match = re.search(rf'<section[^>]*id="{ident}".*?</section>', text, re.S)
    return match.group(0) if match else ""


def found_rows(text: str, kind: str = "person") -> int:
    """How many entities of a kind the search lists."""
    rows = re.findall(r"<tr>.*?</tr>", section(text, "network-results"), re.S)
    return sum(f"<td>{kind}</td>" in row for row in rows)


def test_the_county_clerk_finds_a_gang_leader_and_sees_who_and_what_surrounds_him(org, clerk):
    gang = received(org, GANG)
    received(org, LOAN)

    status, text, _ = get(clerk, q="陈大明")
    assert status == 200 and found_rows(text) == 1 and "陈大明" in section(text, "network-results")

    status, text, _ = get(clerk, node=node_id(clerk, "陈大明"), hops="1")
    assert status == 200
    listed = section(text, "network-centrality")
    assert "王建国" in listed and "13812345678" in listed and gang.number in listed and "张伟" not in listed
    assert gang.number in section(text, "network-links") and "named together" in section(text, "network-links")
    assert gang.number in section(text, "network-timeline")
    assert 'id="network-graph"' in text and "Download as GraphML" in text and 'id="network-png"' in text

    status, text, _ = get(clerk, source="陈大明", target="13812345678")
    assert status == 200 and gang.number in section(text, "network-paths") and "network-no-path" not in text
    assert get(clerk, node=node_id(clerk, "陈大明"), hops="7")[0] == 400


def test_a_clerk_of_another_county_sees_none_of_those_nodes_or_paths(org, clerk):
    gang = received(org, GANG)
    received(org, JIANGAN, place="jiangan")
    other = org.users["clerk.jiangan"]
    dachen = node_id(clerk, "陈大明")

    status, text, _ = get(other, q="陈大明")
    assert status == 200 and found_rows(text) == 0 and "Nothing found among the records you may see" in text
    status, text, _ = get(other, q="李四海")
    assert found_rows(text) == 1
    id_of_li = id_number("42010219800101123")  # written in her clue next to 李四海, the only person named there
    assert found_rows(get(other, q=id_of_li)[1]) == 1 and found_rows(get(clerk, q=id_of_li)[1]) == 0
    assert get(other, node=dachen)[0] == 404
    assert get(other, "network-entity", id=dachen)[0] == 404
    assert get(other, "network-graphml", node=dachen)[0] == 404
    status, text, _ = get(other, source="陈大明", target="王建国")
    assert "one of them was not found" in section(text, "network-paths") and gang.number not in text
    status, text, _ = get(other)
    assert "陈大明" not in text and "王建国" not in text

    phone = mentions(gang, "phone")[0]
    response = post(other, reverse("network-entity-correct", kwargs={"record_kind": "clue", "record_id": gang.pk}),
                    {"action": "remove", "kind": "phone", "start": phone.start, "end": phone.end, "text": phone.text})
    assert response.status_code == 404 and len(mentions(gang, "phone")) == 1


def _judge(user: Any, kind: str, left: str, right: str) -> Any:
    return post(user, reverse("network-judge"), {"kind": kind, "record": left, "others": [right]})


def test_a_confirmed_judgement_merges_two_persons_and_a_rejected_one_keeps_two_apart(org, clerk):
    loan, gambling = received(org, LOAN), received(org, GAMBLING)
    gang, debt = received(org, GANG), received(org, DEBT)
    key = network_selectors.mention_person_key

    assert found_rows(get(clerk, q="张伟")[1]) == 2  # a common name alone merges no one
    response = _judge(clerk, "confirm", key(mentions(loan, "person")[0]), key(mentions(gambling, "person")[0]))
    assert response.status_code == 302
    status, text, _ = get(clerk, q="张伟")
    assert found_rows(text) == 1
    status, text, _ = get(clerk, "network-entity", id=node_id(clerk, "张伟"))
    who = section(text, "entity-who")
    assert loan.number in who and gambling.number in who and "confirmed by an analyst" in who

    status, text, _ = get(clerk, "network-entity", id=node_id(clerk, "陈大明"))
    who = section(text, "entity-who")
    assert gang.number in who and debt.number in who and "same name" in who  # a rare name may speak alone
    _judge(clerk, "reject", key(mentions(gang, "person")[0]), key(mentions(debt, "person")[0]))
    status, text, _ = get(clerk, q="陈大明")
    assert status == 200 and found_rows(text) == 2


def _gang_case_with_a_protector(org: Any) -> Any:
    """A gang case with three suspects, three clues each naming one of them with 派出所所长王建国, and a protection
    case opened on him by the discipline liaison."""
    case = new_case(org)
    director = org.users["director.jianghan"]
    for name, role in (("陈大明", "leader"), ("周大勇", "core"), ("赵铁柱", "member")):
        case_services.suspect_add(actor=director, case=case, name=name, role=role)
    clues = [received(org, text) for text in (GANG, ZHOU, ZHAO)]
    record_entities_extract(record_kind="case", record_id=case.pk)
    case_services.umbrella_open(actor=org.users["liaison.jianghan"], name="王建国", position="民族街派出所所长",
                                handling_unit=org.units["jh_discipline"], opened_on=days_ago(10), case=case)
    return case, clues


def test_protection_candidates_with_their_evidence_only_for_those_who_may_see_umbrellas(org, clerk):
    case, clues = _gang_case_with_a_protector(org)
    director = org.users["director.jianghan"]

    status, text, _ = get(director)
    candidates = section(text, "network-protection")
    assert status == 200 and "Possible protective umbrellas" in candidates
    assert "王建国" in candidates and all(name in candidates for name in ("陈大明", "周大勇", "赵铁柱"))
    assert all(clue.number in candidates for clue in clues) and case.number in candidates
    assert "recorded protection link" in candidates
    status, text, _ = get(director, "network-entity", id=node_id(director, "王建国"))
    assert "protection" in section(text, "entity-links")

    status, text, _ = get(clerk)
    assert status == 200 and "Possible protective umbrellas" not in text and section(text, "network-protection") == ""
    status, text, _ = get(clerk, "network-entity", id=node_id(clerk, "王建国"))
    assert status == 200 and "protection" not in section(text, "entity-links")
    assert "民族街派出所所长" not in text  # the umbrella's record stays with those who may see it


def test_the_graphml_download_opens_in_networkx_with_the_records_behind_each_link(org, clerk):
    gang = received(org, GANG)
    received(org, JIANGAN, place="jiangan")

    status, _, response = get(clerk, "network-graphml", node=node_id(clerk, "陈大明"), hops="2")
    assert status == 200 and "attachment" in response["Content-Disposition"]
    graph = nx.read_graphml(io.BytesIO(response.content))
    labels = {data["label"] for _, data in graph.nodes(data=True)}
    assert {"陈大明", "王建国", "13812345678"} <= labels and "李四海" not in labels
    cited = {c.key for *_, data in graph.edges(data=True) for c in citations_from_json(data["citations"])}
    assert f"clue:{gang.pk}" in cited

    status, _, response = get(org.users["clerk.jiangan"], "network-graphml")
    labels = {data["label"] for _, data in nx.read_graphml(io.BytesIO(response.content)).nodes(data=True)}
    assert "李四海" in labels and "陈大明" not in labels


def test_the_page_says_which_records_the_network_was_built_from_and_when_it_left_older_ones_out(
        org, clerk, monkeypatch):
    received(org, GANG)
    received(org, LOAN)
    status, text, _ = get(clerk)
    assert "at most the 5000 most recent of each kind" in text and 'id="network-limited"' not in text

    monkeypatch.setattr(network_selectors, "RECORD_LIMIT", 1)
    status, text, _ = get(clerk)
    assert status == 200 and "only the 1 most recent of each kind are in this network" in text
    assert "张伟" in text and "陈大明" not in text  # the newer clue stays, the older one is left out


def _panel(user: Any, clue: Clue) -> str:
    request = RequestFactory().get(reverse("clue-detail", kwargs={"pk": clue.pk}))
    request.user = user
    with translation.override("en"):
        return Template('{% load entity_panel %}{% record_entities "clue" clue %}').render(
            Context({"request": request, "clue": clue, "csrf_token": "t"}))


def test_the_entity_panel_of_a_clue_lists_its_entities_and_keeps_a_correction(org, clerk):
    gang = received(org, GANG)
    panel = _panel(clerk, gang)
    assert "陈大明" in panel and "13812345678" in panel and "Not an entity" in panel and "Add a missed entity" in panel
    assert _panel(org.users["clerk.jiangan"], gang).strip() == ""

    phone = mentions(gang, "phone")[0]
    response = post(clerk, reverse("network-entity-correct", kwargs={"record_kind": "clue", "record_id": gang.pk}),
                    {"action": "remove", "kind": "phone", "start": phone.start, "end": phone.end, "text": phone.text,
                     "next": "/clues/"})
    assert response.status_code == 302 and response["Location"] == "/clues/"
    response = post(clerk, reverse("network-entity-correct", kwargs={"record_kind": "clue", "record_id": gang.pk}),
                    {"action": "add", "kind": "place", "text": "民族街", "next": "https://evil.example/"})
    assert response["Location"] == reverse("clue-detail", kwargs={"pk": gang.pk})
    read(gang)  # read again, as after an edit: the corrections hold
    panel = _panel(clerk, gang)
    assert "13812345678" not in panel.split('id="entity-corrections"')[0] and "民族街" in panel
    assert "2 corrections applied every time the text is read" in panel

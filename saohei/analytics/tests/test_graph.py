"""The network an analyst explores: paths with their records, what a user may not see stays hidden."""

from __future__ import annotations

import random
from datetime import date

import networkx as nx
import pytest

from saohei.analytics.graph import (
    Citation,
    Link,
    LinkKind,
    Network,
    Node,
    NodeKind,
    centrality,
    citations_from_json,
    communities,
    paths_to_subgraph,
    protection_candidates,
    subgraph_to_echarts,
    subgraph_to_graphml,
    timeline,
    visible_records,
)


def person(n: int, label: str = "", **attributes: str) -> Node:
    return Node(f"person:{n}", NodeKind.PERSON, label or f"人{n}", attributes)


def clue(n: int, on: date | None = None) -> Citation:
    return Citation("clue", str(n), on)


def link(a: str, b: str, kind: LinkKind, *citations: Citation) -> Link:
    return Link(a, b, kind, citations)


def shared_phone_network() -> Network:
    """张三 and 李四 use the same phone (two clues); a longer way round goes through 王五 and 赵六."""
    nodes = [person(1, "张三"), person(2, "李四"), person(3, "王五"), person(4, "赵六"),
             Node("phone:13800000000", NodeKind.PHONE, "13800000000")]
    links = [
        link("person:1", "phone:13800000000", LinkKind.USES_PHONE, clue(10)),
        link("person:2", "phone:13800000000", LinkKind.USES_PHONE, clue(11)),
        link("person:1", "person:3", LinkKind.ASSOCIATE, clue(12)),
        link("person:3", "person:4", LinkKind.ASSOCIATE, clue(12)),
        link("person:4", "person:2", LinkKind.FAMILY, Citation("case", "7")),
    ]
    return Network.from_links(nodes, links)


def test_path_through_a_shared_phone_is_found_with_the_records_behind_each_hop() -> None:
    paths = shared_phone_network().paths_between(source="person:1", target="person:2")

    assert [[n.id for n in p.nodes] for p in paths] == [["person:1", "phone:13800000000", "person:2"]]
    assert [[c.key for c in hop.citations] for hop in paths[0].hops] == [["clue:10"], ["clue:11"]]
    assert [hop.links[0].kind for hop in paths[0].hops] == [LinkKind.USES_PHONE, LinkKind.USES_PHONE]


def test_hiding_the_clue_behind_a_link_removes_the_path_through_it() -> None:
    network = shared_phone_network()
    everything_but_clue_11 = visible_records(["clue:10", "clue:12", "case:7"])

    paths = network.paths_between(source="person:1", target="person:2", visible=everything_but_clue_11)

    assert [[n.id for n in p.nodes] for p in paths] == [["person:1", "person:3", "person:4", "person:2"]]
    assert network.paths_between(source="person:1", target="person:2", visible=visible_records(["clue:10"])) == []


def test_a_visibility_mask_worked_out_once_hides_the_same_as_the_predicate() -> None:
    network = shared_phone_network()
    sight = visible_records(["clue:10", "clue:12", "case:7"])
    mask = network.visibility_mask(sight)

    by_mask = network.paths_between(source="person:1", target="person:2", visible=mask)

    assert by_mask == network.paths_between(source="person:1", target="person:2", visible=sight)
    assert {n.id for n in by_mask[0].nodes} == {"person:1", "person:2", "person:3", "person:4"}
    with pytest.raises(ValueError):
        shared_phone_network().expand(seeds=["person:1"], visible=mask)


def test_a_link_shown_through_one_visible_record_does_not_reveal_the_hidden_one() -> None:
    network = Network.from_links([person(1), person(2)],
                                 [link("person:1", "person:2", LinkKind.CALL, clue(1), Citation("case", "secret"))])

    [path] = network.paths_between(source="person:1", target="person:2", visible=visible_records(["clue:1"]))

    assert [c.key for c in path.hops[0].citations] == ["clue:1"]


def test_each_hop_of_a_long_path_carries_its_own_records_in_order() -> None:
    chain = [person(i) for i in range(7)]
    links = [link(f"person:{i}", f"person:{i + 1}", LinkKind.ASSOCIATE, clue(i)) for i in range(6)]
    network = Network.from_links(chain, links[::-1])

    [path] = network.paths_between(source="person:0", target="person:6")
    [back] = network.paths_between(source="person:6", target="person:0")

    assert [hop.citations[0].key for hop in path.hops] == [f"clue:{i}" for i in range(6)]
    assert [hop.citations[0].key for hop in back.hops] == [f"clue:{i}" for i in reversed(range(6))]
    assert all({lk.source, lk.target} == {hop.source, hop.target} for hop in path.hops for lk in hop.links)


def test_every_shortest_path_is_offered_not_just_one() -> None:
    phones = [Node(f"phone:{i}", NodeKind.PHONE, str(i)) for i in range(2)]
    links = [link(f"person:{p}", f"phone:{i}", LinkKind.USES_PHONE, clue(i)) for i in range(2) for p in (1, 2)]
    network = Network.from_links([person(1), person(2), *phones], links)

    paths = network.paths_between(source="person:1", target="person:2")

    assert sorted(p.nodes[1].id for p in paths) == ["phone:0", "phone:1"]
    assert len(network.paths_between(source="person:1", target="person:2", limit=1)) == 1


def test_a_shared_city_is_not_walked_through_when_places_are_avoided() -> None:
    city = Node("place:420100", NodeKind.PLACE, "武汉市")
    network = Network.from_links([person(1), person(2), city],
                                 [link("person:1", "place:420100", LinkKind.MENTION, clue(1)),
                                  link("person:2", "place:420100", LinkKind.MENTION, clue(2))])

    assert len(network.paths_between(source="person:1", target="person:2")) == 1
    assert network.paths_between(source="person:1", target="person:2",
                                 avoid_kinds=frozenset({NodeKind.PLACE})) == []


def test_paths_match_networkx_shortest_paths_on_random_networks_with_hidden_records() -> None:
    rng = random.Random(5)
    for _ in range(20):
        nodes = [person(i) for i in range(40)]
        links = [link(f"person:{a}", f"person:{b}", LinkKind.ASSOCIATE, clue(rng.randrange(30)))
                 for a, b in {tuple(sorted(rng.sample(range(40), 2))) for _ in range(70)}]
        network = Network.from_links(nodes, links)
        hidden = {f"clue:{i}" for i in rng.sample(range(30), 6)}
        reference = nx.Graph()
        reference.add_nodes_from(n.id for n in nodes)
        reference.add_edges_from((lk.source, lk.target) for lk in links if lk.citations[0].key not in hidden)
        source, target = "person:0", f"person:{rng.randrange(1, 40)}"

        paths = network.paths_between(source=source, target=target, limit=1000, max_hops=40,
                                      visible=lambda c, hidden=hidden: c.key not in hidden)

        if not nx.has_path(reference, source, target):
            assert paths == []
            continue
        expected = {tuple(p) for p in nx.all_shortest_paths(reference, source, target)}
        assert {tuple(n.id for n in p.nodes) for p in paths} == expected
        for path in paths:
            for hop in path.hops:
                assert hop.links and all({lk.source, lk.target} == {hop.source, hop.target} for lk in hop.links)
                assert not {c.key for c in hop.citations} & hidden


def test_two_hop_expansion_returns_the_neighbours_within_two_links_and_no_further() -> None:
    chain = [person(i) for i in range(6)]
    links = [link(f"person:{i}", f"person:{i + 1}", LinkKind.ASSOCIATE, clue(i)) for i in range(4)]
    links.append(link("person:0", "person:5", LinkKind.FAMILY, clue(99)))
    network = Network.from_links(chain, links)

    sub = network.expand(seeds=["person:1"], hops=2)
    hidden = network.expand(seeds=["person:1"], hops=2, visible=lambda c: c.key != "clue:99")

    assert {n.id for n in sub.nodes} == {"person:0", "person:1", "person:2", "person:3", "person:5"}
    assert sub.hops["person:5"] == 2 and sub.hops["person:1"] == 0
    assert {n.id for n in hidden.nodes} == {"person:0", "person:1", "person:2", "person:3"}
    assert all("clue:99" not in [c.key for c in lk.citations] for lk in hidden.links)


def test_expansion_is_cut_at_the_node_limit_and_says_so() -> None:
    hub = Node("phone:1", NodeKind.PHONE, "1")
    network = Network.from_links([hub, *(person(i) for i in range(50))],
                                 [link(f"person:{i}", "phone:1", LinkKind.USES_PHONE, clue(i)) for i in range(50)])

    sub = network.expand(seeds=["phone:1"], hops=1, limit_nodes=10)

    assert len(sub.nodes) == 10 and sub.truncated
    assert not network.expand(seeds=["phone:1"], hops=1, limit_nodes=100).truncated


def test_a_hub_does_not_crowd_the_rest_of_the_neighbourhood_out_of_a_cut_expansion() -> None:
    hub = Node("phone:0", NodeKind.PHONE, "0")
    crowd = [person(i) for i in range(100, 200)]
    links = [link("person:1", "phone:0", LinkKind.USES_PHONE, clue(0))]
    links += [link(p.id, "phone:0", LinkKind.USES_PHONE, clue(1)) for p in crowd]
    links += [link("person:1", f"person:{i}", LinkKind.ASSOCIATE, clue(2)) for i in (2, 3, 4)]
    links += [link(f"person:{i}", f"person:{i + 10}", LinkKind.FAMILY, clue(3)) for i in (2, 3, 4)]
    network = Network.from_links([hub, *(person(i) for i in (1, 2, 3, 4, 12, 13, 14)), *crowd], links)

    sub = network.expand(seeds=["person:1"], hops=2, limit_nodes=20)

    assert sub.truncated and {"person:12", "person:13", "person:14"} <= {n.id for n in sub.nodes}


def test_a_clue_node_the_user_may_not_see_is_not_shown_even_through_visible_links() -> None:
    clue_node = Node("clue:5", NodeKind.CLUE, "线索5", record=clue(5))
    network = Network.from_links([person(1), clue_node],
                                 [link("person:1", "clue:5", LinkKind.MENTION, Citation("report", "9"))])

    seen = network.expand(seeds=["person:1"], hops=1, visible=visible_records(["report:9", "clue:5"]))
    unseen = network.expand(seeds=["person:1"], hops=1, visible=visible_records(["report:9"]))

    assert {n.id for n in seen.nodes} == {"person:1", "clue:5"}
    assert {n.id for n in unseen.nodes} == {"person:1"} and unseen.links == ()


def gang_network(*, hidden_links_for_official_2: bool = False) -> Network:
    """Gang case 1 has members 1–3; official 1 meets each member in a different clue; official 2 knows one."""
    official_1 = Node("official:1", NodeKind.OFFICIAL, "某派出所所长")
    official_2 = Node("official:2", NodeKind.OFFICIAL, "某村支书")
    case = Node("case:1", NodeKind.CASE, "刀哥案", record=Citation("case", "1"))
    members = [person(i, f"成员{i}") for i in (1, 2, 3)]
    outsider = person(4, "路人")
    links = [link(m.id, "case:1", LinkKind.CASE_MEMBER, Citation("suspect", m.id)) for m in members]
    links += [link("official:1", f"person:{i}", LinkKind.CO_MENTION, clue(100 + i)) for i in (1, 2, 3)]
    links += [link("official:2", "person:1", LinkKind.PROTECTION, clue(201), clue(202), clue(203)),
              link("official:2", "person:4", LinkKind.ASSOCIATE, clue(204)),
              link("official:1", "person:4", LinkKind.ASSOCIATE, clue(205))]
    return Network.from_links([official_1, official_2, case, *members, outsider], links)


def test_an_official_linked_to_three_gang_members_across_three_clues_is_proposed_with_the_evidence() -> None:
    [candidate] = protection_candidates(gang_network(), min_members=3, min_clues=3)

    assert candidate.official.id == "official:1"
    assert {m.member.id for m in candidate.members} == {"person:1", "person:2", "person:3"}
    assert set(candidate.clues) == {"clue:101", "clue:102", "clue:103"}
    assert candidate.gangs == ("case:1",)
    assert {m.member.id: m.clues for m in candidate.members}["person:2"] == ("clue:102",)


def test_an_official_linked_to_one_member_is_not_proposed_however_many_clues() -> None:
    candidates = protection_candidates(gang_network(), min_members=3, min_clues=3)

    assert "official:2" not in {c.official.id for c in candidates}


def test_protection_proposals_rest_only_on_what_the_user_may_see() -> None:
    suspects = [f"suspect:person:{i}" for i in (1, 2, 3)]
    everything = visible_records(["case:1", *suspects, "clue:101", "clue:102", "clue:103"])
    without_one_clue = visible_records(["case:1", *suspects, "clue:101", "clue:102"])
    without_the_suspect_records = visible_records(["case:1", "clue:101", "clue:102", "clue:103"])

    assert len(protection_candidates(gang_network(), visible=everything, min_members=3, min_clues=3)) == 1
    assert protection_candidates(gang_network(), visible=without_one_clue, min_members=3, min_clues=3) == []
    assert protection_candidates(gang_network(), visible=without_the_suspect_records, min_members=3,
                                 min_clues=3) == []


def test_an_official_named_in_the_same_clues_as_gang_members_is_proposed_through_the_clue_nodes() -> None:
    official = Node("official:9", NodeKind.OFFICIAL, "局长")
    gang = [person(i, gang="沙场帮") for i in range(3)]
    clue_nodes = [Node(f"clue:{i}", NodeKind.CLUE, f"线索{i}", record=clue(i)) for i in range(3)]
    links = [link("official:9", f"clue:{i}", LinkKind.MENTION, clue(i)) for i in range(3)]
    links += [link(f"person:{i}", f"clue:{i}", LinkKind.MENTION, clue(i)) for i in range(3)]

    [candidate] = protection_candidates(Network.from_links([official, *gang, *clue_nodes], links))

    assert candidate.clues == ("clue:0", "clue:1", "clue:2") and candidate.gangs == ("gang:沙场帮",)


def test_graphml_round_trips_through_networkx_with_citations_and_chinese_labels() -> None:
    network = shared_phone_network()
    sub = network.expand(seeds=["person:1"], hops=3)

    graph = nx.read_graphml(__import__("io").BytesIO(subgraph_to_graphml(sub)))

    assert graph.nodes["person:1"]["label"] == "张三" and graph.nodes["phone:13800000000"]["kind"] == "phone"
    written = {(lk.source, lk.target, lk.kind.value): lk.citations for lk in sub.links}
    read = {(d["source_id"], ({u, v} - {d["source_id"]}).pop(), d["kind"]): citations_from_json(d["citations"])
            for u, v, d in graph.edges(data=True)}
    assert read == written


def test_graphml_keeps_dates_of_citations_and_mixed_attribute_types() -> None:
    nodes = [person(1, age="40"), Node("person:2", NodeKind.PERSON, "李四", {"age": 35, "kind": "x"})]
    sub = Network.from_links(nodes, [link("person:1", "person:2", LinkKind.PAYMENT, clue(1, date(2025, 3, 1)))]
                             ).expand(seeds=["person:1"], hops=1)

    graph = nx.read_graphml(__import__("io").BytesIO(subgraph_to_graphml(sub)))

    [(_, _, data)] = graph.edges(data=True)
    assert citations_from_json(data["citations"])[0].on == date(2025, 3, 1)
    assert graph.nodes["person:2"]["age"] == "35" and graph.nodes["person:2"]["kind"] == "person"


def two_gangs() -> Network:
    gang_a = [person(i) for i in range(6)]
    gang_b = [person(i) for i in range(10, 16)]
    links = [link(a.id, b.id, LinkKind.ASSOCIATE, clue(1)) for g in (gang_a, gang_b) for a in g for b in g
             if a.id < b.id]
    links.append(link("person:5", "person:10", LinkKind.CALL, clue(2)))
    return Network.from_links([*gang_a, *gang_b], links)


def test_communities_separate_two_gangs_joined_by_one_link() -> None:
    sub = two_gangs().expand(seeds=["person:0"], hops=5)

    found = communities(sub)

    assert sorted(sorted(c) for c in found) == [[f"person:{i}" for i in range(6)],
                                                 sorted(f"person:{i}" for i in range(10, 16))]


def test_the_bridge_between_two_gangs_has_the_highest_betweenness_exact_or_sampled() -> None:
    sub = two_gangs().expand(seeds=["person:0"], hops=5)

    for scores in (centrality(sub), centrality(sub, exact_up_to=5, samples=8)):
        top = sorted(scores, key=lambda n: -scores[n].betweenness)[:2]
        assert set(top) == {"person:5", "person:10"}
    assert centrality(sub, exact_up_to=5)["person:0"].approximate


def test_the_timeline_lists_dated_records_in_order() -> None:
    nodes = [person(i) for i in range(3)]
    links = [link("person:0", "person:1", LinkKind.CALL, clue(2, date(2025, 5, 1))),
             link("person:1", "person:2", LinkKind.PAYMENT, clue(1, date(2024, 1, 9)), Citation("case", "3"))]
    sub = Network.from_links(nodes, links).expand(seeds=["person:0"], hops=2)

    items = timeline(sub)

    assert [(i.on, i.citation.key) for i in items] == [(date(2024, 1, 9), "clue:1"), (date(2025, 5, 1), "clue:2")]
    assert items[0].links[0].kind == LinkKind.PAYMENT


def test_echarts_series_links_point_at_shown_nodes_and_categories_are_the_communities() -> None:
    sub = two_gangs().expand(seeds=["person:0"], hops=5)
    found = communities(sub)

    option = subgraph_to_echarts(sub, communities=found, link_labels={"call": "通话"})

    ids = {d["id"] for d in option["data"]}  # type: ignore[attr-defined]
    assert all(lk["source"] in ids and lk["target"] in ids for lk in option["links"])  # type: ignore[attr-defined]
    assert len(option["categories"]) == 2  # type: ignore[arg-type]
    assert {lk["label"]["formatter"] for lk in option["links"] if lk["kind"] == "call"} == {"通话"}  # type: ignore


def test_paths_can_be_drawn_as_a_subgraph() -> None:
    paths = shared_phone_network().paths_between(source="person:1", target="person:2")

    sub = paths_to_subgraph(paths)

    assert {n.id for n in sub.nodes} == {"person:1", "person:2", "phone:13800000000"} and len(sub.links) == 2


@pytest.mark.parametrize("bad", [
    link("person:1", "person:9", LinkKind.CALL, clue(1)),
    link("person:1", "person:1", LinkKind.CALL, clue(1)),
    Link("person:1", "person:2", LinkKind.CALL, ()),
])
def test_links_to_nowhere_to_themselves_or_without_a_record_are_refused(bad: Link) -> None:
    with pytest.raises(ValueError):
        Network.from_links([person(1), person(2)], [bad])

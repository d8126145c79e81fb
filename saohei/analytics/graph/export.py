"""A subgraph for other tools: GraphML (Gephi, networkx) with the citations of every link, and ECharts options."""

from __future__ import annotations

import io
import json
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date

import networkx as nx

from saohei.analytics.graph.elements import AttrValue, Citation, NodeKind, Subgraph


def _citations_json(citations: Iterable[Citation]) -> str:
    return json.dumps([{"record_kind": c.record_kind, "record_id": c.record_id,
                        "on": c.on.isoformat() if c.on else None} for c in citations], ensure_ascii=False)


def citations_from_json(text: str) -> tuple[Citation, ...]:
    """Read back the `citations` attribute written by `subgraph_to_graphml`."""
    return tuple(Citation(item["record_kind"], item["record_id"],
                          date.fromisoformat(item["on"]) if item["on"] else None)
                 for item in json.loads(text))


def _consistent(values: Iterable[tuple[str, AttrValue]]) -> dict[str, type]:
    """One GraphML type per attribute name: the common type, or str when the records disagree."""
    seen: dict[str, set[type]] = defaultdict(set)
    for name, value in values:
        seen[name].add(type(value))
    return {name: types.pop() if len(types) == 1 else str for name, types in seen.items()}


_RESERVED = frozenset({"kind", "label", "record", "citations", "cites", "weight", "hops"})


def _attrs(attributes: Mapping[str, AttrValue], types: Mapping[str, type]) -> dict[str, AttrValue]:
    return {(f"attr_{k}" if k in _RESERVED else k): (v if types[k] is not str else str(v))
            for k, v in attributes.items()}


def subgraph_to_graphml(sub: Subgraph) -> bytes:
    """GraphML (UTF-8) for Gephi or networkx: one edge per link; citations as JSON in `citations`."""
    graph = nx.MultiGraph()
    node_types = _consistent((k, v) for n in sub.nodes for k, v in n.attributes.items())
    link_types = _consistent((k, v) for lk in sub.links for k, v in lk.attributes.items())
    for node in sub.nodes:
        extra = {"record": node.record.key} if node.record else {}
        graph.add_node(node.id, kind=str(node.kind), label=node.label, **extra, **_attrs(node.attributes, node_types))
        if node.id in sub.hops:
            graph.nodes[node.id]["hops"] = sub.hops[node.id]
    for number, link in enumerate(sub.links):
        graph.add_edge(link.source, link.target, key=f"e{number}", kind=str(link.kind), label=link.label,
                       weight=float(len(link.citations)), cites=" ".join(c.key for c in link.citations),
                       citations=_citations_json(link.citations), source_id=link.source,
                       **_attrs(link.attributes, link_types))
    buffer = io.BytesIO()
    nx.write_graphml_xml(graph, buffer, encoding="utf-8")
    return buffer.getvalue()


_SYMBOLS = {NodeKind.PERSON: "circle", NodeKind.COMPANY: "rect", NodeKind.OFFICIAL: "diamond",
            NodeKind.PHONE: "triangle", NodeKind.PLACE: "pin", NodeKind.CLUE: "roundRect", NodeKind.CASE: "arrow"}


def subgraph_to_echarts(sub: Subgraph, *, communities: list[set[str]] | None = None,
                        kind_labels: Mapping[str, str] | None = None,
                        link_labels: Mapping[str, str] | None = None) -> dict[str, object]:
    """The series option of an ECharts `graph`: symbol by node kind, category by community (or by kind).

    A community is named after its best-linked node. `kind_labels`/`link_labels` are the translated
    names the Django layer passes in (this module has no gettext).
    """
    degree: dict[str, int] = defaultdict(int)
    for link in sub.links:
        degree[link.source] += 1
        degree[link.target] += 1
    kinds, link_names = kind_labels or {}, link_labels or {}
    if communities:
        ranked = [sorted(c, key=lambda n: (-degree[n], n)) for c in communities]
        names = {n.id: n.label for n in sub.nodes}
        categories = [{"name": names.get(c[0], c[0]) if c else str(i)} for i, c in enumerate(ranked)]
        category = {n: i for i, c in enumerate(ranked) for n in c}
    else:
        categories = [{"name": kinds.get(k, str(k))} for k in NodeKind]
        category = {n.id: list(NodeKind).index(n.kind) for n in sub.nodes}
    data = [{"id": n.id, "name": n.label, "kind": str(n.kind), "category": category.get(n.id, 0),
             "symbol": _SYMBOLS[n.kind], "symbolSize": round(min(60.0, 10.0 + 6.0 * math.sqrt(degree[n.id])), 1),
             "value": degree[n.id], "hops": sub.hops.get(n.id)} for n in sub.nodes]
    links = [{"source": lk.source, "target": lk.target, "kind": str(lk.kind), "value": len(lk.citations),
              "citations": [c.key for c in lk.citations],
              "label": {"show": False, "formatter": " ".join(filter(None, [link_names.get(lk.kind, str(lk.kind)),
                                                                          lk.label]))}}
             for lk in sub.links]
    return {"type": "graph", "layout": "force", "roam": True, "draggable": True, "autoCurveness": True,
            "categories": categories, "data": data, "links": links,
            "force": {"repulsion": 120, "edgeLength": [40, 120], "gravity": 0.05}}

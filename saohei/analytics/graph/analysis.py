"""Measures over a subgraph a user is shown: centrality, communities and the timeline of the records behind it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import networkx as nx

from saohei.analytics.graph.elements import Citation, Link, Subgraph


def _to_nx(sub: Subgraph) -> nx.Graph:
    """A simple weighted graph: weight = number of distinct visible records behind the pair."""
    graph = nx.Graph()
    graph.add_nodes_from(n.id for n in sub.nodes)
    cites: dict[tuple[str, str], set[Citation]] = defaultdict(set)
    for link in sub.links:
        cites[(min(link.source, link.target), max(link.source, link.target))].update(link.citations)
    graph.add_weighted_edges_from((u, v, float(len(c))) for (u, v), c in cites.items())
    return graph


@dataclass(frozen=True, slots=True)
class Centrality:
    degree: int  # visible links to other shown nodes (pairs)
    degree_centrality: float
    betweenness: float
    approximate: bool  # betweenness from `samples` sources rather than all


def centrality(sub: Subgraph, *, exact_up_to: int = 300, samples: int = 64, seed: int = 7) -> dict[str, Centrality]:
    """Degree and betweenness per node; betweenness sampled (seeded, repeatable) above `exact_up_to` nodes."""
    graph = _to_nx(sub)
    if graph.number_of_nodes() == 0:
        return {}
    approximate = graph.number_of_nodes() > exact_up_to
    between = nx.betweenness_centrality(graph, k=min(samples, graph.number_of_nodes()) if approximate else None,
                                        seed=seed)
    degree = nx.degree_centrality(graph)
    return {n: Centrality(int(graph.degree(n)), degree[n], between[n], approximate) for n in graph.nodes}


def communities(sub: Subgraph, *, seed: int = 7, resolution: float = 1.0) -> list[set[str]]:
    """Louvain communities (weighted by cited records), largest first; isolated nodes are their own."""
    graph = _to_nx(sub)
    if graph.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(graph, weight="weight", resolution=resolution, seed=seed)
    return sorted((set(c) for c in found), key=lambda c: (-len(c), min(c)))


@dataclass(frozen=True, slots=True)
class TimelineItem:
    on: date
    citation: Citation
    links: tuple[Link, ...]


def timeline(sub: Subgraph) -> list[TimelineItem]:
    """Each dated record behind the shown links, in date order, with the links it supports."""
    by_citation: dict[Citation, list[Link]] = defaultdict(list)
    for link in sub.links:
        for citation in link.citations:
            if citation.on is not None:
                by_citation[citation].append(link)
    items = [TimelineItem(c.on, c, tuple(links)) for c, links in by_citation.items() if c.on is not None]
    return sorted(items, key=lambda item: (item.on, item.citation.key))


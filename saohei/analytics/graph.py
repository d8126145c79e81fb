"""The network of persons, companies, officials, phones, places, clues and cases (issue 5, item 5).

Pure and typed: the Django layer loads nodes and links from the records, builds a `Network` once and
asks it questions. Every link cites the records it came from (`Citation`), and every question takes
`visible`, a predicate over citations that says which records the user may see: a link none of whose
citations is visible is not walked, not shown and not counted; a shown link carries only its visible
citations (a hidden record must not leak even as an id); a node is shown only when it is a seed or is
reached through visible links, and a node that *is* a record (a clue, a case) is hidden with it.

The adjacency is kept as CSR arrays over node numbers, with the parallel links between two nodes
grouped into one "pair", so a path query or a 2-hop expansion touches each adjacent pair once and
evaluates visibility lazily (once per citation per query), which keeps them fast at 100,000 nodes.
A user who asks many questions can have the predicate worked out once (`Network.visibility_mask`).
"""

from __future__ import annotations

import io
import json
import math
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

import networkx as nx
import numpy as np
import numpy.typing as npt

AttrValue = str | int | float | bool
IntArray = npt.NDArray[np.int64]
_Preds = dict[int, list[tuple[int, int]]]  # node → [(predecessor, pair joining them)]
_Meeting = tuple[list[int], _Preds, _Preds]
CLUE_RECORD = "clue"


class NodeKind(StrEnum):
    PERSON = "person"
    COMPANY = "company"
    OFFICIAL = "official"
    PHONE = "phone"
    PLACE = "place"
    CLUE = "clue"
    CASE = "case"


class LinkKind(StrEnum):
    CO_MENTION = "co_mention"  # two entities named in the same record
    MENTION = "mention"  # an entity named in a clue or case (entity ↔ clue/case node)
    CASE_MEMBER = "case_member"  # a suspect of a case (person/company ↔ case node)
    FAMILY = "family"
    ASSOCIATE = "associate"
    PROTECTION = "protection"  # official ↔ gang member or gang case
    CALL = "call"
    PAYMENT = "payment"
    USES_PHONE = "uses_phone"  # person/company ↔ phone


@dataclass(frozen=True, slots=True)
class Citation:
    """One record a link comes from; `key` ("clue:12") is what visibility is decided on."""

    record_kind: str
    record_id: str
    on: date | None = None

    @property
    def key(self) -> str:
        return f"{self.record_kind}:{self.record_id}"


Visibility = Callable[[Citation], bool]


def visible_records(keys: Iterable[str]) -> Visibility:
    """The predicate for a user who may see exactly the records whose keys ("clue:12") are given."""
    allowed = frozenset(keys)
    return lambda citation: citation.key in allowed


def node_id(kind: NodeKind | str, ident: object) -> str:
    return f"{kind}:{ident}"


@dataclass(frozen=True, slots=True)
class Node:
    """An entity or record. `record` is set when the node is itself a record (a clue, a case)."""

    id: str
    kind: NodeKind
    label: str
    attributes: Mapping[str, AttrValue] = field(default_factory=dict)
    record: Citation | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """A relation between two nodes with the records that state it (never empty)."""

    source: str
    target: str
    kind: LinkKind
    citations: tuple[Citation, ...]
    label: str = ""
    attributes: Mapping[str, AttrValue] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Subgraph:
    """What a user is shown: nodes, links with only their visible citations, hop distance from the seeds."""

    nodes: tuple[Node, ...]
    links: tuple[Link, ...]
    seeds: tuple[str, ...] = ()
    hops: Mapping[str, int] = field(default_factory=dict)
    truncated: bool = False


@dataclass(frozen=True, slots=True)
class Hop:
    source: str
    target: str
    links: tuple[Link, ...]

    @property
    def citations(self) -> tuple[Citation, ...]:
        return tuple(dict.fromkeys(c for link in self.links for c in link.citations))


@dataclass(frozen=True, slots=True)
class Path:
    nodes: tuple[Node, ...]
    hops: tuple[Hop, ...]

    @property
    def length(self) -> int:
        return len(self.hops)


@dataclass(frozen=True, slots=True, eq=False)
class VisibilityMask:
    """One user's sight of every record of one network, worked out once (`Network.visibility_mask`).

    Pass it as `visible` to many queries of the same user to skip the per-query calls of the predicate.
    """

    network: object  # the token of the network it was made for
    states: bytes  # per record number: 1 visible, 2 hidden


def _unreachable(citation: Citation) -> bool:
    raise AssertionError(f"a visibility mask covers every record, yet {citation.key} was asked")


class _Sight:
    """Visibility for one query, evaluated lazily and remembered per citation, pair and node."""

    __slots__ = ("_cits", "_net", "_node", "_pair", "_visible", "everything")

    def __init__(self, net: Network, visible: Visibility | VisibilityMask | None) -> None:
        self._net = net
        self.everything = visible is None
        watching = visible is not None
        self._pair = bytearray(net._pair_count if watching else 0)
        self._node = bytearray(len(net._nodes) if watching else 0)
        if isinstance(visible, VisibilityMask):
            if visible.network is not net._token:
                raise ValueError("this visibility mask was made for another network")
            self._cits = bytearray(visible.states)
            self._visible: Visibility = _unreachable
        else:
            self._cits = bytearray(len(net._citations) if watching else 0)
            self._visible = visible or _unreachable

    def citation(self, c: int) -> bool:
        if self.everything:
            return True
        state = self._cits[c]
        if not state:
            state = 1 if self._visible(self._net._citations[c]) else 2
            self._cits[c] = state
        return state == 1

    def link(self, link: int) -> bool:
        net = self._net
        return any(self.citation(c) for c in net._cit_idx[net._cit_ptr[link]:net._cit_ptr[link + 1]].tolist())

    def pair(self, pair: int) -> bool:
        """Visible when any record behind any link between the two nodes is (the hot path of every search)."""
        if self.everything:
            return True
        state = self._pair[pair]
        if not state:
            net, cits, visible = self._net, self._cits, self._visible
            state = 2
            for i in range(net._pair_cit_ptr[pair], net._pair_cit_ptr[pair + 1]):
                c = net._pair_cit_idx[i]
                seen = cits[c]
                if not seen:
                    seen = 1 if visible(net._citations[c]) else 2
                    cits[c] = seen
                if seen == 1:
                    state = 1
                    break
            self._pair[pair] = state
        return state == 1

    def node(self, n: int) -> bool:
        if self.everything:
            return True
        state = self._node[n]
        if not state:
            record = self._net._node_record[n]
            state = 1 if record < 0 or self.citation(record) else 2
            self._node[n] = state
        return state == 1


class Network:
    """The whole network in compact arrays; build once with `from_links`, then query many times."""

    def __init__(self) -> None:
        self._token = object()
        self._nodes: list[Node] = []
        self._index: dict[str, int] = {}
        self._kind: list[int] = []  # index into list(NodeKind), a list for fast access in the searches
        self._node_record: list[int] = []
        self._citations: list[Citation] = []
        self._link_src: IntArray = np.zeros(0, np.int64)
        self._link_dst: IntArray = np.zeros(0, np.int64)
        self._link_kind: list[LinkKind] = []
        self._link_extra: dict[int, tuple[str, Mapping[str, AttrValue]]] = {}
        self._cit_ptr: IntArray = np.zeros(1, np.int64)
        self._cit_idx: IntArray = np.zeros(0, np.int64)
        self._pair_count = 0
        self._pair_ptr: IntArray = np.zeros(1, np.int64)
        self._pair_links: IntArray = np.zeros(0, np.int64)
        self._pair_cit_ptr = array("q", [0])  # the distinct records behind each pair, for visibility
        self._pair_cit_idx = array("q")
        self._adj_ptr: IntArray = np.zeros(1, np.int64)
        self._adj_nbr: IntArray = np.zeros(0, np.int64)
        self._adj_pair: IntArray = np.zeros(0, np.int64)
        self._degree: list[int] = []

    @classmethod
    def from_links(cls, nodes: Iterable[Node], links: Iterable[Link]) -> Network:
        """Build the arrays. A link to an unknown node, a self-link or a link without citations is an error."""
        net = cls()
        for node in nodes:
            if node.id in net._index:
                raise ValueError(f"duplicate node {node.id}")
            net._index[node.id] = len(net._nodes)
            net._nodes.append(node)
        kinds = list(NodeKind)
        net._kind = [kinds.index(n.kind) for n in net._nodes]
        cit_index: dict[Citation, int] = {}

        def intern(citation: Citation) -> int:
            if citation not in cit_index:
                cit_index[citation] = len(net._citations)
                net._citations.append(citation)
            return cit_index[citation]

        net._node_record = [-1 if n.record is None else intern(n.record) for n in net._nodes]
        src: list[int] = []
        dst: list[int] = []
        cit_ptr = [0]
        cit_idx: list[int] = []
        pairs: dict[tuple[int, int], list[int]] = {}
        for link in links:
            if not link.citations:
                raise ValueError(f"link {link.source}–{link.target} cites no record")
            try:
                u, v = net._index[link.source], net._index[link.target]
            except KeyError as missing:
                raise ValueError(f"link to unknown node {missing}") from None
            if u == v:
                raise ValueError(f"self-link on {link.source}")
            number = len(src)
            src.append(u)
            dst.append(v)
            net._link_kind.append(link.kind)
            if link.label or link.attributes:
                net._link_extra[number] = (link.label, link.attributes)
            cit_idx.extend(intern(c) for c in dict.fromkeys(link.citations))
            cit_ptr.append(len(cit_idx))
            pairs.setdefault((min(u, v), max(u, v)), []).append(number)
        net._link_src, net._link_dst = np.array(src, np.int64), np.array(dst, np.int64)
        net._cit_ptr, net._cit_idx = np.array(cit_ptr, np.int64), np.array(cit_idx, np.int64)
        net._pair_count = len(pairs)
        net._pair_ptr = np.zeros(len(pairs) + 1, np.int64)
        net._pair_ptr[1:] = np.cumsum([len(g) for g in pairs.values()], dtype=np.int64)
        net._pair_links = np.array([k for g in pairs.values() for k in g], np.int64)
        for group in pairs.values():
            net._pair_cit_idx.extend(dict.fromkeys(c for k in group for c in cit_idx[cit_ptr[k]:cit_ptr[k + 1]]))
            net._pair_cit_ptr.append(len(net._pair_cit_idx))
        ends = np.array(list(pairs.keys()), np.int64).reshape(-1, 2)
        rows = np.concatenate([ends[:, 0], ends[:, 1]])
        cols = np.concatenate([ends[:, 1], ends[:, 0]])
        pair_ids = np.concatenate([np.arange(len(pairs)), np.arange(len(pairs))])
        order = np.lexsort((cols, rows))
        counts = np.bincount(rows, minlength=len(net._nodes))
        net._adj_ptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        net._adj_nbr, net._adj_pair = cols[order], pair_ids[order]
        net._degree = counts.tolist()
        return net

    def __len__(self) -> int:
        return len(self._nodes)

    @property
    def link_count(self) -> int:
        return len(self._link_kind)

    def node(self, ident: str) -> Node:
        return self._nodes[self._index[ident]]

    def visibility_mask(self, visible: Visibility) -> VisibilityMask:
        """Evaluate `visible` on every record once, for a user who will ask many questions."""
        return VisibilityMask(self._token, bytes(1 if visible(c) else 2 for c in self._citations))

    def nbytes(self) -> int:
        """Bytes held by the CSR arrays (the Python node and citation objects come on top)."""
        arrays = (self._link_src, self._link_dst, self._cit_ptr, self._cit_idx, self._pair_ptr,
                  self._pair_links, self._adj_ptr, self._adj_nbr, self._adj_pair)
        return sum(a.nbytes for a in arrays) + sum(len(a) * a.itemsize for a in (self._pair_cit_ptr,
                                                                                     self._pair_cit_idx))

    def _adjacent(self, n: int) -> Iterator[tuple[int, int]]:
        a, b = self._adj_ptr[n], self._adj_ptr[n + 1]
        return zip(self._adj_nbr[a:b].tolist(), self._adj_pair[a:b].tolist(), strict=True)

    def _links_of_pair(self, pair: int) -> list[int]:
        return self._pair_links[self._pair_ptr[pair]:self._pair_ptr[pair + 1]].tolist()

    def _shown_link(self, k: int, sight: _Sight) -> Link | None:
        cits = [self._citations[c] for c in self._cit_idx[self._cit_ptr[k]:self._cit_ptr[k + 1]].tolist()
                if sight.citation(c)]
        if not cits:
            return None
        label, attributes = self._link_extra.get(k, ("", {}))
        return Link(self._nodes[self._link_src[k]].id, self._nodes[self._link_dst[k]].id, self._link_kind[k],
                    tuple(cits), label, attributes)

    def _shown_links(self, pair: int, sight: _Sight) -> list[Link]:
        return [link for k in self._links_of_pair(pair) if (link := self._shown_link(k, sight)) is not None]

    def _seed_numbers(self, seeds: Iterable[str], sight: _Sight) -> list[int]:
        numbers = [self._index[s] for s in dict.fromkeys(seeds) if s in self._index]
        return [n for n in numbers if sight.node(n)]

    def expand(self, *, seeds: Iterable[str], hops: int = 2, visible: Visibility | VisibilityMask | None = None,
               limit_nodes: int = 500, avoid_kinds: frozenset[NodeKind] = frozenset()) -> Subgraph:
        """The neighbourhood of the seeds up to `hops` visible links away, nearest first.

        Nodes of `avoid_kinds` (typically places) are shown but not walked through. Within one hop
        ring the nodes with the fewest links are expanded first, so one hub does not crowd out the
        rest; past `limit_nodes` the subgraph is cut and says so.
        """
        sight = _Sight(self, visible)
        avoid = {list(NodeKind).index(k) for k in avoid_kinds}
        start = self._seed_numbers(seeds, sight)
        distance = dict.fromkeys(start, 0)
        frontier = start
        truncated = False
        for depth in range(1, hops + 1):
            ring: list[int] = []
            for u in sorted(frontier, key=self._degree.__getitem__):
                if self._kind[u] in avoid and distance[u] > 0:
                    continue
                for v, pair in self._adjacent(u):
                    if v in distance or not sight.pair(pair) or not sight.node(v):
                        continue
                    if len(distance) >= limit_nodes:
                        truncated = True
                        break
                    distance[v] = depth
                    ring.append(v)
                if truncated:
                    break
            frontier = ring
            if truncated or not frontier:
                break
        return self._induced(distance, sight, seeds=tuple(self._nodes[n].id for n in start), truncated=truncated)

    def _induced(self, distance: Mapping[int, int], sight: _Sight, *, seeds: tuple[str, ...],
                 truncated: bool) -> Subgraph:
        links: list[Link] = []
        for u in distance:
            for v, pair in self._adjacent(u):
                if u < v and v in distance and sight.pair(pair):
                    links.extend(self._shown_links(pair, sight))
        return Subgraph(nodes=tuple(self._nodes[n] for n in distance), links=tuple(links), seeds=seeds,
                        hops={self._nodes[n].id: d for n, d in distance.items()}, truncated=truncated)

    def paths_between(self, *, source: str, target: str, max_hops: int = 6, limit: int = 10,
                      visible: Visibility | VisibilityMask | None = None,
                      avoid_kinds: frozenset[NodeKind] = frozenset()) -> list[Path]:
        """The shortest paths (all of the same, least length; at most `limit`) over visible links.

        Bidirectional breadth-first search that grows the side whose frontier has fewer links; each
        hop of a path lists every visible link between its two nodes with the visible citations.
        Nodes of `avoid_kinds` are never an intermediate step (a shared city proves nothing).
        """
        sight = _Sight(self, visible)
        ends = self._seed_numbers([source, target], sight)
        if source == target or len(ends) != 2:
            return []
        avoid = {list(NodeKind).index(k) for k in avoid_kinds}
        s, t = ends
        found = self._meet(s, t, max_hops=max_hops, sight=sight, avoid=avoid)
        if found is None:
            return []
        meeting, pred_s, pred_t = found
        paths: list[Path] = []
        for middle in sorted(meeting):
            for left in self._chains(middle, pred_s):
                for right in self._chains(middle, pred_t):
                    paths.append(self._path(left, right, sight))
                    if len(paths) >= limit:
                        return paths
        return paths

    def _meet(self, s: int, t: int, *, max_hops: int, sight: _Sight, avoid: set[int]) -> _Meeting | None:
        """Grow both sides a ring at a time until they touch; every predecessor (node, pair) is kept."""
        pred_s: _Preds = {s: []}
        pred_t: _Preds = {t: []}
        front_s, front_t = [s], [t]
        kind, degree = self._kind, self._degree
        for _ in range(max_hops):
            if not front_s or not front_t:
                return None
            grow_s = sum(degree[n] for n in front_s) <= sum(degree[n] for n in front_t)
            front, pred, other = (front_s, pred_s, pred_t) if grow_s else (front_t, pred_t, pred_s)
            ring: _Preds = {}
            for u in front:  # an avoided node never enters a ring, so is never walked through
                for v, pair in self._adjacent(u):
                    if v in pred:
                        continue
                    if v in ring:
                        if sight.pair(pair):
                            ring[v].append((u, pair))
                        continue
                    if (kind[v] in avoid and v != s and v != t) or not sight.pair(pair) or not sight.node(v):
                        continue
                    ring[v] = [(u, pair)]
            pred.update(ring)
            meeting = [v for v in ring if v in other]
            if meeting:
                return meeting, pred_s, pred_t
            if grow_s:
                front_s = list(ring)
            else:
                front_t = list(ring)
        return None

    def _chains(self, node: int, pred: _Preds) -> Iterator[list[tuple[int, int]]]:
        """Every chain [(node, pair to the next), …, (root, -1)] from `node` back to its side's root."""
        if not pred[node]:
            yield [(node, -1)]
            return
        for before, pair in pred[node]:
            for chain in self._chains(before, pred):
                yield [(node, pair), *chain]

    def _path(self, left: list[tuple[int, int]], right: list[tuple[int, int]], sight: _Sight) -> Path:
        """Join a chain from the middle back to the source with one from the middle on to the target."""
        numbers = [n for n, _ in reversed(left)] + [n for n, _ in right[1:]]
        pairs = [p for _, p in reversed(left[:-1])] + [p for _, p in right[:-1]]
        hops = tuple(Hop(self._nodes[u].id, self._nodes[v].id, tuple(self._shown_links(pair, sight)))
                     for u, v, pair in zip(numbers, numbers[1:], pairs, strict=False))
        return Path(nodes=tuple(self._nodes[n] for n in numbers), hops=hops)


def paths_to_subgraph(paths: Iterable[Path]) -> Subgraph:
    """The nodes and links of some paths, to draw them (e.g. on the network page)."""
    nodes: dict[str, Node] = {}
    links: dict[tuple[str, str, LinkKind, tuple[Citation, ...]], Link] = {}
    seeds: list[str] = []
    for path in paths:
        seeds.extend([path.nodes[0].id, path.nodes[-1].id])
        nodes.update((n.id, n) for n in path.nodes)
        links.update(((lk.source, lk.target, lk.kind, lk.citations), lk) for hop in path.hops for lk in hop.links)
    return Subgraph(nodes=tuple(nodes.values()), links=tuple(links.values()), seeds=tuple(dict.fromkeys(seeds)))


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


@dataclass(frozen=True, slots=True)
class MemberEvidence:
    member: Node
    gangs: tuple[str, ...]  # case node ids (or "gang:<attribute>") the member belongs to
    clues: tuple[str, ...]  # clue record keys ("clue:12") linking the official to the member
    links: tuple[Link, ...]  # the links (official–member, or official–clue–member) with visible citations


@dataclass(frozen=True, slots=True)
class ProtectionCandidate:
    """An official linked to several gang members across several clues: a proposal, never a finding."""

    official: Node
    members: tuple[MemberEvidence, ...]
    clues: tuple[str, ...]
    gangs: tuple[str, ...]
    protection_links: int  # links recorded as protection (stated, not inferred)


def _gangs_of(net: Network, n: int, sight: _Sight) -> tuple[str, ...]:
    """The gangs a person belongs to: case nodes joined by visible case-membership links, or an attribute."""
    gangs = [net._nodes[v].id for v, pair in net._adjacent(n)
             if net._nodes[v].kind == NodeKind.CASE and sight.node(v)
             and any(net._link_kind[k] == LinkKind.CASE_MEMBER and sight.link(k) for k in net._links_of_pair(pair))]
    attribute = net._nodes[n].attributes.get("gang")
    if attribute:
        gangs.append(f"gang:{attribute}")
    return tuple(sorted(set(gangs)))


def _clue_keys(links: Iterable[Link]) -> set[str]:
    return {c.key for link in links for c in link.citations if c.record_kind == CLUE_RECORD}


def protection_candidates(network: Network, *, visible: Visibility | VisibilityMask | None = None, min_members: int = 3,
                          min_clues: int = 3) -> list[ProtectionCandidate]:
    """Officials linked (directly, or named in the same clue) to ≥ `min_members` gang members in ≥ `min_clues` clues.

    Only visible links and records count, so a user is never shown a proposal resting on what they
    may not see. Ranked by the number of members, then of clues.
    """
    sight = _Sight(network, visible)
    gang_cache: dict[int, tuple[str, ...]] = {}

    def gangs(n: int) -> tuple[str, ...]:
        if n not in gang_cache:
            gang_cache[n] = _gangs_of(network, n, sight) if network._nodes[n].kind == NodeKind.PERSON else ()
        return gang_cache[n]

    found: list[ProtectionCandidate] = []
    for o, official in enumerate(network._nodes):
        if official.kind != NodeKind.OFFICIAL or not sight.node(o):
            continue
        evidence: dict[int, list[Link]] = defaultdict(list)
        clues: dict[int, set[str]] = defaultdict(set)
        protected: set[str] = set()
        stated = 0
        for v, pair in network._adjacent(o):
            if not sight.pair(pair) or not sight.node(v):
                continue
            links = network._shown_links(pair, sight)
            stated += sum(link.kind == LinkKind.PROTECTION for link in links)
            kind = network._nodes[v].kind
            if kind == NodeKind.PERSON and gangs(v):
                evidence[v].extend(links)
                clues[v] |= _clue_keys(links)
            elif kind == NodeKind.CASE and any(link.kind == LinkKind.PROTECTION for link in links):
                protected.add(network._nodes[v].id)
            elif kind == NodeKind.CLUE:
                record = network._nodes[v].record
                clue = record.key if record is not None else network._nodes[v].id
                for w, pair2 in network._adjacent(v):
                    if w != o and sight.pair(pair2) and sight.node(w) and gangs(w):
                        evidence[w].extend([*links, *network._shown_links(pair2, sight)])
                        clues[w].add(clue)
        all_clues = set().union(*clues.values()) if clues else set()
        if len(evidence) < min_members or len(all_clues) < min_clues:
            continue
        members = tuple(MemberEvidence(network._nodes[w], gangs(w), tuple(sorted(clues[w])), tuple(evidence[w]))
                        for w in sorted(evidence, key=lambda w: (-len(clues[w]), network._nodes[w].id)))
        all_gangs = protected.union(*(m.gangs for m in members))
        found.append(ProtectionCandidate(official, members, tuple(sorted(all_clues)), tuple(sorted(all_gangs)), stated))
    return sorted(found, key=lambda c: (-len(c.members), -len(c.clues), c.official.id))


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

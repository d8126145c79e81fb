"""The network in compact arrays, built once, and the walks over it: k-hop expansion and shortest paths.

CSR adjacency over node numbers with the parallel links between two nodes grouped into one "pair"; visibility is
evaluated lazily per query (`Sight`), or worked out once per user (`Network.visibility_mask`).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Mapping

import numpy as np
import numpy.typing as npt

from saohei.analytics.graph.elements import (
    AttrValue,
    Citation,
    Hop,
    Link,
    LinkKind,
    Node,
    NodeKind,
    Path,
    Subgraph,
    Visibility,
    VisibilityMask,
)

IntArray = npt.NDArray[np.int64]
_Preds = dict[int, list[tuple[int, int]]]  # node → [(predecessor, pair joining them)]
_Meeting = tuple[list[int], _Preds, _Preds]


def _unreachable(citation: Citation) -> bool:
    raise AssertionError(f"a visibility mask covers every record, yet {citation.key} was asked")


class Sight:
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

    def _shown_link(self, k: int, sight: Sight) -> Link | None:
        cits = [self._citations[c] for c in self._cit_idx[self._cit_ptr[k]:self._cit_ptr[k + 1]].tolist()
                if sight.citation(c)]
        if not cits:
            return None
        label, attributes = self._link_extra.get(k, ("", {}))
        return Link(self._nodes[self._link_src[k]].id, self._nodes[self._link_dst[k]].id, self._link_kind[k],
                    tuple(cits), label, attributes)

    def _shown_links(self, pair: int, sight: Sight) -> list[Link]:
        return [link for k in self._links_of_pair(pair) if (link := self._shown_link(k, sight)) is not None]

    def _seed_numbers(self, seeds: Iterable[str], sight: Sight) -> list[int]:
        numbers = [self._index[s] for s in dict.fromkeys(seeds) if s in self._index]
        return [n for n in numbers if sight.node(n)]

    def expand(self, *, seeds: Iterable[str], hops: int = 2, visible: Visibility | VisibilityMask | None = None,
               limit_nodes: int = 500, avoid_kinds: frozenset[NodeKind] = frozenset()) -> Subgraph:
        """The neighbourhood of the seeds up to `hops` visible links away, nearest first.

        Nodes of `avoid_kinds` (typically places) are shown but not walked through. Within one hop
        ring the nodes with the fewest links are expanded first, so one hub does not crowd out the
        rest; past `limit_nodes` the subgraph is cut and says so.
        """
        sight = Sight(self, visible)
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

    def _induced(self, distance: Mapping[int, int], sight: Sight, *, seeds: tuple[str, ...],
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
        sight = Sight(self, visible)
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

    def _meet(self, s: int, t: int, *, max_hops: int, sight: Sight, avoid: set[int]) -> _Meeting | None:
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

    def _path(self, left: list[tuple[int, int]], right: list[tuple[int, int]], sight: Sight) -> Path:
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

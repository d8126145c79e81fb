"""Protection candidates: officials linked to several gang members across several clues (proposals, not findings)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from saohei.analytics.graph.elements import CLUE_RECORD, Link, LinkKind, Node, NodeKind, Visibility, VisibilityMask
from saohei.analytics.graph.network import Network, Sight


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


def _gangs_of(net: Network, n: int, sight: Sight) -> tuple[str, ...]:
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
    sight = Sight(network, visible)
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

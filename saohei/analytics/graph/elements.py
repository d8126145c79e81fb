"""What a network is made of (nodes, links and the records they cite) and what a query answers (subgraphs, paths).

Every link cites the records it came from (`Citation`); `Visibility` is a predicate over citations that says which
records a user may see, and a `VisibilityMask` is that predicate worked out once for every record of one network.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

AttrValue = str | int | float | bool
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

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

The parts: `elements` (nodes, links, citations, subgraphs, paths), `network` (the arrays, k-hop expansion,
shortest paths), `analysis` (centrality, communities, timeline), `protection` (protection candidates) and
`export` (GraphML, ECharts). Import from `saohei.analytics.graph`.
"""

from saohei.analytics.graph.analysis import Centrality, TimelineItem, centrality, communities, timeline
from saohei.analytics.graph.elements import (
    CLUE_RECORD,
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
    node_id,
    visible_records,
)
from saohei.analytics.graph.export import citations_from_json, subgraph_to_echarts, subgraph_to_graphml
from saohei.analytics.graph.network import IntArray, Network, paths_to_subgraph
from saohei.analytics.graph.protection import MemberEvidence, ProtectionCandidate, protection_candidates

__all__ = [
    "CLUE_RECORD",
    "AttrValue",
    "Centrality",
    "Citation",
    "Hop",
    "IntArray",
    "Link",
    "LinkKind",
    "MemberEvidence",
    "Network",
    "Node",
    "NodeKind",
    "Path",
    "ProtectionCandidate",
    "Subgraph",
    "TimelineItem",
    "Visibility",
    "VisibilityMask",
    "centrality",
    "citations_from_json",
    "communities",
    "node_id",
    "paths_to_subgraph",
    "protection_candidates",
    "subgraph_to_echarts",
    "subgraph_to_graphml",
    "timeline",
    "visible_records",
]

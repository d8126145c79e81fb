"""The network page, an entity's page, the GraphML export, and the forms that correct entities and judge who is who.

Everything is a table first (the page works without JavaScript); network.js draws the ECharts graph from the same
subgraph and exports it as PNG. Reads go through `network_selectors`, writes through `entity_services`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from saohei.analytics import graph
from saohei.analytics.entity_services import (
    entity_correct,
    entity_correct_at,
    record_entities_extract,
    resolution_judge,
)
from saohei.analytics.graph import NodeKind, Subgraph
from saohei.analytics.models import CorrectionAction
from saohei.analytics.network_selectors import (
    LINK_KIND_LABELS,
    NODE_KIND_LABELS,
    NetworkData,
    citations_as_records,
    network_for_user,
    network_node,
    network_resolve_term,
    network_search,
    network_top_entities,
    record_get_for_user,
    record_url,
)
from saohei.cases.selectors import may_see_umbrellas

AVOID = frozenset({NodeKind.PLACE})  # a shared county proves nothing: never a step of a path or an expansion
SHOWN_NODES = 300
LINK_ROWS = 400  # rows of the links table; the GraphML export has them all
MAX_PATH_HOPS = 6


class NetworkForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Find a person, company, phone or ID number"), required=False,
                        max_length=100)
    node = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput)
    hops = forms.TypedChoiceField(label=gettext_lazy("Links away"), choices=[(1, "1"), (2, "2"), (3, "3")],
                                  coerce=int, required=False, empty_value=None)
    source = forms.CharField(label=pgettext_lazy("network path", "From"), required=False, max_length=300)
    target = forms.CharField(label=pgettext_lazy("network path", "To"), required=False, max_length=300)


def _labels() -> tuple[dict[str, str], dict[str, str]]:
    return ({str(k): str(v) for k, v in NODE_KIND_LABELS.items()},
            {str(k): str(v) for k, v in LINK_KIND_LABELS.items()})


def _link_rows(data: NetworkData, sub: Subgraph) -> list[dict[str, Any]]:
    """One row per relation between two nodes, with every record stating it (a report and its clue say the same)."""
    names = {n.id: n for n in sub.nodes}
    grouped: dict[tuple[str, str, graph.LinkKind, str], list[graph.Citation]] = {}
    for link in sub.links:
        grouped.setdefault((link.source, link.target, link.kind, link.label), []).extend(link.citations)
    return [{"source": names[source], "target": names[target], "kind": LINK_KIND_LABELS.get(kind, kind),
             "label": label, "records": citations_as_records(data, citations)}
            for (source, target, kind, label), citations in grouped.items()]


def _merged(sub: Subgraph) -> Subgraph:
    """The same subgraph with the links of one kind between two nodes drawn as one (a report and its clue state the
    same link twice), citing every record."""
    merged: dict[tuple[str, str, graph.LinkKind], graph.Link] = {}
    for link in sub.links:
        key = (link.source, link.target, link.kind)
        if key in merged:
            before = merged[key]
            link = graph.Link(link.source, link.target, link.kind, (*before.citations, *link.citations),
                              before.label or link.label)
        merged[key] = link
    return Subgraph(nodes=sub.nodes, links=tuple(merged.values()), seeds=sub.seeds, hops=sub.hops,
                    truncated=sub.truncated)


def _subgraph_context(data: NetworkData, sub: Subgraph) -> dict[str, Any]:
    """Centrality, communities, timeline and the chart of what is shown."""
    ranks = graph.centrality(sub)
    groups = graph.communities(sub)
    community_of = {n: i + 1 for i, group in enumerate(groups) for n in group}
    nodes = sorted(sub.nodes, key=lambda n: (-ranks[n.id].betweenness, -ranks[n.id].degree, n.label))
    node_rows = [{"node": n, "kind": NODE_KIND_LABELS[n.kind], "hops": sub.hops.get(n.id), "rank": ranks[n.id],
                  "community": community_of.get(n.id), "records": data.weight[n.id]} for n in nodes]
    by_id = {n.id: n for n in sub.nodes}
    community_rows = [{"number": i + 1, "size": len(group),
                       "members": [by_id[n] for n in sorted(group, key=lambda n: -ranks[n].degree)[:8]]}
                      for i, group in enumerate(groups) if len(group) > 1]
    timeline = [{"on": item.on, "record": data.records.get(item.citation.key),
                 "links": [(by_id[lk.source], LINK_KIND_LABELS.get(lk.kind, lk.kind), by_id[lk.target])
                           for lk in item.links[:6]], "more": max(0, len(item.links) - 6)}
                for item in graph.timeline(sub)]
    kind_labels, link_labels = _labels()
    chart = graph.subgraph_to_echarts(_merged(sub), communities=groups, kind_labels=kind_labels,
                                      link_labels=link_labels)
    link_rows = _link_rows(data, sub)
    return {"node_rows": node_rows, "link_rows": link_rows[:LINK_ROWS], "links_left_out": len(link_rows[LINK_ROWS:]),
            "communities": community_rows,
            "timeline": timeline, "chart": chart, "subgraph": sub}


def _protection_rows(data: NetworkData) -> list[dict[str, Any]]:
    rows = []
    for candidate in graph.protection_candidates(data.network):
        members = [{"node": m.member, "gangs": [data.network.node(g) for g in m.gangs if network_node(data, g)],
                    "clues": [data.records[c] for c in m.clues if c in data.records]} for m in candidate.members]
        rows.append({"official": candidate.official, "members": members, "protection_links":
                     candidate.protection_links, "clues": [data.records[c] for c in candidate.clues
                                                           if c in data.records]})
    return rows


def _endpoints(data: NetworkData, source: str, target: str) -> dict[str, Any]:
    """The path between two entities named by id or by search term, and the other entities the terms matched."""
    start, start_others = network_resolve_term(data, source)
    end, end_others = network_resolve_term(data, target)
    paths = [] if start is None or end is None else data.network.paths_between(
        source=start.id, target=end.id, max_hops=MAX_PATH_HOPS, limit=10, avoid_kinds=AVOID)
    rows = [[{"node": node, "hop": hop, "kind": NODE_KIND_LABELS[node.kind],
              "links": sorted({str(LINK_KIND_LABELS.get(lk.kind, lk.kind)) for lk in hop.links}) if hop else [],
              "records": citations_as_records(data, hop.citations) if hop else []}
             for node, hop in zip(path.nodes, (*path.hops, None), strict=True)] for path in paths]
    return {"path_from": start, "path_to": end, "path_from_others": start_others, "path_to_others": end_others,
            "paths": rows, "path_subgraph": graph.paths_to_subgraph(paths) if paths else None}


def _shown(data: NetworkData, form: NetworkForm) -> tuple[dict[str, Any], Subgraph | None]:
    """What the query asks for: search results, an expansion, a path. A node the user may not see is not found."""
    values = form.cleaned_data
    context: dict[str, Any] = {"hops": values["hops"] or 2}
    sub: Subgraph | None = None
    if values["q"]:
        found = network_search(data, values["q"])
        context["results"] = [(n, NODE_KIND_LABELS[n.kind], data.weight[n.id]) for n in found]
    if values["node"]:
        node = network_node(data, values["node"])
        if node is None:
            raise Http404(_("No such entity among the records you may see."))
        context["selected"] = node
        sub = data.network.expand(seeds=[node.id], hops=context["hops"], limit_nodes=SHOWN_NODES,
                                  avoid_kinds=AVOID)
    if values["source"] and values["target"]:
        context.update(_endpoints(data, values["source"], values["target"]), path_asked=True)
        sub = context["path_subgraph"] or sub
    return context, sub


def _data_note(data: NetworkData) -> dict[str, Any]:
    return {"loaded": data.loaded, "limited": data.limited, "record_limit": data.record_limit,
            "node_count": len(data.network), "link_count": data.network.link_count}


@login_required
@require_GET
def network_page(request: HttpRequest) -> HttpResponse:
    form = NetworkForm(request.GET)
    data = network_for_user(request.user)
    context: dict[str, Any] = {"form": form, "nav": "network", **_data_note(data)}
    status = 200
    if form.is_valid():
        shown, sub = _shown(data, form)
        context.update(shown)
        if sub is not None:
            context.update(_subgraph_context(data, sub))
            context["export_query"] = request.GET.urlencode()
    else:
        status = 400
    if "subgraph" not in context:
        context["top"] = [(n, NODE_KIND_LABELS[n.kind], count) for n, count in network_top_entities(data)]
    if may_see_umbrellas(request.user):
        context["protection"] = _protection_rows(data)
    return render(request, "analytics/network.html", context, status=status)


@login_required
@require_GET
def network_graphml(request: HttpRequest) -> HttpResponse:
    """The shown subgraph (or the whole network of the user) as GraphML, for Gephi, yEd or networkx."""
    form = NetworkForm(request.GET)
    if not form.is_valid():
        raise Http404(_("No such entity among the records you may see."))
    data = network_for_user(request.user)
    context, sub = _shown(data, form)
    if sub is None and context.get("path_asked"):
        sub = Subgraph(nodes=(), links=())  # no path: nothing to export, rather than everything
    elif sub is None:
        sub = data.network.expand(seeds=data.node_ids, hops=0, limit_nodes=len(data.network))
    response = HttpResponse(graph.subgraph_to_graphml(sub), content_type="application/graphml+xml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="saohei-network.graphml"'
    return response


@login_required
@require_GET
def network_entity(request: HttpRequest) -> HttpResponse:
    """One entity: the records naming it, its neighbours, and for a person who is who, with the evidence."""
    data = network_for_user(request.user)
    ident = request.GET.get("id", "") or data.member_of.get(request.GET.get("member", ""), "")
    node = network_node(data, ident)
    if node is None:
        raise Http404(_("No such entity among the records you may see."))
    sub = data.network.expand(seeds=[node.id], hops=1, limit_nodes=SHOWN_NODES, avoid_kinds=AVOID)
    neighbours = {n.id: n for n in sub.nodes if n.id != node.id}
    rows = [row for row in _link_rows(data, sub) if node.id in (row["source"].id, row["target"].id)]
    for row in rows:
        row["other"] = row["target"] if row["source"].id == node.id else row["source"]
    group = data.persons.get(node.id)
    candidates = [{"evidence": ev, "other": data.network.node(other), "left": ev.left_id, "right": ev.right_id}
                  for ev, other in (group.candidates if group else [])[:20]]
    labels = {m.key: f"{m.written} — {'、'.join(r.label for r in m.records)}" for m in (group.members if group else [])}
    evidence = [{"evidence": ev, "left": labels.get(ev.left_id, ev.left_id),
                 "right": labels.get(ev.right_id, ev.right_id),
                 "by_rule": group is not None and frozenset((ev.left_id, ev.right_id)) in group.by_rule}
                for ev in (group.evidence if group else [])]
    records = citations_as_records(data, [c for lk in sub.links for c in lk.citations
                                          if node.id in (lk.source, lk.target)])
    return render(request, "analytics/network_entity.html", {
        "node": node, "kind": NODE_KIND_LABELS[node.kind], "records": records, "links": rows,
        "neighbour_count": len(neighbours), "group": group, "candidates": candidates, "nav": "network",
        "evidence": evidence,
        "attributes": {k: v for k, v in node.attributes.items() if v}})


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect(fallback)


def _number(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise ValidationError(_("The form was incomplete; reload the page.")) from None


def _error(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@login_required
@require_POST
def entity_correct_view(request: HttpRequest, record_kind: str, record_id: int) -> HttpResponse:
    """Remove, change or add an entity of a record the user may see (404 otherwise)."""
    record_get_for_user(user=request.user, record_kind=record_kind, record_id=record_id)
    actor: User = request.user  # type: ignore[assignment]
    post = request.POST
    action = post.get("action", "")
    try:
        if action == CorrectionAction.ADD and not post.get("start"):
            entity_correct_at(actor=actor, record_kind=record_kind, record_id=record_id, kind=post.get("kind", ""),
                              text=post.get("text", ""), new_value=post.get("new_value", ""),
                              note=post.get("note", ""))
        else:
            entity_correct(actor=actor, record_kind=record_kind, record_id=record_id, action=action,
                           kind=post.get("kind", ""), start=_number(post.get("start")), end=_number(post.get("end")),
                           text=post.get("text", ""), new_kind=post.get("new_kind", ""),
                           new_value=post.get("new_value", ""), note=post.get("note", ""))
        messages.success(request, _("The correction is kept and will be applied every time the text is read again."))
    except ValidationError as error:
        _error(request, error)
    return _back(request, record_url(record_kind, record_id))


@login_required
@require_POST
def entities_extract_view(request: HttpRequest, record_kind: str, record_id: int) -> HttpResponse:
    """Read a record's text again now (the corrections are applied again)."""
    record_get_for_user(user=request.user, record_kind=record_kind, record_id=record_id)
    found = record_entities_extract(record_kind=record_kind, record_id=record_id)
    messages.success(request, _("The text was read again: %(count)d entities.") % {"count": len(found)})
    return _back(request, record_url(record_kind, record_id))


@login_required
@require_POST
def resolution_judge_view(request: HttpRequest) -> HttpResponse:
    """Confirm, reject or split who is who; back to the person as resolved with the judgement."""
    actor: User = request.user  # type: ignore[assignment]
    record = request.POST.get("record", "")
    try:
        resolution_judge(actor=actor, kind=request.POST.get("kind", ""), record=record,
                         others=request.POST.getlist("others"), note=request.POST.get("note", ""))
        messages.success(request, _("Your judgement is kept; it binds every later resolution."))
    except ValidationError as error:
        _error(request, error)
    return redirect(f"{reverse('network-entity')}?{urlencode({'member': record})}")

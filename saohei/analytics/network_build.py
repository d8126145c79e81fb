"""Building one user's network from the records they may see: record and entity nodes, persons resolved, links.

See `network_selectors` for what the nodes and links are and who is who; `network_build` does the work and returns a
`NetworkData`, which the selectors keep and ask questions of.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.cache import cache
from django.db.models import Q

from saohei.analytics.entities_values import fold
from saohei.analytics.graph import Citation, Link, LinkKind, Network, Node, NodeKind
from saohei.analytics.models import EntityMention, JudgementKind, RecordKind, ResolutionJudgement
from saohei.analytics.network_records import MentionRow, User, jurisdiction_code, mention_person_key, record_url
from saohei.analytics.resolution import Judgement, MatchEvidence, PersonRecord, persons_resolve
from saohei.cases.models import CaseClue
from saohei.cases.selectors import case_list_for_user, may_see_umbrellas, suspect_list_for_user, umbrella_list_for_user
from saohei.clues.models import Clue
from saohei.clues.selectors import report_list_for_user

CO_MENTION_LIMIT = 25  # entities of one record linked pairwise; the rest are linked to the record only
RESOLUTION_CACHE_SECONDS = 600
_COMPANY_FORMS = frozenset({"venue", "gang"})
_SEARCH_NOISE = re.compile(r"[\s\-－—_·•()（）]+")


@dataclass(frozen=True)
class RecordRef:
    """A record a link cites, as the page shows it; `page` is the record whose page shows it ("case:3")."""

    key: str
    kind: str
    label: str
    page: str
    on: date | None

    @property
    def url(self) -> str:
        kind, _sep, ident = self.page.partition(":")
        return record_url(kind, ident)


@dataclass
class PersonMember:
    """One way records name a person: a mention (with the same name in the same clue and its reports), a suspect
    or an umbrella. `key` is what a judgement names."""

    key: str
    written: str
    detail: str
    records: list[RecordRef] = field(default_factory=list)


@dataclass
class PersonGroup:
    """A person node: its members, the evidence that put them together, and near misses an analyst may judge."""

    node_id: str
    members: list[PersonMember]
    evidence: list[MatchEvidence] = field(default_factory=list)
    candidates: list[tuple[MatchEvidence, str]] = field(default_factory=list)  # (pair, the other person node)
    by_rule: set[frozenset[str]] = field(default_factory=set)  # pairs joined by the officials' house rule


@dataclass
class NetworkData:
    network: Network
    records: dict[str, RecordRef]
    persons: dict[str, PersonGroup]
    weight: Counter[str]  # records naming each node
    search_words: dict[str, set[str]]
    loaded: dict[str, int]
    limited: list[str]
    umbrellas_included: bool
    record_limit: int  # the most recent records of each kind it was built from
    member_of: dict[str, str] = field(default_factory=dict)  # person member key → person node id
    node_ids: list[str] = field(default_factory=list)
    _search_text: dict[str, str] | None = None

    @property
    def search_text(self) -> dict[str, str]:
        """Each node's names, aliases, phones and ID numbers, folded for search (worked out on the first search)."""
        if self._search_text is None:
            self._search_text = {n: searchable_text(" ".join(w for w in words if w))
                                 for n, words in self.search_words.items()}
        return self._search_text


@dataclass
class _Draft:
    key: str
    written: Counter[str] = field(default_factory=Counter)
    form: str = ""
    aliases: set[str] = field(default_factory=set)
    positions: set[str] = field(default_factory=set)
    county: str = ""  # the jurisdiction of the record: where the post of an official is, not where a person lives
    id_number: str = ""
    phones: tuple[str, ...] = ()
    birth_year: int | None = None
    rank: int = 3  # 0 suspect, 1 umbrella, 2 full name, 3 anything else: which name labels the node
    detail: str = ""
    records: dict[str, RecordRef] = field(default_factory=dict)

    def person_record(self) -> PersonRecord:
        name = self.written.most_common(1)[0][0] if self.written else ""
        aliases = set(self.aliases)
        if self.form == "nickname":
            aliases.add(name)
            name = ""
        return PersonRecord(id=self.key, name=name, aliases=tuple(sorted(aliases)), id_number=self.id_number,
                            phones=self.phones, birth_year=self.birth_year)

    @property
    def name(self) -> str:
        return self.written.most_common(1)[0][0] if self.written else ""


class _Builder:
    """Collects nodes and links from one user's records."""

    def __init__(self) -> None:
        self.nodes: dict[str, Node] = {}
        self.links: list[Link] = []
        self.records: dict[str, RecordRef] = {}
        self.weight: Counter[str] = Counter()
        self.search: dict[str, set[str]] = defaultdict(set)
        self.drafts: dict[str, _Draft] = {}
        self.member_of: dict[str, str] = {}  # mention key → draft key
        self.record_persons: dict[str, set[str]] = defaultdict(set)  # citation key → draft keys
        self.record_entities: dict[str, set[str]] = defaultdict(set)  # citation key → other node ids
        self.record_node: dict[str, str] = {}  # citation key → clue/case node id
        self.citation: dict[str, Citation] = {}

    def record(self, kind: str, ident: int, label: str, on: date | None, *, node_kind: NodeKind | None = None,
               title: str = "") -> Citation:
        citation = Citation(kind, str(ident), on)
        self.citation[citation.key] = citation
        self.records[citation.key] = RecordRef(citation.key, kind, label, citation.key, on)
        if node_kind is not None:
            self.nodes[citation.key] = Node(citation.key, node_kind, label, {"title": title}, record=citation)
            self.search[citation.key].update({label, title})
        return citation

    def node(self, ident: str, kind: NodeKind, label: str, **attributes: str) -> str:
        if ident not in self.nodes:
            self.nodes[ident] = Node(ident, kind, label, attributes)
            self.search[ident].add(label)
        return ident

    def link(self, a: str, b: str, kind: LinkKind, citation: Citation, label: str = "") -> None:
        if a != b:
            self.links.append(Link(a, b, kind, (citation,), label))


def _on(moment: datetime | date | None) -> date | None:
    return moment.date() if isinstance(moment, datetime) else moment


def _entity_node(builder: _Builder, mention: MentionRow, *, family: str, hint: str) -> str | None:
    """The node of a non-person entity; anonymised values (某某公司) only within one matter, unplaced names within
    one jurisdiction (李家村 in two counties are two villages)."""
    value = fold(mention.value or mention.text)
    local = family if "某" in value else hint
    form = str(mention.attributes.get("form", ""))
    if mention.kind == "phone":
        return builder.node(f"phone:{value}", NodeKind.PHONE, value)
    if mention.kind == "company" or (mention.kind == "organisation" and form in _COMPANY_FORMS):
        ident = f"company:{family}:{value}" if "某" in value else f"company:{value}"
        return builder.node(ident, NodeKind.COMPANY, value, form=form or "company")
    if mention.kind == "place":
        code = str(mention.attributes.get("code", ""))
        return builder.node(f"place:{code}" if code else f"place:{local}:{value}", NodeKind.PLACE, value, code=code)
    if mention.kind == "position":
        written = fold(mention.text)
        return builder.node(f"official:{local}:{written}", NodeKind.OFFICIAL, written, positions=written)
    return None


def _read_mentions(builder: _Builder, mentions: Iterable[MentionRow], *, families: dict[str, str],
                   hints: dict[str, str]) -> None:
    by_record: dict[str, list[MentionRow]] = defaultdict(list)
    for mention in mentions:
        by_record[f"{mention.record_kind}:{mention.record_id}"].append(mention)
    for key in sorted(by_record, key=lambda k: (k.split(":")[0] != "clue", k)):
        family, hint = families[key], hints.get(key, "")
        found = sorted(by_record[key], key=lambda m: (m.start, -m.end))
        position_ends = {m.end: fold(m.text) for m in found if m.kind == "position"}
        persons = [m for m in found if m.kind == "person"]
        for mention in persons:
            value = fold(mention.value or mention.text)
            draft = builder.drafts.setdefault(f"{family}|{value}", _Draft(mention_person_key(mention)))
            draft.written[value] += 1
            draft.form = draft.form or str(mention.attributes.get("form", ""))
            draft.rank = min(draft.rank, 2 if draft.form == "full" else 3)
            draft.county = draft.county or hint
            if mention.start in position_ends:
                draft.positions.add(position_ends.pop(mention.start))
            draft.records[key] = builder.records[key]
            builder.member_of[mention_person_key(mention)] = f"{family}|{value}"
            builder.record_persons[key].add(f"{family}|{value}")
        people = {f"{family}|{fold(m.value or m.text)}" for m in persons}
        strong = {kind: {m.value for m in found if m.kind == kind} for kind in ("phone", "id_number")}
        if len(people) == 1:  # a lone person in a record: its phone and ID number are theirs
            draft = builder.drafts[next(iter(people))]
            draft.phones = tuple(sorted(set(draft.phones) | strong["phone"])) if len(strong["phone"]) == 1 \
                else draft.phones
            draft.id_number = draft.id_number or (next(iter(strong["id_number"])) if len(strong["id_number"]) == 1
                                                  else "")
        builder.search[builder.record_node[key]].update(strong["id_number"])
        for mention in found:
            if mention.kind == "person" or (mention.kind == "position" and mention.end not in position_ends):
                continue
            ident = _entity_node(builder, mention, family=family, hint=hint)
            if ident is not None:
                builder.record_entities[key].add(ident)


def _records(builder: _Builder, user: User, *, limit: int) -> tuple[dict[str, int], list[str], dict[str, str],
                                                                  dict[str, str], list[int], list[int]]:
    """Load the most recent visible clues, their reports and the cases, as record nodes and citations."""
    limited: list[str] = []

    def capped(rows: Sequence[Any], kind: str) -> list[Any]:
        if len(rows) > limit:
            limited.append(kind)
        return list(rows[:limit])

    clues = capped(list(Clue.objects.visible_to(user).order_by("-created_at", "-id")
                        .values("id", "number", "title", "jurisdiction_path", "created_at")[:limit + 1]),
                   RecordKind.CLUE)
    families: dict[str, str] = {}
    hints: dict[str, str] = {}
    for row in clues:
        key = builder.record(RecordKind.CLUE, row["id"], row["number"] or str(row["id"]), _on(row["created_at"]),
                             node_kind=NodeKind.CLUE, title=row["title"]).key
        families[key], hints[key] = key, jurisdiction_code(row["jurisdiction_path"]) or ""
        builder.record_node[key] = key
    clue_ids: list[int] = [row["id"] for row in clues]
    reports = capped(list(report_list_for_user(user=user).filter(
        voided_at__isnull=True, clue_id__in=clue_ids).order_by("-received_at", "-id")
        .values("id", "number", "clue_id", "received_at")[:limit + 1]), RecordKind.REPORT)
    for row in reports:
        key = builder.record(RecordKind.REPORT, row["id"], row["number"] or str(row["id"]), _on(row["received_at"])).key
        families[key] = builder.record_node[key] = f"clue:{row['clue_id']}"
        hints[key] = hints[families[key]]
    cases = capped(list(case_list_for_user(user=user).order_by("-created_at", "-id")
                        .values("id", "number", "title", "jurisdiction_path", "filed_on", "created_at")
                        [:limit + 1]), RecordKind.CASE)
    for row in cases:
        key = builder.record(RecordKind.CASE, row["id"], row["number"] or str(row["id"]),
                             row["filed_on"] or _on(row["created_at"]), node_kind=NodeKind.CASE, title=row["title"]).key
        families[key], hints[key] = key, jurisdiction_code(row["jurisdiction_path"]) or ""
        builder.record_node[key] = key
    loaded = {"clue": len(clues), "report": len(reports), "case": len(cases)}
    return loaded, limited, families, hints, clue_ids, [row["id"] for row in cases]


def _mentions(record_ids: dict[str, list[int]]) -> list[MentionRow]:
    q = Q(pk__in=[])
    for kind, ids in record_ids.items():
        if ids:
            q |= Q(record_kind=kind, record_id__in=ids)
    rows = EntityMention.objects.filter(q).values_list("record_kind", "record_id", "kind", "text", "value", "start",
                                                       "end", "attributes")
    return [MentionRow(*row) for row in rows]


def _suspects_and_umbrellas(builder: _Builder, user: User, *, case_ids: list[int], clue_ids: list[int],
                            umbrellas: bool) -> list[tuple[str, str, str]]:
    """Suspects (case members) and, for those who may see them, umbrellas as person drafts; returns the links to
    make once persons are resolved: (draft key, node id, what)."""
    pending: list[tuple[str, str, str]] = []
    leaders: dict[int, list[str]] = defaultdict(list)
    for suspect in suspect_list_for_user(user=user).filter(case_id__in=case_ids):
        key = f"suspect:{suspect.pk}"
        draft = builder.drafts.setdefault(key, _Draft(key, rank=0, birth_year=suspect.birth_year,
                                                      id_number=suspect.id_number))
        draft.written[suspect.name] += 1
        draft.aliases.update({suspect.alias} if suspect.alias else set())
        draft.detail = str(suspect.get_role_display())
        draft.records[f"case:{suspect.case_id}"] = builder.records[f"case:{suspect.case_id}"]
        builder.member_of[key] = key
        pending.append((key, f"case:{suspect.case_id}", f"member:{draft.detail}"))
        if suspect.role == "leader" or suspect.name == suspect.case.organization_leader:
            leaders[suspect.case_id].append(key)
        builder.search[f"case:{suspect.case_id}"].add(suspect.id_number)
    if not umbrellas:
        return pending
    for umbrella in umbrella_list_for_user(user=user).filter(Q(case_id__in=case_ids) | Q(clue_id__in=clue_ids)):
        key = f"umbrella:{umbrella.pk}"
        target = f"case:{umbrella.case_id}" if umbrella.case_id in case_ids else f"clue:{umbrella.clue_id}"
        citation = Citation("umbrella", str(umbrella.pk), umbrella.opened_on)
        builder.citation[citation.key] = citation
        builder.records[citation.key] = RecordRef(citation.key, "umbrella", f"{umbrella.name}（{umbrella.position}）",
                                                  target, umbrella.opened_on)
        county = jurisdiction_code(umbrella.jurisdiction_path) or ""
        draft = builder.drafts.setdefault(key, _Draft(key, rank=1, county=county))
        draft.written[umbrella.name] += 1
        draft.positions.add(umbrella.position)
        draft.detail = umbrella.position
        draft.records[citation.key] = builder.records[citation.key]
        builder.member_of[key] = key
        pending.append((key, target, f"protection:{citation.key}"))
        pending.extend((key, f"leader:{leader}", f"protection:{citation.key}")
                       for leader in leaders.get(umbrella.case_id or 0, []))
    return pending


def _judgements(builder: _Builder) -> list[Judgement]:
    """The users' live judgements in terms of this network's person drafts."""
    rep = {member: builder.drafts[draft].key for member, draft in builder.member_of.items()}
    found = []
    for judgement in ResolutionJudgement.objects.filter(voided_at__isnull=True).order_by("decided_at", "pk"):
        record = rep.get(judgement.record)
        others = tuple(dict.fromkeys(rep[o] for o in judgement.others if o in rep and rep[o] != record))
        if record and others:
            found.append(Judgement(judgement.kind, record, others))
    return found


def _same_post(a: Iterable[str], b: Iterable[str]) -> bool:
    """民族街派出所所长 and 派出所所长 may name one post; 所长 and 村支书 do not."""
    return any(x.endswith(y) or y.endswith(x) for x in a for y in b)


def _official_confirmations(drafts: Iterable[_Draft]) -> list[Judgement]:
    """A house rule: the same full name holding the same post in the same county is one official (a person's
    name alone, or their county alone, proves nothing). Passed as confirmations, so an analyst's rejection or split
    still wins."""
    by_name: dict[tuple[str, str], list[_Draft]] = defaultdict(list)
    for draft in drafts:
        if draft.positions and draft.county and draft.rank <= 2 and "某" not in draft.name:
            by_name[(draft.county, draft.name)].append(draft)
    found = []
    for group in by_name.values():
        for i, draft in enumerate(group):
            others = tuple(o.key for o in group[i + 1:] if _same_post(draft.positions, o.positions))
            if others:
                found.append(Judgement(JudgementKind.CONFIRM, draft.key, others))
    return found


def _resolve(records: Sequence[PersonRecord], judgements: Sequence[Judgement]) -> tuple[
        tuple[tuple[str, ...], ...], tuple[MatchEvidence, ...]]:
    """persons_resolve, cached by what it was computed from."""
    digest = hashlib.sha256(repr((sorted(records, key=lambda r: r.id), judgements)).encode()).hexdigest()
    cache_key = f"analytics:persons:{digest}"
    if not records:
        return (), ()
    cached = cache.get(cache_key)
    if cached is not None:
        return cached
    resolution = persons_resolve(records, judgements=judgements)
    result = (resolution.clusters, resolution.matches)
    cache.set(cache_key, result, RESOLUTION_CACHE_SECONDS)
    return result


def _person_nodes(builder: _Builder) -> tuple[dict[str, PersonGroup], dict[str, str]]:
    """Resolve the drafts into person and official nodes; returns the groups and draft key → node id."""
    drafts = {draft.key: draft for draft in builder.drafts.values()}
    ruled = _official_confirmations(drafts.values())
    clusters, matches = _resolve([d.person_record() for d in drafts.values()], [*_judgements(builder), *ruled])
    by_rule = {frozenset((j.record_id, other)) for j in ruled for other in j.other_ids}
    groups: dict[str, PersonGroup] = {}
    node_of: dict[str, str] = {}
    for cluster in clusters:
        members = [drafts[key] for key in cluster]
        ident = "person:" + hashlib.sha256(cluster[0].encode()).hexdigest()[:12]
        best = min(members, key=lambda d: (d.rank, -sum(d.written.values()), d.key))
        names = {n for d in members for n in d.written} | {a for d in members for a in d.aliases}
        positions = sorted({p for d in members for p in d.positions})
        kind = NodeKind.OFFICIAL if positions else NodeKind.PERSON
        label = best.written.most_common(1)[0][0] if best.written else ident
        builder.node(ident, kind, label, names="、".join(sorted(names)), positions="、".join(positions),
                     id_numbers=" ".join(sorted({d.id_number for d in members if d.id_number})),
                     phones=" ".join(sorted({p for d in members for p in d.phones})))
        builder.search[ident].update(names | {d.id_number for d in members} | {p for d in members for p in d.phones})
        groups[ident] = PersonGroup(ident, [PersonMember(d.key, "、".join(d.written), d.detail or "、".join(
            sorted(d.positions)), list(d.records.values())) for d in members])
        node_of.update(dict.fromkeys(cluster, ident))
    for match in matches:
        left, right = node_of[match.left_id], node_of[match.right_id]
        if left == right:
            groups[left].evidence.append(match)
            if frozenset((match.left_id, match.right_id)) in by_rule:
                groups[left].by_rule.add(frozenset((match.left_id, match.right_id)))
        else:
            groups[left].candidates.append((match, right))
            groups[right].candidates.append((match, left))
    return groups, node_of


def _link_records(builder: _Builder, node_of_draft: dict[str, str]) -> None:
    """Each record: its entities named in it (to the clue or case node) and named together (pairwise, capped)."""
    for key, citation in builder.citation.items():
        if key not in builder.record_node:
            continue
        named = sorted({node_of_draft[builder.drafts[d].key] for d in builder.record_persons.get(key, ())}
                       | builder.record_entities.get(key, set()))
        record_node = builder.record_node[key]
        for ident in named:
            builder.weight[ident] += 1
            builder.link(ident, record_node, LinkKind.MENTION, citation)
        together = [n for n in named if builder.nodes[n].kind != NodeKind.PLACE][:CO_MENTION_LIMIT]
        for i, a in enumerate(together):
            for b in together[i + 1:]:
                builder.link(a, b, LinkKind.CO_MENTION, citation)


def network_build(user: User, *, record_limit: int) -> NetworkData:
    """The network of what `user` may see, built from the `record_limit` most recent records of each kind."""
    builder = _Builder()
    loaded, limited, families, hints, clue_ids, case_ids = _records(builder, user, limit=record_limit)
    by_kind: dict[str, list[int]] = defaultdict(list)
    for key in families:
        kind, ident = key.split(":")
        by_kind[kind].append(int(ident))
    _read_mentions(builder, _mentions(by_kind), families=families, hints=hints)
    umbrellas = may_see_umbrellas(user)
    pending = _suspects_and_umbrellas(builder, user, case_ids=case_ids, clue_ids=clue_ids, umbrellas=umbrellas)
    groups, node_of = _person_nodes(builder)
    for link in CaseClue.objects.filter(case_id__in=case_ids, clue_id__in=clue_ids).values("case_id", "clue_id"):
        case_key = f"case:{link['case_id']}"
        builder.link(f"clue:{link['clue_id']}", case_key, LinkKind.ASSOCIATE, builder.citation[case_key])
    for draft_key, target, what in pending:
        source = node_of[draft_key]
        if what.startswith("member:"):
            builder.link(source, target, LinkKind.CASE_MEMBER, builder.citation[target], what.split(":", 1)[1])
            builder.weight[source] += 1
        else:
            target_node = node_of[target.split(":", 1)[1]] if target.startswith("leader:") else target
            builder.link(source, target_node, LinkKind.PROTECTION, builder.citation[what.split(":", 1)[1]])
    _link_records(builder, {draft.key: node_of[draft.key] for draft in builder.drafts.values()})
    network = Network.from_links(builder.nodes.values(), builder.links)
    member_of = {member: node_of[builder.drafts[draft].key] for member, draft in builder.member_of.items()}
    return NetworkData(network=network, records=builder.records, persons=groups, weight=builder.weight,
                       search_words=builder.search,
                       loaded=loaded, limited=limited, umbrellas_included=umbrellas, member_of=member_of,
                       node_ids=list(builder.nodes), record_limit=record_limit)


def searchable_text(text: str) -> str:
    """Folded to Simplified, lower case, without spaces, dashes, dots and brackets: what a search compares."""
    return _SEARCH_NOISE.sub("", fold(text)).lower()


"""What a user may see of the entities and the network: records, their entities, the persons behind them.

Why: the network page, the entity panel and the services must all decide visibility the same way, and the same
way as the rest of the workbench. Every read here starts from the selectors of the lower apps
(`Clue.objects.visible_to`, `report_list_for_user`, `case_list_for_user`, `suspect_list_for_user`,
`umbrella_list_for_user` when `may_see_umbrellas`), so a user's network is built only from records they may see:
a node, a link or a path resting on anything else cannot appear. Umbrellas (protection cases) feed the network only
for those who may see them.

Nodes: clues and cases; persons and officials (resolved, see below); phones; companies, venues and gangs; places
(with their jurisdiction code when the gazetteer knows them); officials' posts named without a name. Anonymised
values (某某公司) are one node only within one matter (a clue with its reports, or a case). Links: an entity named in
a record (to the clue or case node), entities named together in a record, suspects to their case, a case to the
clues it was formed from, and an umbrella's protection of its case and of the case's leader. Every link cites its
record (a report, clue, case or umbrella).

Who is who: the same written name within one matter is one person record; those records, the suspects and the
umbrellas are resolved by `resolution.persons_resolve` with the analysts' live judgements, plus one house rule
passed as confirmations (so an analyst's rejection still wins): the same full name holding the same post in the
same county is one official. A record's county is not taken as the person's place: it says where the matter was
reported, and would merge every 张伟 of a county. The resolution is cached by the content it was computed from.

Bounded work: the network is built from the most recent records (`RECORD_LIMIT` of each kind) and the page says so.
Building it for a large office takes seconds, so each process keeps the networks of a few users and builds one
again only when what it depends on changes (`_stamp`: memberships, and the count and latest change of each kind of
record the user may see) or after `MEMO_SECONDS`.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saohei.analytics.entities_values import fold
from saohei.analytics.graph import Citation, Link, LinkKind, Network, Node, NodeKind
from saohei.analytics.models import EntityCorrection, EntityMention, JudgementKind, RecordKind, ResolutionJudgement
from saohei.analytics.resolution import Judgement, MatchEvidence, PersonRecord, persons_resolve
from saohei.cases.models import Case, CaseClue, Umbrella
from saohei.cases.selectors import case_list_for_user, may_see_umbrellas, suspect_list_for_user, umbrella_list_for_user
from saohei.clues.models import Clue
from saohei.clues.selectors import report_list_for_user
from saohei.intake.models import Report
from saohei.orgs.policies import standing_for

User = AbstractBaseUser | AnonymousUser
Record = Report | Clue | Case

RECORD_LIMIT = 5000  # most recent clues, reports and cases of each kind a network is built from
CO_MENTION_LIMIT = 25  # entities of one record linked pairwise; the rest are linked to the record only
RESOLUTION_CACHE_SECONDS = 600
MEMO_USERS = 8  # networks kept per process, one per user
MEMO_SECONDS = 300

ENTITY_KIND_LABELS = {
    "person": gettext_lazy("person"), "position": gettext_lazy("official's position"),
    "organisation": gettext_lazy("organisation"), "company": gettext_lazy("company"),
    "place": gettext_lazy("place"), "phone": gettext_lazy("phone number"), "id_number": gettext_lazy("ID number"),
    "plate": gettext_lazy("number plate"), "bank_account": gettext_lazy("bank account"),
    "amount": gettext_lazy("amount"), "date": gettext_lazy("date"),
}
NODE_KIND_LABELS = {
    NodeKind.PERSON: gettext_lazy("person"), NodeKind.COMPANY: gettext_lazy("company or organisation"),
    NodeKind.OFFICIAL: gettext_lazy("official"), NodeKind.PHONE: gettext_lazy("phone number"),
    NodeKind.PLACE: gettext_lazy("place"), NodeKind.CLUE: gettext_lazy("clue"), NodeKind.CASE: gettext_lazy("case"),
}
LINK_KIND_LABELS = {
    LinkKind.CO_MENTION: gettext_lazy("named together"), LinkKind.MENTION: gettext_lazy("named in"),
    LinkKind.CASE_MEMBER: gettext_lazy("suspect of the case"), LinkKind.FAMILY: gettext_lazy("family"),
    LinkKind.ASSOCIATE: gettext_lazy("case formed from the clue"), LinkKind.PROTECTION: gettext_lazy("protection"),
    LinkKind.CALL: gettext_lazy("calls"), LinkKind.PAYMENT: gettext_lazy("payments"),
    LinkKind.USES_PHONE: gettext_lazy("uses the phone"),
}
_COMPANY_FORMS = frozenset({"venue", "gang"})
_PERSON_KEY = re.compile(r"^(?P<kind>report|clue|case):(?P<id>\d+)@(?P<start>\d+)-(?P<end>\d+)$|"
                         r"^(?P<other>suspect|umbrella):(?P<other_id>\d+)$")
_SEARCH_NOISE = re.compile(r"[\s\-－—_·•()（）]+")
_memo: OrderedDict[int | None, tuple[tuple[Any, ...], float, NetworkData]] = OrderedDict()
_memo_lock = threading.Lock()


# --- records -----------------------------------------------------------------------------------------------------

def record_queryset_for_user(*, user: User, record_kind: str) -> QuerySet[Any]:
    """The reports, clues or cases the user may see (a report through its clue); nothing for another kind."""
    if record_kind == RecordKind.REPORT:
        return report_list_for_user(user=user).filter(voided_at__isnull=True)
    if record_kind == RecordKind.CLUE:
        return Clue.objects.visible_to(user).select_related("jurisdiction")
    if record_kind == RecordKind.CASE:
        return case_list_for_user(user=user)
    return Clue.objects.none()


def record_get_for_user(*, user: User, record_kind: str, record_id: int) -> Record:
    """The record, or 404 alike for missing and not visible."""
    record: Record | None = record_queryset_for_user(user=user, record_kind=record_kind).filter(pk=record_id).first()
    if record is None:
        raise Http404(_("No such record."))
    return record


@dataclass(frozen=True)
class RecordSource:
    """The text whose entities are extracted, and what to show about the record it comes from."""

    kind: str
    id: int
    text: str
    hint: str | None  # the code of the record's jurisdiction, to resolve place names several divisions share
    label: str


def _last_code(path: str) -> str | None:
    return path.rstrip("/").rsplit("/", 1)[-1] or None


def record_source(record: Record) -> RecordSource:
    """A report's subject and content, a clue's or a case's title and summary: the text entity spans index."""
    if isinstance(record, Report):
        return RecordSource(RecordKind.REPORT, record.pk, f"{record.subject}\n{record.content}",
                            record.jurisdiction.code, record.number or str(record.pk))
    hint = _last_code(record.jurisdiction_path)
    kind = RecordKind.CLUE if isinstance(record, Clue) else RecordKind.CASE
    return RecordSource(kind, record.pk, f"{record.title}\n{record.summary}", hint, record.number or str(record.pk))


def record_source_get(*, record_kind: str, record_id: int) -> RecordSource | None:
    """The source of any record, whoever asks (tasks and services that checked the user before); None when it is
    missing or voided."""
    record: Record | None
    if record_kind == RecordKind.REPORT:
        record = Report.objects.filter(pk=record_id, voided_at__isnull=True).select_related("jurisdiction").first()
    elif record_kind == RecordKind.CLUE:
        record = Clue.objects.filter(pk=record_id).first()
    elif record_kind == RecordKind.CASE:
        record = Case.objects.filter(pk=record_id, voided_at__isnull=True).first()
    else:
        record = None
    return None if record is None else record_source(record)


def record_url(kind: str, ident: int | str) -> str:
    names = {RecordKind.REPORT: "report-detail", RecordKind.CLUE: "clue-detail", RecordKind.CASE: "case-detail"}
    return reverse(names[RecordKind(kind)], kwargs={"pk": int(ident)}) if kind in names else ""


def record_mentions(*, record_kind: str, record_id: int) -> list[EntityMention]:
    return list(EntityMention.objects.filter(record_kind=record_kind, record_id=record_id).order_by("start", "-end"))


def record_corrections(*, record_kind: str, record_id: int) -> list[EntityCorrection]:
    return list(EntityCorrection.objects.filter(record_kind=record_kind, record_id=record_id)
                .select_related("corrected_by").order_by("corrected_at", "pk"))


def record_visible(*, user: User, record_kind: str, record_id: int) -> bool:
    return record_queryset_for_user(user=user, record_kind=record_kind).filter(pk=record_id).exists()


# --- person records named in judgements ----------------------------------------------------------------------------

class MentionRow(NamedTuple):
    """The fields of an EntityMention the network needs, read without building model instances."""

    record_kind: str
    record_id: int
    kind: str
    text: str
    value: str
    start: int
    end: int
    attributes: dict[str, Any]


def mention_person_key(mention: EntityMention | MentionRow) -> str:
    """A person as one record writes them: stable across re-extraction (the span, not the row id, which changes)."""
    return f"{mention.record_kind}:{mention.record_id}@{mention.start}-{mention.end}"


def person_key_visible(*, user: User, key: str) -> bool:
    """Whether `key` names a person the user may see: a person mention of a visible record, a visible suspect, or a
    protection case (umbrella) the user may see."""
    match = _PERSON_KEY.match(key)
    if match is None:
        return False
    if match["kind"]:
        exists = EntityMention.objects.filter(record_kind=match["kind"], record_id=int(match["id"]), kind="person",
                                              start=int(match["start"]), end=int(match["end"])).exists()
        return exists and record_visible(user=user, record_kind=match["kind"], record_id=int(match["id"]))
    ident = int(match["other_id"])
    if match["other"] == "suspect":
        return suspect_list_for_user(user=user).filter(pk=ident).exists()
    return may_see_umbrellas(user) and umbrella_list_for_user(user=user).filter(pk=ident).exists()


# --- the network ---------------------------------------------------------------------------------------------------

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
    member_of: dict[str, str] = field(default_factory=dict)  # person member key → person node id
    node_ids: list[str] = field(default_factory=list)
    record_limit: int = RECORD_LIMIT
    _search_text: dict[str, str] | None = None

    @property
    def search_text(self) -> dict[str, str]:
        """Each node's names, aliases, phones and ID numbers, folded for search (worked out on the first search)."""
        if self._search_text is None:
            self._search_text = {n: _searchable(" ".join(w for w in words if w))
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


def _records(builder: _Builder, user: User) -> tuple[dict[str, int], list[str], dict[str, str], dict[str, str],
                                                      list[int], list[int]]:
    """Load the most recent visible clues, their reports and the cases, as record nodes and citations."""
    limited: list[str] = []

    def capped(rows: Sequence[Any], kind: str) -> list[Any]:
        if len(rows) > RECORD_LIMIT:
            limited.append(kind)
        return list(rows[:RECORD_LIMIT])

    clues = capped(list(Clue.objects.visible_to(user).order_by("-created_at", "-id")
                        .values("id", "number", "title", "jurisdiction_path", "created_at")[:RECORD_LIMIT + 1]),
                   RecordKind.CLUE)
    families: dict[str, str] = {}
    hints: dict[str, str] = {}
    for row in clues:
        key = builder.record(RecordKind.CLUE, row["id"], row["number"] or str(row["id"]), _on(row["created_at"]),
                             node_kind=NodeKind.CLUE, title=row["title"]).key
        families[key], hints[key] = key, _last_code(row["jurisdiction_path"]) or ""
        builder.record_node[key] = key
    clue_ids: list[int] = [row["id"] for row in clues]
    reports = capped(list(report_list_for_user(user=user).filter(
        voided_at__isnull=True, clue_id__in=clue_ids).order_by("-received_at", "-id")
        .values("id", "number", "clue_id", "received_at")[:RECORD_LIMIT + 1]), RecordKind.REPORT)
    for row in reports:
        key = builder.record(RecordKind.REPORT, row["id"], row["number"] or str(row["id"]), _on(row["received_at"])).key
        families[key] = builder.record_node[key] = f"clue:{row['clue_id']}"
        hints[key] = hints[families[key]]
    cases = capped(list(case_list_for_user(user=user).order_by("-created_at", "-id")
                        .values("id", "number", "title", "jurisdiction_path", "filed_on", "created_at")
                        [:RECORD_LIMIT + 1]), RecordKind.CASE)
    for row in cases:
        key = builder.record(RecordKind.CASE, row["id"], row["number"] or str(row["id"]),
                             row["filed_on"] or _on(row["created_at"]), node_kind=NodeKind.CASE, title=row["title"]).key
        families[key], hints[key] = key, _last_code(row["jurisdiction_path"]) or ""
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
        draft = builder.drafts.setdefault(key, _Draft(key, rank=1, county=_last_code(umbrella.jurisdiction_path) or ""))
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


def _network_build(user: User) -> NetworkData:
    builder = _Builder()
    loaded, limited, families, hints, clue_ids, case_ids = _records(builder, user)
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
                       node_ids=list(builder.nodes), record_limit=RECORD_LIMIT)


def _stamp(user: User) -> tuple[Any, ...]:
    """What the network of a user depends on, in a few aggregate queries over what the user may see: memberships,
    and the count and latest change of every kind of record it reads. A change of any builds the network again;
    a change the user cannot see (another county's intake) does not."""
    standing = standing_for(user)
    memberships = (standing.is_superuser, sorted((k, sorted(v)) for k, v in standing.office_roles.items()),
                   sorted((k, sorted(v)) for k, v in standing.unit_roles.items()), sorted(standing.chief_family_roots))
    clues = Clue.objects.visible_to(user)
    cases = case_list_for_user(user=user)
    reports = report_list_for_user(user=user).filter(voided_at__isnull=True)
    mentions = EntityMention.objects.filter(
        Q(record_kind=RecordKind.CLUE, record_id__in=clues.values("pk"))
        | Q(record_kind=RecordKind.REPORT, record_id__in=reports.values("pk"))
        | Q(record_kind=RecordKind.CASE, record_id__in=cases.values("pk")))
    umbrellas = umbrella_list_for_user(user=user) if may_see_umbrellas(user) else Umbrella.objects.none()
    sets: list[tuple[QuerySet[Any], str]] = [
        (clues, "updated_at"), (reports, "pk"), (cases, "updated_at"), (mentions, "pk"),
        (CaseClue.objects.filter(case__in=cases.values("pk")), "pk"),
        (suspect_list_for_user(user=user), "updated_at"), (umbrellas, "updated_at"),
        (ResolutionJudgement.objects.filter(voided_at__isnull=True), "pk")]
    latest = [tuple(queryset.aggregate(count=Count("pk"), last=Max(column)).values()) for queryset, column in sets]
    return (RECORD_LIMIT, repr(memberships), *latest)


def network_for_user(user: User) -> NetworkData:
    """The network of what `user` may see (see the module docstring); kept per process for a few users until any
    record it depends on changes, or for `MEMO_SECONDS` at most."""
    stamp = _stamp(user)
    with _memo_lock:
        hit = _memo.get(user.pk)
        if hit is not None and hit[0] == stamp and time.monotonic() - hit[1] < MEMO_SECONDS:
            _memo.move_to_end(user.pk)
            return hit[2]
    data = _network_build(user)
    with _memo_lock:
        _memo[user.pk] = (stamp, time.monotonic(), data)
        while len(_memo) > MEMO_USERS:
            _memo.popitem(last=False)
    return data


def network_forget() -> None:
    """Drop every network kept by this process (tests)."""
    with _memo_lock:
        _memo.clear()


# --- questions on it -----------------------------------------------------------------------------------------------

def _searchable(text: str) -> str:
    return _SEARCH_NOISE.sub("", fold(text)).lower()


def network_search(data: NetworkData, query: str, *, limit: int = 20) -> list[Node]:
    """Nodes whose name, alias, phone or ID number contains the query (Traditional or Simplified alike); exact
    names first, then those named in the most records."""
    needle = _searchable(query)
    if not needle:
        return []
    hits = []
    for ident, haystack in data.search_text.items():
        if needle in haystack:
            node = data.network.node(ident)
            exact = _searchable(node.label) == needle or ident == query.strip()
            hits.append((not exact, -data.weight[ident], node.label, node))
    return [hit[-1] for hit in sorted(hits, key=lambda h: h[:3])[:limit]]


def network_node(data: NetworkData, ident: str) -> Node | None:
    try:
        return data.network.node(ident)
    except KeyError:
        return None


def network_resolve_term(data: NetworkData, term: str) -> tuple[Node | None, list[Node]]:
    """A node id or a search term as the page's "from" and "to": the chosen node and the other matches."""
    exact = network_node(data, term.strip())
    if exact is not None:
        return exact, []
    found = network_search(data, term, limit=6)
    return (found[0], found[1:]) if found else (None, [])


def network_top_entities(data: NetworkData, *, limit: int = 20) -> list[tuple[Node, int]]:
    """The persons, officials, companies and phones named in the most records."""
    kinds = {NodeKind.PERSON, NodeKind.OFFICIAL, NodeKind.COMPANY, NodeKind.PHONE}
    ranked = [(data.network.node(n), count) for n, count in data.weight.most_common()
              if data.network.node(n).kind in kinds]
    return ranked[:limit]


def citations_as_records(data: NetworkData, citations: Iterable[Citation]) -> list[RecordRef]:
    """The records behind some links, as the page shows them, each once, newest first."""
    refs = {c.key: data.records[c.key] for c in citations if c.key in data.records}
    return sorted(refs.values(), key=lambda r: (r.on or date.min, r.key), reverse=True)

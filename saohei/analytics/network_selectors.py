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
Building it for a large office takes seconds (13–17 s at 5,000 clues), so a built network is kept and shared: by
everyone with the same memberships (they may see the same records), stamped with what it depends on (`_stamp`: the
memberships, and the count and latest change of each kind of record they may see), in this process for a few sets
of memberships and in Django's cache for every process. It is built again when its stamp changes, or
`NETWORK_CACHE_SECONDS` after it was built; `network_warm_office` builds it before the first user asks
(`saohei analytics network-warm`, and a task after new entities: ADR 0008).

The records and person keys are read in `network_records`, the network is built in `network_build`; this module
keeps the networks and answers the page's questions, and re-exports what other modules import from here.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import pickle
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext_lazy

from saohei.analytics.graph import Citation, LinkKind, Node, NodeKind
from saohei.analytics.models import EntityMention, RecordKind, ResolutionJudgement
from saohei.analytics.network_build import (
    CO_MENTION_LIMIT,
    RESOLUTION_CACHE_SECONDS,
    NetworkData,
    PersonGroup,
    PersonMember,
    RecordRef,
    network_build,
    searchable_text,
)
from saohei.analytics.network_records import (
    MentionRow,
    Record,
    RecordSource,
    User,
    mention_person_key,
    person_key_visible,
    record_corrections,
    record_get_for_user,
    record_mentions,
    record_queryset_for_user,
    record_source,
    record_source_get,
    record_url,
    record_visible,
)
from saohei.cases.models import Case, CaseClue, Umbrella
from saohei.cases.selectors import case_list_for_user, may_see_umbrellas, suspect_list_for_user, umbrella_list_for_user
from saohei.clues.models import Clue
from saohei.clues.selectors import report_list_for_user
from saohei.intake.models import Report
from saohei.orgs.models import Membership, Office
from saohei.orgs.policies import standing_for

__all__ = [
    "CO_MENTION_LIMIT",
    "ENTITY_KIND_LABELS",
    "LINK_KIND_LABELS",
    "NETWORK_CACHE_SECONDS",
    "NODE_KIND_LABELS",
    "RECORD_LIMIT",
    "RESOLUTION_CACHE_SECONDS",
    "MentionRow",
    "NetworkData",
    "NetworkWarming",
    "PersonGroup",
    "PersonMember",
    "Record",
    "RecordRef",
    "RecordSource",
    "User",
    "citations_as_records",
    "mention_person_key",
    "network_build",
    "network_for_user",
    "network_forget",
    "network_node",
    "network_resolve_term",
    "network_search",
    "network_top_entities",
    "network_warm",
    "network_warm_members",
    "network_warm_office",
    "person_key_visible",
    "record_corrections",
    "record_get_for_user",
    "record_mentions",
    "record_offices",
    "record_queryset_for_user",
    "record_source",
    "record_source_get",
    "record_url",
    "record_visible",
]

logger = logging.getLogger(__name__)

RECORD_LIMIT = 5000  # most recent clues, reports and cases of each kind a network is built from
MEMO_SCOPES = 8  # networks kept per process, one per set of memberships
NETWORK_CACHE_SECONDS = 12 * 3600  # a network is served at most this long after it was built (ADR 0008)
NETWORK_CACHE_PREFIX = "analytics:network:"

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
_memo: OrderedDict[str, tuple[tuple[Any, ...], float, NetworkData]] = OrderedDict()  # scope → (stamp, built, data)
_memo_lock = threading.Lock()


# --- keeping the networks ------------------------------------------------------------------------------------------

def _memberships(user: User) -> str:
    """What a user may see follows from their memberships alone: users with the same ones share a network."""
    standing = standing_for(user)
    memberships = (standing.is_superuser, sorted((k, sorted(v)) for k, v in standing.office_roles.items()),
                   sorted((k, sorted(v)) for k, v in standing.unit_roles.items()), sorted(standing.chief_family_roots))
    return repr(memberships)


def _stamp(user: User) -> tuple[Any, ...]:
    """What the network of a user depends on, in a few aggregate queries over what the user may see: memberships,
    and the count and latest change of every kind of record it reads. A change of any builds the network again;
    a change the user cannot see (another county's intake) does not."""
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
    return (RECORD_LIMIT, _memberships(user), *latest)


def _scope(user: User, stamp: tuple[Any, ...]) -> str:
    """The key of a network in the memo and in the cache: the record limit and the memberships it was built for (an
    anonymous user shares with nobody)."""
    built_for = repr((stamp[0], stamp[1], user.is_authenticated))
    return NETWORK_CACHE_PREFIX + hashlib.sha256(built_for.encode()).hexdigest()[:40]


def _cached(scope: str) -> tuple[tuple[Any, ...], float, bytes] | None:
    """(stamp, built at, the network compressed) from Django's cache, or None (also when the cache is down)."""
    try:
        entry = cache.get(scope)
    except Exception:  # a cache server that is down must not take the page with it
        logger.warning("the network cache could not be read", exc_info=True)
        return None
    return entry if isinstance(entry, tuple) and len(entry) == 3 else None


def _cache_keep(scope: str, stamp: tuple[Any, ...], built: float, data: NetworkData) -> None:
    """Keep a built network in Django's cache, compressed: 12 MB of pickle for 30,000 nodes is 3 MB (ADR 0008)."""
    blob = zlib.compress(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL), 1)
    try:
        cache.set(scope, (stamp, built, blob), NETWORK_CACHE_SECONDS)
    except Exception:
        logger.warning("the network cache could not be written", exc_info=True)


def _network_loads(blob: bytes) -> NetworkData:
    """A network kept by `_cache_keep`, unpickled with the cyclic garbage collector paused: the millions of objects
    unpickling creates would set off collections that cost most of the load (measured at 5,000 clues,
    benchmarks/network_bench.py: 1.15–1.47 s with the collector, 0.33–0.36 s without)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        data: NetworkData = pickle.loads(zlib.decompress(blob))  # noqa: S301 - written by _cache_keep only
    finally:
        if paused:
            gc.enable()
    return data


def _current(stamp: tuple[Any, ...], entry_stamp: tuple[Any, ...], built: float) -> bool:
    return entry_stamp == stamp and time.time() - built < NETWORK_CACHE_SECONDS


def _memo_keep(scope: str, stamp: tuple[Any, ...], built: float, data: NetworkData) -> None:
    with _memo_lock:
        _memo[scope] = (stamp, built, data)
        _memo.move_to_end(scope)
        while len(_memo) > MEMO_SCOPES:
            _memo.popitem(last=False)


def network_for_user(user: User) -> NetworkData:
    """The network of what `user` may see (see the module docstring): from this process's memo, else from Django's
    cache, else built (and kept in both) — whichever holds it with the current stamp."""
    stamp = _stamp(user)
    scope = _scope(user, stamp)
    with _memo_lock:
        hit = _memo.get(scope)
        if hit is not None and _current(stamp, hit[0], hit[1]):
            _memo.move_to_end(scope)
            return hit[2]
    entry = _cached(scope)
    if entry is not None and _current(stamp, entry[0], entry[1]):
        data = _network_loads(entry[2])
        _memo_keep(scope, stamp, entry[1], data)
        return data
    built = time.time()  # before the build: a change while it runs makes the next request build again
    data = network_build(user, record_limit=RECORD_LIMIT)
    _cache_keep(scope, stamp, built, data)
    _memo_keep(scope, stamp, built, data)
    return data


def network_warm(user: User) -> bool:
    """Build the network of `user` into Django's cache before they ask for it, unless the cache holds one with the
    current stamp built less than half of `NETWORK_CACHE_SECONDS` ago; True when it built one."""
    stamp = _stamp(user)
    scope = _scope(user, stamp)
    entry = _cached(scope)
    if entry is not None and entry[0] == stamp and time.time() - entry[1] < NETWORK_CACHE_SECONDS / 2:
        return False
    built = time.time()
    _cache_keep(scope, stamp, built, network_build(user, record_limit=RECORD_LIMIT))
    return True


@dataclass(frozen=True)
class NetworkWarming:
    """What one warm-up of an office did: its members' distinct sets of memberships, and how many networks it
    built (none for a set whose network was current)."""

    office: str
    membership_sets: int
    built: int
    seconds: float


def network_warm_members(*, office: Office) -> list[AbstractBaseUser]:
    """One active member of the office (of the office itself, of its units and of its working groups) per distinct
    set of memberships: whose networks warm the whole office's."""
    members = Membership.objects.filter(Q(office=office) | Q(unit__office=office) | Q(working_group__office=office),
                                        active=True).values("user_id")
    chosen: dict[str, AbstractBaseUser] = {}
    for user in get_user_model().objects.filter(pk__in=members, is_active=True).order_by("pk"):
        chosen.setdefault(_memberships(user), user)
    return list(chosen.values())


def network_warm_office(*, office: Office) -> NetworkWarming:
    """Warm the network of every member of the office, once per distinct set of memberships."""
    began = time.monotonic()
    members = network_warm_members(office=office)
    built = sum(network_warm(user) for user in members)
    return NetworkWarming(office=str(office), membership_sets=len(members), built=built,
                          seconds=round(time.monotonic() - began, 1))


def record_offices(*, record_kind: str, record_id: int) -> list[int]:
    """The offices at and above the jurisdiction of a record (a report: of its clue), whose members' networks it is
    in; none for a missing record or another kind."""
    path: str | None = None
    if record_kind == RecordKind.CLUE:
        path = Clue.objects.filter(pk=record_id).values_list("jurisdiction_path", flat=True).first()
    elif record_kind == RecordKind.REPORT:
        path = Report.objects.filter(pk=record_id).values_list("clue__jurisdiction_path", flat=True).first()
    elif record_kind == RecordKind.CASE:
        path = Case.objects.filter(pk=record_id).values_list("jurisdiction_path", flat=True).first()
    if not path:
        return []
    offices = Office.objects.filter(jurisdiction__code__in=path.strip("/").split("/"))
    return [office.pk for office in offices.select_related("jurisdiction") if path.startswith(office.jurisdiction.path)]


def network_forget() -> None:
    """Drop every network kept by this process (tests; those in Django's cache go with `cache.clear()`)."""
    with _memo_lock:
        _memo.clear()


# --- questions on it -----------------------------------------------------------------------------------------------

def network_search(data: NetworkData, query: str, *, limit: int = 20) -> list[Node]:
    """Nodes whose name, alias, phone or ID number contains the query (Traditional or Simplified alike); exact
    names first, then those named in the most records."""
    needle = searchable_text(query)
    if not needle:
        return []
    hits = []
    for ident, haystack in data.search_text.items():
        if needle in haystack:
            node = data.network.node(ident)
            exact = searchable_text(node.label) == needle or ident == query.strip()
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

"""Bulk benchmark data for the outcome figures (issue 4): clues, cases and what the cases yield.

`python -m benchmarks.cases_seed` fills PostgreSQL database `saohei_cases_bench` (created if missing,
migrated) with the full 2024 jurisdiction tree, the demo organisation, an office with a police bureau,
procuratorate, court and discipline commission in every jurisdiction, and — by default — 1,000,000
clues, 100,000 cases (with their stage history, offences and clue links), 500,000 suspects, 200,000
assets, 10,000 protective umbrellas and 20,000 target fugitives, spread over every province, city and
county (by a rough population weight) and over the three years up to the day of seeding.

The rows go in with COPY, straight into the tables, in chunks (memory stays bounded): the services
audit every row, and the point here is the read path over large tables. Everything after the
organisation is one transaction, so an interrupted run leaves no half-seeded tables; a second run at
the same size does nothing; `--reset` drops and re-creates the database.

CustodyChange and AssetChange rows (the histories) are not seeded: no figure reads them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from benchmarks.run import _create_database, _setup

DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/saohei_cases_bench"
YEARS = 3
UTC = dt.UTC

# Rough population in millions (2020 census), so that the figures of a province look like its size.
PROVINCE_WEIGHT = {
    "11": 22, "12": 14, "13": 74, "14": 35, "15": 24, "21": 42, "22": 24, "23": 31, "31": 25, "32": 85,
    "33": 65, "34": 61, "35": 42, "36": 45, "37": 101, "41": 99, "42": 58, "43": 66, "44": 126, "45": 50,
    "46": 10, "50": 32, "51": 84, "52": 39, "53": 47, "54": 4, "61": 39, "62": 25, "63": 6, "64": 7, "65": 26,
}
UNIT_KINDS = {
    "police_bureau": "公安局",
    "procuratorate": "人民检察院",
    "court": "人民法院",
    "discipline_commission": "纪委监委",
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建国志红海波辉鹏飞斌宇浩凯健俊帆帅旭宁龙林欣"
SUBJECTS = ["强迫交易", "寻衅滋事", "敲诈勒索", "非法拘禁", "套路贷", "欺行霸市", "滋扰工地", "开设赌场", "暴力拆迁",
            "垄断砂石", "非法采矿", "操纵选举"]
NICKNAMES = ["老大", "四哥", "光头", "黑皮", "小五", "二狗", "大飞", "阿强"]
POSITIONS = ["派出所所长", "村党支部书记", "公安分局副局长", "自然资源局科长", "街道办事处主任", "交通运输局副局长",
             "乡镇党委副书记", "市场监管所所长"]
STATES_CLUE = [
    ("received", 3), ("valid", 3), ("duplicate", 5), ("referred", 5), ("invalid", 6), ("assigned", 6),
    ("verifying", 8), ("concluded", 4), ("signed", 6), ("closed", 52), ("review", 2),
]
SIGNED_STATES = {"signed", "closed", "review"}
CHANNELS = [("hotline", 30), ("portal", 20), ("letter", 8), ("visit", 6), ("email", 3), ("wechat", 8),
            ("incident_110", 8), ("higher_referral", 6), ("screening", 8), ("unit_transfer", 2), ("case_spinoff", 1)]
CONCLUSIONS = [("substantiated", 22), ("partly_substantiated", 16), ("unsubstantiated", 52), ("unverifiable", 10)]
ORG_TYPES = [("", 70), ("mafia_type_organization", 2), ("evil_force_group", 6), ("evil_force_gang", 22)]
# Relative number of suspects, assets and umbrellas per case, by organisation type.
SUSPECT_WEIGHT = {"": 2.5, "mafia_type_organization": 22.0, "evil_force_group": 10.0, "evil_force_gang": 6.0}
ASSET_WEIGHT = {"": 1.0, "mafia_type_organization": 12.0, "evil_force_group": 5.0, "evil_force_gang": 3.0}
ORG_NAMES = {"mafia_type_organization": "黑社会性质组织", "evil_force_group": "恶势力犯罪集团",
             "evil_force_gang": "恶势力团伙"}
UMBRELLA_WEIGHT = {"": 0.02, "mafia_type_organization": 3.0, "evil_force_group": 0.8, "evil_force_gang": 0.25}
ASSET_KINDS = [("cash", 15), ("deposit", 35), ("real_estate", 15), ("vehicle", 20), ("equity", 5), ("valuables", 5),
               ("other", 5)]
FUGITIVE_OUTCOMES = [("arrested", 60), ("surrendered", 15), ("persuaded", 13), ("extradited", 3), ("died", 2),
                     ("at_large", 7)]
UMBRELLA_OUTCOMES = [("party_discipline", 35), ("administrative_sanction", 10), ("party_and_administrative", 25),
                     ("transferred_judicial", 22), ("not_substantiated", 8)]


@dataclass(frozen=True)
class Place:
    id: int
    code: str
    name: str
    path: str
    office_id: int
    units: dict[str, int]
    parent_office_id: int | None


@dataclass
class World:
    """The places records fall in, with their weights, and the ids to start the new rows at."""

    today: dt.date
    first_day: dt.date
    places: list[Place]
    weights: list[float]
    categories: list[int]
    next_id: dict[str, int] = field(default_factory=dict)

    def day(self, rng: random.Random) -> dt.date:
        # Slightly more records in later years, as a campaign picks up.
        span = (self.today - self.first_day).days
        return self.first_day + dt.timedelta(days=int(span * math.sqrt(rng.random())))

    def ids(self, table: str, n: int) -> range:
        start = self.next_id[table]
        self.next_id[table] = start + n
        return range(start, start + n)


def _choices(rng: random.Random, table: Sequence[tuple[str, int]], k: int = 1) -> list[str]:
    return rng.choices([v for v, _w in table], [w for _v, w in table], k=k)


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _cap(day: dt.date | None, today: dt.date) -> dt.date | None:
    return day if day is not None and day <= today else None


def _later(day: dt.date | None, low: int, high: int, rng: random.Random, today: dt.date) -> dt.date | None:
    if day is None:
        return None
    return _cap(day + dt.timedelta(days=rng.randint(low, high)), today)


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    # Office hours in China (UTC+8): 01:00–10:00 UTC.
    return dt.datetime.combine(day, dt.time(1), tzinfo=UTC) + dt.timedelta(minutes=rng.randint(0, 540))


# --- the organisation ----------------------------------------------------------------------------


def _organisation() -> dict[str, Any]:
    """Jurisdictions, the demo organisation, and an office with four units in every jurisdiction."""
    from django.db import transaction

    from saohei.clues.models import OffenceCategory
    from saohei.demo.org import build_org
    from saohei.orgs.models import Jurisdiction, Office, Unit
    from saohei.orgs.services import jurisdiction_load_divisions

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    if Jurisdiction.objects.filter(level="county").count() < 2000:
        jurisdiction_load_divisions(year=2024)
    if not Office.objects.filter(jurisdiction__code="420103").exists():
        build_org()
    timings["divisions_and_demo_org_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with transaction.atomic():
        places = list(Jurisdiction.objects.all())
        has_office = set(Office.objects.values_list("jurisdiction_id", flat=True))
        Office.objects.bulk_create(
            [
                Office(jurisdiction=j, name=f"{j.name}扫黑除恶斗争领导小组办公室")
                for j in places
                if j.pk not in has_office
            ],
            batch_size=1000,
        )
        offices = {o.jurisdiction_id: o for o in Office.objects.all()}
        have = {(u.office_id, u.kind) for u in Unit.objects.filter(parent__isnull=True)}
        Unit.objects.bulk_create(
            [
                Unit(name=f"{j.name}{label}", kind=kind, jurisdiction=j, office=offices[j.pk])
                for j in places
                for kind, label in UNIT_KINDS.items()
                if (offices[j.pk].pk, kind) not in have
            ],
            batch_size=2000,
        )
    timings["offices_and_units_s"] = time.perf_counter() - t0
    return {"timings": timings, "categories": list(OffenceCategory.objects.values_list("pk", flat=True))}


def _world(today: dt.date, rng: random.Random) -> World:
    from saohei.orgs.models import Jurisdiction, Office, Unit

    nodes = {j.pk: j for j in Jurisdiction.objects.all()}
    office_of = dict(Office.objects.values_list("jurisdiction_id", "pk"))
    units: dict[int, dict[str, int]] = defaultdict(dict)
    for office_id, kind, pk in Unit.objects.filter(parent__isnull=True, kind__in=UNIT_KINDS).order_by("pk").values_list(
        "office_id", "kind", "pk"
    ):
        units[office_id].setdefault(kind, pk)

    def place(j: Any) -> Place:
        parent_office = office_of.get(j.parent_id) if j.parent_id else None
        office = office_of[j.pk]
        return Place(j.pk, j.code, j.name, j.path, office, units[office], parent_office)

    # Weight each county by its province's population, varied within the province; a fifth of the
    # records belong to a city (or a municipality's own level), a few to the province itself.
    by_province: dict[str, list[Any]] = defaultdict(list)
    for j in nodes.values():
        if j.level == "county":
            by_province[j.code[:2]].append(j)
    weight: dict[int, float] = defaultdict(float)
    for prefix, counties in by_province.items():
        share = PROVINCE_WEIGHT.get(prefix, 0) / len(counties)
        for county in counties:
            w = share * rng.lognormvariate(0, 0.6)
            weight[county.pk] += 0.80 * w
            parent = nodes[county.parent_id]
            weight[parent.pk] += 0.17 * w
            province = parent if parent.level == "province" or parent.parent_id is None else nodes[parent.parent_id]
            weight[province.pk] += 0.03 * w
    chosen = [pk for pk, w in weight.items() if w > 0]
    return World(
        today=today,
        first_day=today - dt.timedelta(days=365 * YEARS),
        places=[place(nodes[pk]) for pk in chosen],
        weights=[weight[pk] for pk in chosen],
        categories=[],
    )


# --- COPY ----------------------------------------------------------------------------------------


COLUMNS: dict[str, tuple[str, ...]] = {
    "clues_clue": (
        "id", "number", "title", "summary", "source", "state", "jurisdiction_path", "priority", "names_officials",
        "report_count", "review_pending", "referred_to", "triage_note", "triaged_at", "deadline", "assigned_at",
        "concluded_at", "signed_at", "concluded_on_time", "conclusion", "feedback_text",
        "feedback_impossible_reason", "reply_text", "closed_at", "supervision_level", "created_at", "updated_at",
        "jurisdiction_id", "office_id", "category_id",
    ),
    "cases_case": (
        "id", "void_reason", "voided_at", "number", "title", "summary", "kind", "origin", "jurisdiction_path",
        "organization_type", "organization_name", "organization_leader", "stage", "filed_on", "solved_on",
        "indicted_on", "first_judgment_on", "effective_judgment_on", "supervision_level", "lead_official",
        "lead_official_position", "destroyed", "destroyed_on", "regulator_negligence", "created_at", "updated_at",
        "jurisdiction_id", "office_id", "stage_unit_id",
    ),
    "cases_case_offences": ("case_id", "offencecategory_id"),
    "cases_caseclue": ("linked_at", "case_id", "clue_id"),
    "cases_casestage": ("stage", "started_on", "note", "recorded_at", "case_id", "unit_id"),
    "cases_suspect": (
        "id", "void_reason", "voided_at", "jurisdiction_path", "name", "alias", "id_number", "birth_year", "role",
        "custody", "detained_on", "arrested_on", "surrendered", "outcome", "indicted_on", "judged_on", "sentence",
        "sentence_months", "created_at", "updated_at", "case_id",
    ),
    "cases_asset": (
        "void_reason", "voided_at", "jurisdiction_path", "kind", "description", "holder", "amount", "state",
        "secured_on", "state_on", "created_at", "updated_at", "case_id",
    ),
    "cases_umbrella": (
        "void_reason", "jurisdiction_path", "name", "position", "employer", "party_member", "opened_on", "state",
        "outcome", "outcome_on", "handling", "created_at", "updated_at", "case_id", "clue_id", "handling_unit_id",
        "office_id",
    ),
    "cases_fugitive": (
        "void_reason", "jurisdiction_path", "name", "alias", "id_number", "listed_on", "location", "outcome",
        "outcome_on", "note", "created_at", "updated_at", "case_id", "office_id", "suspect_id",
    ),
}


def _copy(cursor: Any, table: str, rows: Iterable[Sequence[Any]]) -> int:
    n = 0
    with cursor.copy(f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


# --- clues ---------------------------------------------------------------------------------------


@dataclass
class Formable:
    """Clues concluded substantiated, by place: what cases are formed from."""

    by_place: dict[int, list[tuple[int, dt.date]]] = field(default_factory=lambda: defaultdict(list))


def _clue_rows(world: World, rng: random.Random, ids: range, formable: Formable) -> Iterator[tuple[Any, ...]]:
    states = _choices(rng, STATES_CLUE, k=len(ids))
    channels = _choices(rng, CHANNELS, k=len(ids))
    picks = rng.choices(range(len(world.places)), world.weights, k=len(ids))
    now = dt.datetime.combine(world.today, dt.time(10), tzinfo=UTC)
    for pk, state, source, p in zip(ids, states, channels, picks, strict=True):
        place = world.places[p]
        created = _at(world.day(rng), rng)
        if state in SIGNED_STATES or state == "concluded":
            took = dt.timedelta(days=rng.randint(12, 75), minutes=rng.randint(0, 600))
            if created + took > now:
                state = "verifying"
        triaged = None if state == "received" else created + dt.timedelta(hours=rng.randint(2, 60))
        assigned = triaged + dt.timedelta(hours=rng.randint(1, 48)) if state not in {
            "received", "valid", "duplicate", "referred", "invalid"} and triaged else None
        deadline = (assigned + dt.timedelta(days=30)).date() if assigned else None
        concluded = signed = closed = None
        conclusion = ""
        on_time = None
        if state in SIGNED_STATES or state == "concluded":
            concluded = created + took
            conclusion = _choices(rng, CONCLUSIONS)[0]
            if state in SIGNED_STATES:
                signed = concluded + dt.timedelta(hours=rng.randint(4, 120))
                signed = min(signed, now)
                on_time = deadline is not None and signed.date() <= deadline
                if state == "closed":
                    closed = signed + dt.timedelta(days=rng.randint(1, 20))
                    closed = min(closed, now)
                if conclusion in {"substantiated", "partly_substantiated"}:
                    formable.by_place[p].append((pk, signed.date()))
        subject = rng.choice(SUBJECTS)
        yield (
            pk, f"XS{place.code}{created:%Y}{pk:08d}", f"{place.name}{subject}线索", f"举报{subject}问题",
            source, state, place.path, rng.randint(1, 4), rng.random() < 0.04, rng.choice((1, 1, 1, 1, 2, 3)),
            False, "", "", triaged, deadline, assigned, concluded, signed, on_time, conclusion, "", "", "", closed,
            rng.choice(("", "", "", "", "", "municipal", "provincial")), created, signed or created,
            place.id, place.office_id, rng.choice(world.categories) if triaged else None,
        )


def seed_clues(cursor: Any, world: World, rng: random.Random, n: int, chunk: int) -> Formable:
    formable = Formable()
    made = 0
    while made < n:
        k = min(chunk, n - made)
        _copy(cursor, "clues_clue", _clue_rows(world, rng, world.ids("clues_clue", k), formable))
        made += k
    return formable


# --- cases and what they yield -------------------------------------------------------------------


@dataclass
class CasePlan:
    """The cases to make, decided up front (small: a few fields per case), so that the per-case
    numbers of suspects, assets and umbrellas add up exactly to the totals asked for."""

    place: list[int] = field(default_factory=list)
    filed: list[dt.date] = field(default_factory=list)
    clues: list[tuple[int, ...]] = field(default_factory=list)
    org_type: list[str] = field(default_factory=list)
    suspects: list[int] = field(default_factory=list)
    assets: list[int] = field(default_factory=list)
    umbrellas: list[int] = field(default_factory=list)


def _apportion(total: int, weights: Sequence[float], rng: random.Random) -> list[int]:
    """Integers proportional to `weights` (with some noise) that sum exactly to `total`."""
    noisy = [w * rng.uniform(0.5, 1.5) for w in weights]
    scale = total / sum(noisy)
    counts = [int(w * scale) for w in noisy]
    short = total - sum(counts)
    for i in rng.choices(range(len(counts)), noisy, k=short):
        counts[i] += 1
    return counts


def plan_cases(world: World, rng: random.Random, formable: Formable, n: int, *, suspects: int, assets: int,
               umbrellas: int) -> CasePlan:
    plan = CasePlan()
    from_clues = int(n * 0.8)
    # Cases formed from clues: one to three clues of one place, filed after the last was concluded.
    places = [p for p, lst in formable.by_place.items() if lst]
    sizes = {p: len(formable.by_place[p]) for p in places}
    wanted: dict[int, int] = defaultdict(int)
    for p in rng.choices(places, [sizes[p] for p in places], k=from_clues):
        wanted[p] += 1
    for p, k in wanted.items():
        pool = formable.by_place[p]
        rng.shuffle(pool)
        for _ in range(k):
            if not pool:
                break
            group = [pool.pop() for _ in range(min(len(pool), rng.choice((1, 1, 1, 2, 2, 3))))]
            filed = max(d for _pk, d in group) + dt.timedelta(days=rng.randint(0, 30))
            plan.place.append(p)
            plan.filed.append(min(filed, world.today))
            plan.clues.append(tuple(pk for pk, _d in group))
    # The rest opened directly by the police.
    for p in rng.choices(range(len(world.places)), world.weights, k=n - len(plan.place)):
        plan.place.append(p)
        plan.filed.append(world.day(rng))
        plan.clues.append(())
    plan.org_type = _choices(rng, ORG_TYPES, k=n)
    plan.suspects = [max(1, c) for c in _apportion(suspects, [SUSPECT_WEIGHT[t] for t in plan.org_type], rng)]
    over = sum(plan.suspects) - suspects
    i = 0
    while over > 0:  # the max(1, …) above may have added a few
        if plan.suspects[i] > 1:
            plan.suspects[i] -= 1
            over -= 1
        i += 1
    plan.assets = _apportion(assets, [ASSET_WEIGHT[t] for t in plan.org_type], rng)
    with_case = int(umbrellas * 0.9)
    plan.umbrellas = _apportion(with_case, [UMBRELLA_WEIGHT[t] for t in plan.org_type], rng)
    return plan


STAGE_STEPS = (
    # stage, days after the previous stage (low, high), chance of getting there
    ("prosecution_review", (20, 90), 0.92),
    ("indicted", (15, 45), 0.93),
    ("first_instance", (20, 90), 0.97),
)
STAGE_UNIT_KIND = {"investigation": "police_bureau", "prosecution_review": "procuratorate", "indicted": "procuratorate"}


@dataclass
class Chunk:
    cases: list[tuple[Any, ...]] = field(default_factory=list)
    offences: list[tuple[Any, ...]] = field(default_factory=list)
    links: list[tuple[Any, ...]] = field(default_factory=list)
    stages: list[tuple[Any, ...]] = field(default_factory=list)
    suspects: list[tuple[Any, ...]] = field(default_factory=list)
    assets: list[tuple[Any, ...]] = field(default_factory=list)
    umbrellas: list[tuple[Any, ...]] = field(default_factory=list)
    fugitives: list[tuple[Any, ...]] = field(default_factory=list)


def _case(world: World, rng: random.Random, plan: CasePlan, i: int, pk: int, out: Chunk) -> dict[str, Any]:
    """One case and its stage history; returns what its suspects and assets are dated from."""
    today = world.today
    place = world.places[plan.place[i]]
    org_type = plan.org_type[i]
    filed = plan.filed[i]
    criminal = org_type != "" or rng.random() < 0.96
    solved = _later(filed, 3, 150, rng, today) if rng.random() < 0.88 else None
    dates: dict[str, dt.date | None] = {"investigation": filed}
    stage = "investigation"
    previous = solved
    if criminal:
        for step, (low, high), chance in STAGE_STEPS:
            previous = _later(previous, low, high, rng, today) if rng.random() < chance else None
            if previous is None:
                break
            dates[step], stage = previous, step
        first = dates.get("first_instance")
        effective = None
        if first is not None:
            if rng.random() < 0.35:  # appealed
                second = _later(first, 60, 180, rng, today)
                if second is not None:
                    dates["second_instance"], stage = second, "second_instance"
                    effective = _later(second, 30, 120, rng, today)
            else:
                effective = _later(first, 40, 120, rng, today)
            if effective is not None:
                dates["effective_judgment"], stage = effective, "effective_judgment"
                execution = _later(effective, 3, 40, rng, today)
                if execution is not None:
                    dates["execution"], stage = execution, "execution"
    for name, day in dates.items():
        if day is not None:
            out.stages.append((name, day, "", _at(day, rng), pk, place.units[STAGE_UNIT_KIND.get(name, "court")]))
    destroyed_on = None
    if org_type and solved is not None and rng.random() < 0.9:
        destroyed_on = _later(solved, 0, 40, rng, today)
    leader = _person(rng)
    subject = rng.choice(SUBJECTS)
    org_name = f"以{leader}为首的{ORG_NAMES[org_type]}" if org_type else ""
    voided = _at(filed, rng) if rng.random() < 0.002 else None
    out.cases.append((
        pk, "录入错误" if voided else "", voided, f"AJ{place.code}{filed:%Y}{pk:07d}",
        f"{place.name}{leader}等人{subject}案", f"{leader}等人{subject}案",
        "criminal" if criminal else "administrative", "clues" if plan.clues[i] else "police", place.path, org_type,
        org_name, leader if org_type else "", stage, filed, solved, dates.get("indicted"),
        dates.get("first_instance"), dates.get("effective_judgment"),
        rng.choice(("", "", "", "", "municipal", "provincial", "national")) if org_type else "",
        _person(rng) if org_type else "", "副局长" if org_type else "", destroyed_on is not None, destroyed_on, "",
        _at(filed, rng), _at(max(d for d in dates.values() if d is not None), rng), place.id, place.office_id,
        place.units[STAGE_UNIT_KIND.get(stage, "court")],
    ))
    for category in rng.sample(world.categories, rng.choice((1, 1, 2, 3))):
        out.offences.append((pk, category))
    for clue in plan.clues[i]:
        out.links.append((_at(filed, rng), pk, clue))
    return {"place": place, "filed": filed, "solved": solved, "dates": dates, "org_type": org_type,
            "voided": voided}


def _suspects(world: World, rng: random.Random, case_pk: int, case: dict[str, Any], ids: range,
              out: Chunk) -> list[int]:
    today = world.today
    dates = case["dates"]
    place: Place = case["place"]
    at_large: list[int] = []
    for n, pk in enumerate(ids):
        if case["org_type"]:
            role = "leader" if n == 0 else ("core" if rng.random() < 0.2 else "member")
        else:
            role = "member" if rng.random() < 0.85 else "other"
        detained = arrested = indicted = judged = None
        surrendered = False
        if case["solved"] is not None and rng.random() < 0.9:
            window = (case["solved"] - case["filed"]).days + 30
            detained = _cap(case["filed"] + dt.timedelta(days=rng.randint(0, window)), today)
            surrendered = rng.random() < 0.06
            if detained is not None and rng.random() < 0.75:
                arrested = _later(detained, 3, 37, rng, today)
        outcome, custody, sentence, months = "pending", "at_large", "", None
        if detained is not None:
            custody = "arrested" if arrested else rng.choice(("detained", "detained", "bail", "residential"))
            if dates.get("indicted") and rng.random() < 0.92:
                indicted, outcome = dates["indicted"], "indicted"
                if dates.get("first_instance"):
                    judged = _later(dates["first_instance"], 10, 90, rng, today)
                    if judged is not None:
                        if rng.random() < 0.98:
                            outcome, custody = "convicted", "serving"
                            months = rng.choice((6, 8, 12, 18, 24, 36, 48, 60, 84, 120, 180))
                            sentence = f"有期徒刑{months}个月"
                        else:
                            outcome, custody = "acquitted", "released"
            elif dates.get("prosecution_review") and rng.random() < 0.03:
                outcome, custody = "not_prosecuted", "released"
        elif rng.random() < 0.5:
            at_large.append(pk)
        voided = case["voided"] or (_at(case["filed"], rng) if rng.random() < 0.001 else None)
        out.suspects.append((
            pk, "录入错误" if voided else "", voided, place.path, _person(rng),
            rng.choice(NICKNAMES) if rng.random() < 0.2 else "", "", rng.randint(1955, 2003), role, custody, detained,
            arrested, surrendered, outcome, indicted, judged, sentence, months, _at(case["filed"], rng),
            _at(judged or arrested or detained or case["filed"], rng), case_pk,
        ))
    return at_large


def _assets(world: World, rng: random.Random, case_pk: int, case: dict[str, Any], n: int, out: Chunk) -> None:
    place: Place = case["place"]
    kinds = _choices(rng, ASSET_KINDS, k=n)
    for kind in kinds:
        secured = _later(case["filed"], 0, 90, rng, world.today) or case["filed"]
        state = rng.choice(("sealed", "seized", "frozen")) if kind != "deposit" else "frozen"
        state_on = secured
        effective = case["dates"].get("effective_judgment")
        if effective is not None:
            state, state_on = ("confiscated", effective) if rng.random() < 0.85 else ("returned", effective)
        amount = Decimal(min(5e8, rng.lognormvariate(11.5, 1.6))).quantize(Decimal("0.01"))
        voided = case["voided"] or (_at(secured, rng) if rng.random() < 0.001 else None)
        out.assets.append((
            "录入错误" if voided else "", voided, place.path, kind, f"{place.name}{kind}涉案财物", _person(rng), amount,
            state, secured, state_on, _at(secured, rng), _at(state_on, rng), case_pk,
        ))


def _umbrella(world: World, rng: random.Random, place: Place, opened: dt.date, case_pk: int | None,
              clue_pk: int | None) -> tuple[Any, ...]:
    state, outcome, outcome_on, handling = "under_investigation", "", None, ""
    if rng.random() < 0.8:
        outcome_on = _later(opened, 30, 300, rng, world.today)
        if outcome_on is not None:
            state, outcome = "concluded", _choices(rng, UMBRELLA_OUTCOMES)[0]
            handling = "给予党纪政务处分"
    return (
        "", place.path, _person(rng), rng.choice(POSITIONS), f"{place.name}某单位", rng.random() < 0.9, opened, state,
        outcome, outcome_on, handling, _at(opened, rng), _at(outcome_on or opened, rng), case_pk, clue_pk,
        place.units["discipline_commission"], place.office_id,
    )


def _fugitive(world: World, rng: random.Random, place: Place, listed: dt.date, case_pk: int | None,
              suspect_pk: int | None) -> tuple[Any, ...]:
    outcome = _choices(rng, FUGITIVE_OUTCOMES)[0]
    outcome_on = None
    if outcome != "at_large":
        outcome_on = _cap(listed + dt.timedelta(days=5 + int(rng.expovariate(1 / 45))), world.today)
        if outcome_on is None:
            outcome = "at_large"
    location = "abroad" if rng.random() < 0.08 else ("home" if rng.random() < 0.7 else "unknown")
    return (
        "", place.path, _person(rng), rng.choice(NICKNAMES) if rng.random() < 0.3 else "", "", listed, location,
        outcome, outcome_on, "", _at(listed, rng), _at(outcome_on or listed, rng), case_pk, place.office_id,
        suspect_pk,
    )


def seed_cases(cursor: Any, world: World, rng: random.Random, plan: CasePlan, *, fugitives: int, umbrellas: int,
               chunk: int, clue_pool: list[tuple[int, int]]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    n = len(plan.place)
    case_ids = world.ids("cases_case", n)
    with_case = int(fugitives * 0.8)
    # Fugitives of cases: drawn from the cases' suspects still at large, more from organisation cases.
    fugitive_cases = Counter(rng.choices(range(n), [SUSPECT_WEIGHT[t] for t in plan.org_type], k=with_case))
    fugitives_made = 0
    for begin in range(0, n, chunk):
        out = Chunk()
        for i in range(begin, min(n, begin + chunk)):
            pk = case_ids[i]
            case = _case(world, rng, plan, i, pk, out)
            at_large = _suspects(world, rng, pk, case, world.ids("cases_suspect", plan.suspects[i]), out)
            _assets(world, rng, pk, case, plan.assets[i], out)
            for _ in range(plan.umbrellas[i]):
                opened = _later(case["filed"], 20, 240, rng, world.today) or case["filed"]
                out.umbrellas.append(_umbrella(world, rng, case["place"], opened, pk, None))
            for k in range(fugitive_cases.get(i, 0)):
                listed = _later(case["filed"], 10, 200, rng, world.today) or case["filed"]
                suspect = at_large[k] if k < len(at_large) else None
                out.fugitives.append(_fugitive(world, rng, case["place"], listed, pk, suspect))
                fugitives_made += 1
        for table, rows in (
            ("cases_case", out.cases), ("cases_case_offences", out.offences), ("cases_caseclue", out.links),
            ("cases_casestage", out.stages), ("cases_suspect", out.suspects), ("cases_asset", out.assets),
            ("cases_umbrella", out.umbrellas), ("cases_fugitive", out.fugitives),
        ):
            counts[table] += _copy(cursor, table, rows)
    # Fugitives listed without a case, and umbrellas found by a clue's discipline track alone.
    rest: list[tuple[Any, ...]] = []
    for p in rng.choices(range(len(world.places)), world.weights, k=fugitives - fugitives_made):
        rest.append(_fugitive(world, rng, world.places[p], world.day(rng), None, None))
    counts["cases_fugitive"] += _copy(cursor, "cases_fugitive", rest)
    rest = []
    for clue_pk, p in rng.sample(clue_pool, min(len(clue_pool), umbrellas - sum(plan.umbrellas))):
        rest.append(_umbrella(world, rng, world.places[p], world.day(rng), None, clue_pk))
    counts["cases_umbrella"] += _copy(cursor, "cases_umbrella", rest)
    return dict(counts)


# --- the whole seed ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Size:
    clues: int = 1_000_000
    cases: int = 100_000
    suspects: int = 500_000
    assets: int = 200_000
    umbrellas: int = 10_000
    fugitives: int = 20_000


def _counts() -> dict[str, int]:
    from django.db import connection

    tables = {"clues": "clues_clue", "cases": "cases_case", "suspects": "cases_suspect", "assets": "cases_asset",
              "umbrellas": "cases_umbrella", "fugitives": "cases_fugitive", "case_clue_links": "cases_caseclue",
              "case_stages": "cases_casestage"}
    with connection.cursor() as cur:
        out = {}
        for name, table in tables.items():
            cur.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed table names
            out[name] = cur.fetchone()[0]
    return out


def seed(size: Size = Size(), *, seed_value: int = 4, chunk: int = 10_000) -> dict[str, Any]:
    """Seed the connected database at `size`; nothing to do when it already holds that many rows."""
    from django.db import connection, transaction
    from django.utils import timezone

    started = time.perf_counter()
    counts = _counts()
    wanted = {"clues": size.clues, "cases": size.cases, "suspects": size.suspects, "assets": size.assets,
              "umbrellas": size.umbrellas, "fugitives": size.fugitives}
    if all(counts[k] == v for k, v in wanted.items()):
        return {"skipped": True, "counts": counts, "timings": {"total_s": time.perf_counter() - started}}
    if counts["cases"] or counts["suspects"] or counts["clues"]:
        raise SystemExit(f"The database holds another seed ({counts}); run again with --reset.")
    rng = random.Random(seed_value)
    org = _organisation()
    timings: dict[str, float] = dict(org["timings"])
    world = _world(timezone.localdate(), rng)
    world.categories = org["categories"]
    with transaction.atomic(), connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # the psycopg cursor, for COPY
        for table in ("clues_clue", "cases_case", "cases_suspect"):
            cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")  # noqa: S608 - fixed table names
            world.next_id[table] = cursor.fetchone()[0]
        t0 = time.perf_counter()
        formable = seed_clues(cursor, world, rng, size.clues, chunk * 5)
        timings["clues_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        plan = plan_cases(world, rng, formable, size.cases, suspects=size.suspects, assets=size.assets,
                          umbrellas=size.umbrellas)
        # Umbrellas without a case come from clues still on the pool (concluded, not formed into a case).
        pool = [(pk, p) for p, lst in formable.by_place.items() for pk, _d in lst[:50]]
        del formable
        timings["plan_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        made = seed_cases(cursor, world, rng, plan, fugitives=size.fugitives, umbrellas=size.umbrellas, chunk=chunk,
                          clue_pool=pool)
        timings["cases_and_more_s"] = time.perf_counter() - t0
        for table in ("clues_clue", "cases_case", "cases_suspect", "cases_asset", "cases_umbrella", "cases_fugitive",
                      "cases_caseclue", "cases_casestage", "cases_case_offences"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
            )
    from saohei.figures.tallies import outcome_tallies_rebuild

    t0 = time.perf_counter()
    timings["tally_rows"] = outcome_tallies_rebuild()  # COPY bypassed the services that keep them
    timings["tallies_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    timings["vacuum_analyze_s"] = time.perf_counter() - t0
    timings["total_s"] = time.perf_counter() - started
    rounded = {k: round(v, 1) for k, v in timings.items()}
    return {"skipped": False, "counts": _counts(), "copied": made, "timings": rounded}


def reset_database(db_url: str) -> None:
    import psycopg

    name = db_url.rsplit("/", 1)[-1]
    if name != "saohei_cases_bench" and not name.startswith("saohei_cases_bench_"):
        raise SystemExit(f"--reset drops only saohei_cases_bench databases, not {name}.")
    admin = db_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=DEFAULT_DB)
    parser.add_argument("--clues", type=int, default=Size.clues)
    parser.add_argument("--cases", type=int, default=Size.cases)
    parser.add_argument("--suspects", type=int, default=Size.suspects)
    parser.add_argument("--assets", type=int, default=Size.assets)
    parser.add_argument("--umbrellas", type=int, default=Size.umbrellas)
    parser.add_argument("--fugitives", type=int, default=Size.fugitives)
    parser.add_argument("--chunk", type=int, default=10_000, help="cases per COPY round (clues: five times as many)")
    parser.add_argument("--reset", action="store_true", help="drop and re-create the database first")
    args = parser.parse_args(argv)
    if args.reset:
        reset_database(args.db)
    _create_database(args.db)
    _setup(args.db)
    from django.core.management import call_command

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_s = time.perf_counter() - t0
    size = Size(args.clues, args.cases, args.suspects, args.assets, args.umbrellas, args.fugitives)
    result = seed(size, chunk=args.chunk)
    result["timings"]["migrate_s"] = round(migrate_s, 1)
    for key, value in result.items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

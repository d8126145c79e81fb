"""Network warm-up benchmark (ADR 0008): `python -m benchmarks.network_bench --clues 5000 [--db sqlite|postgres]`.

ADR 0008 estimated 13–17 s for the first network build of a large office (5,000 clues) and about 1 s for the first
visit after a warm-up. This measures both on a database of its own (SQLite /tmp/saohei_network_bench.sqlite3, or
PostgreSQL saohei_bench_network, created and dropped here):

1. the demo organisation, then N clues of 江汉区 (one report each, 15 % with a repeat report), written with
   bulk_create; their texts are composed from the demo's wording with full names, nicknames, phones, companies,
   streets and named officials, drawn from a fixed set of gangs of heavy-tailed activity, so the same members, phones
   and companies recur across many clues and a few officials are tied to several gangs. The entity mentions are
   extracted by the product (`entities_backfill`, what `saohei analytics entities-backfill` runs);
2. Django's cache is the database cache (`SAOHEI_CACHE_URL=db://`), as ADR 0008 asks of an office deployment;
3. for one persona (`clerk.jianghan`), `--runs` times each: a cold first visit (memo and cache empty), the warm-up
   (`network_warm`, cache empty), the first visit after a warm-up in this process (memo dropped, cache kept), the
   same in a fresh Python process (`--child-visit`), and a repeat visit (memo hit). The build's phases are timed by
   wrapping `_stamp`, `network_build`, `persons_resolve`, `_cached` and `_cache_keep` (the product is not changed).

Also records the network's size, the cached entry's size, peak RSS, one cold build under tracemalloc (slower; its
time is not a timing) and the load average before and after each measurement. Writes
benchmarks/out/network_bench.json (merged per database and size) and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import pickle
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.run import OUT, _create_database, _setup

DATABASES = {"sqlite": "sqlite:////tmp/saohei_network_bench.sqlite3",
             "postgres": "postgresql://postgres@127.0.0.1:5432/saohei_bench_network"}
OFFICE_CODE = "420103"  # 江汉区
PERSONA = "clerk.jianghan"
REPEAT_SHARE = 0.15
CHANNELS = ["hotline", "portal", "letter", "visit", "email", "wechat", "incident_110", "higher_referral", "screening"]
STATES = ["received", "valid", "assigned", "verifying", "concluded", "signed", "closed"]
STATE_WEIGHTS = [8, 6, 14, 16, 8, 6, 24]
# Given names beyond the demo's, so a few thousand persons keep distinct names.
MORE_GIVEN_NAMES = [
    "建军", "志强", "国华", "海涛", "德明", "少华", "振宇", "俊杰", "宏伟", "红兵", "立新", "文军", "家豪", "永刚",
    "玉林",
    "伟", "强", "军", "勇", "杰", "涛", "斌", "超", "刚", "辉", "鹏", "飞", "波", "浩", "凯", "磊", "亮", "峰", "军华",
    "开明", "胜利", "卫东", "学军", "光辉", "春生", "冬生", "金龙", "水生", "汉平", "四清", "建平", "国强", "天明",
]
MORE_NICKNAMES = ["黑子", "二狗", "豹子", "老黑", "阿飞", "小五", "黑牛", "独眼龙", "疯狗", "三哥", "六哥", "坤哥"]
BRAND_FIRST = "鸿恒顺隆鑫瑞永汇兴宏福新德天聚长众博鼎"
BRAND_SECOND = "运通发兴源丰盛达旺锐润福鑫顺诚远昌泰"
COMPANY_KINDS = ["商贸有限公司", "建材有限公司", "物流有限公司", "劳务有限公司", "小额贷款有限公司", "拆迁工程有限公司",
                 "娱乐有限公司", "渣土运输有限公司", "餐饮管理有限公司", "投资咨询有限公司"]
OFFICIAL_POSTS = ["{street}派出所所长", "{street}派出所副所长", "{street}派出所教导员", "江汉区城管执法局中队长",
                  "{street}街道办事处副主任", "{street}社区居委会主任", "江汉区市场监督管理局科长", "江汉区住建局科长",
                  "江汉区公安分局治安大队副大队长", "{street}村委会主任"]


# --- the texts -------------------------------------------------------------------------------------------------------

@dataclass
class Gang:
    leader: str
    nickname: str
    members: list[str]
    nicknames: dict[str, str]
    phones: list[str]
    companies: list[str]
    street: str
    officials: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Text:
    subject: str
    content: str
    repeat: str  # the content of a repeat report, or ""
    names_official: bool


class World:
    """Gangs of heavy-tailed size and activity in 江汉区, officials tied to a few gangs each, and a random generator
    for the texts of clues that name them."""

    def __init__(self, *, clues: int, seed: int) -> None:
        from saohei.demo.texts.places import GIVEN_NAMES, JIANGHAN_STREETS, NICKNAMES, SURNAMES

        self.rng = rng = random.Random(seed)
        self.streets = JIANGHAN_STREETS
        names = [s + g for s in SURNAMES for g in dict.fromkeys([*GIVEN_NAMES, *MORE_GIVEN_NAMES])]
        rng.shuffle(names)
        self._names: Iterator[str] = iter(names)
        nicknames = [*NICKNAMES, *MORE_NICKNAMES]
        brands = [a + b for a in BRAND_FIRST for b in BRAND_SECOND if a != b]
        companies = iter(rng.sample([f"武汉{b}{k}" for b in brands for k in COMPANY_KINDS], 2000))
        self.gangs: list[Gang] = []
        for _ in range(max(8, clues // 25)):
            size = min(15, 3 + int(rng.paretovariate(1.5)))
            members = [next(self._names) for _ in range(size)]
            nick = {m: rng.choice(nicknames) for m in members[1:] if rng.random() < 0.3}
            self.gangs.append(Gang(
                leader=members[0], nickname=rng.choice(nicknames), members=members[1:], nicknames=nick,
                phones=[self.phone() for _ in range(rng.randint(1, 3))],
                companies=[next(companies) for _ in range(rng.choice((0, 1, 1, 2)))],
                street=rng.choice(sorted(self.streets))))
        self.weights = [min(40.0, rng.paretovariate(1.5)) for _ in self.gangs]  # a few gangs in hundreds of clues
        for _ in range(max(3, clues // 100)):
            street = rng.choice(sorted(self.streets))
            official = rng.choice(OFFICIAL_POSTS).format(street=street) + next(self._names)
            for gang in rng.sample(self.gangs, rng.choice((1, 1, 2, 2, 3, 4))):
                gang.officials.append(official)

    def phone(self) -> str:
        return f"1{self.rng.choice('3578')}{self.rng.randrange(10**9):09d}"

    def victim(self) -> str:
        return next(self._names, "") or self.rng.choice(["张", "王", "李"]) + "某"

    def _named(self, gang: Gang, member: str) -> str:
        nick = gang.nicknames.get(member)
        return f"{member}（外号“{nick}”）" if nick and self.rng.random() < 0.5 else member

    def text(self) -> Text:
        from saohei.demo.texts import APPEALS, DETAILS, LEADS
        from saohei.demo.texts.offences import OFFENCES
        from saohei.demo.texts.places import DEBT_KINDS, GOODS, VENUES

        rng = self.rng
        gang = rng.choices(self.gangs, self.weights)[0]
        offence = OFFENCES[rng.choice(sorted(OFFENCES))]
        street = gang.street if rng.random() < 0.8 else rng.choice(sorted(self.streets))
        place = street + rng.choice(self.streets[street])
        roll = rng.random()
        if roll < 0.45:
            who = f"{gang.leader}（绰号“{gang.nickname}”）"
        elif roll < 0.8:
            who = gang.leader
        else:
            who = f"人称“{gang.nickname}”的男子"
        others = rng.sample(gang.members, min(len(gang.members), rng.randint(1, 3)))
        slots = {"who": who, "who2": others[0] if others else self.victim(), "place": place,
                 "venue": rng.choice(VENUES[offence.venue_kind]), "goods": rng.choice(GOODS),
                 "n": str(rng.randint(3, 12)), "amount": str(rng.choice((2, 3, 5, 8, 12, 20, 35)) * 1000),
                 "debt": rng.choice(DEBT_KINDS), "months": str(rng.randint(2, 8)), "nick": gang.nickname,
                 "official": "某公职人员"}
        subject = rng.choice(offence.subjects).format(**{**slots, "who": gang.leader})
        channel = rng.choice(CHANNELS)
        parts = [rng.choice(LEADS[channel]), rng.choice(offence.facts).format(**slots)]
        if len(others) > 1:
            parts.append("参与者还有" + "、".join(self._named(gang, m) for m in others[1:]) + "等人。")
        if rng.random() < 0.6:
            parts.append(rng.choice((f"{gang.leader}平时用{{p}}这个号码联系。", "对方留下的电话是{p}。",
                                     f"{slots['who2']}的手机号是{{p}}。")).format(p=rng.choice(gang.phones)))
        if gang.companies and rng.random() < 0.5:
            company = rng.choice(gang.companies)
            parts.append(rng.choice((f"{gang.leader}是{company}的实际控制人。",
                                     f"商户被要求把钱转到{company}的账户上。", f"这伙人以{company}的名义签合同。")))
        named_official = bool(gang.officials) and rng.random() < 0.25
        if named_official:
            parts.append(f"有群众反映，{rng.choice(gang.officials)}与{gang.leader}关系密切，多次为其出面说情。")
        if rng.random() < 0.1:
            other = rng.choice(self.gangs)
            parts.append(f"{gang.leader}一伙曾与{other.leader}（绰号“{other.nickname}”）的人因争地盘发生冲突。")
        if rng.random() < 0.5:
            parts.append(f"受害人{self.victim()}被打伤后不敢报警。")
        parts += [rng.choice(DETAILS), rng.choice(APPEALS)]
        repeat = ""
        if rng.random() < REPEAT_SHARE:
            repeat = (rng.choice(LEADS[rng.choice(CHANNELS)]) + f"此前已反映过{gang.leader}在{place}一带的问题，"
                      f"至今情况没有好转，{gang.leader}等人近期仍在活动，联系电话{rng.choice(gang.phones)}。")
        return Text(subject=subject[:200], content="".join(p for p in parts if p), repeat=repeat,
                    names_official=named_official)


# --- the database ----------------------------------------------------------------------------------------------------

def _drop_database(db_url: str) -> None:
    if db_url.startswith("sqlite"):
        for suffix in ("", "-wal", "-shm"):
            Path(db_url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        return
    import psycopg

    name = db_url.rsplit("/", 1)[-1]
    with psycopg.connect(db_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _environment(db_url: str) -> None:
    os.environ["SAOHEI_CACHE_URL"] = "db://"
    os.environ["SAOHEI_ENV_FILE"] = "/nonexistent"  # nothing from a developer's .env
    _setup(db_url)


def seed(*, clues: int, seed_value: int) -> dict[str, Any]:
    """The demo organisation and `clues` clues of 江汉区 with their reports (bulk); returns counts and seconds."""
    from django.db import transaction
    from django.utils import timezone

    from saohei.clues.models import Clue, OffenceCategory
    from saohei.demo.org import build_org
    from saohei.intake.models import Report
    from saohei.orgs.models import Jurisdiction, Office
    from saohei.orgs.services import jurisdiction_load_divisions

    started = time.perf_counter()
    if not Jurisdiction.objects.filter(code=OFFICE_CODE).exists():
        jurisdiction_load_divisions(year=2024)
    if not Office.objects.filter(jurisdiction__code=OFFICE_CODE).exists():
        build_org()
    org_seconds = time.perf_counter() - started
    world = World(clues=clues, seed=seed_value)
    office = Office.objects.get(jurisdiction__code=OFFICE_CODE)
    place = office.jurisdiction
    categories = list(OffenceCategory.objects.all())
    now = timezone.now()
    made = 0
    while made < clues:
        n = min(1000, clues - made)
        texts = [world.text() for _ in range(n)]
        with transaction.atomic():
            rows = []
            for text in texts:
                state = world.rng.choices(STATES, STATE_WEIGHTS)[0]
                rows.append(Clue(title=text.subject, summary=text.content[:2000], source=world.rng.choice(CHANNELS),
                                 state=state, office=office, jurisdiction=place, jurisdiction_path=place.path,
                                 category=world.rng.choice(categories) if state != "received" else None,
                                 priority=world.rng.randint(1, 4), report_count=2 if text.repeat else 1,
                                 names_officials=text.names_official))
            created = Clue.objects.bulk_create(rows, batch_size=500)
            for clue in created:
                clue.number = f"XS{OFFICE_CODE}{clue.created_at:%Y}{clue.pk:07d}"
            Clue.objects.bulk_update(created, ["number"], batch_size=500)
            reports = []
            for clue, text in zip(created, texts, strict=True):
                received = now - dt.timedelta(minutes=world.rng.randint(0, 525_600))
                reports.append(Report(number=f"JB-N{clue.pk:08d}", channel=clue.source, received_at=received,
                                      office_id=office.pk, jurisdiction_id=place.pk, subject=text.subject,
                                      content=text.content, clue=clue))
                if text.repeat:
                    reports.append(Report(number=f"JB-N{clue.pk:08d}-2", channel=world.rng.choice(CHANNELS),
                                          received_at=received + dt.timedelta(days=3),
                                          office_id=office.pk, jurisdiction_id=place.pk,
                                          subject=f"再次反映：{text.subject}"[:200], content=text.repeat, clue=clue))
            Report.objects.bulk_create(reports, batch_size=500)
        made += n
        print(f"  seeded {made} clues", flush=True)
    return {"gangs": len(world.gangs), "officials": len({o for g in world.gangs for o in g.officials}),
            "clues": Clue.objects.count(), "reports": Report.objects.count(),
            "organisation_s": round(org_seconds, 1), "seconds": round(time.perf_counter() - started, 1)}


def extract() -> dict[str, Any]:
    """The product's entity extraction of every report and clue (entities_backfill, in chunks to show progress)."""
    from django.db import connection

    from saohei.analytics.entity_services import entities_backfill
    from saohei.analytics.models import EntityMention
    from saohei.clues.models import Clue
    from saohei.intake.models import Report

    result: dict[str, Any] = {}
    for kind, model in (("report", Report), ("clue", Clue)):
        began, read, total = time.perf_counter(), 0, model.objects.count()
        while read < total:
            done = entities_backfill(record_kind=kind, limit=1000)
            read += done
            print(f"  extracted {read}/{total} {kind}s ({time.perf_counter() - began:.0f} s)", flush=True)
            if done < 1000:
                break
        result[f"{kind}_s"] = round(time.perf_counter() - began, 1)
        result[f"{kind}s_read"] = read
    result["mentions"] = dict(Counter(EntityMention.objects.values_list("kind", flat=True)))
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    return result


# --- measuring -------------------------------------------------------------------------------------------------------

class Phases:
    """Seconds spent in the wrapped product functions during one measured call, and how many builds ran."""

    def __init__(self) -> None:
        self.seconds: Counter[str] = Counter()
        self.calls: Counter[str] = Counter()

    def wrap(self, module: Any, name: str) -> None:
        inner = getattr(module, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - began
                self.calls[name] += 1

        setattr(module, name, timed)

    def install(self) -> None:
        from saohei.analytics import network_build, network_selectors

        for name in ("_stamp", "_cached", "_cache_keep", "network_build"):
            self.wrap(network_selectors, name)
        self.wrap(network_build, "persons_resolve")

    def reset(self) -> None:
        self.seconds.clear()
        self.calls.clear()


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def _rss_mb(field: str = "VmHWM") -> float:
    """This process's peak (VmHWM) or current (VmRSS) resident set; ru_maxrss would carry the parent's peak into a
    child process across exec."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    kb = next(line.split()[1] for line in status.splitlines() if line.startswith(field + ":"))
    return round(int(kb) / 1024, 1)


def _user() -> Any:
    """The persona, loaded afresh as each request loads it (its standing is worked out again)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=PERSONA)


def _summary(samples: list[float]) -> dict[str, float]:
    return {"min_s": round(min(samples), 3), "median_s": round(statistics.median(samples), 3),
            "max_s": round(max(samples), 3)}


def measure(name: str, phases: Phases, *, runs: int, prepare: Callable[[], None], call: Callable[[Any], Any]
            ) -> dict[str, Any]:
    samples: list[float] = []
    breakdown: list[dict[str, Any]] = []
    load_before = _load()
    for _ in range(runs):
        prepare()
        user = _user()
        gc.collect()
        phases.reset()
        began = time.perf_counter()
        call(user)
        samples.append(time.perf_counter() - began)
        breakdown.append({"total_s": round(samples[-1], 3),
                          **{f"{k}_s": round(v, 3) for k, v in sorted(phases.seconds.items())},
                          "builds": phases.calls["network_build"]})
    row = {"name": name, "runs": runs, **_summary(samples), "samples": breakdown, "load_before": load_before,
           "load_after": _load(), "rss_peak_mb": _rss_mb()}
    print(f"{name:44} min {row['min_s']:7.3f} s  median {row['median_s']:7.3f} s  builds "
          f"{[b['builds'] for b in breakdown]}  load {load_before}→{row['load_after']}", flush=True)
    return row


@contextmanager
def _traced() -> Iterator[dict[str, float]]:
    out: dict[str, float] = {}
    gc.collect()
    tracemalloc.start()
    try:
        yield out
        current, peak = tracemalloc.get_traced_memory()
        out["retained_mb"], out["peak_mb"] = round(current / 2**20, 1), round(peak / 2**20, 1)
    finally:
        tracemalloc.stop()


def network_size(data: Any) -> dict[str, Any]:
    from saohei.analytics.graph import NodeKind

    kinds = Counter(str(data.network.node(n).kind) for n in data.node_ids)
    persons = [g for g in data.persons.values() if data.network.node(g.node_id).kind in (NodeKind.PERSON,
                                                                                           NodeKind.OFFICIAL)]
    return {"nodes": len(data.network), "links": data.network.link_count, "nodes_by_kind": dict(kinds),
            "person_records": sum(len(g.members) for g in persons),
            "person_labels": len({data.network.node(g.node_id).label for g in persons}), "records": len(data.records),
            "loaded": data.loaded, "limited": data.limited, "csr_bytes": data.network.nbytes()}


def cache_entry() -> dict[str, Any]:
    """The network's entry in Django's cache: the compressed pickle, the whole pickle, and the row as stored."""
    from django.core.cache import cache
    from django.db import connection

    from saohei.analytics.network_selectors import NETWORK_CACHE_PREFIX, _scope, _stamp

    user = _user()
    stamp = _stamp(user)
    entry = cache.get(_scope(user, stamp))
    if entry is None:
        return {}
    began = time.perf_counter()
    raw = zlib.decompress(entry[2])
    decompress_s = time.perf_counter() - began
    began = time.perf_counter()
    pickle.loads(raw)  # noqa: S301 - written by this run's network_warm
    unpickle_s = time.perf_counter() - began
    table = cache._table  # type: ignore[attr-defined]
    with connection.cursor() as cur:
        cur.execute(f"SELECT length(value) FROM {connection.ops.quote_name(table)} WHERE cache_key LIKE %s",  # noqa: S608
                    [f"%{NETWORK_CACHE_PREFIX}%"])
        stored = [row[0] for row in cur.fetchall()]
    return {"compressed_bytes": len(entry[2]), "pickle_bytes": len(raw), "row_bytes": stored,
            "decompress_s": round(decompress_s, 3), "unpickle_s": round(unpickle_s, 3)}


def child_visit() -> None:
    """In a fresh process: the first visit after a warm-up done elsewhere (printed as one JSON line)."""
    began = time.perf_counter()
    from saohei.analytics import network_selectors

    phases = Phases()
    phases.install()
    imported = time.perf_counter() - began
    user = _user()
    rss_before = _rss_mb("VmRSS")
    began = time.perf_counter()
    network_selectors.network_for_user(user)
    seconds = time.perf_counter() - began
    began = time.perf_counter()
    network_selectors.network_for_user(_user())
    again = time.perf_counter() - began
    print(json.dumps({"first_s": round(seconds, 3), "import_s": round(imported, 3), "again_s": round(again, 3),
                      "builds": phases.calls["network_build"], "rss_before_mb": rss_before,
                      "rss_after_mb": _rss_mb("VmRSS"), "rss_peak_mb": _rss_mb(),
                      **{f"{k}_s": round(v, 3) for k, v in sorted(phases.seconds.items())}}))


def fresh_process_visits(db: str, *, runs: int) -> dict[str, Any]:
    samples = []
    load_before = _load()
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.network_bench", "--db", db, "--child-visit"],
            capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parent.parent)
        samples.append(json.loads(done.stdout.strip().splitlines()[-1]))
    row = {"name": "c'. first visit after warm-up, fresh process", "runs": runs,
           **_summary([s["first_s"] for s in samples]), "samples": samples, "load_before": load_before,
           "load_after": _load()}
    print(f"{row['name']:44} min {row['min_s']:7.3f} s  median {row['median_s']:7.3f} s  builds "
          f"{[s['builds'] for s in samples]}  load {load_before}→{row['load_after']}", flush=True)
    return row


def bench(*, runs: int, db: str) -> dict[str, Any]:
    from django.core.cache import cache

    from saohei.analytics import network_selectors

    phases = Phases()
    phases.install()

    def cold() -> None:
        network_selectors.network_forget()
        cache.clear()

    rows = [
        measure("a. cold first visit (no warm-up)", phases, runs=runs, prepare=cold,
                call=network_selectors.network_for_user),
        measure("b. warm-up (network_warm, cache empty)", phases, runs=runs, prepare=cold,
                call=network_selectors.network_warm),
        measure("c. first visit after warm-up (memo dropped)", phases, runs=runs,
                prepare=network_selectors.network_forget, call=network_selectors.network_for_user),
        fresh_process_visits(db, runs=runs),
        measure("d. repeat visit (memo hit)", phases, runs=runs, prepare=lambda: None,
                call=network_selectors.network_for_user),
    ]
    data = network_selectors.network_for_user(_user())
    size = network_size(data)
    entry = cache_entry()
    del data
    cold()
    with _traced() as memory:
        began = time.perf_counter()
        network_selectors.network_for_user(_user())
        memory["traced_build_s"] = round(time.perf_counter() - began, 1)
    return {"rows": rows, "network": size, "cache_entry": entry, "tracemalloc_cold_visit": memory,
            "rss_peak_mb": _rss_mb()}


def markdown(result: dict[str, Any]) -> str:
    lines = ["| measurement | runs | min (s) | median (s) | of which: stamp / build / persons_resolve / cache read / "
             "cache write / rest: unpickle, memo (median run, s) | builds | load before → after |",
             "|---|---|---|---|---|---|---|"]
    for row in result["bench"]["rows"]:
        mid = sorted(row["samples"], key=lambda s: s.get("total_s", s.get("first_s", 0)))[len(row["samples"]) // 2]
        total = mid.get("total_s", mid.get("first_s", 0.0))
        rest = total - sum(mid.get(f"{k}_s", 0.0) for k in ("_stamp", "network_build", "_cached", "_cache_keep"))
        parts = " / ".join(str(mid.get(f"{k}_s", "–")) for k in ("_stamp", "network_build", "persons_resolve",
                                                                  "_cached", "_cache_keep")) + f" / {rest:.3f}"
        builds = ", ".join(str(s["builds"]) for s in row["samples"])
        lines.append(f"| {row['name']} | {row['runs']} | {row['min_s']} | {row['median_s']} | {parts} | {builds} "
                     f"| {row['load_before']} → {row['load_after']} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=sorted(DATABASES), default="sqlite")
    parser.add_argument("--clues", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keep", action="store_true",
                        help="Keep the database afterwards, and reuse it when it already holds the seeded clues.")
    parser.add_argument("--child-visit", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    db_url = DATABASES[args.db]
    if args.child_visit:
        _environment(db_url)
        child_visit()
        return 0
    load_start, uptime_start = _load(), os.getloadavg()
    if not args.keep:
        _drop_database(db_url)
    _create_database(db_url)
    _environment(db_url)
    from django.core.management import call_command

    from saohei.clues.models import Clue

    try:
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        reused = args.keep and Clue.objects.count() >= args.clues
        seeded = {"reused": True, "clues": Clue.objects.count()} if reused else seed(clues=args.clues,
                                                                                     seed_value=args.seed)
        print(f"seeding: {json.dumps(seeded, ensure_ascii=False)}", flush=True)
        extracted = {"reused": True} if reused else extract()
        print(f"extraction: {json.dumps(extracted, ensure_ascii=False)}", flush=True)
        from benchmarks.run import machine

        result = {"database": args.db, "clues": args.clues, "persona": PERSONA, "command": " ".join(sys.argv),
                  "machine": {**machine(), "platform": platform.platform()}, "seed": seeded, "extraction": extracted,
                  "load_at_start": [load_start, *uptime_start[1:]]}
        result["bench"] = bench(runs=args.runs, db=args.db)
        result["load_at_end"] = list(os.getloadavg())
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            _drop_database(db_url)
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "network_bench.json"
    merged = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    merged[f"{args.db}/{args.clues}"] = result
    path.write_text(json.dumps(merged, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps({k: result["bench"][k] for k in ("network", "cache_entry", "tracemalloc_cold_visit",
                                                        "rss_peak_mb")}, ensure_ascii=False, indent=2))
    print(markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

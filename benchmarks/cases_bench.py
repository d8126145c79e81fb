"""Outcome-figures benchmark (issue 4): `make bench-cases` (= `python -m benchmarks.cases_bench`).

Seeds PostgreSQL database `saohei_cases_bench` (benchmarks/cases_seed.py: 1,000,000 clues, 100,000
cases, 500,000 suspects, …; skipped when already seeded), then measures `outcome_figures` for the
national root (as the superuser and as a director of the national office) and for provinces (as
their provincial office's director), over the last year and over the whole time, N runs after
warm-up: the function itself, the outcome figures page through the Django test client (middleware,
session, auth, form, bulletin, template) and `GET /api/v1/figures/outcomes` (token auth, JSON).
Records the queries per call and the machine load (1-minute load average) before and after each
measurement. Writes benchmarks/out/cases.json and prints a Markdown table.

`--explain` also prints EXPLAIN (ANALYZE, BUFFERS) of every query of one `outcome_figures` call per
measured scope.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from typing import Any

from benchmarks.run import OUT, _create_database, _setup, machine, timed

DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/saohei_cases_bench"
TARGET_P95_MS = 300.0
PROVINCE_NAMES = {"440000": "广东省", "420000": "湖北省"}


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def _persona(username: str, code: str) -> Any:
    """A director of the office of jurisdiction `code` (created once, through the services)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from saohei.orgs.choices import Role
    from saohei.orgs.models import Membership, Office
    from saohei.orgs.services import membership_grant, user_create

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        user = user_create(username=username, display_name=username, password_hash=make_password(None))
    office = Office.objects.get(jurisdiction__code=code)
    if not Membership.objects.filter(user=user, office=office, role=Role.OFFICE_DIRECTOR, active=True).exists():
        membership_grant(user=user, role=Role.OFFICE_DIRECTOR, actor=None, office=office, title="扫黑办主任")
    return user


def _periods() -> dict[str, tuple[dt.date, dt.date]]:
    from django.db.models import Min
    from django.utils import timezone

    from saohei.cases.models import Case
    from saohei.clues.models import Clue

    today = timezone.localdate()
    first_clue = Clue.objects.aggregate(m=Min("created_at"))["m"]
    first_case = Case.objects.aggregate(m=Min("filed_on"))["m"]
    firsts = [d for d in (timezone.localtime(first_clue).date() if first_clue else None, first_case) if d]
    first = min(firsts) if firsts else today - dt.timedelta(days=365)
    return {"one year": (today - dt.timedelta(days=364), today), "whole time": (first, today)}


def _fresh(user: Any) -> Any:
    # Each request loads its user and standing afresh; so does each measured call.
    user.__dict__.pop("_saohei_standing", None)
    return user


def _queries(fn: Any) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def explain(fn: Any) -> list[dict[str, Any]]:
    """EXPLAIN (ANALYZE, BUFFERS) of every SELECT that `fn` runs, with its time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    plans = []
    with connection.cursor() as cur:
        for q in ctx.captured_queries:
            sql = q["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cur.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plans.append({"sql": sql, "ms": float(q["time"]) * 1000, "plan": "\n".join(r[0] for r in cur.fetchall())})
    return plans


def _after_a_change(call: Any, *, runs: int) -> dict[str, Any]:
    """The first read after a write: one county's current month is marked stale (as a service marks it)
    before every call, so each call recounts that cell before it reads the tallies."""
    from django.utils import timezone

    from saohei.core.tallies import tally_stale_mark
    from saohei.orgs.models import Jurisdiction

    county = Jurisdiction.objects.filter(level="county").order_by("code").first()
    assert county is not None

    def changed_then_read() -> None:
        tally_stale_mark(path=county.path, moments=[timezone.localdate()])
        call()

    return timed(changed_then_read, runs=runs)


def bench(runs: int, provinces: list[str], with_explain: bool) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils.http import urlencode

    from saohei.api.services import api_token_create
    from saohei.figures.outcomes import outcome_figures
    from saohei.orgs.models import NATIONAL_CODE, Jurisdiction

    User = get_user_model()
    scopes: list[tuple[str, Any, str]] = [
        ("superuser (admin)", User.objects.get(username="admin"), NATIONAL_CODE),
        ("national director", _persona("director.national", NATIONAL_CODE), NATIONAL_CODE),
    ]
    for code in provinces:
        scopes.append((f"provincial director {code}", _persona(f"director.p{code}", code), code))
    periods = _periods()
    results: list[dict[str, Any]] = []
    plans: dict[str, Any] = {}
    for label, user, code in scopes:
        place = Jurisdiction.objects.get(code=code)
        client = Client()
        client.force_login(user)
        _record, token = api_token_create(user=user, actor=None, label="cases benchmark")
        api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        for period, (start, end) in periods.items():
            query = urlencode({"jurisdiction": code, "start": start.isoformat(), "end": end.isoformat()})

            def call(u: Any = user, j: Any = place, s: dt.date = start, e: dt.date = end) -> None:
                outcome_figures(user=_fresh(u), jurisdiction=j, start=s, end=e)

            def page(c: Any = client, q: str = query) -> None:
                r = c.get(f"/figures/outcomes/?{q}")
                assert r.status_code == 200, (r.status_code, r.content[:300])

            def api_get(c: Any = api, q: str = query) -> None:
                r = c.get(f"/api/v1/figures/outcomes?{q}")
                assert r.status_code == 200, (r.status_code, r.content[:300])

            row: dict[str, Any] = {"scope": label, "jurisdiction": f"{place.code} {place.name}", "period": period,
                                   "start": start.isoformat(), "end": end.isoformat()}
            for name, fn in (("function", call), ("page", page), ("api", api_get)):
                load_before, uptime_before = _load(), _uptime()
                row[name] = timed(fn, runs=runs)
                row[name]["queries"] = _queries(fn)
                row[name]["load_before"], row[name]["load_after"] = load_before, _load()
                row[name]["uptime_before"], row[name]["uptime_after"] = uptime_before, _uptime()
                print(f"{label:32} {period:10} {name:8} p50 {row[name]['p50_ms']:8.1f}  p95 {row[name]['p95_ms']:8.1f}"
                      f"  queries {row[name]['queries']:3}  load {load_before}→{row[name]['load_after']}", flush=True)
            if label.startswith("superuser"):
                row["after_a_change"] = _after_a_change(call, runs=max(5, runs // 3))
                print(f"{label:32} {period:10} changed  p50 {row['after_a_change']['p50_ms']:8.1f}  "
                      f"p95 {row['after_a_change']['p95_ms']:8.1f}", flush=True)
            results.append(row)
            if with_explain:
                plans[f"{label} / {period}"] = explain(call)
    return {"results": results, "explain": plans}


def markdown(results: list[dict[str, Any]]) -> str:
    lines = [
        "| who, where | period | `outcome_figures` p50 / p95 (ms) | page p50 / p95 (ms) | API p50 / p95 (ms) "
        "| queries (function / page / API) | load before → after |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        f, p, a = r["function"], r["page"], r["api"]
        loads = f"{f['load_before']} → {a['load_after']}"
        lines.append(
            f"| {r['scope']}, {r['jurisdiction']} | {r['period']} | {f['p50_ms']} / {f['p95_ms']} "
            f"| {p['p50_ms']} / {p['p95_ms']} | {a['p50_ms']} / {a['p95_ms']} "
            f"| {f['queries']} / {p['queries']} / {a['queries']} | {loads} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=os.environ.get("BENCH_CASES_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--provinces", default="440000,420000",
                        help="province codes measured as their director (default: 广东省, the largest, and 湖北省)")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of each query")
    parser.add_argument("--no-seed", action="store_true", help="measure whatever the database holds")
    args = parser.parse_args(argv)
    _create_database(args.db)
    _setup(args.db)
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    seeded: dict[str, Any] = {}
    if not args.no_seed:
        from benchmarks.cases_seed import seed

        seeded = seed()
        print(f"seed: {seeded}", flush=True)
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    uptime_start = _uptime()
    started = time.perf_counter()
    measured = bench(args.runs, [c for c in args.provinces.split(",") if c], args.explain)
    out = {
        "machine": machine(),
        "command": " ".join(sys.argv),
        "runs": args.runs,
        "target_p95_ms": TARGET_P95_MS,
        "seed": seeded,
        "uptime_start": uptime_start,
        "uptime_end": _uptime(),
        "seconds": round(time.perf_counter() - started, 1),
        "results": measured["results"],
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "cases.json").write_text(json.dumps(out, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    if measured["explain"]:
        (OUT / "cases_explain.json").write_text(
            json.dumps(measured["explain"], ensure_ascii=False, indent=2), encoding="utf-8"
        )
        for scope, plans in measured["explain"].items():
            print(f"\n### {scope}")
            for p in plans:
                print(f"-- {p['ms']:.1f} ms\n{p['sql']}\n{p['plan']}\n")
    print()
    print(markdown(measured["results"]))
    worst = max(r[k]["p95_ms"] for r in measured["results"] for k in ("function", "page", "api"))
    print(f"\nworst p95: {worst} ms (target ≤ {TARGET_P95_MS:.0f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

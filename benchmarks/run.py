"""Benchmark harness: `make bench` (or `python -m benchmarks.run --clues 100000`).

Seeds a PostgreSQL database (default saohei_bench) with N clues, then measures, in-process through
the whole Django stack (middleware, auth, templates, JSON), the clue ledger page, the API list, the
query counts at several page sizes, and workflow moves through the services. Writes
benchmarks/out/results.json and prints a Markdown table for benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"


def _setup(db_url: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("SAOHEI_ENV_FILE", str(ROOT / ".env"))
    os.environ.setdefault("SAOHEI_SECRET_KEY", "bench-secret-key-000000000000000000000000000000")
    os.environ.setdefault("SAOHEI_IDENTITY_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
    os.environ.setdefault("SAOHEI_RECEIPT_KEY", "bench-receipt-key")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _create_database(db_url: str) -> None:
    if not db_url.startswith("postgres"):
        return
    name = db_url.rsplit("/", 1)[-1]
    admin = db_url.rsplit("/", 1)[0] + "/postgres"
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def timed(fn: Callable[[], Any], *, runs: int, warmup: int = 3) -> dict[str, float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return {
        "runs": runs,
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 2),
        "max_ms": round(samples[-1], 2),
    }


LEDGER_FILTERS = {
    "no filter": "",
    "state=verifying, 江汉 subtree": "state=verifying&jurisdiction=420103",
    "overdue": "overdue=true",
    "text 强迫交易": "q=%E5%BC%BA%E8%BF%AB%E4%BA%A4%E6%98%93",
    "category+priority, by deadline": "category=extortion&priority=1&sort=deadline",
    "supervised, 武汉 subtree, page 20": "supervised=true&jurisdiction=420100&page=20",
}


def bench_reads(runs: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from saohei.api.services import api_token_create

    User = get_user_model()
    results: dict[str, Any] = {"ledger": {}, "api": {}, "queries": {}}
    user = User.objects.get(username="director.wuhan")
    client = Client()
    client.force_login(user)
    _record, token = api_token_create(user=user, actor=None, label="benchmark")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    for label, query in LEDGER_FILTERS.items():
        def page(q: str = query) -> None:
            r = client.get(f"/clues/?{q}")
            assert r.status_code == 200, r.status_code
        results["ledger"][label] = timed(page, runs=runs)
        api_query = query.replace("page=20", "offset=950")

        def api_list(q: str = api_query) -> None:
            r = api.get(f"/api/v1/clues?limit=50&{q}")
            assert r.status_code == 200, r.content[:300]
        results["api"][label] = timed(api_list, runs=runs)
    for size in (10, 50, 100):
        with CaptureQueriesContext(connection) as ctx:
            client.get(f"/clues/?per_page={size}&state=verifying")
        page_queries = len(ctx.captured_queries)
        with CaptureQueriesContext(connection) as ctx:
            api.get(f"/api/v1/clues?limit={size}&state=verifying")
        results["queries"][str(size)] = {"ledger_page": page_queries, "api_list": len(ctx.captured_queries)}
    return results


def bench_moves(runs: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from saohei.clues.choices import State
    from saohei.clues.models import Clue
    from saohei.clues.services import report_receive
    from saohei.clues.services.transitions import clue_transition
    from saohei.orgs.models import Jurisdiction, Office, Unit

    User = get_user_model()
    clerk = User.objects.get(username="clerk.jianghan")
    verifier = User.objects.get(username="verifier.jianghan")
    office = Office.objects.get(jurisdiction__code="420103")
    place = Jurisdiction.objects.get(code="420103")
    station = Unit.objects.get(name="江汉区分局民族街派出所")
    clues = [
        report_receive(office=office, jurisdiction=place, channel="hotline", subject="基准：强迫交易",
                       content="基准测试举报内容", actor=clerk)[1]
        for _ in range(runs + 3)
    ]
    results: dict[str, Any] = {}
    steps: list[tuple[str, Any, dict[str, Any]]] = [
        ("triage_valid", clerk, {"category": "forced_transactions", "priority": 2}),
        ("assign", clerk, {"unit": station.pk}),
        ("start", verifier, {}),
        ("record_musts", verifier, {"reporter_met": "met", "reporter_met_note": "当面询问", "content_rechecked": True,
                                    "content_recheck_note": "走访", "feedback_planned": True}),
        ("conclude", verifier, {"conclusion": "unsubstantiated", "finding": "经核查，未发现举报所称违法犯罪事实。"}),
        ("sign", verifier, {}),
    ]
    for name, actor, params in steps:
        queue = iter(clues)

        def move(n: str = name, a: Any = actor, p: dict[str, Any] = params, q: Any = queue) -> None:
            clue_transition(clue=next(q), name=n, actor=a, params=p)
        results[name] = timed(move, runs=runs, warmup=3)
    assert Clue.objects.filter(pk=clues[0].pk, state=State.CONCLUDED).exists()
    return results


def machine() -> dict[str, str]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = subprocess.run(["free", "-g"], capture_output=True, text=True, check=False).stdout.split("\n")[1:2]
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("select version()" if connection.vendor == "postgresql" else "select sqlite_version()")
        db = cur.fetchone()[0]
    return {"cpu": cpu, "cores": str(os.cpu_count()), "memory": " ".join(mem), "python": platform.python_version(),
            "database": db.split(" on ")[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default=os.environ.get("BENCH_DATABASE_URL",
                                                        "postgresql://postgres@127.0.0.1:5432/saohei_bench"))
    parser.add_argument("--clues", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    _create_database(args.db)
    _setup(args.db)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from benchmarks.seed import seed

    seeded = seed(clues=args.clues)
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    results = {"machine": machine(), "seed": seeded, "reads": bench_reads(args.runs), "moves": bench_moves(args.runs),
               "command": " ".join(sys.argv)}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(results, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Portal submission benchmark: `python -m benchmarks.portal_bench` (PostgreSQL, gunicorn, locust).

Writes benchmarks/out/portal.json and prints the figures for benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import tempfile
from pathlib import Path

from benchmarks.portal_server import BIN, ROOT, free_port, prepare_database, server_env, start_server, stop_server

OUT = ROOT / "benchmarks" / "out"


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[-1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="postgresql://postgres@127.0.0.1:5432/saohei_portal_bench")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=45)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    ensure_database(args.db)
    media = Path(tempfile.mkdtemp(prefix="saohei-bench-media-"))
    env = server_env(args.db, media)
    prepare_database(env)
    port = free_port()
    server = start_server(env, port=port, workers=args.workers, threads=args.threads)
    prefix = Path(tempfile.mkdtemp()) / "portal"
    try:
        subprocess.run(
            [str(BIN / "locust"), "-f", str(ROOT / "benchmarks" / "locustfile_portal.py"), "--headless",
             "-u", str(args.users), "-r", str(args.users), "-t", f"{args.seconds}s", "--host",
             f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary"],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False, capture_output=True, timeout=600,
        )
    finally:
        stop_server(server, hard=False)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as fh:
        rows = {r["Name"]: r for r in csv.DictReader(fh)}
    post = rows["POST /submit/ (receipt)"]
    get = rows["GET /submit/"]
    result = {
        "users": args.users, "seconds": args.seconds, "gunicorn_workers": args.workers, "threads": args.threads,
        "submissions": int(post["Request Count"]), "failures": int(post["Failure Count"]),
        "submissions_per_s": round(float(post["Requests/s"]), 1),
        "post_p50_ms": float(post["50%"]), "post_p99_ms": float(post["99%"]),
        "form_get_p50_ms": float(get["50%"]), "form_get_p99_ms": float(get["99%"]),
        "limits": "per-client and global limits and the challenge switched off (one load generator = one client)",
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "portal.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""kill -9 in the middle of a load of portal submissions loses no report whose receipt was shown."""

from __future__ import annotations

import os
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests

from benchmarks.portal_server import (
    BIN,
    ROOT,
    free_port,
    prepare_database,
    server_env,
    start_server,
    stop_server,
    submit_once,
)

pytestmark = pytest.mark.slow


def _database_url(tmp_path: Path) -> tuple[str, str | None]:
    """The same kind of database the suite runs on: a fresh PostgreSQL database, or a SQLite file."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        name = f"saohei_kill9_{uuid.uuid4().hex[:8]}"
        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return url.rsplit("/", 1)[0] + f"/{name}", name
    return f"sqlite:///{tmp_path / 'portal.sqlite3'}", None


def _drop(url: str, name: str | None) -> None:
    if name is None:
        return
    import psycopg

    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_no_shown_receipt_is_lost_when_the_server_is_killed(tmp_path: Path) -> None:
    url, pg_name = _database_url(tmp_path)
    try:
        # The production path: the portal only accepts (one insert), a worker registers later. No worker runs
        # here, so at the kill every accepted submission still waits in the inbox.
        env = {**server_env(url, tmp_path / "media"), "SAOHEI_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
               "SAOHEI_PORTAL_DRAIN_EVERY": "2"}
        prepare_database(env)
        port = free_port()
        server = start_server(env, port=port, workers=2)
        base = f"http://127.0.0.1:{port}"
        shown: list[str] = []
        failures = 0
        lock = threading.Lock()
        stop = threading.Event()

        def client() -> None:
            nonlocal failures
            session = requests.Session()
            while not stop.is_set():
                try:
                    code = submit_once(session, base)
                except requests.RequestException:
                    with lock:
                        failures += 1
                    continue
                if code:
                    with lock:
                        shown.append(code)

        threads = [threading.Thread(target=client, daemon=True) for _ in range(6)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 60
        while len(shown) < 25 and time.monotonic() < deadline:
            time.sleep(0.05)
        stop_server(server, hard=True)  # SIGKILL to the master and every worker, mid-load
        stop.set()
        for t in threads:
            t.join(timeout=40)
        assert len(shown) >= 25, "the load never got going"
        # What the operator runs at start-up (make run does): register whatever the inbox holds.
        drained = subprocess.run([str(BIN / "saohei"), "portal", "drain"], env=env, cwd=ROOT, capture_output=True,
                                 text=True, timeout=300, check=True)
        assert "0 still wait" in drained.stdout, drained.stdout + drained.stderr
        check = (
            "import sys\n"
            "from saohei.intake.services import report_find_by_receipt\n"
            "codes = sys.stdin.read().split()\n"
            "lost = [c for c in codes if report_find_by_receipt(code=c) is None or "
            "report_find_by_receipt(code=c).clue_id is None]\n"
            "print('LOST', len(lost), 'OF', len(codes))\n"
        )
        result = subprocess.run([str(BIN / "saohei"), "shell", "-c", check], env=env, cwd=ROOT, input="\n".join(shown),
                                capture_output=True, text=True, timeout=120, check=True)
        assert f"LOST 0 OF {len(shown)}" in result.stdout, result.stdout + result.stderr
    finally:
        _drop(url, pg_name)



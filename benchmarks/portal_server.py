"""A real portal server on 127.0.0.1 for load and crash tests: its own database, gunicorn, the demo offices."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RECEIPT_RE = re.compile(r'id="receipt-code"[^>]*>([0-9A-Z-]+)<')
KEY_RE = re.compile(r'name="idempotency_key" value="([0-9a-f]{32})"')

# Load tests come from one address: the per-client limits and the challenge would stop them at once.
# They are switched off here, and the results say so.
LOAD_ENV = {
    "SAOHEI_SERVE": "portal",
    "SAOHEI_PORTAL_CHALLENGE_AT": "-1",
    "SAOHEI_PORTAL_SUBMIT_PER_CLIENT": "0",
    "SAOHEI_PORTAL_SUBMIT_PER_MINUTE": "0",
    "SAOHEI_DEBUG": "false",
    "SAOHEI_LOG_LEVEL": "WARNING",
}


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(database_url: str, media_root: Path) -> dict[str, str]:
    env = {**os.environ, **LOAD_ENV, "DATABASE_URL": database_url, "SAOHEI_MEDIA_ROOT": str(media_root),
           "SAOHEI_ENV_FILE": "/nonexistent", "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.setdefault("SAOHEI_SECRET_KEY", "load-test-secret-key-0000000000000000000000000000")
    env.setdefault("SAOHEI_IDENTITY_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
    env.setdefault("SAOHEI_RECEIPT_KEY", "load-test-receipt-key")
    return env


def prepare_database(env: dict[str, str]) -> None:
    """Migrate and create the demo organisation (offices that receive portal reports)."""
    def run(*args: str) -> None:
        subprocess.run([str(BIN / "saohei"), *args], env=env, check=True, cwd=ROOT, capture_output=True, timeout=300)

    run("migrate", "-v0")
    run("createcachetable")
    run("shell", "-c", "from saohei.orgs.models import Office\n"
        "from saohei.demo.org import build_org\n"
        "Office.objects.filter(jurisdiction__code='420103').exists() or build_org()")


def start_server(env: dict[str, str], *, port: int, workers: int, threads: int = 1) -> subprocess.Popen[bytes]:
    args = [str(BIN / "gunicorn"), "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers),
            "--threads", str(threads), "--log-level", "warning", "--timeout", "60"]
    proc = subprocess.Popen(args, env=env, cwd=ROOT, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/", timeout=2).status_code < 500:
                return proc
        except requests.RequestException:
            time.sleep(0.2)
    stop_server(proc, hard=True)
    raise RuntimeError("the portal server did not start")


def stop_server(proc: subprocess.Popen[Any], *, hard: bool) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL if hard else signal.SIGTERM)
    except ProcessLookupError:
        return
    proc.wait(timeout=30)


def submit_once(session: requests.Session, base: str, *, text: str = "民族街有人强迫商户买酒，不买就砸店。") -> str:
    """Open the form, send a report; the receipt shown, or "" when none was shown."""
    form = session.get(f"{base}/submit/", params={"place": "420103"}, timeout=30)
    key = KEY_RE.search(form.text)
    if form.status_code != 200 or key is None:
        return ""
    data = {"place": "420103", "idempotency_key": key.group(1), "content": text, "subject": "",
            "persons": "万某", "location_text": "民族街", "when": "近期", "protection": "unknown",
            "protectors": "", "evidence": "", "identity": "anonymous", "name": "", "contact": "",
            "csrfmiddlewaretoken": session.cookies.get("csrftoken", "")}
    response = session.post(f"{base}/submit/", data=data, headers={"Referer": f"{base}/submit/"}, timeout=30)
    match = RECEIPT_RE.search(response.text)
    return match.group(1) if response.status_code == 200 and match else ""

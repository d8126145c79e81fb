"""Portal submission throughput with wrk: `python -m benchmarks.portal_wrk` (PostgreSQL, gunicorn, wrk).

Each wrk request is one complete submission as a browser sends it (multipart form with an empty file
field, CSRF cookie and token, a fresh idempotency key), answered by the receipt page. Afterwards the
harness counts the submissions stored, checks every response showed a receipt, and times the worker
registering the backlog (`saohei portal drain`). Writes benchmarks/out/portal_wrk.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

import requests

from benchmarks.portal_bench import ensure_database
from benchmarks.portal_server import BIN, ROOT, free_port, prepare_database, server_env, start_server, stop_server

OUT = ROOT / "benchmarks" / "out"

LUA = r"""
local boundary = "----saoheibench7MA4YWxkTrZu0gW"
local token = "%(token)s"
local fields = {
  {"place", "420103"}, {"content", "民族街有人强迫商户买酒，不买就砸店，已有三家店被砸。"}, {"subject", ""},
  {"persons", "万某，外号万老大"}, {"location_text", "民族街"}, {"when", "近期"}, {"protection", "unknown"},
  {"protectors", ""}, {"evidence", ""}, {"identity", "anonymous"}, {"name", ""}, {"contact", ""},
  {"csrfmiddlewaretoken", token},
}
fails = 0
shown = 0

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) %% 100000)
end

local function key()
  local parts = {}
  for i = 1, 8 do parts[i] = string.format("%%04x", math.random(0, 65535)) end
  return table.concat(parts)
end

request = function()
  local out = {}
  for _, f in ipairs(fields) do
    out[#out + 1] = "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"" .. f[1] ..
                    "\"\r\n\r\n" .. f[2] .. "\r\n"
  end
  out[#out + 1] = "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"idempotency_key\"\r\n\r\n" ..
                  key() .. "\r\n"
  out[#out + 1] = "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"\"\r\n" ..
                  "Content-Type: application/octet-stream\r\n\r\n\r\n"
  out[#out + 1] = "--" .. boundary .. "--\r\n"
  return wrk.format("POST", "/submit/", {
    ["Content-Type"] = "multipart/form-data; boundary=" .. boundary,
    ["Cookie"] = "csrftoken=%(cookie)s",
  }, table.concat(out))
end

response = function(status, headers, body)
  if status == 200 and body:find('id="receipt-code"', 1, true) then shown = shown + 1 else fails = fails + 1 end
end

local threads = {}
function setup(thread) threads[#threads + 1] = thread end

function done(summary, latency, requests)
  local s, f = 0, 0
  for _, t in ipairs(threads) do s = s + t:get("shown"); f = f + t:get("fails") end
  io.write(string.format(
    "RESULT shown=%%d fails=%%d p50=%%.3f p90=%%.3f p99=%%.3f max=%%.3f requests=%%d errors=%%d\n",
    s, f, latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status +
    summary.errors.timeout))
end
"""

RESULT = re.compile(r"RESULT shown=(\d+) fails=(\d+) p50=([\d.]+) p90=([\d.]+) p99=([\d.]+) max=([\d.]+) "
                    r"requests=(\d+) errors=(\d+)")


def _count(env: dict[str, str], code: str) -> str:
    result = subprocess.run([str(BIN / "saohei"), "shell", "-c", code], env=env, cwd=ROOT, capture_output=True,
                            text=True, timeout=600, check=True)
    return result.stdout.strip().splitlines()[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="postgresql://postgres@127.0.0.1:5432/saohei_portal_bench")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--wrk-threads", type=int, default=1)
    args = parser.parse_args()
    ensure_database(args.db)
    media = Path(tempfile.mkdtemp(prefix="saohei-bench-media-"))
    # No worker runs during the load: the portal accepts, the backlog is registered afterwards and timed.
    env = {**server_env(args.db, media), "SAOHEI_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
           "SAOHEI_PORTAL_DRAIN_EVERY": "3600"}
    prepare_database(env)
    before = int(_count(env, "from saohei.portal.models import PortalSubmission as P; print(P.objects.count())"))
    port = free_port()
    server = start_server(env, port=port, workers=args.workers, threads=args.threads)
    try:
        base = f"http://127.0.0.1:{port}"
        session = requests.Session()
        form = session.get(f"{base}/submit/", params={"place": "420103"}, timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        cookie = session.cookies.get("csrftoken")
        if token is None or not cookie:
            raise RuntimeError("the form page gave no CSRF token")
        script = Path(tempfile.mkdtemp()) / "submit.lua"
        script.write_text(LUA % {"token": token.group(1), "cookie": cookie}, encoding="utf-8")
        run = subprocess.run(["wrk", "-t", str(args.wrk_threads), "-c", str(args.connections), "-d",
                              f"{args.seconds}s", "--timeout", "10s", "-s", str(script), base],
                             capture_output=True, text=True, timeout=args.seconds + 120, check=False)
        if run.returncode != 0:
            raise RuntimeError(run.stdout + run.stderr)
    finally:
        stop_server(server, hard=False)
    match = RESULT.search(run.stdout)
    if match is None:
        raise RuntimeError(run.stdout + run.stderr)
    shown, fails, p50, p90, p99, worst, _total, errors = match.groups()
    stored = int(_count(env, "from saohei.portal.models import PortalSubmission as P; print(P.objects.count())"))
    started = time.monotonic()
    drained = subprocess.run([str(BIN / "saohei"), "portal", "drain"], env=env, cwd=ROOT, capture_output=True,
                             text=True, timeout=3600, check=True)
    drain_seconds = time.monotonic() - started
    registered = int(re.search(r"Registered (\d+)", drained.stdout).group(1))  # type: ignore[union-attr]
    result = {
        "connections": args.connections, "seconds": args.seconds, "gunicorn_workers": args.workers,
        "threads": args.threads, "wrk_threads": args.wrk_threads,
        "receipts_shown": int(shown), "failed_responses": int(fails), "socket_errors": int(errors),
        "submissions_per_s": round(int(shown) / args.seconds, 1),
        "p50_ms": float(p50), "p90_ms": float(p90), "p99_ms": float(p99), "max_ms": float(worst),
        "stored": stored - before, "registered_afterwards": registered,
        "registration_per_s": round(registered / drain_seconds, 1) if drain_seconds else None,
        "limits": "per-client and global limits and the challenge switched off (one load generator = one client)",
        "cpu_count": os.cpu_count(),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "portal_wrk.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The audit chain: intact after normal work, and broken at the first row edited or removed behind
the application's back."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from saohei.audit.models import AuditEvent
from saohei.audit.services import audit_record, audit_verify


def _write_events(n: int) -> list[AuditEvent]:
    return [audit_record(actor=None, action="test.event", object_type="thing", object_id=i, after={"i": i})
            for i in range(n)]


@pytest.mark.django_db
def test_an_untouched_chain_verifies(capsys):
    _write_events(5)
    report = audit_verify()
    assert report.ok and report.checked == 5
    call_command("audit", "verify")
    assert "5 events verified" in capsys.readouterr().out


@pytest.mark.django_db
def test_an_edited_row_is_named():
    events = _write_events(5)
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["forged", events[2].pk])
    report = audit_verify()
    assert not report.ok and report.broken_seq == 3 and "altered" in report.problem
    with pytest.raises(CommandError, match="#3"):
        call_command("audit", "verify")


@pytest.mark.django_db
def test_a_removed_row_is_named():
    events = _write_events(5)
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    report = audit_verify()
    assert not report.ok and report.broken_seq == 2 and "missing" in report.problem


@pytest.mark.django_db
def test_a_removed_last_row_is_noticed():
    events = _write_events(4)
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].pk])
    report = audit_verify()
    assert not report.ok and report.broken_seq == 4


@pytest.mark.django_db
def test_a_rewritten_row_with_a_recomputed_hash_breaks_the_next_link():
    from saohei.audit.services import event_hash

    events = _write_events(4)
    forged = AuditEvent.objects.get(pk=events[1].pk)
    forged.reason = "forged"
    new_hash = event_hash(forged)
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditevent SET reason = %s, hash = %s WHERE id = %s",
                    ["forged", new_hash, forged.pk])
    report = audit_verify()
    assert not report.ok and report.broken_seq == 3


def test_tampering_with_sqlite3_makes_the_command_fail_and_name_the_row(tmp_path: Path):
    """As an outsider would: the sqlite3 tool on the database file, then `saohei audit verify`."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "SAOHEI_ENV_FILE": "/nonexistent"}
    saohei = [sys.executable, "-m", "saohei.cli"]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*saohei, *args], env=env, capture_output=True, text=True, timeout=120, check=False)

    assert run("migrate", "-v0").returncode == 0
    for code in ("420000", "440000", "110000"):
        seeded = run("shell", "-c", (
            "from saohei.audit.services import audit_record;"
            f"audit_record(actor=None, action='seed', object_type='jurisdiction', object_id='{code}', after={{}})"))
        assert seeded.returncode == 0, seeded.stderr
    ok = run("audit", "verify")
    assert ok.returncode == 0 and "3 events verified" in ok.stdout
    db = str(tmp_path / "db.sqlite3")
    subprocess.run(["sqlite3", db, "UPDATE audit_auditevent SET object_id='999999' WHERE seq=2"], check=True)
    broken = run("audit", "verify")
    assert broken.returncode != 0 and "#2" in broken.stderr
    subprocess.run(["sqlite3", db, "UPDATE audit_auditevent SET object_id='440000' WHERE seq=2"], check=True)
    assert run("audit", "verify").returncode == 0
    subprocess.run(["sqlite3", db, "DELETE FROM audit_auditevent WHERE seq=1"], check=True)
    removed = run("audit", "verify")
    assert removed.returncode != 0 and "#1" in removed.stderr

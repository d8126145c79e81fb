"""`saohei analytics rebuild-index` fits the shingle weights and recomputes every fingerprint from the report texts,
and says what it did."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from saohei.analytics import services
from saohei.analytics.models import ReportFingerprint, ShingleWeightsFile
from saohei.analytics.repeat_store import repeat_rebuild_lock
from saohei.analytics.repeats import signature_weights_id
from saohei.clues.tests.helpers import receive

pytestmark = pytest.mark.django_db


def test_rebuild_index_fingerprints_every_report(org):
    receive(org, subject="江汉区某砂场强迫交易")
    receive(org, subject="江汉区某KTV聚众斗殴")
    assert ReportFingerprint.objects.count() == 0  # received in a test transaction: the task never ran
    out = StringIO()
    call_command("analytics", "rebuild-index", stdout=out)
    assert ReportFingerprint.objects.count() == 2 and "Fingerprinted 2 reports" in out.getvalue()
    assert "No shingle weights in use (2 reports stored" in out.getvalue()  # too few to fit weights on
    assert not ShingleWeightsFile.objects.exists()


def test_rebuild_index_fits_the_weights_once_enough_reports_are_stored_and_signs_with_them(org, monkeypatch):
    monkeypatch.setattr(services, "FIT_MIN_REPORTS", 2)
    receive(org, subject="江汉区某砂场强迫交易")
    receive(org, subject="江汉区某KTV聚众斗殴")
    out = StringIO()
    call_command("analytics", "rebuild-index", stdout=out)
    weights = ShingleWeightsFile.objects.get(active=True)
    assert weights.reports == weights.reports_stored == 2
    assert f"Fitted shingle weights {weights.weights_id:016x} on 2 of 2 reports" in out.getvalue()
    assert "Fingerprinted 2 reports" in out.getvalue()
    assert {signature_weights_id(bytes(f.signature)) for f in ReportFingerprint.objects.all()} == {weights.weights_id}

    out = StringIO()
    call_command("analytics", "rebuild-index", "--no-fit", stdout=out)
    assert ShingleWeightsFile.objects.count() == 1
    assert f"Kept the shingle weights in use ({weights.weights_id:016x})" in out.getvalue()


def test_rebuild_index_refuses_to_run_beside_another_rebuild(org):
    receive(org, subject="江汉区某砂场强迫交易")
    with repeat_rebuild_lock() as acquired, pytest.raises(CommandError, match="another rebuild is running"):
        assert acquired
        call_command("analytics", "rebuild-index", stdout=StringIO())
    assert not ReportFingerprint.objects.exists()

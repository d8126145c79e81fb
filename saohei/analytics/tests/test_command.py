"""`saohei analytics rebuild-index` recomputes every fingerprint from the report texts."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from saohei.analytics.models import ReportFingerprint
from saohei.clues.tests.helpers import receive

pytestmark = pytest.mark.django_db


def test_rebuild_index_fingerprints_every_report(org):
    receive(org, subject="江汉区某砂场强迫交易")
    receive(org, subject="江汉区某KTV聚众斗殴")
    assert ReportFingerprint.objects.count() == 0  # received in a test transaction: the task never ran
    out = StringIO()
    call_command("analytics", "rebuild-index", stdout=out)
    assert ReportFingerprint.objects.count() == 2 and "Fingerprinted 2 reports" in out.getvalue()

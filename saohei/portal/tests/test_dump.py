"""A stolen backup — the whole database dumped with the database's own tool, plus the media folder — must not
expose a reporter: no name, contact or receipt in clear, and no photo that still carries EXIF or GPS."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from saohei.intake.models import Attachment, Report
from saohei.intake.receipts import receipt_normalise
from saohei.portal.tests import files
from saohei.portal.tests.conftest import form_data, open_form, receipt_in

NAME = "欧阳明远"
CONTACT = "13912345678"
CONTACT_EMAIL = "ouyang.mingyuan@example.cn"


def database_dump() -> str:
    """The whole database as the operator's backup tool writes it."""
    vendor = connection.vendor
    if vendor == "sqlite":
        connection.ensure_connection()
        return "\n".join(connection.connection.iterdump())
    if vendor == "postgresql":
        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            pytest.fail("pg_dump is missing: install postgresql-client (the CI installs it)")
        params = connection.settings_dict
        args = [pg_dump, "--no-owner", "--dbname", params["NAME"], "--host", params.get("HOST") or "127.0.0.1",
                "--port", str(params.get("PORT") or 5432), "--username", params.get("USER") or "postgres"]
        result = subprocess.run(args, capture_output=True, timeout=120, check=True,
                                env={"PGPASSWORD": params.get("PASSWORD") or "", "PATH": "/usr/bin:/bin"})
        return result.stdout.decode("utf-8", errors="replace")
    pytest.fail(f"no dump tool known for {vendor}")


@pytest.mark.django_db(transaction=True)
def test_a_database_dump_and_the_media_folder_expose_no_reporter(org: Any) -> None:
    receipts = []
    for contact in (CONTACT, CONTACT_EMAIL):
        client = Client()
        _html, key = open_form(client)
        data = form_data(key, identity="named", name=NAME, contact=contact,
                         files=[files.upload("IMG_0001.jpg", files.jpeg_with_gps())])
        response = client.post(reverse("portal:submit"), data)
        code = receipt_in(response.content.decode())
        assert code, response.content.decode()[:2000]
        receipts.append(code)
    assert Report.objects.count() == 2 and Attachment.objects.count() == 2

    dump = database_dump()
    # The dump holds the reports themselves: what is absent below is absent because it is protected.
    assert "intake_reporter" in dump and "民族街的万某团伙强迫商户购买酒水" in dump
    for secret in (NAME, CONTACT, CONTACT_EMAIL, *receipts, *(receipt_normalise(c) for c in receipts)):
        assert secret not in dump, f"{secret!r} is in clear in the database dump"

    media = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert len(media) == 2
    for path in media:
        content = path.read_bytes()
        assert b"Exif\x00\x00" not in content and b"SpyCam" not in content, path
        assert NAME.encode() not in content and CONTACT.encode() not in content

"""Checking every row of a sheet and collecting every error in the uploader's language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from saohei.intake.choices import Channel
from saohei.intake.imports.columns import (
    CHANNEL_ALIASES,
    CHANNEL_ZH,
    COLUMN_BY_KEY,
    DATE_FORMATS,
    ID_NUMBER_RE,
    IMPORTABLE_CHANNELS,
)
from saohei.orgs.models import Jurisdiction, Office


@dataclass
class RowData:
    number: int
    channel: str
    received_at: dt.datetime
    jurisdiction: Jurisdiction
    subject: str
    content: str
    place: str
    source_reference: str
    reporter_name: str
    reporter_contact: str
    reporter_id_number: str


def channel_lookup() -> dict[str, str]:
    table = {k.lower(): v for k, v in CHANNEL_ALIASES.items()}
    table.update({k.lower(): v for v, k in CHANNEL_ZH.items()})
    for value, label in Channel.choices:
        table[value.lower()] = value
        for lang in ("en", "zh-hans", "zh-hant"):
            with translation.override(lang):
                table[str(label).strip().lower()] = value
    return table


def _parse_text_datetime(text: str) -> dt.datetime | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def _parse_datetime(value: Any) -> dt.datetime | None:
    parsed: dt.datetime | None
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime.combine(value, dt.time.min)
    else:
        parsed = _parse_text_datetime(str(value).strip())
    if parsed is None:
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


class RowChecker:
    def __init__(self, *, office: Office, labels: dict[str, str], language: str) -> None:
        self.office = office
        self.labels = labels
        self.chinese = language.lower().startswith("zh")
        self.channels = channel_lookup()
        self.places: dict[str, Jurisdiction | None] = {}
        self.now = timezone.now()

    def column_label(self, key: str) -> str:
        column = COLUMN_BY_KEY[key]
        return column.zh if self.chinese else column.en

    def check(self, number: int, values: dict[str, Any], errors: list[dict[str, Any]]) -> RowData | None:
        before = len(errors)

        def error(key: str, message: str) -> None:
            errors.append({"row": number, "column": self.column_label(key), "message": message})

        def text(key: str) -> str:
            value = values.get(key)
            if value is None:
                return ""
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            out = str(value).strip()
            limit = COLUMN_BY_KEY[key].max_length
            if limit and len(out) > limit:
                error(key, _("Longer than %(limit)s characters.") % {"limit": limit})
            return out

        raw_channel = text("channel")
        channel = self.channels.get(raw_channel.lower(), "")
        if not raw_channel:
            error("channel", _("The channel is missing."))
        elif not channel:
            error("channel", _("Unknown channel: %(channel)s") % {"channel": raw_channel})
        elif channel not in IMPORTABLE_CHANNELS:
            error(
                "channel",
                _("Reports of the online portal arrive through the portal; they cannot be imported."),
            )

        received_at = None
        raw_date = values.get("received_at")
        if raw_date is None or (isinstance(raw_date, str) and not raw_date):
            error("received_at", _("The time of receipt is missing."))
        else:
            received_at = _parse_datetime(raw_date)
            if received_at is None:
                error(
                    "received_at",
                    _("Not a date: %(value)s (write it as 2024-03-01 14:30).") % {"value": raw_date},
                )
            elif received_at > self.now + dt.timedelta(minutes=5):
                error("received_at", _("A report cannot be received in the future."))

        jurisdiction = self._jurisdiction(text("jurisdiction"), error)
        subject = text("subject")
        if not subject:
            error("subject", _("The subject is missing."))
        content = text("content")
        if not content:
            error("content", _("The content is missing."))
        place = text("place")
        source_reference = text("source_reference")
        name = text("reporter_name")
        contact = text("reporter_contact")
        id_number = text("reporter_id_number").upper()
        if id_number and not ID_NUMBER_RE.match(id_number):
            error("reporter_id_number", _("An ID number has 15 or 18 characters: digits, the last may be X."))
        if len(errors) > before or received_at is None or jurisdiction is None:
            return None
        return RowData(
            number=number,
            channel=channel,
            received_at=received_at,
            jurisdiction=jurisdiction,
            subject=subject,
            content=content,
            place=place,
            source_reference=source_reference,
            reporter_name=name,
            reporter_contact=contact,
            reporter_id_number=id_number,
        )

    def _jurisdiction(self, code: str, error: Any) -> Jurisdiction | None:
        if not code:
            return self.office.jurisdiction
        if code not in self.places:
            self.places[code] = Jurisdiction.objects.filter(code=code).first()
        node = self.places[code]
        if node is None:
            error("jurisdiction", _("No jurisdiction has the code %(code)s.") % {"code": code})
            return None
        if not node.is_within(self.office.jurisdiction):
            error(
                "jurisdiction",
                _("%(name)s lies outside the jurisdiction of %(office)s.")
                % {"name": node.name, "office": self.office.name},
            )
            return None
        return node

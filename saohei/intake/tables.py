"""Tables of the intake ledgers. Reporter identity never appears in them."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from saohei.intake.models import IdentityAccess, Report


class ReportTable(tables.Table):  # type: ignore[misc,unused-ignore]
    number = tables.Column(verbose_name=_("Number"), linkify=("report-detail", {"pk": tables.A("pk")}))
    received_at = tables.DateTimeColumn(verbose_name=_("Received at"), format="Y-m-d H:i")
    channel = tables.Column(verbose_name=_("Channel"))
    jurisdiction = tables.Column(
        verbose_name=_("Jurisdiction"), accessor="jurisdiction__name", order_by=("jurisdiction__path",)
    )
    subject = tables.Column(verbose_name=_("Subject"))
    clue = tables.Column(verbose_name=_("Clue"), accessor="clue__number", order_by=("clue__number",))
    clue_state = tables.Column(
        verbose_name=_("Clue state"), accessor="clue__state", order_by=("clue__state",)
    )

    class Meta:
        model = Report
        fields = ("number", "received_at", "channel", "jurisdiction", "subject", "clue", "clue_state")
        attrs = {"class": "ledger", "id": "report-table"}
        row_attrs = {"class": lambda record: "voided muted" if record.voided_at else ""}

    def render_number(self, value: str, record: Report) -> Any:
        if record.voided_at:
            return format_html("{} <span class='badge'>{}</span>", value, _("void"))
        return value

    def render_clue(self, value: str, record: Report) -> SafeString | str:
        if record.clue_id is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("clue-detail", kwargs={"pk": record.clue_id}), value
        )

    def render_clue_state(self, value: str, record: Report) -> SafeString | str:
        if record.clue is None:
            return "—"
        return format_html(
            '<span class="badge state-{}">{}</span>', record.clue.state, record.clue.get_state_display()
        )


class IdentityAccessTable(tables.Table):  # type: ignore[misc,unused-ignore]
    accessed_at = tables.DateTimeColumn(verbose_name=_("Accessed at"), format="Y-m-d H:i:s")
    user = tables.Column(verbose_name=_("Who"), accessor="user__username")
    report = tables.Column(
        verbose_name=_("Report"),
        accessor="report__number",
        linkify=lambda record: (
            reverse("report-detail", kwargs={"pk": record.report_id}) if record.report_id else None
        ),
    )
    reason = tables.Column(verbose_name=_("Reason"))

    class Meta:
        model = IdentityAccess
        fields = ("accessed_at", "user", "report", "reason")
        attrs = {"class": "ledger", "id": "identity-access-table"}

    def render_user(self, value: str, record: IdentityAccess) -> str:
        profile = getattr(record.user, "profile", None)
        name = getattr(profile, "display_name", "") if profile is not None else ""
        return f"{name} ({value})" if name else value

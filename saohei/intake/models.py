"""Reports as received, their reporters (identity sealed), and bulk imports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from saohei.core.models import NoDeleteModel, VoidableModel
from saohei.intake.choices import (
    PUBLIC_CHANNELS,
    AttachmentKind,
    Channel,
    IdentityRequestState,
    ImportState,
    MessageDirection,
    RewardState,
)


class Reporter(NoDeleteModel):
    """Who reported. Name, contact and ID number are sealed (see intake.crypto)."""

    anonymous = models.BooleanField(_("anonymous"), default=True)
    reachable = models.BooleanField(_("can be reached"), default=False)
    name_sealed = models.TextField(blank=True)
    contact_sealed = models.TextField(blank=True)
    id_number_sealed = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reporter")
        verbose_name_plural = _("reporters")

    def __str__(self) -> str:
        return str(_("anonymous reporter")) if self.anonymous else str(_("named reporter #%(id)s") % {"id": self.pk})


class Report(VoidableModel):
    """One submission as received. Its content is never edited: corrections are new reports."""

    number = models.CharField(_("number"), max_length=32, unique=True, null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=24, choices=Channel.choices)
    received_at = models.DateTimeField(_("received at"), db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    office = models.ForeignKey("orgs.Office", on_delete=models.PROTECT, related_name="reports")
    jurisdiction = models.ForeignKey("orgs.Jurisdiction", on_delete=models.PROTECT, related_name="reports")
    subject = models.CharField(_("subject"), max_length=200)
    content = models.TextField(_("content"))
    location_text = models.CharField(_("place"), max_length=200, blank=True)
    source_reference = models.CharField(_("source reference"), max_length=80, blank=True)
    reporter = models.ForeignKey(Reporter, null=True, blank=True, on_delete=models.PROTECT, related_name="reports")
    clue = models.ForeignKey("clues.Clue", null=True, blank=True, on_delete=models.PROTECT, related_name="reports")
    receipt_hash = models.CharField(max_length=64, blank=True, db_index=True)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    import_batch = models.ForeignKey(
        "intake.ImportBatch", null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    feedback_at = models.DateTimeField(_("feedback given at"), null=True, blank=True)
    spam_flags = models.JSONField(_("spam signs"), default=list, blank=True)
    client_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def is_public(self) -> bool:
        return self.channel in PUBLIC_CHANNELS


class IdentityAccess(NoDeleteModel):
    """A read of a reporter's identity: who, when, why. The office director reads this ledger."""

    reporter = models.ForeignKey(Reporter, on_delete=models.PROTECT, related_name="accesses")
    report = models.ForeignKey(Report, null=True, on_delete=models.PROTECT, related_name="identity_accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    accessed_at = models.DateTimeField(_("accessed at"), auto_now_add=True)

    class Meta:
        ordering = ["-accessed_at"]
        verbose_name = _("identity access")
        verbose_name_plural = _("identity accesses")


class ImportBatch(NoDeleteModel):
    """One uploaded spreadsheet (of reports, or of a case register): checked whole, then saved whole or not at
    all. `created_reports` counts the records a batch created, whatever its register."""

    office = models.ForeignKey("orgs.Office", on_delete=models.PROTECT, related_name="import_batches")
    register = models.CharField(_("register"), max_length=16, default="reports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("file name"), max_length=200)
    file_path = models.CharField(max_length=300)
    language = models.CharField(max_length=8, default="zh-hans")
    state = models.CharField(_("state"), max_length=16, choices=ImportState.choices, default=ImportState.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_reports = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self) -> str:
        return self.filename

    @property
    def percent(self) -> int:
        if self.state == ImportState.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(99, int(100 * self.processed_rows / self.total_rows))


class Attachment(NoDeleteModel):
    """A file sent with a report, stored as sanitised: type sniffed from content, images re-encoded
    without metadata. The original file name is sealed like the reporter's identity."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="attachments")
    message = models.ForeignKey("intake.PortalMessage", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="attachments")
    kind = models.CharField(_("kind"), max_length=16, choices=AttachmentKind.choices)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=200, unique=True)
    original_name_sealed = models.TextField(blank=True)
    metadata_removed = models.BooleanField(_("metadata removed"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "created_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return f"{self.report} · {self.get_kind_display()}"


class PortalMessage(NoDeleteModel):
    """A message between the reporter (through the receipt) and the staff handling the report."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="messages")
    direction = models.CharField(_("direction"), max_length=16, choices=MessageDirection.choices)
    text = models.TextField(_("text"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["report", "created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.report} · {self.get_direction_display()}"


class Reward(NoDeleteModel):
    """A reward for a report whose clue was substantiated: proposed, approved under the office's
    sign-off policy (subject "reward"), paid, and claimed by the reporter with a claim code."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="rewards")
    office = models.ForeignKey("orgs.Office", on_delete=models.PROTECT, related_name="rewards")
    state = models.CharField(_("state"), max_length=16, choices=RewardState.choices, default=RewardState.PROPOSED)
    amount = models.DecimalField(_("amount (CNY)"), max_digits=12, decimal_places=2)
    reason = models.TextField(_("reason"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    policy = models.ForeignKey("signoff.SignoffPolicy", null=True, blank=True, on_delete=models.PROTECT)
    claim_code_hash = models.CharField(max_length=64, blank=True, db_index=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    paid_at = models.DateField(_("paid on"), null=True, blank=True)
    payment_method = models.CharField(_("payment method"), max_length=80, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    void_reason = models.TextField(_("void reason"), blank=True)

    class Meta:
        ordering = ["-proposed_at"]
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")

    def __str__(self) -> str:
        return f"{self.report} · {self.amount}"


class IdentityAccessRequest(NoDeleteModel):
    """Where an office asks for two people, a request to read a reporter's identity and its approval."""

    reporter = models.ForeignKey(Reporter, on_delete=models.PROTECT, related_name="access_requests")
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="identity_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    state = models.CharField(_("state"), max_length=16, choices=IdentityRequestState.choices,
                             default=IdentityRequestState.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("identity access request")
        verbose_name_plural = _("identity access requests")

    def __str__(self) -> str:
        return f"{self.report} · {self.get_state_display()}"

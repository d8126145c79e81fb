"""The portal's inbox: a report as the portal accepted it, sealed, until the worker registers it in intake."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from saohei.core.models import NoDeleteModel


class PortalSubmission(NoDeleteModel):
    """One accepted submission. The receipt was shown once this row was committed; registering it as a
    Report (with its reporter, clue, files and audit events) is the worker's job, or happens at once when
    the reporter follows up first. Everything the reporter sent is sealed (AES-256-GCM)."""

    idempotency_key = models.CharField(max_length=80, unique=True)
    receipt_hash = models.CharField(max_length=64, db_index=True)
    sealed = models.TextField()
    received_at = models.DateTimeField(_("received at"))
    report = models.OneToOneField("intake.Report", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["received_at", "id"]
        indexes = [models.Index(fields=["received_at"], name="portal_submission_pending",
                                condition=Q(registered_at__isnull=True))]
        verbose_name = _("portal submission")
        verbose_name_plural = _("portal submissions")

    def __str__(self) -> str:
        return f"{self.pk} {self.received_at:%Y-%m-%d %H:%M}"

"""Base models shared by every app: nothing is ever deleted, only voided."""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeletionForbidden(Exception):
    """Raised when code tries to delete a record; Saohei voids records instead."""


class NoDeleteQuerySet(models.QuerySet[Any]):
    def delete(self) -> NoReturn:
        raise DeletionForbidden(_("Records are never deleted; void them with a reason."))


class NoDeleteModel(models.Model):
    """A record that is kept for ever: corrections are new records, mistakes are voided."""

    objects = NoDeleteQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise DeletionForbidden(_("Records are never deleted; void them with a reason."))


class VoidableModel(NoDeleteModel):
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    void_reason = models.TextField(_("void reason"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None


class TallyStale(models.Model):
    """A (jurisdiction path, month) whose pre-counted figures must be counted again.

    Services append one in the transaction that changes a dated record; the figures recount the
    marked months before they read the tallies, so a tally never lags behind the rows it counts.
    Marks are appended, never updated, so a writer can never lose its mark to a concurrent recount.
    """

    path = models.CharField(max_length=40)
    month = models.DateField()

    class Meta:
        verbose_name = _("stale tally")

    def __str__(self) -> str:
        return f"{self.path} {self.month:%Y-%m}"

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

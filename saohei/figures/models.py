"""Pre-counted outcome figures: one row per jurisdiction path and month (ADR 0007)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


def _count() -> models.IntegerField[int, int]:
    return models.IntegerField(default=0)


class OutcomeTally(models.Model):
    """The outcome counts of the records dated in one month, as ``saohei.figures.outcome_counts``
    counts them from the rows: of the records at one jurisdiction path (``subtree`` false), or of the
    whole subtree under it (``subtree`` true, the sum of the former, so that a national figure reads
    one row per province and month). Kept by ``saohei.figures.tallies``: recounted for the months
    that services mark stale, rebuilt by ``saohei outcome_tallies rebuild``. A row exists only where
    something was counted."""

    path = models.CharField(max_length=40)
    month = models.DateField()
    subtree = models.BooleanField(default=False)
    filed_mafia_type = _count()
    filed_evil_force_gang = _count()
    filed_evil_force_group = _count()
    destroyed_mafia_type = _count()
    destroyed_evil_force_gang = _count()
    destroyed_evil_force_group = _count()
    destroyed = _count()
    cases_solved = _count()
    cases_indicted = _count()
    cases_first_judgment = _count()
    cases_effective_judgment = _count()
    suspects_detained = _count()
    suspects_arrested = _count()
    suspects_captured = _count()
    suspects_surrendered = _count()
    persons_indicted = _count()
    persons_judged = _count()
    assets_count = _count()
    assets_amount = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    assets_sealed = _count()
    assets_seized = _count()
    assets_frozen = _count()
    clues_concluded = _count()
    clues_formed_case = _count()

    class Meta:
        verbose_name = _("outcome tally")
        constraints = [models.UniqueConstraint(fields=["path", "month", "subtree"], name="outcome_tally_cell")]
        indexes = [models.Index(fields=["subtree", "month", "path"], name="outcome_tally_month_path")]

    def __str__(self) -> str:
        return f"{self.path} {self.month:%Y-%m}"

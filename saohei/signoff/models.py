"""Sign-off chains (三长, 五长一警…) and the endorsements that satisfy them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from saohei.core.models import NoDeleteModel
from saohei.orgs.choices import Role, UnitKind


class Track(models.TextChoices):
    ANY = "", _("any track")
    POLICE = "police", _("police track")
    DISCIPLINE = "discipline", _("discipline track")


class SignoffPolicy(NoDeleteModel):
    """The chiefs who must sign a verification conclusion, per office, clue category and track."""

    office = models.ForeignKey("orgs.Office", on_delete=models.PROTECT, related_name="signoff_policies")
    name = models.CharField(_("name"), max_length=80)
    subject_type = models.CharField(_("applies to"), max_length=40, default="verification")
    track = models.CharField(_("track"), max_length=16, choices=Track.choices, blank=True, default="")
    category_code = models.CharField(_("clue category"), max_length=40, blank=True, default="")
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["office", "name"]
        verbose_name = _("sign-off policy")
        verbose_name_plural = _("sign-off policies")

    def __str__(self) -> str:
        return self.name


class SignoffStep(NoDeleteModel):
    """One signature in the chain, signed in `order` (1 first).

    The signer holds `role`: in the office (`at_office`), in a unit of `unit_kind`
    within the assigned unit's family (bureau, brigade, station), or else in the
    assigned unit itself.
    """

    policy = models.ForeignKey(SignoffPolicy, on_delete=models.PROTECT, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=80)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    unit_kind = models.CharField(_("unit kind"), max_length=32, choices=UnitKind.choices, blank=True, default="")
    at_office = models.BooleanField(_("signed in the office"), default=False)
    position_title = models.CharField(_("position title required"), max_length=80, blank=True, default="")

    class Meta:
        ordering = ["policy", "order"]
        constraints = [models.UniqueConstraint(fields=["policy", "order"], name="signoff_step_order_unique")]
        verbose_name = _("sign-off step")
        verbose_name_plural = _("sign-off steps")

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class Endorsement(NoDeleteModel):
    """A signature over the SHA-256 of the canonical JSON of what was signed."""

    subject_type = models.CharField(max_length=40)
    subject_id = models.CharField(max_length=64)
    step = models.ForeignKey(SignoffStep, on_delete=models.PROTECT, related_name="endorsements")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="endorsements")
    signed_at = models.DateTimeField(_("signed at"))
    content_hash = models.CharField(_("content hash"), max_length=64)
    comment = models.TextField(_("comment"), blank=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    void_reason = models.TextField(_("void reason"), blank=True)

    class Meta:
        ordering = ["subject_type", "subject_id", "step__order", "signed_at"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")

    def __str__(self) -> str:
        return f"{self.step.title}: {self.signer}"

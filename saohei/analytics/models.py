"""What analytics keeps: report fingerprints for repeat detection and the repeat candidates with the
analysts' decisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RepeatDecision(models.TextChoices):
    PENDING = "pending", _("awaiting a decision")
    CONFIRMED = "confirmed", _("confirmed repeat")
    REJECTED = "rejected", _("not a repeat")


class ReportFingerprint(models.Model):
    """A report's MinHash signature and strong identifiers, so the repeat index can be rebuilt from the
    database without reading every text again; what normalisation set aside is kept for the analyst."""

    report = models.OneToOneField("intake.Report", on_delete=models.CASCADE, related_name="fingerprint")
    signature = models.BinaryField()
    identifiers = models.JSONField(default=list)
    set_aside = models.JSONField(default=list)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("report fingerprint")

    def __str__(self) -> str:
        return f"fingerprint of report {self.report_id}"


class ShingleWeightsFile(models.Model):
    """Shingle weights fitted on the office's reports (``analytics.repeats.ShingleWeights``, serialised): the active
    one signs every report fingerprint, so that similar wording common to many tips counts for little. Fitted by
    ``saohei analytics rebuild-index`` (or automatically, see ``services.weights_refit_due``); earlier ones are kept."""

    fitted_at = models.DateTimeField(_("fitted at"), auto_now_add=True)
    reports = models.PositiveIntegerField(_("reports fitted on"))
    reports_stored = models.PositiveIntegerField(_("reports stored when fitted"))
    weights_id = models.BigIntegerField()
    data = models.BinaryField()
    active = models.BooleanField(_("in use"), default=False)

    class Meta:
        verbose_name = _("repeat-detection weights")
        verbose_name_plural = _("repeat-detection weights")
        constraints = [models.UniqueConstraint(fields=["active"], condition=models.Q(active=True),
                                               name="shingle_weights_one_active")]

    def __str__(self) -> str:
        return f"shingle weights {self.pk} ({self.reports} reports, {self.fitted_at:%Y-%m-%d})"


class RepeatMatch(models.Model):
    """A stored report that a new report may repeat: the similarity, the reasons, and the decision."""

    report = models.ForeignKey("intake.Report", on_delete=models.CASCADE, related_name="repeat_matches")
    earlier = models.ForeignKey("intake.Report", on_delete=models.CASCADE, related_name="+")
    similarity = models.FloatField(_("similarity"))
    reasons = models.JSONField(_("reasons"), default=list)
    decision = models.CharField(_("decision"), max_length=12, choices=RepeatDecision.choices,
                                default=RepeatDecision.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)
    found_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("repeat candidate")
        verbose_name_plural = _("repeat candidates")
        ordering = ["-similarity", "pk"]
        constraints = [models.UniqueConstraint(fields=["report", "earlier"], name="repeat_match_pair")]

    def __str__(self) -> str:
        return f"{self.report_id} ~ {self.earlier_id} ({self.similarity:.2f})"


class RecordKind(models.TextChoices):
    REPORT = "report", _("report")
    CLUE = "clue", _("clue")
    CASE = "case", _("case")


class CorrectionAction(models.TextChoices):
    REMOVE = "remove", _("remove a wrong entity")
    CHANGE = "change", _("change an entity's kind or value")
    ADD = "add", _("add a missed entity")


class EntityMention(models.Model):
    """An entity found in a report, clue or case text (``analytics.entities``), after the users'
    corrections; replaced whenever the text is extracted again."""

    record_kind = models.CharField(_("record kind"), max_length=8, choices=RecordKind.choices)
    record_id = models.PositiveBigIntegerField(_("record"))
    kind = models.CharField(_("kind"), max_length=20)
    text = models.CharField(_("as written"), max_length=200)
    value = models.CharField(_("value"), max_length=200, blank=True)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    attributes = models.JSONField(default=dict, blank=True)
    extracted_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("entity mention")
        indexes = [
            models.Index(fields=["record_kind", "record_id"], name="mention_record"),
            models.Index(fields=["kind", "value"], name="mention_kind_value"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.text} ({self.record_kind} {self.record_id})"


class EntityCorrection(models.Model):
    """A user's correction of the entities of one record, re-applied on every later extraction."""

    record_kind = models.CharField(_("record kind"), max_length=8, choices=RecordKind.choices)
    record_id = models.PositiveBigIntegerField(_("record"))
    action = models.CharField(_("correction"), max_length=8, choices=CorrectionAction.choices)
    kind = models.CharField(_("kind"), max_length=20)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.CharField(_("as written"), max_length=200)
    new_kind = models.CharField(_("new kind"), max_length=20, blank=True)
    new_value = models.CharField(_("new value"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    corrected_at = models.DateTimeField(_("corrected at"), auto_now_add=True)

    class Meta:
        verbose_name = _("entity correction")
        indexes = [models.Index(fields=["record_kind", "record_id"], name="correction_record")]

    def __str__(self) -> str:
        return f"{self.action} {self.kind} {self.text}"


class JudgementKind(models.TextChoices):
    CONFIRM = "confirm", _("same person or company")
    REJECT = "reject", _("different persons or companies")
    SPLIT = "split", _("split from the group")


class ResolutionJudgement(models.Model):
    """An analyst's judgement on who is who; binds every later resolution run. Records are named by
    what outlives a re-extraction: "clue:12@3-6" (a record and the span of the name in its text),
    "suspect:3", "umbrella:4"; a split names one record and the records it is taken away from."""

    kind = models.CharField(_("judgement"), max_length=8, choices=JudgementKind.choices)
    record = models.CharField(_("record"), max_length=40)
    others = models.JSONField(_("other records"), default=list)
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("resolution judgement")

    def __str__(self) -> str:
        return f"{self.kind} {self.record} {self.others}"


class ClueScore(models.Model):
    """A clue's priority (0–100) with the reasons shown to the analyst, and the category routing."""

    clue = models.OneToOneField("clues.Clue", on_delete=models.CASCADE, related_name="score")
    score = models.PositiveSmallIntegerField(_("priority score"))
    level = models.CharField(_("priority level"), max_length=8)
    reasons = models.JSONField(_("reasons"), default=list)
    category = models.CharField(_("proposed category"), max_length=40, blank=True)
    category_confidence = models.FloatField(_("confidence"), null=True, blank=True)
    routing_reasons = models.JSONField(default=list, blank=True)
    # The model in use was measured on another kind of prose than the clue's: the rules routed it first (ADR 0010).
    routed_rules_first = models.BooleanField(default=False)
    model = models.ForeignKey("analytics.CategoryModelFile", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("clue score")
        indexes = [models.Index(fields=["-score"], name="clue_score_desc")]

    def __str__(self) -> str:
        return f"{self.clue_id}: {self.score}"


class CategoryModelFile(models.Model):
    """A trained routing and priority model (``analytics.learning``), stored with its evaluation; the
    active one is used, the rules wherever the evaluation showed the model no better."""

    trained_at = models.DateTimeField(_("trained at"), auto_now_add=True)
    trained_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    source = models.CharField(_("trained from"), max_length=300)
    rows = models.PositiveIntegerField(_("training rows"))
    data = models.BinaryField()
    evaluation = models.JSONField(_("evaluation"), default=dict)
    active = models.BooleanField(_("in use"), default=False)

    class Meta:
        verbose_name = _("category model")

    def __str__(self) -> str:
        return f"model {self.pk} ({self.trained_at:%Y-%m-%d})"

"""Clues, their assignments (tracks), verifications and the timeline of every move."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from saohei.clues.choices import (
    AssignmentMode,
    AssignmentState,
    Conclusion,
    Priority,
    ReporterMet,
    State,
    SupervisionLevel,
    Track,
)
from saohei.core.models import NoDeleteModel, NoDeleteQuerySet
from saohei.intake.choices import Channel


class OffenceCategory(NoDeleteModel):
    """One of the typical gang-related offences (十类黑恶犯罪); kept as data."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_zh_hans = models.CharField(max_length=60)
    name_zh_hant = models.CharField(max_length=60)
    name_en = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("offence category")
        verbose_name_plural = _("offence categories")

    def __str__(self) -> str:
        lang = (get_language() or "zh-hans").lower()
        if lang.startswith("en"):
            return self.name_en
        if lang in {"zh-hant", "zh-tw", "zh-hk"}:
            return self.name_zh_hant
        return self.name_zh_hans


class ClueQuerySet(NoDeleteQuerySet):
    def visible_to(self, user: object) -> ClueQuerySet:
        from saohei.clues.selectors import clue_visibility_filter

        return self.filter(clue_visibility_filter(user))  # type: ignore[arg-type]


class Clue(NoDeleteModel):
    number = models.CharField(_("number"), max_length=32, unique=True, null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    source = models.CharField(_("source"), max_length=24, choices=Channel.choices)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.RECEIVED)
    office = models.ForeignKey("orgs.Office", on_delete=models.PROTECT, related_name="clues")
    jurisdiction = models.ForeignKey("orgs.Jurisdiction", on_delete=models.PROTECT, related_name="clues")
    jurisdiction_path = models.CharField(max_length=40)
    category = models.ForeignKey(OffenceCategory, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="clues", verbose_name=_("category"))
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.NORMAL)
    names_officials = models.BooleanField(_("names officials or party members"), default=False)
    conflict_jurisdictions = models.ManyToManyField(
        "orgs.Jurisdiction", blank=True, related_name="conflicted_clues",
        verbose_name=_("jurisdictions whose officials or units are named"),
    )
    report_count = models.PositiveIntegerField(_("reports"), default=0)
    review_pending = models.BooleanField(_("repeat report awaiting review"), default=False)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="duplicates")
    referred_to = models.CharField(_("referred to"), max_length=200, blank=True)
    triage_note = models.TextField(_("triage note"), blank=True)
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)
    triaged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    concluded_on_time = models.BooleanField(null=True, blank=True)
    conclusion = models.CharField(_("conclusion"), max_length=24, choices=Conclusion.choices, blank=True)
    feedback_text = models.TextField(_("feedback to the reporter"), blank=True)
    feedback_impossible_reason = models.TextField(_("why no feedback could be given"), blank=True)
    feedback_at = models.DateTimeField(_("feedback recorded at"), null=True, blank=True)
    reply_text = models.TextField(_("reply to the assigning office"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    supervision_level = models.CharField(_("supervision level"), max_length=16, choices=SupervisionLevel.choices,
                                         blank=True, default="")
    supervision_interval_days = models.PositiveSmallIntegerField(_("progress report every (days)"), null=True,
                                                                 blank=True)
    supervision_next_due = models.DateField(_("next progress report due"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClueQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("clue")
        verbose_name_plural = _("clues")
        indexes = [
            models.Index(fields=["jurisdiction_path"], name="clue_path_like", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["state", "deadline"], name="clue_state_deadline"),
            models.Index(fields=["office", "state"], name="clue_office_state"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class DeadlineDefault(NoDeleteModel):
    """Verification deadline in days for an office, optionally per clue category."""

    office = models.ForeignKey("orgs.Office", on_delete=models.PROTECT, related_name="deadline_defaults")
    category = models.ForeignKey(OffenceCategory, null=True, blank=True, on_delete=models.PROTECT)
    days = models.PositiveSmallIntegerField(_("days"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "category"], name="deadline_default_unique")]
        verbose_name = _("deadline default")
        verbose_name_plural = _("deadline defaults")


class Assignment(NoDeleteModel):
    """A clue handed to a unit with a deadline: one track of its verification."""

    clue = models.ForeignKey(Clue, on_delete=models.PROTECT, related_name="assignments")
    track = models.CharField(_("track"), max_length=16, choices=Track.choices, default=Track.GENERAL)
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="assignments")
    mode = models.CharField(_("mode"), max_length=16, choices=AssignmentMode.choices, default=AssignmentMode.NORMAL)
    state = models.CharField(_("state"), max_length=16, choices=AssignmentState.choices,
                             default=AssignmentState.ASSIGNED)
    active = models.BooleanField(default=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(_("assigned at"))
    deadline = models.DateField(_("deadline"))
    note = models.TextField(_("instructions"), blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["clue", "assigned_at"]
        indexes = [models.Index(fields=["unit", "active", "state"], name="assignment_unit_state")]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self) -> str:
        return f"{self.clue.number} → {self.unit}"


class Verification(NoDeleteModel):
    """The verification work of one assignment: the three musts, the conclusion, the signatures."""

    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT, related_name="verification")
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    reporter_met = models.CharField(_("reporter met and questioned"), max_length=16, choices=ReporterMet.choices,
                                    default=ReporterMet.PENDING)
    reporter_met_note = models.TextField(_("how the reporter was met"), blank=True)
    content_rechecked = models.BooleanField(_("content re-checked"), default=False)
    content_recheck_note = models.TextField(_("how the content was re-checked"), blank=True)
    feedback_planned = models.BooleanField(_("feedback arranged"), default=False)
    feedback_note = models.TextField(_("how feedback will be given"), blank=True)
    conclusion = models.CharField(_("conclusion"), max_length=24, choices=Conclusion.choices, blank=True)
    finding = models.TextField(_("finding"), blank=True)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    concluded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    revision = models.PositiveIntegerField(default=0)
    policy = models.ForeignKey("signoff.SignoffPolicy", null=True, blank=True, on_delete=models.PROTECT)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")

    def signed_content(self) -> dict[str, object]:
        """What the chiefs sign: the conclusion as it stands."""
        return {
            "assignment": self.assignment_id,
            "clue": self.assignment.clue_id,
            "conclusion": self.conclusion,
            "finding": self.finding,
            "reporter_met": self.reporter_met,
            "reporter_met_note": self.reporter_met_note,
            "content_rechecked": self.content_rechecked,
            "content_recheck_note": self.content_recheck_note,
            "revision": self.revision,
        }


class ClueEvent(NoDeleteModel):
    """One entry of the clue's timeline."""

    clue = models.ForeignKey(Clue, on_delete=models.PROTECT, related_name="events")
    occurred_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    action = models.CharField(_("action"), max_length=40)
    from_state = models.CharField(_("from"), max_length=16, blank=True)
    to_state = models.CharField(_("to"), max_length=16, blank=True)
    assignment = models.ForeignKey(Assignment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("clue event")
        verbose_name_plural = _("clue events")

    def __str__(self) -> str:
        return f"{self.clue_id} {self.action}"

"""One form per move. The forms only shape the input; the services decide (and explain) what is allowed.

Field names are the parameter names of services.transitions.clue_transition, so a
validated form's POST goes to the service as it came.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saohei.clues.choices import AssignmentMode, Conclusion, Priority, ReporterMet, SupervisionLevel
from saohei.clues.deadlines import default_deadline
from saohei.clues.models import Assignment, Clue, OffenceCategory
from saohei.clues.services.assigning import POLICE_KINDS
from saohei.clues.workflow import OFFICE_ROLES
from saohei.orgs.choices import UnitKind
from saohei.orgs.models import Unit
from saohei.orgs.policies import standing_for

User = AbstractBaseUser | AnonymousUser


def _text(label: Any, *, required: bool = False, help_text: Any = "", rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _date(label: Any, *, required: bool = False, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.jurisdiction.name}）"


def units_for(user: User, *, kinds: frozenset[str] | set[str] | None = None) -> QuerySet[Unit]:
    """Active units within the user's office subtrees (where the user may assign)."""
    standing = standing_for(user)
    units = Unit.objects.filter(active=True).select_related("jurisdiction")
    if not standing.is_superuser:
        q = Q(pk__in=[])
        for path in standing.office_paths_with(*OFFICE_ROLES):
            q |= Q(jurisdiction__path__startswith=path)
        units = units.filter(q)
    if kinds:
        units = units.filter(kind__in=list(kinds))
    return units.order_by("jurisdiction__path", "kind", "name")


class MoveForm(forms.Form):
    """A move's form; track-level moves carry the assignment they act on."""

    def __init__(
        self, data: Any = None, *, clue: Clue, user: User, assignment: Assignment | None = None, **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        self.clue, self.user, self.assignment = clue, user, assignment
        if assignment is not None:
            self.fields["assignment"] = forms.IntegerField(
                widget=forms.HiddenInput, initial=assignment.pk, required=False, min_value=1
            )
        self.setup()

    def setup(self) -> None:
        """Fill choices and initial values from the clue and the user."""


class NoteForm(MoveForm):
    note = _text(_("Note"))


class RequiredNoteForm(MoveForm):
    note = _text(_("Note"), required=True)


class TriageValidForm(MoveForm):
    category = forms.ChoiceField(label=_("Offence category"))
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Priority.choices, coerce=int, initial=Priority.NORMAL
    )
    names_officials = forms.BooleanField(label=_("Names officials or party members"), required=False)
    conflict_jurisdictions = forms.CharField(
        label=_("Jurisdictions whose officials or units are named"),
        required=False,
        max_length=400,
        help_text=_("Jurisdiction codes separated by commas, e.g. 420103. Their own units may not verify."),
    )
    note = _text(_("Note"))

    def setup(self) -> None:
        cats = OffenceCategory.objects.filter(active=True).order_by("order", "code")
        self.fields["category"].choices = [("", "—"), *((c.code, str(c)) for c in cats)]  # type: ignore[attr-defined]
        if self.clue.category_id and self.clue.category:
            self.fields["category"].initial = self.clue.category.code
        self.fields["priority"].initial = self.clue.priority


class TriageDuplicateForm(MoveForm):
    duplicate_of = forms.CharField(label=_("Number of the clue it duplicates"), max_length=40)
    note = _text(_("Note"))


class TriageReferForm(MoveForm):
    referred_to = forms.CharField(label=_("Referred to (competent department)"), max_length=200)
    note = _text(_("Note"))


class AssignForm(MoveForm):
    unit = UnitChoiceField(label=_("Responsible unit"), queryset=Unit.objects.none())
    deadline = _date(_("Deadline"), help_text=_("Left empty: the office's default deadline."))
    note = _text(_("Instructions"))

    def setup(self) -> None:
        self.fields["unit"].queryset = units_for(self.user)  # type: ignore[attr-defined]
        self.fields["deadline"].initial = default_deadline(
            office=self.clue.office, category=self.clue.category, start=timezone.localdate()
        )


class AssignDualForm(MoveForm):
    police_unit = UnitChoiceField(label=_("Police unit (the gang matter)"), queryset=Unit.objects.none())
    discipline_unit = UnitChoiceField(
        label=_("Discipline commission (the protection matter)"), queryset=Unit.objects.none()
    )
    deadline = _date(_("Deadline"), help_text=_("Left empty: the office's default deadline."))
    note = _text(_("Instructions"))

    def setup(self) -> None:
        self.fields["police_unit"].queryset = units_for(self.user, kinds=POLICE_KINDS)  # type: ignore[attr-defined]
        self.fields["discipline_unit"].queryset = units_for(  # type: ignore[attr-defined]
            self.user, kinds={UnitKind.DISCIPLINE_COMMISSION}
        )
        self.fields["deadline"].initial = default_deadline(
            office=self.clue.office, category=self.clue.category, start=timezone.localdate()
        )


class StartForm(MoveForm):
    pass


class RecordMustsForm(MoveForm):
    reporter_met = forms.ChoiceField(
        label=_("Reporter met and questioned"),
        choices=[c for c in ReporterMet.choices if c[0] != ReporterMet.PENDING],
    )
    reporter_met_note = _text(_("When and how the reporter was met (or how you tried to reach them)"))
    content_rechecked = forms.BooleanField(label=_("Reported content re-checked"), required=False)
    content_recheck_note = _text(_("How the content was re-checked"))
    feedback_planned = forms.BooleanField(label=_("Feedback to the reporter arranged"), required=False)
    feedback_note = _text(_("How feedback will be given"))

    def setup(self) -> None:
        v = getattr(self.assignment, "verification", None)
        if v is None:
            return
        if v.reporter_met != ReporterMet.PENDING:
            self.fields["reporter_met"].initial = v.reporter_met
        self.fields["reporter_met_note"].initial = v.reporter_met_note
        self.fields["content_rechecked"].initial = v.content_rechecked
        self.fields["content_recheck_note"].initial = v.content_recheck_note
        self.fields["feedback_planned"].initial = v.feedback_planned
        self.fields["feedback_note"].initial = v.feedback_note


class ConcludeForm(MoveForm):
    conclusion = forms.ChoiceField(label=_("Conclusion"), choices=Conclusion.choices)
    finding = _text(_("Finding: what was checked and what was found"), required=True, rows=6)


class AmendConclusionForm(ConcludeForm):
    reason = _text(
        _("Why the conclusion changes"),
        required=True,
        help_text=_("Signatures over the old conclusion are voided."),
    )

    def setup(self) -> None:
        v = getattr(self.assignment, "verification", None)
        if v is not None:
            self.fields["conclusion"].initial = v.conclusion
            self.fields["finding"].initial = v.finding


class SignForm(MoveForm):
    comment = _text(_("Comment"))


class ReturnForm(MoveForm):
    reason = _text(_("What must be reworked"), required=True)
    deadline = _date(_("New deadline"), help_text=_("Left empty: the deadline stays."))


class EscalateForm(MoveForm):
    mode = forms.ChoiceField(
        label=_("Escalate"),
        choices=[
            (AssignmentMode.UPGRADE, _("upward, to a unit of a higher jurisdiction")),
            (AssignmentMode.OFFSITE, _("off-site, to a unit of another jurisdiction")),
        ],
    )
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    reason = _text(_("Reason"), required=True)
    deadline = _date(_("Deadline"), help_text=_("Left empty: the office's default deadline."))

    def setup(self) -> None:
        units = units_for(self.user)
        if self.assignment is not None:
            units = units.exclude(pk=self.assignment.unit_id)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class ProgressForm(MoveForm):
    text = _text(_("Progress report"), required=True, rows=5)


class FeedbackForm(MoveForm):
    text = _text(_("Feedback to the reporter"), rows=5)
    impossible_reason = _text(_("Or: why no feedback can be given"), help_text=_("Fill in one of the two."))

    def setup(self) -> None:
        self.fields["text"].initial = self.clue.feedback_text
        self.fields["impossible_reason"].initial = self.clue.feedback_impossible_reason


class ReplyForm(MoveForm):
    text = _text(_("Reply to the assigning office"), required=True, rows=5)

    def setup(self) -> None:
        self.fields["text"].initial = self.clue.reply_text


class ReopenForm(MoveForm):
    unit = UnitChoiceField(label=_("Responsible unit"), queryset=Unit.objects.none())
    reason = _text(_("Why the clue is reopened"), required=True)
    deadline = _date(_("Deadline"), help_text=_("Left empty: the office's default deadline."))

    def setup(self) -> None:
        self.fields["unit"].queryset = units_for(self.user)  # type: ignore[attr-defined]
        last = self.clue.assignments.order_by("-assigned_at").values_list("unit_id", flat=True).first()
        if last is not None:
            self.fields["unit"].initial = last
        self.fields["deadline"].initial = default_deadline(
            office=self.clue.office, category=self.clue.category, start=timezone.localdate()
        )


class SuperviseForm(MoveForm):
    level = forms.ChoiceField(label=_("Supervision level"), choices=SupervisionLevel.choices[1:])
    interval_days = forms.IntegerField(
        label=_("Progress report every (days)"), min_value=1, max_value=180, initial=15
    )
    note = _text(_("Note"))

    def setup(self) -> None:
        if self.clue.supervision_level:
            self.fields["level"].initial = self.clue.supervision_level
        if self.clue.supervision_interval_days:
            self.fields["interval_days"].initial = self.clue.supervision_interval_days


MOVE_FORMS: dict[str, type[MoveForm]] = {
    "triage_valid": TriageValidForm,
    "triage_duplicate": TriageDuplicateForm,
    "triage_refer": TriageReferForm,
    "triage_invalid": RequiredNoteForm,
    "assign": AssignForm,
    "assign_dual": AssignDualForm,
    "start": StartForm,
    "record_musts": RecordMustsForm,
    "conclude": ConcludeForm,
    "amend_conclusion": AmendConclusionForm,
    "sign": SignForm,
    "return": ReturnForm,
    "escalate": EscalateForm,
    "report_progress": ProgressForm,
    "feedback": FeedbackForm,
    "reply": ReplyForm,
    "close": NoteForm,
    "acknowledge_repeat": RequiredNoteForm,
    "uphold": RequiredNoteForm,
    "reopen": ReopenForm,
    "supervise": SuperviseForm,
}

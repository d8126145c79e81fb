"""Reading clues: visibility, the ledger, the inbox, the timeline."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from saohei.clues.choices import AssignmentState, State
from saohei.clues.models import Assignment, Clue, ClueEvent, Verification
from saohei.intake.models import Report
from saohei.orgs.choices import Role
from saohei.orgs.policies import standing_for, units_under
from saohei.signoff.models import Endorsement

User = AbstractBaseUser | AnonymousUser


def clue_visibility_filter(user: User) -> Q:
    """Clues of the user's offices' subtrees, and clues actively assigned to the user's units.

    A unit chief's "units" are the whole family of their unit (the bureau and every unit under it),
    since sign-off chains ask a brigade chief to sign for the bureau's stations.
    """
    standing = standing_for(user)
    if standing.user_id is None:
        return Q(pk__in=[])
    if standing.is_superuser:
        return Q()
    q = Q(pk__in=[])
    for path in standing.all_office_paths:
        q |= Q(jurisdiction_path__startswith=path)
    if standing.unit_ids:
        units = units_under(standing.unit_ids | standing.chief_family_roots)
        q |= Q(Exists(Assignment.objects.filter(clue=OuterRef("pk"), active=True, unit_id__in=units)))
    return q


def clue_get_for_user(*, user: User, clue_id: int) -> Clue:
    """The clue, or 404 alike for missing and not visible."""
    clue = (
        Clue.objects.visible_to(user)
        .select_related("office__jurisdiction", "jurisdiction", "category", "duplicate_of")
        .filter(pk=clue_id)
        .first()
    )
    if clue is None:
        raise Http404(_("No such clue."))
    return clue  # type: ignore[no-any-return]


def clue_list_for_user(*, user: User) -> QuerySet[Clue]:
    return Clue.objects.visible_to(user).select_related("jurisdiction", "category", "office")


def clue_assignments(*, clue: Clue) -> list[Assignment]:
    return list(
        clue.assignments.select_related("unit__parent", "unit__jurisdiction", "assigned_by", "verification__policy")
        .order_by("assigned_at", "pk")
    )


def clue_timeline(*, clue: Clue) -> QuerySet[ClueEvent]:
    return clue.events.select_related("actor", "assignment__unit").order_by("occurred_at", "pk")


def verification_endorsements(*, verification: Verification) -> QuerySet[Endorsement]:
    return Endorsement.objects.filter(subject_type="verification", subject_id=str(verification.pk)).select_related(
        "step", "signer"
    )


@dataclass
class Inbox:
    to_triage: QuerySet[Clue]
    to_assign: QuerySet[Clue]
    to_verify: QuerySet[Assignment]
    to_sign: list[Assignment]
    to_answer: QuerySet[Clue]
    to_review: QuerySet[Clue]

    @property
    def total(self) -> int:
        return (
            self.to_triage.count() + self.to_assign.count() + self.to_verify.count() + len(self.to_sign)
            + self.to_answer.count() + self.to_review.count()
        )


def inbox_for_user(*, user: User, limit: int = 50) -> Inbox:
    """What waits for this user: to triage, assign, verify, sign, answer, review."""
    from saohei.clues.policies import may_move
    from saohei.clues.workflow import move_get

    standing = standing_for(user)
    visible = Clue.objects.visible_to(user).select_related("jurisdiction", "category")
    none = Clue.objects.none()
    triage_paths = standing.office_paths_with(Role.TRIAGE_ANALYST, Role.OFFICE_DIRECTOR)
    office_q = Q(pk__in=[])
    for p in triage_paths:
        office_q |= Q(jurisdiction_path__startswith=p)
    to_triage = visible.filter(office_q, state=State.RECEIVED) if triage_paths else none
    to_assign = visible.filter(office_q, state=State.VALID) if triage_paths else none
    awaiting_review = Q(state=State.REVIEW) | Q(review_pending=True)
    to_review = visible.filter(office_q).filter(awaiting_review) if triage_paths else none
    verifier_units = units_under(standing.unit_ids_with(Role.VERIFIER, Role.UNIT_CHIEF, Role.DEPUTY_CHIEF))
    to_verify = (
        Assignment.objects.filter(
            active=True, unit_id__in=verifier_units, state__in=[AssignmentState.ASSIGNED, AssignmentState.VERIFYING]
        )
        .select_related("clue", "unit")
        .order_by("deadline")
    )
    candidates = (
        Assignment.objects.filter(active=True, state=AssignmentState.CONCLUDED, clue__in=visible)
        .select_related("clue", "unit__parent", "verification__policy")
        .order_by("deadline")[: limit * 4]
    )
    sign = move_get("sign")
    to_sign = [a for a in candidates if may_move(user, sign, a.clue, a)][:limit]
    answer_q = Q(pk__in=[])
    for p in standing.office_paths_with(Role.INTAKE_CLERK, Role.TRIAGE_ANALYST, Role.OFFICE_DIRECTOR):
        answer_q |= Q(jurisdiction_path__startswith=p)
    if verifier_units:
        answer_q |= Q(Exists(Assignment.objects.filter(clue=OuterRef("pk"), active=True, unit_id__in=verifier_units)))
    to_answer = visible.filter(answer_q, state=State.SIGNED)
    return Inbox(
        to_triage=to_triage.order_by("created_at"),
        to_assign=to_assign.order_by("priority", "created_at"),
        to_verify=to_verify,
        to_sign=to_sign,
        to_answer=to_answer.order_by("signed_at"),
        to_review=to_review.order_by("updated_at"),
    )


def report_list_for_user(*, user: User) -> QuerySet[Report]:
    """Reports whose clue the user may see: a report is never more visible than its clue."""
    qs = Report.objects.select_related("office", "jurisdiction", "clue", "reporter")
    if standing_for(user).is_superuser:
        return qs
    return qs.filter(clue__in=Clue.objects.visible_to(user).values("pk"))

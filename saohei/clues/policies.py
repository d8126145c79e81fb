"""Who may make which move on which clue, and who could ("may this user?" and "who may?")."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from saohei.clues.models import Assignment, Clue
from saohei.clues.workflow import Move, Scope
from saohei.orgs.models import Membership, Unit
from saohei.orgs.policies import standing_for
from saohei.signoff.services import may_sign, next_step, signers_for

User = AbstractBaseUser | AnonymousUser


def _unit_lineage(unit: Unit) -> list[int]:
    return unit.lineage_ids()


def may_move(user: User, move: Move, clue: Clue, assignment: Assignment | None = None) -> bool:
    standing = standing_for(user)
    if standing.user_id is None:
        return False
    if move.scope is Scope.SIGNOFF_CHAIN:
        if assignment is None or not hasattr(assignment, "verification"):
            return False
        policy = assignment.verification.policy
        if policy is None:
            return False
        step = next_step(policy=policy, subject_type="verification", subject_id=assignment.verification.pk)
        return step is not None and may_sign(step=step, assigned_unit=assignment.unit, user=user)  # type: ignore[arg-type]
    if standing.is_superuser:
        return True
    if move.scope is Scope.OFFICE:
        return standing.covers_path(clue.jurisdiction_path, *move.roles)
    if move.scope is Scope.HIGHER_OFFICE:
        own = clue.office.jurisdiction.path
        return any(
            own.startswith(p) and len(p) < len(own) for p in standing.office_paths_with(*move.roles)
        )
    if move.scope is Scope.ASSIGNED_UNIT:
        units = standing.unit_ids_with(*move.roles)
        if assignment is not None:
            return bool(units.intersection(_unit_lineage(assignment.unit)))
        return any(
            units.intersection(_unit_lineage(a.unit))
            for a in clue.assignments.filter(active=True).select_related("unit__parent__parent")
        )
    return False


def who_may(move: Move, clue: Clue, assignment: Assignment | None = None) -> QuerySet[AbstractBaseUser]:
    """The users who could make this move now."""
    users = get_user_model().objects.filter(is_active=True)
    if move.scope is Scope.SIGNOFF_CHAIN:
        if assignment is None or not hasattr(assignment, "verification") or assignment.verification.policy is None:
            return users.none()
        step = next_step(policy=assignment.verification.policy, subject_type="verification",
                         subject_id=assignment.verification.pk)
        return signers_for(step=step, assigned_unit=assignment.unit) if step else users.none()
    memberships = Membership.objects.filter(active=True, role__in=move.roles)
    if move.scope in (Scope.OFFICE, Scope.HIGHER_OFFICE):
        codes = clue.jurisdiction_path.strip("/").split("/")
        if move.scope is Scope.HIGHER_OFFICE:
            codes = clue.office.jurisdiction.path.strip("/").split("/")[:-1]
        memberships = memberships.filter(
            Q(office__jurisdiction__code__in=codes) | Q(working_group__office__jurisdiction__code__in=codes)
        )
    else:
        units: set[int] = set()
        targets = [assignment] if assignment else list(clue.assignments.filter(active=True))
        for a in targets:
            units.update(_unit_lineage(a.unit))
        memberships = memberships.filter(unit_id__in=units)
    return users.filter(pk__in=memberships.values("user_id")).order_by("username")

"""Who may work on cases and their records ("may this user?"), and who could ("who may?").

- A case is created by office directors whose subtree holds the office, or by the members of a
  police unit at or above the office's jurisdiction (the investigating unit).
- Work on a case (facts, suspects, assets, consultations, links to clues) belongs to the unit
  family handling its current stage, to the investigating police unit, and to office directors of
  the subtree; moving it to the next stage to the current stage's unit family and those directors.
- Protection cases (umbrellas) to discipline commissions at or above the path, and to office
  directors and discipline liaisons of the subtree.
- Fugitives to office staff of the subtree, and a case's fugitives also to the police units working on it.
- An accountability review is opened by office directors or supervisors of the subtree and decided
  by those of an office at or above the clue's office, never by one of the clue's signers.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from saohei.cases.choices import STAGE_UNIT_KINDS, Stage
from saohei.cases.models import AccountabilityReview, Case
from saohei.cases.selectors import discipline_paths
from saohei.clues.models import Clue
from saohei.orgs.choices import Role, UnitKind
from saohei.orgs.models import Membership, Office, Unit
from saohei.orgs.policies import Standing, standing_for

User = AbstractBaseUser | AnonymousUser

UNIT_ROLES = frozenset({Role.VERIFIER, Role.UNIT_CHIEF, Role.DEPUTY_CHIEF})
DIRECTORS = frozenset({Role.OFFICE_DIRECTOR})
REVIEWERS = frozenset({Role.OFFICE_DIRECTOR, Role.SUPERVISOR})
UMBRELLA_OFFICE_ROLES = frozenset({Role.OFFICE_DIRECTOR, Role.DISCIPLINE_LIAISON})
POLICE_KINDS = STAGE_UNIT_KINDS[Stage.INVESTIGATION]


# --- helpers ------------------------------------------------------------------------------------


def _codes(path: str) -> list[str]:
    return path.strip("/").split("/")


def _signed_in(user: User) -> Standing | None:
    standing = standing_for(user)
    return None if standing.user_id is None else standing


def _offices_at_or_above(path: str, roles: frozenset[str]) -> Q:
    """Memberships (also through working groups) in offices whose subtree holds `path`."""
    codes = _codes(path)
    return Q(role__in=roles) & (
        Q(office__jurisdiction__code__in=codes) | Q(working_group__office__jurisdiction__code__in=codes)
    )


def _users(q: Q) -> QuerySet[AbstractBaseUser]:
    members = Membership.objects.filter(q, active=True).values("user_id")
    return get_user_model().objects.filter(is_active=True, pk__in=members).order_by("username")


def _police_units_over(path: str) -> QuerySet[Unit]:
    """Police units whose jurisdiction holds `path` (a county's own, and the city's above it)."""
    return Unit.objects.filter(kind__in=list(POLICE_KINDS), jurisdiction__code__in=_codes(path))


def investigating_unit(case: Case) -> Unit | None:
    """The police unit that opened the investigation (the first investigation stage)."""
    stage = (
        case.stages.filter(stage=Stage.INVESTIGATION)
        .select_related("unit__parent__parent")
        .order_by("started_on", "pk")
        .first()
    )
    return stage.unit if stage is not None else None


def _stage_unit_ids(case: Case) -> set[int]:
    if case.stage_unit_id is None:
        return set()
    unit = Unit.objects.select_related("parent__parent").get(pk=case.stage_unit_id)
    return set(unit.lineage_ids())


def case_unit_ids(case: Case) -> set[int]:
    """Units whose members work on the case: the current stage unit, the investigating unit, and those above."""
    ids = _stage_unit_ids(case)
    first = investigating_unit(case)
    if first is not None:
        ids |= set(first.lineage_ids())
    return ids


# --- cases --------------------------------------------------------------------------------------


def may_create_case(user: User, office: Office, unit: Unit | None = None) -> bool:
    """Create a case under `office` (with `unit` as the investigating unit, when given)."""
    standing = _signed_in(user)
    if standing is None:
        return False
    if standing.is_superuser:
        return True
    path = office.jurisdiction.path
    if standing.covers_path(path, *DIRECTORS):
        return True
    mine = standing.unit_ids_with(*UNIT_ROLES)
    if not mine:
        return False
    if unit is not None:
        return (unit.kind in POLICE_KINDS and bool(mine.intersection(unit.lineage_ids()))
                and path.startswith(unit.jurisdiction.path))
    return _police_units_over(path).filter(pk__in=mine).exists()


def who_may_create_case(office: Office) -> QuerySet[AbstractBaseUser]:
    path = office.jurisdiction.path
    return _users(
        _offices_at_or_above(path, DIRECTORS) | Q(unit__in=_police_units_over(path), role__in=UNIT_ROLES)
    )


def may_work_on_case(user: User, case: Case) -> bool:
    """Edit the case's facts; record suspects, assets, consultations; solve; link clues."""
    standing = _signed_in(user)
    if standing is None:
        return False
    if standing.is_superuser or standing.covers_path(case.jurisdiction_path, *DIRECTORS):
        return True
    mine = standing.unit_ids_with(*UNIT_ROLES)
    return bool(mine) and bool(mine & case_unit_ids(case))


def who_may_work_on_case(case: Case) -> QuerySet[AbstractBaseUser]:
    return _users(
        _offices_at_or_above(case.jurisdiction_path, DIRECTORS)
        | Q(unit_id__in=case_unit_ids(case), role__in=UNIT_ROLES)
    )


def may_advance_stage(user: User, case: Case) -> bool:
    """Move the case on to its next stage: the unit handling the current stage hands it over."""
    standing = _signed_in(user)
    if standing is None:
        return False
    if standing.is_superuser or standing.covers_path(case.jurisdiction_path, *DIRECTORS):
        return True
    mine = standing.unit_ids_with(*UNIT_ROLES)
    return bool(mine) and bool(mine & _stage_unit_ids(case))


def who_may_advance_stage(case: Case) -> QuerySet[AbstractBaseUser]:
    return _users(
        _offices_at_or_above(case.jurisdiction_path, DIRECTORS)
        | Q(unit_id__in=_stage_unit_ids(case), role__in=UNIT_ROLES)
    )


def may_void_case(user: User, case: Case) -> bool:
    standing = _signed_in(user)
    if standing is None:
        return False
    return standing.is_superuser or standing.covers_path(case.jurisdiction_path, *DIRECTORS)


def who_may_void_case(case: Case) -> QuerySet[AbstractBaseUser]:
    return _users(_offices_at_or_above(case.jurisdiction_path, DIRECTORS))


# --- protective umbrellas -----------------------------------------------------------------------


def may_handle_umbrellas(user: User, path: str) -> bool:
    """Open, conclude or void protection cases at `path` (and, with it, know that they exist)."""
    standing = _signed_in(user)
    if standing is None:
        return False
    return standing.is_superuser or any(path.startswith(p) for p in discipline_paths(standing))


def who_may_handle_umbrellas(path: str) -> QuerySet[AbstractBaseUser]:
    commissions = Unit.objects.filter(kind=UnitKind.DISCIPLINE_COMMISSION, jurisdiction__code__in=_codes(path))
    return _users(_offices_at_or_above(path, UMBRELLA_OFFICE_ROLES) | Q(unit__in=commissions))


# --- fugitives ----------------------------------------------------------------------------------


def _police_case_units(case: Case) -> set[int]:
    police = Unit.objects.filter(pk__in=case_unit_ids(case), kind__in=list(POLICE_KINDS))
    return set(police.values_list("pk", flat=True))


def may_handle_fugitives(user: User, path: str, case: Case | None = None) -> bool:
    """List target fugitives at `path` (of `case`, when given) and record what became of them.

    Office staff of the subtree may, always; the police units working on a case, for its fugitives.
    """
    standing = _signed_in(user)
    if standing is None:
        return False
    if standing.is_superuser or any(path.startswith(p) for p in standing.all_office_paths):
        return True
    if case is None:
        return False
    mine = standing.unit_ids_with(*UNIT_ROLES)
    return bool(mine) and bool(mine & _police_case_units(case))


def who_may_handle_fugitives(path: str, case: Case | None = None) -> QuerySet[AbstractBaseUser]:
    codes = _codes(path)
    q = Q(office__jurisdiction__code__in=codes) | Q(working_group__office__jurisdiction__code__in=codes)
    if case is not None:
        q |= Q(unit_id__in=_police_case_units(case), role__in=UNIT_ROLES)
    return _users(q)


# --- accountability reviews ---------------------------------------------------------------------


def may_open_review(user: User, clue: Clue, case: Case | None = None) -> bool:
    standing = _signed_in(user)
    if standing is None:
        return False
    if standing.is_superuser:
        return True
    paths = [clue.jurisdiction_path] + ([case.jurisdiction_path] if case is not None else [])
    return all(standing.covers_path(p, *REVIEWERS) for p in paths)


def may_open_review_on_case(user: User, case: Case) -> bool:
    """Whether the case page offers to put a clue under review (the clue is checked when it is named)."""
    standing = _signed_in(user)
    if standing is None:
        return False
    return standing.is_superuser or standing.covers_path(case.jurisdiction_path, *REVIEWERS)


def who_may_open_review(clue: Clue) -> QuerySet[AbstractBaseUser]:
    return _users(_offices_at_or_above(clue.jurisdiction_path, REVIEWERS))


def _clue_office_path(review: AccountabilityReview) -> str:
    return review.clue.office.jurisdiction.path


def review_signer_ids(review: AccountabilityReview) -> set[int]:
    return set(review.signers.values_list("signer_id", flat=True))


def may_decide_review(user: User, review: AccountabilityReview) -> bool:
    """Directors and supervisors of an office at or above the clue's office; never one of its signers."""
    standing = _signed_in(user)
    if standing is None or standing.user_id in review_signer_ids(review):
        return False
    if standing.is_superuser:
        return True
    office_path = _clue_office_path(review)
    return any(office_path.startswith(p) for p in standing.office_paths_with(*REVIEWERS))


def who_may_decide_review(review: AccountabilityReview) -> QuerySet[AbstractBaseUser]:
    return _users(_offices_at_or_above(_clue_office_path(review), REVIEWERS)).exclude(
        pk__in=review_signer_ids(review)
    )

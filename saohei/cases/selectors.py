"""Who sees which case, suspect, umbrella, asset, fugitive and review.

- Office staff see the records of their offices' subtrees.
- A unit sees a case once it handles one of its stages (a court only from the court stages on), and
  the units of the handling unit's family (a bureau's stations, a chief's whole bureau) with it.
- Protection cases (umbrellas) are seen only by office directors of the subtree, discipline liaisons
  of the subtree's offices, and discipline commissions at or above the umbrella's jurisdiction.
- Missing and not visible look alike: both are 404.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from saohei.cases.models import (
    AccountabilityReview,
    Asset,
    Case,
    CaseStage,
    Fugitive,
    Suspect,
    Umbrella,
)
from saohei.orgs.choices import Role, UnitKind
from saohei.orgs.models import Unit
from saohei.orgs.policies import Standing, standing_for, units_under

User = AbstractBaseUser | AnonymousUser

NOTHING = Q(pk__in=[])


def _path_q(paths: list[str], field: str = "jurisdiction_path") -> Q:
    q = NOTHING
    for path in paths:
        q |= Q(**{f"{field}__startswith": path})
    return q


def _stage_units(standing: Standing) -> set[int]:
    return units_under(standing.unit_ids | standing.chief_family_roots) if standing.unit_ids else set()


def case_visibility_filter(user: User, *, prefix: str = "") -> Q:
    """A Q over Case (or over a model reaching Case through `prefix`, e.g. "case__")."""
    standing = standing_for(user)
    if standing.user_id is None:
        return NOTHING
    if standing.is_superuser:
        return Q()
    q = _path_q(standing.all_office_paths, f"{prefix}jurisdiction_path")
    units = _stage_units(standing)
    if units:
        stage_ref = f"{prefix}pk" if prefix else "pk"
        q |= Q(Exists(CaseStage.objects.filter(case=OuterRef(stage_ref), unit_id__in=units)))
        q |= Q(Exists(Umbrella.objects.filter(case=OuterRef(stage_ref), handling_unit_id__in=units,
                                              voided_at__isnull=True)))
    return q


def discipline_paths(standing: Standing) -> list[str]:
    """The jurisdiction paths under which the user may see protection cases."""
    paths = standing.office_paths_with(Role.OFFICE_DIRECTOR, Role.DISCIPLINE_LIAISON)
    if standing.unit_ids:
        paths += [
            p for p in Unit.objects.filter(pk__in=standing.unit_ids, kind=UnitKind.DISCIPLINE_COMMISSION)
            .values_list("jurisdiction__path", flat=True)
        ]
    return paths


def umbrella_visibility_filter(user: User) -> Q:
    standing = standing_for(user)
    if standing.user_id is None:
        return NOTHING
    if standing.is_superuser:
        return Q()
    return _path_q(discipline_paths(standing))


def may_see_umbrellas(user: User) -> bool:
    standing = standing_for(user)
    return standing.is_superuser or bool(discipline_paths(standing))


def case_list_for_user(*, user: User) -> QuerySet[Case]:
    return Case.objects.filter(case_visibility_filter(user), voided_at__isnull=True).select_related(
        "jurisdiction", "office", "stage_unit"
    )


def case_get_for_user(*, user: User, case_id: int) -> Case:
    case = (
        Case.objects.filter(case_visibility_filter(user), pk=case_id)
        .select_related("jurisdiction", "office__jurisdiction", "stage_unit")
        .first()
    )
    if case is None:
        raise Http404(_("No such case."))
    return case


def suspect_list_for_user(*, user: User) -> QuerySet[Suspect]:
    return Suspect.objects.filter(case_visibility_filter(user, prefix="case__"), voided_at__isnull=True).select_related(
        "case"
    )


def asset_list_for_user(*, user: User) -> QuerySet[Asset]:
    return Asset.objects.filter(case_visibility_filter(user, prefix="case__"), voided_at__isnull=True).select_related(
        "case"
    )


def umbrella_list_for_user(*, user: User) -> QuerySet[Umbrella]:
    return Umbrella.objects.filter(umbrella_visibility_filter(user), voided_at__isnull=True).select_related(
        "case", "clue", "handling_unit"
    )


def fugitive_list_for_user(*, user: User) -> QuerySet[Fugitive]:
    """Fugitives of the user's offices' subtrees, and those of cases the user's units handle."""
    standing = standing_for(user)
    if standing.user_id is None:
        return Fugitive.objects.none()
    qs = Fugitive.objects.filter(voided_at__isnull=True)
    if not standing.is_superuser:
        q = _path_q(standing.all_office_paths)
        if standing.unit_ids:
            q |= Q(case__isnull=False) & case_visibility_filter(user, prefix="case__")
        qs = qs.filter(q)
    return qs.select_related("case", "pursuit_team")


def review_list_for_user(*, user: User) -> QuerySet[AccountabilityReview]:
    """Accountability reviews: for the offices of the subtree, never for the signers' own units."""
    standing = standing_for(user)
    if standing.user_id is None:
        return AccountabilityReview.objects.none()
    qs = AccountabilityReview.objects.all()
    if not standing.is_superuser:
        qs = qs.filter(_path_q(standing.all_office_paths))
    return qs.select_related("clue", "case", "office")

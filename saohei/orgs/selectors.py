"""Reading the organisation: what a user may see and what a user may manage.

Everyone logged in reads the organisation of their own subtree: the jurisdictions of
the offices they serve (directly, through a unit, or through a working group) and
everything below. Superusers and holders of the system-administrator role read and
manage everything; an office director manages the subtree of their office.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet

from saohei.orgs.choices import Level, Role
from saohei.orgs.models import NATIONAL_CODE, Jurisdiction, Membership, Office, Unit, WorkingGroup
from saohei.orgs.policies import standing_for

AnyUser = AbstractBaseUser | AnonymousUser


# --- who may do what -------------------------------------------------------------------------


def is_sysadmin(user: AnyUser) -> bool:
    """Superusers and holders of the system-administrator role, anywhere."""
    if not user.is_authenticated:
        return False
    standing = standing_for(user)
    return standing.is_superuser or standing.has_role(Role.SYSADMIN)


def _prefix_q(field: str, paths: list[str]) -> Q:
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(**{f"{field}__startswith": p})
    return q


def readable_paths(user: AnyUser) -> list[str] | None:
    """Jurisdiction paths whose subtrees the user may read; None means everything."""
    if not user.is_authenticated:
        return []
    if is_sysadmin(user):
        return None
    standing = standing_for(user)
    paths = set(standing.all_office_paths)
    if standing.unit_ids:
        paths |= set(
            Unit.objects.filter(pk__in=standing.unit_ids).values_list("office__jurisdiction__path", flat=True)
        )
    # A path inside another is already covered.
    return sorted(p for p in paths if not any(p != q and p.startswith(q) for q in paths))


def managed_paths(user: AnyUser) -> list[str] | None:
    """Jurisdiction paths whose offices the user manages; None means everything."""
    if not user.is_authenticated:
        return []
    if is_sysadmin(user):
        return None
    standing = standing_for(user)
    office_ids = {
        m.office_id
        for m in Membership.objects.filter(
            user_id=user.pk, active=True, role=Role.OFFICE_DIRECTOR, office__isnull=False
        )
    }
    return sorted(standing.office_paths[oid] for oid in office_ids if oid in standing.office_paths)


def _covers(paths: list[str] | None, path: str) -> bool:
    return paths is None or any(path.startswith(p) for p in paths)


def may_read_path(user: AnyUser, path: str) -> bool:
    return _covers(readable_paths(user), path)


def may_manage_office(user: AnyUser, office: Office) -> bool:
    return _covers(managed_paths(user), office.jurisdiction.path)


def may_create_office(user: AnyUser, jurisdiction: Jurisdiction) -> bool:
    """Administrators anywhere; the director of an office above the jurisdiction for its subtree."""
    paths = managed_paths(user)
    if paths is None:
        return True
    return any(jurisdiction.path.startswith(p) and jurisdiction.path != p for p in paths)


def may_manage_anything(user: AnyUser) -> bool:
    paths = managed_paths(user)
    return paths is None or bool(paths)


def place_office(place: Office | Unit | WorkingGroup) -> Office:
    if isinstance(place, Office):
        return place
    return place.office


def may_manage_place(user: AnyUser, place: Office | Unit | WorkingGroup) -> bool:
    return may_manage_office(user, place_office(place))


def may_read_place(user: AnyUser, place: Office | Unit | WorkingGroup) -> bool:
    return may_read_path(user, place_office(place).jurisdiction.path)


# --- jurisdictions -----------------------------------------------------------------------------


def jurisdiction_root() -> Jurisdiction | None:
    return Jurisdiction.objects.filter(code=NATIONAL_CODE).first()


def jurisdiction_children(node: Jurisdiction) -> QuerySet[Jurisdiction]:
    return (
        Jurisdiction.objects.filter(parent=node)
        .annotate(child_count=Count("children"))
        .select_related("office")
        .order_by("code")
    )


def jurisdiction_ancestors(node: Jurisdiction) -> list[Jurisdiction]:
    """From the national root down to the node's parent."""
    paths = node.ancestors_paths()[:-1]
    return list(Jurisdiction.objects.filter(path__in=paths).order_by("path"))


def jurisdiction_search(q: str, limit: int = 100) -> QuerySet[Jurisdiction]:
    q = q.strip()
    if not q:
        return Jurisdiction.objects.none()
    return (
        Jurisdiction.objects.filter(Q(name__icontains=q) | Q(code__startswith=q))
        .select_related("parent")
        .order_by("path")[:limit]
    )


@dataclass(frozen=True)
class LevelCounts:
    provinces: int
    prefectures: int
    counties: int


def jurisdiction_level_counts(root: Jurisdiction | None = None) -> LevelCounts:
    """How many provinces, prefecture-level and county-level divisions lie below `root` (or in all)."""
    qs = Jurisdiction.objects.all()
    if root is not None:
        qs = qs.subtree(root).exclude(pk=root.pk)
    rows = dict(qs.values_list("level").annotate(n=Count("id")).values_list("level", "n"))
    return LevelCounts(
        provinces=rows.get(Level.PROVINCE, 0),
        prefectures=rows.get(Level.CITY, 0),
        counties=rows.get(Level.COUNTY, 0),
    )


# --- offices, units, working groups, memberships ----------------------------------------------


def office_list_for_user(user: AnyUser) -> QuerySet[Office]:
    qs: QuerySet[Office] = Office.objects.select_related("jurisdiction").annotate(
        unit_count=Count("units", filter=Q(units__active=True), distinct=True)
    )
    paths = readable_paths(user)
    if paths is None:
        return qs
    return qs.filter(_prefix_q("jurisdiction__path", paths))


def offices_managed_by(user: AnyUser) -> QuerySet[Office]:
    qs = Office.objects.select_related("jurisdiction")
    paths = managed_paths(user)
    if paths is None:
        return qs
    return qs.filter(_prefix_q("jurisdiction__path", paths))


def unit_list_for_user(user: AnyUser) -> QuerySet[Unit]:
    qs = Unit.objects.select_related("office__jurisdiction", "jurisdiction", "parent")
    paths = readable_paths(user)
    if paths is None:
        return qs
    return qs.filter(_prefix_q("office__jurisdiction__path", paths))


def units_managed_by(user: AnyUser) -> QuerySet[Unit]:
    qs = Unit.objects.select_related("office__jurisdiction", "parent")
    paths = managed_paths(user)
    if paths is None:
        return qs
    return qs.filter(_prefix_q("office__jurisdiction__path", paths))


def working_group_list_for_user(user: AnyUser) -> QuerySet[WorkingGroup]:
    qs: QuerySet[WorkingGroup] = WorkingGroup.objects.select_related("office__jurisdiction").annotate(
        member_count=Count("memberships", filter=Q(memberships__active=True), distinct=True)
    )
    paths = readable_paths(user)
    if paths is None:
        return qs
    return qs.filter(_prefix_q("office__jurisdiction__path", paths))


def working_groups_managed_by(user: AnyUser) -> QuerySet[WorkingGroup]:
    qs = WorkingGroup.objects.select_related("office__jurisdiction")
    paths = managed_paths(user)
    if paths is None:
        return qs
    return qs.filter(_prefix_q("office__jurisdiction__path", paths))


def _membership_place_q(paths: list[str]) -> Q:
    return (
        _prefix_q("office__jurisdiction__path", paths)
        | _prefix_q("unit__office__jurisdiction__path", paths)
        | _prefix_q("working_group__office__jurisdiction__path", paths)
    )


def memberships_with_places() -> QuerySet[Membership]:
    return Membership.objects.select_related(
        "user__profile",
        "office__jurisdiction",
        "unit__office__jurisdiction",
        "working_group__office__jurisdiction",
    )


def membership_list_for_user(user: AnyUser) -> QuerySet[Membership]:
    qs = memberships_with_places()
    paths = readable_paths(user)
    if paths is None:
        return qs
    return qs.filter(_membership_place_q(paths))


def user_list_for_user(user: AnyUser, q: str = "") -> QuerySet[Any]:
    """People with a role (active or past) in the reader's subtree.

    Managers also see people with no role yet."""
    User = get_user_model()
    qs = User.objects.select_related("profile").annotate(
        role_count=Count("memberships", filter=Q(memberships__active=True), distinct=True)
    )
    paths = readable_paths(user)
    if paths is not None:
        in_subtree = Membership.objects.filter(_membership_place_q(paths)).values("user_id")
        visible = Q(pk__in=in_subtree) | Q(pk=user.pk)
        if may_manage_anything(user):
            visible |= ~Q(pk__in=Membership.objects.values("user_id"))
        qs = qs.filter(visible)
    if q.strip():
        term = q.strip()
        qs = qs.filter(Q(username__icontains=term) | Q(profile__display_name__icontains=term))
    return qs.order_by("username")


def may_read_user(viewer: AnyUser, person: Any) -> bool:
    return user_list_for_user(viewer).filter(pk=person.pk).exists()


def may_manage_user(viewer: AnyUser, person: Any) -> bool:
    """Managers of any place where the person holds a role, or any manager for a person without roles."""
    paths = managed_paths(viewer)
    if paths is None:
        return True
    if not paths:
        return False
    memberships = Membership.objects.filter(user_id=person.pk)
    if not memberships.exists():
        return True
    return memberships.filter(_membership_place_q(paths)).exists()


def own_places(user: AnyUser) -> list[Membership]:
    """The user's active roles with their places, for the home page."""
    if not user.is_authenticated:
        return []
    return list(memberships_with_places().filter(user_id=user.pk, active=True))


def jurisdiction_path_for_code(code: str) -> str | None:
    """The materialised path of a division code, for subtree filters; None for an unknown code."""
    return Jurisdiction.objects.filter(code=code.strip()).values_list("path", flat=True).first()

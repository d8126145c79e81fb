"""What a user's memberships entitle them to: which offices and units, in which roles."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from saohei.orgs.choices import Role
from saohei.orgs.models import Membership, Office, Unit


@dataclass
class Standing:
    """A user's memberships, loaded once per request and asked many questions."""

    user_id: int | None
    is_superuser: bool
    office_roles: dict[int, set[str]] = field(default_factory=dict)
    office_paths: dict[int, str] = field(default_factory=dict)
    unit_roles: dict[int, set[str]] = field(default_factory=dict)
    unit_paths: dict[int, str] = field(default_factory=dict)
    unit_titles: dict[int, set[str]] = field(default_factory=dict)
    # Chiefs sign for the whole unit family (a brigade chief for the bureau's stations).
    chief_family_roots: set[int] = field(default_factory=set)

    @cached_property
    def roles(self) -> set[str]:
        out: set[str] = set()
        for rs in self.office_roles.values():
            out |= rs
        for rs in self.unit_roles.values():
            out |= rs
        return out

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def office_ids_with(self, *roles: str) -> set[int]:
        return {oid for oid, rs in self.office_roles.items() if rs.intersection(roles)}

    def unit_ids_with(self, *roles: str) -> set[int]:
        return {uid for uid, rs in self.unit_roles.items() if rs.intersection(roles)}

    def office_paths_with(self, *roles: str) -> list[str]:
        return [self.office_paths[oid] for oid in self.office_ids_with(*roles)]

    def covers_path(self, path: str, *roles: str) -> bool:
        """Whether one of the user's offices (holding one of `roles`) has `path` in its subtree."""
        return any(path.startswith(p) for p in self.office_paths_with(*roles))

    @property
    def all_office_paths(self) -> list[str]:
        return list(self.office_paths.values())

    @property
    def is_office_staff(self) -> bool:
        return bool(self.office_roles)

    @property
    def unit_ids(self) -> set[int]:
        return set(self.unit_roles)

    @property
    def can_read_identity(self) -> bool:
        return self.is_superuser or Role.IDENTITY_READER in self.roles


def standing_for(user: AbstractBaseUser | AnonymousUser) -> Standing:
    cached = getattr(user, "_saohei_standing", None)
    if cached is not None:
        return cached
    if not user.is_authenticated:
        return Standing(user_id=None, is_superuser=False)
    standing = Standing(user_id=user.pk, is_superuser=bool(getattr(user, "is_superuser", False)))
    memberships = Membership.objects.filter(user_id=user.pk, active=True).select_related(
        "office__jurisdiction", "unit__jurisdiction", "unit__parent__parent", "working_group__office__jurisdiction"
    )
    for m in memberships:
        if m.office_id is not None and m.office is not None:
            standing.office_roles.setdefault(m.office_id, set()).add(m.role)
            standing.office_paths[m.office_id] = m.office.jurisdiction.path
        elif m.unit_id is not None and m.unit is not None:
            standing.unit_roles.setdefault(m.unit_id, set()).add(m.role)
            standing.unit_paths[m.unit_id] = m.unit.jurisdiction.path
            if m.title:
                standing.unit_titles.setdefault(m.unit_id, set()).add(m.title)
            if m.role in (Role.UNIT_CHIEF, Role.DEPUTY_CHIEF):
                root = m.unit
                while root.parent is not None:
                    root = root.parent
                standing.chief_family_roots.add(root.pk)
        elif m.working_group is not None:
            # A working group works for its office: its members act in the office's subtree.
            office = m.working_group.office
            standing.office_roles.setdefault(office.pk, set()).add(m.role)
            standing.office_paths[office.pk] = office.jurisdiction.path
    setattr(user, "_saohei_standing", standing)  # noqa: B010  (a per-request cache on the user object)
    return standing


def units_under(unit_ids: set[int]) -> set[int]:
    """The given units and every unit below them (stations under a bureau)."""
    found = set(unit_ids)
    frontier = set(unit_ids)
    while frontier:
        children = set(Unit.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - found
        found |= children
        frontier = children
    return found


def office_for_path(path: str) -> Office | None:
    """The nearest office at or above the jurisdiction with this path."""
    codes = path.strip("/").split("/")
    candidates = Office.objects.filter(jurisdiction__code__in=codes).select_related("jurisdiction")
    best = None
    for office in candidates:
        if best is None or len(office.jurisdiction.path) > len(best.jurisdiction.path):
            best = office
    return best

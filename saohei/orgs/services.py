"""Writing the organisation: divisions, offices, units, working groups, memberships."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from saohei.audit.services import audit_record
from saohei.orgs.choices import Level, Role
from saohei.orgs.divisions import divisions_for_year
from saohei.orgs.models import NATIONAL_CODE, Jurisdiction, Membership, Office, Profile, Unit, WorkingGroup

Actor = User | AnonymousUser | None


def jurisdiction_national_root() -> Jurisdiction:
    root, _created = Jurisdiction.objects.get_or_create(
        code=NATIONAL_CODE,
        defaults={"name": "全国", "level": Level.NATIONAL, "parent": None, "path": f"{NATIONAL_CODE}/"},
    )
    return root


def jurisdiction_load_divisions(*, year: int, actor: Actor = None) -> dict[str, int]:
    """Create or rename every division of `year`; returns counts per level."""
    divisions = divisions_for_year(year)
    with transaction.atomic():
        root = jurisdiction_national_root()
        existing = {j.code: j for j in Jurisdiction.objects.all()}
        by_code: dict[str, Jurisdiction] = {root.code: root}
        renamed = 0
        # Parents come before children in `divisions`; create one level at a time so
        # every parent has its primary key before its children are built.
        for level in (Level.PROVINCE, Level.CITY, Level.COUNTY):
            to_create: list[Jurisdiction] = []
            for d in (d for d in divisions if d.level == level):
                parent = by_code[d.parent_code] if d.parent_code else root
                path = f"{parent.path}{d.code}/"
                node = existing.get(d.code)
                if node is None:
                    node = Jurisdiction(code=d.code, name=d.name, level=d.level, parent=parent, path=path, year=year)
                    to_create.append(node)
                elif (node.name, node.path, node.parent_id) != (d.name, path, parent.pk):
                    node.name, node.path, node.parent, node.year = d.name, path, parent, year
                    node.save(update_fields=["name", "path", "parent", "year"])
                    renamed += 1
                by_code[d.code] = node
            Jurisdiction.objects.bulk_create(to_create, batch_size=500)
        counts = Counter(d.level for d in divisions)
        result = {
            "provinces": counts[Level.PROVINCE],
            "prefectures": counts[Level.CITY],
            "counties": counts[Level.COUNTY],
            "updated": renamed,
        }
        audit_record(actor=actor, action="jurisdiction.load_divisions", object_type="jurisdiction",
                     object_id=str(year), after=result)
    return result


def jurisdiction_ensure(*, code: str, name: str, level: str, parent: Jurisdiction) -> Jurisdiction:
    """A division by code, created under `parent` when the tree has not been loaded."""
    node = Jurisdiction.objects.filter(code=code).first()
    if node is None:
        node = Jurisdiction.objects.create(
            code=code, name=name, level=level, parent=parent, path=f"{parent.path}{code}/"
        )
    return node


def office_create(*, jurisdiction: Jurisdiction, name: str, actor: Actor, default_deadline_days: int = 30) -> Office:
    if Office.objects.filter(jurisdiction=jurisdiction).exists():
        raise ValidationError(_("%(place)s already has an office.") % {"place": jurisdiction.name})
    with transaction.atomic():
        office = Office.objects.create(
            jurisdiction=jurisdiction, name=name, default_deadline_days=default_deadline_days
        )
        audit_record(actor=actor, action="office.create", object_type="office", object_id=office.pk,
                     after={"name": name, "jurisdiction": jurisdiction.code})
    return office


def office_update(*, office: Office, actor: Actor, **fields: Any) -> Office:
    allowed = {"name", "default_deadline_days", "due_soon_days"}
    with transaction.atomic():
        before = {k: getattr(office, k) for k in allowed}
        for key, value in fields.items():
            if key not in allowed:
                raise ValidationError(_("Unknown field: %(field)s") % {"field": key})
            setattr(office, key, value)
        office.full_clean()
        office.save(update_fields=list(fields))
        audit_record(actor=actor, action="office.update", object_type="office", object_id=office.pk,
                     before=before, after={k: getattr(office, k) for k in allowed})
    return office


def unit_create(
    *,
    name: str,
    kind: str,
    office: Office,
    actor: Actor,
    jurisdiction: Jurisdiction | None = None,
    parent: Unit | None = None,
    sector: str = "",
) -> Unit:
    jurisdiction = jurisdiction or office.jurisdiction
    if not jurisdiction.is_within(office.jurisdiction):
        raise ValidationError(_("A unit must lie within its office's jurisdiction."))
    if parent is not None and parent.office_id != office.pk:
        raise ValidationError(_("A unit's parent must belong to the same office."))
    with transaction.atomic():
        unit = Unit(name=name, kind=kind, office=office, jurisdiction=jurisdiction, parent=parent, sector=sector)
        unit.full_clean()
        unit.save()
        audit_record(actor=actor, action="unit.create", object_type="unit", object_id=unit.pk,
                     after={"name": name, "kind": kind, "office": office.pk, "parent": parent.pk if parent else None})
    return unit


def unit_update(*, unit: Unit, actor: Actor, name: str, active: bool, sector: str = "") -> Unit:
    with transaction.atomic():
        before = {"name": unit.name, "active": unit.active, "sector": unit.sector}
        unit.name, unit.active, unit.sector = name, active, sector
        unit.full_clean()
        unit.save(update_fields=["name", "active", "sector"])
        audit_record(actor=actor, action="unit.update", object_type="unit", object_id=unit.pk,
                     before=before, after={"name": name, "active": active, "sector": sector})
    return unit


def working_group_create(*, office: Office, name: str, kind: str, units: list[Unit], actor: Actor) -> WorkingGroup:
    with transaction.atomic():
        group = WorkingGroup.objects.create(office=office, name=name, kind=kind)
        group.units.set(units)
        audit_record(actor=actor, action="working_group.create", object_type="working_group", object_id=group.pk,
                     after={"name": name, "kind": kind, "units": [u.pk for u in units]})
    return group


def user_create(
    *,
    username: str,
    password: str = "",
    display_name: str = "",
    language: str = "zh-hans",
    actor: Actor = None,
    password_hash: str = "",
) -> User:
    """A user with a profile. `password_hash` (from make_password) lets a caller hash one password once
    for many users, as the demo does for its thirty personas."""
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise ValidationError(_("The user name %(name)s is taken.") % {"name": username})
    with transaction.atomic():
        user = User.objects.create_user(username=username, password=password or None)
        if password_hash:
            user.password = password_hash
            user.save(update_fields=["password"])
        Profile.objects.create(user=user, display_name=display_name, language=language)
        audit_record(actor=actor, action="user.create", object_type="user", object_id=user.pk,
                     after={"username": username, "display_name": display_name})
    return user


def membership_grant(
    *,
    user: User,
    role: str,
    actor: Actor,
    office: Office | None = None,
    unit: Unit | None = None,
    working_group: WorkingGroup | None = None,
    title: str = "",
) -> Membership:
    if sum(x is not None for x in (office, unit, working_group)) != 1:
        raise ValidationError(_("A role is held in exactly one office, unit or working group."))
    if role not in Role.values:
        raise ValidationError(_("Unknown role: %(role)s") % {"role": role})
    with transaction.atomic():
        membership = Membership.objects.create(
            user=user, role=role, office=office, unit=unit, working_group=working_group, title=title
        )
        audit_record(actor=actor, action="membership.grant", object_type="membership", object_id=membership.pk,
                     after={"user": user.get_username(), "role": role, "place": str(membership.place),
                            "title": title})
    return membership


def membership_revoke(*, membership: Membership, actor: Actor, reason: str) -> Membership:
    if not reason.strip():
        raise ValidationError(_("Give a reason for revoking the role."))
    with transaction.atomic():
        membership = Membership.objects.select_for_update(of=("self",)).get(pk=membership.pk)
        membership.active = False
        membership.save(update_fields=["active"])
        audit_record(actor=actor, action="membership.revoke", object_type="membership", object_id=membership.pk,
                     before={"active": True}, after={"active": False}, reason=reason)
    return membership


def profile_set_language(*, user: User, language: str) -> Profile:
    profile, _created = Profile.objects.get_or_create(user=user)
    profile.language = language
    profile.full_clean()
    profile.save(update_fields=["language"])
    return profile


def unit_deactivate(*, unit: Unit, actor: Actor, reason: str) -> Unit:
    """Take a unit out of use (it is never deleted); new assignments can no longer name it."""
    if not reason.strip():
        raise ValidationError(_("Give a reason for deactivating the unit."))
    if not unit.active:
        raise ValidationError(_("%(unit)s is already inactive.") % {"unit": unit.name})
    with transaction.atomic():
        unit = Unit.objects.select_for_update(of=("self",)).get(pk=unit.pk)
        unit.active = False
        unit.save(update_fields=["active"])
        audit_record(actor=actor, action="unit.deactivate", object_type="unit", object_id=unit.pk,
                     before={"active": True}, after={"active": False}, reason=reason.strip())
    return unit


def unit_reactivate(*, unit: Unit, actor: Actor, reason: str = "") -> Unit:
    if unit.active:
        raise ValidationError(_("%(unit)s is already active.") % {"unit": unit.name})
    with transaction.atomic():
        unit = Unit.objects.select_for_update(of=("self",)).get(pk=unit.pk)
        unit.active = True
        unit.save(update_fields=["active"])
        audit_record(actor=actor, action="unit.reactivate", object_type="unit", object_id=unit.pk,
                     before={"active": False}, after={"active": True}, reason=reason.strip())
    return unit


def working_group_update(
    *, group: WorkingGroup, actor: Actor, name: str, kind: str, units: list[Unit], active: bool = True,
    reason: str = "",
) -> WorkingGroup:
    """Rename a working group, change its kind or its units, or stand it down (never deleted)."""
    foreign = [u.name for u in units if u.office_id != group.office_id]
    if foreign:
        raise ValidationError(
            _("These units do not belong to the group's office: %(units)s") % {"units": "、".join(foreign)}
        )
    if group.active and not active and not reason.strip():
        raise ValidationError(_("Give a reason for standing the working group down."))
    with transaction.atomic():
        group = WorkingGroup.objects.select_for_update(of=("self",)).get(pk=group.pk)
        before = {"name": group.name, "kind": group.kind, "active": group.active,
                  "units": sorted(group.units.values_list("pk", flat=True))}
        group.name, group.kind, group.active = name, kind, active
        group.full_clean()
        group.save(update_fields=["name", "kind", "active"])
        group.units.set(units)
        audit_record(actor=actor, action="working_group.update", object_type="working_group",
                     object_id=group.pk, before=before,
                     after={"name": name, "kind": kind, "active": active,
                            "units": sorted(u.pk for u in units)},
                     reason=reason.strip())
    return group


def membership_update(*, membership: Membership, actor: Actor, title: str) -> Membership:
    """Change the position title of a role (e.g. 派出所所长); the role and place stay."""
    if not membership.active:
        raise ValidationError(_("A revoked role cannot be changed; grant a new one."))
    with transaction.atomic():
        membership = Membership.objects.select_for_update(of=("self",)).get(pk=membership.pk)
        before = {"title": membership.title}
        membership.title = title.strip()
        membership.full_clean()
        membership.save(update_fields=["title"])
        audit_record(actor=actor, action="membership.update", object_type="membership",
                     object_id=membership.pk, before=before, after={"title": membership.title})
    return membership


def profile_update(*, user: User, actor: Actor, display_name: str, language: str) -> Profile:
    """Change a person's display name and interface language."""
    with transaction.atomic():
        profile, _created = Profile.objects.get_or_create(user_id=user.pk)
        before = {"display_name": profile.display_name, "language": profile.language}
        profile.display_name, profile.language = display_name.strip(), language
        profile.full_clean()
        profile.save(update_fields=["display_name", "language"])
        audit_record(actor=actor, action="profile.update", object_type="user", object_id=user.pk,
                     before=before, after={"display_name": profile.display_name, "language": language})
    return profile

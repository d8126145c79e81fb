"""Choosing a sign-off policy, finding who may sign, signing, and voiding stale signatures."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from saohei.audit.canonical import sha256_hex
from saohei.audit.services import audit_record
from saohei.orgs.models import Membership, Office, Unit
from saohei.signoff.models import Endorsement, SignoffPolicy, SignoffStep


def policy_for(*, unit: Unit, subject_type: str, track: str, category_code: str) -> SignoffPolicy | None:
    """The most specific active policy of the nearest office at or above the unit's office."""
    path = unit.office.jurisdiction.path
    codes = path.strip("/").split("/")
    offices = sorted(
        Office.objects.filter(jurisdiction__code__in=codes).select_related("jurisdiction"),
        key=lambda o: -len(o.jurisdiction.path),
    )
    for office in offices:
        policies = list(
            SignoffPolicy.objects.filter(office=office, subject_type=subject_type, active=True)
            .filter(track__in=[track, ""])
            .filter(category_code__in=[category_code, ""])
        )
        if policies:
            return max(policies, key=lambda p: (p.category_code != "", p.track != "", -p.pk))
    return None


def _family_root(unit: Unit) -> Unit:
    node = unit
    while node.parent_id is not None:
        node = node.parent  # type: ignore[assignment]
    return node


def _step_memberships(step: SignoffStep, assigned_unit: Unit) -> QuerySet[Membership]:
    qs = Membership.objects.filter(active=True, role=step.role)
    if step.position_title:
        qs = qs.filter(title=step.position_title)
    if step.at_office:
        return qs.filter(office_id=assigned_unit.office_id)
    if step.unit_kind == assigned_unit.kind or not step.unit_kind:
        # The assigned unit's own chain (its station chief, not another station's).
        return qs.filter(unit_id=assigned_unit.pk)
    root = _family_root(assigned_unit)
    family = [root.pk, *_descendant_ids(root)]
    return qs.filter(unit_id__in=family, unit__kind=step.unit_kind)


def _descendant_ids(unit: Unit) -> list[int]:
    out: list[int] = []
    frontier = [unit.pk]
    while frontier:
        children = list(Unit.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
        out += children
        frontier = children
    return out


def signers_for(*, step: SignoffStep, assigned_unit: Unit) -> QuerySet[Any]:
    """Who may sign this step (the "who may?" half of the policy)."""
    user_ids = _step_memberships(step, assigned_unit).values_list("user_id", flat=True)
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("username")


def may_sign(*, step: SignoffStep, assigned_unit: Unit, user: User) -> bool:
    return _step_memberships(step, assigned_unit).filter(user_id=user.pk).exists()


def endorsements_active(*, subject_type: str, subject_id: str | int) -> QuerySet[Endorsement]:
    return Endorsement.objects.filter(
        subject_type=subject_type, subject_id=str(subject_id), voided_at__isnull=True
    ).select_related("step", "signer")


def next_step(*, policy: SignoffPolicy, subject_type: str, subject_id: str | int) -> SignoffStep | None:
    active = endorsements_active(subject_type=subject_type, subject_id=subject_id)
    signed = set(active.values_list("step_id", flat=True))
    for step in policy.steps.order_by("order"):
        if step.pk not in signed:
            return step
    return None


def endorsement_sign(
    *,
    policy: SignoffPolicy,
    subject_type: str,
    subject_id: str | int,
    content: Any,
    assigned_unit: Unit,
    actor: User,
    comment: str = "",
) -> Endorsement:
    """Sign the next step of the chain over the SHA-256 of `content`. Caller holds the subject's lock."""
    step = next_step(policy=policy, subject_type=subject_type, subject_id=subject_id)
    if step is None:
        raise ValidationError(_("Every signature of this sign-off chain is already present."))
    if not may_sign(step=step, assigned_unit=assigned_unit, user=actor):
        raise PermissionDenied(
            _("The next signature is that of the %(title)s; you do not hold that position.") % {"title": step.title}
        )
    already = endorsements_active(subject_type=subject_type, subject_id=subject_id).filter(signer_id=actor.pk)
    if already.exists():
        raise ValidationError(_("You have already signed this conclusion in another position."))
    with transaction.atomic():
        endorsement = Endorsement.objects.create(
            subject_type=subject_type,
            subject_id=str(subject_id),
            step=step,
            signer=actor,
            signed_at=timezone.now(),
            content_hash=sha256_hex(content),
            comment=comment.strip(),
        )
        audit_record(actor=actor, action="endorsement.sign", object_type=subject_type, object_id=subject_id,
                     after={"step": step.order, "title": step.title, "content_hash": endorsement.content_hash,
                            "policy": policy.pk}, reason=comment.strip())
    return endorsement


def endorsements_void_stale(*, subject_type: str, subject_id: str | int, content: Any,
                            actor: User, reason: str) -> int:
    """Void every signature whose hash no longer matches `content`; returns how many."""
    current = sha256_hex(content)
    stale = list(endorsements_active(subject_type=subject_type, subject_id=subject_id).exclude(content_hash=current))
    now = timezone.now()
    for e in stale:
        e.voided_at = now
        e.void_reason = reason
        e.save(update_fields=["voided_at", "void_reason"])
        audit_record(actor=actor, action="endorsement.void", object_type=subject_type, object_id=subject_id,
                     before={"step": e.step.order, "signer": e.signer.get_username(), "content_hash": e.content_hash},
                     after={"content_hash": current}, reason=reason)
    return len(stale)


def chain_complete(*, policy: SignoffPolicy, subject_type: str, subject_id: str | int, content: Any) -> bool:
    """Every step signed over exactly this content."""
    current = sha256_hex(content)
    signed = {
        e.step_id
        for e in endorsements_active(subject_type=subject_type, subject_id=subject_id)
        if e.content_hash == current
    }
    return all(step.pk in signed for step in policy.steps.all())


SIGNOFF_STEP_FIELDS = ("title", "role", "unit_kind", "at_office", "position_title")


def _step_clean(step: SignoffStep) -> None:
    step.full_clean(exclude=["policy"], validate_unique=False)
    if step.at_office and step.unit_kind:
        raise ValidationError(
            _("Step %(order)s: a signature in the office does not name a unit kind.") % {"order": step.order}
        )


def policy_create(
    *,
    office: Office,
    name: str,
    actor: User,
    steps: list[dict[str, Any]],
    track: str = "",
    category_code: str = "",
    subject_type: str = "verification",
) -> SignoffPolicy:
    """A new sign-off chain for an office: `steps` in signing order, each with title, role,
    unit_kind (blank: the assigned unit itself), at_office and position_title."""
    if not name.strip():
        raise ValidationError(_("Name the sign-off policy."))
    if not steps:
        raise ValidationError(_("A sign-off policy needs at least one step."))
    with transaction.atomic():
        policy = SignoffPolicy(office=office, name=name.strip(), track=track,
                               category_code=category_code.strip(), subject_type=subject_type)
        policy.full_clean()
        policy.save()
        built: list[SignoffStep] = []
        for order, data in enumerate(steps, start=1):
            unknown = set(data) - set(SIGNOFF_STEP_FIELDS)
            if unknown:
                raise ValidationError(_("Unknown field: %(field)s") % {"field": ", ".join(sorted(unknown))})
            step = SignoffStep(policy=policy, order=order, **data)
            _step_clean(step)
            built.append(step)
        SignoffStep.objects.bulk_create(built)
        audit_record(actor=actor, action="signoff_policy.create", object_type="signoff_policy",
                     object_id=policy.pk,
                     after={"office": office.pk, "name": policy.name, "track": track,
                            "category_code": policy.category_code, "subject_type": subject_type,
                            "steps": [{"order": s.order, **{f: getattr(s, f) for f in SIGNOFF_STEP_FIELDS}}
                                      for s in built]})
    return policy


def step_add(*, policy: SignoffPolicy, actor: User, title: str, role: str, unit_kind: str = "",
             at_office: bool = False, position_title: str = "") -> SignoffStep:
    """Append a signature at the end of an active chain."""
    if not policy.active:
        raise ValidationError(_("This sign-off policy is no longer in force."))
    with transaction.atomic():
        policy = SignoffPolicy.objects.select_for_update(of=("self",)).get(pk=policy.pk)
        last = policy.steps.order_by("-order").values_list("order", flat=True).first() or 0
        step = SignoffStep(policy=policy, order=last + 1, title=title.strip(), role=role, unit_kind=unit_kind,
                           at_office=at_office, position_title=position_title.strip())
        _step_clean(step)
        step.save()
        audit_record(actor=actor, action="signoff_step.add", object_type="signoff_policy",
                     object_id=policy.pk,
                     after={"order": step.order, **{f: getattr(step, f) for f in SIGNOFF_STEP_FIELDS}})
    return step


def policy_deactivate(*, policy: SignoffPolicy, actor: User, reason: str) -> SignoffPolicy:
    """Take a policy out of force (kept for ever: past endorsements still point at its steps)."""
    if not reason.strip():
        raise ValidationError(_("Give a reason for deactivating the sign-off policy."))
    if not policy.active:
        raise ValidationError(_("This sign-off policy is no longer in force."))
    with transaction.atomic():
        policy = SignoffPolicy.objects.select_for_update(of=("self",)).get(pk=policy.pk)
        policy.active = False
        policy.save(update_fields=["active"])
        audit_record(actor=actor, action="signoff_policy.deactivate", object_type="signoff_policy",
                     object_id=policy.pk, before={"active": True}, after={"active": False},
                     reason=reason.strip())
    return policy

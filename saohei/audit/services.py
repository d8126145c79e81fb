"""Writing to and checking the audit chain."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone

from saohei.audit.canonical import jsonable, sha256_hex
from saohei.audit.models import AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64


def _event_payload(
    *,
    seq: int,
    occurred_at: str,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    before: Any,
    after: Any,
    reason: str,
    prev_hash: str,
) -> dict[str, Any]:
    return {
        "seq": seq,
        "occurred_at": occurred_at,
        "actor_id": actor_id,
        "actor_label": actor_label,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "before": before,
        "after": after,
        "reason": reason,
        "prev_hash": prev_hash,
    }


def event_hash(event: AuditEvent) -> str:
    return sha256_hex(
        _event_payload(
            seq=event.seq,
            occurred_at=event.occurred_at.isoformat(),
            actor_id=event.actor_id,
            actor_label=event.actor_label,
            action=event.action,
            object_type=event.object_type,
            object_id=event.object_id,
            before=event.before,
            after=event.after,
            reason=event.reason,
            prev_hash=event.prev_hash,
        )
    )


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    object_type: str,
    object_id: str | int,
    before: Any = None,
    after: Any = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event to the chain. Call inside the transaction of the change it records."""
    with transaction.atomic():
        head, _created = AuditChainHead.objects.select_for_update(of=("self",)).get_or_create(id=1)
        seq = head.last_seq + 1
        occurred_at = timezone.now()
        actor_id = actor.pk if actor is not None and actor.is_authenticated else None
        actor_label = actor.get_username() if actor is not None and actor.is_authenticated else "system"
        event = AuditEvent(
            seq=seq,
            occurred_at=occurred_at,
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            before=jsonable(before),
            after=jsonable(after),
            reason=reason,
            prev_hash=head.last_hash,
        )
        event.hash = event_hash(event)
        event.save(force_insert=True)
        head.last_seq = seq
        head.last_hash = event.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return event


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_seq: int | None = None
    broken_id: int | None = None
    problem: str = ""


def audit_verify(*, batch_size: int = 5000) -> ChainReport:
    """Recompute the chain from the first event; name the first broken one."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    last_seq = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            return ChainReport(
                False, checked, expected_seq, None, f"event #{expected_seq} is missing (next is #{event.seq})"
            )
        if event.prev_hash != expected_prev:
            return ChainReport(
                False, checked, event.seq, event.pk, f"event #{event.seq} does not follow its predecessor"
            )
        if event_hash(event) != event.hash:
            return ChainReport(False, checked, event.seq, event.pk, f"event #{event.seq} was altered")
        expected_prev = event.hash
        expected_seq += 1
        last_seq = event.seq
        checked += 1
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and (head.last_seq != last_seq or head.last_hash != expected_prev):
        missing = last_seq + 1
        return ChainReport(
            False,
            checked,
            missing,
            None,
            f"event #{missing} is missing: the chain ends at #{last_seq} but {head.last_seq} were written",
        )
    return ChainReport(True, checked)

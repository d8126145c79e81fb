"""Issuing, revoking and checking API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saohei.api.models import ApiToken
from saohei.audit.services import audit_record

# A marker that makes a leaked token recognisable; not a secret.
TOKEN_PREFIX = "shk_"  # noqa: S105
PREFIX_LENGTH = 12
MAX_DAYS = 3660
# last_used_at is refreshed at most this often, so a busy client does not write on every call.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def api_token_create(*, user: Any, actor: AbstractBaseUser | None, days: int | None = None,
                     label: str = "") -> tuple[ApiToken, str]:
    """A new token for `user`; returns the record and the token, which is not stored and cannot be shown again."""
    if not user.is_active:
        raise ValidationError(_("%(user)s is not an active user.") % {"user": user.get_username()})
    days = settings.SAOHEI_API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError(_("A token lasts between 1 and %(max)s days.") % {"max": MAX_DAYS})
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        record = ApiToken.objects.create(
            user=user, key_hash=token_hash(token), prefix=token[:PREFIX_LENGTH], label=label.strip()[:80],
            expires_at=timezone.now() + dt.timedelta(days=days),
        )
        audit_record(actor=actor, action="api_token.create", object_type="api_token", object_id=record.pk,
                     after={"user": user.get_username(), "prefix": record.prefix, "expires_at": record.expires_at,
                            "label": record.label})
    return record, token


def api_token_revoke(*, token: ApiToken, actor: AbstractBaseUser | None, reason: str = "") -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update(of=("self",)).get(pk=token.pk)
        if token.revoked_at is not None:
            raise ValidationError(_("This token is already revoked."))
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api_token.revoke", object_type="api_token", object_id=token.pk,
                     after={"prefix": token.prefix, "revoked_at": token.revoked_at}, reason=reason.strip())
    return token


def api_token_authenticate(*, key: str) -> Any | None:
    """The active user holding this token, or None for an unknown, revoked or expired token."""
    key = key.strip()
    if not key.startswith(TOKEN_PREFIX) or len(key) > 200:
        return None
    now = timezone.now()
    record = (
        ApiToken.objects.select_related("user__profile")
        .filter(key_hash=token_hash(key), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if record is None or not record.user.is_active:
        return None
    if record.last_used_at is None or now - record.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user

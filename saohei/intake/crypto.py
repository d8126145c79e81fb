"""Reporter identity at rest: AES-256-GCM under a key held only in the environment."""

from __future__ import annotations

import base64
import binascii
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "v1:"


def _key() -> bytes:
    raw = settings.SAOHEI_IDENTITY_KEY
    try:
        key = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured("SAOHEI_IDENTITY_KEY must be 32 bytes in URL-safe base64.") from exc
    if len(key) != 32:
        raise ImproperlyConfigured("SAOHEI_IDENTITY_KEY must decode to exactly 32 bytes.")
    return key


def seal(plaintext: str, *, context: str) -> str:
    """Encrypt `plaintext`; `context` (e.g. "reporter:name") is bound as associated data."""
    if not plaintext:
        return ""
    nonce = os.urandom(12)
    ciphertext = AESGCM(_key()).encrypt(nonce, plaintext.encode("utf-8"), context.encode("utf-8"))
    return PREFIX + base64.urlsafe_b64encode(nonce + ciphertext).decode("ascii")


def unseal(token: str, *, context: str) -> str:
    if not token:
        return ""
    if not token.startswith(PREFIX):
        raise ValueError("unknown ciphertext format")
    blob = base64.urlsafe_b64decode(token[len(PREFIX):].encode("ascii"))
    return AESGCM(_key()).decrypt(blob[:12], blob[12:], context.encode("utf-8")).decode("utf-8")

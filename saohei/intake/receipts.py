"""Receipt codes: 24 characters from a 29-letter alphabet (≈116 bits), stored only as an HMAC."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

# No 0/O, 1/I/L, U/V look-alikes: what a caller reads aloud, an operator types.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
LENGTH = 24
GROUP = 4


def receipt_generate() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def receipt_normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def receipt_hash(code: str) -> str:
    key = settings.SAOHEI_RECEIPT_KEY.encode("utf-8")
    return hmac.new(key, receipt_normalise(code).encode("utf-8"), hashlib.sha256).hexdigest()

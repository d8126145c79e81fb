"""The offline challenge the portal asks for under load: proof of work, or a question in words.

A challenge is a signed token (django.core.signing; expires after CHALLENGE_TTL seconds) holding a
random id, the proof-of-work difficulty and a keyed hash of the answer to a small sum written in
words. A browser with JavaScript (saohei/static/saohei/pow.js) finds a nonce such that
SHA-256(prefix + nonce) starts with `bits` zero bits and puts it in the answer field; without
JavaScript the reporter reads the question and types the answer. Either passes. Each token can be
verified once (a marker in the cache), right or wrong, so a question cannot be guessed repeatedly.
Nothing here calls anything outside the server.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language, gettext

from .limits import PREFIX, challenge_advised

CHALLENGE_TTL = 600
SALT = "saohei.portal.challenge"
TOKEN_FIELD = "challenge_token"  # noqa: S105 - a form field name
ANSWER_FIELD = "challenge_answer"
MAX_SOLUTION_LENGTH = 64

_EN_NUMBERS = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
]  # fmt: skip
_ZH_DIGITS = "零一二三四五六七八九"


@dataclass(frozen=True)
class Challenge:
    token: str  # goes back in the form's hidden field
    prefix: str  # what the proof of work hashes, followed by the nonce
    bits: int  # leading zero bits the hash must have
    question: str  # the same check as a question in words, for a browser without JavaScript
    expires_in: int  # seconds


# --- numbers in words ----------------------------------------------------------------------------


def _zh_number(n: int) -> str:
    if n < 10:
        return _ZH_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _ZH_DIGITS[tens]) + "十" + (_ZH_DIGITS[ones] if ones else "")


def number_in_words(n: int, language: str | None = None) -> str:
    language = (language or get_language() or "zh-hans").lower()
    return _zh_number(n) if language.startswith("zh") else _EN_NUMBERS[n]


def parse_answer(text: str) -> int | None:
    """A typed answer: digits (also full-width), Chinese numerals up to 99 or English words to twenty."""
    value = unicodedata.normalize("NFKC", text).strip().lower().rstrip("。.!！")
    value = value.replace("两", "二").replace("兩", "二").replace("〇", "零")
    if re.fullmatch(r"-?\d{1,3}", value):
        return int(value)
    if value in _EN_NUMBERS:
        return _EN_NUMBERS.index(value)
    if value and all(ch in _ZH_DIGITS + "十" for ch in value):
        for n in range(100):
            if _zh_number(n) == value:
                return n
    return None


def _question(a: int, b: int, minus: bool) -> str:
    words = {"a": number_in_words(a), "b": number_in_words(b)}
    if minus:
        return gettext("How much is %(a)s minus %(b)s?") % words
    return gettext("How much is %(a)s plus %(b)s?") % words


def _answer_mac(challenge_id: str, answer: int) -> str:
    return salted_hmac(SALT, f"{challenge_id}|{answer}", algorithm="sha256").hexdigest()[:32]


# --- proof of work -------------------------------------------------------------------------------


def pow_prefix(challenge_id: str, bits: int) -> str:
    return f"saohei:{bits}:{challenge_id}:"


def leading_zero_bits(digest: bytes) -> int:
    count = 0
    for byte in digest:
        if byte == 0:
            count += 8
            continue
        return count + 8 - byte.bit_length()
    return count


def pow_valid(prefix: str, nonce: str, bits: int) -> bool:
    if not nonce or len(nonce) > MAX_SOLUTION_LENGTH or not nonce.isascii() or not nonce.isalnum():
        return False
    digest = hashlib.sha256((prefix + nonce).encode("ascii")).digest()
    return leading_zero_bits(digest) >= bits


def pow_solve(prefix: str, bits: int, *, limit: int = 50_000_000) -> str:
    """Find a nonce (tests, benchmarks); the browser does the same in pow.js."""
    for n in range(limit):
        if pow_valid(prefix, str(n), bits):
            return str(n)
    raise RuntimeError("no nonce found")


# --- issuing and checking ------------------------------------------------------------------------


def challenge_issue(request: HttpRequest) -> Challenge:
    """A new challenge for one form; the question is in the active language."""
    bits = max(0, min(int(settings.SAOHEI_PORTAL_POW_BITS), 32))
    challenge_id = secrets.token_urlsafe(12)
    minus = secrets.randbelow(3) == 0
    a, b = 1 + secrets.randbelow(9), 1 + secrets.randbelow(9)
    if minus and a < b:
        a, b = b, a
    answer = a - b if minus else a + b
    payload = {"c": challenge_id, "b": bits, "a": _answer_mac(challenge_id, answer)}
    token = signing.dumps(payload, salt=SALT, compress=False)
    return Challenge(
        token=token,
        prefix=pow_prefix(challenge_id, bits),
        bits=bits,
        question=_question(a, b, minus),
        expires_in=CHALLENGE_TTL,
    )


def challenge_verify(request: HttpRequest, token: str, solution: str) -> bool:
    """True if `solution` is a proof of work or the right answer for this unused, unexpired token."""
    if not token or not isinstance(token, str) or len(token) > 512:
        return False
    try:
        payload: Any = signing.loads(token, salt=SALT, max_age=CHALLENGE_TTL)
    except signing.BadSignature:  # also SignatureExpired
        return False
    if not isinstance(payload, dict):
        return False
    challenge_id, bits, mac = payload.get("c"), payload.get("b"), payload.get("a")
    if not (isinstance(challenge_id, str) and isinstance(bits, int) and isinstance(mac, str)):
        return False
    # Single use, whether the solution is right or not: first come, first served.
    if not cache.add(f"{PREFIX}:challenge-used:{challenge_id}", 1, timeout=CHALLENGE_TTL + 60):
        return False
    solution = (solution or "").strip()[:MAX_SOLUTION_LENGTH]
    if pow_valid(pow_prefix(challenge_id, bits), solution, bits):
        return True
    answer = parse_answer(solution)
    return answer is not None and hmac.compare_digest(_answer_mac(challenge_id, answer), mac)


def challenge_passed(request: HttpRequest) -> bool:
    """Check the challenge fields of a posted form (the names used by portal/challenge.html)."""
    return challenge_verify(request, str(request.POST.get(TOKEN_FIELD, "")), str(request.POST.get(ANSWER_FIELD, "")))


def challenge_error_message() -> str:
    return gettext("The check was not passed or has expired. Please answer the new question below and send again.")


def challenge_context(request: HttpRequest, *, force: bool = False) -> dict[str, Any]:
    """Template context for portal/challenge.html: a fresh challenge when one is (nearly) needed."""
    challenge = challenge_issue(request) if force or challenge_advised() else None
    return {"challenge": challenge, "challenge_token_field": TOKEN_FIELD, "challenge_answer_field": ANSWER_FIELD}

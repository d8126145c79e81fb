"""Rate limits, the offline challenge and receipt slowing (saohei/portal/abuse)."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import signing
from django.core.cache import cache
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone
from django.utils.translation import gettext, override

from saohei.portal import abuse
from saohei.portal.abuse import challenge as challenge_mod
from saohei.portal.abuse import limits

POW_JS = Path(__file__).resolve().parents[2] / "static" / "saohei" / "pow.js"
_ZH = "零一二三四五六七八九"


@pytest.fixture(autouse=True)
def _clean(settings: Any) -> Any:
    settings.SAOHEI_PORTAL_SUBMIT_PER_CLIENT = 0
    settings.SAOHEI_PORTAL_SUBMIT_PER_MINUTE = 0
    settings.SAOHEI_PORTAL_CHALLENGE_AT = -1
    settings.SAOHEI_PORTAL_POW_BITS = 8
    settings.SAOHEI_PORTAL_RECEIPT_FAILURES_PER_CLIENT = 0
    settings.SAOHEI_PORTAL_RECEIPT_FAILURES_GLOBAL = 0
    settings.SAOHEI_PORTAL_PROXY_COUNT = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    recorded: list[float] = []
    monkeypatch.setattr(limits.time, "sleep", recorded.append)
    return recorded


def req(ip: str = "198.51.100.7", **extra: Any) -> Any:
    return RequestFactory().post("/portal/submit/", REMOTE_ADDR=ip, **extra)


# --- client key ----------------------------------------------------------------------------------


def test_client_key_hides_the_address_and_rotates_daily(monkeypatch: pytest.MonkeyPatch) -> None:
    key = abuse.client_key(req("198.51.100.7"))
    assert key == abuse.client_key(req("198.51.100.7"))
    assert key != abuse.client_key(req("198.51.100.8"))
    assert "198" not in key and len(key) == 20
    # One IPv6 client normally holds a /64: addresses inside it share a key.
    assert abuse.client_key(req("2001:db8:1:2::1")) == abuse.client_key(req("2001:db8:1:2:ffff::9"))
    assert abuse.client_key(req("2001:db8:1:2::1")) != abuse.client_key(req("2001:db8:1:3::1"))
    tomorrow = timezone.now() + timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    assert abuse.client_key(req("198.51.100.7")) != key


def test_client_ip_behind_a_proxy(settings: Any) -> None:
    request = req("10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9, 192.0.2.4")
    assert abuse.client_ip(request) == "10.0.0.2"
    settings.SAOHEI_PORTAL_PROXY_COUNT = 1
    assert abuse.client_ip(request) == "192.0.2.4"  # the hop our own proxy appended; the rest is forgeable


# --- submissions ---------------------------------------------------------------------------------


def test_per_client_limit_refuses_with_a_wait_and_spares_other_clients(settings: Any) -> None:
    settings.SAOHEI_PORTAL_SUBMIT_PER_CLIENT = 2
    first, second, third = (abuse.submission_allowed(req("198.51.100.7")) for _ in range(3))
    assert first.allowed and second.allowed
    assert not third.allowed
    assert third.retry_after is not None and 0 < third.retry_after <= limits.SUBMIT_WINDOW
    assert third.message
    assert abuse.submission_allowed(req("198.51.100.99")).allowed


def test_global_limit_refuses_everyone_once_reached(settings: Any) -> None:
    settings.SAOHEI_PORTAL_SUBMIT_PER_MINUTE = 3
    decisions = [abuse.submission_allowed(req(f"198.51.100.{n}")) for n in range(1, 5)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    with override("zh-hans"):
        refused = abuse.submission_allowed(req("198.51.100.50"))
        assert refused.message == gettext(
            "The reporting site is very busy right now. Please try again in a minute; nothing you have "
            "already sent is lost."
        )
    assert refused.retry_after is not None and refused.retry_after <= 60


def test_challenge_switches_on_under_load(settings: Any) -> None:
    settings.SAOHEI_PORTAL_CHALLENGE_AT = 4
    assert abuse.challenge_context(req())["challenge"] is None
    needs = [abuse.submission_allowed(req(f"198.51.100.{n}")).needs_challenge for n in range(1, 6)]
    assert needs == [False, False, False, True, True]
    context = abuse.challenge_context(req())
    assert isinstance(context["challenge"], abuse.Challenge)
    settings.SAOHEI_PORTAL_CHALLENGE_AT = 0
    cache.clear()
    assert abuse.submission_allowed(req()).needs_challenge  # 0 = always


# --- the challenge -------------------------------------------------------------------------------


def test_proof_of_work_passes_once() -> None:
    challenge = abuse.challenge_issue(req())
    assert challenge.bits == 8 and challenge.prefix
    nonce = challenge_mod.pow_solve(challenge.prefix, challenge.bits)
    assert abuse.challenge_verify(req(), challenge.token, nonce)
    assert not abuse.challenge_verify(req(), challenge.token, nonce), "a used challenge was accepted again"


def test_wrong_proof_of_work_is_refused_and_uses_up_the_token() -> None:
    challenge = abuse.challenge_issue(req())
    nonce = challenge_mod.pow_solve(challenge.prefix, challenge.bits)
    wrong = next(str(n) for n in range(10**6, 10**7) if not challenge_mod.pow_valid(challenge.prefix, str(n), 8))
    assert not abuse.challenge_verify(req(), challenge.token, wrong)
    assert not abuse.challenge_verify(req(), challenge.token, nonce)


def _answer(question: str) -> int:
    """Read the sum the way a person would, in English or Chinese."""
    words = re.findall(r"[a-z]+|[零一二三四五六七八九十]+", question.lower())
    numbers: list[int] = []
    for word in words:
        value = challenge_mod.parse_answer(word)
        if value is not None:
            numbers.append(value)
    assert len(numbers) == 2, question
    minus = "minus" in question or "减" in question or "減" in question
    return numbers[0] - numbers[1] if minus else numbers[0] + numbers[1]


@pytest.mark.parametrize("language", ["en", "zh-hans", "zh-hant"])
def test_text_question_passes_without_javascript(language: str) -> None:
    with override(language):
        challenge = abuse.challenge_issue(req())
    if language.startswith("zh"):
        assert re.search(r"[一二三四五六七八九]", challenge.question), challenge.question
    else:
        assert re.search(r"\b(one|two|three|four|five|six|seven|eight|nine)\b", challenge.question)
    answer = _answer(challenge.question)
    assert abuse.challenge_verify(req(), challenge.token, str(answer))


def test_text_answer_in_words_or_full_width_digits() -> None:
    for spelled in (lambda n: challenge_mod.number_in_words(n, "zh-hans"), lambda n: str(n).translate(
            str.maketrans("0123456789", "０１２３４５６７８９"))):
        with override("en"):
            challenge = abuse.challenge_issue(req())
        assert abuse.challenge_verify(req(), challenge.token, spelled(_answer(challenge.question)))


def test_wrong_text_answer_is_refused_and_cannot_be_retried() -> None:
    with override("en"):
        challenge = abuse.challenge_issue(req())
    right = _answer(challenge.question)
    assert not abuse.challenge_verify(req(), challenge.token, str(right + 1))
    assert not abuse.challenge_verify(req(), challenge.token, str(right)), "one token allowed a second guess"


def test_expired_or_tampered_token_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    challenge = abuse.challenge_issue(req())
    nonce = challenge_mod.pow_solve(challenge.prefix, challenge.bits)
    body, sep, signature = challenge.token.rpartition(":")
    tampered = body + sep + ("A" if signature[0] != "A" else "B") + signature[1:]
    assert not abuse.challenge_verify(req(), tampered, nonce)
    # A token claiming an easier difficulty needs a signature we never made.
    forged = signing.dumps({"c": "x", "b": 0, "a": "0"}, salt="someone-else")
    assert not abuse.challenge_verify(req(), forged, "1")
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + challenge_mod.CHALLENGE_TTL + 5)
    assert not abuse.challenge_verify(req(), challenge.token, nonce)


def test_challenge_passed_reads_the_form_fields() -> None:
    challenge = abuse.challenge_issue(req())
    nonce = challenge_mod.pow_solve(challenge.prefix, challenge.bits)
    request = RequestFactory().post(
        "/portal/submit/", {abuse.TOKEN_FIELD: challenge.token, abuse.ANSWER_FIELD: nonce}, REMOTE_ADDR="198.51.100.7"
    )
    assert abuse.challenge_passed(request)
    assert not abuse.challenge_passed(RequestFactory().post("/portal/submit/", {}))


def test_challenge_partial_renders_question_token_and_local_script() -> None:
    with override("en"):
        context = abuse.challenge_context(req(), force=True)
        html = render_to_string("portal/challenge.html", context)
    challenge = context["challenge"]
    assert f'value="{challenge.token}"' in html
    assert challenge.question in html
    assert f'data-pow-prefix="{challenge.prefix}"' in html
    assert 'src="/static/saohei/pow.js"' in html
    assert "<script>" not in html and "http" not in html.replace('src="/static', "")
    assert render_to_string("portal/challenge.html", {"challenge": None}).strip() == ""


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_browser_solver_agrees_with_the_server() -> None:
    challenge = abuse.challenge_issue(req())
    script = (
        f"const p = require({str(POW_JS)!r});"
        f"process.stdout.write(p.hex(p.sha256('abc')) + ' ' + p.search({challenge.prefix!r}, 8, 0, 1000000));"
    )
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=60, check=True).stdout
    digest, nonce = out.split()
    assert digest == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert abuse.challenge_verify(req(), challenge.token, nonce)


# --- receipts ------------------------------------------------------------------------------------


def test_wrong_receipts_are_slowed_then_refused(settings: Any, sleeps: list[float]) -> None:
    settings.SAOHEI_PORTAL_RECEIPT_FAILURES_PER_CLIENT = 6
    request = req("198.51.100.7")
    for _ in range(6):
        assert abuse.receipt_attempt_allowed(request)
        abuse.receipt_attempt_failed(request)
    assert sleeps == [1.0, 2.0, 3.0]  # nothing for the first three, then 1, 2, 3 seconds (capped)
    assert not abuse.receipt_attempt_allowed(request)
    assert sleeps == [1.0, 2.0, 3.0], "a refused attempt must not hold a worker"
    assert abuse.receipt_attempt_allowed(req("198.51.100.8"))


def test_right_and_wrong_receipts_wait_the_same(settings: Any, sleeps: list[float]) -> None:
    settings.SAOHEI_PORTAL_RECEIPT_FAILURES_PER_CLIENT = 10
    request = req()
    for _ in range(4):
        abuse.receipt_attempt_failed(request)
    assert abuse.receipt_attempt_allowed(request)  # this attempt turns out right: no failure recorded
    assert abuse.receipt_attempt_allowed(request)  # and this one wrong
    abuse.receipt_attempt_failed(request)
    assert sleeps == [2.0, 2.0]


def test_global_wrong_receipt_limit(settings: Any, sleeps: list[float]) -> None:
    settings.SAOHEI_PORTAL_RECEIPT_FAILURES_GLOBAL = 3
    for n in range(3):
        assert abuse.receipt_attempt_allowed(req(f"198.51.100.{n}"))
        abuse.receipt_attempt_failed(req(f"198.51.100.{n}"))
    assert not abuse.receipt_attempt_allowed(req("198.51.100.200"))
    with override("zh-hans"):
        assert abuse.too_many_attempts_message() == gettext(
            "Too many attempts. Please wait a quarter of an hour and try again."
        )


def test_no_address_reaches_the_cache(settings: Any) -> None:
    settings.SAOHEI_PORTAL_SUBMIT_PER_CLIENT = 5
    settings.SAOHEI_PORTAL_RECEIPT_FAILURES_PER_CLIENT = 5
    abuse.submission_allowed(req("198.51.100.77"))
    abuse.receipt_attempt_failed(req("198.51.100.77"))
    keys = [str(k) for k in cache._cache]  # type: ignore[attr-defined]
    assert keys and not any("198.51.100" in k for k in keys)

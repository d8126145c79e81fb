"""The public portal in Chromium: a stranger reports, staff handle it, the reporter follows up and
claims a reward — in each language, with JavaScript on and off, on a 360 px phone screen."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.utils.translation import gettext_lazy
from PIL import Image

from saohei.clues import services
from saohei.clues.models import Clue
from saohei.clues.tests.helpers import FIVE_CHIEFS, to_concluded
from saohei.intake.attachments import attachment_path
from saohei.intake.choices import MessageDirection, RewardState
from saohei.intake.models import Attachment, PortalMessage, Report
from saohei.intake.rewards import reward_approve, reward_pay, reward_propose
from saohei.intake.services import report_find_by_receipt
from saohei.portal.status import CONCLUDED, LABELS, RECEIVED
from tests.e2e.pages import label, open_clue_from_inbox, shot
from tests.e2e.portal_pages import (
    LANGUAGE_NAMES,
    PLACE_STEPS,
    PLACE_TEXT,
    SPY_MAKE,
    assert_fits_mobile,
    choose_place,
    fill_report,
    html_lang,
    jpeg_with_gps,
    open_follow_up,
    reporter_context,
    send_report,
    switch_language,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTENT = "民族街的万某团伙强迫商户购买酒水，不从者遭殴打。"
FEEDBACK = "经核查，您反映的问题属实，已依法处理。"
STAFF_MESSAGE = "您好，请问万某团伙通常在几点到店收钱？"
REPORTER_REPLY = "一般是每晚十点以后，两三个人一起来。"


@pytest.fixture(autouse=True)
def _portal_env(settings: Any, tmp_path: Path) -> Any:
    """Files under the test's own directory; the load challenge never switches on (the live server
    runs in this process, so it reads the same settings); rate-limit counters start at zero."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SAOHEI_PORTAL_CHALLENGE_AT = -1
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reporter_pages(browser: Any) -> Any:
    contexts: list[Any] = []
    errors: list[str] = []

    def make(*, js: bool) -> Any:
        context = reporter_context(browser, js=js)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
        return page

    yield make
    for context in contexts:
        context.close()
    assert errors == [], "scripts failed in the portal pages"


def clue_of(receipt: str) -> Clue:
    report = report_find_by_receipt(code=receipt.replace("-", ""))
    assert report is not None and report.clue_id is not None, f"no report stored for receipt {receipt}"
    return Clue.objects.get(pk=report.clue_id)


def report_of(receipt: str) -> Report:
    report = report_find_by_receipt(code=receipt.replace("-", ""))
    assert report is not None
    return report


def walk_to_closed(org: Any, clue: Clue) -> Clue:
    """Triage valid, assign 民族街派出所, verify, conclude substantiated, the five chiefs sign, feedback, close."""
    to_concluded(org, clue, "substantiated")
    for username in FIVE_CHIEFS:
        services.clue_sign(clue=clue, actor=org.users[username])
    services.clue_feedback(clue=clue, actor=org.users["clerk.jianghan"], text=FEEDBACK)
    services.clue_reply(clue=clue, actor=org.users["head.minzu"], text="已按要求核查完毕，结论已签批。")
    services.clue_close(clue=clue, actor=org.users["clerk.jianghan"])
    return Clue.objects.get(pk=clue.pk)


def assert_no_exif(attachment: Attachment) -> None:
    data = attachment_path(attachment).read_bytes()
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    exif = image.getexif()
    assert len(exif) == 0 and not exif.get_ifd(0x8825), f"the stored photo keeps EXIF: {dict(exif)}"
    assert SPY_MAKE.encode() not in data, "the camera maker survives in the stored file"
    assert attachment.metadata_removed


def submit_form_directly(page: Any, url: Any, lang: str) -> str:
    """The short way in: the form for 江汉区 by its link, in a language; returns the receipt."""
    page.goto(url(f"/portal/submit/?place=420103&lang={lang}"))
    assert html_lang(page) == lang
    assert page.locator("fieldset.challenge").count() == 0, "the load challenge is on although switched off"
    assert page.inner_text("#place-chosen").strip() == PLACE_TEXT
    fill_report(page, content=CONTENT, location="民族街12号KTV")
    return send_report(page)


# --- 1–3, 5: the whole walk, once per language ------------------------------------------------------


@pytest.mark.parametrize(("lang", "js"), [("zh-hans", False), ("zh-hant", True), ("en", False)],
                         ids=["zh-hans-nojs", "zh-hant-js", "en-nojs"])
def test_a_stranger_reports_staff_answer_and_the_stranger_follows_up(
    lang: str, js: bool, e2e_org: Any, reporter_pages: Any, login: Any, url: Any, artifacts: Path, tmp_path: Path,
) -> None:
    tag = f"{lang}-{'js' if js else 'nojs'}"
    photo = jpeg_with_gps(tmp_path / "photo.jpg")

    # 1. A stranger opens the portal on a phone and chooses a language with the link in the header.
    reporter = reporter_pages(js=js)
    reporter.goto(url("/portal/"))
    assert html_lang(reporter) == "zh-hans", "the portal's default language is simplified Chinese"
    if lang == "zh-hans":
        switch_language(reporter, "en")  # away and back, so the link is really exercised
    switch_language(reporter, lang)
    assert reporter.inner_text(f"nav.langs a[hreflang='{lang}']").strip() == LANGUAGE_NAMES[lang]
    assert_fits_mobile(reporter, artifacts, f"portal-home-{tag}")
    with reporter.expect_navigation():
        reporter.click("main a.button.primary")

    # The place, one level at a time; the language stays.
    choose_place(reporter, PLACE_STEPS)
    assert html_lang(reporter) == lang
    assert reporter.inner_text("#place-chosen").strip() == PLACE_TEXT
    assert reporter.locator("fieldset.challenge").count() == 0, "the load challenge is on although switched off"

    fill_report(reporter, content=CONTENT, persons="万某，外号“万老大”；其弟万二", location="民族街12号KTV",
                when="2024年3月至今", protectors="派出所某副所长收钱", evidence="商户有转账记录",
                files=[photo])
    assert_fits_mobile(reporter, artifacts, f"portal-form-{tag}")
    shot(reporter, artifacts, f"portal-form-{tag}")

    receipt = send_report(reporter)
    assert "/portal/submit/" in reporter.url and receipt.replace("-", "") not in reporter.url
    assert html_lang(reporter) == lang
    assert_fits_mobile(reporter, artifacts, f"portal-receipt-{tag}")
    shot(reporter, artifacts, f"portal-receipt-{tag}")
    received_page = reporter.url

    # Shown once: reloading (the browser sends the form again) and going back do not show it again.
    reporter.reload()
    assert reporter.locator("#receipt-code").count() == 0, "reloading shows the receipt again"
    assert receipt not in reporter.content()
    assert reporter.locator("#already-received").count() == 1, f"{reporter.url}: {reporter.inner_text('main')!r}"
    reporter.go_back()
    assert receipt not in reporter.content(), f"going back to {reporter.url} shows the receipt again"
    assert reporter.url != received_page or reporter.locator("#receipt-code").count() == 0
    assert Report.objects.filter(content__contains=CONTENT).count() == 1, "the report was stored more than once"

    # 5. The stored photo has lost its hidden data.
    report = report_of(receipt)
    attachments = list(Attachment.objects.filter(report=report))
    assert len(attachments) == 1, attachments
    assert_no_exif(attachments[0])

    # 2. The intake clerk finds it in My work, to triage, and sees the report and the photo.
    clue = clue_of(receipt)
    clerk = login("clerk.jianghan")
    open_clue_from_inbox(clerk, url, "triage", str(clue.number))
    clue_url = clerk.url
    assert CONTENT in clerk.inner_text("#clue-reports")
    panel = clerk.locator("#reporter-messages")
    assert panel.locator(f"a[href='/clues/messages/attachments/{attachments[0].pk}/']").count() == 1, \
        panel.inner_text()
    assert "image/jpeg" in panel.inner_text()
    assert panel.locator(".badge", has_text=label(gettext_lazy("metadata removed"))).count() == 1
    with clerk.expect_download() as download:
        panel.locator(f"a[href='/clues/messages/attachments/{attachments[0].pk}/']").click()
    downloaded = Path(download.value.path()).read_bytes()
    assert downloaded == attachment_path(attachments[0]).read_bytes()
    assert not Image.open(io.BytesIO(downloaded)).getexif(), "the photo staff download carries EXIF"

    # The clerk writes to the reporter from the panel.
    clerk.fill("#id_message_text", STAFF_MESSAGE)
    clerk.click("#reporter-messages form button[type=submit]")
    clerk.locator("#reporter-messages .msg-success").wait_for()
    assert STAFF_MESSAGE in clerk.inner_text("#reporter-messages")
    assert PortalMessage.objects.filter(report=report, direction=MessageDirection.TO_REPORTER).count() == 1

    clue = walk_to_closed(e2e_org, clue)
    assert clue.state == "closed"

    # 3. The reporter comes back with the receipt, in the language they chose.
    open_follow_up(reporter, url, receipt)
    assert html_lang(reporter) == lang
    assert reporter.inner_text("#report-status").strip() == label(LABELS[CONCLUDED], lang)
    assert reporter.inner_text("#feedback-text").strip() == FEEDBACK
    assert STAFF_MESSAGE in reporter.inner_text(".thread .msg.to_reporter")
    assert_fits_mobile(reporter, artifacts, f"portal-follow-{tag}")
    shot(reporter, artifacts, f"portal-follow-{tag}")

    reporter.fill("#id_text", REPORTER_REPLY)
    with reporter.expect_navigation():
        reporter.click("form[action$='/follow/'] button[type=submit]")
    assert reporter.locator(".notice").count() == 1, reporter.inner_text("main")
    assert REPORTER_REPLY in reporter.inner_text(".thread .msg.from_reporter")
    assert receipt not in reporter.url

    # Staff see the reply on the clue page.
    clerk.goto(clue_url)
    assert REPORTER_REPLY in clerk.inner_text("#reporter-messages")


# --- 4: the reward, and the short submit with the other JavaScript setting ----------------------------


def test_a_reporter_claims_an_approved_reward_once(
    e2e_org: Any, reporter_pages: Any, url: Any, artifacts: Path,
) -> None:
    reporter = reporter_pages(js=True)
    receipt = submit_form_directly(reporter, url, "zh-hans")
    clue = walk_to_closed(e2e_org, clue_of(receipt))
    report = report_of(receipt)

    users = e2e_org.users
    reward = reward_propose(report=report, amount="2000", reason="举报属实，协助打掉涉恶团伙",
                            actor=users["clerk.jianghan"])
    assert reward.policy is None, "this test expects the fallback: no reward policy, the director approves alone"
    reward = reward_approve(reward=reward, actor=users["director.jianghan"])
    assert reward.state == RewardState.APPROVED
    reward_pay(reward=reward, paid_on=dt.date.today(), method="cash", actor=users["clerk.jianghan"])
    assert clue.state == "closed"

    reporter.goto(url("/portal/reward/"))
    reporter.fill("#id_receipt", receipt.lower())  # case and dashes do not matter
    with reporter.expect_navigation():
        reporter.click("#reward-claim-form button[type=submit]")
    claim = reporter.locator("#claim-code")
    assert claim.count() == 1, f"no claim code: {reporter.inner_text('main')!r}"
    claim_code = claim.inner_text().strip()
    assert claim_code and claim_code != receipt
    instructions = reporter.inner_text("#claim-instructions")
    assert "2000" in instructions and e2e_org.offices["jianghan"].name in instructions, instructions
    assert_fits_mobile(reporter, artifacts, "portal-reward-claimed")
    shot(reporter, artifacts, "portal-reward-claimed")

    # A second claim with the same receipt is refused, and shows no code.
    reporter.goto(url("/portal/reward/"))
    reporter.fill("#id_receipt", receipt)
    with reporter.expect_navigation():
        reporter.click("#reward-claim-form button[type=submit]")
    assert reporter.locator("#claim-code").count() == 0
    assert reporter.locator("#claim-refusal").inner_text().strip(), "the refusal says nothing"
    assert claim_code not in reporter.content()


@pytest.mark.parametrize(("lang", "js"), [("zh-hant", False), ("en", True)], ids=["zh-hant-nojs", "en-js"])
def test_a_report_is_sent_with_the_other_javascript_setting(
    lang: str, js: bool, e2e_org: Any, reporter_pages: Any, url: Any, artifacts: Path, settings: Any,
) -> None:
    reporter = reporter_pages(js=js)
    # The live server reads this process's settings: the challenge switched on shows in its form...
    settings.SAOHEI_PORTAL_CHALLENGE_AT = 0
    reporter.goto(url(f"/portal/submit/?place=420103&lang={lang}"))
    assert reporter.locator("fieldset.challenge").count() == 1, "SAOHEI_PORTAL_CHALLENGE_AT=0 shows no challenge"
    # ...and switched off (as in every other test here) it is gone.
    settings.SAOHEI_PORTAL_CHALLENGE_AT = -1
    receipt = submit_form_directly(reporter, url, lang)
    assert html_lang(reporter) == lang
    assert_fits_mobile(reporter, artifacts, f"portal-receipt-short-{lang}")
    open_follow_up(reporter, url, receipt)
    assert html_lang(reporter) == lang
    assert reporter.inner_text("#report-status").strip() == label(LABELS[RECEIVED], lang)
    assert clue_of(receipt).state == "received"

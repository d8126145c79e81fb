"""A new hotline report walked from receipt to closed, every step by the person whose step it is, in Chromium."""

from __future__ import annotations

from typing import Any

import pytest

from saohei.clues.choices import State
from saohei.clues.templatetags.clue_tags import EXTRA_ACTIONS
from saohei.clues.tests.helpers import FIVE_CHIEFS
from saohei.clues.workflow import MOVES_BY_NAME
from saohei.demo.org import FIVE_CHIEFS_ONE_OFFICER
from tests.e2e.pages import RECEIPT_RE, label, move, open_clue_from_inbox, shot, state_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUBJECT = "民族街某酒吧老板纠集社会闲散人员强迫商户购买酒水"
CONTENT = "举报人称：万某等人长期在江汉区民族街一带强迫商户购买其酒水，不从者遭殴打，已持续半年。"


def assert_state(page: Any, state: State) -> None:
    assert state_of(page) == state.value, f"expected {state.value}, the page shows {state_of(page)!r}"
    assert page.inner_text("#clue-state .badge").strip() == label(state.label)


def test_a_hotline_report_walks_from_receipt_to_closed(login: Any, url: Any, artifacts: Any) -> None:
    # The intake clerk records a hotline call.
    clerk = login("clerk.jianghan")
    clerk.goto(url("/reports/new/?channel=hotline"))
    assert clerk.input_value("#id_channel") == "hotline"
    clerk.fill("#id_subject", SUBJECT)
    clerk.fill("#id_content", CONTENT)
    clerk.fill("#id_location_text", "江汉区民族街")
    clerk.fill("#id_reporter_name", "张三")
    clerk.fill("#id_reporter_contact", "13800001111")
    with clerk.expect_navigation():
        clerk.click("#report-form button[type=submit]")

    # The receipt code, shown once, in six groups of four.
    code = clerk.inner_text("#receipt-code").strip()
    assert RECEIPT_RE.match(code), code
    number = clerk.inner_text("#clue-link").strip()
    assert number.startswith("XS420103"), number
    with clerk.expect_navigation():
        clerk.click("dl.facts a[href^='/reports/']")
    assert code not in clerk.content(), "the report page shows the receipt code again"
    assert "张三" not in clerk.content() and "13800001111" not in clerk.content(), "the reporter is not sealed"

    with clerk.expect_navigation():
        clerk.click("dl.facts a[href^='/clues/']")
    clue_url = clerk.url
    assert code not in clerk.content()
    assert_state(clerk, State.RECEIVED)

    # Triage: a valid clue of forced transactions, high priority — in the modal, without a reload.
    def triage(modal: Any) -> None:
        modal.locator("select[name=category]").select_option("forced_transactions")
        modal.locator("select[name=priority]").select_option("2")

    move(clerk, "triage_valid", triage, artifacts=artifacts)
    assert_state(clerk, State.VALID)
    assert "强迫交易" in clerk.inner_text("#clue-facts")

    def assign(modal: Any) -> None:
        option = modal.locator("select[name=unit] option", has_text="民族街派出所")
        modal.locator("select[name=unit]").select_option(option.first.get_attribute("value"))
        assert modal.locator("input[name=deadline]").input_value(), "no default deadline offered"

    move(clerk, "assign", assign, artifacts=artifacts)
    assert_state(clerk, State.ASSIGNED)
    assert "民族街派出所" in clerk.inner_text("#clue-tracks")

    # The responsible officer finds it in My work and verifies.
    verifier = login("verifier.jianghan")
    open_clue_from_inbox(verifier, url, "verify", number)
    assert verifier.url == clue_url
    move(verifier, "start", artifacts=artifacts)
    assert_state(verifier, State.VERIFYING)

    def musts(modal: Any) -> None:
        modal.locator("select[name=reporter_met]").select_option("met")
        modal.locator("textarea[name=reporter_met_note]").fill("3月2日在派出所当面询问举报人")
        modal.locator("input[name=content_rechecked]").check()
        modal.locator("textarea[name=content_recheck_note]").fill("走访商户12家，调取监控")
        modal.locator("input[name=feedback_planned]").check()
        modal.locator("textarea[name=feedback_note]").fill("电话反馈")

    move(verifier, "record_musts", musts, artifacts=artifacts)
    assert_state(verifier, State.VERIFYING)
    assert "走访商户12家" in verifier.inner_text("#clue-tracks")

    def conclude(modal: Any) -> None:
        modal.locator("select[name=conclusion]").select_option("unsubstantiated")
        modal.locator("textarea[name=finding]").fill("经走访核实，未发现万某强迫交易的事实，相关商户否认被强迫。")

    move(verifier, "conclude", conclude, artifacts=artifacts)
    assert_state(verifier, State.CONCLUDED)
    shot(verifier, artifacts, "clue-page-concluded")

    # 五长一警: six signatures in order, each by its holder.
    assert len(FIVE_CHIEFS) == len(FIVE_CHIEFS_ONE_OFFICER) == 6
    for (order, title, _role, _kind), username in zip(FIVE_CHIEFS_ONE_OFFICER, FIVE_CHIEFS, strict=True):
        signer = verifier if username == "verifier.jianghan" else login(username)
        if signer is not verifier:
            open_clue_from_inbox(signer, url, "sign", number)
        else:
            signer.goto(clue_url)

        def sign(modal: Any, order: int = order, title: str = title, username: str = username,
                 signer: Any = signer) -> None:
            step = modal.locator("dl.facts strong").first.inner_text()
            assert step.startswith(f"{order}."), f"{username} is asked to sign step {step!r}, not {order}"
            assert title in step, step
            assert len(modal.locator("#sign-hash").inner_text().strip()) == 64
            if username == "chief.jianghan":
                shot(signer, artifacts, "sign-modal")

        move(signer, "sign", sign, artifacts=artifacts)
        assert_state(signer, State.SIGNED if order == 6 else State.CONCLUDED)
        signed_rows = signer.locator("#clue-tracks table.signoff tbody tr:not(.missing)")
        assert signed_rows.count() == order, f"after {username}: {signer.inner_text('#clue-tracks')}"
        if order < 6:
            assert signer.locator("#clue-panel [data-move='sign']").count() == 0, f"{username} may sign twice"

    # Feedback, reply, close.
    clerk.goto(clue_url)
    assert_state(clerk, State.SIGNED)
    move(clerk, "feedback", lambda m: m.locator("textarea[name=text]").fill("经核查，您反映的问题未查实。"),
         artifacts=artifacts)
    assert_state(clerk, State.SIGNED)
    assert "您反映的问题未查实" in clerk.inner_text("#clue-answers")

    head = login("head.minzu")
    open_clue_from_inbox(head, url, "answer", number)
    move(head, "reply", lambda m: m.locator("textarea[name=text]").fill("已按要求核查完毕，结论已签批。"),
         artifacts=artifacts)
    assert_state(head, State.SIGNED)
    assert "结论已签批" in head.inner_text("#clue-answers")

    clerk.goto(clue_url)
    move(clerk, "close", artifacts=artifacts)
    assert_state(clerk, State.CLOSED)
    left = set(clerk.locator("#clue-panel [data-move]").evaluate_all("els => els.map(e => e.dataset.move)"))
    assert left <= {"reopen"}, f"moves offered on a closed clue: {left}"

    # The timeline lists every step, in order.
    names = ["triage_valid", "assign", "start", "record_musts", "conclude", *["sign"] * 6,
             "feedback", "reply", "close"]
    expected = [label(EXTRA_ACTIONS["receive"]), *(label(MOVES_BY_NAME[n].label) for n in names)]
    shown = [t.strip() for t in clerk.locator("#clue-timeline li > strong").all_inner_texts()]
    assert [s.lower() for s in shown] == [e.lower() for e in expected]
    shot(clerk, artifacts, "clue-page-closed")

    clerk.goto(url("/clues/"))
    assert number in clerk.inner_text("#clue-table")
    shot(clerk, artifacts, "clue-ledger")


def test_the_sign_modal_shows_the_whole_finding_and_hash(e2e_org: Any, login: Any, url: Any, artifacts: Any) -> None:
    """What a signer signs must be readable in the modal, not cut off at its right edge."""
    from saohei.clues.tests.helpers import receive, to_concluded

    clue = to_concluded(e2e_org, receive(e2e_org))
    page = login("verifier.jianghan")
    page.goto(url(f"/clues/{clue.pk}/"))
    page.locator("#clue-panel [data-move='sign']").first.click()
    page.locator("#modal #sign-hash").wait_for(state="visible")
    box = page.locator("#modal .modal-box")
    overflow = box.evaluate("b => b.scrollWidth - b.clientWidth")
    hash_right = page.locator("#sign-hash").evaluate("e => e.getBoundingClientRect().right")
    box_right = box.evaluate("b => b.getBoundingClientRect().right")
    if overflow > 1 or hash_right > box_right:
        shot(page, artifacts, "sign-modal-overflow")
    assert overflow <= 1, f"the modal scrolls sideways by {overflow}px: the finding and hash are cut off"
    assert hash_right <= box_right, "the SHA-256 runs past the modal's edge"

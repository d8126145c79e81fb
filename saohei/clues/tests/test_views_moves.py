"""Moves from the clue page: the form in the modal, the htmx submission, refusals shown in the modal."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from saohei.clues import services
from saohei.clues.choices import State
from saohei.clues.models import Clue, ClueEvent
from saohei.clues.tests.helpers import FIVE_CHIEFS, receive, to_concluded, triage_valid

HX = {"HTTP_HX_REQUEST": "true"}


def _url(clue: Clue, name: str) -> str:
    return reverse("clue-move", kwargs={"pk": clue.pk, "name": name})


def _zh(text: str) -> str:
    with translation.override("zh-hans"):
        return escape(translation.gettext(text))


def test_the_triage_form_opens_in_the_modal(client, org, clerk):
    clue = receive(org)
    client.force_login(clerk)
    response = client.get(_url(clue, "triage_valid"), **HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'class="modal-box"' in html
    assert 'name="category"' in html and 'value="forced_transactions"' in html
    assert f'hx-post="{_url(clue, "triage_valid")}"' in html
    assert 'hx-target="#clue-panel"' in html


def test_a_move_posted_with_htmx_changes_the_state_and_returns_the_new_panel(client, org, clerk):
    clue = receive(org)
    client.force_login(clerk)
    response = client.post(
        _url(clue, "triage_valid"),
        {"category": "forced_transactions", "priority": "1", "note": "涉黑线索，需核查"},
        **HX,
    )
    assert response.status_code == 200
    clue.refresh_from_db()
    assert clue.state == State.VALID
    assert clue.priority == 1
    html = response.content.decode()
    assert 'id="clue-panel"' in html
    assert "badge state-valid" in html
    with translation.override("zh-hans"):
        assert str(State.VALID.label) in html
    assert 'hx-swap-oob="true"' in html  # the modal is emptied
    assert 'data-move="assign"' in html  # the next move is offered at once


def test_an_invalid_move_returns_422_with_the_translated_error_and_changes_nothing(
    client, org, verifier, clerk
):
    clue = triage_valid(org, receive(org))
    services.clue_assign(clue=clue, unit=org.units["jh_minzu"], actor=clerk)
    services.clue_start(clue=clue, actor=verifier)
    events = ClueEvent.objects.filter(clue=clue).count()
    client.force_login(verifier)
    response = client.post(
        _url(clue, "conclude"),
        {"conclusion": "unsubstantiated", "finding": "经走访核实，未发现强迫交易事实。"},
        **HX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert (
        _zh("Record the three musts first: the reporter met (or why not) and the content re-checked.") in html
    )
    assert response["HX-Retarget"] == "#modal"
    clue.refresh_from_db()
    assert clue.state == State.VERIFYING
    assert ClueEvent.objects.filter(clue=clue).count() == events
    # What was typed stays in the form.
    assert "经走访核实，未发现强迫交易事实。" in html


def test_a_move_the_user_may_not_make_is_refused_with_403(client, org, clerk):
    clue = triage_valid(org, receive(org))
    services.clue_assign(clue=clue, unit=org.units["jh_minzu"], actor=clerk)
    client.force_login(clerk)
    assert client.get(_url(clue, "start"), **HX).status_code == 403
    response = client.post(_url(clue, "start"), {}, **HX)
    assert response.status_code == 403
    clue.refresh_from_db()
    assert clue.state == State.ASSIGNED


def test_a_form_error_is_shown_in_the_modal(client, org, clerk):
    clue = receive(org)
    client.force_login(clerk)
    response = client.post(_url(clue, "triage_valid"), {"priority": "2"}, **HX)
    assert response.status_code == 422
    assert 'class="form-error"' in response.content.decode()
    clue.refresh_from_db()
    assert clue.state == State.RECEIVED


def test_without_htmx_a_move_redirects_to_the_clue_page_with_a_message(client, org, clerk):
    clue = receive(org)
    client.force_login(clerk)
    response = client.get(_url(clue, "triage_invalid"))
    assert response.status_code == 200
    assert "<html" in response.content.decode()  # a whole page when JavaScript is off
    response = client.post(_url(clue, "triage_invalid"), {"note": "内容空洞，无具体人和事"})
    assert response.status_code == 302
    assert response["Location"] == reverse("clue-detail", kwargs={"pk": clue.pk})
    assert list(get_messages(response.wsgi_request))
    clue.refresh_from_db()
    assert clue.state == State.INVALID


def test_the_assign_form_offers_only_units_of_the_users_office(client, org, clerk):
    clue = triage_valid(org, receive(org))
    client.force_login(clerk)
    html = client.get(_url(clue, "assign"), **HX).content.decode()
    assert "江汉区分局民族街派出所" in html
    assert "大智街派出所" not in html
    assert 'type="date"' in html


def test_the_sign_form_shows_the_step_and_the_hash_that_will_be_signed(client, org):
    clue = to_concluded(org, receive(org))
    services.clue_sign(clue=clue, actor=org.users[FIVE_CHIEFS[0]])
    client.force_login(org.users["deputy.minzu"])
    track = clue.assignments.get()
    response = client.get(_url(clue, "sign") + f"?assignment={track.pk}", **HX)
    assert response.status_code == 200
    html = response.content.decode()
    from saohei.audit.canonical import sha256_hex

    assert "派出所分管副所长" in html
    assert sha256_hex(track.verification.signed_content()) in html


def test_a_clue_walks_from_received_to_closed_through_the_forms(client, org, clerk, verifier):
    clue = receive(org)

    def move(user, name, data=None, assignment=True):
        client.force_login(user)
        payload = dict(data or {})
        if assignment and clue.assignments.filter(active=True).exists():
            payload["assignment"] = str(clue.assignments.get(active=True).pk)
        response = client.post(_url(clue, name), payload, **HX)
        assert response.status_code == 200, response.content.decode()[:2000]
        return response

    move(clerk, "triage_valid", {"category": "forced_transactions", "priority": "2"})
    move(clerk, "assign", {"unit": str(org.units["jh_minzu"].pk), "note": "请于期限内核查"})
    move(verifier, "start")
    move(
        verifier,
        "record_musts",
        {
            "reporter_met": "met",
            "reporter_met_note": "电话约见并当面询问",
            "content_rechecked": "on",
            "content_recheck_note": "走访商户",
            "feedback_planned": "on",
        },
    )
    move(
        verifier, "conclude", {"conclusion": "unsubstantiated", "finding": "经走访核实，未发现强迫交易事实。"}
    )
    for username in FIVE_CHIEFS:
        move(org.users[username], "sign", {"comment": "同意"})
    move(clerk, "feedback", {"text": "经核查，您反映的问题未查实。"})
    move(org.users["head.minzu"], "reply", {"text": "已按要求核查完毕，结论已签批。"})
    response = move(clerk, "close", {"note": "办结"})
    clue.refresh_from_db()
    assert clue.state == State.CLOSED
    assert 'data-move="reopen"' in response.content.decode()


def test_a_higher_office_puts_a_clue_under_supervision(client, org, clerk, city_director):
    clue = triage_valid(org, receive(org))
    client.force_login(city_director)
    html = client.get(reverse("clue-detail", kwargs={"pk": clue.pk})).content.decode()
    assert 'data-move="supervise"' in html
    response = client.post(_url(clue, "supervise"), {"level": "municipal", "interval_days": "15"}, **HX)
    assert response.status_code == 200
    clue.refresh_from_db()
    assert clue.supervision_level == "municipal"
    assert clue.supervision_interval_days == 15

"""The case page and its actions: what it shows, modal forms, htmx submission, refusals, the no-JS fallback;
forming a case and opening a review from the clue's page; the review page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from saohei.cases import services
from saohei.cases.choices import AssetState, Custody, ReviewState, Stage
from saohei.cases.models import AccountabilityReview, Case, Suspect
from saohei.cases.templatetags.case_page import wan
from saohei.cases.tests.case_helpers import days_ago, new_case, signed_clue
from saohei.orgs.choices import WorkingGroupKind
from saohei.orgs.services import working_group_create

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def _page(client, case: Case) -> str:
    response = client.get(reverse("case-detail", kwargs={"pk": case.pk}))
    assert response.status_code == 200
    return response.content.decode()


def _url(case: Case, name: str, target=None) -> str:
    url = reverse("case-action", kwargs={"pk": case.pk, "name": name})
    return f"{url}?target={target.pk}" if target is not None else url


def _buttons(html: str) -> set[str]:
    import re

    return set(re.findall(r'data-action="([a-z_]+)"', html))


@pytest.fixture
def full_case(org):
    """A case with an organisation, two stages, a consultation, suspects, assets and a fugitive."""
    chief, director = org.users["chief.jianghan"], org.users["director.jianghan"]
    case = new_case(org, filed_days_ago=150, lead_official="周建国", lead_official_position="区委政法委书记",
                    offences=["forced_transactions", "extortion"])
    services.case_stage_advance(actor=chief, case=case, stage=Stage.PROSECUTION_REVIEW,
                                unit=org.units["jh_procuratorate"], started_on=days_ago(60), note="移送审查起诉")
    services.consultation_record(actor=director, case=case, held_on=days_ago(70), topic="团伙性质认定",
                                 decisions="认定为恶势力犯罪集团", participants=[org.units["jh_procuratorate"]])
    leader = services.suspect_add(actor=director, case=case, name="万某", alias="万老大", role="leader",
                                  custody=Custody.DETAINED, custody_on=days_ago(140))
    services.suspect_custody_change(actor=director, suspect=leader, custody=Custody.ARRESTED, on=days_ago(110))
    services.suspect_add(actor=director, case=case, name="李某", role="member")
    services.asset_record(actor=director, case=case, kind="deposit", description="万某名下银行存款", holder="万某",
                          amount="27160000", state=AssetState.FROZEN, secured_on=days_ago(100))
    seized = services.asset_record(actor=director, case=case, kind="vehicle", description="宝马轿车一辆",
                                   amount="300000", state=AssetState.SEIZED, secured_on=days_ago(100))
    services.asset_state_change(actor=director, asset=seized, state=AssetState.CONFISCATED, on=days_ago(10))
    team = working_group_create(office=org.offices["jianghan"], name="万某案追逃专班",
                                kind=WorkingGroupKind.PURSUIT_TEAM, units=[org.units["jh_brigade"]], actor=None)
    services.fugitive_add(actor=director, office=case.office, jurisdiction=case.jurisdiction, case=case,
                          name="王某", listed_on=days_ago(120), pursuit_team=team)
    return Case.objects.get(pk=case.pk)


def test_the_case_page_shows_organisation_offences_stages_consultations_suspects_assets_fugitives_and_clues(
        client, org, full_case):
    client.force_login(org.users["director.jianghan"])
    html = _page(client, full_case)
    for text in ("万某恶势力团伙", "万某", "周建国", "区委政法委书记", "江汉区人民检察院", "移送审查起诉",
                 "团伙性质认定", "认定为恶势力犯罪集团", "万老大", "宝马轿车一辆", "王某", "万某案追逃专班"):
        assert text in html, text
    assert str(full_case.clues.get().number) in html
    offences = html[html.index('id="case-offences"'):][:400]
    assert "强迫交易" in offences and "敲诈勒索" in offences
    suspects = html[html.index('id="case-suspects"'):]
    assert days_ago(140).isoformat() in suspects and days_ago(110).isoformat() in suspects  # first dates
    totals = html[html.index('id="asset-totals"'):][:600]
    with translation.override("zh-hans"):
        assert escape(wan(Decimal("27160000"))) in totals  # frozen: counted as secured
        assert escape(wan(Decimal("300000"))) in totals  # confiscated: shown apart


def test_amounts_are_written_in_wan_and_yi_yuan():
    with translation.override("en"):
        assert wan(Decimal("27160000")) == "2,716.00 ten thousand yuan (万元)"
        assert wan(Decimal("142050000")) == "1.4205 hundred million yuan (亿元)"
        assert wan(None) == "0.00 ten thousand yuan (万元)"


def test_each_action_is_offered_only_to_those_the_policy_allows(client, org, full_case):
    client.force_login(org.users["director.jianghan"])
    director = _buttons(_page(client, full_case))
    assert {"advance", "suspect_add", "asset_add", "umbrella_open", "void", "review_open", "custody",
            "asset_state", "fugitive_outcome", "edit"} <= director
    client.force_login(org.users["chief.jianghan"])  # the investigating brigade: no longer at its stage
    chief = _buttons(_page(client, full_case))
    assert {"suspect_add", "asset_add", "custody", "outcome", "edit", "fugitive_add"} <= chief
    assert not chief & {"advance", "void", "umbrella_open", "review_open", "void_umbrella"}
    client.force_login(org.users["prosecutor.jianghan"])  # the stage's unit
    assert {"advance", "suspect_add", "outcome"} <= _buttons(_page(client, full_case))
    client.force_login(org.users["liaison.jianghan"])
    liaison = _buttons(_page(client, full_case))
    assert "umbrella_open" in liaison and "suspect_add" not in liaison and "advance" not in liaison
    client.force_login(org.users["stats.jianghan"])
    assert _buttons(_page(client, full_case)) == {"fugitive_add", "fugitive_outcome", "void_fugitive"}


def test_an_action_form_opens_in_the_modal_and_posts_back_into_the_panel(client, org, full_case):
    client.force_login(org.users["chief.jianghan"])
    response = client.get(_url(full_case, "solve"), **HX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and 'class="modal-box"' in html
    assert f'hx-post="{_url(full_case, "solve")}"' in html and 'hx-target="#case-panel"' in html
    response = client.post(_url(full_case, "solve"), {"solved_on": days_ago(50).isoformat()}, **HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="case-panel"' in html and 'hx-swap-oob="true"' in html and 'id="move-notice"' in html
    assert days_ago(50).isoformat() in html[html.index('id="case-solved"'):][:80]
    assert Case.objects.get(pk=full_case.pk).solved_on == days_ago(50)
    assert "solve" not in _buttons(html)  # solved once


def test_a_refused_action_shows_the_reason_in_the_modal_and_keeps_what_was_typed(client, org, full_case):
    client.force_login(org.users["prosecutor.jianghan"])
    response = client.post(_url(full_case, "advance"), {
        "stage": Stage.INDICTED, "unit": org.units["jh_procuratorate"].pk, "started_on": days_ago(61).isoformat(),
        "note": "提起公诉的备注"}, **HX)
    assert response.status_code == 422 and response["HX-Retarget"] == "#modal"
    html = response.content.decode()
    assert 'id="move-errors"' in html and "提起公诉的备注" in html
    assert Case.objects.get(pk=full_case.pk).stage == Stage.PROSECUTION_REVIEW
    response = client.post(_url(full_case, "advance"), {"stage": Stage.INDICTED}, **HX)  # the form refuses
    assert response.status_code == 422 and 'class="form-error"' in response.content.decode()


def test_an_action_the_user_may_not_take_is_refused_with_403(client, org, full_case):
    client.force_login(org.users["chief.jianghan"])
    assert client.get(_url(full_case, "void"), **HX).status_code == 403
    assert client.post(_url(full_case, "void"), {"reason": "试图作废"}, **HX).status_code == 403
    assert Case.objects.get(pk=full_case.pk).voided_at is None
    assert client.get(_url(full_case, "no_such_action")).status_code == 404


def test_without_javascript_an_action_is_a_page_and_redirects_back_with_a_message(client, org, full_case):
    client.force_login(org.users["director.jianghan"])
    suspect = Suspect.objects.get(case=full_case, name="李某")
    response = client.get(_url(full_case, "custody", suspect))
    assert response.status_code == 200 and "<html" in response.content.decode()
    response = client.post(_url(full_case, "custody"), {"target": suspect.pk, "custody": Custody.DETAINED,
                                                        "on": days_ago(3).isoformat()})
    assert response.status_code == 302 and response["Location"] == reverse("case-detail", kwargs={"pk": full_case.pk})
    assert list(get_messages(response.wsgi_request))
    suspect.refresh_from_db()
    assert suspect.custody == Custody.DETAINED and suspect.detained_on == days_ago(3)


def test_a_record_of_another_case_cannot_be_targeted(client, org, full_case):
    other = new_case(org, title="另一案件")
    stranger = services.suspect_add(actor=org.users["director.jianghan"], case=other, name="陈某", role="member")
    client.force_login(org.users["director.jianghan"])
    assert client.get(_url(full_case, "custody", stranger)).status_code == 404
    assert client.get(_url(full_case, "custody")).status_code == 404


def test_the_clue_page_offers_to_form_a_case_and_the_new_case_is_linked(client, org):
    clue = signed_clue(org)
    clue_url = reverse("clue-detail", kwargs={"pk": clue.pk})
    client.force_login(org.users["clerk.jianghan"])
    assert 'id="form-case"' not in client.get(clue_url).content.decode()
    assert client.get(f"{reverse('case-create')}?clue={clue.pk}").status_code == 403
    client.force_login(org.users["verifier.jiangan"])
    assert client.get(f"{reverse('case-create')}?clue={clue.pk}").status_code == 404
    client.force_login(org.users["chief.jianghan"])
    html = client.get(clue_url).content.decode()
    assert 'id="form-case"' in html and 'id="open-review"' not in html
    create = f"{reverse('case-create')}?clue={clue.pk}"
    form = client.get(create)
    assert form.status_code == 200 and clue.title in form.content.decode()
    response = client.post(create, {
        "clue": clue.pk, "office": org.offices["jianghan"].pk, "jurisdiction": "420103",
        "unit": org.units["jh_brigade"].pk, "kind": "criminal", "title": "万某强迫交易案",
        "organization_type": "evil_force_gang", "organization_name": "万某团伙", "offences": ["forced_transactions"],
        "filed_on": days_ago(1).isoformat(), "supervision_level": "",
    })
    case = Case.objects.get(title="万某强迫交易案")
    assert response.status_code == 302 and response["Location"] == reverse("case-detail", kwargs={"pk": case.pk})
    assert list(case.clues.all()) == [clue] and case.stage_unit == org.units["jh_brigade"]
    assert case.number in client.get(clue_url).content.decode()


def test_an_unsubstantiated_clue_offers_a_review_and_the_review_page_records_the_finding(client, org):
    clue = signed_clue(org, "unsubstantiated")
    case = new_case(org)
    client.force_login(org.users["director.jianghan"])
    html = client.get(reverse("clue-detail", kwargs={"pk": clue.pk})).content.decode()
    assert 'id="open-review"' in html and 'id="form-case"' not in html
    response = client.post(f"{reverse('review-open')}?clue={clue.pk}", {"case": "AJ-nonexistent", "reason": "理由"})
    assert response.status_code == 422
    response = client.post(f"{reverse('review-open')}?clue={clue.pk}",
                           {"case": case.number, "reason": "该案查明的事实与线索反映一致"})
    review = AccountabilityReview.objects.get(clue=clue, case=case)
    assert response.status_code == 302 and response["Location"] == reverse("review-detail", kwargs={"pk": review.pk})
    page = client.get(response["Location"]).content.decode()
    assert "head.jhbureau" in page or "黄德明" in page  # the signers are listed
    assert 'data-action="decide"' in page
    decide = reverse("review-decide", kwargs={"pk": review.pk})
    signer = review.signers.get(signer__username="verifier.jianghan")
    response = client.post(decide, {"finding": "negligent", "finding_text": "未调取监控即作出查否结论",
                                    f"signer_{signer.pk}": "misconduct"}, **HX)
    assert response.status_code == 200 and 'id="review-panel"' in response.content.decode()
    review.refresh_from_db()
    signer.refresh_from_db()
    assert review.state == ReviewState.DECIDED and signer.finding == "misconduct"
    assert client.get(decide).status_code == 403  # decided once
    client.force_login(org.users["director.jiangan"])
    assert client.get(reverse("review-detail", kwargs={"pk": review.pk})).status_code == 404


def test_the_review_action_on_the_case_page_takes_the_clue_number(client, org):
    clue = signed_clue(org, "unverifiable")
    case = new_case(org)
    client.force_login(org.users["supervisor.wuhan"])
    response = client.post(_url(case, "review_open"), {"clue": clue.number, "reason": "案件事实证明原结论有误"}, **HX)
    assert response.status_code == 200
    assert AccountabilityReview.objects.filter(clue=clue, case=case).exists()
    assert 'id="case-reviews"' in response.content.decode()

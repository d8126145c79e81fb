"""Who sees a case: each stage's unit from its stage on, the investigating unit, office staff of the subtree;
never a county that has nothing to do with it; and protection cases only for discipline commissions and
directors — the case page does not even hint at them for anyone else."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from saohei.cases import services
from saohei.cases.choices import Custody, Stage
from saohei.cases.models import Case
from saohei.cases.selectors import case_list_for_user, suspect_list_for_user, umbrella_list_for_user
from saohei.cases.tests.case_helpers import days_ago, new_case

pytestmark = pytest.mark.django_db

OFFICIAL = "刘保护"


def _sees(client, user, case: Case) -> bool:
    client.force_login(user)
    status = client.get(reverse("case-detail", kwargs={"pk": case.pk})).status_code
    listed = case_list_for_user(user=user).filter(pk=case.pk).exists()
    assert (status == 200) == listed, (user.username, status, listed)
    assert status in (200, 404)
    return listed


def _advance(org, case: Case, *steps: tuple[str, str, int]) -> None:
    for stage, unit, ago in steps:
        services.case_stage_advance(actor=org.users["director.jianghan"], case=case, stage=stage,
                                    unit=org.units[unit], started_on=days_ago(ago))


def test_a_court_never_sees_a_case_before_it_reaches_the_court(client, org):
    case = new_case(org, filed_days_ago=200)
    judge, prosecutor = org.users["judge.jianghan"], org.users["prosecutor.jianghan"]
    assert not _sees(client, judge, case) and not _sees(client, prosecutor, case)
    _advance(org, case, (Stage.PROSECUTION_REVIEW, "jh_procuratorate", 150), (Stage.INDICTED, "jh_procuratorate", 120))
    assert _sees(client, prosecutor, case)
    assert not _sees(client, judge, case)
    assert client.get(reverse("case-action", kwargs={"pk": case.pk, "name": "suspect_add"})).status_code == 404
    _advance(org, case, (Stage.FIRST_INSTANCE, "jh_court", 90))
    assert _sees(client, judge, case)
    assert _sees(client, prosecutor, case)  # a stage it handled stays in its sight


def test_a_police_verifier_of_another_county_never_sees_it(client, org):
    case = new_case(org)
    services.suspect_add(actor=org.users["director.jianghan"], case=case, name="万某", role="leader",
                         custody=Custody.DETAINED, custody_on=days_ago(10))
    other = org.users["verifier.jiangan"]
    assert not _sees(client, other, case)
    assert not suspect_list_for_user(user=other).exists()
    assert client.get(reverse("case-action", kwargs={"pk": case.pk, "name": "solve"})).status_code == 404


def test_the_investigating_unit_and_the_offices_of_the_subtree_see_their_case(client, org):
    case = new_case(org, unit="jh_minzu", actor="verifier.jianghan")
    for name in ("verifier.jianghan", "head.minzu", "chief.jianghan", "head.jhbureau", "clerk.jianghan",
                 "director.jianghan", "director.wuhan", "supervisor.wuhan"):
        assert _sees(client, org.users[name], case), name
    for name in ("verifier.wansong", "director.jiangan", "clerk.jiangan", "judge.jianghan", "discipline.jianghan"):
        assert not _sees(client, org.users[name], case), name


def _panel(client, user, case: Case) -> str:
    client.force_login(user)
    response = client.get(reverse("case-detail", kwargs={"pk": case.pk}))
    assert response.status_code == 200, user.username
    return response.content.decode()


def test_an_umbrella_is_seen_only_by_discipline_commissions_and_directors(client, org):
    case = new_case(org, filed_days_ago=200)
    umbrella = services.umbrella_open(actor=org.users["liaison.jianghan"], case=case, name=OFFICIAL,
                                      position="某街道办事处副主任", handling_unit=org.units["jh_discipline"],
                                      opened_on=days_ago(30))
    _advance(org, case, (Stage.PROSECUTION_REVIEW, "jh_procuratorate", 150), (Stage.INDICTED, "jh_procuratorate", 120),
             (Stage.FIRST_INSTANCE, "jh_court", 90))
    for name in ("director.jianghan", "director.wuhan", "liaison.jianghan", "discipline.jianghan",
                 "head.jhdiscipline"):
        html = _panel(client, org.users[name], case)
        assert 'id="three-protection"' in html and OFFICIAL in html, name
        assert umbrella_list_for_user(user=org.users[name]).filter(pk=umbrella.pk).exists()
    for name in ("chief.jianghan", "head.jhbureau", "clerk.jianghan", "stats.jianghan", "judge.jianghan",
                 "prosecutor.jianghan", "supervisor.wuhan"):
        user = org.users[name]
        html = _panel(client, user, case)
        assert 'id="three-protection"' not in html and OFFICIAL not in html, name
        assert "umbrella" not in html.replace('id="three-crime"', ""), name  # no button, no link, no count
        assert not umbrella_list_for_user(user=user).exists()
        for action in ("umbrella_open", "umbrella_conclude", "void_umbrella"):
            url = reverse("case-action", kwargs={"pk": case.pk, "name": action}) + f"?target={umbrella.pk}"
            assert client.get(url).status_code == 404, (name, action)
    # Their page is the same whether or not an umbrella exists.
    bare = new_case(org, filed_days_ago=200, title=case.title)
    _advance(org, bare, (Stage.PROSECUTION_REVIEW, "jh_procuratorate", 150),
             (Stage.INDICTED, "jh_procuratorate", 120), (Stage.FIRST_INSTANCE, "jh_court", 90))
    judge = org.users["judge.jianghan"]
    assert _structure(_panel(client, judge, case), case) == _structure(_panel(client, judge, bare), bare)


def _structure(html: str, case: Case) -> str:
    """The page without what legitimately differs between two cases (numbers, ids, clue numbers)."""
    start = html.index('id="case-panel"')
    body = html[start:html.index('id="case-clues"')]
    body = body.replace(case.number, "N").replace(f"/cases/{case.pk}/", "/cases/P/")
    return re.sub(r"\s+", " ", body)


def test_a_discipline_commission_sees_only_the_cases_it_handles_an_umbrella_on(client, org):
    case = new_case(org)
    commission = org.users["discipline.jianghan"]
    assert not _sees(client, commission, case)
    services.umbrella_open(actor=org.users["director.jianghan"], case=case, name=OFFICIAL, position="科长",
                           handling_unit=org.units["jh_discipline"], opened_on=days_ago(3))
    assert _sees(client, commission, case)

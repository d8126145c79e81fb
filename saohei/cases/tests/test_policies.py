"""The policies answer both questions alike: "may this user?" and "who may?"."""

from __future__ import annotations

import pytest

from saohei.cases import policies, services
from saohei.cases.choices import Stage
from saohei.cases.tests.case_helpers import days_ago, new_case, signed_clue
from saohei.demo.org import PERSONAS

pytestmark = pytest.mark.django_db

NAMES = sorted({p[0] for p in PERSONAS})


def _who(users) -> set[str]:
    return set(users.values_list("username", flat=True))


def _may(org, check) -> set[str]:
    return {name for name in NAMES if check(org.users[name])}


def test_who_may_open_a_case_in_jianghan(org):
    office = org.offices["jianghan"]
    who = _who(policies.who_may_create_case(office))
    assert who == _may(org, lambda u: policies.may_create_case(u, office))
    assert {"director.jianghan", "director.wuhan", "chief.jianghan", "verifier.jianghan", "head.jhbureau",
            "verifier.wuhan"} <= who
    assert not who & {"verifier.jiangan", "judge.jianghan", "prosecutor.jianghan", "clerk.jianghan",
                      "discipline.jianghan", "director.jiangan", "liaison.jianghan"}


def test_who_works_on_and_moves_a_case_follows_its_stage(org):
    case = new_case(org)
    assert _who(policies.who_may_work_on_case(case)) == _may(org, lambda u: policies.may_work_on_case(u, case))
    assert _who(policies.who_may_advance_stage(case)) == _may(org, lambda u: policies.may_advance_stage(u, case))
    assert "chief.jianghan" in _who(policies.who_may_advance_stage(case))
    services.case_stage_advance(actor=org.users["chief.jianghan"], case=case, stage=Stage.PROSECUTION_REVIEW,
                                unit=org.units["jh_procuratorate"], started_on=days_ago(3))
    case.refresh_from_db()
    movers = _who(policies.who_may_advance_stage(case))
    assert movers == _may(org, lambda u: policies.may_advance_stage(u, case))
    assert "prosecutor.jianghan" in movers and "chief.jianghan" not in movers
    workers = _who(policies.who_may_work_on_case(case))
    assert workers == _may(org, lambda u: policies.may_work_on_case(u, case))
    assert {"prosecutor.jianghan", "chief.jianghan", "director.jianghan"} <= workers  # the investigating unit stays
    assert not workers & {"judge.jianghan", "verifier.jiangan", "clerk.jianghan", "liaison.jianghan"}
    assert _who(policies.who_may_void_case(case)) == {"director.jianghan", "director.wuhan"}


def test_who_handles_umbrellas_and_fugitives_at_a_path(org):
    path = org.places["jianghan"].path
    umbrellas = _who(policies.who_may_handle_umbrellas(path))
    assert umbrellas == _may(org, lambda u: policies.may_handle_umbrellas(u, path))
    assert {"director.jianghan", "director.wuhan", "liaison.jianghan", "discipline.jianghan",
            "head.jhdiscipline"} <= umbrellas
    assert not umbrellas & {"chief.jianghan", "clerk.jianghan", "supervisor.wuhan", "judge.jianghan"}
    fugitives = _who(policies.who_may_handle_fugitives(path))
    assert fugitives == _may(org, lambda u: policies.may_handle_fugitives(u, path))
    assert {"clerk.jianghan", "stats.jianghan", "supervisor.wuhan", "liaison.jianghan"} <= fugitives
    assert not fugitives & {"chief.jianghan", "verifier.jiangan", "judge.jianghan", "director.jiangan"}
    case = new_case(org, unit="jh_wansong", actor="verifier.wansong", clues=[], origin="police")
    of_case = _who(policies.who_may_handle_fugitives(path, case))
    assert of_case == _may(org, lambda u: policies.may_handle_fugitives(u, path, case))
    assert of_case - fugitives == {"verifier.wansong", "deputy.wansong", "head.wansong", "deputy.jhbureau",
                                   "head.jhbureau"}


def test_who_opens_and_who_decides_a_review(org):
    clue = signed_clue(org, "unsubstantiated")
    openers = _who(policies.who_may_open_review(clue))
    assert openers == _may(org, lambda u: policies.may_open_review(u, clue))
    assert openers == {"director.jianghan", "director.wuhan", "supervisor.wuhan"}
    review = services.accountability_review_open(actor=org.users["director.wuhan"], clue=clue, case=new_case(org),
                                                 reason="案件查明的事实与线索一致")
    deciders = _who(policies.who_may_decide_review(review))
    assert deciders == _may(org, lambda u: policies.may_decide_review(u, review))
    assert deciders == {"director.jianghan", "director.wuhan", "supervisor.wuhan"}

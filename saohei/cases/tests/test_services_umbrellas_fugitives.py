"""Protective umbrellas (handled by discipline commissions) and target fugitives."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from saohei.audit.models import AuditEvent
from saohei.cases import services
from saohei.cases.choices import FugitiveLocation, FugitiveOutcome, UmbrellaOutcome, UmbrellaState
from saohei.cases.models import Fugitive, Umbrella
from saohei.cases.tests.case_helpers import days_ago, dual_clue, new_case, signed_clue
from saohei.orgs.choices import WorkingGroupKind
from saohei.orgs.services import working_group_create

pytestmark = pytest.mark.django_db


def _open(org, actor: str, **kw):
    fields = {"name": "刘某", "position": "某街道办事处副主任", "handling_unit": org.units["jh_discipline"],
              "opened_on": days_ago(30)}
    fields.update(kw)
    return services.umbrella_open(actor=org.users[actor], **fields)


def test_an_umbrella_on_a_case_is_handled_by_a_discipline_commission_and_takes_the_case_path(org):
    case = new_case(org)
    with translation.override("en"), pytest.raises(ValidationError, match="discipline"):
        _open(org, "director.jianghan", case=case, handling_unit=org.units["jh_court"])
    with pytest.raises(ValidationError):  # the 江岸 commission does not cover 江汉
        _open(org, "director.wuhan", case=case, handling_unit=org.units["ja_discipline"])
    umbrella = _open(org, "liaison.jianghan", case=case)
    assert umbrella.jurisdiction_path == case.jurisdiction_path and umbrella.office == case.office
    assert umbrella.state == UmbrellaState.UNDER_INVESTIGATION
    city = _open(org, "director.wuhan", case=case, handling_unit=org.units["wh_discipline"], name="陈某")
    assert city.handling_unit == org.units["wh_discipline"]
    event = AuditEvent.objects.get(action="umbrella.open", object_id=str(umbrella.pk))
    assert event.after["case_number"] == case.number


@pytest.mark.parametrize("actor", ["chief.jianghan", "judge.jianghan", "clerk.jianghan", "director.jiangan"])
def test_only_discipline_commissions_directors_and_liaisons_open_umbrellas(org, actor):
    case = new_case(org)
    with pytest.raises(PermissionDenied):
        _open(org, actor, case=case)
    assert not Umbrella.objects.exists()


def test_an_umbrella_from_a_clue_needs_the_clues_discipline_track(org):
    plain = signed_clue(org)
    with translation.override("en"), pytest.raises(ValidationError, match="discipline"):
        _open(org, "discipline.jianghan", clue=plain)
    clue = dual_clue(org)
    umbrella = _open(org, "discipline.jianghan", clue=clue)
    assert umbrella.case is None and umbrella.jurisdiction_path == clue.jurisdiction_path
    with pytest.raises(ValidationError):
        _open(org, "discipline.jianghan")  # neither a case nor a clue


def test_concluding_an_umbrella_once_not_before_it_was_opened(org):
    umbrella = _open(org, "discipline.jianghan", case=new_case(org))
    actor = org.users["head.jhdiscipline"]
    with pytest.raises(ValidationError):
        services.umbrella_conclude(actor=actor, umbrella=umbrella, outcome=UmbrellaOutcome.PARTY_DISCIPLINE,
                                   outcome_on=days_ago(31))
    with pytest.raises(ValidationError):
        services.umbrella_conclude(actor=actor, umbrella=umbrella, outcome="", outcome_on=days_ago(3))
    with pytest.raises(PermissionDenied):
        services.umbrella_conclude(actor=org.users["chief.jianghan"], umbrella=umbrella,
                                   outcome=UmbrellaOutcome.PARTY_DISCIPLINE, outcome_on=days_ago(3))
    services.umbrella_conclude(actor=actor, umbrella=umbrella, outcome=UmbrellaOutcome.TRANSFERRED_JUDICIAL,
                               outcome_on=days_ago(3), handling="给予开除党籍、开除公职处分，移送检察机关")
    umbrella.refresh_from_db()
    assert (umbrella.state, umbrella.outcome, umbrella.outcome_on) == (
        UmbrellaState.CONCLUDED, UmbrellaOutcome.TRANSFERRED_JUDICIAL, days_ago(3))
    with pytest.raises(ValidationError):
        services.umbrella_conclude(actor=actor, umbrella=umbrella, outcome=UmbrellaOutcome.PARTY_DISCIPLINE,
                                   outcome_on=days_ago(1))


def _team(org, office: str = "jianghan"):
    return working_group_create(office=org.offices[office], name="万某追逃专班", kind=WorkingGroupKind.PURSUIT_TEAM,
                                units=[org.units["jh_brigade"]], actor=None)


def test_a_fugitive_of_a_case_takes_its_path_and_its_outcome_once_not_before_listing(org):
    case = new_case(org)
    chief = org.users["chief.jianghan"]
    suspect = services.suspect_add(actor=chief, case=case, name="万某", role="leader")
    f = services.fugitive_add(actor=chief, office=org.offices["jianghan"], jurisdiction=org.places["jianghan"],
                              name="万某", listed_on=days_ago(200), suspect=suspect, pursuit_team=_team(org),
                              location=FugitiveLocation.ABROAD)
    assert f.case == case and f.jurisdiction_path == case.jurisdiction_path and f.year_listed == days_ago(200).year
    with pytest.raises(ValidationError):
        services.fugitive_outcome_record(actor=chief, fugitive=f, outcome=FugitiveOutcome.EXTRADITED,
                                         on=days_ago(201))
    with pytest.raises(ValidationError):
        services.fugitive_outcome_record(actor=chief, fugitive=f, outcome=FugitiveOutcome.AT_LARGE, on=days_ago(5))
    services.fugitive_outcome_record(actor=chief, fugitive=f, outcome=FugitiveOutcome.EXTRADITED, on=days_ago(5),
                                     note="经国际执法合作引渡回国")
    f.refresh_from_db()
    assert (f.outcome, f.outcome_on) == (FugitiveOutcome.EXTRADITED, days_ago(5))
    with pytest.raises(ValidationError, match="already"), translation.override("en"):
        services.fugitive_outcome_record(actor=chief, fugitive=f, outcome=FugitiveOutcome.DIED, on=days_ago(1))
    assert AuditEvent.objects.filter(object_type="fugitive", object_id=str(f.pk)).count() == 2


def test_fugitives_are_listed_by_office_staff_of_the_subtree_and_the_police_of_the_case(org):
    kw = {"office": org.offices["jianghan"], "jurisdiction": org.places["jianghan"], "name": "何某",
          "listed_on": days_ago(400)}
    assert services.fugitive_add(actor=org.users["clerk.jianghan"], **kw).pk
    case = new_case(org, unit="jh_wansong", actor="verifier.wansong", clues=[], origin="police")
    with pytest.raises(PermissionDenied):  # a police station lists the fugitives of its own cases
        services.fugitive_add(actor=org.users["verifier.wansong"], **kw)
    assert services.fugitive_add(actor=org.users["verifier.wansong"], case=case, **kw).case == case
    for user in ("verifier.jiangan", "judge.jianghan", "director.jiangan", "verifier.jianghan"):
        with pytest.raises(PermissionDenied):
            services.fugitive_add(actor=org.users[user], case=case, **kw)
    with pytest.raises(ValidationError):  # the jurisdiction lies outside the office
        services.fugitive_add(actor=org.users["director.wuhan"], **{**kw, "jurisdiction": org.places["jiangan"]})
    with pytest.raises(ValidationError):  # listing in the future
        services.fugitive_add(actor=org.users["clerk.jianghan"], **{**kw, "listed_on": days_ago(-2)})
    with pytest.raises(ValidationError):  # a pursuit team of another district
        services.fugitive_add(actor=org.users["director.wuhan"], **{**kw, "pursuit_team": _team(org, "jiangan")})
    assert Fugitive.objects.count() == 2

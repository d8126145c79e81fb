"""Monthly tallies: the figures read from them equal the figures counted from the rows, after every
kind of change the services make, for periods of whole months and for periods with partial months."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from saohei.cases import services
from saohei.cases.choices import AssetState, Custody, Stage, SuspectOutcome
from saohei.cases.tests.case_helpers import days_ago, new_case, signed_clue
from saohei.core.models import TallyStale
from saohei.figures.models import OutcomeTally
from saohei.figures.outcomes import COUNT_NAMES, OutcomeFigures, outcome_figures
from saohei.figures.tallies import (
    outcome_tallies_rebuild,
    outcome_tallies_refresh,
    outcome_tallies_verify,
    period_parts,
)


def test_a_period_is_cut_into_whole_months_and_partial_ends():
    parts = period_parts(dt.date(2025, 1, 15), dt.date(2025, 4, 10))
    assert (parts.first_month, parts.last_month) == (dt.date(2025, 2, 1), dt.date(2025, 3, 1))
    assert parts.partial == ((dt.date(2025, 1, 15), dt.date(2025, 1, 31)), (dt.date(2025, 4, 1), dt.date(2025, 4, 10)))
    whole = period_parts(dt.date(2024, 12, 1), dt.date(2025, 2, 28))
    assert (whole.first_month, whole.last_month, whole.partial) == (dt.date(2024, 12, 1), dt.date(2025, 2, 1), ())
    inside = period_parts(dt.date(2025, 3, 2), dt.date(2025, 3, 30))
    assert (inside.first_month, inside.partial) == (None, ((dt.date(2025, 3, 2), dt.date(2025, 3, 30)),))
    straddling = period_parts(dt.date(2025, 3, 20), dt.date(2025, 4, 5))
    assert straddling.first_month is None
    assert straddling.partial == ((dt.date(2025, 3, 20), dt.date(2025, 3, 31)),
                                  (dt.date(2025, 4, 1), dt.date(2025, 4, 5)))


def _values(f: OutcomeFigures) -> dict[str, Any]:
    def of(outcomes: Any) -> dict[str, Any]:
        out = {name: getattr(outcomes, name).value for name in COUNT_NAMES}
        out["assets"] = (outcomes.assets_secured.value, outcomes.assets_secured.count)
        return out

    return {"totals": of(f.totals), "states": f.secured_states,
            **{f"child {c.code} {c.own_level}": of(c.figures) for c in f.by_child}}


def _periods() -> list[tuple[dt.date, dt.date]]:
    today = timezone.localdate()
    this_month = today.replace(day=1)
    year_ago = this_month.replace(year=this_month.year - 1)
    return [
        (year_ago, this_month - dt.timedelta(days=1)),  # twelve whole months
        (today - dt.timedelta(days=300), today),  # partial months at both ends
        (year_ago, today),  # whole months and the partial current month
        (this_month - dt.timedelta(days=40), this_month - dt.timedelta(days=35)),  # a few days of one month
        (this_month.replace(day=1) - dt.timedelta(days=70), today - dt.timedelta(days=2)),  # most of the months
    ]


def _agree(org: Any) -> dict[str, Any]:
    """Figures from the tallies equal the figures from the rows for every period, for a director who
    sees the whole city; the stored tallies equal a recount. Returns the totals up to today."""
    director, city = org.users["director.wuhan"], org.places["wuhan"]
    totals: dict[str, Any] = {}
    for i, (start, end) in enumerate(_periods()):
        tallied = outcome_figures(user=director, jurisdiction=city, start=start, end=end)
        counted = outcome_figures(user=director, jurisdiction=city, start=start, end=end, tallies=False)
        assert _values(tallied) == _values(counted), (start, end)
        if i == 2:  # the last twelve months up to today
            totals = _values(tallied)["totals"]
    assert not TallyStale.objects.exists()
    assert outcome_tallies_verify() == []
    return totals


@pytest.mark.django_db
def test_the_tallies_follow_every_change_the_services_make(org):
    director, chief = org.users["director.jianghan"], org.users["chief.jianghan"]
    case = new_case(org, filed_days_ago=150)
    totals = _agree(org)
    assert totals["filed_evil_force_gang"] == 1 and totals["clues_formed_case"] == 1
    assert OutcomeTally.objects.exists()

    services.case_solve(actor=director, case=case, solved_on=days_ago(120))
    services.case_destroyed_record(actor=director, case=case, destroyed_on=days_ago(100))
    services.case_update(actor=chief, case=case, organization_type="mafia_type_organization",
                         filed_on=days_ago(160))
    totals = _agree(org)
    assert (totals["cases_solved"], totals["destroyed_mafia_type"], totals["destroyed_evil_force_gang"]) == (1, 1, 0)

    leader = services.suspect_add(actor=chief, case=case, name="万某", role="leader", custody=Custody.DETAINED,
                                  custody_on=days_ago(140), surrendered=True)
    services.suspect_custody_change(actor=chief, suspect=leader, custody=Custody.ARRESTED, on=days_ago(110))
    asset = services.asset_record(actor=chief, case=case, kind="deposit", description="银行存款",
                                  amount=Decimal("1500000"), state=AssetState.FROZEN, secured_on=days_ago(90))
    services.asset_state_change(actor=chief, asset=asset, state=AssetState.CONFISCATED, on=days_ago(20))
    totals = _agree(org)
    assert (totals["suspects_captured"], totals["suspects_surrendered"]) == (1, 1)
    assert totals["assets"] == (Decimal("1500000.00"), 1)

    services.case_stage_advance(actor=chief, case=case, stage=Stage.PROSECUTION_REVIEW,
                                unit=org.units["jh_procuratorate"], started_on=days_ago(60))
    services.case_stage_advance(actor=org.users["prosecutor.jianghan"], case=case, stage=Stage.INDICTED,
                                unit=org.units["jh_procuratorate"], started_on=days_ago(30))
    services.suspect_outcome_record(actor=chief, suspect=leader, outcome=SuspectOutcome.INDICTED, on=days_ago(30))
    services.case_clue_link(actor=director, case=case, clue=signed_clue(org, subject="江汉区某砂场老板强迫交易"))
    totals = _agree(org)
    assert (totals["cases_indicted"], totals["persons_indicted"], totals["clues_formed_case"]) == (1, 1, 2)

    services.record_void(actor=director, record=case, reason="重复录入")
    totals = _agree(org)
    assert totals["clues_formed_case"] == 0 and totals["clues_concluded"] == 2
    assert all(v == 0 for k, v in totals.items() if k.startswith(("cases_", "suspects_", "filed_", "destroyed")))


@pytest.mark.django_db
def test_a_rebuild_recounts_rows_written_without_the_services(org):
    case = new_case(org, filed_days_ago=40)
    outcome_tallies_refresh()
    type(case).objects.filter(pk=case.pk).update(solved_on=days_ago(35))  # a bulk load bypasses the marks
    assert outcome_tallies_verify() != []
    outcome_tallies_rebuild()
    assert outcome_tallies_verify() == []
    assert _agree(org)["cases_solved"] == 1

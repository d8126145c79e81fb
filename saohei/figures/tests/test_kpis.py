"""Figures of the hand-counted scenario (see scenario.py) for 江汉, 江岸 and 武汉."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from saohei.clues.tests.helpers import receive
from saohei.figures.kpis import CLUE_COUNTS, REPORT_COUNTS, FigureSet, clue_figures, day_start
from saohei.figures.tests.scenario import JIANGAN, JIANGHAN, WUHAN

COUNTS = CLUE_COUNTS + REPORT_COUNTS


def values(fs: FigureSet) -> dict[str, int]:
    return {name: getattr(fs, name).value for name in COUNTS}


def figures_for(org, scenario, username, place):
    return clue_figures(
        user=org.users[username], jurisdiction=org.places[place], start=scenario.start, end=scenario.end
    )


def test_jianghan_figures_are_the_hand_counts(org, scenario):
    f = figures_for(org, scenario, "director.wuhan", "jianghan")
    assert values(f.totals) == JIANGHAN
    # The district's own office sees the same.
    assert values(figures_for(org, scenario, "director.jianghan", "jianghan").totals) == JIANGHAN


def test_wuhan_figures_are_the_sum_of_its_districts(org, scenario):
    f = figures_for(org, scenario, "director.wuhan", "wuhan")
    assert values(f.totals) == WUHAN
    assert [(r.code, r.own_level) for r in f.by_child] == [("420102", False), ("420103", False)]
    by_code = {r.code: values(r.figures) for r in f.by_child}
    assert by_code == {"420102": JIANGAN, "420103": JIANGHAN}


def test_rates_show_numerator_and_denominator(org, scenario):
    t = figures_for(org, scenario, "director.wuhan", "jianghan").totals
    assert (t.valid_rate.numerator.value, t.valid_rate.denominator.value, t.valid_rate.percent) == (
        4,
        6,
        66.7,
    )
    assert (t.verification_rate.numerator.value, t.verification_rate.denominator.value) == (2, 4)
    assert t.verification_rate.percent == 50.0
    assert (t.on_time_rate.numerator.value, t.on_time_rate.denominator.value) == (1, 2)
    assert (t.repeat_rate.numerator.value, t.repeat_rate.denominator.value, t.repeat_rate.percent) == (
        1,
        7,
        14.3,
    )
    assert (t.feedback_rate.numerator.value, t.feedback_rate.denominator.value) == (1, 6)
    assert t.feedback_rate.percent == 16.7


def test_a_rate_with_nothing_to_divide_by_has_no_value(org):
    today = timezone.localdate()
    t = clue_figures(
        user=org.users["director.wuhan"], jurisdiction=org.places["wuhan"], start=today, end=today
    ).totals
    assert t.verification_rate.value is None and t.verification_rate.percent is None
    assert t.reports_received.value == 0


def test_overdue_by_unit_counts_each_unit_with_the_units_below_it(org, scenario):
    rows = figures_for(org, scenario, "director.wuhan", "wuhan").overdue_by_unit
    got = {r.unit_name: (r.count.value, r.parent_name) for r in rows}
    assert got == {
        "武汉市公安局江汉区分局": (1, ""),
        "江汉区分局民族街派出所": (1, "武汉市公安局江汉区分局"),
        "武汉市公安局江岸区分局": (1, ""),
        "江岸区分局大智街派出所": (1, "武汉市公安局江岸区分局"),
    }
    jianghan = figures_for(org, scenario, "director.wuhan", "jianghan").overdue_by_unit
    assert {r.unit_name for r in jianghan} == {"武汉市公安局江汉区分局", "江汉区分局民族街派出所"}


def test_trend_by_iso_week_covers_the_period_and_adds_up(org, scenario):
    f = figures_for(org, scenario, "director.wuhan", "wuhan")
    assert f.trend[0].start == scenario.start and f.trend[-1].end == scenario.end
    for a, b in zip(f.trend, f.trend[1:], strict=False):
        assert b.start == a.end + dt.timedelta(days=1)
        assert b.start.isoweekday() == 1
    year, week, _ = scenario.end.isocalendar()
    assert f.trend[-1].label == f"{year}-W{week:02d}"
    assert sum(p.reports_received.value for p in f.trend) == WUHAN["reports_received"]
    assert sum(p.valid.value for p in f.trend) == WUHAN["valid"]
    assert sum(p.concluded.value for p in f.trend) == WUHAN["concluded"]


def test_the_period_is_whole_local_days(org):
    """A report at 23:59:59 local time on the last day counts; one at midnight after does not."""
    from saohei.clues import services

    today = timezone.localdate()
    end = today - dt.timedelta(days=10)
    for when in (
        day_start(end + dt.timedelta(days=1)) - dt.timedelta(seconds=1),
        day_start(end + dt.timedelta(days=1)),
        day_start(end - dt.timedelta(days=2)),
        day_start(end - dt.timedelta(days=2)) - dt.timedelta(seconds=1),
    ):
        services.report_receive(
            office=org.offices["jianghan"],
            jurisdiction=org.places["jianghan"],
            channel="hotline",
            subject="边界",
            content="边界测试举报内容",
            received_at=when,
            actor=org.users["clerk.jianghan"],
        )
    f = clue_figures(
        user=org.users["director.wuhan"],
        jurisdiction=org.places["jianghan"],
        start=end - dt.timedelta(days=2),
        end=end,
    )
    assert f.totals.reports_received.value == 2


def test_verifier_of_jiangan_sees_no_jianghan_figures(org, scenario):
    f = figures_for(org, scenario, "verifier.jiangan", "jianghan")
    assert set(values(f.totals).values()) == {0}
    assert f.overdue_by_unit == []
    assert all(p.reports_received.value == 0 and p.valid.value == 0 for p in f.trend)
    # At city level the 江岸 verifier sees only the clue assigned to their station (A1).
    city = figures_for(org, scenario, "verifier.jiangan", "wuhan")
    assert values(city.totals) == {
        "reports_received": 1,
        "triaged": 1,
        "valid": 1,
        "assigned": 1,
        "concluded": 0,
        "due": 1,
        "on_time": 0,
        "overdue": 1,
        "created": 1,
        "repeat": 0,
        "public_reachable": 1,
        "feedback_given": 0,
    }
    assert {r.unit_name for r in city.overdue_by_unit} == {"武汉市公安局江岸区分局", "江岸区分局大智街派出所"}


def test_a_district_office_sees_only_its_district_at_city_level(org, scenario):
    city = figures_for(org, scenario, "clerk.jianghan", "wuhan")
    assert values(city.totals) == JIANGHAN
    assert {r.code: values(r.figures)["reports_received"] for r in city.by_child} == {
        "420102": 0,
        "420103": 7,
    }


def test_clues_recorded_at_the_city_itself_get_a_row_of_their_own(org):
    receive(org, subject="市级直接受理")  # a 江汉 clue, so the city-level row has company
    from saohei.clues import services

    services.report_receive(
        office=org.offices["wuhan"],
        jurisdiction=org.places["wuhan"],
        channel="letter",
        subject="市级",
        content="来信反映某市场欺行霸市",
        actor=org.users["director.wuhan"],
    )
    today = timezone.localdate()
    f = clue_figures(
        user=org.users["director.wuhan"], jurisdiction=org.places["wuhan"], start=today, end=today
    )
    own = [r for r in f.by_child if r.own_level]
    assert len(own) == 1 and own[0].code == "420100"
    assert own[0].figures.reports_received.value == 1 and own[0].figures.created.value == 1
    assert f.totals.reports_received.value == 2


def test_end_before_start_is_refused(org):
    today = timezone.localdate()
    with pytest.raises(ValueError):
        clue_figures(
            user=org.users["director.wuhan"],
            jurisdiction=org.places["wuhan"],
            start=today,
            end=today - dt.timedelta(days=1),
        )

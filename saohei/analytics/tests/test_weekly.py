"""周研判: the analyst sees real rises, not noise, the busiest places first, and the clues to discuss."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from saohei.analytics.weekly import (
    ClueFact,
    CountRow,
    IsoWeek,
    TrendLevel,
    rise_p_value,
    weekly_analysis,
)

WEEK = IsoWeek(2026, 10)
TRAILING = [WEEK.shifted(-k) for k in range(4, 0, -1)]


def series(code: str, name: str, category: str, counts: list[int]) -> list[CountRow]:
    """Counts for the four trailing weeks and the analysed week, oldest first."""
    return [CountRow(code, name, category, str(week), n) for week, n in zip([*TRAILING, WEEK], counts, strict=True)]


def background(seed: int, *, counties: int = 60, burst: bool = False) -> list[CountRow]:
    """Stable counties at a steady rate: Poisson counts, or bursty ones (negative binomial, variance μ + μ²/5)."""
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(counties):
        for category in ("extortion", "provoking_trouble", "usury"):
            mean = rng.uniform(1, 8)
            draws = rng.negative_binomial(5, 5 / (5 + mean), 5) if burst else rng.poisson(mean, 5)
            rows += series(f"4201{c:02d}", f"县{c}", category, [int(n) for n in draws])
    return rows


def rising_codes(rows: list[CountRow]) -> set[str]:
    return {t.jurisdiction_code for t in weekly_analysis(rows=rows, clues=[], week=WEEK).rising}


def test_a_county_jumping_from_about_two_a_week_to_twelve_is_a_rising_trend() -> None:
    rows = background(1) + series("420999", "洪山区", "extortion", [2, 3, 1, 2, 12])

    analysis = weekly_analysis(rows=rows, clues=[], week=WEEK)

    [county] = [t for t in analysis.rising if t.level == TrendLevel.JURISDICTION and t.jurisdiction_code == "420999"]
    assert county.current == 12 and county.baseline == 2.0 and county.ratio == 6.0
    assert county.q_value < 0.05 and county.jurisdiction_name == "洪山区"
    assert analysis.rising[0].jurisdiction_code == "420999"


def test_a_county_going_from_one_to_two_is_not_a_trend() -> None:
    rows = background(1) + series("420998", "江夏区", "usury", [1, 1, 1, 1, 2])

    assert "420998" not in rising_codes(rows)


def test_a_handful_of_reports_where_there_were_none_is_too_few_to_call_a_trend() -> None:
    small_office = (series("420201", "黄石港区", "usury", [3, 4, 3, 4, 3])
                    + series("420202", "西塞山区", "extortion", [0, 0, 0, 0, 4]))

    assert rising_codes(small_office) == set()
    assert {t.jurisdiction_code for t in weekly_analysis(rows=small_office, clues=[], week=WEEK, min_count=3).rising
            } == {"420202"}


@pytest.mark.parametrize("burst", [False, True])
def test_steady_counties_with_ordinary_noise_are_not_called_rising(burst: bool) -> None:
    false_calls = sum(len(rising_codes(background(seed, burst=burst))) for seed in range(10))

    assert false_calls <= 1


def test_a_small_rise_of_a_big_county_is_not_called_rising_however_certain() -> None:
    rows = background(2) + series("420100", "武汉市辖区", "extortion", [100, 101, 99, 100, 148])

    assert rise_p_value(current=148, trailing_total=400, trailing_weeks=4) < 0.0001
    assert "420100" not in rising_codes(rows)


def test_a_rise_in_one_category_is_named_with_its_category() -> None:
    rows = background(3) + series("420997", "蔡甸区", "illegal_mining", [0, 1, 0, 1, 9])

    analysis = weekly_analysis(rows=rows, clues=[], week=WEEK)

    cells = [t for t in analysis.rising if t.level == TrendLevel.CELL and t.jurisdiction_code == "420997"]
    assert [t.category for t in cells] == ["illegal_mining"]


def test_a_week_without_any_data_is_reported_and_not_taken_as_zero() -> None:
    rows = [r for r in background(4) + series("420996", "黄陂区", "extortion", [6, 5, 6, 6, 7])
            if r.period != str(TRAILING[1])]

    analysis = weekly_analysis(rows=rows, clues=[], week=WEEK, top=1000)

    assert analysis.missing_weeks == (TRAILING[1],)
    assert "420996" not in {t.jurisdiction_code for t in analysis.rising}
    county = next(h for h in analysis.jurisdiction_hotspots if h.jurisdiction_code == "420996")
    assert county.trailing_mean == pytest.approx(6.0)  # (6 + 6 + 6) / 3, not / 4


def test_hotspots_are_ranked_by_count_with_their_share_of_the_week() -> None:
    rows = background(5, counties=10) + series("420995", "新洲区", "extortion", [30, 30, 30, 30, 40])

    analysis = weekly_analysis(rows=rows, clues=[], week=WEEK, top=1000)

    counts = [h.count for h in analysis.hotspots]
    assert counts == sorted(counts, reverse=True) and [h.rank for h in analysis.hotspots][:3] == [1, 2, 3]
    assert (analysis.hotspots[0].jurisdiction_code, analysis.hotspots[0].category) == ("420995", "extortion")
    assert sum(h.share for h in analysis.hotspots) == pytest.approx(1.0)
    assert analysis.hotspots[0].share == pytest.approx(40 / analysis.total)
    assert analysis.jurisdiction_hotspots[0].jurisdiction_code == "420995"
    assert analysis.category_hotspots[0].category == "extortion"
    assert analysis.weekly_totals[-1] == analysis.total == sum(h.count for h in analysis.jurisdiction_hotspots)


def test_counts_given_by_day_are_summed_into_their_week_and_other_weeks_are_ignored() -> None:
    rows = [CountRow("420102", "江岸区", "usury", date(2026, 3, 2), 3),  # Monday of 2026-W10
            CountRow("420102", "江岸区", "usury", "2026-03-08", 4),  # its Sunday
            CountRow("420102", "江岸区", "usury", date(2026, 3, 9), 50)]  # next week

    analysis = weekly_analysis(rows=rows, clues=[], week="2026-03-04")

    assert analysis.week == WEEK and analysis.total == 7 and analysis.heat[0].counts[-1] == 7


def test_the_clues_to_discuss_are_listed_overdue_repeated_and_high_priority() -> None:
    clues = [
        ClueFact("a", date(2026, 2, 1), overdue=True, repeat_count=0, priority=3),
        ClueFact("b", date(2026, 3, 1), overdue=True, repeat_count=4, priority=1),
        ClueFact("c", date(2026, 4, 1), overdue=False, repeat_count=2, priority=2),
        ClueFact("d", date(2026, 4, 1), overdue=False, repeat_count=0, priority=3),
    ]

    analysis = weekly_analysis(rows=[], clues=clues, week=WEEK)

    assert [(o.fact.id, o.days_overdue) for o in analysis.overdue] == [("a", 35), ("b", 7)]
    assert [f.id for f in analysis.repeated] == ["b", "c"]
    assert [f.id for f in analysis.high_priority] == ["b", "c"]
    assert analysis.as_of == date(2026, 3, 8)


def test_iso_weeks_cross_the_new_year() -> None:
    assert IsoWeek.of("2026-W01").shifted(-1) == IsoWeek(2025, 52)
    assert IsoWeek.of(date(2026, 1, 1)) == IsoWeek(2026, 1) and str(IsoWeek(2026, 3)) == "2026-W03"

"""Weekly analysis (周研判, issue 5 item 7): hotspots, rising trends and the clues to talk about.

Pure: the Django layer counts clues (or reports) per jurisdiction × offence category × ISO week,
gathers a few facts per open clue, and renders the `WeeklyAnalysis` as a page and a document.

A rising trend is called only when it is unlikely to be noise. This week's count x is compared with
the y counted over the n trailing weeks: if the rate had not changed, x given x + y would follow
Binomial(x + y, 1/(n + 1)) (the exact conditional test for two Poisson counts, which also accounts
for the baseline being an estimate). Weekly counts of reports are burstier than Poisson, and the
more so the busier the place, so the variance is taken as negative-binomial, μ + α·μ², with one α
per level estimated from the trailing weeks of all series (method of moments); the counts of a
series are divided by its dispersion factor 1 + α·μ (μ its weekly rate if nothing had changed)
before the test. Many series are tested at once, so the p-values are adjusted (Benjamini–Hochberg
q-values). A trend also needs a minimum count and a minimum ratio, so 1 → 2 or
100 → 110 is never shown as "rising".
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


@dataclass(frozen=True, slots=True, order=True)
class IsoWeek:
    year: int
    week: int

    @classmethod
    def of(cls, value: IsoWeek | date | str) -> IsoWeek:
        """From an ISO week ("2026-W05") or a date (or "2026-02-01") inside it."""
        if isinstance(value, IsoWeek):
            return value
        if isinstance(value, str):
            match = _WEEK.match(value.strip())
            if match is None:
                return cls.of(date.fromisoformat(value.strip()))
            return cls.of(date.fromisocalendar(int(match[1]), int(match[2]), 1))
        year, week, _ = value.isocalendar()
        return cls(year, week)

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def shifted(self, weeks: int) -> IsoWeek:
        return IsoWeek.of(self.monday + timedelta(weeks=weeks))

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"


@dataclass(frozen=True, slots=True)
class CountRow:
    """How many clues (or reports) of one category one jurisdiction received in one week."""

    jurisdiction_code: str
    jurisdiction_name: str
    category: str
    period: IsoWeek | date | str  # the ISO week, or any date inside it
    count: int


@dataclass(frozen=True, slots=True)
class ClueFact:
    id: str
    deadline: date | None
    overdue: bool
    repeat_count: int  # repeat reports attached to the clue
    priority: int  # 1 urgent, 2 high, 3 normal, 4 low (clues.choices.Priority)
    title: str = ""
    jurisdiction_code: str = ""
    category: str = ""


@dataclass(frozen=True, slots=True)
class Hotspot:
    rank: int
    jurisdiction_code: str  # "" for a category total
    jurisdiction_name: str
    category: str  # "" for a jurisdiction total
    count: int
    share: float  # of all counts of the analysed week
    trailing_mean: float


@dataclass(frozen=True, slots=True)
class HeatRow:
    jurisdiction_code: str
    jurisdiction_name: str
    counts: tuple[int, ...]  # one per week of `WeeklyAnalysis.weeks`


class TrendLevel(StrEnum):
    JURISDICTION = "jurisdiction"
    CELL = "cell"  # one category in one jurisdiction


@dataclass(frozen=True, slots=True)
class Trend:
    level: TrendLevel
    jurisdiction_code: str
    jurisdiction_name: str
    category: str  # "" at the jurisdiction level
    current: int
    trailing: tuple[int, ...]  # counts of the trailing weeks that have data, oldest first
    baseline: float  # mean of `trailing`
    ratio: float  # current / baseline (baseline floored at 0.5)
    dispersion: float  # variance / mean assumed for this series (1 = Poisson)
    p_value: float
    q_value: float  # p adjusted for the number of series tested (Benjamini–Hochberg)
    rising: bool


@dataclass(frozen=True, slots=True)
class OverdueClue:
    fact: ClueFact
    days_overdue: int | None  # past the deadline on `as_of`; None when no deadline is recorded


@dataclass(frozen=True, slots=True)
class WeeklyAnalysis:
    week: IsoWeek
    weeks: tuple[IsoWeek, ...]  # trailing weeks, oldest first, then the analysed week
    missing_weeks: tuple[IsoWeek, ...]  # weeks without any row: no data, left out of the baselines
    weekly_totals: tuple[int, ...]  # one per week of `weeks`
    total: int  # the analysed week
    hotspots: tuple[Hotspot, ...]  # jurisdiction × category, ranked
    jurisdiction_hotspots: tuple[Hotspot, ...]
    category_hotspots: tuple[Hotspot, ...]
    heat: tuple[HeatRow, ...]  # the busiest jurisdictions of the window, week by week
    rising: tuple[Trend, ...]  # the trends called rising, most certain first
    tested: int  # series tested for a rise
    overdispersion: Mapping[TrendLevel, float]  # α of variance = μ + α·μ², per level
    overdue: tuple[OverdueClue, ...]
    repeated: tuple[ClueFact, ...]
    high_priority: tuple[ClueFact, ...]
    as_of: date


_Key = tuple[str, str]  # (jurisdiction code, category); category "" = all categories


def _binomial_tail(successes: int, trials: int, p: float) -> float:
    """P(X ≥ successes) for X ~ Binomial(trials, p), summed in log space (exact for any size)."""
    if successes <= 0:
        return 1.0
    if successes > trials:
        return 0.0
    log_p, log_q = math.log(p), math.log1p(-p)
    log_n = math.lgamma(trials + 1)
    terms = [log_n - math.lgamma(k + 1) - math.lgamma(trials - k + 1) + k * log_p + (trials - k) * log_q
             for k in range(successes, trials + 1)]
    top = max(terms)
    return min(1.0, math.exp(top) * sum(math.exp(t - top) for t in terms))


def rise_p_value(*, current: int, trailing_total: int, trailing_weeks: int, dispersion: float = 1.0) -> float:
    """How likely a count at least this high is if the weekly rate had not changed (one-sided)."""
    if trailing_weeks <= 0:
        return 1.0
    x = round(current / dispersion)
    y = round(trailing_total / dispersion)
    return _binomial_tail(x, x + y, 1.0 / (trailing_weeks + 1))


def _benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    order = sorted(range(len(p_values)), key=p_values.__getitem__)
    q = [1.0] * len(p_values)
    running = 1.0
    for rank in range(len(order), 0, -1):
        i = order[rank - 1]
        running = min(running, p_values[i] * len(p_values) / rank)
        q[i] = running
    return q


def estimate_overdispersion(series: Iterable[Sequence[int]], *, ceiling: float = 1.0) -> float:
    """α of a negative-binomial variance μ + α·μ², pooled by the method of moments over the series.

    0 for Poisson-like counts; capped at `ceiling` so a few wild series cannot silence every test.
    """
    excess, scale = 0.0, 0.0
    for counts in series:
        if len(counts) < 2:
            continue
        mean = sum(counts) / len(counts)
        variance = sum((c - mean) ** 2 for c in counts) / (len(counts) - 1)
        excess += (variance - mean) * (len(counts) - 1)
        scale += mean**2 * (len(counts) - 1)
    return 0.0 if scale == 0 else min(ceiling, max(0.0, excess / scale))


def _gather(rows: Iterable[CountRow], weeks: Sequence[IsoWeek]) -> tuple[dict[_Key, list[int]], dict[str, str]]:
    """Counts per (jurisdiction, category) and per (jurisdiction, "") for each week of the window."""
    position = {w: i for i, w in enumerate(weeks)}
    counts: dict[_Key, list[int]] = defaultdict(lambda: [0] * len(weeks))
    names: dict[str, str] = {}
    for row in rows:
        i = position.get(IsoWeek.of(row.period))
        if i is None:
            continue
        if row.count < 0:
            raise ValueError(f"negative count for {row.jurisdiction_code} {row.category} {row.period}")
        names[row.jurisdiction_code] = row.jurisdiction_name
        counts[(row.jurisdiction_code, row.category)][i] += row.count
        counts[(row.jurisdiction_code, "")][i] += row.count
    return counts, names


def _ranked(totals: Mapping[_Key, list[int]], *, names: Mapping[str, str], week_total: int, present: Sequence[int],
            top: int) -> tuple[Hotspot, ...]:
    current = [(key, series[-1]) for key, series in totals.items() if series[-1] > 0]
    current.sort(key=lambda item: (-item[1], item[0]))
    return tuple(
        Hotspot(rank, key[0], names.get(key[0], ""), key[1], count, count / week_total if week_total else 0.0,
                sum(totals[key][i] for i in present) / len(present) if present else 0.0)
        for rank, (key, count) in enumerate(current[:top], start=1))


def _trends(counts: Mapping[_Key, list[int]], *, names: Mapping[str, str], present: Sequence[int],
            min_count: int, min_ratio: float, alpha: float) -> tuple[list[Trend], dict[TrendLevel, float]]:
    """Test every series whose current count reaches `min_count`; q-values over all series tested."""
    levels = {key: TrendLevel.JURISDICTION if key[1] == "" else TrendLevel.CELL for key in counts}
    alpha_of = {level: estimate_overdispersion([counts[k][i] for i in present] for k in counts if levels[k] == level)
                for level in TrendLevel}
    tested = [key for key, series in counts.items() if series[-1] >= min_count and present]
    trailing = {k: tuple(counts[k][i] for i in present) for k in tested}
    dispersion = {k: 1.0 + alpha_of[levels[k]] * (counts[k][-1] + sum(trailing[k])) / (len(present) + 1)
                  for k in tested}
    p_values = [rise_p_value(current=counts[k][-1], trailing_total=sum(trailing[k]), trailing_weeks=len(present),
                             dispersion=dispersion[k]) for k in tested]
    trends = []
    for key, p, q in zip(tested, p_values, _benjamini_hochberg(p_values), strict=True):
        baseline = sum(trailing[key]) / len(present)
        ratio = counts[key][-1] / max(baseline, 0.5)
        trends.append(Trend(levels[key], key[0], names.get(key[0], ""), key[1], counts[key][-1], trailing[key],
                            baseline, ratio, dispersion[key], p, q, rising=q <= alpha and ratio >= min_ratio))
    return trends, alpha_of


def weekly_analysis(*, rows: Iterable[CountRow], clues: Iterable[ClueFact], week: IsoWeek | date | str,
                    trailing_weeks: int = 4, top: int = 20, min_count: int = 5, min_ratio: float = 1.5,
                    alpha: float = 0.05, min_repeats: int = 1, high_priority_at_most: int = 2,
                    as_of: date | None = None) -> WeeklyAnalysis:
    """The analysis of `week` against the `trailing_weeks` before it, ready to render.

    `min_count`, `min_ratio` and `alpha` decide what is called rising (see the module docstring);
    `as_of` (default: the Sunday of the week) is the day overdue days are counted to.
    """
    current = IsoWeek.of(week)
    weeks = (*(current.shifted(-k) for k in range(trailing_weeks, 0, -1)), current)
    counts, names = _gather(rows, weeks)
    weekly_totals = tuple(sum(series[i] for (_, cat), series in counts.items() if cat == "")
                          for i in range(len(weeks)))
    present = [i for i in range(trailing_weeks) if any(series[i] for series in counts.values())]
    missing = tuple(w for i, w in enumerate(weeks[:-1]) if i not in present)
    total = weekly_totals[-1]
    cells = {k: v for k, v in counts.items() if k[1] != ""}
    by_jurisdiction = {k: v for k, v in counts.items() if k[1] == ""}
    by_category: dict[_Key, list[int]] = defaultdict(lambda: [0] * len(weeks))
    for (_, category), series in cells.items():
        by_category[("", category)] = [a + b for a, b in zip(by_category[("", category)], series, strict=True)]
    busiest = sorted(by_jurisdiction, key=lambda k: (-sum(by_jurisdiction[k]), k))[:top]
    trends, overdispersion = _trends(counts, names=names, present=present, min_count=min_count, min_ratio=min_ratio,
                                 alpha=alpha)
    rising = sorted((t for t in trends if t.rising), key=lambda t: (t.q_value, t.p_value, -t.ratio, t.level,
                                                                    t.jurisdiction_code, t.category))
    day = as_of or current.sunday
    facts = list(clues)
    overdue = sorted((OverdueClue(f, (day - f.deadline).days if f.deadline else None) for f in facts if f.overdue),
                     key=lambda o: (-(o.days_overdue or 0), o.fact.priority, o.fact.id))
    return WeeklyAnalysis(
        week=current, weeks=weeks, missing_weeks=missing, weekly_totals=weekly_totals, total=total,
        hotspots=_ranked(cells, names=names, week_total=total, present=present, top=top),
        jurisdiction_hotspots=_ranked(by_jurisdiction, names=names, week_total=total, present=present, top=top),
        category_hotspots=_ranked(by_category, names=names, week_total=total, present=present, top=top),
        heat=tuple(HeatRow(k[0], names.get(k[0], ""), tuple(by_jurisdiction[k])) for k in busiest),
        rising=tuple(rising), tested=len(trends), overdispersion=overdispersion, overdue=tuple(overdue),
        repeated=tuple(sorted((f for f in facts if f.repeat_count >= min_repeats),
                              key=lambda f: (-f.repeat_count, f.priority, f.id))),
        high_priority=tuple(sorted((f for f in facts if f.priority <= high_priority_at_most),
                                   key=lambda f: (f.priority, f.deadline or date.max, f.id))),
        as_of=day,
    )

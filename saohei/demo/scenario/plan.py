"""Planning the demo: which clues end in which state, by which channel, with which complications."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from saohei.demo.texts.offences import CATEGORY_WEIGHTS, HOUSING_PRONE, OFFICIAL_PRONE

# Share of all reports that end as primary clues in each final state; the rest are repeat reports
# (triaged as duplicates of an earlier clue). "reopened": closed, reported again, reopened.
STATE_SHARES: list[tuple[str, float]] = [
    ("closed", 0.38), ("verifying", 0.12), ("assigned", 0.08), ("referred", 0.06), ("invalid", 0.05),
    ("concluded", 0.05), ("signed", 0.05), ("received", 0.04), ("valid", 0.03), ("review", 0.02), ("reopened", 0.02),
]
REPEAT_SHARE = 0.10
HIGHER_REFERRALS_PER_300 = 68  # seed 004: 68 clues from higher offices, all verified
WORKING = ("assigned", "verifying", "concluded", "signed", "closed", "review", "reopened")
PUBLIC = ("hotline", "letter", "visit", "email", "wechat", "portal")
CHANNEL_WEIGHTS: dict[str, int] = {
    "hotline": 20, "letter": 9, "visit": 7, "email": 5, "wechat": 10, "portal": 14, "incident_110": 12,
    "unit_transfer": 5, "screening": 10, "case_spinoff": 4,
}
CONCLUSION_WEIGHTS: dict[str, int] = {
    "substantiated": 15, "partly_substantiated": 20, "unsubstantiated": 55, "unverifiable": 10,
}
# Days before today that a story's first report arrives, per final state.
AGE_DAYS: dict[str, tuple[float, float]] = {
    "received": (0.05, 4), "valid": (1, 7), "invalid": (3, 300), "referred": (3, 300), "assigned": (2, 22),
    "verifying": (4, 25), "concluded": (14, 45), "signed": (20, 60), "closed": (55, 300), "review": (90, 300),
    "reopened": (120, 300),
}
OVERDUE_AGE_DAYS = (38.0, 200.0)
SPAN_DAYS = 300.0


@dataclass
class Story:
    key: int
    final: str
    place: str = "jianghan"
    channel: str = "hotline"
    category: str = "forced_transactions"
    received: dt.datetime | None = None
    unit: str = "jh_minzu"
    dual: bool = False
    escalate: str = ""  # "", "upgrade", "offsite"
    supervise: bool = False
    overdue: bool = False
    late: bool = False
    returned: bool = False
    conclusion: str = "unsubstantiated"
    repeats: int = 0
    reporter: str = "none"  # none / named / contact / anonymous


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    keys = sorted(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _counts(reports: int) -> tuple[dict[str, int], int]:
    primary = max(len(STATE_SHARES), round(reports * (1 - REPEAT_SHARE)))
    counts = {state: max(1, round(reports * share)) for state, share in STATE_SHARES}
    counts["closed"] += primary - sum(counts.values())
    counts["closed"] = max(2, counts["closed"])
    return counts, max(reports - sum(counts.values()), counts["review"] + counts["reopened"])


def plan(*, reports: int, rng: random.Random, now: dt.datetime) -> list[Story]:
    counts, repeats = _counts(reports)
    stories = [Story(key=i, final=final) for i, final in enumerate(f for f, n in counts.items() for _ in range(n))]
    rng.shuffle(stories)
    _channels(stories, reports, rng)
    for s in stories:
        _place_and_units(s, rng)
        if s.channel in PUBLIC:
            r = rng.random()
            s.reporter = "named" if s.channel == "visit" or r < 0.55 else ("contact" if r < 0.75 else "anonymous")
        if s.final in ("assigned", "verifying"):
            s.overdue = rng.random() < 0.5
        if s.final in ("closed", "signed"):
            s.late = rng.random() < 0.15
        s.returned = s.final == "closed" and rng.random() < 0.04
        s.supervise = s.final in ("valid", "assigned", "verifying", "concluded", "signed") and rng.random() < 0.12
        s.conclusion = _weighted(rng, CONCLUSION_WEIGHTS)
    _ensure_variety(stories)
    _repeats(stories, repeats, rng)
    # Each story draws an age that suits its end state; the stories are then ranked by it and given
    # the ages of a steady intake in that order, so the weekly figures show a working office (no
    # pile of new reports in the last weeks) while new clues stay new and closed ones old.
    wanted = {s.key: rng.uniform(*(OVERDUE_AGE_DAYS if s.overdue else AGE_DAYS[s.final])) for s in stories}
    ages = _steady_ages(len(stories), rng)
    for s, age in zip(sorted(stories, key=lambda s: wanted[s.key]), ages, strict=True):
        day = now - dt.timedelta(days=age)
        hour = rng.randint(8, 17) if s.channel in ("hotline", "visit", "letter") else rng.randint(0, 23)
        s.received = min(day.replace(hour=hour, minute=rng.randint(0, 59)), now - dt.timedelta(minutes=90))
    return sorted(stories, key=lambda s: (s.received, s.key))


def _steady_ages(n: int, rng: random.Random) -> list[float]:
    """Ages in days over the last ~10 months, ascending, in gentle waves (campaign pushes)."""
    ages: list[float] = []
    while len(ages) < n:
        age = rng.uniform(0.05, SPAN_DAYS)
        if rng.random() < 0.65 + 0.35 * math.sin(age / 19.0):
            ages.append(age)
    return sorted(ages)


def _channels(stories: list[Story], reports: int, rng: random.Random) -> None:
    wanted = max(1, round(HIGHER_REFERRALS_PER_300 * reports / 300))
    closed = [s for s in stories if s.final == "closed"]
    others = [s for s in stories if s.final in ("verifying", "concluded", "signed")]
    from_closed = min(len(closed) - 1, round(wanted * 0.8))
    for s in closed[:from_closed] + others[: max(0, wanted - from_closed)]:
        s.channel = "higher_referral"
    for s in stories:
        if s.channel == "higher_referral":
            continue
        if s.final in ("invalid", "referred", "review", "reopened"):
            s.channel = rng.choice(PUBLIC)
        else:
            s.channel = _weighted(rng, CHANNEL_WEIGHTS)
    # Even a small demo shows every channel.
    used = Counter(s.channel for s in stories)
    for channel in sorted(set(CHANNEL_WEIGHTS) - set(used)):
        spare = next((s for s in stories if s.final in ("closed", "verifying", "assigned", "signed")
                      and s.channel != "higher_referral" and used[s.channel] > 1), None)
        if spare is not None:
            used[spare.channel] -= 1
            spare.channel = channel
            used[channel] += 1


def _place_and_units(s: Story, rng: random.Random) -> None:
    s.category = _weighted(rng, CATEGORY_WEIGHTS)
    if s.channel != "higher_referral" and rng.random() < 0.22:
        s.place, s.unit = "jiangan", "ja_dazhi"
        return
    if s.final not in WORKING:
        return
    r = rng.random()
    if r < 0.10:
        s.dual = True
        s.category = rng.choice(OFFICIAL_PRONE)
    elif r < 0.13:
        s.escalate = "upgrade"
    elif r < 0.17:
        s.escalate = "offsite"
        s.category = rng.choice(OFFICIAL_PRONE)
    elif r < 0.23:
        s.unit = "jh_housing"
        s.category = rng.choice(HOUSING_PRONE)
        return
    s.unit = "jh_minzu" if rng.random() < 0.6 else "jh_wansong"


def _ensure_variety(stories: list[Story]) -> None:
    """Even a small demo shows each complication at least once."""
    def first(*finals: str) -> Story | None:
        for s in stories:
            if s.final in finals and s.place == "jianghan" and not (s.dual or s.escalate or s.unit == "jh_housing"):
                return s
        return None

    wants: list[tuple[Callable[[Story], bool], tuple[str, ...], str]] = [
        (lambda s: s.dual, ("verifying", "closed"), "dual"),
        (lambda s: s.dual and s.final == "closed", ("closed",), "dual"),
        (lambda s: s.escalate == "upgrade", ("closed", "verifying"), "upgrade"),
        (lambda s: s.escalate == "offsite", ("closed", "assigned", "verifying"), "offsite"),
    ]
    for shown, finals, what in wants:
        s = first(*finals)
        if s is None or any(shown(other) for other in stories):
            continue
        if what == "dual":
            s.dual, s.category = True, OFFICIAL_PRONE[0]
        else:
            s.escalate = what
            if what == "offsite":
                s.category = OFFICIAL_PRONE[0]
    for finals, attr in ((("assigned", "verifying"), "overdue"), (("verifying", "assigned", "concluded"), "supervise")):
        if not any(getattr(s, attr) for s in stories):
            for s in stories:
                if s.final in finals and s.channel != "higher_referral":
                    setattr(s, attr, True)
                    break
    if not any(s.late for s in stories):
        next(s for s in stories if s.final == "closed").late = True
    if not any(s.returned for s in stories):
        next(s for s in stories if s.final == "closed").returned = True


def _repeats(stories: list[Story], repeats: int, rng: random.Random) -> None:
    for s in stories:
        if s.final in ("review", "reopened"):
            s.repeats = 1
            repeats -= 1
    takers = [s for s in stories if s.final in ("assigned", "verifying", "concluded", "signed", "closed")
              and s.channel != "higher_referral"]
    if not takers:
        return
    while repeats > 0:
        s = rng.choice(takers)
        s.repeats += 1
        repeats -= 1

"""The demo's plan and wording: seed 004's figures, every state, varied texts, same seed → same demo."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from saohei.demo import texts
from saohei.demo.scenario.plan import plan
from saohei.demo.texts.offences import CATEGORY_WEIGHTS, OFFENCES
from saohei.intake.choices import PUBLIC_CHANNELS

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


def test_the_default_plan_has_seed_004s_68_higher_referrals_all_verified() -> None:
    stories = plan(reports=300, rng=random.Random(1), now=NOW)
    referrals = [s for s in stories if s.channel == "higher_referral"]
    assert len(referrals) == 68
    assert all(s.place == "jianghan" for s in referrals)
    assert {s.final for s in referrals} <= {"closed", "signed", "concluded", "verifying"}
    assert len(stories) + sum(s.repeats for s in stories) == 300


def test_a_plan_spans_ten_months_and_ends_before_now() -> None:
    stories = plan(reports=300, rng=random.Random(2), now=NOW)
    received = [s.received for s in stories if s.received is not None]
    assert min(received) < NOW - dt.timedelta(days=270)
    assert max(received) < NOW
    assert [s.received for s in stories] == sorted(received)


def test_the_same_seed_gives_the_same_demo_and_another_seed_another() -> None:
    def words(seed: int) -> list[str]:
        rng = random.Random(seed)
        return [texts.report_text(rng, category=c, place_key="jianghan", channel="hotline").content
                for c in sorted(CATEGORY_WEIGHTS) for _ in range(5)]

    assert words(3) == words(3)
    assert words(3) != words(4)
    a = [(s.final, s.channel, s.category) for s in plan(reports=120, rng=random.Random(5), now=NOW)]
    assert a == [(s.final, s.channel, s.category) for s in plan(reports=120, rng=random.Random(5), now=NOW)]


def test_three_hundred_reports_read_differently_and_name_nobody_in_full() -> None:
    rng = random.Random(9)
    channels = sorted(texts.LEADS)
    made = [texts.report_text(rng, category=rng.choice(sorted(OFFENCES)), place_key=rng.choice(("jianghan", "jiangan")),
                              channel=rng.choice(channels)) for _ in range(300)]
    assert len({t.content for t in made}) >= 295
    assert len({t.subject for t in made}) >= 150
    for t in made:
        assert "某" in t.who
        assert "{" not in t.content and "{" not in t.subject
        assert t.location.startswith(("江汉区", "江岸区"))


def test_only_public_reports_speak_of_the_reporter() -> None:
    rng = random.Random(11)
    official = [texts.report_text(rng, category="gambling", place_key="jianghan", channel=c)
                for c in ("screening", "incident_110", "higher_referral", "case_spinoff") for _ in range(20)]
    assert not any("举报人" in t.content for t in official)
    public = Counter(c in PUBLIC_CHANNELS for c in texts.LEADS)
    assert public[True] == 6


def test_findings_fit_each_conclusion() -> None:
    rng = random.Random(12)
    text = texts.report_text(rng, category="routine_loans", place_key="jianghan", channel="letter")
    assert "属实" in texts.finding(rng, conclusion="substantiated", text=text)
    assert "部分属实" in texts.finding(rng, conclusion="partly_substantiated", text=text)
    assert "无法核实" in texts.finding(random.Random(0), conclusion="unverifiable", text=text)

"""Playing a planned story through the real services, step by step, on the story's own timeline."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from saohei.clues import services
from saohei.clues.choices import Priority
from saohei.clues.models import Assignment, Clue, OffenceCategory
from saohei.demo import texts
from saohei.demo.org import DemoOrg
from saohei.demo.scenario.clock import Clock
from saohei.demo.scenario.plan import PUBLIC, Story
from saohei.intake.models import Reporter
from saohei.intake.services import reporter_create


@dataclass(frozen=True)
class UnitPeople:
    verifier: str  # starts, records the musts, concludes
    chain: tuple[str, ...]  # signs in this order
    replier: str  # replies to the assigning office
    chain_name: str


JH_TOP = ("chief.jianghan", "deputy.jhbureau", "head.jhbureau")
UNITS: dict[str, UnitPeople] = {
    "jh_minzu": UnitPeople("verifier.jianghan", ("verifier.jianghan", "deputy.minzu", "head.minzu", *JH_TOP),
                           "head.minzu", "“五长一警”"),
    "jh_wansong": UnitPeople("verifier.wansong", ("verifier.wansong", "deputy.wansong", "head.wansong", *JH_TOP),
                             "head.wansong", "“五长一警”"),
    "jh_discipline": UnitPeople("discipline.jianghan",
                                ("discipline.jianghan", "deputy.jhdiscipline", "head.jhdiscipline"),
                                "head.jhdiscipline", "纪检监察审核程序"),
    "jh_housing": UnitPeople("verifier.housing", ("verifier.housing", "head.housing"), "head.housing", "承办人和局长"),
    "wh_brigade": UnitPeople("verifier.wuhan", ("verifier.wuhan", "chief.wuhan", "head.whbureau"), "chief.wuhan",
                             "市局审核程序"),
    "ja_dazhi": UnitPeople("verifier.jiangan", ("head.dazhi", "chief.jiangan", "head.jabureau"), "head.dazhi",
                           "“三长”"),
}
TRACK_STEPS = ("assigned", "verifying", "musts", "concluded", "signed")
DAY = 24.0  # hours


class Timeline:
    """The story's clock: moves forward in random steps, never past `cap`."""

    def __init__(self, start: dt.datetime, cap: dt.datetime, rng: random.Random) -> None:
        self.t, self.cap, self.rng = start, cap, rng

    def step(self, lo_hours: float, hi_hours: float) -> dt.datetime:
        remaining = (self.cap - self.t).total_seconds()
        delta = min(self.rng.uniform(lo_hours, hi_hours) * 3600, max(remaining * 0.4, 1.0))
        self.t += dt.timedelta(seconds=delta)
        return self.t

    def jump(self, when: dt.datetime) -> dt.datetime:
        """Forward to `when`, but leave a tenth of the remaining time for the steps after it."""
        self.t = max(self.t, min(when, self.cap - (self.cap - self.t) * 0.1))
        return self.t


class Runner:
    def __init__(self, org: DemoOrg, rng: random.Random, clock: Clock, now: dt.datetime) -> None:
        self.org, self.rng, self.clock, self.now = org, rng, clock, now
        self.categories = {c.code: c for c in OffenceCategory.objects.all()}
        self.clue_ids: list[int] = []

    # --- helpers -------------------------------------------------------------------------------
    def user(self, name: str) -> Any:
        return self.org.users[name]

    def at(self, when: dt.datetime) -> None:
        self.clock.at(when)

    def _clerk(self, place: str) -> Any:
        return self.user("clerk.jianghan" if place == "jianghan" else "clerk.jiangan")

    def _reporter(self, kind: str) -> Reporter | None:
        if kind == "named":
            return reporter_create(name=texts.reporter_name(self.rng), contact=texts.reporter_phone(self.rng))
        if kind == "contact":
            return reporter_create(contact=texts.reporter_phone(self.rng))
        if kind == "anonymous":
            return reporter_create()
        return None

    def _receive(self, *, place: str, channel: str, reporter: str, subject: str, content: str, when: dt.datetime,
                 location: str = "") -> Clue:
        self.at(when)
        _report, clue, _code = services.report_receive(
            office=self.org.offices[place], jurisdiction=self.org.places[place], channel=channel, subject=subject,
            content=content, actor=self._clerk(place), received_at=when, reporter=self._reporter(reporter),
            location_text=location, source_reference=texts.source_reference(self.rng, channel, when),
        )
        self.clue_ids.append(clue.pk)
        return clue

    # --- stories -------------------------------------------------------------------------------
    def run(self, s: Story) -> Clue:
        assert s.received is not None
        tl = Timeline(s.received, self.now - dt.timedelta(minutes=30), self.rng)
        if s.final == "invalid":
            subject, content, note = texts.invalid_text(self.rng)
            clue = self._receive(place=s.place, channel=s.channel, reporter=s.reporter, subject=subject,
                                 content=content, when=tl.t)
            self.at(tl.step(2, 3 * DAY))
            return services.clue_triage(clue=clue, actor=self._clerk(s.place), decision="invalid", note=note)
        if s.final == "referred":
            subject, content, referred_to, note = texts.referred_text(self.rng, place_key=s.place)
            clue = self._receive(place=s.place, channel=s.channel, reporter=s.reporter, subject=subject,
                                 content=content, when=tl.t)
            self.at(tl.step(2, 3 * DAY))
            return services.clue_triage(clue=clue, actor=self._clerk(s.place), decision="referred", note=note,
                                        referred_to=referred_to)
        official = texts.official(self.rng) if (s.dual or s.escalate == "offsite") else ""
        text = texts.report_text(self.rng, category=s.category, place_key=s.place, channel=s.channel,
                                 official_name=official)
        clue = self._receive(place=s.place, channel=s.channel, reporter=s.reporter, subject=text.subject,
                             content=text.content, when=tl.t, location=text.location)
        if s.final == "received":
            return clue
        self.at(tl.step(2, 3 * DAY))
        clerk = self._clerk(s.place)
        services.clue_triage(clue=clue, actor=clerk, decision="valid", category=self.categories[s.category],
                             priority=self.rng.choice((Priority.URGENT, Priority.HIGH, Priority.NORMAL,
                                                       Priority.NORMAL, Priority.LOW)),
                             names_officials=bool(official), note=self.rng.choice(texts.VALID_NOTES))
        if s.final == "valid":
            if s.supervise:
                self._supervise(clue, tl)
            return clue
        self.at(tl.step(1, 2 * DAY))
        tracks = self._assign(clue, s, clerk)
        self._play(clue, s, tl, tracks, text, official)
        return clue

    def _assign(self, clue: Clue, s: Story, clerk: Any) -> list[tuple[Assignment, str]]:
        note = self.rng.choice(texts.ASSIGN_NOTES)
        if s.dual:
            police, discipline = services.clue_assign_dual(
                clue=clue, police_unit=self.org.units[s.unit], discipline_unit=self.org.units["jh_discipline"],
                actor=clerk, note=self.rng.choice(texts.DUAL_NOTES))
            return [(police, s.unit), (discipline, "jh_discipline")]
        return [(services.clue_assign(clue=clue, unit=self.org.units[s.unit], actor=clerk, note=note), s.unit)]

    def _play(self, clue: Clue, s: Story, tl: Timeline, tracks: list[tuple[Assignment, str]], text: texts.ReportText,
              official: str) -> None:
        final = {"review": "closed", "reopened": "closed"}.get(s.final, s.final)
        upto = {"assigned": "assigned", "verifying": self.rng.choice(("verifying", "musts")),
                "concluded": "concluded", "signed": "signed", "closed": "signed"}[final]
        repeats = s.repeats - (1 if s.final in ("review", "reopened") else 0)
        if s.escalate:
            if self.rng.random() < 0.5:
                self.at(tl.step(4, 4 * DAY))
                services.clue_start(clue=clue, actor=self.user(UNITS[s.unit].verifier))
            self.at(tl.step(DAY, 6 * DAY))
            target = "wh_brigade" if s.escalate == "upgrade" else "ja_dazhi"
            reason = texts.escalate_reason(self.rng, mode=s.escalate, official_name=official)
            new = services.clue_escalate(clue=clue, actor=self.user("director.wuhan"), unit=self.org.units[target],
                                         mode=s.escalate, reason=reason)
            tracks = [(new, target)]
        if s.supervise:
            self._supervise(clue, tl)
        for _ in range(repeats):
            self._repeat(clue, s, tl, text)
        # A dual clue's second track (discipline) may lag one step behind the police track.
        goals = [TRACK_STEPS.index(upto)] * len(tracks)
        if len(tracks) > 1 and final in ("verifying", "assigned") and self.rng.random() < 0.5:
            goals[1] = max(0, goals[1] - 1)
        for phase in (1, 2, 3, 4):  # the tracks advance side by side: start, musts, conclusion, sign-off
            for (assignment, unit), goal in zip(tracks, goals, strict=True):
                if goal >= phase or (phase == 4 and goal == 3 and final == "concluded"):
                    self._phase(phase, clue, assignment, unit, goal, tl, text, s, official)
        if s.supervise and self.rng.random() < 0.5 and final in ("assigned", "verifying", "concluded"):
            self.at(tl.step(3 * DAY, 10 * DAY))
            services.clue_report_progress(clue=clue, actor=self.user(UNITS[tracks[0][1]].verifier),
                                          text=self.rng.choice(texts.PROGRESS), assignment_id=tracks[0][0].pk)
        if final != "closed":
            return
        self._close(clue, s, tl, tracks)
        if s.final == "review":
            tl.jump(self.now - dt.timedelta(days=self.rng.uniform(1, 15)))
            self._repeat(clue, s, tl, text)
        elif s.final == "reopened":
            tl.jump(self.now - dt.timedelta(days=self.rng.uniform(15, 70)))
            self._repeat(clue, s, tl, text)
            self.at(tl.step(DAY, 5 * DAY))
            unit = tracks[0][1] if tracks[0][1] != "jh_housing" else "jh_minzu"
            # An escalated clue goes back to the unit that verified it: only the city office reaches it.
            actor = self.user("director.wuhan") if s.escalate else self._clerk(s.place)
            new = services.clue_reopen(clue=clue, actor=actor, unit=self.org.units[unit],
                                       reason=self.rng.choice(texts.REOPEN_REASONS))
            if self.rng.random() < 0.6:
                self.at(tl.step(DAY, 4 * DAY))
                services.clue_start(clue=clue, actor=self.user(UNITS[unit].verifier), assignment_id=new.pk)

    def _phase(self, phase: int, clue: Clue, a: Assignment, unit: str, goal: int, tl: Timeline,
               text: texts.ReportText, s: Story, official: str) -> None:
        """One phase of one track: 1 start, 2 the three musts, 3 conclusion, 4 signatures (all, or some)."""
        people = UNITS[unit]
        verifier = self.user(people.verifier)
        if phase == 1:
            if a.state == "assigned":
                self.at(tl.step(4, 4 * DAY))
                services.clue_start(clue=clue, actor=verifier, assignment_id=a.pk)
            return
        if phase == 2:
            self._musts(clue, a, verifier, tl)
            return
        if phase == 3:
            self._conclude(clue, a, unit, tl, text, s, official)
            if s.returned and unit != "jh_discipline":
                self.at(tl.step(DAY, 4 * DAY))
                services.clue_return(clue=clue, actor=self._clerk(s.place),
                                     reason=self.rng.choice(texts.RETURN_REASONS), assignment_id=a.pk)
                self.at(tl.step(4, 2 * DAY))
                services.clue_start(clue=clue, actor=verifier, assignment_id=a.pk)
                self._conclude(clue, a, unit, tl, text, s, official)
            return
        chain = people.chain
        for name in chain if goal >= 4 else chain[: self.rng.randint(0, len(chain) - 1)]:
            self.at(tl.step(3, 2 * DAY))
            services.clue_sign(clue=clue, actor=self.user(name), assignment_id=a.pk,
                               comment=self.rng.choice(("同意。", "同意核查结论。", "", "")))

    def _musts(self, clue: Clue, a: Assignment, verifier: Any, tl: Timeline) -> None:
        self.at(tl.step(DAY, 8 * DAY))
        met = self._met(clue)
        met_note, recheck = texts.musts_notes(self.rng, met=met, when=tl.t)
        services.clue_record_musts(clue=clue, actor=verifier, reporter_met=met, reporter_met_note=met_note,
                                   content_rechecked=True, content_recheck_note=recheck,
                                   feedback_planned=met == "met", assignment_id=a.pk,
                                   feedback_note="核查结束后当面反馈" if met == "met" else "")

    def _conclude(self, clue: Clue, a: Assignment, unit: str, tl: Timeline, text: texts.ReportText, s: Story,
                  official: str) -> None:
        if s.late:  # concluded well after the 30-day deadline
            self.at(tl.jump(tl.t + dt.timedelta(days=self.rng.uniform(30, 45))))
        elif s.final in ("concluded", "signed"):  # still in sign-off or awaiting feedback: recent work
            self.at(tl.jump(self.now - dt.timedelta(days=self.rng.uniform(4, 25))))
        else:
            self.at(tl.step(2 * DAY, 14 * DAY))
        if unit == "jh_discipline":
            finding = texts.discipline_finding(self.rng, conclusion=s.conclusion,
                                               official_name=official or "相关公职人员")
        else:
            finding = texts.finding(self.rng, conclusion=s.conclusion, text=text)
        services.clue_conclude(clue=clue, actor=self.user(UNITS[unit].verifier), conclusion=s.conclusion,
                               finding=finding, assignment_id=a.pk)

    def _met(self, clue: Clue) -> str:
        public = clue.reports.filter(channel__in=list(PUBLIC))
        if not public.exists():
            return "not_applicable"
        return "met" if public.filter(reporter__reachable=True).exists() else "unreachable"

    def _close(self, clue: Clue, s: Story, tl: Timeline, tracks: list[tuple[Assignment, str]]) -> None:
        clerk = self._clerk(s.place)
        self.at(tl.step(DAY, 4 * DAY))
        public = clue.reports.filter(channel__in=list(PUBLIC))
        if public.filter(reporter__reachable=True).exists():
            services.clue_feedback(clue=clue, actor=clerk, text=texts.feedback_text(self.rng, "met"))
        elif public.exists():
            services.clue_feedback(clue=clue, actor=clerk, impossible_reason=texts.feedback_text(self.rng, "anonymous"))
        else:
            kind = texts.FEEDBACK["none"][1 if s.channel == "higher_referral" else 0]
            services.clue_feedback(clue=clue, actor=clerk, impossible_reason=kind)
        unit = tracks[0][1]
        self.at(tl.step(6, 3 * DAY))
        services.clue_reply(clue=clue, actor=self.user(UNITS[unit].replier),
                            text=texts.reply_text(self.rng, unit=self.org.units[unit].name,
                                                  chain=UNITS[unit].chain_name))
        self.at(tl.step(6, 3 * DAY))
        services.clue_close(clue=clue, actor=clerk)

    def _supervise(self, clue: Clue, tl: Timeline) -> None:
        self.at(tl.step(DAY, 5 * DAY))
        services.clue_supervise(clue=clue, actor=self.user("director.wuhan"), level="municipal",
                                interval_days=self.rng.choice((7, 15, 15, 30)),
                                note=self.rng.choice(texts.SUPERVISE_NOTES))

    def _repeat(self, clue: Clue, s: Story, tl: Timeline, text: texts.ReportText) -> None:
        """Another report of the same matter: received as a new clue, triaged as its duplicate."""
        channel = self.rng.choice(PUBLIC)
        kind = "named" if channel == "visit" else self.rng.choice(("named", "contact", "anonymous"))
        again = texts.repeat_text(self.rng, original=text, channel=channel)
        new = self._receive(place=s.place, channel=channel, reporter=kind, subject=again.subject,
                            content=again.content, when=tl.step(DAY, 10 * DAY), location=again.location)
        self.at(tl.step(1, DAY))
        services.clue_triage(clue=new, actor=self._clerk(s.place), decision="duplicate", duplicate_of=clue,
                             note=f"与{clue.number}反映同一问题，并案处理。")

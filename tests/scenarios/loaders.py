"""Records that amount to the facts of the seeds, loaded the way the offices would record them.

Case records (cases, suspects, assets, umbrellas, fugitives, links from clues) go through the
services of ``saohei.cases.services``, with the personas of the demo organisation as actors. Clues
are bulk-created in their end state: walking thousands of clues through triage, assignment and
the five-chief sign-off would take minutes and is what the clue tests cover; here they are only
what the case rate and the referred-clue figures count.

Every date lies in the past (the services refuse future dates) and inside the scenario's period,
which ends today.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F
from django.utils import timezone

from saohei.cases import services as cases
from saohei.cases.choices import Custody, FugitiveOutcome, OrganizationType
from saohei.cases.models import Case, CaseClue, Fugitive
from saohei.clues.choices import Conclusion, State
from saohei.clues.models import Clue
from saohei.core.filters import day_start
from saohei.figures.tallies import outcome_tallies_rebuild
from saohei.intake.choices import Channel
from saohei.orgs.choices import Role
from saohei.orgs.models import Jurisdiction, Office
from saohei.orgs.services import jurisdiction_national_root, membership_grant, office_create, user_create


@dataclass
class Scenario:
    jurisdiction: Jurisdiction
    start: dt.date
    end: dt.date
    cases: list[Case] = field(default_factory=list)


def _spread(start: dt.date, end: dt.date, i: int) -> dt.date:
    """The i-th of a run of days spread over [start, end]."""
    return start + dt.timedelta(days=i % ((end - start).days + 1))


def _clues(
    org: Any, *, place: str, count: int, start: dt.date, end: dt.date, source: str = Channel.HOTLINE,
    signed: int = 0, prefix: str,
) -> list[Clue]:
    """``count`` valid clues triaged and assigned in the period, the first ``signed`` of them
    concluded substantiated and signed off in it."""
    office: Office = org.offices[place]
    j: Jurisdiction = org.places[place]
    rows = []
    for i in range(count):
        moment = day_start(_spread(start, end, i)) + dt.timedelta(hours=9)
        done = i < signed
        rows.append(Clue(
            number=f"{prefix}{i:06d}", title=f"{prefix}线索{i}", source=source, office=office, jurisdiction=j,
            jurisdiction_path=j.path, report_count=1, triaged_at=moment, assigned_at=moment,
            deadline=end + dt.timedelta(days=30),
            state=State.SIGNED if done else State.VERIFYING,
            concluded_at=moment if done else None, signed_at=moment if done else None,
            conclusion=Conclusion.SUBSTANTIATED if done else "", concluded_on_time=True if done else None,
        ))
    created = Clue.objects.bulk_create(rows, batch_size=500)
    # created_at is set on insert: move it to the day the clue came in.
    Clue.objects.filter(number__startswith=prefix).update(created_at=F("triaged_at"))
    for clue in created:
        clue.created_at = clue.triaged_at
    return created


# --- seed 004: 江汉区 -----------------------------------------------------------------------------

SEED_004_ASSETS = [  # (kind, state, amount): 27,160,000 yuan sealed or frozen
    ("real_estate", "sealed", "12800000.00"),
    ("real_estate", "sealed", "6350000.00"),
    ("deposit", "frozen", "4210000.00"),
    ("deposit", "frozen", "2480000.00"),
    ("vehicle", "sealed", "860000.00"),
    ("deposit", "frozen", "460000.00"),
]


def seed_004(org: Any, *, today: dt.date | None = None) -> Scenario:
    """江汉区 so far (seed 004): 175 people criminally detained, 53 cases solved, 1 mafia-type
    organisation, 33 evil-force gangs and 3 evil-force groups destroyed, 27.16 million yuan of assets
    sealed or frozen, 68 clues referred by higher offices, all verified.

    Around them, records that must not count: a destroyed gang's case voided as a mistake, suspects
    and a destroyed gang of 江岸区, and 2 protection cases (seen only by directors and the discipline
    commission).
    """
    today = today or timezone.localdate()
    start = today - dt.timedelta(days=364)
    director = org.users["director.jianghan"]
    j, office, unit = org.places["jianghan"], org.offices["jianghan"], org.units["jh_brigade"]
    s = Scenario(jurisdiction=j, start=start, end=today)
    types = [OrganizationType.MAFIA_TYPE] + [OrganizationType.EVIL_FORCE_GANG] * 33 + [
        OrganizationType.EVIL_FORCE_GROUP] * 3 + [""] * 16
    for i, kind in enumerate(types):  # 53 cases: 37 organisations and 16 other gang-related crimes
        day = _spread(start, today, i * 7)
        case = cases.case_create(
            actor=director, office=office, jurisdiction=j, unit=unit, origin="police", filed_on=day,
            title=f"江汉区涉黑涉恶案件{i + 1}", organization_type=kind,
            organization_name=f"万某等人犯罪团伙{i + 1}" if kind else "",
        )
        cases.case_solve(actor=director, case=case, solved_on=day)
        if kind:
            cases.case_destroyed_record(actor=director, case=case, destroyed_on=day)
        s.cases.append(case)
    for i in range(175):  # 175 criminally detained, spread over the cases
        case = s.cases[i % len(s.cases)]
        cases.suspect_add(actor=director, case=case, name=f"嫌疑人{i + 1}", role="leader" if i < 37 else "member",
                          custody=Custody.DETAINED, custody_on=max(case.solved_on or start, start))
    for i, (kind, state, amount) in enumerate(SEED_004_ASSETS):
        case = s.cases[i]
        cases.asset_record(actor=director, case=case, kind=kind, description=f"涉案资产{i + 1}", amount=amount,
                           state=state, secured_on=case.solved_on or today)
    _clues(org, place="jianghan", count=68, start=start, end=today, source=Channel.HIGHER_REFERRAL, signed=68,
           prefix="SJ")
    for i in range(2):
        umbrella = cases.umbrella_open(actor=director, name=f"某公职人员{i + 1}", position="街道办事处副主任",
                                       handling_unit=org.units["jh_discipline"], opened_on=start, case=s.cases[i])
        cases.umbrella_conclude(actor=director, umbrella=umbrella, outcome="party_discipline", outcome_on=today)
    # What must not count: a case recorded by mistake, voided with its suspect and asset …
    mistake = cases.case_create(actor=director, office=office, jurisdiction=j, unit=unit, origin="police",
                                title="误录案件", organization_type=OrganizationType.EVIL_FORCE_GANG, filed_on=start)
    cases.case_solve(actor=director, case=mistake, solved_on=start)
    cases.case_destroyed_record(actor=director, case=mistake, destroyed_on=start)
    cases.suspect_add(actor=director, case=mistake, name="误录人员", role="member", custody=Custody.DETAINED,
                      custody_on=start)
    cases.asset_record(actor=director, case=mistake, kind="cash", description="误录资产", amount="1000000.00",
                       state="seized", secured_on=start)
    cases.record_void(actor=director, record=mistake, reason="重复录入，作废")
    # … and 江岸区's records.
    ja = org.users["director.jiangan"]
    other = cases.case_create(actor=ja, office=org.offices["jiangan"], jurisdiction=org.places["jiangan"],
                              unit=org.units["ja_brigade"], origin="police", title="江岸区恶势力团伙案",
                              organization_type=OrganizationType.EVIL_FORCE_GANG, filed_on=start)
    cases.case_solve(actor=ja, case=other, solved_on=today)
    cases.case_destroyed_record(actor=ja, case=other, destroyed_on=today)
    for i in range(4):
        cases.suspect_add(actor=ja, case=other, name=f"江岸嫌疑人{i}", role="member", custody=Custody.DETAINED,
                          custody_on=today)
    _clues(org, place="jiangan", count=5, start=start, end=today, source=Channel.HIGHER_REFERRAL, signed=2,
           prefix="SA")
    outcome_tallies_rebuild()  # loaded straight into the tables, as a bulk load would be
    return s


# --- seed 001: the national office -------------------------------------------------------------

CAUGHT_BY = [FugitiveOutcome.ARRESTED, FugitiveOutcome.SURRENDERED, FugitiveOutcome.PERSUADED,
             FugitiveOutcome.EXTRADITED]


@dataclass
class NationalScenario(Scenario):
    director: Any = None
    clues: list[Clue] = field(default_factory=list)


def national_director(org: Any) -> Any:
    """The national office and its director (the demo organisation starts at the province)."""
    root = jurisdiction_national_root()
    office = Office.objects.filter(jurisdiction=root).first() or office_create(
        jurisdiction=root, name="全国扫黑除恶斗争领导小组办公室", actor=None)
    user = user_create(username="director.national", password="demo-password", display_name="全国扫黑办主任")
    membership_grant(user=user, role=Role.OFFICE_DIRECTOR, actor=None, office=office, title="全国扫黑办主任")
    org.offices["national"] = office
    org.places["national"] = root
    org.users["director.national"] = user
    return user


def seed_001(org: Any, *, today: dt.date | None = None) -> NationalScenario:
    """The national office this year (seed 001): target fugitives 680 listed in 2021 and 150 this year,
    712 of the 830 caught (85.8%); 5,100 valid clues, all assigned, 2,333 concluded, of which 357
    formed cases (case rate 15.3%).

    Records sit in 湖北 (江汉区, 江岸区, 武汉市) and count at the national root; a fugitive caught or
    listed after today, or listed in 2021 and died, is among the listed and not among the caught.
    """
    today = today or timezone.localdate()
    start = dt.date(today.year, 1, 1)
    director = national_director(org)
    root = org.places["national"]
    s = NationalScenario(jurisdiction=root, start=start, end=today, director=director)
    places = ["jianghan", "jiangan", "wuhan"]
    # Target fugitives: 680 listed in 2021, 150 this year; 712 caught (600 of 2021's, 112 of this year's).
    # This year's and a sample of 2021's go through the services; the rest of 2021's list is bulk-loaded
    # as the services would have left it (an import of last year's register).
    def day_listed(i: int) -> dt.date:
        return _spread(dt.date(2021, 1, 4), dt.date(2021, 12, 30), i) if i < 680 else _spread(start, today, i)

    def caught_on(i: int, listed_on: dt.date) -> tuple[str, dt.date]:
        return CAUGHT_BY[i % 4], max(listed_on, _spread(start, today, i))

    caught = set(range(600)) | set(range(680, 792))
    by_service = list(range(40)) + list(range(600, 610)) + list(range(680, 830))
    for i in by_service:
        place = places[i % 3]
        fugitive = cases.fugitive_add(actor=director, office=org.offices[place], jurisdiction=org.places[place],
                                      name=f"目标逃犯{i + 1}", listed_on=day_listed(i))
        if i in caught:
            outcome, on = caught_on(i, fugitive.listed_on)
            cases.fugitive_outcome_record(actor=director, fugitive=fugitive, outcome=outcome, on=on)
        elif i == 600:
            cases.fugitive_outcome_record(actor=director, fugitive=fugitive, outcome=FugitiveOutcome.DIED, on=start)
    rows = []
    for i in sorted(set(range(680)) - set(by_service)):
        place = places[i % 3]
        listed_on = day_listed(i)
        outcome, on = caught_on(i, listed_on) if i in caught else (FugitiveOutcome.AT_LARGE, None)
        rows.append(Fugitive(office=org.offices[place], jurisdiction_path=org.places[place].path,
                             name=f"目标逃犯{i + 1}", listed_on=listed_on, outcome=outcome, outcome_on=on,
                             created_by=director))
    Fugitive.objects.bulk_create(rows, batch_size=500)
    # Clues: 5,100 valid and assigned this year (spread over the three places), 2,333 concluded, 357 formed cases.
    per_place = {"jianghan": (1700, 778, "NJH"), "jiangan": (1700, 778, "NJA"), "wuhan": (1700, 777, "NWH")}
    for place, (count, signed, prefix) in per_place.items():
        s.clues += _clues(org, place=place, count=count, start=start, end=today, signed=signed, prefix=prefix)
    concluded = [c for c in s.clues if c.signed_at is not None]
    formed = concluded[::6][:357]
    units = {"jianghan": "jh_brigade", "jiangan": "ja_brigade", "wuhan": "wh_brigade"}
    by_path: dict[str, Case] = {}
    through_service: list[Clue] = []
    for place in places:  # one case per place, formed from its first clue, then linked to two more
        path = org.places[place].path
        mine = [c for c in formed if c.jurisdiction_path == path]
        case = cases.case_create(actor=director, office=org.offices[place], jurisdiction=org.places[place],
                                 unit=org.units[units[place]], title=f"{org.places[place].name}涉黑涉恶案件",
                                 filed_on=start, clues=mine[:1])
        for clue in mine[1:3]:
            cases.case_clue_link(actor=director, case=case, clue=clue)
        through_service += mine[:3]
        by_path[path] = case
        s.cases.append(case)
    linked = {c.pk for c in through_service}
    CaseClue.objects.bulk_create(
        [CaseClue(case=by_path[c.jurisdiction_path], clue=c, linked_by=director) for c in formed if c.pk not in linked],
        batch_size=500,
    )
    # A clue whose only case is voided later does not count as formed.
    chosen = {c.pk for c in formed}
    spare = next(c for c in concluded if c.pk not in chosen and c.jurisdiction_path == org.places["jianghan"].path)
    mistake = cases.case_create(actor=director, office=org.offices["jianghan"], jurisdiction=org.places["jianghan"],
                                unit=org.units["jh_brigade"], title="误录案件", filed_on=start, clues=[spare])
    cases.record_void(actor=director, record=mistake, reason="重复录入，作废")
    outcome_tallies_rebuild()  # loaded straight into the tables, as a bulk load would be
    return s


SEED_004_TOTAL = sum((Decimal(a) for _k, _s, a in SEED_004_ASSETS), Decimal(0))

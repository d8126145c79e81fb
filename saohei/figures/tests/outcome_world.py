"""A small hand-counted world of case records in 江汉 and 江岸 for the outcome-figure tests.

Records are written with the ORM so that every date can sit exactly on, just inside or just
outside the edges of the period (the services refuse future dates and keep first dates only).
Period: PERIOD_START to PERIOD_END (2025 H1). "in" = counted, "out" = not.

Cases (江汉 unless marked 江岸):
| C1 | mafia-type, destroyed on START (in), solved START (in), indicted END (in), 1st judgment END+1 (out) |
| C2 | evil-force gang, destroyed END (in), solved START-1 (out)                                         |
| C3 | evil-force gang, destroyed END+1 (out), solved END (in)                                           |
| C4 | evil-force group, destroyed in the period but the case is voided (out everywhere)                 |
| C5 | administrative case, solved in the period (out: "cases solved" counts criminal cases)             |
| C6 | no organisation, solved, first-instance and effective judgments in the period (in)                |
| A1 | 江岸: evil-force gang destroyed, solved in the period                                            |
| A2 | 江岸: evil-force group filed END+1 (out)                                                          |

Filed (立案): C1 mafia-type START (in), C2 gang START-1 (out), C3 gang END (in), A1 gang (in).

Suspects: S1 detained START + arrested later (detained, arrested, captured); S2 detained before the
period, arrested in it (arrested; not captured: first caught before); S3 arrested END, never detained,
surrendered (arrested, captured, surrendered); S4 detained END+1, surrendered (out); S5 voided;
S6 indicted and judged in the period; S7 江岸 detained in the period.

Assets: 20,000,000 sealed on START and 7,160,000 frozen on END, now confiscated (in: 27.16 million);
1,000 seized END+1 (out); 5,000,000 voided (out); 江岸 3,000,000 seized in the period.

Umbrellas (江汉): U1 opened in the period, party discipline in it; U2 opened before, transferred to
judicial organs in the period; U3 opened in the period, not substantiated; U4 voided.

Fugitives (江汉): F1 listed 2021, arrested 2024; F2 listed 2021, at large; F3 listed in the period,
surrendered END; F4 listed in the period, died; F5 listed in the period, arrested END+1 (not caught by
the end); F6 listed END+1 (out); F7 voided.

Clues (江汉): K1 signed START, formed C1; K2 signed END, linked only to voided C4; K3 signed START-1,
formed C1 (out); K4 signed in the period, no case; K5 referred by a higher office in the period and
signed in it; K6 referred, not signed; K7 referred, signed END+1.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from saohei.cases.models import Asset, Case, CaseClue, Fugitive, Suspect, Umbrella
from saohei.clues.models import Clue
from saohei.clues.tests.helpers import receive
from saohei.figures.tallies import outcome_tallies_rebuild

START = dt.date(2025, 1, 1)
END = dt.date(2025, 6, 30)
DAY = dt.timedelta(days=1)
MID = dt.date(2025, 3, 15)

JIANGHAN = {
    "filed_mafia_type": 1,
    "filed_evil_force_gang": 1,
    "filed_evil_force_group": 0,
    "destroyed_mafia_type": 1,
    "destroyed_evil_force_gang": 1,
    "destroyed_evil_force_group": 0,
    "destroyed": 2,
    "cases_solved": 3,
    "suspects_detained": 1,
    "suspects_arrested": 3,
    "suspects_captured": 2,
    "suspects_surrendered": 1,
    "cases_indicted": 1,
    "persons_indicted": 1,
    "cases_first_judgment": 1,
    "cases_effective_judgment": 1,
    "persons_judged": 1,
    "fugitives_listed": 5,
    "fugitives_listed_earlier": 2,
    "fugitives_listed_new": 3,
    "fugitives_caught": 2,
    "clues_concluded": 4,
    "clues_formed_case": 1,
    "clues_referred": 3,
    "clues_referred_verified": 1,
}
JIANGAN = {name: 0 for name in JIANGHAN} | {
    "filed_evil_force_gang": 1,
    "destroyed_evil_force_gang": 1,
    "destroyed": 1,
    "cases_solved": 1,
    "suspects_detained": 1,
    "suspects_captured": 1,
}
WUHAN = {k: JIANGHAN[k] + JIANGAN[k] for k in JIANGHAN}
JIANGHAN_ASSETS = Decimal("27160000.00")
JIANGAN_ASSETS = Decimal("3000000.00")
JIANGHAN_PROTECTION = {"opened": 2, "sanctioned": 2, "transferred": 1}


@dataclass
class World:
    cases: dict[str, Case]
    clues: dict[str, Clue]


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 30)))


def build(org: Any) -> World:
    voided = {"voided_at": timezone.now(), "void_reason": "录入错误"}
    cases: dict[str, Case] = {}

    def case(key: str, place: str = "jianghan", **kw: Any) -> Case:
        j = org.places[place]
        cases[key] = Case.objects.create(
            number=f"T-{key}", title=f"案件{key}", office=org.offices[place], jurisdiction=j,
            jurisdiction_path=j.path, **kw,
        )
        return cases[key]

    case("C1", organization_type="mafia_type_organization", destroyed=True, destroyed_on=START, solved_on=START,
         indicted_on=END, first_judgment_on=END + DAY, filed_on=START)
    case("C2", organization_type="evil_force_gang", destroyed=True, destroyed_on=END, solved_on=START - DAY,
         filed_on=START - DAY)
    case("C3", organization_type="evil_force_gang", destroyed=True, destroyed_on=END + DAY, solved_on=END,
         filed_on=END)
    case("C4", organization_type="evil_force_group", destroyed=True, destroyed_on=MID, solved_on=MID, **voided)
    case("C5", kind="administrative", solved_on=MID)
    case("C6", solved_on=MID, first_judgment_on=MID, effective_judgment_on=END)
    case("A1", "jiangan", organization_type="evil_force_gang", destroyed=True, destroyed_on=MID, solved_on=MID,
         filed_on=MID)
    case("A2", "jiangan", organization_type="evil_force_group", filed_on=END + DAY)

    def suspect(name: str, on: str = "C1", **kw: Any) -> None:
        c = cases[on]
        Suspect.objects.create(case=c, jurisdiction_path=c.jurisdiction_path, name=name, **kw)

    suspect("S1", detained_on=START, arrested_on=MID, custody="arrested")
    suspect("S2", detained_on=START - 5 * DAY, arrested_on=START + 3 * DAY, custody="arrested")
    suspect("S3", arrested_on=END, custody="arrested", surrendered=True)
    suspect("S4", detained_on=END + DAY, custody="detained", surrendered=True)
    suspect("S5", detained_on=MID, custody="detained", **voided)
    suspect("S6", detained_on=dt.date(2024, 5, 1), indicted_on=MID, judged_on=END, outcome="convicted")
    suspect("S7", "A1", detained_on=MID, custody="detained")

    def asset(on: str, amount: str, state: str, secured_on: dt.date, **kw: Any) -> None:
        c = cases[on]
        Asset.objects.create(case=c, jurisdiction_path=c.jurisdiction_path, kind="deposit", description="账户",
                             amount=Decimal(amount), state=state, secured_on=secured_on, state_on=secured_on, **kw)

    asset("C1", "20000000.00", "sealed", START)
    asset("C1", "7160000.00", "confiscated", END)
    asset("C1", "1000.00", "seized", END + DAY)
    asset("C6", "5000000.00", "frozen", MID, **voided)
    asset("A1", "3000000.00", "seized", MID)

    jh = org.places["jianghan"]

    def umbrella(name: str, opened_on: dt.date, outcome: str = "", outcome_on: dt.date | None = None,
                 **kw: Any) -> None:
        Umbrella.objects.create(
            case=cases["C1"], office=org.offices["jianghan"], jurisdiction_path=jh.path, name=name,
            position="某局科长", handling_unit=org.units["jh_discipline"], opened_on=opened_on, outcome=outcome,
            outcome_on=outcome_on, state="concluded" if outcome else "under_investigation", **kw,
        )

    umbrella("U1", MID, "party_discipline", END)
    umbrella("U2", START - 30 * DAY, "transferred_judicial", START)
    umbrella("U3", MID, "not_substantiated", MID)
    umbrella("U4", MID, "party_discipline", MID, **voided)

    def fugitive(name: str, listed_on: dt.date, outcome: str = "at_large", outcome_on: dt.date | None = None,
                 **kw: Any) -> None:
        Fugitive.objects.create(office=org.offices["jianghan"], jurisdiction_path=jh.path, name=name,
                                listed_on=listed_on, outcome=outcome, outcome_on=outcome_on, **kw)

    fugitive("F1", dt.date(2021, 3, 1), "arrested", dt.date(2024, 5, 1))
    fugitive("F2", dt.date(2021, 6, 1))
    fugitive("F3", START, "surrendered", END)
    fugitive("F4", MID, "died", MID)
    fugitive("F5", END, "arrested", END + DAY)
    fugitive("F6", END + DAY)
    fugitive("F7", MID, **voided)

    clues: dict[str, Clue] = {}

    def clue(key: str, *, signed: dt.date | None = None, created: dt.date = MID, source: str = "hotline",
             case_key: str | None = None) -> None:
        c = receive(org, subject=key)
        Clue.objects.filter(pk=c.pk).update(
            source=source, created_at=_at(created), signed_at=_at(signed) if signed else None,
            state="signed" if signed else "assigned", conclusion="substantiated" if signed else "",
        )
        if case_key:
            CaseClue.objects.create(case=cases[case_key], clue=c)
        clues[key] = Clue.objects.get(pk=c.pk)

    clue("K1", signed=START, created=START - 10 * DAY, case_key="C1")
    clue("K2", signed=END, case_key="C4")
    clue("K3", signed=START - DAY, created=START - 30 * DAY, case_key="C1")
    clue("K4", signed=MID)
    clue("K5", signed=MID, source="higher_referral")
    clue("K6", source="higher_referral")
    clue("K7", signed=END + DAY, source="higher_referral")
    outcome_tallies_rebuild()  # the world is written straight to the tables, as a bulk load would be
    return World(cases=cases, clues=clues)

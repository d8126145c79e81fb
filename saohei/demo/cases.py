"""Demo cases: what the substantiated demo clues of 江汉区 and 江岸区 turned into.

About twenty cases at every stage from investigation to execution, with suspects in custody, assets
sealed and frozen, protective umbrellas from the discipline track of dual-assigned clues, target
fugitives with their pursuit teams, consultations, and one accountability review of a clue concluded
unsubstantiated — all written through the cases services, on dates after the clues were signed.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from saohei.cases import services
from saohei.cases.choices import (
    STAGE_ORDER,
    AssetKind,
    AssetState,
    CaseOrigin,
    Custody,
    FugitiveLocation,
    FugitiveOutcome,
    OrganizationType,
    Stage,
    SuspectOutcome,
    UmbrellaOutcome,
)
from saohei.cases.models import Case, Suspect
from saohei.clues.choices import Conclusion, State, Track
from saohei.clues.models import Clue
from saohei.demo.org import DemoOrg
from saohei.demo.texts import person, short_name
from saohei.demo.texts.places import OFFICIALS, SURNAMES
from saohei.orgs.choices import WorkingGroupKind
from saohei.orgs.services import working_group_create

SIGNED = (State.SIGNED, State.CLOSED)
FOUNDED = (Conclusion.SUBSTANTIATED, Conclusion.PARTLY)
# Organisation types in the proportions of seed 004 (1 mafia-type, 3 groups, 33 gangs), with some cases
# that dismantled no organisation at all.
ORG_TYPES = [OrganizationType.EVIL_FORCE_GANG] * 10 + [OrganizationType.EVIL_FORCE_GROUP] * 2 + [
    OrganizationType.NONE] * 4
# How far each case has come: its last stage, by age.
DEPTHS = [0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 5, 6]
DAYS_PER_STAGE = 14


@dataclass(frozen=True)
class Place:
    key: str
    director: str
    chief: str
    brigade: str
    procuratorate: str
    court: str
    execution: str
    discipline: str
    prosecutor: str
    judge: str


PLACES = {
    "jianghan": Place("jianghan", "director.jianghan", "chief.jianghan", "jh_brigade", "jh_procuratorate", "jh_court",
                      "jh_justice", "jh_discipline", "prosecutor.jianghan", "judge.jianghan"),
    "jiangan": Place("jiangan", "director.jiangan", "chief.jiangan", "ja_brigade", "ja_procuratorate", "ja_court",
                     "ja_court", "ja_discipline", "director.jiangan", "director.jiangan"),
}
CRIMES = {"other": "涉恶", "protective_umbrella": "涉黑涉恶", "routine_loans": "套路贷", "mafia_organization": "涉黑"}
SENTENCES = [(18, "有期徒刑一年六个月"), (36, "有期徒刑三年"), (54, "有期徒刑四年六个月"), (96, "有期徒刑八年"),
             (150, "有期徒刑十二年六个月，并处没收个人全部财产")]
CONSULTATION = [
    ("团伙性质认定及证据标准", "公检法三家一致认定为恶势力犯罪团伙，补充调取资金流水后移送审查起诉。"),
    ("涉案财产处置", "对查封冻结财产逐项甄别，合法财产依法返还，违法所得依法追缴。"),
    ("追逃及保护伞线索移送", "成立追逃专班；涉公职人员线索移送区纪委监委。"),
]


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


class CaseBuilder:
    def __init__(self, org: DemoOrg, rng: random.Random, today: dt.date) -> None:
        self.org, self.rng, self.today = org, rng, today
        self.teams: dict[str, Any] = {}

    def user(self, name: str) -> Any:
        return self.org.users[name]

    def unit(self, key: str) -> Any:
        return self.org.units[key]

    # --- one case --------------------------------------------------------------------------------
    def build(self, place: Place, clue: Clue | None, org_type: str, depth: int, start: dt.date) -> Case:
        rng = self.rng
        leader = short_name(person(rng, nickname=False))
        category = clue.category.code if clue is not None and clue.category is not None else "other"
        crime = CRIMES.get(category) or (clue.category.name_zh_hans if clue and clue.category else "涉恶")
        if org_type == OrganizationType.MAFIA_TYPE:
            crime = "组织、领导、参加黑社会性质组织"
        kind_names: dict[str, str] = {
            OrganizationType.MAFIA_TYPE: "黑社会性质组织", OrganizationType.EVIL_FORCE_GROUP: "恶势力犯罪集团",
            OrganizationType.EVIL_FORCE_GANG: "恶势力团伙",
        }
        kind_name = kind_names.get(org_type, "")
        span = (self.today - start).days
        filed = start + _days(rng.randint(1, max(1, min(10, span // 4))))
        chief = self.user(place.chief)
        case = services.case_create(
            actor=chief if clue is None or Clue.objects.visible_to(chief).filter(pk=clue.pk).exists()
            else self.user(place.director),
            office=self.org.offices[place.key], jurisdiction=self.org.places[place.key],
            title=f"{leader}等人{crime}案", unit=self.unit(place.brigade),
            summary=clue.summary if clue is not None else "",
            origin=CaseOrigin.CLUES if clue is not None else CaseOrigin.POLICE, clues=[clue] if clue else [],
            organization_type=org_type, organization_name=f"以{leader}为首的{kind_name}" if kind_name else "",
            organization_leader=leader if kind_name else "", filed_on=filed,
            offences=[category] if category not in ("other",) else [],
            supervision_level="municipal" if org_type == OrganizationType.MAFIA_TYPE else "",
            lead_official="周建国" if org_type == OrganizationType.MAFIA_TYPE and place.key == "jianghan" else "",
            lead_official_position="区委常委、政法委书记" if org_type == OrganizationType.MAFIA_TYPE else "",
        )
        suspects = self._suspects(place, case, leader, filed, org_type)
        self._assets(place, case, filed)
        dates = self._stages(place, case, depth, filed, org_type)
        self._outcomes(place, case, suspects, dates)
        if depth >= 1:
            solved = filed + _days(rng.randint(3, max(3, (dates[Stage.PROSECUTION_REVIEW] - filed).days)))
            services.case_solve(actor=chief, case=case, solved_on=min(solved, dates[Stage.PROSECUTION_REVIEW]))
            if org_type:
                services.case_destroyed_record(actor=chief, case=case,
                                               destroyed_on=min(solved, dates[Stage.PROSECUTION_REVIEW]))
        if org_type and rng.random() < 0.5:
            topic, decisions = rng.choice(CONSULTATION)
            units = [self.unit(k) for k in (place.brigade, place.procuratorate, place.court)]
            services.consultation_record(actor=self.user(place.director), case=case,
                                         held_on=min(filed + _days(2), self.today),
                                         topic=topic, decisions=decisions, participants=units)
        at_large = [s for s in suspects if s.custody == Custody.AT_LARGE]
        if at_large:
            self._fugitive(place, case, at_large[0], filed)
        return case

    def _suspects(self, place: Place, case: Case, leader: str, filed: dt.date, org_type: str) -> list[Suspect]:
        rng, chief = self.rng, self.user(place.chief)
        sizes: dict[str, int] = {OrganizationType.MAFIA_TYPE: 12, OrganizationType.EVIL_FORCE_GROUP: 7}
        count = sizes.get(org_type, rng.randint(2, 5))
        out = []
        for i in range(count):
            name = leader if i == 0 else short_name(person(rng, nickname=False))
            role = "leader" if i == 0 else "core" if i < 3 else "member"
            at_large = i == count - 1 and rng.random() < 0.35
            surrendered = not at_large and rng.random() < 0.12
            detained = filed + _days(rng.randint(0, 6))
            s = services.suspect_add(
                actor=chief, case=case, name=name, role=role, birth_year=rng.randint(1965, 2000),
                custody=Custody.AT_LARGE if at_large else Custody.DETAINED,
                custody_on=None if at_large else min(detained, self.today), surrendered=surrendered,
            )
            if not at_large and rng.random() < 0.8:
                arrested = min(detained + _days(rng.randint(20, 37)), self.today)
                services.suspect_custody_change(actor=chief, suspect=s, custody=Custody.ARRESTED, on=arrested,
                                                unit=self.unit(place.brigade))
            elif not at_large and role == "member":
                services.suspect_custody_change(actor=chief, suspect=s, custody=Custody.BAIL,
                                                on=min(detained + _days(30), self.today))
            out.append(Suspect.objects.get(pk=s.pk))
        return out

    def _assets(self, place: Place, case: Case, filed: dt.date) -> None:
        rng, chief = self.rng, self.user(place.chief)
        for _i in range(rng.randint(1, 3)):
            kind = rng.choice([AssetKind.DEPOSIT, AssetKind.DEPOSIT, AssetKind.REAL_ESTATE, AssetKind.VEHICLE,
                               AssetKind.CASH, AssetKind.EQUITY])
            state = {AssetKind.DEPOSIT: AssetState.FROZEN, AssetKind.REAL_ESTATE: AssetState.SEALED,
                     AssetKind.EQUITY: AssetState.FROZEN}.get(kind, AssetState.SEIZED)
            amount = rng.choice([rng.randint(5, 80) * 10000, rng.randint(1, 40) * 100000, rng.randint(20, 300) * 1000])
            description = {AssetKind.DEPOSIT: "银行账户存款", AssetKind.REAL_ESTATE: "商铺一处",
                           AssetKind.VEHICLE: "小型轿车一辆", AssetKind.CASH: "现金",
                           AssetKind.EQUITY: "公司股权"}[kind]
            services.asset_record(actor=chief, case=case, kind=kind, description=description,
                                  holder=case.organization_leader or "", amount=str(amount), state=state,
                                  secured_on=min(filed + _days(rng.randint(0, 10)), self.today))

    def _stages(self, place: Place, case: Case, depth: int, filed: dt.date, org_type: str) -> dict[str, dt.date]:
        rng = self.rng
        mafia = org_type == OrganizationType.MAFIA_TYPE
        appeal = not mafia and rng.random() < 0.3  # an appeal goes to the intermediate court
        plan: list[str] = [Stage.PROSECUTION_REVIEW, Stage.INDICTED, Stage.FIRST_INSTANCE]
        plan += [Stage.SECOND_INSTANCE] if appeal else []
        plan += [Stage.EFFECTIVE_JUDGMENT, Stage.EXECUTION]
        units: dict[str, str] = {Stage.PROSECUTION_REVIEW: place.procuratorate, Stage.INDICTED: place.procuratorate,
                 Stage.FIRST_INSTANCE: place.court, Stage.SECOND_INSTANCE: "wh_court",
                 Stage.EFFECTIVE_JUDGMENT: "wh_court" if appeal else place.court, Stage.EXECUTION: place.execution}
        if mafia:  # a mafia-type organisation is prosecuted and tried at the city level
            units.update({Stage.INDICTED: "wh_procuratorate", Stage.FIRST_INSTANCE: "wh_court",
                          Stage.EFFECTIVE_JUDGMENT: "wh_court"})
        steps = plan[:depth]
        available = (self.today - filed).days - 1
        gap = max(1, available // (len(steps) + 1)) if steps else 0
        dates: dict[str, dt.date] = {Stage.INVESTIGATION: filed}
        day = filed
        for stage in steps:
            day = min(day + _days(max(1, gap - rng.randint(0, gap // 3))), self.today)
            services.case_stage_advance(actor=self._mover(place, case), case=case, stage=stage,
                                        unit=self.unit(units[stage]), started_on=day)
            case.refresh_from_db()
            dates[stage] = day
        last = dates[steps[-1]] if steps else filed
        for later in STAGE_ORDER:
            dates.setdefault(later, last)
        return dates

    def _mover(self, place: Place, case: Case) -> Any:
        unit = case.stage_unit
        if unit is not None and unit.jurisdiction_id != self.org.places[place.key].pk:
            return self.user("director.wuhan")
        by_unit = {place.brigade: place.chief, place.procuratorate: place.prosecutor, place.court: place.judge}
        for key, name in by_unit.items():
            if unit is not None and unit.pk == self.unit(key).pk:
                return self.user(name)
        return self.user(place.director)

    def _outcomes(self, place: Place, case: Case, suspects: list[Suspect], dates: dict[str, dt.date]) -> None:
        depth = STAGE_ORDER.index(case.stage)
        if depth < STAGE_ORDER.index(Stage.INDICTED):
            return
        actor = self.user(place.director)
        for s in suspects:
            if s.custody == Custody.AT_LARGE:
                continue
            services.suspect_outcome_record(actor=actor, suspect=s, outcome=SuspectOutcome.INDICTED,
                                            on=dates[Stage.INDICTED])
            if depth >= STAGE_ORDER.index(Stage.EFFECTIVE_JUDGMENT):
                months, sentence = SENTENCES[min(len(SENTENCES) - 1, 4 if s.role == "leader" else
                                                 self.rng.randint(0, 3))]
                services.suspect_outcome_record(actor=actor, suspect=s, outcome=SuspectOutcome.CONVICTED,
                                                on=dates[Stage.FIRST_INSTANCE], sentence=sentence,
                                                sentence_months=months)
        if depth >= STAGE_ORDER.index(Stage.EFFECTIVE_JUDGMENT):
            for asset in case.assets.all():
                services.asset_state_change(actor=actor, asset=asset, state=AssetState.CONFISCATED,
                                            on=max(dates[Stage.EFFECTIVE_JUDGMENT], asset.state_on),
                                            note="依生效判决没收")

    def _team(self, place: Place) -> Any:
        if place.key not in self.teams:
            self.teams[place.key] = working_group_create(
                office=self.org.offices[place.key], name=f"{self.org.places[place.key].name}追逃专班",
                kind=WorkingGroupKind.PURSUIT_TEAM, units=[self.unit(place.brigade)], actor=None)
        return self.teams[place.key]

    def _fugitive(self, place: Place, case: Case, suspect: Suspect, filed: dt.date) -> None:
        rng = self.rng
        f = services.fugitive_add(
            actor=self.user(place.chief), office=case.office, jurisdiction=case.jurisdiction, name=suspect.name,
            listed_on=min(filed + _days(15), self.today), case=case, suspect=suspect, pursuit_team=self._team(place),
            location=rng.choice([FugitiveLocation.HOME, FugitiveLocation.HOME, FugitiveLocation.ABROAD]),
        )
        if rng.random() < 0.6 and (self.today - f.listed_on).days > 5:
            outcome = rng.choice([FugitiveOutcome.ARRESTED, FugitiveOutcome.SURRENDERED, FugitiveOutcome.PERSUADED])
            if f.location == FugitiveLocation.ABROAD:
                outcome = FugitiveOutcome.EXTRADITED
            on = f.listed_on + _days(rng.randint(1, (self.today - f.listed_on).days))
            services.fugitive_outcome_record(actor=self.user(place.chief), fugitive=f, outcome=outcome, on=on)
            services.suspect_custody_change(actor=self.user(place.chief), suspect=suspect, custody=Custody.DETAINED,
                                            on=on, note="追逃到案")

    def umbrella(self, place: Place, case: Case, clue: Clue | None, opened: dt.date) -> None:
        rng = self.rng
        position, rest = rng.choice(OFFICIALS).split("{s}")
        district = self.org.places[place.key].name
        u = services.umbrella_open(
            actor=self.user("liaison.jianghan" if place.key == "jianghan" else place.director),
            name=rng.choice(SURNAMES) + rest, position=(district[:-1] if position[0] == "区" else district) + position,
            handling_unit=self.unit(place.discipline), opened_on=min(opened, self.today), case=case, clue=clue,
        )
        if rng.random() < 0.6 and (self.today - u.opened_on).days > 10:
            outcome = rng.choice([UmbrellaOutcome.PARTY_DISCIPLINE, UmbrellaOutcome.BOTH_SANCTIONS,
                                  UmbrellaOutcome.TRANSFERRED_JUDICIAL])
            handling = {UmbrellaOutcome.PARTY_DISCIPLINE: "给予党内严重警告处分。",
                        UmbrellaOutcome.BOTH_SANCTIONS: "给予撤销党内职务、政务撤职处分。",
                        UmbrellaOutcome.TRANSFERRED_JUDICIAL: "给予开除党籍、开除公职处分，涉嫌犯罪问题移送检察机关。"}
            services.umbrella_conclude(actor=self.user(place.director), umbrella=u, outcome=outcome,
                                       outcome_on=u.opened_on + _days(rng.randint(5, (self.today - u.opened_on).days)),
                                       handling=handling[outcome])


def _signed_day(clue: Clue) -> dt.date:
    return timezone.localdate(clue.signed_at) if clue.signed_at else timezone.localdate()


def demo_cases(org: DemoOrg, rng: random.Random, *, target: int = 20) -> int:
    """Form cases from the signed substantiated clues (and a few the police opened); returns how many."""
    today = timezone.localdate()
    builder = CaseBuilder(org, rng, today)
    clues = list(Clue.objects.filter(state__in=SIGNED, conclusion__in=FOUNDED, signed_at__isnull=False,
                                     jurisdiction__code__in=["420103", "420102"])
                 .select_related("category", "jurisdiction").order_by("signed_at", "pk"))
    clues = [c for c in clues if (today - _signed_day(c)).days >= 8]
    # Clues that were also assigned to the discipline commission come first: their umbrellas are the demo's.
    two_tracks = set(Clue.objects.filter(pk__in=[c.pk for c in clues], assignments__track=Track.DISCIPLINE)
                     .values_list("pk", flat=True))
    clues = [c for c in clues if c.pk in two_tracks][:3] + [c for c in clues if c.pk not in two_tracks]
    jiangan = [c for c in clues if c.jurisdiction.code == "420102"][: max(2, target // 5)]
    jianghan = [c for c in clues if c.jurisdiction.code == "420103"][: target - len(jiangan)]
    chosen = sorted(jianghan + jiangan, key=_signed_day)
    made: list[tuple[Place, Case, Clue | None]] = []
    org_types = list(ORG_TYPES)
    rng.shuffle(org_types)
    for i, clue in enumerate(chosen):
        place = PLACES["jianghan" if clue.jurisdiction.code == "420103" else "jiangan"]
        age = (today - _signed_day(clue)).days
        org_type = OrganizationType.MAFIA_TYPE if i == 0 and place.key == "jianghan" else org_types[i % len(org_types)]
        depth = min(rng.choice(DEPTHS) if i else 6, max(0, age // DAYS_PER_STAGE - 1))
        case = builder.build(place, clue, org_type, depth, _signed_day(clue))
        made.append((place, case, clue))
    for key, ago in (("jianghan", 120), ("jianghan", 40), ("jiangan", 90)):  # opened by the police without a clue
        if len(made) >= target + 3:
            break
        place = PLACES[key]
        case = builder.build(place, None, OrganizationType.EVIL_FORCE_GANG, rng.choice((0, 1, 2)), today - _days(ago))
        made.append((place, case, None))
    dual = [(p, c, clue) for p, c, clue in made
            if clue is not None and clue.assignments.filter(track=Track.DISCIPLINE).exists()]
    for place, case, clue in dual or made[:1]:
        builder.umbrella(place, case, clue if dual else None, (case.filed_on or today) + _days(5))
    for place, case, _clue in made[1:3]:
        if place.key == "jianghan":
            builder.umbrella(place, case, None, (case.filed_on or today) + _days(10))
    _review(org, made)
    return len(made)


def _review(org: DemoOrg, made: list[tuple[Place, Case, Clue | None]]) -> None:
    """One clue concluded unsubstantiated whose facts a later case established: its signers under review."""
    wrong = (Clue.objects.filter(state__in=SIGNED, conclusion=Conclusion.UNSUBSTANTIATED,
                                 jurisdiction__code="420103", category__isnull=False)
             .exclude(reports__channel="higher_referral").order_by("signed_at").first())
    case = next((c for p, c, _clue in made if p.key == "jianghan" and wrong is not None
                 and c.filed_on and c.filed_on >= _signed_day(wrong)), None)
    if wrong is None or case is None:
        return
    services.accountability_review_open(
        actor=org.users["director.wuhan"], clue=wrong, case=case,
        reason=f"{case.number}查明的犯罪事实与线索{wrong.number}反映的问题基本一致，该线索此前核查结论为“查否”，"
               "需倒查核查过程及签批责任。",
    )

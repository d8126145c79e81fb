"""A small world of cases for the ledger, import and API tests, built through the services."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from saohei.cases import services
from saohei.cases.models import AccountabilityReview, Asset, Case, Fugitive, Suspect, Umbrella
from saohei.cases.tests.case_helpers import days_ago, signed_clue
from saohei.clues.models import Clue
from saohei.clues.tests.helpers import receive, to_signed


@dataclass
class World:
    cases: dict[str, Case] = field(default_factory=dict)
    suspects: dict[str, Suspect] = field(default_factory=dict)
    assets: dict[str, Asset] = field(default_factory=dict)
    fugitives: dict[str, Fugitive] = field(default_factory=dict)
    umbrellas: dict[str, Umbrella] = field(default_factory=dict)
    clues: dict[str, Clue] = field(default_factory=dict)
    review: AccountabilityReview | None = None


def build_world(org: Any) -> World:
    """Three cases: a destroyed evil-force gang in 江汉 carried to an effective judgment, a mafia-type
    organisation in 江岸 formed from a clue, and a plain 江汉 case without an organisation."""
    w = World()
    jh_director = org.users["director.jianghan"]
    ja_director = org.users["director.jiangan"]
    w.clues["formed"] = signed_clue(org, place="jiangan", subject="江岸区大智街某棋牌室聚众赌博")
    w.cases["gang"] = services.case_create(
        actor=jh_director, office=org.offices["jianghan"], jurisdiction=org.places["jianghan"],
        unit=org.units["jh_brigade"], title="万某等人强迫交易案", origin="police",
        organization_type="evil_force_gang", organization_name="万某恶势力团伙", organization_leader="万某",
        offences=["forced_transactions"], filed_on=days_ago(60), supervision_level="municipal",
        lead_official="周建国", lead_official_position="区扫黑办主任",
    )
    gang = w.cases["gang"]
    services.case_solve(actor=jh_director, case=gang, solved_on=days_ago(30))
    services.case_destroyed_record(actor=jh_director, case=gang, destroyed_on=days_ago(20))
    for stage, unit, ago in (("prosecution_review", "jh_procuratorate", 15), ("indicted", "jh_procuratorate", 10),
                             ("first_instance", "jh_court", 5), ("effective_judgment", "jh_court", 2)):
        services.case_stage_advance(actor=jh_director, case=gang, stage=stage, unit=org.units[unit],
                                    started_on=days_ago(ago))
    w.cases["mafia"] = services.case_create(
        actor=ja_director, office=org.offices["jiangan"], jurisdiction=org.places["jiangan"],
        unit=org.units["ja_brigade"], title="彭某黑社会性质组织案", clues=[w.clues["formed"]],
        organization_type="mafia_type_organization", organization_name="彭某黑社会性质组织",
        organization_leader="彭某", offences=["gambling"], filed_on=days_ago(40), supervision_level="provincial",
    )
    w.cases["plain"] = services.case_create(
        actor=jh_director, office=org.offices["jianghan"], jurisdiction=org.places["jianghan"],
        unit=org.units["jh_brigade"], title="唐家墩聚众斗殴案", origin="police", kind="administrative",
        filed_on=days_ago(3),
    )
    for key in w.cases:
        w.cases[key] = Case.objects.get(pk=w.cases[key].pk)
    gang, mafia = w.cases["gang"], w.cases["mafia"]

    s = services.suspect_add(actor=jh_director, case=gang, name="万某", alias="万老大", role="leader",
                             custody="detained", custody_on=days_ago(50))
    services.suspect_custody_change(actor=jh_director, suspect=s, custody="arrested", on=days_ago(40))
    services.suspect_outcome_record(actor=jh_director, suspect=s, outcome="indicted", on=days_ago(10))
    services.suspect_outcome_record(actor=jh_director, suspect=s, outcome="convicted", on=days_ago(5),
                                    sentence="有期徒刑十二年", sentence_months=144)
    w.suspects["leader"] = s
    w.suspects["core"] = services.suspect_add(actor=jh_director, case=gang, name="李某", role="core",
                                              custody="detained", custody_on=days_ago(12), surrendered=True)
    w.suspects["runaway"] = services.suspect_add(actor=jh_director, case=gang, name="赵某", role="member")
    w.suspects["mafia_boss"] = services.suspect_add(actor=ja_director, case=mafia, name="彭某", role="leader",
                                                    custody="arrested", custody_on=days_ago(35))

    w.assets["deposit"] = services.asset_record(actor=jh_director, case=gang, kind="deposit", holder="万某",
                                                description="万某名下银行存款", amount=Decimal("1250000.00"),
                                                state="frozen", secured_on=days_ago(45))
    w.assets["cash"] = services.asset_record(actor=jh_director, case=gang, kind="cash", description="现金",
                                             amount=Decimal("50000.50"), state="seized", secured_on=days_ago(25))
    services.asset_state_change(actor=jh_director, asset=w.assets["cash"], state="confiscated", on=days_ago(4))
    w.assets["house"] = services.asset_record(actor=ja_director, case=mafia, kind="real_estate",
                                              description="彭某名下商铺", amount=Decimal("3000000.00"),
                                              state="sealed", secured_on=days_ago(30))

    w.fugitives["abroad"] = services.fugitive_add(actor=jh_director, office=org.offices["jianghan"],
                                                  jurisdiction=org.places["jianghan"], name="钱某",
                                                  listed_on=days_ago(100), location="abroad")
    w.fugitives["caught"] = services.fugitive_add(actor=jh_director, office=org.offices["jianghan"],
                                                  jurisdiction=org.places["jianghan"], name="孙某", case=gang,
                                                  listed_on=days_ago(90), location="home")
    services.fugitive_outcome_record(actor=jh_director, fugitive=w.fugitives["caught"], outcome="arrested",
                                     on=days_ago(6))
    w.fugitives["jiangan"] = services.fugitive_add(actor=ja_director, office=org.offices["jiangan"],
                                                   jurisdiction=org.places["jiangan"], name="吴某",
                                                   listed_on=days_ago(80))

    w.umbrellas["sanctioned"] = services.umbrella_open(
        actor=org.users["head.jhdiscipline"], name="郑某", position="民族街派出所原副所长",
        handling_unit=org.units["jh_discipline"], opened_on=days_ago(20), case=gang, employer="民族街派出所")
    services.umbrella_conclude(actor=org.users["head.jhdiscipline"], umbrella=w.umbrellas["sanctioned"],
                               outcome="party_discipline", outcome_on=days_ago(3), handling="党内严重警告")
    w.umbrellas["open"] = services.umbrella_open(
        actor=org.users["head.jhdiscipline"], name="冯某", position="某街道办事处副主任",
        handling_unit=org.units["jh_discipline"], opened_on=days_ago(8), case=gang)

    w.clues["questioned"] = to_signed(org, receive(org, subject="万某强迫交易"), "unsubstantiated")
    w.review = services.accountability_review_open(actor=jh_director, clue=w.clues["questioned"], case=gang,
                                                   reason="该线索核查结论为不属实，但后经侦查查明万某强迫交易属实。")
    for key in list(w.suspects):
        w.suspects[key] = Suspect.objects.get(pk=w.suspects[key].pk)
    return w

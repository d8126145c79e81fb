"""The demo organisation: 湖北省 → 武汉市 → 江汉区 and 江岸区, their offices, units, chains and people.

Tests build the same organisation (tests/conftest.py), so the personas they
name are the personas a person meets in the demo.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from saohei.orgs.choices import Level, Role, Sector, UnitKind
from saohei.orgs.models import Jurisdiction, Office, Unit
from saohei.orgs.services import (
    jurisdiction_ensure,
    jurisdiction_national_root,
    membership_grant,
    office_create,
    unit_create,
    user_create,
)
from saohei.signoff.models import SignoffPolicy, SignoffStep

DEMO_PASSWORD = "demo-password"  # noqa: S105 - the documented password of the demo personas


@dataclass
class DemoOrg:
    places: dict[str, Jurisdiction] = field(default_factory=dict)
    offices: dict[str, Office] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)


PERSONAS: list[tuple[str, str, str, str, str]] = [
    # username, display name, role, place key, position title
    ("clerk.jianghan", "李晓燕", Role.INTAKE_CLERK, "office:jianghan", "受理员"),
    ("clerk.jianghan", "李晓燕", Role.TRIAGE_ANALYST, "office:jianghan", "研判员"),
    ("director.jianghan", "周建国", Role.OFFICE_DIRECTOR, "office:jianghan", "区扫黑办主任"),
    ("custodian.jianghan", "陈静", Role.IDENTITY_READER, "office:jianghan", "举报人信息保管员"),
    ("stats.jianghan", "何丽", Role.STATISTICIAN, "office:jianghan", "统计员"),
    ("verifier.jianghan", "王磊", Role.VERIFIER, "unit:jh_minzu", "责任民警"),
    ("deputy.minzu", "赵海", Role.DEPUTY_CHIEF, "unit:jh_minzu", "派出所分管副所长"),
    ("head.minzu", "孙立军", Role.UNIT_CHIEF, "unit:jh_minzu", "派出所所长"),
    ("verifier.wansong", "刘洋", Role.VERIFIER, "unit:jh_wansong", "责任民警"),
    ("deputy.wansong", "郑伟", Role.DEPUTY_CHIEF, "unit:jh_wansong", "派出所分管副所长"),
    ("head.wansong", "冯涛", Role.UNIT_CHIEF, "unit:jh_wansong", "派出所所长"),
    ("chief.jianghan", "张振华", Role.UNIT_CHIEF, "unit:jh_brigade", "刑侦大队大队长"),
    ("deputy.jhbureau", "吴志强", Role.DEPUTY_CHIEF, "unit:jh_bureau", "分管副局长"),
    ("head.jhbureau", "黄德明", Role.UNIT_CHIEF, "unit:jh_bureau", "分局局长"),
    ("discipline.jianghan", "钱芳", Role.VERIFIER, "unit:jh_discipline", "承办人"),
    ("deputy.jhdiscipline", "朱红", Role.DEPUTY_CHIEF, "unit:jh_discipline", "分管副书记"),
    ("head.jhdiscipline", "许文", Role.UNIT_CHIEF, "unit:jh_discipline", "区纪委书记"),
    ("liaison.jianghan", "姜涛", Role.DISCIPLINE_LIAISON, "office:jianghan", "纪检监察联络员"),
    ("prosecutor.jianghan", "韩雪", Role.VERIFIER, "unit:jh_procuratorate", "承办检察官"),
    ("judge.jianghan", "陶敏", Role.VERIFIER, "unit:jh_court", "承办法官"),
    ("verifier.housing", "马骏", Role.VERIFIER, "unit:jh_housing", "承办人"),
    ("head.housing", "胡斌", Role.UNIT_CHIEF, "unit:jh_housing", "局长"),
    ("director.wuhan", "杨卫东", Role.OFFICE_DIRECTOR, "office:wuhan", "市扫黑办主任"),
    ("supervisor.wuhan", "林秀英", Role.SUPERVISOR, "office:wuhan", "督导员"),
    ("verifier.wuhan", "高峰", Role.VERIFIER, "unit:wh_brigade", "责任民警"),
    ("chief.wuhan", "罗刚", Role.UNIT_CHIEF, "unit:wh_brigade", "刑侦支队支队长"),
    ("head.whbureau", "谢飞", Role.UNIT_CHIEF, "unit:wh_bureau", "市局局长"),
    ("clerk.jiangan", "邓敏", Role.INTAKE_CLERK, "office:jiangan", "受理员"),
    ("clerk.jiangan", "邓敏", Role.TRIAGE_ANALYST, "office:jiangan", "研判员"),
    ("director.jiangan", "曹阳", Role.OFFICE_DIRECTOR, "office:jiangan", "区扫黑办主任"),
    ("verifier.jiangan", "彭亮", Role.VERIFIER, "unit:ja_dazhi", "责任民警"),
    ("head.dazhi", "董明", Role.UNIT_CHIEF, "unit:ja_dazhi", "派出所所长"),
    ("chief.jiangan", "袁波", Role.UNIT_CHIEF, "unit:ja_brigade", "刑侦大队大队长"),
    ("head.jabureau", "邱华", Role.UNIT_CHIEF, "unit:ja_bureau", "分局局长"),
]

# Persons the README and the issue name; printed by `saohei demo`.
KEY_PERSONAS = ["clerk.jianghan", "verifier.jianghan", "chief.jianghan", "director.wuhan", "verifier.jiangan"]

FIVE_CHIEFS_ONE_OFFICER = [
    # order, title, role, unit kind (blank: the assigned unit itself)
    (1, "责任民警", Role.VERIFIER, UnitKind.POLICE_STATION),
    (2, "派出所分管副所长", Role.DEPUTY_CHIEF, UnitKind.POLICE_STATION),
    (3, "派出所所长", Role.UNIT_CHIEF, UnitKind.POLICE_STATION),
    (4, "刑侦大队大队长", Role.UNIT_CHIEF, UnitKind.CRIMINAL_BRIGADE),
    (5, "分管副局长", Role.DEPUTY_CHIEF, UnitKind.POLICE_BUREAU),
    (6, "局长", Role.UNIT_CHIEF, UnitKind.POLICE_BUREAU),
]
THREE_CHIEFS = [
    (1, "派出所所长", Role.UNIT_CHIEF, UnitKind.POLICE_STATION),
    (2, "刑侦大队大队长", Role.UNIT_CHIEF, UnitKind.CRIMINAL_BRIGADE),
    (3, "分局局长", Role.UNIT_CHIEF, UnitKind.POLICE_BUREAU),
]
DISCIPLINE_CHAIN = [
    (1, "承办人", Role.VERIFIER, ""),
    (2, "分管副书记", Role.DEPUTY_CHIEF, ""),
    (3, "纪委书记", Role.UNIT_CHIEF, ""),
]
GENERAL_CHAIN = [
    (1, "承办人", Role.VERIFIER, ""),
    (2, "单位负责人", Role.UNIT_CHIEF, ""),
]
CITY_CHAIN = [
    (1, "责任民警", Role.VERIFIER, ""),
    (2, "支队长", Role.UNIT_CHIEF, ""),
    (3, "市局局长", Role.UNIT_CHIEF, UnitKind.POLICE_BUREAU),
]


def _policy(office: Office, name: str, track: str, steps: Sequence[tuple[int, str, str, str]]) -> SignoffPolicy:
    policy = SignoffPolicy.objects.create(office=office, name=name, track=track)
    SignoffStep.objects.bulk_create(
        SignoffStep(policy=policy, order=o, title=t, role=r, unit_kind=k) for o, t, r, k in steps
    )
    return policy


def build_org() -> DemoOrg:
    org = DemoOrg()
    root = jurisdiction_national_root()
    hubei = jurisdiction_ensure(code="420000", name="湖北省", level=Level.PROVINCE, parent=root)
    wuhan = jurisdiction_ensure(code="420100", name="武汉市", level=Level.CITY, parent=hubei)
    jianghan = jurisdiction_ensure(code="420103", name="江汉区", level=Level.COUNTY, parent=wuhan)
    jiangan = jurisdiction_ensure(code="420102", name="江岸区", level=Level.COUNTY, parent=wuhan)
    org.places = {"hubei": hubei, "wuhan": wuhan, "jianghan": jianghan, "jiangan": jiangan}
    o = org.offices
    o["hubei"] = office_create(jurisdiction=hubei, name="湖北省扫黑除恶斗争领导小组办公室", actor=None)
    o["wuhan"] = office_create(jurisdiction=wuhan, name="武汉市扫黑除恶斗争领导小组办公室", actor=None)
    o["jianghan"] = office_create(jurisdiction=jianghan, name="江汉区扫黑除恶斗争领导小组办公室", actor=None,
                                  default_deadline_days=30)
    o["jiangan"] = office_create(jurisdiction=jiangan, name="江岸区扫黑除恶斗争领导小组办公室", actor=None)
    u = org.units

    def unit(key: str, name: str, kind: str, office: str, parent: str | None = None, sector: str = "") -> None:
        u[key] = unit_create(name=name, kind=kind, office=o[office], actor=None,
                             parent=u[parent] if parent else None, sector=sector)

    unit("wh_bureau", "武汉市公安局", UnitKind.POLICE_BUREAU, "wuhan")
    unit("wh_brigade", "武汉市公安局刑侦支队", UnitKind.CRIMINAL_BRIGADE, "wuhan", "wh_bureau")
    unit("wh_procuratorate", "武汉市人民检察院", UnitKind.PROCURATORATE, "wuhan")
    unit("wh_court", "武汉市中级人民法院", UnitKind.COURT, "wuhan")
    unit("wh_discipline", "武汉市纪委监委", UnitKind.DISCIPLINE_COMMISSION, "wuhan")
    unit("jh_bureau", "武汉市公安局江汉区分局", UnitKind.POLICE_BUREAU, "jianghan")
    unit("jh_brigade", "江汉区分局刑侦大队", UnitKind.CRIMINAL_BRIGADE, "jianghan", "jh_bureau")
    unit("jh_minzu", "江汉区分局民族街派出所", UnitKind.POLICE_STATION, "jianghan", "jh_bureau")
    unit("jh_wansong", "江汉区分局万松派出所", UnitKind.POLICE_STATION, "jianghan", "jh_bureau")
    unit("jh_tangjiadun", "江汉区分局唐家墩派出所", UnitKind.POLICE_STATION, "jianghan", "jh_bureau")
    unit("jh_procuratorate", "江汉区人民检察院", UnitKind.PROCURATORATE, "jianghan")
    unit("jh_court", "江汉区人民法院", UnitKind.COURT, "jianghan")
    unit("jh_discipline", "江汉区纪委监委", UnitKind.DISCIPLINE_COMMISSION, "jianghan")
    unit("jh_justice", "江汉区司法局", UnitKind.JUSTICE_BUREAU, "jianghan")
    unit("jh_housing", "江汉区住房和城市更新局", UnitKind.REGULATOR, "jianghan",
         sector=Sector.HOUSING_CONSTRUCTION)
    unit("jh_market", "江汉区市场监督管理局", UnitKind.REGULATOR, "jianghan", sector=Sector.MARKET_REGULATION)
    unit("jh_transport", "江汉区交通运输局", UnitKind.REGULATOR, "jianghan", sector=Sector.TRANSPORT)
    unit("jh_civil", "江汉区民政局", UnitKind.CIVIL_AFFAIRS, "jianghan")
    unit("jh_organisation", "中共江汉区委组织部", UnitKind.ORGANISATION_DEPARTMENT, "jianghan")
    unit("ja_bureau", "武汉市公安局江岸区分局", UnitKind.POLICE_BUREAU, "jiangan")
    unit("ja_brigade", "江岸区分局刑侦大队", UnitKind.CRIMINAL_BRIGADE, "jiangan", "ja_bureau")
    unit("ja_dazhi", "江岸区分局大智街派出所", UnitKind.POLICE_STATION, "jiangan", "ja_bureau")
    unit("ja_taibei", "江岸区分局台北路派出所", UnitKind.POLICE_STATION, "jiangan", "ja_bureau")
    unit("ja_procuratorate", "江岸区人民检察院", UnitKind.PROCURATORATE, "jiangan")
    unit("ja_court", "江岸区人民法院", UnitKind.COURT, "jiangan")
    unit("ja_discipline", "江岸区纪委监委", UnitKind.DISCIPLINE_COMMISSION, "jiangan")

    _policy(o["jianghan"], "五长一警审核责任制", "police", FIVE_CHIEFS_ONE_OFFICER)
    _policy(o["jianghan"], "纪检监察线索审核", "discipline", DISCIPLINE_CHAIN)
    _policy(o["jianghan"], "行业主管部门核查审核", "", GENERAL_CHAIN)
    _policy(o["jiangan"], "三长负责制", "police", THREE_CHIEFS)
    _policy(o["jiangan"], "纪检监察线索审核", "discipline", DISCIPLINE_CHAIN)
    _policy(o["wuhan"], "市级核查审核", "", CITY_CHAIN)

    User = get_user_model()
    hashed = make_password(DEMO_PASSWORD)  # once: full-strength hashing costs ~0.5 s each
    for username, display, role, place, title in PERSONAS:
        user = org.users.get(username) or User.objects.filter(username=username).first()
        if user is None:
            user = user_create(username=username, password_hash=hashed, display_name=display)
        org.users[username] = user
        kind, key = place.split(":")
        target = {"office": o[key]} if kind == "office" else {"unit": u[key]}
        membership_grant(user=user, role=role, actor=None, title=title, **target)
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = User.objects.create_superuser(username="admin", password=DEMO_PASSWORD)
    org.users["admin"] = admin
    return org

"""The registers that can be imported, their columns (Chinese and English headers), the names a
spreadsheet may use for each choice, and the limits."""

from __future__ import annotations

from dataclasses import dataclass

from saohei.cases.choices import (
    AssetKind,
    AssetState,
    CaseKind,
    CaseOrigin,
    Custody,
    FugitiveLocation,
    FugitiveOutcome,
    OrganizationType,
    SuspectOutcome,
    SuspectRole,
    UmbrellaOutcome,
)
from saohei.clues.choices import SupervisionLevel

# One error for a file that cannot be read, whichever register it was meant for.
from saohei.intake.imports.columns import ImportFileError as ImportFileError


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    required: bool = False
    max_length: int = 0


CASES = "cases"
SUSPECTS = "suspects"
ASSETS = "assets"
FUGITIVES = "fugitives"
UMBRELLAS = "umbrellas"

COLUMNS: dict[str, list[Column]] = {
    CASES: [
        Column("title", "案件名称", "title", True, 200),
        Column("unit", "侦查单位", "investigating_unit", True, 120),
        Column("jurisdiction", "行政区划代码", "jurisdiction"),
        Column("origin", "案件来源", "origin"),
        Column("clues", "线索编号", "clue_numbers"),
        Column("kind", "案件类别", "kind"),
        Column("organization_type", "组织类型", "organization_type"),
        Column("organization_name", "组织名称", "organization_name", False, 200),
        Column("organization_leader", "组织者", "organization_leader", False, 100),
        Column("offences", "涉嫌罪名", "offences"),
        Column("filed_on", "立案日期", "filed_on"),
        Column("solved_on", "破案日期", "solved_on"),
        Column("destroyed_on", "打掉日期", "destroyed_on"),
        Column("supervision_level", "挂牌督办级别", "supervision_level"),
        Column("lead_official", "包案领导", "lead_official", False, 100),
        Column("lead_official_position", "包案领导职务", "lead_official_position", False, 100),
        Column("summary", "简要案情", "summary", False, 20000),
    ],
    SUSPECTS: [
        Column("case", "案件编号", "case_number", True, 32),
        Column("name", "姓名", "name", True, 100),
        Column("alias", "绰号", "alias", False, 100),
        Column("id_number", "身份证号", "id_number", False, 18),
        Column("birth_year", "出生年份", "birth_year"),
        Column("role", "地位作用", "role"),
        Column("detained_on", "刑拘日期", "detained_on"),
        Column("arrested_on", "逮捕日期", "arrested_on"),
        Column("custody", "现强制措施", "custody"),
        Column("custody_on", "强制措施日期", "custody_on"),
        Column("surrendered", "投案自首", "surrendered"),
        Column("outcome", "处理结果", "outcome"),
        Column("indicted_on", "起诉日期", "indicted_on"),
        Column("outcome_on", "结果日期", "outcome_on"),
        Column("sentence", "判决刑罚", "sentence", False, 200),
        Column("sentence_months", "刑期（月）", "sentence_months"),
    ],
    ASSETS: [
        Column("case", "案件编号", "case_number", True, 32),
        Column("kind", "财产类型", "kind", True),
        Column("description", "财产描述", "description", True, 300),
        Column("amount", "金额（元）", "amount_yuan", True),
        Column("state", "查扣冻状态", "state", True),
        Column("secured_on", "查扣冻日期", "secured_on", True),
        Column("holder", "权属人", "holder", False, 200),
        Column("final_state", "处置结果", "final_state"),
        Column("final_on", "处置日期", "final_on"),
    ],
    FUGITIVES: [
        Column("name", "姓名", "name", True, 100),
        Column("listed_on", "列入日期", "listed_on", True),
        Column("jurisdiction", "行政区划代码", "jurisdiction"),
        Column("alias", "绰号", "alias", False, 100),
        Column("id_number", "身份证号", "id_number", False, 18),
        Column("case", "案件编号", "case_number", False, 32),
        Column("pursuit_team", "追逃专班", "pursuit_team", False, 120),
        Column("location", "所在地", "location"),
        Column("outcome", "追逃结果", "outcome"),
        Column("outcome_on", "结果日期", "outcome_on"),
        Column("note", "备注", "note", False, 5000),
    ],
    UMBRELLAS: [
        Column("name", "姓名", "name", True, 100),
        Column("position", "职务", "position", True, 200),
        Column("handling_unit", "承办纪委监委", "handling_unit", True, 120),
        Column("opened_on", "立案日期", "opened_on", True),
        Column("employer", "工作单位", "employer", False, 200),
        Column("party_member", "中共党员", "party_member"),
        Column("case", "案件编号", "case_number", False, 32),
        Column("clue", "线索编号", "clue_number", False, 40),
        Column("outcome", "处理结果", "outcome"),
        Column("outcome_on", "结果日期", "outcome_on"),
        Column("handling", "处理情况", "handling", False, 20000),
    ],
}
REGISTERS = tuple(COLUMNS)
COLUMN_BY_KEY = {register: {c.key: c for c in columns} for register, columns in COLUMNS.items()}

# Names a spreadsheet may use for a choice, besides its code and its interface labels.
ALIASES: dict[str, dict[str, str]] = {
    "kind": {"刑事案件": CaseKind.CRIMINAL, "刑事": CaseKind.CRIMINAL, "行政案件": CaseKind.ADMINISTRATIVE,
             "行政": CaseKind.ADMINISTRATIVE},
    "origin": {"线索成案": CaseOrigin.CLUES, "线索": CaseOrigin.CLUES, "直接立案": CaseOrigin.POLICE,
               "公安直接立案": CaseOrigin.POLICE, "公安机关直接立案": CaseOrigin.POLICE},
    "organization_type": {
        "黑社会性质组织": OrganizationType.MAFIA_TYPE, "涉黑": OrganizationType.MAFIA_TYPE,
        "涉黑组织": OrganizationType.MAFIA_TYPE, "恶势力犯罪集团": OrganizationType.EVIL_FORCE_GROUP,
        "恶势力集团": OrganizationType.EVIL_FORCE_GROUP, "恶势力团伙": OrganizationType.EVIL_FORCE_GANG,
        "恶势力": OrganizationType.EVIL_FORCE_GANG, "无": OrganizationType.NONE, "none": OrganizationType.NONE,
    },
    "supervision_level": {
        "部督": SupervisionLevel.NATIONAL, "全国": SupervisionLevel.NATIONAL, "中央": SupervisionLevel.NATIONAL,
        "省督": SupervisionLevel.PROVINCIAL, "省级": SupervisionLevel.PROVINCIAL,
        "市督": SupervisionLevel.MUNICIPAL, "市级": SupervisionLevel.MUNICIPAL,
        "县督": SupervisionLevel.COUNTY, "县级": SupervisionLevel.COUNTY, "无": SupervisionLevel.NONE,
    },
    "role": {"首要分子": SuspectRole.LEADER, "组织者": SuspectRole.LEADER, "组织领导者": SuspectRole.LEADER,
             "骨干": SuspectRole.CORE, "骨干成员": SuspectRole.CORE, "成员": SuspectRole.MEMBER,
             "一般成员": SuspectRole.MEMBER, "参加者": SuspectRole.MEMBER, "其他": SuspectRole.OTHER,
             "其他涉案人员": SuspectRole.OTHER},
    "custody": {"在逃": Custody.AT_LARGE, "刑拘": Custody.DETAINED, "刑事拘留": Custody.DETAINED,
                "逮捕": Custody.ARRESTED, "取保候审": Custody.BAIL, "取保": Custody.BAIL,
                "监视居住": Custody.RESIDENTIAL, "指定居所监视居住": Custody.RESIDENTIAL, "释放": Custody.RELEASED,
                "服刑": Custody.SERVING, "服刑中": Custody.SERVING},
    "outcome_suspect": {"待定": SuspectOutcome.PENDING, "未决": SuspectOutcome.PENDING,
                        "不起诉": SuspectOutcome.NOT_PROSECUTED, "起诉": SuspectOutcome.INDICTED,
                        "已起诉": SuspectOutcome.INDICTED, "提起公诉": SuspectOutcome.INDICTED,
                        "有罪判决": SuspectOutcome.CONVICTED, "判决有罪": SuspectOutcome.CONVICTED,
                        "已判决": SuspectOutcome.CONVICTED, "定罪": SuspectOutcome.CONVICTED,
                        "无罪": SuspectOutcome.ACQUITTED, "宣告无罪": SuspectOutcome.ACQUITTED},
    "kind_asset": {"现金": AssetKind.CASH, "存款": AssetKind.DEPOSIT, "银行存款": AssetKind.DEPOSIT,
                   "房产": AssetKind.REAL_ESTATE, "不动产": AssetKind.REAL_ESTATE, "房地产": AssetKind.REAL_ESTATE,
                   "车辆": AssetKind.VEHICLE, "机动车": AssetKind.VEHICLE, "股权": AssetKind.EQUITY,
                   "股份": AssetKind.EQUITY, "贵重物品": AssetKind.VALUABLES, "其他": AssetKind.OTHER,
                   "其他财产": AssetKind.OTHER},
    "state_asset": {"查封": AssetState.SEALED, "扣押": AssetState.SEIZED, "冻结": AssetState.FROZEN,
                    "没收": AssetState.CONFISCATED, "返还": AssetState.RETURNED, "发还": AssetState.RETURNED},
    "location": {"境内": FugitiveLocation.HOME, "国内": FugitiveLocation.HOME, "境外": FugitiveLocation.ABROAD,
                 "国外": FugitiveLocation.ABROAD, "不详": FugitiveLocation.UNKNOWN, "未知": FugitiveLocation.UNKNOWN},
    "outcome_fugitive": {"在逃": FugitiveOutcome.AT_LARGE, "抓获": FugitiveOutcome.ARRESTED,
                         "抓获归案": FugitiveOutcome.ARRESTED, "抓捕归案": FugitiveOutcome.ARRESTED,
                         "投案自首": FugitiveOutcome.SURRENDERED, "自首": FugitiveOutcome.SURRENDERED,
                         "劝返": FugitiveOutcome.PERSUADED, "引渡": FugitiveOutcome.EXTRADITED,
                         "遣返": FugitiveOutcome.EXTRADITED, "引渡遣返": FugitiveOutcome.EXTRADITED,
                         "死亡": FugitiveOutcome.DIED},
    "outcome_umbrella": {"待定": UmbrellaOutcome.PENDING, "党纪处分": UmbrellaOutcome.PARTY_DISCIPLINE,
                         "政务处分": UmbrellaOutcome.ADMINISTRATIVE_SANCTION,
                         "行政处分": UmbrellaOutcome.ADMINISTRATIVE_SANCTION,
                         "党纪政务处分": UmbrellaOutcome.BOTH_SANCTIONS,
                         "党纪处分和政务处分": UmbrellaOutcome.BOTH_SANCTIONS,
                         "移送司法机关": UmbrellaOutcome.TRANSFERRED_JUDICIAL,
                         "移送司法": UmbrellaOutcome.TRANSFERRED_JUDICIAL,
                         "不属实": UmbrellaOutcome.NOT_SUBSTANTIATED, "查否": UmbrellaOutcome.NOT_SUBSTANTIATED},
    "yes_no": {"是": "yes", "否": "no", "yes": "yes", "no": "no", "y": "yes", "n": "no", "true": "yes",
               "false": "no", "1": "yes", "0": "no", "√": "yes", "有": "yes", "无": "no"},
}
# Separators between several values in one cell (clue numbers, offences).
LIST_SEPARATORS = r"[、,，;；/\s]+"
MAX_STORED_ERRORS = 2000

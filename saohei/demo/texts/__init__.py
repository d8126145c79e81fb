"""Demo wording composed from parts (templates × slots), deterministic for a given random generator.

Every text here was written for the demo; persons are 某/某某 forms and nicknames.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from saohei.demo.texts.offences import OFFENCES
from saohei.demo.texts.places import (
    DEBT_KINDS,
    DISTRICT_NAME,
    GIVEN_NAMES,
    GOODS,
    NICKNAMES,
    OFFICIALS,
    REFER_TO,
    STREETS_BY_PLACE,
    SURNAMES,
    VENUES,
)
from saohei.intake.choices import PUBLIC_CHANNELS

LEADS: dict[str, tuple[str, ...]] = {
    "hotline": ("来电人反映：", "举报人通过12337热线来电称：", "热线来电，来电人称："),
    "letter": ("来信反映：", "群众来信称：", "收到署名来信，信中反映："),
    "visit": ("来访人当面反映：", "群众到区扫黑办来访称：", "来访人称："),
    "email": ("举报邮箱收到来信：", "电子邮件举报称：",),
    "wechat": ("微信公众号举报平台收到留言：", "微信举报称：", "“平安江城”微信平台转来举报："),
    "portal": ("网上举报平台收到举报：", "网络举报称：", "举报人在网上举报平台填报："),
    "incident_110": ("110接警后研判转线索：", "警情转线索：报警人称，", "110警情研判发现："),
    "higher_referral": ("市扫黑办交办：群众反映，", "上级交办线索：", "省扫黑办转交、市扫黑办交办：有群众反映，"),
    "unit_transfer": ("区纪委监委移送线索：", "区市场监督管理局移送：执法检查中发现，", "区城管执法局移送："),
    "screening": ("社区民警在辖区排摸中发现：", "“万名警察进社区”走访中群众反映：", "专项排摸发现："),
    "case_spinoff": ("在侦办相关案件中深挖发现：", "案件侦办中犯罪嫌疑人供述：", "深挖彻查中发现："),
}
DETAILS = (
    "附近商户和居民私下都知道这件事，但没人敢出面。",
    "举报人称手里有转账记录和现场视频，可以提供。",
    "受害人曾到派出所报过案，后来又被逼着撤回。",
    "此事已持续较长时间，周边群众意见很大。",
    "对方扬言谁举报就让谁“好看”。",
    "举报人不愿透露更多个人信息，担心遭到报复。",
    "",
    "",
)
OFFICIAL_DETAILS = (
    "经初步研判，该人员有前科劣迹。",
    "周边群众反映强烈，但多不愿出面作证。",
    "相关警情此前多以纠纷调解处理。",
    "涉及人员与辖区其他线索存在关联。",
    "",
)
APPEALS = ("请求有关部门依法查处。", "希望扫黑办尽快核查，还群众一个安宁。", "恳请严肃处理，保护举报人安全。", "")

INVALID = (
    ("举报有黑社会", "某某是黑社会，请你们查一查。", "仅有一句话，无具体人员、事实、时间和地点，无法研判。"),
    ("网络传言", "网上有人说我们这边有涉黑团伙，具体不清楚。", "转述网络传言，无实质内容。"),
    ("反映问题", "我要举报，你们懂的。", "举报内容空泛，经回拨电话无人接听。"),
    ("对社会现象的看法", "现在社会风气不好，希望加大打击力度。", "属于意见建议，不含具体线索。"),
    ("重复来信", "同上次反映的事情，请重视。", "未说明所指何事，举报人未留联系方式，无法关联既有线索。"),
)
REFERRED = (
    ("公司拖欠工资", "举报人称其所在{venue}拖欠工资三个月，老板避而不见。", "劳资纠纷，不涉黑恶"),
    ("楼上住户噪音扰民", "{place}一住户每晚装修施工到深夜，多次协商无果。", "邻里纠纷，不涉黑恶"),
    ("物业乱收费", "{place}{venue}物业公司擅自提高停车费，业主不满。", "物业服务纠纷，不涉黑恶"),
    ("商家拒不退押金", "举报人在{place}租房到期后，房东拒不退还押金并换锁。", "民事租赁纠纷，不涉黑恶"),
    ("餐馆卫生问题", "{place}{venue}后厨卫生状况差，多人就餐后腹泻。", "食品安全投诉，不涉黑恶"),
    ("占道经营", "{place}夜间有摊贩占道经营，影响通行。", "市容秩序问题，不涉黑恶"),
)


@dataclass(frozen=True)
class ReportText:
    subject: str
    content: str
    location: str
    who: str
    place: str
    alleged: str
    crime: str


def person(rng: random.Random, *, nickname: bool | None = None) -> str:
    surname = rng.choice(SURNAMES)
    base = surname + rng.choice(("某", "某某"))
    if nickname is None:
        nickname = rng.random() < 0.35
    return f"{base}（绰号“{rng.choice(NICKNAMES)}”）" if nickname else base


def short_name(who: str) -> str:
    return who.split("（", 1)[0]


def reporter_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)


def reporter_phone(rng: random.Random) -> str:
    """An obviously fake mobile number (138 0027 xxxx)."""
    return f"1380027{rng.randint(0, 9999):04d}"


def official(rng: random.Random) -> str:
    return rng.choice(OFFICIALS).format(s=rng.choice(SURNAMES))


def place_of(rng: random.Random, place_key: str) -> tuple[str, str]:
    """(street, street + road) of the district."""
    streets = STREETS_BY_PLACE[place_key]
    street = rng.choice(sorted(streets))
    return street, f"{street}{rng.choice(streets[street])}"


def _fill(rng: random.Random, template: str, slots: dict[str, str]) -> str:
    return template.format(**slots)


def report_text(rng: random.Random, *, category: str, place_key: str, channel: str,
                official_name: str = "") -> ReportText:
    offence = OFFENCES[category]
    _street, place = place_of(rng, place_key)
    who = person(rng)
    slots = {
        "who": who, "who2": person(rng, nickname=False), "place": place,
        "venue": rng.choice(VENUES[offence.venue_kind]), "goods": rng.choice(GOODS), "n": str(rng.randint(3, 12)),
        "amount": str(rng.choice((2, 3, 5, 8, 12, 20, 35)) * 1000),
        "debt": rng.choice(DEBT_KINDS), "months": str(rng.randint(2, 8)), "nick": rng.choice(NICKNAMES),
        "official": official_name or "某公职人员",
    }
    subject = _fill(rng, rng.choice(offence.subjects), {**slots, "who": short_name(who)})
    fact = _fill(rng, rng.choice(offence.facts), slots)
    if official_name and "{official}" not in "".join(offence.facts):
        fact += f"有群众反映，{official_name}与{short_name(who)}关系密切，多次为其出面说情。"
    if channel in PUBLIC_CHANNELS:
        parts = [rng.choice(LEADS[channel]), fact, rng.choice(DETAILS), rng.choice(APPEALS)]
    else:
        parts = [rng.choice(LEADS[channel]), fact, rng.choice(OFFICIAL_DETAILS)]
    if channel in ("higher_referral", "unit_transfer"):
        parts.append("请按要求核查并按期回复。")
    content = "".join(p for p in parts if p)
    alleged = _fill(rng, rng.choice(offence.short), slots)
    return ReportText(subject=subject[:200], content=content, location=f"{DISTRICT_NAME[place_key]}{place}",
                      who=short_name(who), place=place, alleged=alleged, crime=offence.crime)


def repeat_text(rng: random.Random, *, original: ReportText, channel: str) -> ReportText:
    lead = rng.choice(LEADS[channel])
    body = rng.choice((
        f"此前已反映过{original.who}在{original.place}一带的问题，至今情况没有好转，{original.who}等人近期仍在活动。",
        f"再次反映{original.who}{original.alleged}的问题，上次举报后对方收敛了几天，现在又照旧。",
        f"多名群众联名反映{original.who}的问题，与之前有人举报的是同一件事，希望加快处理。",
    ))
    return ReportText(subject=f"再次反映：{original.subject}"[:200], content=lead + body, location=original.location,
                      who=original.who, place=original.place, alleged=original.alleged, crime=original.crime)


def invalid_text(rng: random.Random) -> tuple[str, str, str]:
    return rng.choice(INVALID)


def referred_text(rng: random.Random, *, place_key: str) -> tuple[str, str, str, str]:
    subject, content, note = rng.choice(REFERRED)
    _street, place = place_of(rng, place_key)
    venue = rng.choice(VENUES["business"] + VENUES["estate"])
    referred_to = rng.choice(REFER_TO)
    if place_key == "jiangan":
        referred_to = referred_to.replace("江汉区", "江岸区")
    return subject, content.format(place=place, venue=venue), referred_to, note + f"，转{referred_to}处理。"


def source_reference(rng: random.Random, channel: str, when: dt.datetime) -> str:
    if channel == "higher_referral":
        return f"武扫黑办交〔{when:%Y}〕{rng.randint(3, 180)}号"
    if channel == "incident_110":
        return f"J{when:%Y%m%d}{rng.randint(1000, 9999)}"
    if channel == "unit_transfer":
        return f"移送〔{when:%Y}〕{rng.randint(1, 60)}号"
    return ""


def musts_notes(rng: random.Random, *, met: str, when: dt.datetime) -> tuple[str, str]:
    day = f"{when.month}月{when.day}日"
    if met == "met":
        note = rng.choice((f"{day}在派出所当面询问举报人，制作询问笔录", f"{day}电话联系举报人，约至社区警务室见面询问",
                           f"{day}上门走访举报人，举报人补充了相关情况"))
    elif met == "unreachable":
        note = rng.choice(("匿名举报，未留联系方式，无法联系", "按所留电话三次联系未接通，短信未回复",
                           "举报人留的地址查无此人"))
    else:
        note = ""
    recheck = rng.choice((
        f"走访周边商户{rng.randint(6, 25)}家，调取监控录像{rng.randint(2, 9)}段",
        f"询问相关证人{rng.randint(3, 11)}名，调取银行流水和通话记录",
        f"会同街道、市场监管部门实地核查，查阅工商登记和租赁合同{rng.randint(2, 6)}份",
        f"调取近一年辖区警情{rng.randint(5, 40)}起逐一比对，约谈被反映人",
    ))
    return note, recheck


FINDINGS = {
    "substantiated": (
        "经核查，{who}等人{alleged}的情况属实，已以涉嫌{crime}立案侦查，抓获犯罪嫌疑人{n}名。",
        "核查查明{who}{alleged}，事实清楚，已移交刑侦大队立案，{n}名涉案人员被刑事拘留。",
    ),
    "partly_substantiated": (
        "经核查，反映{who}{alleged}部分属实：查实其违法行为{k}起，已依法给予治安处罚；"
        "举报所称长期纠集多人、有组织实施等情节未查实，不构成恶势力。",
        "经核查，{who}确有相关行为，但规模和情节与举报不符，尚不构成恶势力，已训诫并纳入重点人员管控。",
    ),
    "unsubstantiated": (
        "经走访{m}户商户和居民、调取监控和交易记录，未发现{who}{alleged}的事实，举报内容不属实。",
        "经核查，所反映问题系经济纠纷引发，未发现{who}有涉黑涉恶违法犯罪行为，举报不属实。",
        "经核查，{who}已于两年前迁离本区，近期无相关活动记录，举报所述情况查否。",
    ),
    "unverifiable": (
        "举报人未留联系方式，举报内容缺乏具体时间地点，经多方走访无法核实，已纳入日常巡查重点关注。",
        "经核查，相关当事人均否认，现场已无痕迹可查，目前无法核实，后续发现新情况再行核查。",
    ),
}


def finding(rng: random.Random, *, conclusion: str, text: ReportText) -> str:
    template = rng.choice(FINDINGS[conclusion])
    return template.format(who=text.who, alleged=text.alleged, crime=text.crime, n=rng.randint(2, 9),
                           m=rng.randint(8, 30), k=rng.randint(1, 3))


def discipline_finding(rng: random.Random, *, conclusion: str, official_name: str) -> str:
    if conclusion in ("substantiated", "partly_substantiated"):
        return rng.choice((f"经初步核实，{official_name}存在收受被反映人财物、违规干预执法的问题，已立案审查调查。",
                           f"经核查，{official_name}与被反映人存在不正当交往，已给予党内警告处分。"))
    return rng.choice((f"经核查，未发现{official_name}充当“保护伞”或收受好处的问题，予以了结。",
                       f"经调取通话和资金往来记录，{official_name}与被反映人无利益往来，反映问题查否。"))


FEEDBACK = {
    "met": ("已当面向举报人反馈核查结果，举报人表示认可。", "已电话反馈核查结果，举报人表示满意。",
            "已向举报人书面反馈，并告知如有新情况可继续反映。"),
    "anonymous": ("匿名举报，未留联系方式，无法反馈。", "举报人所留联系方式无效，无法反馈。"),
    "none": ("非群众举报线索，无举报人，无需反馈。", "上级交办线索，核查结果已随回复报送交办机关。"),
}


def feedback_text(rng: random.Random, kind: str) -> str:
    return rng.choice(FEEDBACK[kind])


def reply_text(rng: random.Random, *, unit: str, chain: str) -> str:
    return rng.choice((f"{unit}已完成核查，结论经{chain}逐级审签，现予回复。",
                       f"关于交办线索的核查情况报告：{unit}已按“三个必须”要求完成核查，结论已签批。",
                       f"{unit}核查完毕，核查报告及签批表随文报送。"))


def escalate_reason(rng: random.Random, *, mode: str, official_name: str = "") -> str:
    if mode == "upgrade":
        return rng.choice(("线索涉及多个城区、涉案人员众多，由市局刑侦支队提级核查。",
                           "线索反映的团伙跨区活动，案情复杂，报请市扫黑办提级核查。"))
    target = official_name or "本区公职人员"
    return rng.choice((f"线索反映{target}涉嫌充当“保护伞”，为避免干扰，移交江岸区分局异地核查。",
                       f"被反映人与{target}存在亲属关系，本地核查需回避，指定异地核查。"))


SUPERVISE_NOTES = ("市扫黑办挂牌督办，请每半月报告核查进展。", "群众反映强烈，列为市级督办线索。",
                   "重复举报、久查不结，市扫黑办督办。")
PROGRESS = ("已完成对举报人的询问，正在调取相关交易记录。", "已约谈被反映人，正在核实其资金往来。",
            "已走访周边群众二十余人，核查工作按计划推进。")
RETURN_REASONS = ("核查笔录缺少对关键证人的询问，请补充核查。", "未调取反映时段的监控录像，结论依据不足，退回补查。")
REOPEN_REASONS = ("群众再次举报并提供了新的转账记录，原结论需重新核查。", "重复举报反映问题仍在持续，启动复核。")
ACK_NOTES = ("重复举报内容与在办线索一致，并入核查。", "经审阅，重复举报未提出新的事实，不影响正在进行的核查。")
UPHOLD_NOTES = ("经复核，重复举报未提供新的事实和证据，维持原核查结论。",)
ASSIGN_NOTES = ("请按“三个必须”要求核查，按期回复。", "请于期限内核查并报送签批后的核查报告。", "")
VALID_NOTES = ("人、事、时、地要素具体，符合涉黑涉恶线索特征。", "反映问题具体，有一定查证方向。", "")
DUAL_NOTES = ("线索涉及公职人员，按“双交办”机制同步移交区纪委监委。",)

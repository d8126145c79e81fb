"""Report wording per offence category, in parts to be combined (written for the demo).

Slots: {who} main person, {who2} an accomplice, {place} street and road, {venue} a business or
site, {goods}, {n} head count, {amount} money, {debt} a kind of loan, {months} duration,
{official} a named official (only in texts used for dual assignment).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OffenceTexts:
    venue_kind: str
    subjects: tuple[str, ...]
    facts: tuple[str, ...]
    short: tuple[str, ...]  # what was alleged, for findings: "{who}等人……的情况"
    crime: str  # the charge a substantiated finding names


OFFENCES: dict[str, OffenceTexts] = {
    "forced_transactions": OffenceTexts(
        "nightlife",
        ("{place}{venue}强迫商户购买酒水", "{who}强买强卖，商户敢怒不敢言",
         "反映{place}一带有人垄断{goods}供货并强迫交易", "{venue}被逼高价进货"),
        ("{who}纠集{n}名社会闲散人员，要求{place}周边{venue}等商户只能从其处进{goods}，价格比市场高出三成以上；"
         "有商户从别处进货，当晚就被人堵门砸了招牌。",
         "{who}与{who2}自称“片区管事的”，每月上门向沿街商户“推荐”{goods}，不买的店铺隔三差五有人来闹事，"
         "顾客不敢进门。",
         "{venue}的老板被{who}带人围住，被迫签下为期两年的{goods}供货协议，单价远高于市场价，"
         "老板提出解约即遭威胁“店开不下去”。"),
        ("强迫商户高价购买{goods}", "强买强卖、垄断供货"),
        "强迫交易罪",
    ),
    "provoking_trouble": OffenceTexts(
        "nightlife",
        ("{place}有人长期寻衅滋事", "{who}等人深夜滋事扰民", "反映{venue}门前多次发生殴打路人事件",
         "{who}一伙横行{place}"),
        ("{who}等{n}人经常在{place}{venue}门口聚集，酒后随意辱骂、追打路人，近{months}个月来已发生多起，"
         "周边居民晚上不敢出门。",
         "{who}带人在{place}占道摆摊，城管劝离时被围攻；附近商户稍有不满便被砸坏门窗，"
         "大家都知道他们是“{nick}”的人。",
         "{who}与{who2}驾车在{place}一带故意别车、拦车索要“误工费”，不给就动手，"
         "受害的出租车和网约车司机已有多名。"),
        ("多次在公共场所殴打、辱骂他人", "随意殴打他人、强拿硬要"),
        "寻衅滋事罪",
    ),
    "extortion": OffenceTexts(
        "business",
        ("{who}以“保护费”名义向商户敲诈", "{place}{venue}遭人勒索钱财", "反映有人以举报相要挟索要钱财"),
        ("{who}每逢节假日带人到{place}的{venue}等门店收取所谓“管理费”，每户{amount}元不等，"
         "不交的店铺会被人堵门、泼油漆。",
         "{who}手握{venue}的所谓“违建证据”，多次打电话威胁要“曝光”“举报”，先后索要{amount}元，"
         "老板已付过两次，对方仍不罢休。",
         "{who}指使{who2}故意在{venue}“吃出异物”后闹事，要求赔偿{amount}元私了，"
         "同样手法在{place}一带已出现多次。"),
        ("以威胁手段索要钱财", "收取“保护费”、敲诈商户"),
        "敲诈勒索罪",
    ),
    "illegal_detention": OffenceTexts(
        "business",
        ("{who}为讨债私自关押他人", "反映{place}某出租屋内有人被限制人身自由", "{venue}老板被人强行带走扣押"),
        ("{who}称{who2}欠其{amount}元，带{n}人将{who2}从家中强行带至{place}一出租屋内看管{months}天，"
         "期间没收手机，逼其家人还钱。",
         "{venue}员工因工资纠纷被{who}等人锁在办公室一夜，次日写下欠条后才被放出，"
         "当事人不敢报警。"),
        ("非法限制他人人身自由", "以扣押人员方式逼债"),
        "非法拘禁罪",
    ),
    "routine_loans": OffenceTexts(
        "business",
        ("{who}放“套路贷”逼债", "反映{place}有团伙暴力讨债", "借款{amount}元被滚成数倍债务", "{venue}背后有人放高利贷"),
        ("举报人去年通过{who}办理{debt}{amount}元，被要求签下金额翻倍的借条并扣除“砍头息”，"
         "逾期一周后债务被滚到原来的数倍。",
         "{who}一伙以{venue}为掩护放贷，借款人逾期后，他们就在借款人家门口喷字、堵锁眼，"
         "还给借款人的同事和亲友打骚扰电话。",
         "{who}与{who2}伪造银行流水制造“虚假走账”，再以借款人“违约”为由起诉或上门催收，"
         "{place}至少有{n}户人家受害。"),
        ("设“套路贷”、暴力催收", "以虚增债务方式非法放贷并暴力讨债"),
        "诈骗罪、寻衅滋事罪",
    ),
    "market_bully": OffenceTexts(
        "market",
        ("{venue}{goods}生意被{who}一手把持", "反映{place}有人欺行霸市", "{who}垄断{venue}摊位转租"),
        ("{who}控制了{place}{venue}的{goods}批发，外来商户进场必须先向其缴纳“进场费”，"
         "否则货车就会被人堵在门口卸不了货。",
         "{venue}的摊位由{who}统一“转租”，租金是管理方定价的两倍，摊主稍有异议就被赶走，"
         "有摊主被{who2}打伤。",
         "{who}以低价强行收购{place}一带菜农的{goods}，再高价转卖给餐馆，不服从的菜农被人掀翻摊子。"),
        ("垄断市场、强收进场费", "欺行霸市、强行控制摊位"),
        "强迫交易罪",
    ),
    "construction_harassment": OffenceTexts(
        "site",
        ("{venue}多次被人堵门阻工", "{who}强揽{place}工地土方生意", "反映有人向{venue}索要“好处费”"),
        ("{who}带{n}人开车堵住{place}{venue}大门，要求把渣土运输和{goods}供应交给他们做，"
         "施工方不答应就天天堵，工期已延误一个多月。",
         "{venue}开工以来，{who}以“周边居民”名义多次阻工，私下向施工方索要{amount}元“协调费”，"
         "收钱后阻工就停了。",
         "夜间有人往{place}{venue}里扔石块、剪断围挡，项目经理接到电话说“不找{nick}就别想干”。"),
        ("阻挠施工、强揽工程", "以阻工手段索要钱财"),
        "强迫交易罪、寻衅滋事罪",
    ),
    "violent_demolition": OffenceTexts(
        "estate",
        ("{place}拆迁中有人暴力逼迁", "反映{venue}住户被断水断电逼签", "{who}带人夜间强拆房屋"),
        ("{place}{venue}征收过程中，{who}带人夜间砸门、断水断电，逼迫不愿签约的住户搬离，"
         "一位老人被推倒受伤。",
         "{who}受雇于某拆迁服务公司，在{place}一带对未签约住户{n}户轮番“做工作”，"
         "往房门上泼粪、拆掉楼道照明，住户反映无门。"),
        ("采用暴力、威胁手段逼迁", "断水断电、夜间强拆"),
        "寻衅滋事罪、故意毁坏财物罪",
    ),
    "gambling": OffenceTexts(
        "den",
        ("{place}{venue}聚众赌博", "反映{who}开设赌场抽头渔利", "{venue}夜间人员进出频繁疑似赌场"),
        ("{place}{venue}每天下午到凌晨都有人打牌赌钱，输赢动辄上万元，{who}安排专人在楼下望风、"
         "在楼上抽头，还放“水钱”给输了钱的人。",
         "{who}在{place}租下{venue}开设赌场，用微信群招揽赌客，有车辆专门接送，"
         "附近已有家庭因赌博欠下{amount}元外债。"),
        ("开设赌场、抽头渔利", "组织赌博并放“水钱”"),
        "开设赌场罪",
    ),
    "village_bully": OffenceTexts(
        "estate",
        ("{place}{venue}有“小区恶霸”", "{who}霸占小区公共停车位收费", "反映{venue}有人把持业委会、侵占公共收益"),
        ("{who}自封{place}{venue}的“管事人”，霸占小区公共车位私自收费，每月收入数万元，"
         "业主质疑就被其手下威胁。",
         "{who}长期把持{venue}的公共场地出租和广告收益，业主选业委会时{who}带人到现场起哄、"
         "撕毁选票，业主不敢出声。"),
        ("霸占公共资源、欺压居民", "把持小区事务、强占公共收益"),
        "寻衅滋事罪、强迫交易罪",
    ),
    "protective_umbrella": OffenceTexts(
        "business",
        ("反映{official}为{who}充当“保护伞”", "{who}团伙背后有人撑腰", "群众举报{official}收受黑恶人员好处"),
        ("{who}在{place}开设的{venue}多次被举报，但每次检查前都有人通风报信，群众怀疑{official}"
         "与{who}来往密切并收受好处。",
         "{who}团伙多次打人后都“私了”了事，受害人反映{official}出面“调解”，压着不立案，"
         "{who}逢人便说“上面有人”。"),
        ("与黑恶人员勾连、充当“保护伞”", "通风报信、压案不查"),
        "受贿罪、滥用职权罪",
    ),
    "gathering_to_fight": OffenceTexts(
        "nightlife",
        ("{place}两伙人聚众斗殴", "反映{who}多次纠集人员斗殴"),
        ("因争夺{place}{venue}的“看场”生意，{who}和{who2}两伙人约在深夜持棍棒斗殴，双方各有{n}人参与，"
         "有人受伤后被私下送医。",
         "{who}一伙在{place}与外地人员发生冲突，事后纠集{n}人携带钢管找对方“报复”，当晚多辆车被砸。"),
        ("纠集多人斗殴", "持械聚众斗殴"),
        "聚众斗殴罪",
    ),
    "intentional_injury": OffenceTexts(
        "business",
        ("{who}指使手下打伤{venue}老板", "反映{place}一商户被人打成重伤"),
        ("{venue}老板因拒绝转让店面，被{who}安排的两名男子在店门口用钢管殴打，经鉴定为轻伤，"
         "打人者至今逍遥法外。",
         "{who2}因向有关部门反映{who}的问题，在{place}路口被人从背后打伤，住院{months}个月。"),
        ("指使他人故意伤害", "殴打举报人致伤"),
        "故意伤害罪",
    ),
    "bid_rigging": OffenceTexts(
        "site",
        ("{place}{venue}招投标疑被操纵", "反映{who}围标串标"),
        ("{place}{venue}的配套工程招标中，{who}控制的几家公司轮流“陪标”，其他投标人被打招呼退出，"
         "有拒不退出的老板被人跟踪恐吓。",
         "{who}借用多家公司资质围标{venue}的绿化和保洁项目，中标后层层转包，"
         "中间差价高达{amount}元。"),
        ("围标串标、威胁其他投标人", "借用资质围标、违法转包"),
        "串通投标罪",
    ),
}

# How much of each category the demo shows (weights; 江汉's "five key fields" lead).
CATEGORY_WEIGHTS: dict[str, int] = {
    "forced_transactions": 12, "provoking_trouble": 12, "extortion": 8, "illegal_detention": 4,
    "routine_loans": 11, "market_bully": 9, "construction_harassment": 8, "violent_demolition": 5,
    "gambling": 9, "village_bully": 6, "protective_umbrella": 4, "gathering_to_fight": 4,
    "intentional_injury": 3, "bid_rigging": 3,
}
# Categories that tend to name officials (dual assignment) or go to the housing regulator.
OFFICIAL_PRONE = ("protective_umbrella", "village_bully", "violent_demolition", "market_bully", "gambling")
HOUSING_PRONE = ("violent_demolition", "construction_harassment", "village_bully")

"""Report streams with known repeats, for the repeat-report benchmark (issue 5, item 2).

A *matter* is one set of facts (who, where, what offence, since when, how much, phone, plate, company, account);
reports are renderings of a matter. Base reports are citizen tips in Simplified Chinese composed from sentence
templates (several alternatives per part, so two tips about the same offence rarely share more than a sentence or
two), or in English. Repeats of a matter are: the same text in Traditional script (opencc s2t), reworded through a
synonym table, with sentences dropped and added, partly rewritten in English, English repeats of English reports,
and combinations. Near misses (hard negatives) keep the template, the county, the town and the offence of a matter
and change its facts. When ../shared/data/cail2018/facts.jsonl is present, its court facts serve as further base
texts (read at run time, never copied).

Everything is drawn from one `random.Random(seed)`: the same arguments give the same stream.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import opencc
from pypinyin import lazy_pinyin

CAIL_FACTS = Path(__file__).resolve().parents[2] / "shared" / "data" / "cail2018" / "facts.jsonl"

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
            "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏建国红亮飞斌宇浩凯健俊帆帅旭宁龙林欣"
         "波宏志忠海东辉鑫峰新春云彬福贵发财德利水金山虎豹彪松柏文武成功兴旺家宝庆喜顺安")
NICK_HEADS = ["刀", "虎", "豹", "狼", "彪", "疤", "黑", "光头", "胖", "瘸", "麻", "大", "二", "三", "四", "五", "老"]
PLACE_ROOTS = ["清河", "石桥", "白沙", "青山", "柳林", "杨庄", "马坊", "龙泉", "桃源", "河口", "东湖", "西岭", "南坪",
               "北塘", "高岗", "双庙", "黄土", "红星", "新安", "永丰", "长乐", "太平", "兴隆", "平安", "丰收", "三合",
               "四方", "五里", "六合", "七星", "八里", "九龙", "金牛", "银杏", "铁山", "铜锣", "槐树", "枣园", "梨花",
               "杏林", "竹溪", "松岭", "梅岭", "荷塘", "芦苇", "沙河", "石门", "土桥", "木兰", "古城", "新城", "旧街",
               "上营", "下营", "前进", "后湾", "左家", "右庄", "中和", "大王", "小李", "官道", "盐井", "煤窑", "砖桥",
               "窑湾", "渡口", "码头", "桥头", "坝上", "塘坊", "湾里", "岔路", "坪上", "岭下", "沟口", "梁家", "堡子",
               "寨子", "屯里"]
PROVINCES = "豫鄂湘冀鲁晋陕皖赣川黔滇桂粤闽浙苏辽吉黑甘"
BRAND_CHARS = ("鑫达宏远金盛华泰恒通永利顺发隆聚源腾飞汇丰天宇世昌福满兴众大成瑞嘉禾银海鼎晟润祥和信诚佳豪凯旺富贵"
               "安康泰亨吉庆美乐鸿运锦绣博创新立德正益民远航志强宝利德胜东方西湖南山北辰中天长城星光明月春秋冠军"
               "万达百川千里龙凤麒麟骏驰雄鹰龙腾虎跃荣耀辉煌华夏神州宇宙乾坤")
INDUSTRIES = [("建材", "Building Materials"), ("砂石", "Sand and Gravel"), ("物流", "Logistics"),
              ("劳务", "Labour Services"),
              ("商贸", "Trading"), ("投资咨询", "Investment Consulting"), ("房地产开发", "Real Estate"),
              ("文化传媒", "Culture and Media"), ("娱乐", "Entertainment"), ("运输", "Transport")]
BANKS = [("农业银行", "Agricultural Bank"), ("工商银行", "ICBC"), ("建设银行", "CCB"),
         ("农村信用社", "rural credit union")]
UNITS = [("派出所", "police station", "所长"), ("镇政府", "town government", "副镇长"),
         ("公安局", "police bureau", "副局长"),
         ("国土所", "land office", "所长"), ("村委会", "village committee", "村支书")]
CARS = [("黑色奥迪", "black Audi"), ("白色丰田霸道", "white Toyota Prado"), ("银色面包车", "silver minivan"),
        ("黑色奔驰", "black Mercedes"), ("红色宝马", "red BMW"), ("灰色越野车", "grey SUV")]

# Each part of a report: alternatives as (Chinese, English). Placeholders come from `Matter.slots`.
OPENINGS = [
    ("我要举报{county}{town}{village}的{name}。", "I want to report {name} of {village}, {town}, {county}."),
    ("我实名反映{county}{town}{village}村民{name}的违法犯罪问题。",
     "I am reporting under my real name the crimes of {name}, a villager of {village} in {town}, {county}."),
    ("{county}{town}{village}有个叫{name}的人，横行乡里多年。",
     "There is a man called {name} in {village}, {town}, {county} who has bullied the area for years."),
    ("现向你们反映{county}{town}{village}{name}涉黑涉恶的问题。",
     "I am writing about the gang activities of {name} in {village}, {town}, {county}."),
    ("{county}{town}{village}的老百姓被{name}欺负得不敢出声。",
     "The people of {village} in {town}, {county} are too afraid of {name} to speak up."),
    ("本人举报{county}{town}的{name}及其团伙。", "I report {name} of {town}, {county} and his gang."),
]
WHO = [
    ("{name}外号“{nick}”，今年{age}岁左右，身边常年跟着{mate1}、{mate2}等一帮人。",
     "{name}, nicknamed {nick}, is about {age} and is always followed by {mate1}, {mate2} and others."),
    ("此人绰号{nick}，{age}多岁，手下有{mate1}、{mate2}等十几个小弟。",
     "This man, known as {nick}, is in his {age}s and has a dozen followers including {mate1} and {mate2}."),
    ("{name}（人称{nick}）纠集了{mate1}、{mate2}等人，在当地形成了一个团伙。",
     "{name} (called {nick}) gathered {mate1}, {mate2} and others into a local gang."),
    ("{nick}就是{name}，以前因为打架坐过牢，出来以后和{mate1}、{mate2}混在一起。",
     "{nick} is {name}; he was jailed for fighting before and now hangs around with {mate1} and {mate2}."),
]
OFFENCES: dict[str, list[tuple[str, str]]] = {
    "gambling": [
        ("他在{village}村口的仓库里开设赌场，每天晚上都有几十人聚赌。",
         "He runs a gambling den in a warehouse at the entrance of {village}, with dozens gambling every night."),
        ("赌场每天抽头少则几千多则上万元，还派人在路口放哨。",
         "The den takes a cut of several thousand yuan a day and posts lookouts at the crossroads."),
        ("他们还给输了钱的人放贷，利息是每天百分之{rate}。",
         "They lend money to people who lose, at {rate} percent interest per day."),
        ("有人输光了家产，还不上钱就被他们打。", "Some lost everything, and those who cannot pay are beaten."),
        ("赌场里玩的是百家乐和推牌九，最大一把输赢好几万。",
         "They play baccarat and pai gow, with tens of thousands won or lost in one hand."),
    ],
    "usury": [
        ("他以{company_or_self}的名义放高利贷，借一万元到手只有七千。",
         "He lends at usurious rates in the name of {company_or_self}; a loan of ten thousand pays out only seven."),
        ("借款人还不上钱，他们就虚增债务，让人重新签借条。",
         "When borrowers cannot pay, they inflate the debt and make them sign new IOUs."),
        ("他们上门泼油漆、堵锁眼，还在半夜打电话恐吓。",
         "They splash paint on doors, block locks and make threatening calls at midnight."),
        ("有个借了{amount}万元的人，被逼着还了三倍还没还完。",
         "One man who borrowed {amount}0 thousand yuan was forced to repay three times that and still owes."),
        ("他们把欠钱的人关在宾馆里，不还钱不让走。",
         "They lock debtors in a hotel and do not let them go until they pay."),
    ],
    "forced_trading": [
        ("{town}的饭店和商户必须从他那里进酒水，不进就有人上门闹事。",
         "Restaurants and shops in {town} must buy drinks from him, or his men come to make trouble."),
        ("他垄断了{town}的沙石生意，别人的车根本进不来。",
         "He controls the sand and gravel trade in {town}; other trucks are not allowed in."),
        ("价格比市场价高出一倍，谁不答应就砸谁的店。",
         "His prices are double the market price, and whoever refuses has his shop smashed."),
        ("农贸市场的摊位费也被他们把持，每个摊位每月多收{rate}百元。",
         "They also control the market stall fees, charging every stall {rate} hundred yuan more a month."),
        ("外地来的货车要交过路费才能卸货。", "Trucks from elsewhere must pay a toll before they may unload."),
    ],
    "village_bully": [
        ("他当上村主任以后，把村里的集体土地私自租给别人，租金全进了自己腰包。",
         "Since becoming village head he has leased the collective land privately and pocketed the rent."),
        ("村里修路的工程都被他家亲戚承包，质量很差。",
         "His relatives get every village road contract, and the work is shoddy."),
        ("谁家不听话，他就不给办低保、不给盖章。",
         "Families who disobey him get no subsistence allowance and no official stamp."),
        ("选举的时候他派人挨家挨户发钱拉票，还威胁不投他的人。",
         "At elections he sends men door to door to buy votes and threatens those who will not vote for him."),
        ("村民{victim}因为反映问题，被他带人打断了腿。",
         "Villager {victim} had his leg broken by his men for complaining."),
    ],
    "illegal_mining": [
        ("他在{village}的河道里非法采砂，几十台挖掘机日夜不停。",
         "He mines sand illegally in the river at {village}, with dozens of excavators working day and night."),
        ("河堤被挖得千疮百孔，农田都塌了。", "The riverbank is riddled with pits and the fields have collapsed."),
        ("运砂的大车超载严重，把村里的路都压坏了。", "His overloaded sand trucks have wrecked the village roads."),
        ("有村民去拦车，被他的人打伤住院。", "Villagers who tried to stop the trucks were beaten into hospital."),
        ("他还在后山私挖矿石，没有任何手续。", "He also digs ore on the hill behind the village without any permit."),
    ],
    "provoking_trouble": [
        ("他们经常在{town}的夜市上白吃白拿，不给钱还打人。",
         "They often eat and take goods at the {town} night market without paying, and beat people who object."),
        ("喝醉了就在街上追打路人，砸过好几家店。",
         "When drunk they chase and beat passers-by and have smashed several shops."),
        ("他们开着车在镇上横冲直撞，还拿刀吓唬学生。",
         "They drive recklessly through the town and frighten students with knives."),
        ("去年他们把一个外地司机打成重伤，到现在也没人处理。",
         "Last year they seriously injured a driver from out of town, and nothing was done."),
        ("镇上的人见了他们都绕着走。", "People in the town walk the other way when they see them."),
    ],
    "extortion": [
        ("{town}的商户每个月都要给他交保护费，每家{rate}百元。",
         "Every shop in {town} must pay him protection money, {rate} hundred yuan a month each."),
        ("他们抓住别人的把柄，动不动就要几万块钱。",
         "They find something on people and demand tens of thousands of yuan."),
        ("不交钱的店门口就会被扔死老鼠、泼粪。",
         "Shops that do not pay find dead rats and manure thrown at their doors."),
        ("有家超市老板被他们勒索了{amount}万元，不敢报警。",
         "A supermarket owner was extorted of {amount}0 thousand yuan and dared not call the police."),
        ("他们还以拆迁为名向村民要钱。", "They also demand money from villagers in the name of demolition."),
    ],
    "construction": [
        ("工地开工以后，他带人天天去闹，要求承包土方工程。",
         "Since the site opened he has brought men every day to make trouble, demanding the earthwork contract."),
        ("不给他工程，他们就堵住工地大门，不让车辆进出。",
         "Without the contract, they block the gate so no vehicle can go in or out."),
        ("施工方被迫从他那里高价买混凝土。", "The builder is forced to buy concrete from him at high prices."),
        ("有个工人被他们打伤，工程停了一个多月。",
         "A worker was beaten by them, and the project stopped for more than a month."),
        ("他们还向每个施工队收管理费。", "They also charge every construction team a management fee."),
    ],
    "bid_rigging": [
        ("县里的工程招标都被他们围标串标，别的公司根本中不了。",
         "They rig the county's public tenders, so no other company can win."),
        ("他找了好几家公司陪标，报价都是商量好的。",
         "He gets several companies to bid as cover, with prices agreed in advance."),
        ("有人想投标，就被他们威胁退出。", "Anyone who wants to bid is threatened into withdrawing."),
        ("中标以后再转包出去，从中赚取差价。", "After winning they subcontract the work and pocket the difference."),
        ("这几年他们拿下的工程有十几个，金额{amount}千多万。",
         "In recent years they have taken a dozen projects worth tens of millions."),
    ],
    "drugs": [
        ("他在{village}的出租屋里贩卖毒品，来买的人很多。",
         "He sells drugs from a rented room in {village}, and many people come to buy."),
        ("晚上经常有陌生人进进出出，有时候还能闻到怪味。",
         "Strangers come and go at night, and sometimes there is a strange smell."),
        ("他还拉拢年轻人吸毒，再让他们帮着卖。",
         "He draws young people into drugs and then makes them sell for him."),
        ("村里已经有好几个年轻人染上了毒瘾。", "Several young people in the village are already addicted."),
        ("他把货藏在车里，在县城和镇上来回送。",
         "He hides the drugs in his car and delivers between the county town and the village."),
    ],
}
SINCE = [
    ("从{year}年{month}月开始，他们就一直这样干。", "They have been doing this since {month_en} {year}."),
    ("这种情况已经持续了{years}年多，最近一次是{year}年{month}月。",
     "This has gone on for over {years} years; the latest time was {month_en} {year}."),
    ("{year}年{month}月以来，类似的事情发生了好多次。", "Since {month_en} {year} this has happened many times."),
]
HARM = [
    ("据我了解，受害的群众有{victims}人左右，涉及金额{amount}万元。",
     "As far as I know about {victims} people were harmed, involving {amount}0 thousand yuan."),
    ("{victim}等{victims}户村民被他们害得很惨，光{victim}一家就损失了{amount}万元。",
     "{victims} families including {victim} suffered; {victim}'s family alone lost {amount}0 thousand yuan."),
    ("前后至少有{victims}个人吃过亏，涉及的钱有{amount}万元以上。",
     "At least {victims} people have been cheated, involving more than {amount}0 thousand yuan."),
]
PROTECTION = [
    ("{name}的亲戚{official}是{unit}的{title}，每次有人举报他都能提前知道。",
     "{name}'s relative {official} is the {title_en} of the {unit_en}, so he always knows of reports in advance."),
    ("听说{unit}{title}{official}一直给他们当保护伞，所以没人敢管。",
     "I hear {official}, {title_en} of the {unit_en}, protects them, so nobody dares to act."),
    ("当地{unit}的{title}{official}和{name}关系很好，经常在一起吃饭。",
     "{official}, the local {unit_en} {title_en}, is close to {name} and often dines with him."),
]
PHONE_LINES = [("{name}的手机号是{phone}。", "{name}'s mobile number is {phone}."),
               ("有事可以打他的电话{phone}找到他。", "He can be reached on {phone}.")]
PLATE_LINES = [("他平时开一辆{car}，车牌号{plate}。", "He drives a {car_en}, plate {plate}."),
               ("他们的车是{car}，牌照{plate}。", "Their car is a {car_en} with plate {plate}.")]
COMPANY_LINES = [("他名下有一家{company}，其实就是用来洗钱的。",
                  "He owns {company_en}, which is really used for laundering money."),
                 ("他们以{company}的名义在外面活动。", "They operate in the name of {company_en}.")]
ACCOUNT_LINES = [("受害人的钱都打进了{bank}卡号{account}。", "The victims' money went into {bank_en} card {account}."),
                 ("他让人把钱转到{bank}账号{account}上。",
                  "He has people transfer money to {bank_en} account {account}.")]
PLEAS = [
    ("希望领导高度重视，尽快查处。", "I hope the leaders will take this seriously and act soon."),
    ("请有关部门彻查此事，还老百姓一个公道。", "Please investigate thoroughly and give the people justice."),
    ("恳请扫黑办派人调查，为群众除害。", "I ask the anti-gang office to send people to investigate."),
    ("以上情况属实，举报人愿意配合调查。", "The above is true and I am willing to help the investigation."),
    ("此致敬礼！", "Yours faithfully."),
]
ADDED = [
    ("这个事情我去年就反映过，到现在也没人管。", "I reported this last year and nobody has done anything."),
    ("最近他们又开始了，而且比以前更加嚣张。", "Recently they started again and are even more arrogant."),
    ("附近的群众都敢怒不敢言。", "People nearby are angry but dare not speak."),
    ("我说的都是真的，可以找村里人核实。", "Everything I say is true; you can check with the villagers."),
    ("我怕被报复，所以不敢留名字。", "I am afraid of revenge, so I do not leave my name."),
    ("上次你们来人调查，他提前就知道了。", "When you sent people last time, he knew in advance."),
]
ZH_SYNONYMS = [
    ["开设", "经营", "开办"], ["赌场", "赌博窝点", "赌窝"], ["殴打", "暴打"], ["打伤", "打成重伤"],
    ["威胁", "恐吓", "威逼"],
    ["村民", "老百姓", "群众"], ["经常", "时常", "常常", "总是"], ["团伙", "帮派"], ["商户", "店主", "生意人"],
    ["放高利贷", "放贷", "放水"], ["保护费", "管理费"], ["非法", "违法"], ["举报", "反映", "检举"],
    ["一直", "始终", "长期"],
    ["害怕", "不敢", "畏惧"], ["工地", "施工现场"], ["砸", "打砸"], ["手下", "身边"], ["这样干", "这么做"],
    ["好多", "很多"],
    ["没人", "没有人"], ["不让", "不许"], ["钱", "钱款"], ["以后", "之后"], ["根本", "完全"], ["天天", "每天"],
    ["已经", "早就"], ["希望", "恳请", "请求"], ["尽快", "早日"], ["查处", "处理", "打击"], ["家产", "家底"],
]
EN_SYNONYMS = [
    ["runs", "operates", "manages"], ["beaten", "assaulted", "attacked"], ["threatening", "intimidating"],
    ["villagers", "residents", "locals"], ["often", "frequently", "regularly"], ["gang", "group", "crew"],
    ["shops", "stores", "businesses"], ["money", "cash", "funds"], ["report", "denounce"], ["afraid", "scared"],
    ["people", "folks", "residents"], ["every", "each"], ["smashed", "wrecked", "destroyed"], ["forced", "made"],
    ["nobody", "no one"], ["many", "numerous"], ["demand", "ask for"], ["drives", "uses"], ["investigate", "look into"],
]

REMARK_SHARE = 0.15
REPEAT_KINDS = ("traditional", "reworded", "sentences", "partly_english", "traditional_reworded", "en_repeat",
                "court_repeat")


@dataclass(slots=True)
class Matter:
    """One set of facts; `template` fixes the alternatives chosen for each part, so a near miss can reuse it."""

    offence: str
    slots: dict[str, str]
    template: tuple[int, ...]
    parts: tuple[str, ...]  # which optional parts this matter's reports carry
    remark: tuple[int, int] | None  # a stock remark (ADDED index) and where it goes: common in real tips too


@dataclass(frozen=True, slots=True)
class Report:
    text: str
    matter: int  # reports of one matter are repeats of each other
    kind: str  # zh, en, court, near_miss, or a repeat kind


@dataclass(slots=True)
class Stream:
    stored: list[Report]
    queries: list[Report]
    stored_of_matter: dict[int, list[int]] = field(default_factory=dict)  # matter → indexes into `stored`

    def true_keys(self, query: Report) -> list[int]:
        return self.stored_of_matter.get(query.matter, [])


@cache
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


@cache
def _pinyin(text: str) -> str:
    """A person's name or a word in pinyin as English texts write it: Wang Jianguo, Daoge."""
    syllables = lazy_pinyin(text)
    return syllables[0].capitalize() + " " + "".join(syllables[1:]).capitalize()


def _synonym_re(groups: list[list[str]]) -> tuple[re.Pattern[str], dict[str, list[str]]]:
    table = {word: [other for other in group if other != word] for group in groups for word in group}
    words = sorted(table, key=len, reverse=True)
    boundary = r"\b" if groups is EN_SYNONYMS else ""
    return re.compile(boundary + "(?:" + "|".join(map(re.escape, words)) + ")" + boundary), table


ZH_SYNONYM_RE = _synonym_re(ZH_SYNONYMS)
EN_SYNONYM_RE = _synonym_re(EN_SYNONYMS)


class Generator:
    """Draws matters and renders their reports; every choice comes from one seeded `random.Random`."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        rng = self.rng
        self.counties = [root + rng.choice("县县县区") for root in rng.sample(PLACE_ROOTS, 40)]
        self.towns = {county: [root + rng.choice(["镇", "镇", "乡", "街道"]) for root in rng.sample(PLACE_ROOTS, 12)]
                      for county in self.counties}
        self.court_texts = _court_texts()

    # facts ---------------------------------------------------------------------------------------------------
    def name(self) -> str:
        rng = self.rng
        surname = SURNAMES[min(int(rng.expovariate(1 / 18)), len(SURNAMES) - 1)]  # common surnames are common
        return surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2, 2))))

    def phone(self) -> str:
        rng = self.rng
        digits = "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))
        style = rng.random()
        return digits if style < 0.7 else f"{digits[:3]}-{digits[3:7]}-{digits[7:]}" if style < 0.85 else \
            f"{digits[:3]} {digits[3:7]} {digits[7:]}"

    def plate(self) -> str:
        """Province, city letter, five characters of which at most two are letters (as real serials)."""
        rng = self.rng
        serial = [rng.choice("0123456789") for _ in range(5)]
        for position in rng.sample(range(5), rng.choice((0, 0, 1, 1, 2))):
            serial[position] = rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ")
        return rng.choice(PROVINCES) + rng.choice("ABCDEFGHJKLMN") + "".join(serial)

    def account(self) -> str:
        rng = self.rng
        body = "62" + "".join(rng.choice("0123456789") for _ in range(rng.choice((14, 16))))
        total = 0
        for position, char in enumerate(reversed(body)):
            digit = int(char) * (2 if position % 2 == 0 else 1)
            total += digit - 9 if digit > 9 else digit
        return body + str((10 - total % 10) % 10)

    def facts(self, *, county: str | None = None, town: str | None = None) -> dict[str, str]:
        rng = self.rng
        county = county or rng.choice(self.counties)
        town = town or rng.choice(self.towns[county])
        name, (industry, industry_en) = self.name(), rng.choice(INDUSTRIES)
        brand = "".join(rng.choice(BRAND_CHARS) for _ in range(rng.choice((2, 2, 3))))
        unit, unit_en, title = rng.choice(UNITS)
        car, car_en = rng.choice(CARS)
        bank, bank_en = rng.choice(BANKS)
        year, month = rng.randint(2015, 2024), rng.randint(1, 12)
        company = f"{county[:2]}{brand}{industry}有限公司"
        return {
            "county": county, "town": town, "village": rng.choice(PLACE_ROOTS) + "村", "name": name,
            "nick": rng.choice(NICK_HEADS) + rng.choice("哥哥爷子"), "age": str(rng.randint(28, 60)),
            "mate1": self.name(), "mate2": self.name(), "victim": self.name(), "official": self.name(),
            "unit": unit, "unit_en": unit_en, "title": title, "title_en": "head", "rate": str(rng.randint(2, 9)),
            "year": str(year), "month": str(month), "years": str(rng.randint(2, 9)), "victims": str(rng.randint(5, 80)),
            "amount": str(rng.randint(3, 300)), "phone": self.phone(),
            "plate": self.plate(),
            "car": car, "car_en": car_en, "company": company,
            "company_en": f"{_place_en(county[:2])} {_place_en(brand)} {industry_en} Co., Ltd.",
            "company_or_self": company if rng.random() < 0.5 else "个人", "bank": bank, "bank_en": bank_en,
            "account": self.account(),
            "month_en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                         "October", "November", "December"][month - 1],
        }

    def matter(self) -> Matter:
        rng = self.rng
        offence = rng.choice(list(OFFENCES))
        what = sorted(rng.sample(range(len(OFFENCES[offence])), rng.choice((2, 3, 3))))
        template = (rng.randrange(len(OPENINGS)), rng.randrange(len(WHO)), *what, -1, rng.randrange(len(SINCE)),
                    rng.randrange(len(HARM)), rng.randrange(len(PROTECTION)), rng.randrange(2), rng.randrange(2),
                    rng.randrange(2), rng.randrange(2), rng.randrange(len(PLEAS)))
        parts = tuple(part for part, share in (("who", 0.8), ("since", 0.7), ("harm", 0.6), ("protection", 0.35),
                                               ("phone", 0.45), ("plate", 0.3), ("company", 0.3), ("account", 0.15),
                                               ("plea", 0.6)) if rng.random() < share)
        return Matter(offence=offence, slots=self.facts(), template=template, parts=parts, remark=self.remark())

    def remark(self) -> tuple[int, int] | None:
        """One first report in REMARK_SHARE says what repeats often say (I reported this before…)."""
        rng = self.rng
        return (rng.randrange(len(ADDED)), rng.randrange(1, 12)) if rng.random() < REMARK_SHARE else None

    def near_miss(self, matter: Matter) -> Matter:
        """Same offence, template, county and town; other people, village, figures and identifiers."""
        slots = self.facts(county=matter.slots["county"], town=matter.slots["town"])
        return Matter(offence=matter.offence, slots=slots, template=matter.template, parts=matter.parts,
                      remark=self.remark())

    # rendering -----------------------------------------------------------------------------------------------
    def sentences(self, matter: Matter, *, english: bool) -> list[str]:
        language = 1 if english else 0
        template, parts, slots = matter.template, matter.parts, matter.slots
        cut = template.index(-1)
        what = template[2:cut]
        opening, who = template[0], template[1]
        since, harm, protection, phone, plate, company, account, plea = template[cut + 1:]
        chosen: list[tuple[str, str]] = [OPENINGS[opening]]
        chosen += [WHO[who]] if "who" in parts else []
        chosen += [OFFENCES[matter.offence][index] for index in what]
        for part, lines, index in (("since", SINCE, since), ("harm", HARM, harm),
                                   ("protection", PROTECTION, protection),
                                   ("phone", PHONE_LINES, phone), ("plate", PLATE_LINES, plate),
                                   ("company", COMPANY_LINES, company), ("account", ACCOUNT_LINES, account),
                                   ("plea", PLEAS, plea)):
            if part in parts:
                chosen.append(lines[index])
        if matter.remark is not None:
            remark, position = matter.remark
            chosen.insert(min(position, len(chosen)), ADDED[remark])
        values = _english_slots(slots) if english else slots
        return [pair[language].format(**values) for pair in chosen]

    def reworded(self, text: str, *, english: bool, share: float = 0.5) -> str:
        pattern, table = EN_SYNONYM_RE if english else ZH_SYNONYM_RE

        def swap(match: re.Match[str]) -> str:
            word = match.group(0)
            return self.rng.choice(table[word]) if self.rng.random() < share else word

        return pattern.sub(swap, text)

    def sentences_changed(self, sentences: list[str], *, english: bool) -> list[str]:
        """One or two sentences dropped (never the opening), one or two typical repeat-report sentences added."""
        rng = self.rng
        kept = list(sentences)
        for _ in range(rng.choice((1, 1, 2))):
            if len(kept) > 3:
                kept.pop(rng.randrange(1, len(kept)))
        for added in rng.sample(ADDED, rng.choice((1, 2))):
            if added[1 if english else 0] in kept:
                continue
            kept.insert(rng.randrange(1, len(kept) + 1), added[1 if english else 0])
        return kept

    def repeat(self, matter: Matter, *, kind: str, base_text: str) -> str:
        """A repeat of `matter` of the given kind (court repeats work on `base_text`, the stored court fact)."""
        rng = self.rng
        english = kind == "en_repeat"
        if kind == "court_repeat":  # half reworded in Traditional script, half with sentences dropped and added
            if rng.random() < 0.5:
                return str(_s2t().convert(self.reworded(base_text, english=False)))
            return _join(self.sentences_changed(_split_sentences(base_text), english=False), english=False)
        sentences = self.sentences(matter, english=english)
        if kind == "partly_english":
            english_sentences = self.sentences(matter, english=True)
            for index in rng.sample(range(1, len(sentences)), min(len(sentences) - 1, rng.choice((1, 2, 2, 3)))):
                sentences[index] = english_sentences[index]
            return _join(sentences, english=False)
        if kind in ("sentences", "en_repeat"):
            sentences = self.sentences_changed(sentences, english=english)
        text = _join(sentences, english=english)
        if kind in ("reworded", "traditional_reworded", "en_repeat"):
            text = self.reworded(text, english=english)
        if kind in ("traditional", "traditional_reworded"):
            text = str(_s2t().convert(text))
        return text

    def render(self, matter: Matter, *, english: bool) -> str:
        return _join(self.sentences(matter, english=english), english=english)


def _english_slots(slots: dict[str, str]) -> dict[str, str]:
    english = dict(slots)
    for key in ("county", "town", "village", "name", "mate1", "mate2", "victim", "official"):
        english[key] = _place_en(slots[key]) if key in ("county", "town", "village") else _pinyin(slots[key])
    english["nick"] = "".join(lazy_pinyin(slots["nick"])).capitalize()
    english["unit_en"] = slots["unit_en"]
    return english


_PLACE_SUFFIX = {"县": " County", "区": " District", "镇": " Town", "乡": " Township", "街道": " Subdistrict", "村": ""}


def _place_en(place: str) -> str:
    for suffix, english in _PLACE_SUFFIX.items():
        if place.endswith(suffix):
            return "".join(lazy_pinyin(place[: -len(suffix)])).capitalize() + (english or " Village")
    return "".join(lazy_pinyin(place)).capitalize()


def _split_sentences(text: str) -> list[str]:
    return [sentence for sentence in re.split(r"(?<=[。！？；])", text.replace("\r\n", "")) if sentence.strip()]


def _join(sentences: list[str], *, english: bool) -> str:
    return (" " if english else "").join(sentences)


def _court_texts() -> list[str]:
    """CAIL2018 court facts as extra base texts, when the shared data set is present (read, never copied)."""
    if not CAIL_FACTS.exists():
        return []
    texts = []
    for line in CAIL_FACTS.read_text(encoding="utf-8").splitlines():
        fact = str(json.loads(line).get("fact", "")).replace("\r\n", "").strip()
        if len(fact) >= 80:
            texts.append(fact)
    return texts


QUERY_MIX = {  # share of queries of each kind: repeats of stored matters, near misses, unrelated reports
    "traditional": 0.09, "reworded": 0.09, "sentences": 0.09, "partly_english": 0.09, "traditional_reworded": 0.09,
    "en_repeat": 0.08, "court_repeat": 0.07, "near_miss": 0.25, "unrelated": 0.15,
}


def stream_build(*, stored: int, queries: int, seed: int = 5, english_share: float = 0.05,
                 progress: Callable[[int], None] | None = None) -> Stream:
    """`stored` reports to index and `queries` reports to match against them, with the truth in `matter` ids.

    Stored: for every repeat query, its matter's base report (and for a third of them an earlier repeat as well);
    for a fifth of the repeat queries and for every near-miss query, near-miss siblings of the matter (hard
    negatives); the rest background reports (English `english_share`, court facts when present).
    """
    generator = Generator(seed)
    rng = generator.rng
    court = list(generator.court_texts)
    rng.shuffle(court)
    stored_reports: list[Report] = []
    query_reports: list[Report] = []
    matters = 0

    def store(text: str, matter: int, kind: str) -> None:
        stored_reports.append(Report(text=text, matter=matter, kind=kind))
        if progress is not None and len(stored_reports) % 100_000 == 0:
            progress(len(stored_reports))

    kinds = [kind for kind, share in QUERY_MIX.items() for _ in range(round(share * queries))]
    kinds += ["unrelated"] * (queries - len(kinds))
    rng.shuffle(kinds)
    for kind in kinds:
        matters += 1
        if kind == "court_repeat" and not court:
            kind = "traditional"
        matter = generator.matter()
        english = kind == "en_repeat"
        if kind == "unrelated":
            query_reports.append(Report(generator.render(matter, english=rng.random() < english_share), -matters, kind))
            continue
        base = court.pop() if kind == "court_repeat" else generator.render(matter, english=english)
        if kind == "near_miss":
            store(base, matters, "zh")
            sibling = generator.near_miss(matter)
            query_reports.append(Report(generator.render(sibling, english=False), -matters, kind))
            continue
        store(base, matters, "court" if kind == "court_repeat" else "en" if english else "zh")
        if rng.random() < 1 / 3:
            earlier_kind = kind if english or kind == "court_repeat" else rng.choice(REPEAT_KINDS[:5])
            store(generator.repeat(matter, kind=earlier_kind, base_text=base), matters, "earlier_repeat")
        if rng.random() < 0.2 and kind != "court_repeat":
            for _ in range(rng.choice((1, 2, 3))):
                store(generator.render(generator.near_miss(matter), english=english), -matters, "near_miss")
        query_reports.append(Report(generator.repeat(matter, kind=kind, base_text=base), matters, kind))
    while court and len(stored_reports) < stored:  # the court facts not used as bases: background
        store(court.pop(), -1, "court")
    while len(stored_reports) < stored:
        english = rng.random() < english_share
        store(generator.render(generator.matter(), english=english), -2, "en" if english else "zh")
    order = list(range(len(stored_reports)))
    rng.shuffle(order)
    shuffled = [stored_reports[index] for index in order]
    result = Stream(stored=shuffled, queries=query_reports)
    for position, report in enumerate(shuffled):
        if report.matter > 0:
            result.stored_of_matter.setdefault(report.matter, []).append(position)
    return result


def iter_sample(stream: Stream, *, kind: str, limit: int = 3) -> Iterator[Report]:
    """A few queries of one kind, to look at by eye (`python -m benchmarks.repeats_streams`)."""
    yield from [query for query in stream.queries if query.kind == kind][:limit]


if __name__ == "__main__":
    sample = stream_build(stored=2000, queries=200, seed=5)
    for query_kind in QUERY_MIX:
        for query in iter_sample(sample, kind=query_kind, limit=1):
            print(f"## {query_kind}\n{query.text}")
            for key in sample.true_keys(query):
                print(f"-- stored {key} ({sample.stored[key].kind}): {sample.stored[key].text}")

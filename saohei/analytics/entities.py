"""Entities in report, clue and case texts: persons, officials' positions, identifiers, companies and other
organisations, places, amounts and dates, each with its span in the text as written.

Why: the analyst reads who is named, by which title, where, for how much and when; the network, the entity
resolution and the priority rules work on the same entities. Users correct them (`EntityCorrection`); the
corrections are kept in the database and re-applied on every later run (`entities_apply_corrections`), so a
mistake corrected once stays corrected.

Rules first, jieba where it helps: jieba's POS tags (nr names) propose full names, but every name must split on a
known surname (surnames.py) and carry no function character; 某 forms, nicknames, positions, units, amounts and
dates are patterns. The text is folded (full-width → half-width, Traditional → Simplified) one character for one
character, so every span found in the folded text indexes the original. Places: entities_places.py; amounts and
dates: entities_values.py.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from saohei.analytics.entities_places import Gazetteer, Token, free_places_find
from saohei.analytics.entities_values import amounts_find, dates_find, fold
from saohei.analytics.identifiers import identifiers_find
from saohei.analytics.surnames import DATA_DIR, name_split, surname_share, surname_table

PERSON = "person"
POSITION = "position"
ORGANISATION = "organisation"
PLACE = "place"
AMOUNT = "amount"
DATE = "date"
EntityValue = str | int | None

__all__ = ["Entity", "EntityCorrection", "Gazetteer", "entities_apply_corrections", "entities_extract"]

# Officials' titles: canonical title ← the ways it is written. Longest variants are tried first.
_TITLES: dict[str, tuple[str, ...]] = {
    "村支书": ("村党支部书记", "村党总支书记", "村支部书记", "党支部书记", "村支书", "支部书记", "支书", "村书记"),
    "村主任": ("村委会主任", "村委主任", "村主任"), "村长": ("村长",), "村会计": ("村会计",), "村干部": ("村干部",),
    "村民小组长": ("村民小组长",), "镇党委书记": ("镇党委书记", "镇委书记"), "乡党委书记": ("乡党委书记",),
    "镇长": ("镇长",), "副镇长": ("副镇长",), "乡长": ("乡长",), "副乡长": ("副乡长",), "县委书记": ("县委书记",),
    "县长": ("县长",), "副县长": ("副县长",), "区长": ("区长",), "副区长": ("副区长",), "市长": ("市长",),
    "副市长": ("副市长",), "局长": ("局长",), "副局长": ("副局长",), "所长": ("所长",), "副所长": ("副所长",),
    "政委": ("政委",), "教导员": ("教导员",), "科长": ("科长",), "副科长": ("副科长",), "股长": ("股长",),
    "处长": ("处长",), "副处长": ("副处长",), "主任": ("主任",), "副主任": ("副主任",), "大队长": ("大队长",),
    "副大队长": ("副大队长",), "中队长": ("中队长",), "队长": ("队长",), "副队长": ("副队长",), "警长": ("警长",),
    "民警": ("民警",), "辅警": ("辅警",), "协警": ("协警",), "干警": ("干警",), "交警": ("交警",), "刑警": ("刑警",),
    "法官": ("法官",), "庭长": ("庭长",), "副庭长": ("副庭长",), "院长": ("院长",), "副院长": ("副院长",),
    "检察官": ("检察官",), "检察长": ("检察长",), "副检察长": ("副检察长",), "书记员": ("书记员",),
    "站长": ("站长",), "副站长": ("副站长",), "书记": ("书记",), "副书记": ("副书记",), "纪委书记": ("纪委书记",),
    "党委书记": ("党委书记",), "网格员": ("网格员",), "城管": ("城管队员", "城管"), "厅长": ("厅长",),
    "副厅长": ("副厅长",), "部长": ("部长",), "执法人员": ("执法人员",), "公务员": ("公务员",),
}
_TITLE_OF = {variant: title for title, variants in _TITLES.items() for variant in variants}
# Titles too general to name a post on their own: kept only with a unit written before them.
_TITLES_NEEDING_UNIT = frozenset({"主任", "副主任", "书记", "副书记", "部长", "处长", "科长", "队长", "站长", "院长"})
_NOT_BEFORE_TITLE = frozenset("班")  # 班主任 is a teacher
# Units, longest first when matched backwards from a title: organisations and the place words before them.
_ORG_WORDS = (
    "公安分局", "公安局", "派出所", "刑警大队", "交警大队", "治安大队", "国土资源局", "国土局", "自然资源局", "国土所",
    "城管执法局", "城管局", "综合执法局", "执法局", "市场监督管理局", "市场监管局", "工商局", "税务局", "环保局",
    "生态环境局", "水利局", "林业局", "住建局", "交通局", "运管所", "卫健委", "教育局", "民政局", "司法局", "司法所",
    "财政局", "财政所", "人民法院", "法院", "人民检察院", "检察院", "纪委", "监委", "政法委", "人民政府", "镇政府",
    "乡政府", "县政府", "区政府", "市政府", "村委会", "居委会", "党支部", "街道办事处", "街道办", "派出法庭",
    "信访局", "矿管办", "拆迁办", "管委会",
)
_UNIT_SUFFIX_WORDS = ("大队", "中队", "支队", "党委", "政府", "村委", "局", "所", "科", "处", "队", "办")
_PLACE_SUFFIX_WORDS = ("街道", "社区", "镇", "乡", "村", "县", "区", "市", "省")
# Characters that never occur in a given name (和, 为, 向, 有 do: 张和平, 王为民, 李向东, 李有才).
_STOP_CHARS = frozenset("的了在是与及等被把将从到也都就又还不个们这那所对说让给您你我他她它该此每各啊吗呢吧")
# Characters that end a clause word glued to a name by jieba (张三于 2012年…): trimmed off an unknown 3-character word.
_TRAILING_FUNCTION_CHARS = frozenset("于在与及等被把将的了是也都就又说")
_FUNCTION_SURNAMES = frozenset("和向于由时来都能过全连应那相原常但信展强花平元敬门区")
# 路, 段, 街… end a road or a stretch of one (前进五路, 民族街中段) as often as they are surnames: after a numeral
# or a direction, 五路某还建房 is "some building on Fifth Road", not a person surnamed 路.
_PLACE_END_SURNAMES = frozenset("路段街道巷楼村")
_PLACE_NUMBERS = frozenset("一二三四五六七八九十百0123456789东南西北中上下前后内外")
# "举报人称…" is "the reporter says…", not the nickname marker 人称 ("人称刀哥").
_SAYS_PERSONS = ("举报", "报案", "报警", "证", "被害", "受害", "当事", "知情", "投诉", "来信", "来访", "反映", "本",
                 "该", "他", "此", "嫌疑")
_CONJUNCTION_SURNAMES = frozenset("和")  # 和某某 is "and so-and-so" unless a role or title comes right before it
_PLACE_ENDINGS = frozenset("省市县区镇乡村")
_NOT_LAST_IN_GIVEN_NAME = _PLACE_ENDINGS | frozenset("路街巷道里桥庄湾沟坡厦姨婶伯奶妈")
_FORMS_OF_ADDRESS = frozenset({"老师", "先生", "女士", "小姐", "师傅", "老板", "同志", "经理", "总", "老总", "大爷",
                               "大妈", "阿姨", "家", "某人", "氏"})
# A two-character dictionary word whose surname is rare (文明, 安康, 白云) is a word, unless a role introduces it.
_RARE_SURNAME_SHARE = 0.005
_COMMON_WORD_FREQUENCY = 500
_OOV_SURNAME_SHARE = 0.0005  # a word jieba does not know is taken for a name only with a surname this common
_NOT_NAMES = frozenset({"高中", "司法", "方法", "时间", "周围", "马上", "江湖", "黄金", "石头", "金额", "程序", "常委",
                        "明确", "向前", "毛病", "文化", "安全", "高度", "武装", "钱财", "左右", "上官", "黄色", "白色",
                        "龙头", "万元", "于是", "任何", "成功", "关于", "陆续", "原来", "方面", "都是", "宋体"})
_PERSON_TRIGGERS = frozenset({"嫌疑人", "犯罪嫌疑人", "被告人", "被害人", "被举报人", "村民", "男子", "女子",
                              "老板", "负责人", "法定代表人", "法人代表", "法人", "股东", "会计", "出纳", "妻子",
                              "丈夫", "儿子", "女儿", "弟弟", "哥哥", "姐姐", "妹妹", "侄子", "外甥", "女婿", "名叫",
                              "叫", "姓名",
                              "名为", "之子", "之女", "、", "和", "与", "及", "同伙", "伙同", "指使", "纠集", "成员"})
_LIST_WORDS = frozenset({"、", "和", "与", "及"})  # they continue a list of names but do not say a name follows
_ROLE_TRIGGERS = frozenset({"嫌疑人", "犯罪嫌疑人", "被告人", "被害人", "被举报人", "老板", "负责人", "法定代表人",
                            "法人代表", "股东"})
_NICKNAME_MARKERS = re.compile(r"(?:江湖人称|道上人称|外号叫|绰号叫|外号|绰号|诨号|诨名|人称|花名|别名|化名|网名|"
                               r"又名|小名)(?:叫|为|是)?")
_QUOTED = re.compile(r"[\"'“‘「『]([\u4e00-\u9fffA-Za-z0-9]{1,6})[\"'”’」』]")
_KIN_AND_WORDS = frozenset({"哥哥", "大哥", "二哥", "表哥", "堂哥", "帅哥", "老哥", "姐姐", "大姐", "表姐", "堂姐",
                            "小姐", "空姐", "爷爷", "大爷", "老爷", "少爷", "姥爷", "姑爷", "舅爷", "倒爷", "款爷",
                            "侃爷", "阿姨", "阿婆", "阿公", "阿伯", "阿妈", "阿爸", "阿哥", "阿姐", "阿里", "阿拉",
                            "阿门", "阿胶", "大叔", "叔叔", "大嫂", "嫂嫂", "嫂子", "老大", "老公", "老婆", "老板",
                            "老师", "老人", "老家", "老乡", "老百姓", "大姐大", "大哥大", "师哥", "师姐", "学姐"})
_NICKNAME_ENDINGS = ("哥", "爷", "姐", "叔", "嫂")
_NICKNAME_WORDS = frozenset({"黑皮", "光头", "刀疤", "疤子", "疤脸", "麻子", "瘸子", "大头", "二毛", "三毛", "小胖",
                             "黑子", "疯狗", "豹子", "大炮", "二狗", "狗子", "铁蛋", "二愣子", "二虎", "老鬼", "独眼龙",
                             "黑牛", "小五", "大飞", "老黑", "阿飞"})
_HAN_WORD = re.compile(r"[\u4e00-\u9fff]{2,6}")
_LAO_NICKNAME = re.compile(r"^老[二三四五六七八九十幺]$")
_AH_NICKNAME = re.compile(r"^阿[\u4e00-\u9fff]$")
_GANG_LED_BY = re.compile(r"以(?P<leader>[^,.;:，。；：\s]{2,8}?)为首的(?P<desc>[^,.;:，。；：\s]{0,10}?)"
                          r"(?P<suffix>黑社会性质组织|恶势力犯罪集团|恶势力集团|恶势力团伙|犯罪集团|犯罪团伙|团伙|集团|组织|帮派)")
_GANG_SUFFIXES = ("黑社会性质组织", "恶势力犯罪集团", "恶势力团伙", "犯罪集团", "犯罪团伙", "团伙", "帮")
_QUOTED_GANG = re.compile(r"[\"“「]([\u4e00-\u9fff]{1,8})[\"”」](帮|团伙|会|堂|帮派)")
_VENUE_WORDS = ("娱乐会所", "洗浴中心", "夜总会", "棋牌室", "砂石场", "采石场", "养殖场", "农家乐", "足浴店", "KTV",
                "ktv", "会所", "酒吧", "宾馆", "酒店", "茶楼", "赌场", "歌厅", "网吧", "砂场", "沙场", "石场")
_GENERIC_VENUE_NAMES = frozenset({"一家", "这家", "那家", "该", "某某", "当地", "附近", "地下", "非法", "私人", "大型",
                                  "小型", "一个", "这个", "那个", "本地", "镇上", "村里"})
# Kinds in order of precedence when two candidates overlap; a candidate of a later kind may still sit inside one of
# an earlier kind when the pair is in _NESTABLE (the place inside a unit, the leader inside a gang's name).
_PRECEDENCE = ("id_number", "bank_account", "phone", "plate", AMOUNT, DATE, POSITION, PERSON, "company", ORGANISATION,
               PLACE)
_NESTABLE = frozenset({(POSITION, PLACE), (POSITION, ORGANISATION), (ORGANISATION, PLACE), (ORGANISATION, PERSON),
                       ("company", PLACE)})


@dataclass(frozen=True)
class Entity:
    """One entity as written (`text`, `start`, `end` index the original text) and normalised (`value`).

    `unit`: for a position, the unit written before the title (某某镇派出所 in 某某镇派出所所长). `role`: for a person,
    the title or role written right before the name (村支书 in 村支书王某). `code`: for a place, its jurisdiction code.
    `form`: how it was written (full, anonymised, nickname; exact or approximate amount; date, month, relative…).
    """

    kind: str
    text: str
    value: EntityValue
    start: int
    end: int
    unit: str = ""
    role: str = ""
    code: str = ""
    form: str = ""
    source: str = "rule"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict, e.g. to store entities next to the record they came from."""
        return asdict(self)


@dataclass(frozen=True)
class EntityCorrection:
    """A user's correction of one entity, identified by its span and kind, kept and re-applied on later runs.

    action "remove": the entity at (kind, start, end) is wrong; "change": it becomes `new_kind` and/or `new_value`;
    "add": an entity the extractor missed. `text` is the text of the span when the correction was made: a correction
    whose text no longer matches (the record was edited) is not applied.
    """

    action: str
    kind: str
    start: int
    end: int
    text: str = ""
    new_kind: str = ""
    new_value: EntityValue = None


@functools.cache
def _tokenizer() -> Any:
    """One jieba POS tokenizer of our own, initialised once, quietly, from the dictionary inside the wheel; the
    titles and unit words are added so that 所长 in 场所长期 is not taken for a title."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    base = jieba.Tokenizer()
    base.initialize()
    for word in (*_TITLE_OF, *_ORG_WORDS):
        base.add_word(word, freq=2000)
    return jieba.posseg.POSTokenizer(base)


def _flag(word: str, tags: Mapping[str, str]) -> str:
    """The dictionary's part of speech of a word; for a word jieba's HMM found outside its dictionary: nr when it
    reads as a name (陈大明), m for numbers, eng for Latin, x otherwise (as jieba's POS tagger would mostly say)."""
    tag = tags.get(word)
    if tag:
        return tag
    if word.isdigit() or re.fullmatch(r"[\d.,]+", word):
        return "m"
    if word.isascii() and word.isalnum():
        return "eng"
    parts = name_split(word) if 2 <= len(word) <= 4 else None
    if parts is None or set(parts[1]) & _STOP_CHARS or not set(parts[1]) <= _given_name_chars():
        return "x"
    return "x" if parts[0] in _FUNCTION_SURNAMES or surname_share(parts[0]) < _OOV_SURNAME_SHARE else "nr"


def _tokens(folded: str) -> list[Token]:
    """jieba's segmentation (dictionary and HMM) with dictionary tags: the POS HMM would cost ten times as much."""
    pos = _tokenizer()
    tokens, position = [], 0
    for word in pos.tokenizer.cut(folded, HMM=True):
        tokens.append(Token(word, _flag(word, pos.word_tag_tab), position, position + len(word)))
        position += len(word)
    return tokens


@functools.cache
def _given_name_chars() -> frozenset[str]:
    path = DATA_DIR / "given_name_chars.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset("".join(line.strip() for line in lines if not line.startswith("#")))


@functools.cache
def _surname_pattern() -> re.Pattern[str]:
    surnames = sorted(surname_table(), key=len, reverse=True)
    return re.compile("(?P<s>" + "|".join(surnames) + r")"
                      r"(?P<g>某某|某[甲乙丙丁戊己庚辛壬癸]|某\d{1,2}|\d{1,2}某|某|[Xx×*]{2,3})"
                      r"(?![某种个地处人日天年月时些市县镇村区乡单公])")


def _entity(kind: str, text: str, start: int, end: int, value: EntityValue, **attrs: str) -> Entity:
    return Entity(kind=kind, text=text[start:end], value=value, start=start, end=end, **attrs)


def _given_name_ok(given: str) -> bool:
    return bool(given) and not (set(given) & _STOP_CHARS) and not any(w in given for w in _TITLE_OF)


def _full_name(word: str) -> bool:
    """Whether `word` reads as a full name: a known surname, a one- or two-character given name that is not a 某 form,
    a form of address (李老师) or a place word (江汉区), and not a compound surname on its own (欧阳)."""
    parts = name_split(word)
    if parts is None or word in _NOT_NAMES or word in surname_table():
        return False
    given = parts[1]
    return len(given) <= 2 and _given_name_ok(given) and "某" not in given and given not in _FORMS_OF_ADDRESS \
        and given[-1] not in _NOT_LAST_IN_GIVEN_NAME


def _dictionary_word(word: str, *, introduced: bool) -> bool:
    """A word jieba's dictionary knows as something other than a name (高中生), or a two-character word it tags as a
    name whose surname is rare (文明, 安康): a word, not a person, unless a role introduces it."""
    pos = _tokenizer()
    if not pos.tokenizer.FREQ.get(word, 0):
        return False
    if not str(pos.word_tag_tab.get(word, "")).startswith("nr"):
        return True
    parts = name_split(word)
    if parts is None or not set(parts[1]) <= _given_name_chars():
        return True  # 陈述, 孙女, 海洛因: tagged as names in jieba's dictionary, but 述, 女, 洛因 are not given names
    if len(word) == 2:
        return surname_share(parts[0]) < _RARE_SURNAME_SHARE and not introduced
    head = word[:2]  # 高中生 (tagged nr): 高中 is a common word, so this is 高中 + 生
    return len(parts[0]) == 1 and pos.tokenizer.FREQ.get(head, 0) >= _COMMON_WORD_FREQUENCY and \
        not str(pos.word_tag_tab.get(head, "")).startswith("nr")


def _mou_forms(text: str, folded: str) -> list[Entity]:
    found = []
    for match in _surname_pattern().finditer(folded):
        surname, before = match.group("s"), folded[match.start() - 1:match.start()]
        if surname in _FUNCTION_SURNAMES and "\u4e00" <= before <= "\u9fff":
            continue  # 村民和某某, 对于某: a conjunction or preposition, not a surname
        if surname in _CONJUNCTION_SURNAMES and not any(folded.endswith(w, 0, match.start()) for w in _TITLE_OF):
            continue
        if surname in _PLACE_END_SURNAMES and before in _PLACE_NUMBERS:
            continue
        found.append(_entity(PERSON, text, match.start(), match.end(), match.group(0), form="anonymised"))
    return found


def _nickname(word: str) -> bool:
    if word in _KIN_AND_WORDS or not re.fullmatch(r"[\u4e00-\u9fff]{2,3}", word):
        return False
    return (word in _NICKNAME_WORDS or bool(_LAO_NICKNAME.match(word)) or bool(_AH_NICKNAME.match(word))
            or (word.endswith(_NICKNAME_ENDINGS) and not set(word[:-1]) & _STOP_CHARS))


def _nicknames(text: str, folded: str, tokens: Sequence[Token]) -> list[Entity]:
    found = []
    for marker in _NICKNAME_MARKERS.finditer(folded):
        if folded.startswith("人称", marker.start()) and folded.endswith(_SAYS_PERSONS, 0, marker.start()):
            continue
        quoted = _QUOTED.match(folded, marker.end())
        if quoted:
            found.append(_entity(PERSON, text, quoted.start(1), quoted.end(1), quoted.group(1), form="nickname"))
            continue
        following = next((t for t in tokens if t.start == marker.end()), None)
        if following and re.fullmatch(r"[\u4e00-\u9fff]{2,4}", following.word):
            found.append(_entity(PERSON, text, following.start, following.end, following.word, form="nickname"))
    for index, token in enumerate(tokens):
        word, start = token.word, token.start
        previous = tokens[index - 1] if index else None
        if token.word in _NICKNAME_ENDINGS[:2] and previous and len(previous.word) == 1 and previous.end == start \
                and previous.word not in _STOP_CHARS:
            word, start = previous.word + token.word, previous.start  # 刀 + 哥 cut apart
        if _nickname(word):
            found.append(_entity(PERSON, text, start, token.end, word, form="nickname"))
    return found


def _name_after(tokens: Sequence[Token], index: int) -> tuple[int, int, str] | None:
    """A full name starting at token `index`: a surname token and a given-name token (欧阳 + 娜娜, 陈 + 大明), or one
    token (王建国), or one unknown token with a function character glued to its end (张三于 → 张三)."""
    first = tokens[index] if index < len(tokens) else None
    if first is None:
        return None
    second = tokens[index + 1] if index + 1 < len(tokens) else None
    if first.word in surname_table() and second is not None and 1 <= len(second.word) <= 2 and \
            second.flag not in ("v", "p", "c", "u", "uj", "ul", "d", "m", "x", "r", "f", "eng"):
        word = first.word + second.word
        if _full_name(word):
            return first.start, second.end, word
    trimmed = first.word[:-1]
    if len(first.word) == 3 and first.word[-1] in _TRAILING_FUNCTION_CHARS and _full_name(trimmed) and \
            not _tokenizer().tokenizer.FREQ.get(first.word):
        return first.start, first.end - 1, trimmed
    if _full_name(first.word):
        return first.start, first.end, first.word
    return None


def text_folded_at(tokens: Sequence[Token], position: int) -> str:
    """The folded character at `position`, read from the tokens."""
    token = next((t for t in tokens if t.start <= position < t.end), None)
    return token.word[position - token.start] if token else ""


def _full_names(text: str, tokens: Sequence[Token]) -> list[Entity]:
    found = []
    for index, token in enumerate(tokens):
        name = None
        before = tokens[index - 1].word if index else ""
        introduced = before in _PERSON_TRIGGERS or before in _TITLE_OF
        if introduced or token.flag in ("nr", "nrfg", "nrt") or (
                token.word in surname_table() and index + 1 < len(tokens)
                and tokens[index + 1].flag in ("nr", "nrfg", "nrt", "nz")):
            name = _name_after(tokens, index)
        if name and len(name[2]) == 3 and name[2][0] in _FUNCTION_SURNAMES and _full_name(name[2][1:]):
            name = (name[0] + 1, name[1], name[2][1:])  # 来胡硕: 来 is a verb before 胡硕
        strongly_introduced = introduced and before not in _LIST_WORDS
        if name and (_dictionary_word(name[2], introduced=strongly_introduced) or
                     (name[2][0] in _CONJUNCTION_SURNAMES and not strongly_introduced)):
            name = None
        if name and tokens[-1].end > name[1] and text_folded_at(tokens, name[1]) in _PLACE_ENDINGS:
            name = None  # 吴江区, 李家村: a place, not a person
        if name:
            role = tokens[index - 1].word if index and tokens[index - 1].word in _ROLE_TRIGGERS else ""
            found.append(_entity(PERSON, text, name[0], name[1], name[2], form="full", role=role, source="jieba"))
    return found


def _ending_at(folded: str, end: int, words: Iterable[str]) -> str:
    return max((w for w in words if folded.endswith(w, 0, end)), key=len, default="")


def _unit_before(folded: str, tokens: Sequence[Token], end: int) -> int:
    """Where the unit written before position `end` starts (某某镇派出所 before 所长, 李家村 before 村支书)."""
    start, limit = end, max(0, end - 24)
    while start > limit:
        word = _ending_at(folded, start, (*_ORG_WORDS, *_UNIT_SUFFIX_WORDS))
        if word:
            start -= len(word)
            continue
        place_token = next((t for t in tokens if t.end == start and len(t.word) >= 3 and t.word[-1] in _PLACE_ENDINGS
                            and re.fullmatch(r"[\u4e00-\u9fff]+", t.word)), None)
        if place_token is not None and not set(place_token.word) & _STOP_CHARS:
            start = place_token.start  # 城关镇, 江汉区: jieba keeps the place in one token
            continue
        place_word = _ending_at(folded, start, _PLACE_SUFFIX_WORDS)
        if not place_word:
            break
        name = next((t for t in tokens if t.end == start - len(place_word)), None)
        if name is None or len(name.word) > 4 or set(name.word) & _STOP_CHARS or \
                not (re.fullmatch(r"[\u4e00-\u9fff]+", name.word) or name.word == "某某"):
            break
        start = name.start
    return start


def _positions(text: str, folded: str, tokens: Sequence[Token]) -> list[Entity]:
    found = []
    for token in tokens:
        title = _TITLE_OF.get(token.word)
        if title is None or folded[token.start - 1:token.start] in _NOT_BEFORE_TITLE:
            continue
        unit_start = _unit_before(folded, tokens, token.start)
        unit = folded[unit_start:token.start]
        if title in _TITLES_NEEDING_UNIT and not unit:
            continue
        org = _ending_at(folded, token.start, _ORG_WORDS)
        value = org + title if org and title in ("所长", "副所长", "局长", "副局长", "主任", "副主任") else title
        found.append(_entity(POSITION, text, unit_start, token.end, value, unit=text[unit_start:token.start]))
    return found


def _organisations(text: str, folded: str, tokens: Sequence[Token], persons: Sequence[Entity]) -> list[Entity]:
    found = []
    for match in _GANG_LED_BY.finditer(folded):
        value = match.group("leader") + match.group("desc") + match.group("suffix")
        found.append(_entity(ORGANISATION, text, match.start(), match.end(), value, form="gang"))
    for match in _QUOTED_GANG.finditer(folded):
        found.append(_entity(ORGANISATION, text, match.start(), match.end(), match.group(1) + match.group(2),
                             form="gang"))
    for person in persons:
        suffix = next((s for s in _GANG_SUFFIXES if folded.startswith(s, person.end)), "")
        if suffix and (suffix != "帮" or folded[person.end + 1:person.end + 2] in ("", ",", "，", "的", "成", "在")):
            end = person.end + len(suffix)
            found.append(_entity(ORGANISATION, text, person.start, end, folded[person.start:end], form="gang"))
    for index, token in enumerate(tokens):
        if token.word in _ORG_WORDS:
            start = _unit_before(folded, tokens, token.start)
            found.append(_entity(ORGANISATION, text, start, token.end, folded[start:token.end], form="unit"))
        elif token.word in _VENUE_WORDS and index > 0:
            name = tokens[index - 1]
            if len(name.word) >= 2 and name.word not in _GENERIC_VENUE_NAMES and not set(name.word) & _STOP_CHARS \
                    and (name.flag in ("nz", "nr", "nrt", "ns", "j", "n", "eng", "nt")
                         or (name.flag == "x" and _HAN_WORD.fullmatch(name.word))):
                found.append(_entity(ORGANISATION, text, name.start, token.end, folded[name.start:token.end],
                                     form="venue"))
    return found


def _identifier_entities(text: str) -> list[Entity]:
    return [Entity(kind=i.kind, text=text[i.start:i.end], value=i.value, start=i.start, end=i.end,
                   source="identifier") for i in identifiers_find(text)]


def _places(text: str, folded: str, tokens: Sequence[Token], gazetteer: Gazetteer | None,
            hint: str | None) -> list[Entity]:
    spans = []
    if gazetteer is not None:
        boundaries = {t.start for t in tokens} | {t.end for t in tokens}
        spans.extend(gazetteer.find(folded, boundaries=boundaries, hint=hint))
    spans.extend(free_places_find(folded, tokens))
    return [_entity(PLACE, text, s.start, s.end, s.value, code=s.code, form=s.form,
                    source="gazetteer" if s.code else "rule") for s in spans]


def _nests(outer: Entity, inner: Entity) -> bool:
    inside = outer.start <= inner.start and inner.end <= outer.end and (outer.start, outer.end) != (inner.start,
                                                                                                   inner.end)
    return inside and (outer.kind, inner.kind) in _NESTABLE


def _without_conflicts(candidates: Iterable[Entity]) -> list[Entity]:
    """Keep the stronger of two overlapping candidates (by kind, then length), except allowed nestings."""
    rank = {kind: i for i, kind in enumerate(_PRECEDENCE)}
    ordered = sorted(candidates, key=lambda e: (rank.get(e.kind, len(rank)), -(e.end - e.start), e.start))
    kept: list[Entity] = []
    for candidate in ordered:
        if all(c.end <= candidate.start or candidate.end <= c.start or _nests(c, candidate) or _nests(candidate, c)
               for c in kept):
            kept.append(candidate)
    return sorted(kept, key=lambda e: (e.start, -e.end, e.kind))


def _with_roles(entities: list[Entity]) -> list[Entity]:
    """村支书王某: the person written right after a position carries that position as its role."""
    position_ends = {e.end: e for e in entities if e.kind == POSITION}
    return [replace(e, role=str(position_ends[e.start].value)) if e.kind == PERSON and e.start in position_ends
            else e for e in entities]


def entities_extract(text: str, *, gazetteer: Gazetteer | None = None, jurisdiction_hint: str | None = None
                     ) -> list[Entity]:
    """All entities of `text`, in text order, spans into `text` as written.

    `gazetteer`: the jurisdiction tree (places then carry codes); `jurisdiction_hint`: the code of the record's
    jurisdiction, to choose between divisions that share a name (朝阳区).
    """
    if not text.strip():
        return []
    folded = fold(text)
    tokens = _tokens(folded)
    persons = _mou_forms(text, folded) + _nicknames(text, folded, tokens) + _full_names(text, tokens)
    candidates = [*_identifier_entities(text), *persons, *_positions(text, folded, tokens)]
    candidates += [_entity(AMOUNT, text, s.start, s.end, s.value, form=s.form) for s in amounts_find(folded)]
    candidates += [_entity(DATE, text, s.start, s.end, s.value, form=s.form) for s in dates_find(folded)]
    candidates += _organisations(text, folded, tokens, _without_conflicts(persons))
    places = _places(text, folded, tokens, gazetteer, jurisdiction_hint)
    # 李家村, 江汉区: a place wins over the person jieba saw in its first characters.
    candidates = [c for c in candidates if not (c.kind == PERSON and c.form == "full" and any(
        p.start <= c.start and c.end <= p.end and (p.code or p.end > c.end) for p in places))]
    return _with_roles(_without_conflicts([*candidates, *places]))


def _same(entity: Entity, correction: EntityCorrection) -> bool:
    return (entity.kind, entity.start, entity.end) == (correction.kind, correction.start, correction.end) and (
        not correction.text or entity.text == correction.text)


def entities_apply_corrections(entities: Sequence[Entity], corrections: Iterable[EntityCorrection], *,
                               text: str | None = None) -> list[Entity]:
    """The extracted entities with the users' corrections applied, in the order they were made.

    A removal or change whose entity is not found (the extractor no longer proposes it) has nothing left to do; an
    addition replaces whatever it overlaps unless one may nest in the other, and is skipped when `text` is given and
    its span no longer holds the corrected words.
    """
    result = list(entities)
    for correction in corrections:
        if correction.action == "remove":
            result = [e for e in result if not _same(e, correction)]
        elif correction.action == "change":
            result = [replace(e, kind=correction.new_kind or e.kind,
                              value=e.value if correction.new_value is None else correction.new_value,
                              source="correction") if _same(e, correction) else e for e in result]
        elif correction.action == "add":
            written = text[correction.start:correction.end] if text is not None else correction.text
            if correction.text and written != correction.text:
                continue
            added = Entity(kind=correction.kind, text=written, start=correction.start, end=correction.end,
                           value=written if correction.new_value is None else correction.new_value,
                           source="correction")
            result = [e for e in result if e.end <= added.start or added.end <= e.start or _nests(e, added)
                      or _nests(added, e)] + [added]
        else:
            raise ValueError(f"unknown correction action {correction.action!r}")
    return sorted(result, key=lambda e: (e.start, -e.end, e.kind))

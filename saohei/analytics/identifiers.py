"""Strong identifiers in report, clue and case texts: phones, resident ID numbers, plates, bank accounts, companies.

Why: two reports that name the same mobile number, ID number, plate, account or company are worth showing to the
analyst together even when their wording differs completely, and entity resolution uses the same values as strong
keys. So every value is normalised to one canonical form (digits only, upper-case, Simplified script) while
`start`/`end` still point into the text as it was written, for highlighting.

Checks are deliberately strict where a false identifier would merge unrelated matters: ID numbers must carry a valid
ISO 7064 MOD 11-2 check digit and a real birth date; masked values (豫K×××××, 138****5678) are not identifiers;
company names made only of generic words (贷款公司, 砖厂) or anonymised ones (某某公司) are not taken.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import opencc

PHONE = "phone"
ID_NUMBER = "id_number"
PLATE = "plate"
BANK_ACCOUNT = "bank_account"
COMPANY = "company"
KINDS = (ID_NUMBER, BANK_ACCOUNT, PHONE, PLATE, COMPANY)  # also the priority when two candidates overlap


@dataclass(frozen=True)
class Identifier:
    """One strong identifier: its kind, canonical value, and where it was written in the text ([start, end))."""

    kind: str
    value: str
    start: int
    end: int


# Full-width ASCII forms and the ideographic space, folded one character for one character so offsets survive.
_WIDTH_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_WIDTH_FOLD |= {ord("（"): ord("("), ord("）"): ord(")"), ord("－"): ord("-"), ord("—"): ord("-")}

_FOLDABLE = re.compile("[" + "".join(chr(code) for code in _WIDTH_FOLD) + "]")
_NOT_DIGIT = re.compile(r"\D")

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_EARLIEST_BIRTH_YEAR = 1900
_OLD_ID_YEARS = (1910, 1999)  # 15-digit IDs were issued to people born in the 20th century

_NOT_ALNUM_BEFORE = r"(?<![0-9A-Za-z])"
_NOT_ALNUM_AFTER = r"(?![0-9A-Za-z])"
_ID_RE = re.compile(_NOT_ALNUM_BEFORE + r"(\d{6})\s?(\d{8})\s?(\d{3}[0-9Xx])" + _NOT_ALNUM_AFTER
                    + "|" + _NOT_ALNUM_BEFORE + r"(\d{15})" + _NOT_ALNUM_AFTER)
_BANK_RE = re.compile(_NOT_ALNUM_BEFORE + r"(\d{4}(?:[ -]\d{4}){3}(?:[ -]\d{1,3})?|\d{10,30})" + _NOT_ALNUM_AFTER)
_BANK_CONTEXT = re.compile(r"(?:账|帐)(?:号|户)|卡号|银行卡|收款码|account|a/c", re.IGNORECASE)
_BANK_CONTEXT_WINDOW = 14  # characters before the digits where 账号/卡号/账户 makes any long number an account
_MOBILE_RE = re.compile(r"(?<![0-9A-Za-z+])(?:(?:\+|00)\s?86[\s-]?|\(\+?86\)\s?)?(1[3-9](?:[ -]?\d){9})"
                        + _NOT_ALNUM_AFTER)
_LANDLINE_RE = re.compile(r"(?<![0-9A-Za-z])(?:(?:\+|00)\s?86[\s-]?)?\(?(0(?:10|2\d|[3-9]\d{2}))\)?[\s-]?"
                          r"([2-9]\d{2,3}[\s-]?\d{4})(?:-\d{1,4})?" + _NOT_ALNUM_AFTER)

# Where a phone, ID number or account can be: a run of digits with separators. Found first with this cheap pattern,
# so the strict patterns above only run on those few stretches instead of the whole text.
_NUMBERISH = re.compile(r"[+(\d][\d \-()+]{5,}[\dXx]")

_PROVINCES_SIMPLIFIED = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PROVINCES_TRADITIONAL = {"滬": "沪", "雲": "云", "遼": "辽", "魯": "鲁", "蘇": "苏", "贛": "赣", "晉": "晋",
                          "陝": "陕", "閩": "闽", "貴": "贵", "粵": "粤", "寧": "宁", "瓊": "琼"}
_PLATE_RE = re.compile(r"([" + _PROVINCES_SIMPLIFIED + "".join(_PROVINCES_TRADITIONAL) + r"])\s?([A-Za-z])"
                       r"[\s·•・.-]?([A-Za-z0-9]{6}|[A-Za-z0-9]{5}|[A-Za-z0-9]{4}[挂學学警港澳掛])" + _NOT_ALNUM_AFTER)
_PLATE_MIN_DIGITS = 3  # real serials carry at most two letters (new-energy: one); fewer digits is a word, not a plate

# Company suffixes: the legal forms, with an optional (集团)/(股份) before them, then plain suffixes; 厂长, 厂区, 厂家
# are words about a factory, not the end of its name.
_COMPANY_SUFFIX_RE = re.compile(
    r"(?:\((?:集团|股份)\)|集团)?(?:股份有限公司|有限责任公司|有限公司|\(有限公司\)|公司)"
    r"|分公司|专业合作社|合作社|集团|工作室|经营部|门市部|商行|事务所|分厂|厂(?![长区房家商里内])"
)
_COMPANY_WORDS = ("公司", "集团", "集團", "合作社", "厂", "廠", "厰", "工作室", "经营部", "經營部", "门市部", "門市部",
                  "商行", "事务所", "事務所")
_NAME_CHAR = re.compile(r"[\u3400-\u9fffA-Za-z0-9()&·]")
_COMPANY_BODY_MAX = 24
_LEADING_NOT_NAME = " 这那该本此其我你他她它咱每各一"  # pronouns before a name are not part of it
_COMPANY_BODY_MIN = 2
# Words that end the text before a company name (他在…, 开了一家…, 名为…): the name starts after the rightmost one.
_COMPANY_LEFT_MARKERS = (
    "一家", "这家", "那家", "该", "名为", "名叫", "叫做", "称为", "经营", "开设", "开办", "成立", "注册", "控制",
    "老板", "法人", "股东", "员工", "职工", "负责人", "通过", "利用", "伙同", "勾结", "承包", "入股", "参股", "单位",
    "指使", "授意", "安排", "冒充", "假冒", "冒用", "使用", "借用", "租用", "挂靠", "注销", "盗走", "盗窃", "闯入",
    "进入", "来到", "回到", "联系", "委托", "骗取", "收购", "驾驶", "担任", "就职", "任职", "工作", "打工", "上班",
    "以", "在", "的", "是", "于", "到", "被", "给", "让", "把", "从", "对", "将", "即", "叫", "称", "了", "与", "及",
    "其", "这", "那", "个", "去", "找", "由", "任", "为", "替", "帮", "向该", "至",
)
_COMPANY_MARKER_RE = re.compile("|".join(re.escape(marker) for marker in _COMPANY_LEFT_MARKERS))
# Generic words that name a kind of business, not a business: 贷款公司 or 建材厂 alone identify nothing.
_GENERIC_COMPANY_WORDS = re.compile(
    "小额贷款|贷款|借贷|网贷|物流|建筑|建材|投资|担保|房地产|地产|开发|科技|贸易|网络|劳务|保安|运输|砂石|石料|融资|"
    "拆迁|物业|装修|装饰|文化传媒|传媒|餐饮|娱乐|置业|实业|商贸|工程|管理|咨询|服务|信息|技术|资产|金融|发展|"
    "有限|责任|股份|集团|国有|民营|私营|外资|合资|非法|黑|地下|本地|当地|一些|几家|多家|各|家|小|大|新|老|砖|煤|矿|"
    "保险|银行|电力|电信|移动|联通|燃气|供电|供水|公交|汽车|客运|出租车|快递|外卖|中介|培训|安保|家政|医药|食品|"
    "服装|时装|水泥|化工|钢铁|机械|电子|广告|贷款|典当|拍卖|租赁|清洁|环保|农业|林业|渔业|养殖|种植|加工|制造|"
    "犯罪|恶势力|黑社会|团伙|涉黑|涉恶|诈骗|赌博|皮包|空壳|某|公司|的"
)
_UNIFY_COMPANY = (("有限责任公司", "有限公司"), ("(有限公司)", "有限公司"), ("(集团)", "集团"), ("(股份)", "股份"))


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _simplified_same_length(folded: str) -> str:
    """Traditional → Simplified without moving any character, so spans found in it index the original text."""
    converted: str = _t2s().convert(folded)
    if len(converted) == len(folded):
        return converted
    return "".join(c if len(c := _t2s().convert(ch)) == 1 else ch for ch in folded)


def id_number_valid(value: str) -> bool:
    """Whether `value` is a plausible resident ID number: 18 digits (last may be X) with a valid MOD 11-2 check digit
    and a real birth date not in the future, or the old 15-digit form with a 20th-century birth date."""
    value = value.strip().upper()
    if len(value) == 18 and value[:17].isdigit() and (value[17].isdigit() or value[17] == "X"):
        total = sum(int(digit) * weight for digit, weight in zip(value[:17], _ID_WEIGHTS, strict=True))
        if _ID_CHECK[total % 11] != value[17]:
            return False
        return _region_plausible(value) and _birth_date_valid(value[6:14], earliest=_EARLIEST_BIRTH_YEAR)
    if len(value) == 15 and value.isdigit():
        born = "19" + value[6:12]
        return _region_plausible(value) and _birth_date_valid(born, earliest=_OLD_ID_YEARS[0], latest=_OLD_ID_YEARS[1])
    return False


def _region_plausible(value: str) -> bool:
    return value[0] in "123456789" and value[:2] != "00"


def _birth_date_valid(yyyymmdd: str, *, earliest: int, latest: int | None = None) -> bool:
    try:
        born = dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return earliest <= born.year <= (latest or dt.date.today().year) and born <= dt.date.today()


def id_number_upgrade(value: str) -> str:
    """The 18-digit form of an old 15-digit ID number (century 19 inserted, check digit computed), so both forms of
    one person's number compare equal; 18-digit numbers come back upper-cased."""
    value = value.strip().upper()
    if len(value) != 15:
        return value
    body = value[:6] + "19" + value[6:]
    total = sum(int(digit) * weight for digit, weight in zip(body, _ID_WEIGHTS, strict=True))
    return body + _ID_CHECK[total % 11]


def luhn_valid(digits: str) -> bool:
    """The Luhn check that bank card numbers (UnionPay 62…, Visa, Mastercard) carry in their last digit."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def _folded(match: re.Match[str]) -> str:
    return chr(_WIDTH_FOLD[ord(match.group(0))])


def _digits(text: str) -> str:
    return _NOT_DIGIT.sub("", text)


def _stretches(text: str, pattern: re.Pattern[str], spans: list[tuple[int, int]]) -> Iterator[re.Match[str]]:
    """Matches of `pattern` inside the number-like stretches of `text` (one character of context after each, so
    the patterns' look-ahead still sees what follows)."""
    for start, end in spans:
        yield from pattern.finditer(text, start, min(len(text), end + 1))


def _find_id_numbers(text: str, spans: list[tuple[int, int]]) -> Iterator[Identifier]:
    for match in _stretches(text, _ID_RE, spans):
        raw = "".join(part for part in match.groups() if part)
        if id_number_valid(raw):
            yield Identifier(ID_NUMBER, id_number_upgrade(raw), match.start(), match.end())


def _find_bank_accounts(text: str, spans: list[tuple[int, int]]) -> Iterator[Identifier]:
    for match in _stretches(text, _BANK_RE, spans):
        digits = _digits(match.group(1))
        before = text[max(0, match.start() - _BANK_CONTEXT_WINDOW):match.start()]
        luhn_card = 16 <= len(digits) <= 19 and luhn_valid(digits)
        if luhn_card or (len(digits) >= 10 and _BANK_CONTEXT.search(before)):
            yield Identifier(BANK_ACCOUNT, digits, match.start(), match.end())


def _find_phones(text: str, spans: list[tuple[int, int]]) -> Iterator[Identifier]:
    for match in _stretches(text, _MOBILE_RE, spans):
        yield Identifier(PHONE, _digits(match.group(1)), match.start(), match.end())
    for match in _stretches(text, _LANDLINE_RE, spans):
        local = _digits(match.group(2))
        if len(local) in (7, 8):
            yield Identifier(PHONE, match.group(1) + local, match.start(), match.end())


def _find_plates(text: str) -> Iterator[Identifier]:
    for match in _PLATE_RE.finditer(text):
        province, letter, serial = match.groups()
        if sum(ch.isdigit() for ch in serial) < _PLATE_MIN_DIGITS:
            continue
        province = _PROVINCES_TRADITIONAL.get(province, province)
        serial = serial.upper().replace("學", "学").replace("掛", "挂")
        yield Identifier(PLATE, province + letter.upper() + serial, match.start(), match.end())


def _company_body_start(text: str, suffix_start: int) -> int:
    """Where the name before a company suffix starts: back over name characters, then after the last marker word."""
    start = suffix_start
    while start > 0 and suffix_start - start < _COMPANY_BODY_MAX:
        if _NAME_CHAR.match(text, start - 1):
            start -= 1
        elif text[start - 1] == " " and start > 1 and _NAME_CHAR.match(text, start - 2):
            start -= 1  # 郑州 宏远: one space inside a name, typed or left by a line break
        else:
            break
    window = text[start:suffix_start]
    cut = 0
    for marker in _COMPANY_MARKER_RE.finditer(window):
        cut = max(cut, marker.end())  # a marker right before the suffix leaves no name: the caller drops it
    return start + cut


def company_value(name: str) -> str:
    """The canonical form of a company name: no spaces, half-width, Simplified, (有限公司)/有限责任公司 unified."""
    value = _t2s().convert(re.sub(r"\s+", "", name.translate(_WIDTH_FOLD)))
    for variant, canonical in _UNIFY_COMPANY:
        value = value.replace(variant, canonical)
    return value


def _company_specific(body: str) -> bool:
    """Whether a company name says which company: not anonymised (某), not a pronoun, not only generic words."""
    if "某" in body or "×" in body or "*" in body:
        return False
    return len(_GENERIC_COMPANY_WORDS.sub("", body)) >= _COMPANY_BODY_MIN


def _find_companies(simplified: str) -> Iterator[Identifier]:
    last_end = 0
    for match in _COMPANY_SUFFIX_RE.finditer(simplified):
        body_start = max(_company_body_start(simplified, match.start()), last_end)
        while body_start < match.start() and simplified[body_start] in _LEADING_NOT_NAME:
            body_start += 1
        body = simplified[body_start:match.start()]
        if len(body) < _COMPANY_BODY_MIN or not _company_specific(body):
            continue
        last_end = match.end()
        yield Identifier(COMPANY, company_value(simplified[body_start:match.end()]), body_start, match.end())


def _merge_branches(companies: list[Identifier], simplified: str) -> list[Identifier]:
    """郑州鑫达有限公司金水分公司: a branch written straight after its parent company is one company."""
    merged: list[Identifier] = []
    for company in companies:
        previous = merged[-1] if merged else None
        if previous is not None and company.start == previous.end and company.value.endswith(("分公司", "分厂")):
            span = simplified[previous.start:company.end]
            merged[-1] = Identifier(COMPANY, company_value(span), previous.start, company.end)
        else:
            merged.append(company)
    return merged


def identifiers_find(text: str) -> list[Identifier]:
    """All strong identifiers in `text`, in text order, each with its canonical value and its span in `text`.

    Where candidates overlap (a phone inside a bank account, an ID inside a longer number), the stronger kind wins
    in the order of `KINDS`.
    """
    if not text:
        return []
    folded = _FOLDABLE.sub(_folded, text)
    spans = [match.span() for match in _NUMBERISH.finditer(folded)]
    companies: list[Identifier] = []
    if any(word in folded for word in _COMPANY_WORDS):
        simplified = _simplified_same_length(folded)
        companies = _merge_branches(list(_find_companies(simplified)), simplified)
    found: list[Identifier] = []
    taken: list[tuple[int, int]] = []
    for candidates in (_find_id_numbers(folded, spans), _find_bank_accounts(folded, spans),
                       _find_phones(folded, spans), _find_plates(folded), companies):
        for identifier in candidates:
            if any(identifier.start < end and start < identifier.end for start, end in taken):
                continue
            taken.append((identifier.start, identifier.end))
            found.append(identifier)
    found.sort(key=lambda identifier: (identifier.start, identifier.end))
    return found

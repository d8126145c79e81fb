"""The bulletin paragraph (通报): the outcome figures written as running text, in the seeds' style.

The sentences are prose with grammar, built here per language rather than through gettext: the
zh-hans text follows the seeds' own wording (seed 004: 「截至目前，全区共刑事拘留涉黑涉恶犯罪人员175人，
破获案件53起，打掉黑社会性质犯罪组织1个，恶势力犯罪团伙33个、恶势力犯罪集团3个，查封冻结涉案资产2716万元」),
zh-hant is the zh-hans text converted with OpenCC (as the interface translations are), and en says the
same in English. Figures that are zero or that the user may not see are left out; a paragraph with
nothing to report says so.

Numbers are written as the seeds write them: plain digits in Chinese (175人), thousands separators in
English (2,333); money in 万元 below 1亿 and in 亿元 above (2716万元, 1.42亿元), in English in
millions and billions (27.16 million yuan); rates with one decimal (85.8%).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from saohei.cases.choices import OrganizationType
from saohei.figures.kpis import Rate
from saohei.figures.outcomes import OutcomeFigures, OutcomeSet
from saohei.orgs.choices import Level
from saohei.orgs.models import Jurisdiction

LANGUAGES: tuple[str, ...] = ("zh-hans", "zh-hant", "en")
WAN = Decimal(10_000)
YI = Decimal(100_000_000)
MILLION = Decimal(1_000_000)
BILLION = Decimal(1_000_000_000)
# OpenCC's s2t writes 覈查 for 核查; the offices (seed 003) write 核查.
HANT_OVERRIDES = {"覈": "核"}


def normalise_language(language: str | None) -> str:
    """One of LANGUAGES: en for any English, zh-hant for Traditional (zh-tw, zh-hk), else zh-hans."""
    code = (language or "").strip().lower().replace("_", "-")
    if code.startswith("en"):
        return "en"
    if code in {"zh-hant", "zh-tw", "zh-hk", "zh-mo"} or code.startswith("zh-hant"):
        return "zh-hant"
    return "zh-hans"


# --- numbers -------------------------------------------------------------------------------------


def _decimal_text(value: Decimal, places: int = 2) -> str:
    """``value`` rounded to ``places`` decimals, trailing zeros dropped: 2716, 1.42, 2716.5."""
    q = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{q:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _grouped_text(value: Decimal, places: int = 2) -> str:
    """Like _decimal_text, with thousands separators: 8,500 or 8,500.5."""
    text = _decimal_text(value, places)
    whole, _dot, frac = text.partition(".")
    whole = f"{int(whole):,}"
    return f"{whole}.{frac}" if frac else whole


def count_text(n: int, language: str) -> str:
    return f"{n:,}" if normalise_language(language) == "en" else str(n)


def amount_text(value: Decimal, language: str) -> str:
    """Money as the seeds write it: 2716万元, 1.42亿元, 8500元 (萬元, 億元 in zh-hant); 27.16 million yuan,
    1.42 billion yuan."""
    lang = normalise_language(language)
    if lang == "en":
        if value >= BILLION:
            return f"{_decimal_text(value / BILLION)} billion yuan"
        if value >= MILLION:
            return f"{_decimal_text(value / MILLION)} million yuan"
        return f"{_grouped_text(value)} yuan"
    yi, wan = ("億元", "萬元") if lang == "zh-hant" else ("亿元", "万元")
    if value >= YI:
        return f"{_decimal_text(value / YI)}{yi}"
    if value >= WAN:
        return f"{_decimal_text(value / WAN)}{wan}"
    return f"{_decimal_text(value)}元"


def percent_text(rate: Rate) -> str:
    """85.8%, 100%; "—" when the rate has no value (nothing to divide by)."""
    percent = rate.percent
    if percent is None:
        return "—"
    return f"{_decimal_text(Decimal(str(percent)), 1)}%"


# --- the place and the period --------------------------------------------------------------------

ZH_AREA_SUFFIXES = ("自治区", "省", "市", "区", "县", "旗", "州", "盟", "地区")
EN_AREA = {
    "自治区": "region",
    "省": "province",
    "市": "city",
    "区": "district",
    "县": "county",
    "旗": "banner",
    "州": "prefecture",
    "盟": "league",
    "地区": "prefecture",
}
EN_LEVEL: dict[str, str] = {Level.PROVINCE: "province", Level.CITY: "city", Level.COUNTY: "county"}
ZH_LEVEL: dict[str, str] = {Level.PROVINCE: "省", Level.CITY: "市", Level.COUNTY: "县"}


def _suffix(jurisdiction: Jurisdiction) -> str | None:
    return next((s for s in ZH_AREA_SUFFIXES if jurisdiction.name.endswith(s)), None)


def area_text(jurisdiction: Jurisdiction, language: str) -> str:
    """全国 / 全省 / 全市 / 全区 / 全县 (from the kind of division the name says, else its level);
    in English "the country", "the province", "the district"…"""
    english = normalise_language(language) == "en"
    if jurisdiction.level == Level.NATIONAL:
        return "the country" if english else "全国"
    suffix = _suffix(jurisdiction)
    if english:
        return "the " + (EN_AREA[suffix] if suffix else EN_LEVEL.get(jurisdiction.level, "area"))
    if suffix == "自治区":
        return "全区"
    if suffix == "地区":
        return "全地区"
    return "全" + (suffix or ZH_LEVEL.get(jurisdiction.level, "区"))


def _zh_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")


def _en_date(day: dt.date) -> str:
    return f"{day.day} {EN_MONTHS[day.month - 1]} {day.year}"


def ongoing(figures: OutcomeFigures) -> bool:
    """A period that ends today is told "so far" (截至目前)."""
    return figures.end == figures.today


def period_text(figures: OutcomeFigures, language: str) -> str:
    english = normalise_language(language) == "en"
    if ongoing(figures):
        return "As of today" if english else "截至目前"
    if english:
        return f"From {_en_date(figures.start)} to {_en_date(figures.end)}"
    return f"{_zh_date(figures.start)}至{_zh_date(figures.end)}"


# --- zh-hans -------------------------------------------------------------------------------------

ZH_ORGANIZATIONS = {
    OrganizationType.MAFIA_TYPE: "黑社会性质犯罪组织",
    OrganizationType.EVIL_FORCE_GANG: "恶势力犯罪团伙",
    OrganizationType.EVIL_FORCE_GROUP: "恶势力犯罪集团",
}
ZH_SECURED = (("sealed", "查封"), ("seized", "扣押"), ("frozen", "冻结"))


def _zh_strike(t: OutcomeSet, secured_states: Sequence[str]) -> list[str]:
    """The crackdown: people detained and arrested, cases solved, organisations destroyed, assets."""
    parts: list[str] = []
    detained, arrested = t.suspects_detained.value, t.suspects_arrested.value
    if detained:
        parts.append(f"刑事拘留涉黑涉恶犯罪人员{detained}人")
    if arrested:
        parts.append(f"逮捕{arrested}人" if detained else f"逮捕涉黑涉恶犯罪嫌疑人{arrested}人")
    if t.suspects_surrendered.value:
        parts.append(f"{t.suspects_surrendered.value}名犯罪嫌疑人投案自首")
    if t.cases_solved.value:
        parts.append(f"破获案件{t.cases_solved.value}起")
    organizations = {kind: fig.value for kind, fig in t.destroyed_by_type()}
    mafia = organizations[OrganizationType.MAFIA_TYPE]
    evil = [
        f"{ZH_ORGANIZATIONS[kind]}{organizations[kind]}个"
        for kind in (OrganizationType.EVIL_FORCE_GANG, OrganizationType.EVIL_FORCE_GROUP)
        if organizations[kind]
    ]
    destroyed = ([f"{ZH_ORGANIZATIONS[OrganizationType.MAFIA_TYPE]}{mafia}个"] if mafia else []) + (
        ["、".join(evil)] if evil else []
    )
    if destroyed:
        parts.append("打掉" + "，".join(destroyed))
    if t.assets_secured.value > 0:
        verbs = "".join(zh for state, zh in ZH_SECURED if state in secured_states) or "查封扣押冻结"
        parts.append(f"{verbs}涉案资产{amount_text(t.assets_secured.value, 'zh-hans')}")
    referred, verified = t.clues_referred.value, t.clues_referred_verified.value
    if referred:
        if verified == referred:
            parts.append(f"上级下发的{referred}条涉黑涉恶线索均已核查")
        elif verified:
            parts.append(f"上级下发涉黑涉恶线索{referred}条，已核查{verified}条")
        else:
            parts.append(f"上级下发涉黑涉恶线索{referred}条")
    return parts


def _zh_trial(t: OutcomeSet) -> str:
    cases, persons = t.cases_indicted.value, t.persons_indicted.value
    parts: list[str] = []
    if cases or persons:
        what = f"涉黑涉恶案件{cases}件" if cases else "涉黑涉恶犯罪嫌疑人"
        parts.append(f"检察机关起诉{what}{persons}人" if persons else f"检察机关起诉{what}")
    court = []
    if t.cases_first_judgment.value:
        court.append(f"一审判决{t.cases_first_judgment.value}件")
    if t.cases_effective_judgment.value:
        court.append(f"生效判决{t.cases_effective_judgment.value}件")
    if t.persons_judged.value:
        court.append(f"对{t.persons_judged.value}人作出判决")
    if court:
        parts.append("法院" + "，".join(court))
    return "，".join(parts)


def _zh_protection(t: OutcomeSet) -> str:
    p = t.protection
    if p is None:
        return ""
    parts = []
    if p.opened.value:
        parts.append(f"查处涉黑涉恶“保护伞”{p.opened.value}人")
    if p.sanctioned.value:
        parts.append(f"给予党纪政务处分{p.sanctioned.value}人")
    if p.transferred.value:
        parts.append(f"移送司法机关{p.transferred.value}人")
    return "纪检监察机关" + "，".join(parts) if parts else ""


def _zh_years(years: tuple[int, int] | None) -> str:
    if years is None:
        return "此前"
    first, last = years
    return f"{first}年" if first == last else f"{first}年至{last}年"


def _this_year(figures: OutcomeFigures) -> bool:
    return ongoing(figures) and figures.start == dt.date(figures.today.year, 1, 1)


def _zh_fugitives(figures: OutcomeFigures) -> str:
    t = figures.totals
    listed, earlier, new, caught = (
        t.fugitives_listed.value, t.fugitives_listed_earlier.value, t.fugitives_listed_new.value,
        t.fugitives_caught.value,
    )
    if not listed:
        return ""
    if earlier and new:
        when = "今年" if _this_year(figures) else ""
        head = f"在{_zh_years(figures.earlier_listing_years)}确定的{earlier}名目标逃犯基础上，{when}新增{new}名"
        if not caught:
            return head
        return f"{head}，累计抓获{caught}名，到案率{percent_text(t.fugitive_arrest_rate)}"
    if not caught:
        return f"共有目标逃犯{listed}名"
    return f"目标逃犯{listed}名，已抓获{caught}名，到案率{percent_text(t.fugitive_arrest_rate)}"


def _zh_clues(t: OutcomeSet) -> str:
    concluded, formed = t.clues_concluded.value, t.clues_formed_case.value
    if not concluded:
        return ""
    text = f"核查办结涉黑涉恶线索{concluded}条"
    if formed:
        text += f"，其中核查成案{formed}条，成案率{percent_text(t.case_rate)}"
    return text


def _zh_hans(figures: OutcomeFigures, secured_states: Sequence[str]) -> str:
    t = figures.totals
    lead = f"{period_text(figures, 'zh-hans')}，{area_text(figures.jurisdiction, 'zh-hans')}"
    strike = _zh_strike(t, secured_states)
    sentences = [s for s in (_zh_trial(t), _zh_protection(t), _zh_fugitives(figures), _zh_clues(t)) if s]
    if strike:
        sentences.insert(0, "共" + "，".join(strike))
    if not sentences:
        return f"{lead}暂无可通报的涉黑涉恶案件办理成果。"
    sentences[0] = lead + sentences[0]
    return "".join(s + "。" for s in sentences)


# --- en ------------------------------------------------------------------------------------------

EN_ORGANIZATIONS = {
    OrganizationType.MAFIA_TYPE: ("mafia-type organisation", "mafia-type organisations"),
    OrganizationType.EVIL_FORCE_GANG: ("evil-force gang", "evil-force gangs"),
    OrganizationType.EVIL_FORCE_GROUP: ("evil-force criminal group", "evil-force criminal groups"),
}
EN_SECURED = (("sealed", "sealed"), ("seized", "seized"), ("frozen", "frozen"))


def _n(n: int, singular: str, plural: str) -> str:
    return f"{n:,} {singular if n == 1 else plural}"


def _been(n: int, perfect: bool) -> str:
    """The passive auxiliary: "has been"/"have been" so far, "was"/"were" for a closed period."""
    if perfect:
        return "has been" if n == 1 else "have been"
    return "was" if n == 1 else "were"


def _and(items: Sequence[str], comma: bool = True) -> str:
    """a; a and b; a, b and c (or "a, b, and c" with the serial comma when items are clauses)."""
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} and {items[1]}"
    return ", ".join(items[:-1]) + ("," if comma else "") + f" and {items[-1]}"


def _or(items: Sequence[str]) -> str:
    if len(items) <= 2:
        return " or ".join(items)
    return ", ".join(items[:-1]) + f" or {items[-1]}"


def _en_strike(figures: OutcomeFigures, secured_states: Sequence[str], perfect: bool) -> str:
    t = figures.totals
    parts: list[str] = []
    detained, arrested = t.suspects_detained.value, t.suspects_arrested.value
    suspects = ("person suspected of gang-related and evil-force crimes",
                "people suspected of gang-related and evil-force crimes")
    if detained:
        parts.append(f"criminally detained {_n(detained, *suspects)}")
    if arrested:
        parts.append(f"arrested {count_text(arrested, 'en')}" if detained else f"arrested {_n(arrested, *suspects)}")
    if t.suspects_surrendered.value:
        parts.append(f"received the surrender of {_n(t.suspects_surrendered.value, 'suspect', 'suspects')}")
    if t.cases_solved.value:
        parts.append(f"solved {_n(t.cases_solved.value, 'case', 'cases')}")
    destroyed = [_n(fig.value, *EN_ORGANIZATIONS[OrganizationType(kind)]) for kind, fig in t.destroyed_by_type()
                 if fig.value]
    if destroyed:
        parts.append(f"destroyed {_and(destroyed, comma=False)}")
    if t.assets_secured.value > 0:
        verbs = [en for state, en in EN_SECURED if state in secured_states] or [en for _s, en in EN_SECURED]
        parts.append(f"{_or(verbs)} assets worth {amount_text(t.assets_secured.value, 'en')}")
    text = ""
    if parts:
        has = "has " if perfect else ""
        text = f"{area_text(figures.jurisdiction, 'en')} {has}{_and(parts)}"
    referred, verified = t.clues_referred.value, t.clues_referred_verified.value
    if referred:
        clues = _n(referred, "clue", "clues")
        if verified == referred:
            every = f"all {clues}" if referred > 1 else f"the {clues}"
            clause = f"{every} referred by higher offices {_been(referred, perfect)} verified"
        else:
            clause = f"{clues} {_been(referred, False)} referred by higher offices"
            if verified:
                clause += f", of which {count_text(verified, 'en')} {_been(verified, perfect)} verified"
        text = f"{text}; {clause}" if text else clause
    return text


def _en_trial(t: OutcomeSet, perfect: bool) -> str:
    have = "have " if perfect else ""
    cases, persons = t.cases_indicted.value, t.persons_indicted.value
    parts: list[str] = []
    if cases or persons:
        if cases and persons:
            what = f"{_n(cases, 'case', 'cases')} involving {_n(persons, 'person', 'people')}"
        else:
            what = _n(cases, "case", "cases") if cases else _n(persons, "person", "people")
        parts.append(f"prosecutors {have}indicted {what}")
    judgments = []
    if t.cases_first_judgment.value:
        judgments.append(f"first-instance judgments in {_n(t.cases_first_judgment.value, 'case', 'cases')}")
    if t.cases_effective_judgment.value:
        judgments.append(f"effective judgments in {_n(t.cases_effective_judgment.value, 'case', 'cases')}")
    court = f"courts {have}delivered {_and(judgments)}" if judgments else ""
    if t.persons_judged.value:
        people = _n(t.persons_judged.value, "person", "people")
        court = f"{court}, judging {people}" if court else f"courts {have}judged {people}"
    if court:
        parts.append(court)
    return "; ".join(parts)


def _en_protection(t: OutcomeSet, perfect: bool) -> str:
    p = t.protection
    if p is None:
        return ""
    parts = []
    if p.opened.value:
        parts.append(f"investigated {_n(p.opened.value, 'official', 'officials')} as protective umbrellas")
    if p.sanctioned.value:
        parts.append(f"imposed party or administrative sanctions on {_n(p.sanctioned.value, 'person', 'people')}")
    if p.transferred.value:
        parts.append(f"transferred {_n(p.transferred.value, 'person', 'people')} to judicial organs")
    if not parts:
        return ""
    have = "have " if perfect else ""
    return f"discipline inspection and supervision organs {have}{_and(parts)}"


def _en_fugitives(figures: OutcomeFigures, perfect: bool) -> str:
    t = figures.totals
    listed, earlier, new, caught = (
        t.fugitives_listed.value, t.fugitives_listed_earlier.value, t.fugitives_listed_new.value,
        t.fugitives_caught.value,
    )
    if not listed:
        return ""
    rate = f", an arrest rate of {percent_text(t.fugitive_arrest_rate)}"
    if earlier and new:
        years = figures.earlier_listing_years
        when = ("earlier" if years is None else f"in {years[0]}" if years[0] == years[1]
                else f"in {years[0]}–{years[1]}")
        more = "this year" if _this_year(figures) else "during the period"
        head = (f"on top of the {_n(earlier, 'target fugitive', 'target fugitives')} listed {when}, "
                f"{count_text(new, 'en')} more {_been(new, False)} listed {more}")
        return f"{head}; {count_text(caught, 'en')} {_been(caught, perfect)} caught{rate}" if caught else head
    fugitives = _n(listed, "target fugitive", "target fugitives")
    if not caught:
        return f"{fugitives} {'is' if listed == 1 else 'are'} on the pursuit list"
    return f"of {fugitives}, {count_text(caught, 'en')} {_been(caught, perfect)} caught{rate}"


def _en_clues(t: OutcomeSet, perfect: bool) -> str:
    concluded, formed = t.clues_concluded.value, t.clues_formed_case.value
    if not concluded:
        return ""
    clues = _n(concluded, "clue", "clues")
    if not formed:
        return f"the verification of {clues} {_been(1, perfect)} concluded"
    have = ("has " if formed == 1 else "have ") if perfect else ""
    what = "a case" if formed == 1 else "cases"
    return (f"of {clues} whose verification concluded, {count_text(formed, 'en')} {have}formed {what}, "
            f"a case rate of {percent_text(t.case_rate)}")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _en(figures: OutcomeFigures, secured_states: Sequence[str]) -> str:
    perfect = ongoing(figures)
    t = figures.totals
    lead = period_text(figures, "en")
    area = area_text(figures.jurisdiction, "en")
    strike = _en_strike(figures, secured_states, perfect)
    rest = [s for s in (_en_trial(t, perfect), _en_protection(t, perfect), _en_fugitives(figures, perfect),
                        _en_clues(t, perfect)) if s]
    if not strike and not rest:
        return f"{lead}, {area} has no outcomes to report." if perfect else f"{lead}, {area} had no outcomes to report."
    sentences: list[str] = []
    if strike:
        first = strike if strike.startswith("the ") else f"in {area}, {strike}"
        sentences.append(f"{lead}, {first}")
        sentences += [_capital(s) for s in rest]
    else:
        sentences.append(f"{lead}, in {area}, {rest[0]}")
        sentences += [_capital(s) for s in rest[1:]]
    return " ".join(s + "." for s in sentences)


# --- the paragraph -------------------------------------------------------------------------------


@functools.cache
def _to_traditional() -> Callable[[str], str]:
    import opencc

    converter: Any = opencc.OpenCC("s2t")

    def convert(text: str) -> str:
        out = str(converter.convert(text))
        for simplified, traditional in HANT_OVERRIDES.items():
            out = out.replace(simplified, traditional)
        return out

    return convert


def bulletin_text(figures: OutcomeFigures, *, language: str) -> str:
    """The bulletin paragraph of ``figures`` in ``language`` (zh-hans, zh-hant or en).

    The assets are "sealed and frozen" (查封冻结), "sealed, seized and frozen" (查封扣押冻结)… as the
    states of the assets counted say (``OutcomeFigures.secured_states``).
    """
    states = figures.secured_states
    lang = normalise_language(language)
    if lang == "en":
        return _en(figures, states)
    text = _zh_hans(figures, states)
    return _to_traditional()(text) if lang == "zh-hant" else text


def all_bulletins(figures: OutcomeFigures) -> dict[str, str]:
    return {lang: bulletin_text(figures, language=lang) for lang in LANGUAGES}

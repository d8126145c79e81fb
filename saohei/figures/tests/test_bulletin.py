"""The bulletin paragraph and the numbers in it, written as the seeds write them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from saohei.figures.bulletin import (
    all_bulletins,
    amount_text,
    area_text,
    bulletin_text,
    count_text,
    normalise_language,
    percent_text,
)
from saohei.figures.kpis import Figure, Rate
from saohei.figures.outcomes import OutcomeFigures, _outcome_set, outcome_figures
from saohei.figures.tests.outcome_world import END, START, build
from saohei.orgs.models import Jurisdiction

TODAY = dt.date(2025, 9, 1)


def place(name: str = "江汉区", level: str = "county", code: str = "420103") -> Jurisdiction:
    return Jurisdiction(code=code, name=name, level=level, path=f"000000/{code}/")


def made(counts: dict[str, Any], *, start: dt.date = dt.date(2025, 1, 1), end: dt.date = TODAY,
         where: Jurisdiction | None = None, protection: bool = True, states: tuple[str, ...] = ("sealed", "frozen"),
         years: tuple[int, int] | None = None) -> OutcomeFigures:
    where = where or place()
    totals = _outcome_set(where.code, start, end, counts, protection=protection)
    return OutcomeFigures(jurisdiction=where, start=start, end=end, today=TODAY, totals=totals,
                          earlier_listing_years=years, secured_states=states)


SEED_004 = {
    "suspects_detained": 175,
    "cases_solved": 53,
    "destroyed_mafia_type": 1,
    "destroyed_evil_force_gang": 33,
    "destroyed_evil_force_group": 3,
    "assets_amount": Decimal("27160000.00"),
    "assets_count": 12,
    "clues_referred": 68,
    "clues_referred_verified": 68,
}
SEED_004_SENTENCE = ("截至目前，全区共刑事拘留涉黑涉恶犯罪人员175人，破获案件53起，打掉黑社会性质犯罪组织1个，"
                     "恶势力犯罪团伙33个、恶势力犯罪集团3个，查封冻结涉案资产2716万元")


@pytest.mark.parametrize(
    ("amount", "zh", "en"),
    [
        ("27160000", "2716万元", "27.16 million yuan"),
        ("142000000", "1.42亿元", "142 million yuan"),
        ("4738000000", "47.38亿元", "4.74 billion yuan"),
        ("100000000", "1亿元", "100 million yuan"),
        ("27165000", "2716.5万元", "27.17 million yuan"),
        ("1420500", "142.05万元", "1.42 million yuan"),
        ("10000", "1万元", "10,000 yuan"),
        ("8500", "8500元", "8,500 yuan"),
        ("8500.50", "8500.5元", "8,500.5 yuan"),
        ("0", "0元", "0 yuan"),
    ],
)
def test_money_in_wan_and_yi_as_the_seeds_write_it(amount, zh, en):
    assert amount_text(Decimal(amount), "zh-hans") == zh
    assert amount_text(Decimal(amount), "en") == en


@pytest.mark.parametrize(
    ("numerator", "denominator", "text"),
    [(712, 830, "85.8%"), (357, 2333, "15.3%"), (402, 402, "100%"), (1, 4, "25%"), (0, 5, "0%"), (3, 0, "—")],
)
def test_rates_with_one_decimal(numerator, denominator, text):
    rate = Rate(Figure(numerator, "x", ()), Figure(denominator, "x", ()))
    assert percent_text(rate) == text


def test_counts_have_thousands_separators_in_english_only():
    assert (count_text(26620, "zh-hans"), count_text(26620, "en"), count_text(26620, "zh-hant")) == (
        "26620", "26,620", "26620")


def test_languages_are_normalised():
    assert [normalise_language(c) for c in ("en-us", "EN", "zh-hant", "zh-tw", "zh-hans", "zh-cn", "", None)] == [
        "en", "en", "zh-hant", "zh-hant", "zh-hans", "zh-hans", "zh-hans", "zh-hans"]


@pytest.mark.parametrize(
    ("name", "level", "zh", "en"),
    [
        ("中华人民共和国", "national", "全国", "the country"),
        ("湖北省", "province", "全省", "the province"),
        ("广西壮族自治区", "province", "全区", "the region"),
        ("北京市", "province", "全市", "the city"),
        ("武汉市", "city", "全市", "the city"),
        ("恩施土家族苗族自治州", "city", "全州", "the prefecture"),
        ("江汉区", "county", "全区", "the district"),
        ("长阳土家族自治县", "county", "全县", "the county"),
        ("宜都市", "county", "全市", "the city"),
    ],
)
def test_the_area_is_named_as_its_kind_of_division(name, level, zh, en):
    j = place(name, level)
    assert (area_text(j, "zh-hans"), area_text(j, "en")) == (zh, en)


def test_seed_004_in_the_seeds_words():
    text = bulletin_text(made(SEED_004), language="zh-hans")
    assert SEED_004_SENTENCE in text
    assert text == SEED_004_SENTENCE + "，上级下发的68条涉黑涉恶线索均已核查。"


def test_seed_004_in_english_and_traditional_chinese():
    f = made(SEED_004)
    assert bulletin_text(f, language="en") == (
        "As of today, the district has criminally detained 175 people suspected of gang-related and evil-force "
        "crimes, solved 53 cases, destroyed 1 mafia-type organisation, 33 evil-force gangs and 3 evil-force "
        "criminal groups, and sealed or frozen assets worth 27.16 million yuan; all 68 clues referred by higher "
        "offices have been verified."
    )
    hant = bulletin_text(f, language="zh-hant")
    assert hant.startswith("截至目前，全區共刑事拘留涉黑涉惡犯罪人員175人，破獲案件53起，打掉黑社會性質犯罪組織1個，"
                           "惡勢力犯罪團伙33個、惡勢力犯罪集團3個，查封凍結涉案資產2716萬元")
    assert "均已核查" in hant and "覈" not in hant  # the offices write 核查
    assert set(all_bulletins(f)) == {"zh-hans", "zh-hant", "en"}


def test_a_closed_period_is_named_by_its_dates():
    f = made(SEED_004, start=dt.date(2025, 1, 1), end=dt.date(2025, 6, 30))
    assert bulletin_text(f, language="zh-hans").startswith("2025年1月1日至2025年6月30日，全区共刑事拘留")
    en = bulletin_text(f, language="en")
    assert en.startswith("From 1 January 2025 to 30 June 2025, the district criminally detained 175 people")
    assert en.endswith("all 68 clues referred by higher offices were verified.")


def test_zero_figures_are_left_out():
    text = bulletin_text(made({"cases_solved": 2, "destroyed_evil_force_group": 1}), language="zh-hans")
    assert text == "截至目前，全区共破获案件2起，打掉恶势力犯罪集团1个。"
    assert bulletin_text(made({"destroyed_mafia_type": 2}), language="zh-hans") == (
        "截至目前，全区共打掉黑社会性质犯罪组织2个。")
    en = bulletin_text(made({"cases_solved": 1, "destroyed_evil_force_group": 1}), language="en")
    assert en == "As of today, the district has solved 1 case and destroyed 1 evil-force criminal group."


def test_nothing_to_report_says_so():
    f = made({})
    assert bulletin_text(f, language="zh-hans") == "截至目前，全区暂无可通报的涉黑涉恶案件办理成果。"
    assert bulletin_text(f, language="en") == "As of today, the district has no outcomes to report."


def test_arrests_detentions_and_assets_words_follow_the_records():
    f = made({"suspects_detained": 10, "suspects_arrested": 8, "assets_amount": Decimal("142000000"),
              "assets_count": 3}, where=place("武汉市", "city", "420100"), states=("sealed", "seized", "frozen"))
    assert bulletin_text(f, language="zh-hans") == (
        "截至目前，全市共刑事拘留涉黑涉恶犯罪人员10人，逮捕8人，查封扣押冻结涉案资产1.42亿元。")
    only_arrests = made({"suspects_arrested": 8})
    assert bulletin_text(only_arrests, language="zh-hans") == "截至目前，全区共逮捕涉黑涉恶犯罪嫌疑人8人。"


def test_prosecution_protection_fugitives_and_case_rate():
    counts = {
        "cases_indicted": 12, "persons_indicted": 85, "cases_first_judgment": 9, "cases_effective_judgment": 6,
        "persons_judged": 40, "umbrellas_opened": 15, "umbrellas_sanctioned": 10, "umbrellas_transferred": 3,
        "fugitives_listed": 830, "fugitives_listed_earlier": 680, "fugitives_listed_new": 150,
        "fugitives_caught": 712, "clues_concluded": 2333, "clues_formed_case": 357,
    }
    f = made(counts, where=place("中华人民共和国", "national", "000000"), years=(2021, 2021))
    assert bulletin_text(f, language="zh-hans") == (
        "截至目前，全国检察机关起诉涉黑涉恶案件12件85人，法院一审判决9件，生效判决6件，对40人作出判决。"
        "纪检监察机关查处涉黑涉恶“保护伞”15人，给予党纪政务处分10人，移送司法机关3人。"
        "在2021年确定的680名目标逃犯基础上，今年新增150名，累计抓获712名，到案率85.8%。"
        "核查办结涉黑涉恶线索2333条，其中核查成案357条，成案率15.3%。"
    )
    assert bulletin_text(f, language="en") == (
        "As of today, in the country, prosecutors have indicted 12 cases involving 85 people; courts have "
        "delivered first-instance judgments in 9 cases and effective judgments in 6 cases, judging 40 people. "
        "Discipline inspection and supervision organs have investigated 15 officials as protective umbrellas, "
        "imposed party or administrative sanctions on 10 people, and transferred 3 people to judicial organs. "
        "On top of the 680 target fugitives listed in 2021, 150 more were listed this year; 712 have been caught, "
        "an arrest rate of 85.8%. Of 2,333 clues whose verification concluded, 357 have formed cases, a case rate "
        "of 15.3%."
    )


def test_protection_is_left_out_when_the_user_may_not_see_it():
    counts = {"umbrellas_opened": 15, "cases_solved": 1}
    assert "保护伞" in bulletin_text(made(counts), language="zh-hans")
    assert "保护伞" not in bulletin_text(made(counts, protection=False), language="zh-hans")
    assert "umbrella" not in bulletin_text(made(counts, protection=False), language="en")


def test_fugitives_without_earlier_listings():
    f = made({"fugitives_listed": 20, "fugitives_listed_new": 20, "fugitives_caught": 17})
    assert bulletin_text(f, language="zh-hans") == "截至目前，全区目标逃犯20名，已抓获17名，到案率85%。"
    f = made({"fugitives_listed": 20, "fugitives_listed_earlier": 5, "fugitives_listed_new": 15},
             start=dt.date(2025, 3, 1), years=(2019, 2021))
    assert bulletin_text(f, language="zh-hans") == "截至目前，全区在2019年至2021年确定的5名目标逃犯基础上，新增15名。"


def test_the_world_written_out(org):
    """The hand-counted world over a closed period, as the 武汉 director sees it."""
    build(org)
    f = outcome_figures(user=org.users["director.wuhan"], jurisdiction=org.places["wuhan"], start=START, end=END)
    assert bulletin_text(f, language="zh-hans") == (
        "2025年1月1日至2025年6月30日，全市共刑事拘留涉黑涉恶犯罪人员2人，逮捕3人，1名犯罪嫌疑人投案自首，破获案件4起，"
        "打掉黑社会性质犯罪组织1个，恶势力犯罪团伙2个，查封扣押涉案资产3016万元，上级下发涉黑涉恶线索3条，已核查1条。"
        "检察机关起诉涉黑涉恶案件1件1人，法院一审判决1件，生效判决1件，对1人作出判决。"
        "纪检监察机关查处涉黑涉恶“保护伞”2人，给予党纪政务处分2人，移送司法机关1人。"
        "在2021年确定的2名目标逃犯基础上，新增3名，累计抓获2名，到案率40%。"
        "核查办结涉黑涉恶线索4条，其中核查成案1条，成案率25%。"
    )
    clerk = outcome_figures(user=org.users["clerk.jianghan"], jurisdiction=org.places["jianghan"], start=START,
                            end=END)
    assert "保护伞" not in bulletin_text(clerk, language="zh-hans")
    other = outcome_figures(user=org.users["verifier.jiangan"], jurisdiction=org.places["jianghan"], start=START,
                            end=END)
    assert bulletin_text(other, language="en") == "From 1 January 2025 to 30 June 2025, the district had no outcomes " \
                                                  "to report."

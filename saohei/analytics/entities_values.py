"""Amounts and dates in Chinese texts, and the character folding that keeps their spans in place.

Why: 三十万元, 2,716万元 and 1.5亿元 are the same kind of fact written three ways; the analyst compares and adds
them, so each is normalised to whole yuan. Dates are normalised to ISO forms when the text fixes them
(2012年9月12日 → 2012-09-12, 2019年3月 → 2019-03) and kept as written, without a value, when it does not (去年3月,
上个月). Part of entities.py, kept apart to keep each module small.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

import opencc

# Full-width ASCII forms and the ideographic space, one character for one character, so spans survive.
_WIDTH_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "两": 2, "贰": 2, "三": 3, "叁": 3, "四": 4,
           "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_LARGE_UNITS = {"万": 10_000, "亿": 100_000_000}
_CN_NUMBER = "[零〇○一壹二两贰三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万亿]+"
_NUMBER = r"\d+(?:[,，]\d{3})*(?:\.\d+)?"
_AMOUNT_RE = re.compile(
    r"(?:人民币|RMB|rmb)?\s?(?P<n>" + _NUMBER + "|" + _CN_NUMBER + r")\s?(?P<a1>余|多)?(?P<u>亿|千万|百万|十万|万|千)?"
    r"(?P<a2>余|多)?\s?(?:元(?:人民币)?|块钱|块|圆)"
)
_UNIT_FACTOR = {"亿": 100_000_000, "千万": 10_000_000, "百万": 1_000_000, "十万": 100_000, "万": 10_000, "千": 1000}
_YEAR = r"(?P<y>\d{4}|[零〇○一二三四五六七八九]{4})\s?年"
_MONTH = r"(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s?月"
_DAY = r"(?P<d>3[01]|[12]\d|0?[1-9]|[二三]?十[一二三四五六七八九]?|三十一?|[一二三四五六七八九])\s?[日号]"
_FULL_DATE_RE = re.compile(_YEAR + _MONTH + "(?:份)?" + _DAY)
_YEAR_MONTH_RE = re.compile(_YEAR + _MONTH + "(?:份|初|中旬|上旬|下旬|底)?")
_YEAR_RE = re.compile(_YEAR + r"(?:初|底|末|年中|上半年|下半年|以来|前后|左右)?(?![级龄代纪薪])")
_NUMERIC_DATE_RE = re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d{2})[-/.](?P<m>1[0-2]|0?[1-9])[-/.]"
                              r"(?P<d>3[01]|[12]\d|0?[1-9])(?![\d.])")
_RELATIVE_RE = re.compile(
    r"(?:去年|今年|前年|明年|上个?月|本月|这个月|上周|上个?星期|本周|昨天|前天|今天|当天|当晚|近日|近期|日前|前几天|年初|年底|"
    r"月初|月底)(?:" + _MONTH + r"(?:份)?(?:" + _DAY + r")?)?"
)
_MONTH_DAY_RE = re.compile(r"(?<![\d年])" + _MONTH + _DAY)


@dataclass(frozen=True)
class ValueSpan:
    """A value found in the folded text: where, its normalised value, and how it was written (`form`)."""

    start: int
    end: int
    value: str | int | None
    form: str = ""


@functools.cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """Half-width, Simplified text of the same length as `text`: spans found in it index `text` itself."""
    folded = text.translate(_WIDTH_FOLD)
    converted: str = _t2s().convert(folded)
    if len(converted) == len(folded):
        return converted
    return "".join(c if len(c := _t2s().convert(ch)) == 1 else ch for ch in folded)


def chinese_number(text: str) -> int | None:
    """三十 → 30, 一万五千 → 15000, 三十万 → 300000, 一亿二千万 → 120000000, 二〇一二 → 2012; None when unreadable.

    A trailing digit after a unit counts in the next lower unit, as people say it: 一万五 → 15000, 三千五 → 3500.
    """
    if text and all(ch in _DIGITS for ch in text):
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total, section, digit, last_unit = 0, 0, None, 1
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            unit = _SMALL_UNITS[ch]
            section += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        elif ch in _LARGE_UNITS:
            unit = _LARGE_UNITS[ch]
            section += digit or 0
            total = (total + section) * unit if unit > 10_000 else total + section * unit
            section, digit, last_unit = 0, None, unit
        else:
            return None
    if digit is not None:
        section += digit * (last_unit // 10 if last_unit >= 100 and text[-2] not in "零〇" else 1)
    return total + section


def _number(text: str) -> float | None:
    if text[0].isdigit():
        return float(text.replace(",", "").replace("，", ""))
    value = chinese_number(text)
    return float(value) if value is not None else None


def amounts_find(folded: str) -> list[ValueSpan]:
    """Amounts of money in yuan: 三十万元 → 300000, 2,716万元 → 27160000; 余/多 marks the value approximate."""
    found = []
    for match in _AMOUNT_RE.finditer(folded):
        number = _number(match.group("n"))
        if number is None:
            continue
        yuan = round(number * _UNIT_FACTOR.get(match.group("u") or "", 1))
        approximate = bool(match.group("a1") or match.group("a2"))
        found.append(ValueSpan(match.start(), match.end(), yuan, "approximate" if approximate else "exact"))
    return found


def _date_part(text: str | None) -> int | None:
    if text is None:
        return None
    return int(text) if text.isdigit() else chinese_number(text)


def _iso(year: int | None, month: int | None = None, day: int | None = None) -> str | None:
    """ISO text of a date that exists (2019, 2019-03, 2012-09-12), or None."""
    if year is None or not 1900 <= year <= 2100:
        return None
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        return None
    return f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if day else "")


def dates_find(folded: str) -> list[ValueSpan]:
    """Dates, longest form first: full dates, year-month, years, numeric dates; relative ones without a value."""
    found: list[ValueSpan] = []
    taken: list[tuple[int, int]] = []

    def add(match: re.Match[str], value: str | None, form: str) -> None:
        if any(match.start() < end and start < match.end() for start, end in taken):
            return
        taken.append((match.start(), match.end()))
        found.append(ValueSpan(match.start(), match.end(), value, form))

    for match in _FULL_DATE_RE.finditer(folded):
        parts = (_date_part(match.group("y")), _date_part(match.group("m")), _date_part(match.group("d")))
        add(match, _iso(*parts), "date")
    for match in _NUMERIC_DATE_RE.finditer(folded):
        add(match, _iso(int(match.group("y")), int(match.group("m")), int(match.group("d"))), "date")
    for match in _YEAR_MONTH_RE.finditer(folded):
        add(match, _iso(_date_part(match.group("y")), _date_part(match.group("m"))), "month")
    for match in _RELATIVE_RE.finditer(folded):
        add(match, None, "relative")
    for match in _YEAR_RE.finditer(folded):
        add(match, _iso(_date_part(match.group("y"))), "year")
    for match in _MONTH_DAY_RE.finditer(folded):
        add(match, None, "partial")
    return [span for span in found if span.value is not None or span.form in ("relative", "partial")]

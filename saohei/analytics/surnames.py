"""Chinese surnames: split a name into surname and given name, read it aloud, tell common from rare.

Entity extraction needs the surname table to accept 王某 and 欧阳娜娜 as persons and to refuse 司法 or
高中; entity resolution needs the surname's own reading (曾 is "zeng" as a surname, not "ceng"; 单 is
"shan") to find candidate pairs by sound, and a rough frequency so that 张伟 on its own is weak
evidence. The table is data (`data/surnames.tsv`, `data/common_names.tsv`), written by hand and
loaded once.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from pypinyin import lazy_pinyin

DATA_DIR = Path(__file__).resolve().parent / "data"
POPULATION = 1_410_000_000
# Share of the bearers of one surname who carry a given given name, for a name not in the common
# list: coarse figures (one-character given names are few, so each is shared by more people). They
# make 王建设 about 1 in 70,000 people and 曾国强 about 1 in 800,000.
GIVEN_NAME_SHARE = 2e-4
SINGLE_GIVEN_NAME_SHARE = 2e-3
# A name borne by more than about 40,000 people is "common": on its own it says little about who it is.
COMMON_NAME_SHARE = 3e-5
ANONYMISED_GIVEN = re.compile(r"^(某某|某[甲乙丙丁戊己庚辛壬癸]?|某\d{1,2})$")
HAN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")


@dataclass(frozen=True)
class Surname:
    """One surname: its characters, its reading as a surname, its share of the population (0-1)."""

    text: str
    reading: str
    share: float


@functools.cache
def _t2s() -> object:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → Simplified without moving any character, so offsets and per-character comparisons hold."""
    converter = _t2s()
    converted: str = converter.convert(text)  # type: ignore[attr-defined]
    if len(converted) == len(text):
        return converted
    return "".join(c if len(c := converter.convert(ch)) == 1 else ch for ch in text)  # type: ignore[attr-defined]


@functools.cache
def surname_table() -> dict[str, Surname]:
    """The surname table keyed by Simplified characters, loaded once from data/surnames.tsv."""
    table: dict[str, Surname] = {}
    for line in (DATA_DIR / "surnames.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, reading, percent = [*line.split("\t"), "", ""][:3]
        spoken = reading.strip() or "".join(lazy_pinyin(text))
        table[text] = Surname(text=text, reading=spoken, share=float(percent or 0.01) / 100)
    return table


@functools.cache
def common_names() -> dict[str, int]:
    """Very common full names with a rough count of bearers (data/common_names.tsv)."""
    counts: dict[str, int] = {}
    for line in (DATA_DIR / "common_names.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, count = line.split("\t")
            counts[name] = int(count)
    return counts


def is_han(text: str) -> bool:
    """True when every character is a Chinese character (no Latin, digits, dots or spaces)."""
    return bool(HAN.match(text))


def name_split(name: str) -> tuple[str, str] | None:
    """(surname, given name) as written, or None when `name` is not a plausible Chinese personal name.

    A compound surname (欧阳, 司马, 尉迟…) wins when the name has at least three characters; 王某 and
    张某某 split into the surname and the 某 form. Traditional characters are looked up through their
    Simplified form but returned as written.
    """
    name = name.strip()
    if not is_han(name) or not 2 <= len(name) <= 5:
        return None
    simplified = to_simplified(name)
    table = surname_table()
    if len(name) >= 3 and simplified[:2] in table and len(name) - 2 <= 3:
        return name[:2], name[2:]
    if simplified[0] in table and len(name) - 1 <= 3:
        return name[:1], name[1:]
    return None


def is_anonymised(given_name: str) -> bool:
    """True for the 某 forms that texts use instead of a given name: 某, 某某, 某甲, 某1."""
    return bool(ANONYMISED_GIVEN.match(given_name))


def surname_reading(surname: str) -> str:
    """The reading of `surname` as a surname (曾 → "zeng", 单 → "shan", 尉迟 → "yuchi"), without tones."""
    known = surname_table().get(to_simplified(surname))
    return known.reading if known else "".join(lazy_pinyin(to_simplified(surname)))


def name_syllables(name: str) -> tuple[str, ...]:
    """The name read aloud, one entry for the surname and one per given-name character.

    Used only to find candidate pairs that sound alike; two names that sound alike are not proof.
    """
    parts = name_split(name)
    if parts is None:
        return tuple(lazy_pinyin(to_simplified(name)))
    surname, given = parts
    return (surname_reading(surname), *lazy_pinyin(to_simplified(given)))


def surname_share(surname: str) -> float:
    """Share of the population with this surname (0 when it is not in the table)."""
    known = surname_table().get(to_simplified(surname))
    return known.share if known else 0.0


def name_population_share(name: str) -> float:
    """Rough probability that a random person bears exactly this name; 0.0 when it cannot tell."""
    simplified = to_simplified(name)
    count = common_names().get(simplified)
    if count:
        return count / POPULATION
    parts = name_split(simplified)
    if parts is None:
        return 0.0  # not a Chinese name: the caller falls back on how often it occurs in its own data
    surname, given = parts
    if is_anonymised(given):
        return surname_share(surname) or 1e-4
    given_share = SINGLE_GIVEN_NAME_SHARE if len(given) == 1 else GIVEN_NAME_SHARE
    return max(surname_share(surname), 1e-5) * given_share


def name_is_common(name: str) -> bool:
    """True when so many people bear `name` (张伟, 王芳) that the name alone cannot say who is meant."""
    return name_population_share(name) >= COMMON_NAME_SHARE

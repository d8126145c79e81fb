"""Field comparators for entity resolution (resolution.py): how two values of one field compare, at which level,
with which default m and u probabilities, under which reason code.

Why a comparator per field type: an ID number, a Chinese name, a birth year and a place each have their own ways
of agreeing and disagreeing, and the analyst must read them ("same surname, given names differ by one character",
"birth year differs by 15"). Defaults are the m/u probabilities used when a data set is too small to estimate
them (a handful of records in a test or a small office); they are documented guesses, not measurements.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from saohei.analytics.identifiers import id_number_upgrade, id_number_valid
from saohei.analytics.names_zh import (
    ANONYMISED_COMPATIBLE,
    HOMOPHONE_ONLY,
    NAME_LEVELS,
    ONE_CHARACTER_DIFFERS,
    SAME_NAME,
    ZhName,
    alias_normalised,
    company_name_normalise,
    credit_code_valid,
    name_simplified,
    zh_name_blocking_keys,
    zh_name_level,
    zh_name_parse,
)

CONFIRM = "confirm"
REJECT = "reject"
_CODE = re.compile(r"^\d{6}$")
_DIGITS = re.compile(r"\D")


@dataclass(frozen=True)
class Level:
    """One comparison level: its reason code and default m = P(level | same), u = P(level | different)."""

    code: str
    m: float
    u: float


class Comparator:
    """Compares one field. Levels are ordered from the strongest evidence against to the strongest for."""

    levels: tuple[Level, ...] = ()
    term_frequency = False  # the top level weighs by how rare the value is
    hard = False  # the top level decides "same", level 0 decides "different", whatever else says
    name_like = False  # a name or alias: on its own it may be too weak to merge (see `weak_alone`)

    def __init__(self, field: str) -> None:
        self.field = field

    def prepare(self, raw: Any) -> Any:
        """The value as compared, or None when missing or invalid (a missing value is no evidence either way)."""
        text = str(raw).strip() if raw is not None else ""
        return text or None

    def compare(self, a: Any, b: Any) -> int:
        return len(self.levels) - 1 if a == b else 0

    def keys(self, value: Any) -> Iterable[str]:
        """Blocking keys: records sharing one become a candidate pair."""
        return ()

    def tf_key(self, value: Any) -> str:
        return str(value)

    def population_share(self, tf_value: str) -> float:
        """How common the value is outside the data (0: unknown, use the data's own frequency)."""
        return 0.0

    def never_for(self, level: int) -> bool:
        """A level that may count against a match but never for it (a homophone: sound is not proof)."""
        return False

    def weak_alone(self, level: int, value: Any) -> bool:
        return False

    def hard_decision(self, level: int) -> str | None:
        return None

    def reason(self, level: int, a: Any, b: Any) -> str:
        return self.levels[level].code

    def describe(self, a: Any, b: Any) -> str:
        return f"{a} / {b}" if a != b else str(a)

    def note(self, level: int, value: Any) -> tuple[str, str] | None:
        """An extra remark for the analyst (a common name), shown with the evidence against, weight 0."""
        return None


class StrongKey(Comparator):
    """An identifier: resident ID number (check digit validated), credit code, or a generic key such as a social
    security number with a one-character typo level. A hard key decides alone."""

    def __init__(self, field: str, *, kind: str = "", hard: bool = False, typo_level: bool = False) -> None:
        super().__init__(field)
        self.kind, self.hard = kind, hard
        middle = (Level(f"{field}_one_character_differs", 0.08, 0.0005),) if typo_level else ()
        self.levels = (Level(f"different_{field}", 0.02 if hard else 0.07, 0.9994), *middle,
                       Level(f"same_{field}", 0.98 if hard else 0.85, 1e-7))

    def prepare(self, raw: Any) -> Any:
        value = re.sub(r"[\s\-]", "", str(raw or "")).upper()
        if self.kind == "id_number":
            return id_number_upgrade(value) if id_number_valid(value) else None
        if self.kind == "credit_code":
            return value if credit_code_valid(value) else None
        return value or None

    def compare(self, a: Any, b: Any) -> int:
        if a == b:
            return len(self.levels) - 1
        return 1 if len(self.levels) == 3 and DamerauLevenshtein.distance(a, b) <= 1 else 0

    def keys(self, value: Any) -> Iterable[str]:
        return (value,)

    def hard_decision(self, level: int) -> str | None:
        return CONFIRM if level == len(self.levels) - 1 else REJECT if level == 0 else None


class KeySet(Comparator):
    """Phone numbers: one shared number is strong evidence; none shared is weak evidence against (people change
    phones and have several)."""

    levels = (Level("no_shared_phone", 0.35, 0.99999), Level("same_phone", 0.65, 1e-5))

    def prepare(self, raw: Any) -> Any:
        values = frozenset(_DIGITS.sub("", str(v)) for v in (raw or ()) if len(_DIGITS.sub("", str(v))) >= 7)
        return values or None

    def compare(self, a: Any, b: Any) -> int:
        return 1 if a & b else 0

    def keys(self, value: Any) -> Iterable[str]:
        return sorted(value)

    def describe(self, a: Any, b: Any) -> str:
        shared = sorted(a & b)
        return ", ".join(shared) if shared else f"{', '.join(sorted(a))} / {', '.join(sorted(b))}"


@functools.cache
def _population_share(simplified: str) -> float:
    parsed = zh_name_parse(simplified)
    return parsed.population_share if parsed else 0.0


class ChineseName(Comparator):
    """A Chinese personal name compared on its characters after Traditional → Simplified; sound finds candidates
    (blocking) but a homophone never counts for a match. An exact name weighs by how rare it is."""

    levels = (Level("different_surname", 0.02, 0.92), Level("same_surname_only", 0.02, 0.07),
              Level(HOMOPHONE_ONLY, 0.02, 0.0005), Level(ANONYMISED_COMPATIBLE, 0.06, 0.01),
              Level(ONE_CHARACTER_DIFFERS, 0.04, 0.0004), Level(SAME_NAME, 0.84, 0.0001))
    term_frequency = True
    name_like = True

    def prepare(self, raw: Any) -> Any:
        return zh_name_parse(str(raw)) if raw else None

    def compare(self, a: Any, b: Any) -> int:
        return NAME_LEVELS.index(zh_name_level(a, b))

    def keys(self, value: Any) -> Iterable[str]:
        return zh_name_blocking_keys(value)

    def tf_key(self, value: Any) -> str:
        return str(value.simplified)

    def population_share(self, tf_value: str) -> float:
        return _population_share(tf_value)

    def never_for(self, level: int) -> bool:
        return NAME_LEVELS[level] == HOMOPHONE_ONLY

    def weak_alone(self, level: int, value: Any) -> bool:
        return not (NAME_LEVELS[level] == SAME_NAME and not value.common and not value.anonymised)

    def reason(self, level: int, a: Any, b: Any) -> str:
        if NAME_LEVELS[level] == SAME_NAME and a.written != b.written:
            return "same_name_after_t2s"  # 曾國強 / 曾国强
        return NAME_LEVELS[level]

    def describe(self, a: Any, b: Any) -> str:
        text = f"{a.written} / {b.written}" if a.written != b.written else a.written
        if a.syllables == b.syllables and a.simplified != b.simplified:
            text += f" ({' '.join(a.syllables)})"
        return text

    def note(self, level: int, value: Any) -> tuple[str, str] | None:
        if NAME_LEVELS[level] == SAME_NAME and isinstance(value, ZhName) and value.common:
            return "common_name", f"{value.simplified}: a common name, weak on its own"
        return None


class LatinName(Comparator):
    """A name in Latin letters: exact (weighed by rarity), close and similar by Jaro–Winkler, or different."""

    levels = (Level("different", 0.03, 0.97), Level("similar", 0.04, 0.02), Level("close", 0.08, 0.005),
              Level("same", 0.85, 0.005))
    term_frequency = True
    name_like = True

    def prepare(self, raw: Any) -> Any:
        text = str(raw).strip().lower() if raw is not None and str(raw) != "nan" else ""
        return text or None

    def compare(self, a: Any, b: Any) -> int:
        if a == b:
            return 3
        similarity = JaroWinkler.similarity(a, b)
        return 2 if similarity >= 0.94 else 1 if similarity >= 0.88 else 0

    def reason(self, level: int, a: Any, b: Any) -> str:
        return f"{self.levels[level].code}_{self.field}"


class Aliases(Comparator):
    """Nicknames and other names (刀哥): one shared alias is evidence, though never enough on its own; having no
    alias in common says nothing."""

    levels = (Level("no_shared_alias", 0.5, 0.5), Level("same_alias", 0.5, 0.0005))
    name_like = True

    def prepare(self, raw: Any) -> Any:
        values = frozenset(alias_normalised(str(v)) for v in (raw or ()) if str(v).strip())
        return values or None

    def compare(self, a: Any, b: Any) -> int:
        return 1 if a & b else 0

    def keys(self, value: Any) -> Iterable[str]:
        return sorted(value)

    def weak_alone(self, level: int, value: Any) -> bool:
        return True

    def describe(self, a: Any, b: Any) -> str:
        return ", ".join(sorted(a & b)) or f"{', '.join(sorted(a))} / {', '.join(sorted(b))}"


class BirthYear(Comparator):
    """Year of birth: the same year is strong, a year or two apart may be a slip, more is evidence against."""

    levels = (Level("birth_year_differs", 0.03, 0.88), Level("birth_year_close", 0.03, 0.06),
              Level("birth_year_differs_by_one", 0.06, 0.04), Level("same_birth_year", 0.88, 0.02))

    def prepare(self, raw: Any) -> Any:
        try:
            year = int(str(raw)[:4]) if raw not in (None, "") else None
        except ValueError:
            return None
        return year if year and 1900 <= year <= 2100 else None

    def compare(self, a: Any, b: Any) -> int:
        gap = abs(int(a) - int(b))
        return 3 if gap == 0 else 2 if gap == 1 else 1 if gap <= 3 else 0

    def describe(self, a: Any, b: Any) -> str:
        return str(a) if a == b else f"{a} / {b}: differs by {abs(int(a) - int(b))}"


class BirthDate(Comparator):
    """A date of birth as YYYYMMDD: the same, one digit off (a typo), the same year, or different."""

    levels = (Level("different_date_of_birth", 0.05, 0.975), Level("same_year_of_birth", 0.03, 0.02),
              Level("date_of_birth_one_digit_differs", 0.1, 0.005), Level("same_date_of_birth", 0.82, 0.0003))

    def prepare(self, raw: Any) -> Any:
        digits = _DIGITS.sub("", str(raw)) if raw is not None else ""
        return digits if len(digits) == 8 else None

    def compare(self, a: Any, b: Any) -> int:
        if a == b:
            return 3
        if DamerauLevenshtein.distance(a, b) <= 1:
            return 2
        return 1 if a[:4] == b[:4] else 0


class PlaceCode(Comparator):
    """A place: jurisdiction codes compare by the tree (county, prefecture, province); names by their characters."""

    levels = (Level("different_place", 0.1, 0.85), Level("same_province", 0.1, 0.1),
              Level("same_prefecture", 0.15, 0.04), Level("same_place", 0.65, 0.01))

    def prepare(self, raw: Any) -> Any:
        text = str(raw).strip() if raw else ""
        return (text if _CODE.match(text) else name_simplified(text)) or None

    def compare(self, a: Any, b: Any) -> int:
        if a == b:
            return 3
        if _CODE.match(a) and _CODE.match(b):
            return 2 if a[:4] == b[:4] else 1 if a[:2] == b[:2] else 0
        return 3 if len(a) >= 2 and len(b) >= 2 and (a.endswith(b) or b.endswith(a)) else 0


class Exact(Comparator):
    """Equality of a short value (gender, state, postcode, street number), optionally with a typo level."""

    def __init__(self, field: str, *, m_same: float, u_same: float, term_frequency: bool = False,
                 typo_level: bool = False) -> None:
        super().__init__(field)
        self.term_frequency = term_frequency
        middle = (Level(f"{field}_one_character_differs", 0.1, 0.02),) if typo_level else ()
        rest_m = 1 - m_same - (0.1 if typo_level else 0)
        rest_u = 1 - u_same - (0.02 if typo_level else 0)
        self.levels = (Level(f"different_{field}", rest_m, rest_u), *middle, Level(f"same_{field}", m_same, u_same))

    def prepare(self, raw: Any) -> Any:
        text = str(raw).strip().lower() if raw is not None and str(raw) != "nan" else ""
        return text or None

    def compare(self, a: Any, b: Any) -> int:
        if a == b:
            return len(self.levels) - 1
        return 1 if len(self.levels) == 3 and DamerauLevenshtein.distance(a, b) <= 1 else 0


class Fuzzy(Comparator):
    """A free-text value such as a street: the same, similar (Jaro–Winkler), or different."""

    levels = (Level("different", 0.1, 0.95), Level("similar", 0.15, 0.045), Level("same", 0.75, 0.005))

    def prepare(self, raw: Any) -> Any:
        text = " ".join(str(raw).lower().split()) if raw is not None and str(raw) != "nan" else ""
        return text or None

    def compare(self, a: Any, b: Any) -> int:
        if a == b:
            return 2
        similarity = JaroWinkler.similarity(a, b)
        return 2 if similarity >= 0.97 else 1 if similarity >= 0.85 else 0

    def reason(self, level: int, a: Any, b: Any) -> str:
        return f"{self.levels[level].code}_{self.field}"


class CompanyName(Comparator):
    """A company name reduced to its core (legal form, place prefix and script removed); exact cores weigh by
    rarity, a core one character off or very close is weaker."""

    levels = (Level("different_company_name", 0.05, 0.99899), Level("similar_company_name", 0.1, 0.001),
              Level("same_company_name", 0.85, 1e-5))
    term_frequency = True
    name_like = True

    def prepare(self, raw: Any) -> Any:
        return company_name_normalise(str(raw)) if raw else None

    def compare(self, a: Any, b: Any) -> int:
        if a.core == b.core:
            return 2
        similar = JaroWinkler.similarity(a.core, b.core) >= 0.9 or (
            len(a.core) == len(b.core) >= 3 and sum(x != y for x, y in zip(a.core, b.core, strict=True)) == 1)
        return 1 if similar else 0

    def keys(self, value: Any) -> Iterable[str]:
        return (value.core, value.core[:2]) if len(value.core) > 2 else (value.core,)

    def tf_key(self, value: Any) -> str:
        return str(value.core)

    def weak_alone(self, level: int, value: Any) -> bool:
        return level < 2

    def describe(self, a: Any, b: Any) -> str:
        return f"{a.written} / {b.written}" if a.written != b.written else a.written


__all__ = ["Aliases", "BirthDate", "BirthYear", "ChineseName", "CompanyName", "Comparator", "Exact", "Fuzzy", "KeySet",
           "LatinName", "Level", "PlaceCode", "StrongKey"]

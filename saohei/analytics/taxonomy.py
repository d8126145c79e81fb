"""The offence taxonomy (data/offence_taxonomy.json): charges → offence categories → nine routing categories.

The mapping is data so that an office can correct a charge's category without touching code. This module
only loads and checks it: every offence code must exist in saohei/clues/data/offence_categories.json,
a charge is gang-related exactly when its coarse category is not `other`, and each offence code belongs to
one coarse category only. `fact_labels` turns a list of charges (as in CAIL2018's `accusation`) into the
three things the router and the learned model predict: gang-related, core, and one coarse category.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "offence_taxonomy.json"
OFFENCE_CATEGORIES = Path(__file__).resolve().parents[1] / "clues" / "data" / "offence_categories.json"
FORMAT = 1
OTHER = "other"  # the coarse category of charges that are not gang-related
GAP = "…"  # inside a rule phrase: "followed within the same clause by"
_WORD_LIST = re.compile(r"\{(\w+)\}")  # inside a rule phrase: {officials} is any word of that cue list


class TaxonomyError(ValueError):
    """The taxonomy file contradicts itself or the offence categories of the clues app."""


@dataclass(frozen=True)
class CoarseCategory:
    """One of the nine routing categories, with its names in the three interface languages."""

    code: str
    zh_hans: str
    zh_hant: str
    en: str
    description: str


@dataclass(frozen=True)
class RuleGroup:
    """Weighted phrases that point to one offence category inside one coarse category."""

    id: str
    offence: str | None
    coarse: str
    phrases: tuple[tuple[str, float], ...]
    lead: bool = False  # names the offence of its coarse category whenever it reaches the rule threshold


@dataclass(frozen=True)
class FactLabels:
    """What a text is about, as decided from its charges."""

    gang_related: bool
    core: bool
    coarse: str
    unknown_charges: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: loaded once, used as a cache key
class Taxonomy:
    """The loaded taxonomy; see data/offence_taxonomy.json for what each part means."""

    coarse_categories: tuple[CoarseCategory, ...]
    charge_offence: Mapping[str, str | None]
    charge_coarse: Mapping[str, str]
    core_charges: frozenset[str]
    core_offences: frozenset[str]
    offence_coarse: Mapping[str, str]
    offence_codes: frozenset[str]
    offence_names: Mapping[str, tuple[str, str]]  # code -> (zh_hans, en), from the clues app's categories
    rules: tuple[RuleGroup, ...]
    rule_threshold: float
    offence_weights: Mapping[str, float]
    cues: Mapping[str, tuple[str, ...]]

    @property
    def coarse_codes(self) -> tuple[str, ...]:
        """Coarse category codes in precedence order (the first wins when a text has several)."""
        return tuple(category.code for category in self.coarse_categories)

    def coarse(self, code: str) -> CoarseCategory:
        for category in self.coarse_categories:
            if category.code == code:
                return category
        raise KeyError(code)

    def gang_related_charges(self) -> frozenset[str]:
        """The broad set: every charge with an offence category."""
        return frozenset(charge for charge, offence in self.charge_offence.items() if offence is not None)

    def fact_labels(self, charges: Iterable[str]) -> FactLabels:
        """Labels of a text from its charges; unknown charges count as not gang-related and are reported."""
        order = self.coarse_codes
        coarse_found: list[str] = []
        unknown: list[str] = []
        core = False
        for raw in charges:
            charge = charge_normalise(raw)
            if charge in self.charge_coarse:
                coarse_found.append(self.charge_coarse[charge])
                core = core or charge in self.core_charges
            elif charge in self.offence_coarse:  # an office's own file may give offence category codes
                coarse_found.append(self.offence_coarse[charge])
                core = core or charge in self.core_offences
            elif charge in order:  # or coarse category codes
                coarse_found.append(charge)
            else:
                unknown.append(raw)
        coarse = min(coarse_found, key=order.index) if coarse_found else OTHER
        return FactLabels(gang_related=coarse != OTHER, core=core, coarse=coarse, unknown_charges=tuple(unknown))


def charge_normalise(name: str) -> str:
    """A charge name as the taxonomy spells it: NFKC, no spaces, no trailing 罪, no brackets around it."""
    text = unicodedata.normalize("NFKC", name).strip().strip("[]【】「」“”\"'")
    text = "".join(text.split())
    text = text.replace("(", "（").replace(")", "）")
    return text.removesuffix("罪") if len(text) > 2 else text


def _offence_names() -> dict[str, tuple[str, str]]:
    rows = json.loads(OFFENCE_CATEGORIES.read_text(encoding="utf-8"))
    return {str(row["code"]): (str(row["zh_hans"]), str(row["en"])) for row in rows}


def _coarse_categories(raw: list[dict[str, Any]]) -> tuple[CoarseCategory, ...]:
    categories = tuple(
        CoarseCategory(code=row["code"], zh_hans=row["zh_hans"], zh_hant=row["zh_hant"], en=row["en"],
                       description=row["description"])
        for row in raw
    )
    if [c.code for c in categories][-1:] != [OTHER]:
        raise TaxonomyError(f"the last coarse category must be {OTHER!r}")
    return categories


def _claim(owner: dict[str, str], *, offence: str | None, coarse: str, where: str) -> None:
    """Record that `offence` belongs to `coarse`; an offence in two coarse categories is an error."""
    if offence is None or offence == OTHER:
        return
    previous = owner.setdefault(offence, coarse)
    if previous != coarse:
        raise TaxonomyError(f"{where}: offence {offence!r} is in {previous!r} and {coarse!r}")


def _check_offence(offence: str | None, *, coarse: str, known: frozenset[str], where: str) -> None:
    if offence is not None and offence not in known:
        raise TaxonomyError(f"{where}: unknown offence category {offence!r}")
    if (offence is None) != (coarse == OTHER):
        raise TaxonomyError(f"{where}: gang-related charges need a coarse category other than {OTHER!r}, and back")


def taxonomy_parse(raw: Mapping[str, Any], *, offence_names: Mapping[str, tuple[str, str]]) -> Taxonomy:
    """Build and check a Taxonomy from the decoded JSON (separate from loading so tests can feed variants)."""
    offence_codes = frozenset(offence_names)
    if raw.get("format") != FORMAT:
        raise TaxonomyError(f"taxonomy format {raw.get('format')!r}, expected {FORMAT}")
    categories = _coarse_categories(raw["coarse_categories"])
    codes = {c.code for c in categories}
    charge_offence: dict[str, str | None] = {}
    charge_coarse: dict[str, str] = {}
    offence_coarse: dict[str, str] = {}
    for group in raw["accusations"]:
        coarse = group["coarse"]
        if coarse not in codes:
            raise TaxonomyError(f"unknown coarse category {coarse!r}")
        for charge, offence in group["charges"].items():
            name = charge_normalise(charge)
            if name in charge_coarse:
                raise TaxonomyError(f"charge {charge!r} is listed twice")
            _check_offence(offence, coarse=coarse, known=offence_codes, where=f"charge {charge!r}")
            _claim(offence_coarse, offence=offence, coarse=coarse, where=f"charge {charge!r}")
            charge_offence[name] = offence
            charge_coarse[name] = coarse
    core = frozenset(charge_normalise(charge) for charge in raw["core"])
    if missing := sorted(core - charge_coarse.keys()):
        raise TaxonomyError(f"core charges not in the accusation mapping: {missing}")
    rules: list[RuleGroup] = []
    for group in raw["rules"]:
        where = f"rule group {group['id']!r}"
        if group["coarse"] not in codes:
            raise TaxonomyError(f"{where}: unknown coarse category {group['coarse']!r}")
        _check_offence(group["offence"], coarse=group["coarse"], known=offence_codes, where=where)
        _claim(offence_coarse, offence=group["offence"], coarse=group["coarse"], where=where)
        phrases = tuple((str(phrase), float(weight)) for phrase, weight in group["phrases"].items())
        for phrase, _weight in phrases:
            if unknown_lists := sorted(set(_WORD_LIST.findall(phrase)) - raw["priority"]["cues"].keys()):
                raise TaxonomyError(f"{where}: phrase {phrase!r} names unknown word lists {unknown_lists}")
        rules.append(RuleGroup(id=group["id"], offence=group["offence"], coarse=group["coarse"], phrases=phrases,
                               lead=bool(group.get("lead", False))))
    core_offences = frozenset(raw["core_offences"])
    if unknown := sorted(core_offences - offence_codes):
        raise TaxonomyError(f"unknown core offence categories: {unknown}")
    if missing := sorted({charge_offence[charge] or OTHER for charge in core} - core_offences):
        raise TaxonomyError(f"offence categories of core charges missing from core_offences: {missing}")
    priority = raw["priority"]
    if unknown := sorted(set(priority["offence_weights"]) - offence_codes):
        raise TaxonomyError(f"priority weights for unknown offence categories: {unknown}")
    return Taxonomy(
        coarse_categories=categories,
        charge_offence=MappingProxyType(charge_offence),
        charge_coarse=MappingProxyType(charge_coarse),
        core_charges=core,
        core_offences=core_offences,
        offence_coarse=MappingProxyType(offence_coarse),
        offence_codes=offence_codes,
        offence_names=MappingProxyType(dict(offence_names)),
        rules=tuple(rules),
        rule_threshold=float(raw["rule_threshold"]),
        offence_weights=MappingProxyType({k: float(v) for k, v in priority["offence_weights"].items()}),
        cues=MappingProxyType({k: tuple(v) for k, v in priority["cues"].items()}),
    )


@cache
def taxonomy_load(path: Path = DATA) -> Taxonomy:
    """The taxonomy from `path` (the shipped file by default), read and checked once per process."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    return taxonomy_parse(raw, offence_names=_offence_names())

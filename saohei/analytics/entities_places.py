"""Places in Chinese texts: administrative divisions matched to the jurisdiction tree, towns and villages as free
places. Part of entities.py, kept apart to keep each module small.

Why: a clue's places decide which office handles it and which clues are near each other, so a place that is a
jurisdiction carries its code. The tree comes in as plain rows (code, name, parent code) so the Django layer
passes the real `Jurisdiction` table and tests pass a handful of rows. Full names always match (江汉区); short
names (武汉, 湖北) match for provinces and prefectures anywhere, but for counties only right after their parent
(武汉江汉): 江汉, 朝阳 or 和平 alone are too often something else. A written chain (湖北省武汉市江汉区) is one place
with the code of its deepest part; a name that several divisions share is resolved by the chain, then by the
jurisdiction of the record (`hint`), and otherwise left without a code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Suffixes stripped to make short names, longest first.
_ETHNIC_AUTONOMY = re.compile(r"(?:[\u4e00-\u9fff]{1,5}?族)+自治(?:州|县|旗)$|自治(?:区|州|县|旗)$")
_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "林区", "地区", "新区",
             "省", "市", "盟", "县", "区", "旗")
# Short names that are everyday words more often than places.
_ORDINARY_WORDS = frozenset({"安康", "大同", "长治", "白银", "普洱", "阿里", "中山", "和平", "新华", "长安", "开发",
                             "城关", "城中", "城东", "城西", "城南", "城北", "市中", "郊区", "矿区", "高新", "经开",
                             "南京路", "东方", "永安", "太平", "通化", "吉安", "信用", "红旗", "胜利", "向阳", "光明"})
_FREE_SUFFIXES = ("街道", "社区", "镇", "乡", "村", "屯", "寨", "县", "区", "市")
_DIVISION_SUFFIXES = frozenset({"县", "区", "市"})
_LEADING_NOISE = frozenset("至在到于从往去经由向赴回镇乡村区县市省的了和与及")
_NOT_A_PLACE_NAME = re.compile(r"^[本该全邻同外各我此这那其农城乡村镇市县区山辖小地景园片郊都省每某一个两几多]$|"
                               r"^(?:农|城|乡|山|辖|小|地|景|园|片|郊)$")
_GENERIC_PLACES = frozenset({"农村", "乡村", "城乡", "城镇", "乡镇", "村镇", "市区", "城区", "郊区", "山区", "辖区",
                             "小区", "地区", "景区", "园区", "片区", "县城", "城市", "都市", "市县", "街道", "社区",
                             "新区", "老区", "灾区", "牧区", "矿区", "村村", "县区", "本村", "该村", "全村", "本镇",
                             "该镇", "全镇", "本市", "该市", "全市", "本县", "该县", "全县", "本区", "该区", "全区",
                             "我市", "我县", "我区", "我镇", "我村", "各村", "邻村", "同村", "外村", "各镇", "各区",
                             "闹市", "超市", "门市", "股市", "楼市", "夜市", "集市", "城中村", "省市", "县市"})
_GENERIC_ENDINGS = ("城市", "都市", "地区", "城区", "市区", "小区", "景区", "园区", "片区", "山区", "辖区", "郊区",
                    "农村", "乡村", "城乡", "城镇", "乡镇", "村镇", "县城", "灾区", "矿区", "牧区", "超市", "集市",
                    "夜市")
_PLACE_TOKEN_FLAGS = frozenset({"ns", "nr", "nrfg", "nrt", "nz", "n", "j", "zg", "nt", "x", "eng", "m"})
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")
_NATIONAL_NAMES = frozenset({"全国", "中国", "中华人民共和国", "国家"})  # the root of the tree is not written in a path


@dataclass(frozen=True)
class Token:
    """A jieba token of the folded text with its part of speech and its span."""

    word: str
    flag: str
    start: int
    end: int


@dataclass(frozen=True)
class Division:
    """One node of the jurisdiction tree."""

    code: str
    name: str
    parent: str | None


@dataclass(frozen=True)
class PlaceSpan:
    """A place found in the folded text; `code` is empty for a free place or an unresolved shared name."""

    start: int
    end: int
    value: str
    code: str
    form: str  # "division", "ambiguous", "free", "anonymised"


def _short_name(name: str) -> str:
    stripped = _ETHNIC_AUTONOMY.sub("", name)
    if stripped == name:
        for suffix in _SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix):
                stripped = name[: -len(suffix)]
                break
    return stripped if len(stripped) >= 2 and stripped != name else ""


class Gazetteer:
    """The jurisdiction tree as a name index: full and short names to codes, with parents for chains."""

    def __init__(self, rows: Iterable[tuple[str, str, str | None]]) -> None:
        self.divisions: dict[str, Division] = {}
        for code, name, parent in rows:
            self.divisions[str(code)] = Division(str(code), name.strip(), str(parent) if parent else None)
        has_children = {d.parent for d in self.divisions.values() if d.parent}
        self._full: dict[str, set[str]] = {}
        self._short_anywhere: dict[str, set[str]] = {}
        self._short_in_chain: dict[str, set[str]] = {}
        for division in self.divisions.values():
            self._full.setdefault(division.name, set()).add(division.code)
            short = _short_name(division.name)
            if short and short not in _ORDINARY_WORDS:
                index = self._short_anywhere if division.code in has_children else self._short_in_chain
                index.setdefault(short, set()).add(division.code)
        names = [*self._full, *self._short_anywhere, *self._short_in_chain]
        self._longest = max((len(name) for name in names), default=0)

    def ancestors(self, code: str) -> list[str]:
        """The codes above `code`, nearest first."""
        chain, seen = [], {code}
        parent = self.divisions[code].parent if code in self.divisions else None
        while parent and parent in self.divisions and parent not in seen:
            chain.append(parent)
            seen.add(parent)
            parent = self.divisions[parent].parent
        return chain

    def path_name(self, code: str) -> str:
        """湖北省武汉市江汉区: the full written form of a division, for display and as a normalised value."""
        names = [self.divisions[c].name for c in reversed(self.ancestors(code))
                 if self.divisions[c].name not in _NATIONAL_NAMES]
        return "".join([*names, self.divisions[code].name])

    def _candidates_at(self, folded: str, start: int, *, after: set[str] | None) -> tuple[int, set[str], bool]:
        """The longest name starting at `start`: (end, codes, whether it is a short name); (start, ∅, False) if none."""
        for length in range(min(self._longest, len(folded) - start), 1, -1):
            word = folded[start:start + length]
            if word in self._full:
                return start + length, set(self._full[word]), False
            codes = set(self._short_anywhere.get(word, ()))
            if after:
                codes |= self._short_in_chain.get(word, set())
            if codes:
                return start + length, codes, True
        return start, set(), False

    def _narrowed(self, codes: set[str], *, parents: set[str]) -> set[str]:
        return {code for code in codes if parents & set(self.ancestors(code))}

    def _resolve(self, codes: set[str], hint: str | None) -> str:
        if len(codes) == 1:
            return next(iter(codes))
        if hint and hint in self.divisions:
            related = {hint, *self.ancestors(hint)}
            near = {code for code in codes if code in related or hint in self.ancestors(code)}
            if len(near) == 1:
                return next(iter(near))
        return ""

    def find(self, folded: str, *, boundaries: set[int], hint: str | None = None) -> list[PlaceSpan]:
        """Divisions named in `folded`; a chain of names written one after another is one place.

        `boundaries` are the token boundaries of the text: a short name must start and end on one, so 武汉 is
        found in 武汉的 but 安康 is not found in 祝您安康 (and ordinary words are never short names anyway).
        """
        found: list[PlaceSpan] = []
        position = 0
        while position < len(folded):
            end, codes, short = self._candidates_at(folded, position, after=None)
            if not codes or (short and not {position, end} <= boundaries):
                position += 1
                continue
            chain_start = position
            while True:
                next_end, next_codes, next_short = self._candidates_at(folded, end, after=codes)
                narrowed = self._narrowed(next_codes, parents=codes)
                if not narrowed or (next_short and next_end not in boundaries):
                    break
                end, codes = next_end, narrowed
            code = self._resolve(codes, hint)
            value = self.path_name(code) if code else folded[chain_start:end]
            found.append(PlaceSpan(chain_start, end, value, code, "division" if code else "ambiguous"))
            position = end
        return found


def _token_at(tokens: Sequence[Token], index: int) -> Token | None:
    return tokens[index] if 0 <= index < len(tokens) else None


def free_places_find(folded: str, tokens: Sequence[Token]) -> list[PlaceSpan]:
    """Towns, villages, streets and communities not in the tree: 城关镇, 李家村, 某某镇 (anonymised)."""
    found: list[PlaceSpan] = []
    for index, token in enumerate(tokens):
        suffix = next((s for s in _FREE_SUFFIXES if token.word.endswith(s)), None)
        if suffix is None:
            continue
        if len(token.word) > len(suffix):
            start, name = token.start, token.word
            while token.flag == "x" and len(name) > 3 and name[0] in _LEADING_NOISE:
                start, name = start + 1, name[1:]  # 至金塘镇, 镇鲁岗镇: jieba glued a word's last character on
            if token.flag not in ("ns", "nt", "n", "nz", "j", "zg", "nr", "nrfg") and len(token.word) < 3:
                continue
        else:
            previous = _token_at(tokens, index - 1)
            if previous is None or previous.end != token.start:
                continue
            if previous.flag not in _PLACE_TOKEN_FLAGS and previous.word != "某某":
                continue
            if not (_HAN.match(previous.word) or previous.word == "某某") or len(previous.word) > 4:
                continue
            start, name = previous.start, previous.word + token.word
        prefix = name[: -len(suffix)]
        if name.endswith(_GENERIC_ENDINGS) or (suffix in ("社区", "街道") and prefix[-1] in "省市县区"):
            continue  # 文明城市, 贫困山区
        if name in _GENERIC_PLACES or _NOT_A_PLACE_NAME.match(prefix) or not _HAN.match(name):
            continue
        in_chain = bool(found) and found[-1].end == start and found[-1].value.endswith(("省", "市"))
        if suffix in _DIVISION_SUFFIXES and (len(prefix) < 2 or not (token.flag == "ns" or in_chain)):
            continue  # 禁区, 开发区, 西区: a county or city word is a place when jieba knows it or after its city
        if len(prefix) < 2 and (token.flag != "ns" or prefix in "东西南北中新老上下前后大小"):
            continue
        form = "anonymised" if prefix.startswith("某") else "free"
        found.append(PlaceSpan(start, token.end, name, "", form))
    return found

"""Normalisation of report, clue and case texts before they are compared.

Why: the same matter comes back in Simplified and Traditional script, typed with full-width letters, with spaces
between characters to dodge filters, and scraped reports carry advertising ([ad_1], a brand such as "Sky bet"
injected in place of a word throughout the text) and portal formulas (举报人承诺…, 此致敬礼). Compared raw, two
copies of one report look different and two unrelated reports look alike. `text_normalise` removes those
differences; what it takes out is never dropped silently but returned in `set_aside`, so the analyst can see it.

Steps: NFKC (full-width forms, compatibility characters) → Traditional → Simplified (opencc t2s) → punctuation
unified to ASCII forms → lower-case Latin → advertising and boilerplate set aside → whitespace unified (spaces next
to Chinese characters removed, other runs become one space).

The advertising phrases are the project's one list, saohei/intake/data/spam_phrases.txt (the intake spam flags use
it too); the portal formulas are saohei/analytics/data/report_boilerplate.txt.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import opencc

AD_PLACEHOLDER = "ad-placeholder"
INJECTED_BRAND = "injected-brand"
BOILERPLATE = "boilerplate"
LINK = "link"

SPAM_PHRASES_FILE = Path(__file__).resolve().parents[1] / "intake" / "data" / "spam_phrases.txt"
BOILERPLATE_FILE = Path(__file__).resolve().parent / "data" / "report_boilerplate.txt"

BRAND_REPEATS = 3  # a listed advertising phrase this many times was injected through the text (as intake/spam.py)
LINKS_MANY = 5  # this many links: a link-stuffed text whose links are advertising, not the matter reported


@dataclass(frozen=True)
class SetAside:
    """A snippet taken out of the text used for matching: why (`kind`), what (as normalised), and how often."""

    kind: str
    snippet: str
    count: int


@dataclass(frozen=True)
class NormalisedText:
    """The text used for matching, and everything that was set aside from it."""

    text: str
    set_aside: tuple[SetAside, ...]

    def set_aside_kinds(self) -> frozenset[str]:
        """The kinds of material set aside, e.g. to flag a report as carrying advertising."""
        return frozenset(item.kind for item in self.set_aside)


_PUNCTUATION = {
    "。": ".", "｡": ".", "、": ",", "，": ",", "；": ";", "：": ":", "？": "?", "！": "!",
    "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "「": '"', "」": '"', "『": '"', "』": '"',
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "`": "'",
    "【": "[", "】": "]", "〔": "[", "〕": "]", "〖": "[", "〗": "]", "［": "[", "］": "]",
    "《": "<", "》": ">", "〈": "<", "〉": ">",
    "（": "(", "）": ")", "—": "-", "–": "-", "―": "-", "－": "-", "～": "~", "〜": "~",
    "・": "·", "•": "·", "‧": "·",
} | {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)} | {"\u3000": " "}
_PUNCTUATION_RE = re.compile("[" + "".join(re.escape(ch) for ch in _PUNCTUATION) + "]")
_CJK = r"\u2e80-\u2fff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_SPACES = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
_REPEATED_PUNCTUATION = re.compile(r"([,.!?;:~\-])\1+")
_AD_PLACEHOLDER = re.compile(r"\[\s*(?:ad|ads|advert|adsense|advertisement)[\s_-]*\d*\s*\]")
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"',]+"
    r"|\b[a-z0-9][a-z0-9-]{0,62}(?:\.[a-z0-9-]{1,63})*\.(?:com|net|org|cn|cc|vip|top|xyz|io|info|biz|me|app|bet|"
    r"casino|club|site|online|shop|win|tv|hk|tw|mo)\b(?:/[^\s<>\"',]*)?"
)


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _phrase_pattern(phrase: str) -> str:
    """A listed phrase as found in whitespace-unified text: its Latin words with or without one space between them
    (sky bet, skybet), its Chinese characters together (spaces next to them are gone); whole Latin words only."""
    body = " ?".join(re.escape(word) for word in phrase.lower().split())
    if phrase[0].isascii() and phrase[0].isalnum():
        body = r"(?<![a-z0-9])" + body
    if phrase[-1].isascii() and phrase[-1].isalnum():
        body += r"(?![a-z0-9])"
    return body


@dataclass(frozen=True)
class _SpamPhrases:
    patterns: tuple[str, ...]  # one per listed phrase
    combined: re.Pattern[str]  # all of them, phrase i in group i + 1: one pass over the text
    clues: tuple[str, ...]  # the longest word of each phrase: a text with none of them has no phrase at all


@cache
def _spam_phrases() -> _SpamPhrases | None:
    lines = SPAM_PHRASES_FILE.read_text(encoding="utf-8").splitlines() if SPAM_PHRASES_FILE.exists() else []
    phrases = [line.strip().lower() for line in lines if line.strip() and not line.startswith("#")]
    phrases = [phrase for phrase in phrases if not phrase.startswith("url:")]
    if not phrases:
        return None
    patterns = tuple(_phrase_pattern(phrase) for phrase in phrases)
    combined = re.compile("|".join(f"({pattern})" for pattern in patterns))
    clues = tuple(sorted({max(phrase.split(), key=len) for phrase in phrases}))
    return _SpamPhrases(patterns=patterns, combined=combined, clues=clues)


def _injected_phrases(text: str, *, had_placeholder: bool) -> re.Pattern[str] | None:
    """The listed phrases injected into `text`, as one pattern, or None when there are none."""
    phrases = _spam_phrases()
    if phrases is None or not any(clue in text for clue in phrases.clues):
        return None
    patterns, combined = phrases.patterns, phrases.combined
    counts = Counter(match.lastindex for match in combined.finditer(text))
    injected = [patterns[index - 1] for index, count in counts.items()
                if index is not None and (count >= BRAND_REPEATS or had_placeholder)]
    return re.compile("|".join(injected)) if injected else None


@cache
def _boilerplate() -> re.Pattern[str]:
    """All portal formulas as one pattern: one pass over the text."""
    lines = BOILERPLATE_FILE.read_text(encoding="utf-8").splitlines()
    patterns = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


def _punctuation_unified(match: re.Match[str]) -> str:
    return _PUNCTUATION[match.group(0)]


def _characters_unified(text: str) -> str:
    """NFKC, Simplified script, ASCII punctuation, lower case; invisible format characters (zero-width) removed."""
    text = _PUNCTUATION_RE.sub(_punctuation_unified, text)  # full-width forms first: then NFKC is mostly a no-op
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = _t2s().convert(_INVISIBLE.sub("", text)).lower()
    return _REPEATED_PUNCTUATION.sub(r"\1", text)


def _space_or_nothing(match: re.Match[str]) -> str:
    """Whitespace next to a Chinese character means nothing (黑 社 会 is 黑社会); elsewhere it is one space."""
    text, start, end = match.string, match.start(), match.end()
    if (start > 0 and _CJK_CHAR.match(text, start - 1)) or (end < len(text) and _CJK_CHAR.match(text, end)):
        return ""
    return " "


def _whitespace_unified(text: str) -> str:
    return _SPACES.sub(_space_or_nothing, text).strip()


class _Aside:
    """Collects what is taken out, in order of first appearance, counting repeats of the same snippet."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()

    def take(self, pattern: re.Pattern[str], text: str, *, kind: str) -> str:
        def replace(match: re.Match[str]) -> str:
            snippet = _whitespace_unified(match.group(0))
            if snippet:
                self.counts[(kind, snippet)] += 1
            return " "

        return pattern.sub(replace, text)

    def items(self) -> tuple[SetAside, ...]:
        return tuple(SetAside(kind, snippet, count) for (kind, snippet), count in self.counts.items())


def text_normalise(text: str) -> NormalisedText:
    """The text to compare, with advertising and portal boilerplate set aside (and listed) rather than dropped.

    A listed advertising phrase is set aside when it is injected through the text (`BRAND_REPEATS` times) or sits
    next to an advertising placeholder; a single mention otherwise stays, since a report may name the gambling
    platform it reports. Links are set aside only from texts that carry advertising or are stuffed with links:
    in a plain report the link is usually the site being reported.
    """
    unified = _whitespace_unified(_characters_unified(text))
    aside = _Aside()
    had_placeholder = bool(_AD_PLACEHOLDER.search(unified))
    working = aside.take(_AD_PLACEHOLDER, unified, kind=AD_PLACEHOLDER) if had_placeholder else unified
    injected = _injected_phrases(working, had_placeholder=had_placeholder)
    if injected is not None:
        working = aside.take(injected, working, kind=INJECTED_BRAND)
    if had_placeholder or injected is not None or len(_URL.findall(working)) >= LINKS_MANY:
        working = aside.take(_URL, working, kind=LINK)
    if aside.counts:
        working = _whitespace_unified(working)
    working = aside.take(_boilerplate(), working, kind=BOILERPLATE)
    return NormalisedText(text=_whitespace_unified(working) if aside.counts else working, set_aside=aside.items())

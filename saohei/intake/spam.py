"""Spam flags for portal reports: hints for the triage analyst, never a reason to drop a report.

`spam_flags(text)` returns short codes (stored in Report.spam_flags); `SPAM_FLAG_LABELS` names them
for people. The checks are deliberately specific: a real report may talk about casinos, loans or
gambling sites (those are the crimes reported), so words alone never flag — advertising patterns do.
The phrase list is data: saohei/intake/data/spam_phrases.txt.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

DATA = Path(__file__).resolve().parent / "data" / "spam_phrases.txt"

AD_PLACEHOLDER = "ad-placeholder"
SPAM_PHRASE = "spam-phrase"
INJECTED_BRAND = "injected-brand"
SPAM_LINK = "gambling-or-loan-link"
LINK_DENSITY = "link-density"
REPEATED_LINES = "repeated-lines"
LATIN_GIBBERISH = "latin-gibberish"

SPAM_FLAG_LABELS = {
    AD_PLACEHOLDER: _("Advertising placeholder such as [ad_1]"),
    SPAM_PHRASE: _("Known advertising phrase"),
    INJECTED_BRAND: _("A brand name repeated through the text"),
    SPAM_LINK: _("Link to a gambling or loan site"),
    LINK_DENSITY: _("Mostly links"),
    REPEATED_LINES: _("The same lines repeated many times"),
    LATIN_GIBBERISH: _("Random Latin letters in a Chinese text"),
}

_AD_PLACEHOLDER = re.compile(r"\[\s*(?:ad|ads|advert|adsense|advertisement)[\s_-]*\d*\s*\]", re.IGNORECASE)
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'，。）)】]+"
    r"|\b[a-z0-9][a-z0-9-]{0,62}(?:\.[a-z0-9-]{1,63})*\.(?:com|net|org|cn|cc|vip|top|xyz|io|info|biz|me|app|bet|"
    r"casino|club|site|online|shop|win|tv|hk|tw|mo)\b(?:/[^\s<>\"'，。）)】]*)?",
    re.IGNORECASE,
)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_VOWELS = set("aeiouyAEIOUY")
_CONSONANT_RUN = re.compile(r"[b-df-hj-np-tv-xzB-DF-HJ-NP-TV-XZ]{5,}")

BRAND_REPEATS = 3  # a listed phrase this many times reads as a brand injected through the text
MIN_REPEATED_LINE = 8  # characters: shorter lines (dates, "分享到:") repeat innocently
LINE_REPEATS = 4  # the same line this many times
LINKS_MANY = 5  # this many links in one report
LINK_SHARE = 0.4  # or links making up this share of the text, with at least two links
GIBBERISH_WORDS = 3  # random-looking Latin words in a mostly Chinese text
MIN_CHINESE = 10  # Chinese characters before a text counts as Chinese


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    """Words of a phrase with any spacing between them (and inside Chinese ones), whole words only."""
    parts: list[str] = []
    for word in phrase.lower().split():
        parts.extend([word] if word.isascii() else list(word))
    body = r"\s*".join(re.escape(part) for part in parts)
    if phrase[0].isascii() and phrase[0].isalnum():
        body = r"(?<![a-z0-9])" + body
    if phrase[-1].isascii() and phrase[-1].isalnum():
        body += r"(?![a-z0-9])"
    return re.compile(body, re.IGNORECASE)


@cache
def _lists() -> tuple[tuple[re.Pattern[str], ...], tuple[str, ...]]:
    phrases: list[re.Pattern[str]] = []
    url_words: list[str] = []
    for raw in DATA.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("url:"):
            url_words.append(line[4:].strip().lower())
        else:
            phrases.append(_phrase_pattern(line))
    return tuple(phrases), tuple(url_words)


def _phrase_counts(text: str) -> list[int]:
    phrases, _urls = _lists()
    return [count for pattern in phrases if (count := len(pattern.findall(text)))]


def _is_gibberish(word: str) -> bool:
    if len(word) < 5:
        return False
    vowels = sum(1 for ch in word if ch in _VOWELS)
    return vowels == 0 or vowels / len(word) < 0.15 or bool(_CONSONANT_RUN.search(word))


def _repeated_lines(text: str) -> bool:
    lines = [re.sub(r"\s+", " ", line).strip() for line in text.splitlines()]
    counts = Counter(line for line in lines if len(line) >= MIN_REPEATED_LINE)
    return any(count >= LINE_REPEATS for count in counts.values())


def spam_flags(text: str) -> list[str]:
    """Codes of the spam patterns found in `text`, in a fixed order; empty for an ordinary report."""
    if not text:
        return []
    flags: list[str] = []
    if _AD_PLACEHOLDER.search(text):
        flags.append(AD_PLACEHOLDER)
    counts = _phrase_counts(text)
    if counts:
        flags.append(SPAM_PHRASE)
        if max(counts) >= BRAND_REPEATS:
            flags.append(INJECTED_BRAND)
    links = [match.group(0) for match in _URL.finditer(text)]
    _phrases, url_words = _lists()
    if any(word in link.lower() for link in links for word in url_words):
        flags.append(SPAM_LINK)
    visible = len(re.sub(r"\s+", "", text)) or 1
    if len(links) >= LINKS_MANY or (len(links) >= 2 and sum(len(link) for link in links) / visible >= LINK_SHARE):
        flags.append(LINK_DENSITY)
    if _repeated_lines(text):
        flags.append(REPEATED_LINES)
    cjk = len(_CJK.findall(text))
    latin_words = _LATIN_WORD.findall(_URL.sub(" ", text))
    gibberish = [word for word in latin_words if _is_gibberish(word)]
    readable_latin = sum(len(word) for word in latin_words) - sum(len(word) for word in gibberish)
    if cjk >= MIN_CHINESE and cjk >= readable_latin and len(gibberish) >= GIBBERISH_WORDS:
        flags.append(LATIN_GIBBERISH)
    return flags

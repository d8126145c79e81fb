"""Repeat reports (重复举报): which stored reports tell the same matter as a new one, and why.

Why this design (measured with benchmarks/repeats_bench.py on generated streams; see its module docstring):
- Text is compared on shingles of the normalised text (saohei.analytics.text): 4-character shingles inside runs of
  Chinese characters and pairs of consecutive Latin words or numbers, so Simplified, Traditional and full-width
  copies are one text and an English report is compared on its words (3-character and word-triple shingles both
  found fewer repeats at the same share of false candidates).
- Shingles are weighted by rarity. Tips about one offence share much wording (开设赌场, 保护伞, 涉黑涉恶), so plain
  Jaccard found an unrelated tip on the same offence in the same town as similar as a reworded repeat. A shingle
  weighs ln(COMMON_SHARE / share of reports containing it), at least one step of 1 / WEIGHT_STEPS, the shares
  fitted once from the office's own reports (`shingle_weights_fit`); shingles with Latin words are counted among
  the reports with Latin words, so the stock phrases of English tips are common too. Similarity is the weighted
  Jaccard sum(min)/sum(max) of the shingles.
- The sketch of a report is SAMPLES bins of one-permutation hashing over the shingles repeated by weight
  (`weighted_samples`): one hash per element, a few hundred microseconds per report, where MinHash or consistent
  weighted sampling with 256 hash functions took milliseconds.
- Candidates come from BANDS LSH bands of BAND_ROWS bins each, kept as sorted numpy arrays (8 bytes per band and
  report) plus a dictionary for recent additions: a stored report must share MIN_BAND_HITS bands with the query
  before its similarity is estimated from the bins, and must reach THRESHOLD to be shown for its text.
- A shared strong identifier (phone, ID number, plate, bank account, company) makes a candidate by itself, whatever
  the wording: two reporters tell one matter in their own words but cite the same phone.

Everything here is pure: the Django layer stores `Signature.to_bytes()` per report and rebuilds the index from
those bytes (`RepeatIndex.build`) without reading texts again.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
import struct
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from saohei.analytics.identifiers import Identifier, identifiers_find
from saohei.analytics.text import text_normalise

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]

CJK_SHINGLE = 4  # characters per shingle inside a run of Chinese characters
LATIN_SHINGLE = 2  # words (or numbers) per shingle in Latin text
SAMPLES = 256  # weighted samples per signature
BAND_ROWS = 2  # samples per LSH band
BANDS = 128  # LSH bands (at most SAMPLES / BAND_ROWS)
MIN_BAND_HITS = 2  # bands a stored report must share with the query before its similarity is estimated
# Estimated weighted Jaccard from which two reports are shown as repeats, with fitted weights; the workbench's index
# uses it too (repeat_store). Measured by benchmarks/repeats_bench.py (RESULTS.md, "Repeat reports", seed 11): recall
# 0.982 with 0.53 % false candidates at 100,000 stored reports, 0.983 with 2.0 % at 1,000,000.
THRESHOLD = 0.30
UNWEIGHTED_THRESHOLD = 0.50  # the same without fitted weights: shared stock wording then counts in full
COMMON_SHARE = math.exp(-4)  # shingles in more than this share of reports (~1.8 %) weigh only one step
WEIGHT_STEPS = 4  # weights are counted in steps of 1 / WEIGHT_STEPS (the sketch repeats a shingle per step)
IDENTIFIER_BONUS = 0.25  # ranking: one shared identifier counts as this much similarity (at most two count)
IDENTIFIER_POSTINGS_MAX = 2000  # an identifier in more reports than this (a hotline) ranks by newest reports only

SIMILAR_TEXT = "similar-text"
REASON_OF_KIND = {"phone": "same-phone", "id_number": "same-id-number", "plate": "same-plate",
                  "bank_account": "same-bank-account", "company": "same-company"}

_LATIN_WORD = re.compile(r"[a-z0-9]+")
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_LATIN_TAG = np.uint64(0x5A5A5A5A00000000)
_LATIN_BIT = np.uint64(1)  # set in the hash of a shingle with Latin words: its rarity counts among Latin texts
_SIGNATURE_VERSION = 1
_BUILD_CHUNK = 50_000


def _mix(values: U64) -> U64:
    """splitmix64 finaliser: spreads any 64-bit input over all 64 bits (numpy wraps the products)."""
    z = values ^ (values >> np.uint64(30))
    z = z * _M1
    z = z ^ (z >> np.uint64(27))
    z = z * _M2
    return z ^ (z >> np.uint64(31))


def _polynomial_hashes(codes: U64, width: int) -> U64:
    """Hash of every window of `width` consecutive values (polynomial in a 64-bit ring, then mixed)."""
    count = len(codes) - width + 1
    hashed = codes[:count].copy()
    for offset in range(1, width):
        hashed = hashed * _GOLDEN + codes[offset:offset + count]
    return _mix(hashed)


def shingles(normalised: str) -> U64:
    """Sorted unique 64-bit hashes of the shingles of an already normalised text (see module docstring); the lowest
    bit tells shingles with Latin words (1) from Chinese and number shingles (0)."""
    parts: list[U64] = []
    codes = np.frombuffer(normalised.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(codes) >= CJK_SHINGLE:
        not_cjk = ~(((codes >= 0x4E00) & (codes <= 0x9FFF)) | ((codes >= 0x3400) & (codes <= 0x4DBF))
                    | ((codes >= 0xF900) & (codes <= 0xFAFF)))
        outside = np.concatenate([[0], np.cumsum(not_cjk)])
        window_all_cjk = outside[CJK_SHINGLE:] == outside[:-CJK_SHINGLE]
        parts.append(_polynomial_hashes(codes, CJK_SHINGLE)[window_all_cjk] & ~_LATIN_BIT)
    words = _LATIN_WORD.findall(normalised)
    if words:
        word_hashes = np.array([zlib.crc32(word.encode()) for word in words], dtype=np.uint64) | _LATIN_TAG
        width = min(LATIN_SHINGLE, len(words))
        hashed = _polynomial_hashes(word_hashes, width) & ~_LATIN_BIT
        has_letters = np.array([not word.isdigit() for word in words], dtype=np.int64)
        letter_shingles = np.convolve(has_letters, np.ones(width, dtype=np.int64), mode="valid") > 0
        parts.append(hashed | (letter_shingles.astype(np.uint64) * _LATIN_BIT))
    if not parts:
        return np.zeros(0, dtype=np.uint64)
    return np.unique(np.concatenate(parts))


@dataclass(frozen=True, eq=False)
class ShingleWeights:
    """How many of `reports` fitted reports contain each shingle that is not rare (`hashes` sorted, `counts`), and
    how many of them contain Latin words (`latin_reports`).

    The rarity of a shingle with Latin words is counted among the reports with Latin words: English tips are a small
    share of the stream, and their common wording ("I want to report", "the villagers") would otherwise look rare.
    Fitted once from a sample of the office's reports and stored with the index; signatures made with other weights
    are refused by the index (their `weights_id` differs), because their similarities would not be comparable.
    """

    reports: int
    latin_reports: int
    hashes: U64
    counts: U32

    @cached_property
    def weights_id(self) -> int:
        digest = hashlib.blake2b(self.hashes.tobytes() + self.counts.tobytes(), digest_size=8,
                                 key=struct.pack("<qq", self.reports, self.latin_reports)).digest()
        return int.from_bytes(digest, "little") >> 1

    def of(self, hashes: U64) -> npt.NDArray[np.int64]:
        """Weight of each shingle in steps of 1 / WEIGHT_STEPS: ln(COMMON_SHARE / share of reports containing it),
        rounded, and one step for shingles in more than COMMON_SHARE of reports (so that texts made only of common
        wording still compare, and weigh little against any specific fact)."""
        counts = np.full(len(hashes), 0.5)  # never seen in the fitted sample: rarer than anything seen
        if len(self.hashes):
            positions = np.minimum(np.searchsorted(self.hashes, hashes), len(self.hashes) - 1)
            found = self.hashes[positions] == hashes
            counts[found] = self.counts[positions[found]]
        population = np.where((hashes & _LATIN_BIT).astype(bool), self.latin_reports, self.reports)
        idf_above_common = np.log(np.maximum(COMMON_SHARE * population, 1e-9) / counts)
        return np.maximum(np.rint(idf_above_common * WEIGHT_STEPS), 1).astype(np.int64)

    def to_bytes(self) -> bytes:
        header = struct.pack("<qqq", self.reports, self.latin_reports, len(self.hashes))
        return header + self.hashes.tobytes() + self.counts.tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> ShingleWeights:
        reports, latin_reports, size = struct.unpack_from("<qqq", data)
        hashes = np.frombuffer(data, dtype=np.uint64, count=size, offset=24).copy()
        counts = np.frombuffer(data, dtype=np.uint32, count=size, offset=24 + 8 * size).copy()
        return cls(reports=reports, latin_reports=latin_reports, hashes=hashes, counts=counts)


def shingle_weights_fit(texts: Iterable[str], *, min_count: int = 2) -> ShingleWeights:
    """Document frequencies of the shingles of `texts` (a sample of some 10,000–100,000 stored reports is enough).

    Shingles seen fewer than `min_count` times are not kept: they count as rare, which keeps the table small.
    """
    hashed = [shingles(text_normalise(text).text) for text in texts]
    if not hashed:
        return ShingleWeights(reports=0, latin_reports=0, hashes=np.zeros(0, np.uint64),
                              counts=np.zeros(0, np.uint32))
    latin_reports = sum(1 for item in hashed if (item & _LATIN_BIT).any())
    unique, counts = np.unique(np.concatenate(hashed), return_counts=True)
    kept = counts >= min_count
    return ShingleWeights(reports=len(hashed), latin_reports=latin_reports, hashes=unique[kept],
                          counts=counts[kept].astype(np.uint32))


_BIN_BITS = int(math.log2(SAMPLES))
_PROBES = 64  # densification: attempts per empty bin before giving up (a sketch of one element fills all bins)


def _probe_table() -> npt.NDArray[np.int64]:
    """For each bin, the fixed sequence of other bins an empty bin borrows from (the same for every text)."""
    seeds = np.arange(SAMPLES * _PROBES, dtype=np.uint64).reshape(SAMPLES, _PROBES) * _GOLDEN + np.uint64(7)
    return (_mix(seeds) >> np.uint64(64 - _BIN_BITS)).astype(np.int64)


_PROBE = _probe_table()
_EMPTY = np.uint32(0xFFFFFFFF)


def weighted_samples(hashes: U64, weights: npt.NDArray[np.int64]) -> U32:
    """A SAMPLES-bin sketch of the weighted shingle set: two texts agree on a bin with probability close to the
    weighted Jaccard similarity of their shingles.

    Why this way: a shingle of weight w stands for w elements (shingle, 1..w), so the plain Jaccard of the elements
    is the weighted Jaccard sum(min)/sum(max) of the shingles; one-permutation hashing then puts every element in one
    of SAMPLES bins by its hash and keeps each bin's minimum, with empty bins filled from other bins in a fixed
    order (optimal densification). One hash per element instead of one per element and sample: about 30 times
    faster than MinHash or consistent weighted sampling with 256 hash functions, at the same accuracy here.
    """
    weights = np.asarray(weights, dtype=np.int64)
    total = int(weights.sum())
    if total == 0:
        return np.full(SAMPLES, _EMPTY, dtype=np.uint32)
    levels = np.arange(total, dtype=np.uint64) - np.repeat((np.cumsum(weights) - weights).astype(np.uint64), weights)
    elements = np.sort(_mix(np.repeat(hashes, weights) ^ ((levels + np.uint64(1)) * _GOLDEN)))
    bins = (elements >> np.uint64(64 - _BIN_BITS)).astype(np.int64)
    first = np.flatnonzero(np.concatenate([[True], bins[1:] != bins[:-1]]))
    sketch = np.full(SAMPLES, _EMPTY, dtype=np.uint32)
    sketch[bins[first]] = ((elements[first] >> np.uint64(64 - _BIN_BITS - 32)) & np.uint64(0xFFFFFFFF)).astype(
        np.uint32)
    filled = np.zeros(SAMPLES, dtype=bool)
    filled[bins[first]] = True
    empty = np.flatnonzero(~filled)
    for attempt in range(_PROBES):
        if not len(empty):
            break
        donors = _PROBE[empty, attempt]
        found = filled[donors]
        sketch[empty[found]] = sketch[donors[found]] ^ np.uint32(attempt + 1)
        empty = empty[~found]
    return sketch


@dataclass(frozen=True, eq=False)
class Signature:
    """What the index needs of one report: its weighted samples, its strong identifiers, and the weights used."""

    samples: U32
    identifiers: tuple[tuple[str, str], ...]
    weights_id: int = 0

    def to_bytes(self) -> bytes:
        identifiers = "\n".join(f"{kind}\t{value}" for kind, value in self.identifiers).encode()
        header = struct.pack("<BHqI", _SIGNATURE_VERSION, len(self.samples), self.weights_id, len(identifiers))
        return header + self.samples.astype("<u4").tobytes() + identifiers

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        version, count, weights_id, identifiers_size = struct.unpack_from("<BHqI", data)
        if version != _SIGNATURE_VERSION:
            raise ValueError(f"signature version {version} is not {_SIGNATURE_VERSION}: sign the report again")
        offset = struct.calcsize("<BHqI")
        samples = np.frombuffer(data, dtype="<u4", count=count, offset=offset).astype(np.uint32)
        text = data[offset + 4 * count:offset + 4 * count + identifiers_size].decode()
        identifiers = tuple((kind, value) for kind, _tab, value in
                            (line.partition("\t") for line in text.split("\n") if line))
        return cls(samples=samples, identifiers=identifiers, weights_id=weights_id)


def signature_weights_id(data: bytes) -> int:
    """The `weights_id` of a signature stored with `Signature.to_bytes`, without decoding its samples."""
    _version, _count, weights_id, _identifiers_size = struct.unpack_from("<BHqI", data)
    return int(weights_id)


def report_signature(text: str, *, weights: ShingleWeights | None = None, normalised: str | None = None) -> Signature:
    """The signature of a report text: normalised, shingled, weighted by `weights` (equal weights if None).

    `normalised` is `text_normalise(text).text` when the caller has it already."""
    identifiers = tuple(dict.fromkeys((found.kind, found.value) for found in identifiers_find(text)))
    hashed = shingles(normalised if normalised is not None else text_normalise(text).text)
    return signature_from_shingles(hashed, weights=weights, identifiers=identifiers)


def signature_from_shingles(hashed: U64, *, weights: ShingleWeights | None,
                            identifiers: tuple[tuple[str, str], ...] = (),
                            shingle_weights: npt.NDArray[np.int64] | None = None) -> Signature:
    """The signature of already shingled text (`shingle_weights` when the caller has already looked them up)."""
    if shingle_weights is None:
        shingle_weights = weights.of(hashed) if weights is not None else np.ones(len(hashed), dtype=np.int64)
    return Signature(samples=weighted_samples(hashed, shingle_weights), identifiers=identifiers,
                     weights_id=weights.weights_id if weights is not None else 0)


def similarity(first: Signature, second: Signature) -> float:
    """Estimated weighted Jaccard similarity of the shingles of two reports (0..1)."""
    return float(np.mean(first.samples == second.samples))


@dataclass(frozen=True)
class Reason:
    """Why a stored report is shown: a code (similar-text, same-phone, …) and the value behind it."""

    code: str
    value: str


@dataclass(frozen=True)
class RepeatCandidate:
    """A stored report that may tell the same matter: its key, the estimated text similarity, and the reasons."""

    key: int
    similarity: float
    reasons: tuple[Reason, ...]

    @property
    def score(self) -> float:
        """Ranking: text similarity, raised by each shared identifier kind (at most two count)."""
        kinds = {reason.code for reason in self.reasons if reason.code != SIMILAR_TEXT}
        return self.similarity + IDENTIFIER_BONUS * min(len(kinds), 2)


def _identifier_hash(kind: str, value: str) -> int:
    return int.from_bytes(hashlib.blake2b(f"{kind}\t{value}".encode(), digest_size=8).digest(), "little")


class _Postings:
    """A multimap from 64-bit keys to row numbers: sorted arrays plus a dictionary of recent additions.

    Why: a Python dict of lists costs some 100 bytes per entry, too much for 128 bands × 1,000,000 reports; sorted
    numpy arrays cost 12 bytes and answer with binary searches. Additions go to the dictionary and are merged into
    the arrays when it grows past `merge_at` entries.
    """

    def __init__(self, *, merge_at: int = 200_000) -> None:
        self.keys: U64 = np.zeros(0, dtype=np.uint64)
        self.rows = np.zeros(0, dtype=np.int32)
        self.recent: dict[int, list[int]] = {}
        self.recent_size = 0
        self.merge_at = merge_at

    def bulk_load(self, keys: U64, rows: npt.NDArray[np.int32]) -> None:
        order = np.argsort(keys, kind="stable")
        self.keys, self.rows = keys[order], rows[order]
        self.recent, self.recent_size = {}, 0

    def add(self, keys: Iterable[int], row: int) -> None:
        for key in keys:
            self.recent.setdefault(key, []).append(row)
            self.recent_size += 1
        if self.recent_size >= self.merge_at:
            self.merge()

    def merge(self) -> None:
        if not self.recent_size:
            return
        new_keys = np.fromiter((key for key, rows in self.recent.items() for _ in rows), np.uint64, self.recent_size)
        new_rows = np.fromiter((row for rows in self.recent.values() for row in rows), np.int32, self.recent_size)
        self.bulk_load(np.concatenate([self.keys, new_keys]), np.concatenate([self.rows, new_rows]))

    def lookup(self, keys: U64) -> npt.NDArray[np.int32]:
        """All rows under any of `keys` (a row once per key it is under)."""
        starts = np.searchsorted(self.keys, keys, side="left")
        ends = np.searchsorted(self.keys, keys, side="right")
        found = [self.rows[start:end] for start, end in zip(starts.tolist(), ends.tolist(), strict=True) if end > start]
        if self.recent:
            found += [np.array(rows, dtype=np.int32) for key in keys.tolist() if (rows := self.recent.get(key))]
        return np.concatenate(found) if found else np.zeros(0, dtype=np.int32)

    def nbytes(self) -> int:
        return int(self.keys.nbytes + self.rows.nbytes) + 100 * self.recent_size


def _band_keys(samples: npt.NDArray[np.uint32], *, bands: int) -> U32:
    """One 32-bit key per band from the first `bands` × BAND_ROWS samples, for one signature (1-D) or many (2-D)."""
    grouped = samples[..., :bands * BAND_ROWS].reshape(*samples.shape[:-1], bands, BAND_ROWS).astype(np.uint64)
    key = np.zeros(grouped.shape[:-1], dtype=np.uint64)
    for row in range(BAND_ROWS):
        key = _mix(key ^ (grouped[..., row] << np.uint64(row % 2 * 32)))
    return (key >> np.uint64(32)).astype(np.uint32)


class _BandPostings:
    """Per LSH band, the band keys of all stored rows sorted (uint32) with their rows (int32): 8 bytes per band and
    report. Recent additions wait in a dictionary until `merge_at` of them are merged in by sorted insertion."""

    def __init__(self, *, bands: int, merge_at: int = 100_000) -> None:
        self.bands = bands
        self.keys = np.zeros((bands, 0), dtype=np.uint32)
        self.rows = np.zeros((bands, 0), dtype=np.int32)
        self.recent: dict[tuple[int, int], list[int]] = {}
        self.recent_rows: list[tuple[int, U32]] = []
        self.merge_at = merge_at

    def bulk_load(self, band_keys: U32) -> None:
        """Load `band_keys`, shape (bands, rows): the keys of stored rows 0, 1, … per band (sorted in place)."""
        self.rows = np.empty(band_keys.shape, dtype=np.int32)
        for band in range(self.bands):
            order = np.argsort(band_keys[band], kind="stable")
            band_keys[band] = band_keys[band][order]
            self.rows[band] = order
        self.keys = band_keys
        self.recent, self.recent_rows = {}, []

    def add(self, band_keys: U32, row: int) -> None:
        for band, key in enumerate(band_keys.tolist()):
            self.recent.setdefault((band, key), []).append(row)
        self.recent_rows.append((row, band_keys))
        if len(self.recent_rows) >= self.merge_at:
            self.merge()

    def merge(self) -> None:
        if not self.recent_rows:
            return
        new_rows = np.array([row for row, _keys in self.recent_rows], dtype=np.int32)
        new_keys = np.stack([keys for _row, keys in self.recent_rows])
        order = np.argsort(new_keys, axis=0, kind="stable").T
        sorted_keys = np.take_along_axis(new_keys.T, order, axis=1)
        merged_keys = np.empty((self.bands, self.keys.shape[1] + len(new_rows)), dtype=np.uint32)
        merged_rows = np.empty_like(merged_keys, dtype=np.int32)
        for band in range(self.bands):
            at = np.searchsorted(self.keys[band], sorted_keys[band], side="right")
            merged_keys[band] = np.insert(self.keys[band], at, sorted_keys[band])
            merged_rows[band] = np.insert(self.rows[band], at, new_rows[order[band]])
        self.keys, self.rows = merged_keys, merged_rows
        self.recent, self.recent_rows = {}, []

    def lookup(self, band_keys: U32) -> npt.NDArray[np.int32]:
        """Every stored row sharing a band key with `band_keys`, once per shared band."""
        found: list[npt.NDArray[np.int32]] = []
        probes = np.stack([band_keys, band_keys + np.uint32(1)], axis=1)  # [key, key + 1): the run of equal keys
        for band in range(self.bands):
            start, end = np.searchsorted(self.keys[band], probes[band]).tolist()
            if end > start:
                found.append(self.rows[band, start:end])
        if self.recent:
            found += [np.array(rows, dtype=np.int32) for band, key in enumerate(band_keys.tolist())
                      if (rows := self.recent.get((band, key)))]
        return np.concatenate(found) if found else np.zeros(0, dtype=np.int32)

    def nbytes(self) -> int:
        return int(self.keys.nbytes + self.rows.nbytes) + 150 * self.bands * len(self.recent_rows)


class RepeatIndex:
    """All stored reports' signatures, answering "which stored reports may repeat this one?" in milliseconds.

    Keys are the callers' report ids. Signatures must all be made with the shingle weights of `weights_id` (0: no
    weights); the threshold defaults to THRESHOLD with weights and UNWEIGHTED_THRESHOLD without. Samples are kept
    as their low 16 bits for the similarity estimate (two different samples agree on them by chance with
    probability 1/65,536: a bias of 0.00002), the full samples only in the band keys.
    """

    def __init__(self, *, weights_id: int = 0, threshold: float | None = None, bands: int = BANDS,
                 min_band_hits: int = MIN_BAND_HITS, capacity: int = 1024) -> None:
        if not 1 <= bands <= SAMPLES // BAND_ROWS:
            raise ValueError(f"bands must be 1..{SAMPLES // BAND_ROWS}")
        self.weights_id = weights_id
        self.threshold = threshold if threshold is not None else THRESHOLD if weights_id else UNWEIGHTED_THRESHOLD
        self.bands = bands
        self.min_band_hits = min_band_hits
        self._samples = np.zeros((capacity, SAMPLES), dtype=np.uint16)
        self._keys = np.zeros(capacity, dtype=np.int64)
        self._alive = np.zeros(capacity, dtype=bool)
        self._row_of_key: dict[int, int] = {}
        self._size = 0
        self._bands = _BandPostings(bands=bands)
        self._identifier_postings = _Postings(merge_at=50_000)
        self.last_candidates = 0  # stored reports whose similarity the last match estimated (for benchmarks)

    def __len__(self) -> int:
        return len(self._row_of_key)

    def __contains__(self, key: object) -> bool:
        return key in self._row_of_key

    @classmethod
    def build(cls, rows: Iterable[tuple[int, Signature]], *, weights_id: int = 0, threshold: float | None = None,
              bands: int = BANDS, min_band_hits: int = MIN_BAND_HITS, size_hint: int = 0) -> RepeatIndex:
        """An index of many (key, signature) rows at once: one sort per structure instead of incremental merges.

        `rows` are read in chunks and not kept (a database cursor's worth at a time: at 1,000,000 reports the
        signatures themselves would take over a GiB); `size_hint` (about how many rows) saves growing the arrays."""
        index = cls(weights_id=weights_id, threshold=threshold, bands=bands, min_band_hits=min_band_hits,
                    capacity=max(1024, size_hint))
        band_keys = np.empty((bands, len(index._keys)), dtype=np.uint32)
        identifier_keys: list[int] = []
        identifier_rows: list[int] = []
        count = 0
        pending = iter(rows)
        while chunk := list(itertools.islice(pending, _BUILD_CHUNK)):  # the band hashing of all rows at once: GiBs
            while count + len(chunk) > len(index._keys):
                index._grow()
            if len(index._keys) > band_keys.shape[1]:
                band_keys = np.concatenate([band_keys, np.empty((bands, len(index._keys) - band_keys.shape[1]),
                                                                dtype=np.uint32)], axis=1)
            samples = np.stack([index._checked(signature).samples for _key, signature in chunk])
            index._samples[count:count + len(chunk)] = samples.astype(np.uint16)
            band_keys[:, count:count + len(chunk)] = _band_keys(samples, bands=bands).T
            for row, (key, signature) in enumerate(chunk, start=count):
                if key in index._row_of_key:
                    raise ValueError("duplicate keys in RepeatIndex.build")
                index._row_of_key[key] = row
                index._keys[row] = key
                for kind, value in signature.identifiers:
                    identifier_keys.append(_identifier_hash(kind, value))
                    identifier_rows.append(row)
            count += len(chunk)
        if not count:
            return index
        index._alive[:count] = True
        index._size = count
        index._bands.bulk_load(np.ascontiguousarray(band_keys[:, :count]))  # no copy when `size_hint` was right
        index._identifier_postings.bulk_load(np.array(identifier_keys, dtype=np.uint64),
                                             np.array(identifier_rows, dtype=np.int32))
        return index

    def _checked(self, signature: Signature) -> Signature:
        if signature.weights_id != self.weights_id or len(signature.samples) != SAMPLES:
            raise ValueError("signature made with other shingle weights or sample count: sign the report again")
        return signature

    def _grow(self) -> None:
        capacity = len(self._keys) * 2
        self._samples = np.resize(self._samples, (capacity, SAMPLES))
        self._keys = np.resize(self._keys, capacity)
        alive = np.zeros(capacity, dtype=bool)
        alive[:self._size] = self._alive[:self._size]
        self._alive = alive

    def add(self, *, key: int, signature: Signature, identifiers: Sequence[Identifier] = ()) -> None:
        """Store a report; `identifiers` (e.g. corrected by a user) are added to those in the signature."""
        self._checked(signature)
        if key in self._row_of_key:
            self.remove(key)
        if self._size == len(self._keys):
            self._grow()
        row = self._size
        self._size += 1
        self._samples[row] = signature.samples.astype(np.uint16)
        self._keys[row] = key
        self._alive[row] = True
        self._row_of_key[key] = row
        self._bands.add(_band_keys(signature.samples, bands=self.bands), row)
        merged = tuple(dict.fromkeys([*signature.identifiers, *((found.kind, found.value) for found in identifiers)]))
        if merged:
            self._identifier_postings.add([_identifier_hash(kind, value) for kind, value in merged], row)

    def remove(self, key: int) -> None:
        """Forget a report (its rows stay in the arrays, marked dead, until the index is rebuilt)."""
        row = self._row_of_key.pop(key, None)
        if row is not None:
            self._alive[row] = False

    def match(self, *, signature: Signature, identifiers: Sequence[Identifier] = (), limit: int = 10,
              exclude: int | None = None) -> list[RepeatCandidate]:
        """Stored reports that may repeat the report of `signature`, best first, at most `limit`.

        A stored report qualifies by text (estimated similarity ≥ threshold) or by sharing a strong identifier.
        `exclude` leaves out one key (the report itself, when it is already stored).
        """
        self._checked(signature)
        text_rows = self._text_candidates(signature.samples)
        query_identifiers = list(dict.fromkeys([*signature.identifiers,
                                                *((found.kind, found.value) for found in identifiers)]))
        shared = self._rows_sharing(query_identifiers)
        rows = np.union1d(text_rows, np.fromiter(shared, dtype=np.int64, count=len(shared)))
        rows = rows[self._alive[rows]]
        if exclude is not None and exclude in self._row_of_key:
            rows = rows[rows != self._row_of_key[exclude]]
        self.last_candidates = len(rows)
        if not len(rows):
            return []
        query_low = signature.samples.astype(np.uint16)
        similarities = (self._samples[rows] == query_low).mean(axis=1)
        candidates: list[RepeatCandidate] = []
        for row, row_similarity in zip(rows.tolist(), similarities.tolist(), strict=True):
            reasons = [Reason(SIMILAR_TEXT, f"{row_similarity:.2f}")] if row_similarity >= self.threshold else []
            reasons += [Reason(REASON_OF_KIND.get(kind, f"same-{kind}"), value) for kind, value in shared.get(row, ())]
            if reasons:
                candidates.append(RepeatCandidate(key=int(self._keys[row]), similarity=round(row_similarity, 4),
                                                  reasons=tuple(reasons)))
        candidates.sort(key=lambda candidate: (-candidate.score, -candidate.similarity, candidate.key))
        return candidates[:limit]

    def candidate_rows(self, signature: Signature) -> npt.NDArray[np.int64]:
        """Rows the LSH bands propose for `signature` before any similarity is estimated (for benchmarks)."""
        return self._text_candidates(signature.samples)

    def _text_candidates(self, samples: U32) -> npt.NDArray[np.int64]:
        hits = self._bands.lookup(_band_keys(samples, bands=self.bands))
        if self.min_band_hits <= 1 or not len(hits):
            return np.unique(hits).astype(np.int64)
        rows, counts = np.unique(hits, return_counts=True)
        return rows[counts >= self.min_band_hits].astype(np.int64)

    def _rows_sharing(self, identifiers: Sequence[tuple[str, str]]) -> dict[int, list[tuple[str, str]]]:
        """Stored rows that share any of `identifiers`, with the identifiers each shares (an identifier found in more
        than IDENTIFIER_POSTINGS_MAX reports, such as a hotline, counts for its newest reports only)."""
        shared: dict[int, list[tuple[str, str]]] = {}
        for identifier in identifiers:
            key = np.array([_identifier_hash(*identifier)], dtype=np.uint64)
            rows = np.unique(self._identifier_postings.lookup(key))[-IDENTIFIER_POSTINGS_MAX:]
            for row in rows.tolist():
                shared.setdefault(row, []).append(identifier)
        return shared

    def nbytes(self) -> int:
        """Memory held by the index's arrays (the key dictionary estimated at 100 bytes an entry)."""
        arrays = self._samples.nbytes + self._keys.nbytes + self._alive.nbytes
        return int(arrays + self._bands.nbytes() + self._identifier_postings.nbytes() + 100 * len(self._row_of_key))

    def stats(self) -> dict[str, Any]:
        return {"reports": len(self), "rows": self._size, "band_entries": int(self._bands.keys.size),
                "identifier_entries": len(self._identifier_postings.keys), "nbytes": self.nbytes()}

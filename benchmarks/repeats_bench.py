"""Repeat-report benchmark (issue 5, item 2): `python -m benchmarks.repeats_bench --stored 100000`.

On a generated stream (benchmarks/repeats_streams.py) with known repeats: fits the shingle weights on a sample of
the stored reports, signs every stored report, builds the index (`RepeatIndex.build`), then matches every query and
measures match time (p50/p95/max, with and without signing the query), recall of true repeats (a true repeat counts
as found when it is among the returned candidates) and the share of false candidates among all returned, per query
kind too; index build time and memory (RSS delta of the build, bytes per stored report).

Side by side, a brute-force exact scan over all stored reports (exact weighted Jaccard of the shingle sets, the
quantity the index estimates, with the same threshold and the same identifier rule), and, for reference, exact plain
(unweighted) Jaccard at the threshold that is best for it on this very stream (an optimistic figure). At 1,000,000
reports the scan runs on a sample of the queries (`--exact-queries`, reported). `--datasketch` also loads the same
signatures into datasketch's MinHashLSH (the same samples, its own banding and storage) to compare the two index
structures.

Writes benchmarks/out/repeats_bench.json (or `--out`; one entry per stored size, so the 100,000 and 1,000,000
runs sit side by side) and prints a Markdown table.

`--production [DATABASE_URL]` measures the workbench's own path on the same stream instead (default: a fresh SQLite
file in /tmp): the stored reports are inserted as `Report` rows, `repeat_index_rebuild` fits the weights from the
database and signs every fingerprint in bulk, then each query is stored as a report and matched by `report_match`
(the index loaded by `repeat_store` with `RepeatIndex.build`, weights and threshold as in production), its candidates
read back as `RepeatMatch` rows. Beside it, the benchmark's own loop with the weights read from the database, and
whether the benchmark's fit on the same sample gives the same weights.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.repeats_streams import Report, Stream, stream_build
from saohei.analytics import repeats
from saohei.analytics.identifiers import identifiers_find
from saohei.analytics.repeats import RepeatIndex, ShingleWeights, Signature, shingle_weights_fit, shingles
from saohei.analytics.text import text_normalise

OUT = Path(__file__).resolve().parent / "out"
PRODUCTION_DB = "sqlite:////tmp/saohei_repeats_bench.sqlite3"


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _loadavg() -> str:
    return Path("/proc/loadavg").read_text().strip()


def _percentiles(samples_ms: Sequence[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    return {"n": len(ordered), "p50_ms": round(statistics.median(ordered), 3),
            "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 3), "max_ms": round(ordered[-1], 3)}


class Signed:
    """Shingles, weights and signatures of a list of reports (the shingles kept for the exact scan)."""

    def __init__(self, reports: Sequence[Report], *, weights: ShingleWeights, keep_shingles: bool,
                 progress: Callable[[int], None]) -> None:
        self.signatures: list[Signature] = []
        self.identifiers: list[tuple[tuple[str, str], ...]] = []
        hashes: list[np.ndarray] = []
        levels: list[np.ndarray] = []
        for position, report in enumerate(reports):
            hashed = shingles(text_normalise(report.text).text)
            shingle_weights = weights.of(hashed)
            found = tuple(dict.fromkeys((item.kind, item.value) for item in identifiers_find(report.text)))
            self.signatures.append(repeats.signature_from_shingles(hashed, weights=weights, identifiers=found,
                                                                   shingle_weights=shingle_weights))
            self.identifiers.append(found)
            if keep_shingles:
                hashes.append(hashed)
                levels.append(np.minimum(shingle_weights, 255).astype(np.uint8))
            if (position + 1) % 100_000 == 0:
                progress(position + 1)
        self.sizes = np.array([len(item) for item in hashes], dtype=np.int64)
        self.hashes = np.concatenate(hashes) if hashes else np.zeros(0, np.uint64)
        self.levels = np.concatenate(levels) if levels else np.zeros(0, np.uint8)
        self.offsets = np.concatenate([[0], np.cumsum(self.sizes)[:-1]]) if hashes else np.zeros(0, np.int64)


class ExactScan:
    """Brute force: exact weighted and plain Jaccard of a query's shingles against every stored report."""

    def __init__(self, stored: Signed) -> None:
        self.stored = stored
        self.weight_totals = np.add.reduceat(stored.levels.astype(np.int64), stored.offsets)
        self.by_identifier: dict[tuple[str, str], list[int]] = defaultdict(list)
        for row, found in enumerate(stored.identifiers):
            for identifier in found:
                self.by_identifier[identifier].append(row)

    def scores(self, hashed: np.ndarray, levels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(weighted Jaccard, plain Jaccard) against every stored report."""
        stored = self.stored
        if not len(hashed):
            zeros = np.zeros(len(stored.sizes))
            return zeros, zeros
        positions = np.minimum(np.searchsorted(hashed, stored.hashes), len(hashed) - 1)
        shared = hashed[positions] == stored.hashes
        plain_common = np.add.reduceat(shared.astype(np.int64), stored.offsets)
        weighted_common = np.add.reduceat(np.where(shared, stored.levels, 0).astype(np.int64), stored.offsets)
        # a shingle's weight is the same on both sides, so sum(min) is the common weight, sum(max) the union's
        weighted = weighted_common / np.maximum(self.weight_totals + int(levels.sum()) - weighted_common, 1)
        plain = plain_common / np.maximum(stored.sizes + len(hashed) - plain_common, 1)
        return weighted, plain


def _evaluate(results: dict[int, list[int]], queries: Sequence[Report], stream: Stream) -> dict[str, Any]:
    """Recall of true repeats and share of false candidates, overall and per query kind."""
    found = total = returned = false = 0
    per_kind: dict[str, Counter[str]] = defaultdict(Counter)
    for number, keys in results.items():
        query = queries[number]
        truth = set(stream.true_keys(query))
        hits = len(truth & set(keys))
        found, total, returned, false = found + hits, total + len(truth), returned + len(keys), false + len(
            set(keys) - truth)
        counts = per_kind[query.kind]
        counts.update(queries=1, true=len(truth), found=hits, returned=len(keys), false=len(set(keys) - truth))
    return {
        "queries": len(results), "true_pairs": total, "found": found, "recall": round(found / max(total, 1), 4),
        "returned": returned, "false": false, "false_share": round(false / max(returned, 1), 4),
        "per_kind": {kind: {**dict(counts), "recall": round(counts["found"] / max(counts["true"], 1), 4)}
                     for kind, counts in sorted(per_kind.items())},
    }


def _ranked(rows: np.ndarray, similarity: np.ndarray, shared: Counter[int], *, limit: int) -> list[int]:
    score = similarity[rows] + repeats.IDENTIFIER_BONUS * np.array([min(shared[row], 2) for row in rows.tolist()])
    order = np.lexsort((rows, -similarity[rows], -score))
    return [int(row) for row in rows[order][:limit]]


def run_exact(stream: Stream, stored: Signed, queries: Signed, numbers: Sequence[int], *, threshold: float,
              limit: int) -> dict[str, Any]:
    scan = ExactScan(stored)
    timings: list[float] = []
    weighted_results: dict[int, list[int]] = {}
    plain_scores: dict[int, tuple[np.ndarray, list[int]]] = {}
    for number in numbers:
        start, size = queries.offsets[number], queries.sizes[number]
        hashed, levels = queries.hashes[start:start + size], queries.levels[start:start + size]
        began = time.perf_counter()
        weighted, plain = scan.scores(hashed, levels)
        shared: Counter[int] = Counter()
        for identifier in queries.identifiers[number]:
            shared.update(scan.by_identifier.get(identifier, []))
        rows = np.union1d(np.flatnonzero(weighted >= threshold), np.array(list(shared), dtype=np.int64))
        weighted_results[number] = _ranked(rows.astype(np.int64), weighted, shared, limit=limit)
        timings.append((time.perf_counter() - began) * 1000)
        top = np.argsort(-plain)[:200]
        plain_scores[number] = (np.stack([top, plain[top]]), list(shared))
    query_list = stream.queries
    weighted_eval = _evaluate(weighted_results, query_list, stream)
    best: dict[str, Any] = {}
    for plain_threshold in np.arange(0.20, 0.85, 0.05):
        results = {}
        for number, (top, shared_rows) in plain_scores.items():
            rows = np.union1d(top[0][top[1] >= plain_threshold].astype(np.int64), np.array(shared_rows, np.int64))
            similarity = np.zeros(len(stored.sizes))
            similarity[top[0].astype(np.int64)] = top[1]
            results[number] = _ranked(rows.astype(np.int64), similarity, Counter(shared_rows), limit=limit)
        evaluation = _evaluate(results, query_list, stream)
        quality = evaluation["recall"] - evaluation["false_share"]
        if not best or quality > best["recall"] - best["false_share"]:
            best = {**evaluation, "threshold": round(float(plain_threshold), 2)}
    return {"timing": _percentiles(timings), "weighted": weighted_eval, "plain_best_threshold": best}


def _sweep(index: RepeatIndex, signatures: Sequence[Signature], stream: Stream, *, limit: int) -> dict[str, Any]:
    """Recall and false share at other thresholds, from one pass at the lowest (same bands, so the same candidates
    the LSH would give): how the chosen threshold trades one for the other on this stream."""
    thresholds = [round(value, 2) for value in np.arange(0.18, 0.43, 0.03)]
    chosen, index.threshold = index.threshold, min(thresholds)
    passes = [index.match(signature=signature, limit=limit * 5) for signature in signatures]
    index.threshold = chosen
    sweep = {}
    for threshold in thresholds:
        results = {}
        for number, candidates in enumerate(passes):
            kept = [candidate for candidate in candidates if candidate.similarity >= threshold or any(
                reason.code != repeats.SIMILAR_TEXT for reason in candidate.reasons)]
            results[number] = [candidate.key for candidate in kept[:limit]]
        evaluation = _evaluate(results, stream.queries, stream)
        sweep[str(threshold)] = {"recall": evaluation["recall"], "false_share": evaluation["false_share"]}
    return sweep


def _pairs_above(stream: Stream, stored: Sequence[Signature], queries: Sequence[Signature], *,
                 threshold: float) -> list[tuple[int, int]]:
    """True (query, stored) pairs whose estimated similarity reaches the threshold: what the LSH must not lose."""
    return [(number, key) for number, query in enumerate(stream.queries) for key in stream.true_keys(query)
            if repeats.similarity(queries[number], stored[key]) >= threshold]


def _candidate_recall(candidates: Sequence[set[int]], pairs: Sequence[tuple[int, int]]) -> dict[str, Any]:
    sizes = [len(found) for found in candidates]
    kept = sum(1 for number, key in pairs if key in candidates[number])
    return {"pairs_at_threshold": len(pairs), "candidate_recall": round(kept / max(len(pairs), 1), 4),
            "candidates_per_query_mean": round(statistics.mean(sizes), 1),
            "candidates_per_query_p95": sorted(sizes)[max(0, int(len(sizes) * 0.95) - 1)]}


def run_datasketch(stored: Sequence[Signature], queries: Sequence[Signature], pairs: Sequence[tuple[int, int]], *,
                   threshold: float) -> dict[str, Any]:
    """The same samples in datasketch's MinHashLSH (its own banding for the threshold, its dict storage): build
    time, memory, query time (the LSH lookup only), and how many true pairs above the threshold it proposes."""
    from datasketch import MinHash, MinHashLSH

    gc.collect()
    rss = _rss_bytes()
    began = time.perf_counter()
    lsh = MinHashLSH(threshold=threshold, num_perm=repeats.SAMPLES)
    with lsh.insertion_session() as session:
        for key, signature in enumerate(stored):
            session.insert(key, MinHash(num_perm=repeats.SAMPLES, hashvalues=signature.samples, scheme="affine32"),
                           check_duplication=False)
    build_s = time.perf_counter() - began
    memory = _rss_bytes() - rss
    timings = []
    candidates: list[set[int]] = []
    for signature in queries:
        query = MinHash(num_perm=repeats.SAMPLES, hashvalues=signature.samples, scheme="affine32")
        began = time.perf_counter()
        candidates.append(set(lsh.query(query)))
        timings.append((time.perf_counter() - began) * 1000)
    return {"build_s": round(build_s, 2), "rss_delta_mb": round(memory / 2**20, 1),
            "bytes_per_report": round(memory / max(len(stored), 1)), "query": _percentiles(timings),
            "bands_rows": [lsh.b, lsh.r], **_candidate_recall(candidates, pairs)}


def run_production(stream: Stream, *, database_url: str, seed: int, fit_sample: int,
                   limit: int) -> dict[str, Any]:
    """The workbench's path (see the module docstring): rebuild from the database, then `report_match` per query."""
    if database_url == PRODUCTION_DB:
        for suffix in ("", "-wal", "-shm"):
            Path(PRODUCTION_DB.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    from benchmarks.run import _setup

    _setup(database_url)
    from django.core.management import call_command
    from django.utils import timezone

    from saohei.analytics import repeat_store, services
    from saohei.analytics.models import RepeatMatch, ShingleWeightsFile
    from saohei.demo.org import build_org
    from saohei.intake.models import Report as StoredReport

    call_command("migrate", verbosity=0)
    org = build_org()
    office, place = org.offices["jianghan"], org.places["jianghan"]
    began = time.perf_counter()
    keys: dict[int, int] = {}
    for start in range(0, len(stream.stored), 5000):
        rows = StoredReport.objects.bulk_create(
            StoredReport(channel="hotline", received_at=timezone.now(), office=office, jurisdiction=place,
                         subject="", content=report.text) for report in stream.stored[start:start + 5000])
        keys.update((row.pk, start + offset) for offset, row in enumerate(rows))
    result: dict[str, Any] = {"database": database_url.split("@")[-1],
                              "insert_s": round(time.perf_counter() - began, 1)}
    log(f"inserted {len(keys):,} reports")
    began = time.perf_counter()
    rebuild = services.repeat_index_rebuild(seed=seed)
    result["rebuild"] = {"s": round(time.perf_counter() - began, 1), "fingerprints": rebuild.fingerprints,
                         "fitted_on": rebuild.fitted_on, "weights_id": f"{rebuild.weights_id:016x}"}
    log(f"rebuilt: {result['rebuild']}")
    weights = ShingleWeights.from_bytes(bytes(ShingleWeightsFile.objects.get(active=True).data))
    sample = random.Random(seed).sample(range(len(stream.stored)), min(fit_sample, len(stream.stored)))
    bench_weights = shingle_weights_fit(stream.stored[position].text for position in sample)
    result["same_weights_as_benchmark_fit"] = bench_weights.weights_id == weights.weights_id
    log(f"benchmark's own fit on the same sample gives the same weights: {result['same_weights_as_benchmark_fit']}")

    began = time.perf_counter()
    loaded = repeat_store.repeat_index()
    result["index_load"] = {"s": round(time.perf_counter() - began, 2), "reports": len(loaded.index),
                            "left_out": loaded.left_out, "threshold": loaded.index.threshold}
    log(f"index loaded: {result['index_load']}")
    found: dict[int, list[int]] = {}
    match_ms: list[float] = []
    for number, query in enumerate(stream.queries):
        report = StoredReport.objects.create(channel="hotline", received_at=timezone.now(), office=office,
                                             jurisdiction=place, subject="", content=query.text)
        began = time.perf_counter()
        services.report_match(report_id=report.pk)
        match_ms.append((time.perf_counter() - began) * 1000)
        found[number] = [keys[earlier] for earlier in RepeatMatch.objects.filter(report=report).order_by(
            "-similarity", "pk").values_list("earlier_id", flat=True)[:limit] if earlier in keys]
        # the query leaves the store again, so that later queries are compared with the stored reports only
        StoredReport.objects.filter(pk=report.pk).update(voided_at=timezone.now())
        repeat_store.repeat_index().index.remove(report.pk)
    result["report_match"] = {"timing": _percentiles(match_ms), **_evaluate(found, stream.queries, stream)}
    log(f"report_match: recall {result['report_match']['recall']} false {result['report_match']['false_share']}")

    index = loaded.index  # the benchmark's loop on the same fingerprints and the weights read from the database
    bench_found = {number: [keys[candidate.key] for candidate in index.match(
        signature=repeats.report_signature(query.text, weights=weights), limit=limit) if candidate.key in keys]
        for number, query in enumerate(stream.queries)}
    result["benchmark_loop_database_weights"] = _evaluate(bench_found, stream.queries, stream)
    log(f"benchmark loop: recall {result['benchmark_loop_database_weights']['recall']}")
    return result


def markdown_production(result: dict[str, Any]) -> str:
    production, loop = result["production"]["report_match"], result["production"]["benchmark_loop_database_weights"]
    rebuild, load = result["production"]["rebuild"], result["production"]["index_load"]
    same = result["production"]["same_weights_as_benchmark_fit"]
    return "\n".join([
        f"Workbench path, {result['stream']['stored']:,} stored, {result['stream']['queries']:,} queries "
        f"(load before: {result['machine']['loadavg_before']}; after: {result['machine']['loadavg_after']})", "",
        "| path | recall | false candidates | time |", "|---|---|---|---|",
        f"| `report_match` (weights from the database, index from `repeat_store`) | {production['recall']} | "
        f"{production['false_share']} | p50 {production['timing']['p50_ms']} ms, p95 "
        f"{production['timing']['p95_ms']} ms per report (DB writes included) |",
        f"| benchmark loop, same fingerprints and weights | {loop['recall']} | {loop['false_share']} | |", "",
        f"Rebuild: {rebuild['s']} s ({rebuild['fingerprints']:,} fingerprints, weights {rebuild['weights_id']} fitted "
        f"on {rebuild['fitted_on']:,}; the same as the benchmark's fit: {same})"
        f"; index load {load['s']} s ({load['reports']:,} reports, {load['left_out']} left out, threshold "
        f"{load['threshold']})."])


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stored", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1200)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--fit-sample", type=int, default=50_000, help="stored reports the weights are fitted on")
    parser.add_argument("--exact-queries", type=int, default=None,
                        help="queries for the brute-force scan (default: all up to 200,000 stored, else 100)")
    parser.add_argument("--limit", type=int, default=10)
    parser.add_argument("--threshold", type=float, default=repeats.THRESHOLD)
    parser.add_argument("--bands", type=int, default=repeats.BANDS)
    parser.add_argument("--min-band-hits", type=int, default=repeats.MIN_BAND_HITS)
    parser.add_argument("--datasketch", action="store_true", help="also measure datasketch MinHashLSH")
    parser.add_argument("--cjk-shingle", type=int, default=repeats.CJK_SHINGLE, help="to compare shingle sizes")
    parser.add_argument("--latin-shingle", type=int, default=repeats.LATIN_SHINGLE)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the match calls")
    parser.add_argument("--out", type=Path, default=OUT / "repeats_bench.json")
    parser.add_argument("--production", nargs="?", const=PRODUCTION_DB, default=None, metavar="DATABASE_URL",
                        help=f"measure the workbench's path instead (default database: {PRODUCTION_DB})")
    args = parser.parse_args()
    repeats.CJK_SHINGLE, repeats.LATIN_SHINGLE = args.cjk_shingle, args.latin_shingle
    result: dict[str, Any] = {"args": {key: str(value) for key, value in vars(args).items()},
                              "machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                                          "loadavg_before": _loadavg()},
                              "parameters": {name: getattr(repeats, name) for name in (
                                  "CJK_SHINGLE", "LATIN_SHINGLE", "SAMPLES", "BAND_ROWS", "COMMON_SHARE",
                                  "WEIGHT_STEPS",
                                  "IDENTIFIER_BONUS")} | {"threshold": args.threshold, "bands": args.bands,
                                                          "min_band_hits": args.min_band_hits}}
    log(f"load before: {result['machine']['loadavg_before']}")
    began = time.perf_counter()
    stream = stream_build(stored=args.stored, queries=args.queries, seed=args.seed,
                          progress=lambda count: log(f"generated {count:,}"))
    result["generate_s"] = round(time.perf_counter() - began, 1)
    result["stream"] = {"stored": len(stream.stored), "queries": len(stream.queries),
                        "stored_kinds": dict(Counter(report.kind for report in stream.stored)),
                        "query_kinds": dict(Counter(report.kind for report in stream.queries))}
    log(f"stream: {result['stream']}")

    if args.production:
        result["production"] = run_production(stream, database_url=args.production, seed=args.seed,
                                              fit_sample=args.fit_sample, limit=args.limit)
        result["machine"]["loadavg_after"] = _loadavg()
        _write(args.out, f"{args.stored}-production", result)
        print(markdown_production(result))
        return 0

    began = time.perf_counter()
    sample = random.Random(args.seed).sample(range(len(stream.stored)), min(args.fit_sample, len(stream.stored)))
    weights = shingle_weights_fit(stream.stored[position].text for position in sample)
    result["fit_weights"] = {"s": round(time.perf_counter() - began, 1), "reports": len(sample),
                             "table_entries": len(weights.hashes), "table_bytes": len(weights.to_bytes())}
    log(f"weights fitted: {result['fit_weights']}")

    exact_count = args.exact_queries if args.exact_queries is not None else (
        len(stream.queries) if args.stored <= 200_000 else 100)
    began = time.perf_counter()
    stored = Signed(stream.stored, weights=weights, keep_shingles=exact_count > 0,
                    progress=lambda count: log(f"signed {count:,}"))
    sign_s = time.perf_counter() - began
    result["sign_stored"] = {"s": round(sign_s, 1), "us_per_report": round(sign_s / len(stream.stored) * 1e6)}
    queries = Signed(stream.queries, weights=weights, keep_shingles=True, progress=lambda count: None)
    log(f"signed stored: {result['sign_stored']}")

    gc.collect()
    rss = _rss_bytes()
    began = time.perf_counter()
    index = RepeatIndex.build(enumerate(stored.signatures), weights_id=weights.weights_id, threshold=args.threshold,
                              bands=args.bands, min_band_hits=args.min_band_hits)
    build_s = time.perf_counter() - began
    gc.collect()
    memory = _rss_bytes() - rss
    result["index"] = {"build_s": round(build_s, 2), "rss_delta_mb": round(memory / 2**20, 1),
                       "bytes_per_report": round(memory / len(stream.stored)), "stats": index.stats()}
    log(f"index built: {result['index']}")

    match_ms: list[float] = []
    sign_match_ms: list[float] = []
    found: dict[int, list[int]] = {}
    reasons: Counter[str] = Counter()
    candidates_seen: list[int] = []
    false_kinds: Counter[tuple[str, str, str]] = Counter()
    false_examples: list[dict[str, Any]] = []
    missed: list[dict[str, Any]] = []
    for number, query in enumerate(stream.queries):
        began = time.perf_counter()
        signature = repeats.report_signature(query.text, weights=weights)
        signed = time.perf_counter()
        candidates = index.match(signature=signature, limit=args.limit)
        done = time.perf_counter()
        match_ms.append((done - signed) * 1000)
        sign_match_ms.append((done - began) * 1000)
        found[number] = [candidate.key for candidate in candidates]
        reasons.update(reason.code for candidate in candidates for reason in candidate.reasons)
        truth = set(stream.true_keys(query))
        for candidate in candidates:
            if candidate.key not in truth:
                stored_report = stream.stored[candidate.key]
                false_kinds[(query.kind, stored_report.kind, candidate.reasons[0].code)] += 1
                if len(false_examples) < 40:
                    false_examples.append({"query_kind": query.kind, "query": query.text[:160],
                                           "stored_kind": stored_report.kind, "stored": stored_report.text[:160],
                                           "similarity": candidate.similarity,
                                           "reasons": [[reason.code, reason.value] for reason in candidate.reasons]})
        candidates_seen.append(index.last_candidates)
        for key in truth - set(found[number]):
            if len(missed) < 40:
                missed.append({"query_kind": query.kind, "query": query.text[:160],
                               "stored": stream.stored[key].text[:160],
                               "similarity": round(repeats.similarity(signature, stored.signatures[key]), 3)})
    result["ours"] = {"match": _percentiles(match_ms), "sign_and_match": _percentiles(sign_match_ms),
                      **_evaluate(found, stream.queries, stream), "reasons": dict(reasons),
                      "verified_candidates_per_query": _percentiles(candidates_seen),
                      "false_by_query_stored_reason": {" / ".join(key): count
                                                       for key, count in false_kinds.most_common()},
                      "false_examples": false_examples, "missed_examples": missed,
                      "threshold_sweep": _sweep(index, queries.signatures, stream, limit=args.limit)}
    log(f"ours: recall {result['ours']['recall']} false {result['ours']['false_share']} "
        f"match {result['ours']['match']}")
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for signature in queries.signatures:
            index.match(signature=signature, limit=args.limit)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(12)
    if exact_count:
        numbers = sorted(random.Random(args.seed + 1).sample(range(len(stream.queries)), exact_count))
        result["exact"] = run_exact(stream, stored, queries, numbers, threshold=index.threshold, limit=args.limit)
        result["exact"]["queries_sampled"] = len(numbers)
        result["ours_on_exact_sample"] = _evaluate({n: found[n] for n in numbers}, stream.queries, stream)
        log(f"exact: {result['exact']['timing']} recall {result['exact']['weighted']['recall']}")
    pairs = _pairs_above(stream, stored.signatures, queries.signatures, threshold=index.threshold)
    ours_candidates = [set(index.candidate_rows(signature).tolist()) for signature in queries.signatures]
    result["ours"]["lsh"] = _candidate_recall(ours_candidates, pairs)
    if args.datasketch:
        del index, ours_candidates
        gc.collect()
        result["datasketch"] = run_datasketch(stored.signatures, queries.signatures, pairs, threshold=args.threshold)
        log(f"datasketch: {result['datasketch']}")
    result["machine"]["loadavg_after"] = _loadavg()
    _write(args.out, str(args.stored), result)
    print(markdown(result))
    return 0


def _write(out: Path, name: str, result: dict[str, Any]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    runs = json.loads(out.read_text()).get("runs", {}) if out.exists() else {}
    runs[name] = result  # one file for all sizes: the 100,000 and 1,000,000 runs side by side
    out.write_text(json.dumps({"runs": runs}, ensure_ascii=False, indent=1))


def markdown(result: dict[str, Any]) -> str:
    """The side-by-side table of one run."""
    ours, stored = result["ours"], result["stream"]["stored"]
    lines = [f"Repeat reports, {stored:,} stored, {result['stream']['queries']:,} queries "
             f"(load before: {result['machine']['loadavg_before']}; after: {result['machine']['loadavg_after']})", "",
             "| method | queries | build | p50 match | p95 match | memory | recall | false candidates |",
             "|---|---|---|---|---|---|---|---|"]
    index = result["index"]
    lines.append(f"| weighted OPH sketch + numpy LSH + identifiers | {ours['queries']:,} | {index['build_s']} s "
                 f"(+ signing {result['sign_stored']['s']} s) | {ours['match']['p50_ms']} ms "
                 f"({ours['sign_and_match']['p50_ms']} ms with signing) | {ours['match']['p95_ms']} ms "
                 f"({ours['sign_and_match']['p95_ms']} ms) | {index['rss_delta_mb']} MiB "
                 f"({index['bytes_per_report']} B/report) | {ours['recall']} | {ours['false_share']} |")
    if "exact" in result:
        exact, sample = result["exact"], result["ours_on_exact_sample"]
        lines.append(f"| same, on the exact scan's query sample | {sample['queries']:,} | | | | | {sample['recall']} "
                     f"| {sample['false_share']} |")
        weighted, plain = exact["weighted"], exact["plain_best_threshold"]
        lines.append(f"| brute-force exact scan, weighted Jaccard (same threshold) + identifiers | "
                     f"{exact['queries_sampled']:,} | none | {exact['timing']['p50_ms']} ms | "
                     f"{exact['timing']['p95_ms']} ms | shingle sets | {weighted['recall']} | "
                     f"{weighted['false_share']} |")
        lines.append(f"| brute-force exact scan, plain Jaccard at its best threshold here ({plain['threshold']}) "
                     f"+ identifiers | {exact['queries_sampled']:,} | none | (same scan) | | | {plain['recall']} | "
                     f"{plain['false_share']} |")
    if "datasketch" in result:
        sketch = result["datasketch"]
        lines.append(f"| datasketch MinHashLSH on the same samples (b, r = {sketch['bands_rows']}), LSH lookup only "
                     f"| {result['stream']['queries']:,} | {sketch['build_s']} s | {sketch['query']['p50_ms']} ms | "
                     f"{sketch['query']['p95_ms']} ms | {sketch['rss_delta_mb']} MiB "
                     f"({sketch['bytes_per_report']} B/report) | candidates: {sketch['candidate_recall']} | |")
    lsh = ours["lsh"]
    lines += ["", f"LSH candidates (ours): {lsh['candidate_recall']} of the {lsh['pairs_at_threshold']} true pairs "
              f"at or above the threshold; {lsh['candidates_per_query_mean']} candidates per query on average "
              f"(p95 {lsh['candidates_per_query_p95']})."]
    lines += ["Threshold sweep (ours, recall / false share): " + ", ".join(
        f"{threshold}: {values['recall']} / {values['false_share']}"
        for threshold, values in ours["threshold_sweep"].items())]
    lines += ["Recall per query kind (ours): " + ", ".join(
        f"{kind} {values['recall']}" for kind, values in ours["per_kind"].items() if values.get("true")),
        "False candidates per query kind (ours): " + ", ".join(
        f"{kind} {values.get('false', 0)}/{values.get('returned', 0)}" for kind, values in ours["per_kind"].items())]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())

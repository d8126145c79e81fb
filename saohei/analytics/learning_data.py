"""Labelled texts for the category model: rows of files in the CAIL2018 format, and a train/test split by id.

A row is one fact with its charges (a CAIL2018 line) or one verified clue with its offence category codes; reading
a file checks every line and names the file and line of the first that does not fit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

CAIL_KEYS = frozenset({"id", "fact", "accusation", "relevant_articles"})


class TrainingDataError(ValueError):
    """A training file line that is not in the CAIL2018 format; the message names the file and line."""



@dataclass(frozen=True)
class TrainingRow:
    """One labelled text: a CAIL2018 fact with its charges, or a verified clue with its offence category codes."""

    id: str
    text: str
    charges: tuple[str, ...]



def training_rows_from_jsonl(path: Path | str) -> Iterator[TrainingRow]:
    """Rows of a file in the CAIL2018 format, one JSON object a line, in either of its two layouts:

    - flat, as in ../shared/data/cail2018: exactly id, fact, accusation and relevant_articles (a list of article
      numbers or null);
    - as the CAIL2018 competition published it: fact and meta (holding accusation, relevant_articles and the
      sentence fields, which are not read), with an optional id. Without one, the id is a hash of the fact, so
      the split by id stays the same whatever the file order; a fact repeated word for word is read once.

    Blank lines are skipped; anything else that does not fit raises TrainingDataError naming the file and line."""
    source = Path(path)
    seen: dict[str, int] = {}
    with source.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            row, id_given = _row_from_line(line, where=f"{source}:{number}")
            if row.id in seen:
                if not id_given:
                    continue
                raise TrainingDataError(f"{source}:{number}: id {row.id!r} already used on line {seen[row.id]}")
            seen[row.id] = number
            yield row


def _row_from_line(line: str, *, where: str) -> tuple[TrainingRow, bool]:
    try:
        raw = json.loads(line)
    except ValueError as error:
        raise TrainingDataError(f"{where}: not valid JSON ({error})") from error
    if not isinstance(raw, dict):
        raise TrainingDataError(f"{where}: expected a JSON object with {sorted(CAIL_KEYS)}")
    if "meta" in raw:
        fields, id_given = _competition_fields(raw, where=where)
    else:
        fields, id_given = raw, True
        if missing := sorted(CAIL_KEYS - raw.keys()):
            raise TrainingDataError(f"{where}: missing {missing}")
        if extra := sorted(raw.keys() - CAIL_KEYS):
            raise TrainingDataError(
                f"{where}: unexpected keys {extra} (the CAIL2018 format has {sorted(CAIL_KEYS)}, or fact and meta)")
    if not isinstance(fields["id"], str) or not fields["id"].strip():
        raise TrainingDataError(f"{where}: 'id' must be a non-empty string")
    if not isinstance(fields["fact"], str) or not fields["fact"].strip():
        raise TrainingDataError(f"{where}: 'fact' must be a non-empty string")
    charges = fields["accusation"]
    if not isinstance(charges, list) or not charges or not all(isinstance(c, str) and c.strip() for c in charges):
        raise TrainingDataError(f"{where}: 'accusation' must be a non-empty list of charge names")
    articles = fields["relevant_articles"]
    if articles is not None and not (isinstance(articles, list)
                                     and all(isinstance(a, int) and not isinstance(a, bool) for a in articles)):
        raise TrainingDataError(f"{where}: 'relevant_articles' must be a list of article numbers or null")
    return TrainingRow(id=fields["id"], text=fields["fact"], charges=tuple(charges)), id_given


def _competition_fields(raw: dict[str, object], *, where: str) -> tuple[dict[str, object], bool]:
    """The flat fields of a line in the competition layout: {"fact": ..., "meta": {"accusation": ..., ...}}."""
    meta = raw["meta"]
    if not isinstance(meta, dict):
        raise TrainingDataError(f"{where}: 'meta' must be a JSON object holding accusation and relevant_articles")
    if extra := sorted(raw.keys() - {"id", "fact", "meta"}):
        raise TrainingDataError(f"{where}: unexpected keys {extra} beside 'meta' (expected fact, meta, maybe id)")
    if missing := sorted({"fact"} - raw.keys()) + sorted({"accusation", "relevant_articles"} - meta.keys()):
        raise TrainingDataError(f"{where}: missing {missing}")
    fact = raw["fact"]
    id_given = "id" in raw
    generated = "fact-" + hashlib.sha256(fact.encode()).hexdigest()[:16] if isinstance(fact, str) else ""
    return {"id": raw["id"] if id_given else generated, "fact": fact, "accusation": meta["accusation"],
            "relevant_articles": meta["relevant_articles"]}, id_given


def split_by_id(rows: Iterable[TrainingRow], *, test_share: float) -> tuple[list[TrainingRow], list[TrainingRow]]:
    """Train and test parts decided by a hash of each id: the same row lands on the same side on every run
    and machine, whatever the file order, and a row added later does not move the others."""
    if not 0 < test_share < 1:
        raise ValueError("test_share must be between 0 and 1")
    train: list[TrainingRow] = []
    test: list[TrainingRow] = []
    for row in rows:
        bucket = int(hashlib.sha256(row.id.encode()).hexdigest()[:8], 16) / 0x1_0000_0000
        (test if bucket < test_share else train).append(row)
    return train, test


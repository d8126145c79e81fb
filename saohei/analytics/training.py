"""Training the category model from a file, or from the office's own verified clues, and putting it in use.

`saohei analytics export-training FILE` writes the verified clues in the CAIL2018 line format (id, fact,
accusation, relevant_articles), with each clue's confirmed offence category code as its accusation and
"other" for clues referred elsewhere as not gang-related. `saohei analytics train --from FILE` reads that
format (the office's export, ../shared/data/cail2018/facts.jsonl, or both concatenated), trains, measures
rules against model on held-out rows (or on `--check FILE`: the office's own tips, when training on court
texts) and keeps the file as a ``CategoryModelFile``. It is put in use only when it routes at least as well as
the rules alone on the held-out rows, unless the trainer says otherwise; every clue is scored again then.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from saohei.analytics.learning import (
    TrainingRow,
    model_evaluate,
    model_train,
    split_by_id,
    training_rows_from_jsonl,
)
from saohei.analytics.models import CategoryModelFile
from saohei.analytics.scoring import category_model_forget, clue_text
from saohei.analytics.taxonomy import OTHER
from saohei.audit.services import audit_record
from saohei.clues.choices import Conclusion, State
from saohei.clues.models import Clue
from saohei.intake.models import Report

TEST_SHARE = 0.2  # rows held out (by a hash of the id) to measure the model before it is put in use
VERIFIED = (Conclusion.SUBSTANTIATED, Conclusion.PARTLY)


class TrainingRefused(ValueError):
    """Training could not start or its result may not be used; the message says why."""


def clue_training_rows(*, office_code: str | None = None) -> Iterator[TrainingRow]:
    """The office's verified clues as labelled rows: signed or closed clues whose verification substantiated
    them (their category was confirmed), and clues referred elsewhere as not gang-related."""
    verified = Clue.objects.filter(state__in=(State.SIGNED, State.CLOSED), conclusion__in=VERIFIED,
                                   category__isnull=False)
    referred = Clue.objects.filter(state=State.REFERRED)
    for queryset, label in ((verified, None), (referred, OTHER)):
        if office_code:
            queryset = queryset.filter(office__jurisdiction__code=office_code)
        for clue in queryset.select_related("category").order_by("pk").iterator(chunk_size=500):
            reports = list(Report.objects.filter(clue=clue, voided_at__isnull=True).order_by("pk"))
            text = clue_text(clue, reports).strip()
            if not text:
                continue
            charge = label or (clue.category.code if clue.category is not None else OTHER)
            yield TrainingRow(id=f"clue-{clue.number or clue.pk}", text=text, charges=(charge,))


def training_file_write(*, path: Path, office_code: str | None = None) -> int:
    """Write the verified clues to `path` in the CAIL2018 format (readable by the owner only); returns the rows."""
    count = 0
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        for row in clue_training_rows(office_code=office_code):
            out.write(json.dumps({"id": row.id, "fact": row.text, "accusation": list(row.charges),
                                  "relevant_articles": None}, ensure_ascii=False) + "\n")
            count += 1
    return count


def _evaluation(model: Any, rows: list[TrainingRow]) -> dict[str, Any]:
    rules = model_evaluate(None, rows).as_dict()
    arbitrated = model_evaluate(model, rows).as_dict()
    return {"held_out_rows": len(rows), "rules": rules, "model": arbitrated}


def _better_or_equal(evaluation: dict[str, Any]) -> bool:
    """The model (as arbitrated) routes at least as well as the rules: macro-F1 and gang-related F1."""
    rules, model = evaluation["rules"], evaluation["model"]
    return (model["macro_f1"] >= rules["macro_f1"]
            and model["f1"].get("gang_related", 0.0) >= rules["f1"].get("gang_related", 0.0))


def category_model_train(*, source: Path, seed: int = 0, check: Path | None = None, activate: str = "if-better",
                         actor: User | None = None) -> CategoryModelFile:
    """Train on `source` (CAIL2018 format), hold out a fifth of the rows by id to measure rules against model,
    keep the file, and put it in use as `activate` says: "if-better" (the default), "yes" or "no"."""
    if activate not in {"if-better", "yes", "no"}:
        raise TrainingRefused(f"activate must be if-better, yes or no, not {activate!r}")
    rows = list(training_rows_from_jsonl(source))
    train, held_out = split_by_id(rows, test_share=TEST_SHARE)
    if len(train) < 20 or not held_out:
        raise TrainingRefused(f"{source}: {len(rows)} rows; at least 25 labelled rows are needed to train and measure")
    check_rows = list(training_rows_from_jsonl(check)) if check is not None else None
    model = model_train(train, seed=seed, check_rows=check_rows)
    evaluation = {**_evaluation(model, held_out), "arbitration": [
        {"label": a.label, "source": a.source, "rules_f1": a.rules_f1, "model_f1": a.model_f1}
        for a in model.arbitration], "info": model.info}
    if check_rows is not None:
        evaluation["check"] = _evaluation(model, check_rows)
    measured = evaluation.get("check", evaluation)
    use = activate == "yes" or (activate == "if-better" and _better_or_equal(measured))
    with transaction.atomic():
        model_file = CategoryModelFile.objects.create(
            trained_by=actor, source=source.name if check is None else f"{source.name}, checked on {check.name}",
            rows=len(train), data=model.to_bytes(), evaluation=evaluation, active=False)
        audit_record(actor=actor, action="category_model.train", object_type="category_model",
                     object_id=model_file.pk, after={"source": model_file.source, "rows": len(train)})
        if use:
            category_model_activate(model_file=model_file, actor=actor)
    return model_file


def category_model_activate(*, model_file: CategoryModelFile | None, actor: User | None = None) -> None:
    """Put a model file in use (None: route by the rules alone) and forget this process's loaded model; the
    clues are scored again by the caller (`saohei analytics score`), since that takes a while."""
    with transaction.atomic():
        before = list(CategoryModelFile.objects.filter(active=True).values_list("pk", flat=True))
        CategoryModelFile.objects.filter(active=True).update(active=False)
        if model_file is not None:
            CategoryModelFile.objects.filter(pk=model_file.pk).update(active=True)
            model_file.active = True
        audit_record(actor=actor, action="category_model.activate", object_type="category_model",
                     object_id=model_file.pk if model_file is not None else 0,
                     before={"active": before}, after={"active": model_file.pk if model_file else None})
    category_model_forget()

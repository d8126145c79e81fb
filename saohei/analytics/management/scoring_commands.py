"""The `train`, `export-training` and `score` subcommands of `saohei analytics` (which clue first)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

ACTIONS = frozenset({"train", "export-training", "score"})


def scoring_parsers_add(sub: Any) -> None:
    train = sub.add_parser("train", help="Train the category model from a file in the CAIL2018 format.")
    train.add_argument("--from", dest="source", required=True, type=Path,
                       help="JSON lines with id, fact, accusation, relevant_articles (e.g. from export-training).")
    train.add_argument("--check", type=Path, help="Labelled texts of the kind the model will meet (the office's own "
                                                  "tips): rules and model are compared on these.")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--activate", choices=("if-better", "yes", "no"), default="if-better",
                       help="Put the model in use: only if it routes at least as well as the rules (default).")
    train.add_argument("--no-score", action="store_true", help="Do not score every clue again afterwards.")
    export = sub.add_parser("export-training", help="Write the verified clues as training rows (CAIL2018 format).")
    export.add_argument("path", type=Path)
    export.add_argument("--office", help="Only the clues of the office of this jurisdiction code (e.g. 420103).")
    score = sub.add_parser("score", help="Compute the priority of every clue (or of the given ones) again.")
    score.add_argument("clue_ids", nargs="*", type=int)


def _train(command: BaseCommand, options: dict[str, Any]) -> None:
    from saohei.analytics.learning import TrainingDataError
    from saohei.analytics.scoring import clue_scores_refresh
    from saohei.analytics.training import TrainingRefused, category_model_train

    for path in (options["source"], options.get("check")):
        if path is not None and not path.is_file():
            raise CommandError(f"{path}: no such file")
    began = time.monotonic()
    try:
        model_file = category_model_train(source=options["source"], seed=options["seed"], check=options.get("check"),
                                          activate=options["activate"])
    except (TrainingDataError, TrainingRefused, ValueError) as error:
        raise CommandError(str(error)) from error
    evaluation = model_file.evaluation
    measured = evaluation.get("check", evaluation)
    rules, model = measured["rules"], measured["model"]
    command.stdout.write(
        f"Model {model_file.pk} trained on {model_file.rows} rows in {time.monotonic() - began:.0f} s; "
        f"on {measured['held_out_rows']} held-out rows, rules / model: "
        f"gang-related F1 {rules['f1'].get('gang_related', 0):.3f} / {model['f1'].get('gang_related', 0):.3f}, "
        f"core F1 {rules['f1'].get('core', 0):.3f} / {model['f1'].get('core', 0):.3f}, "
        f"macro-F1 {rules['macro_f1']:.3f} / {model['macro_f1']:.3f}.")
    for arbitration in evaluation.get("arbitration", []):
        command.stdout.write(f"  {arbitration['label']}: {arbitration['source']} "
                             f"(rules {arbitration['rules_f1']:.3f}, model {arbitration['model_f1']:.3f})")
    if not model_file.active:
        command.stdout.write("Not put in use: it does not route better than the rules (use --activate yes to force).")
        return
    command.stdout.write(f"Model {model_file.pk} is in use.")
    if not options["no_score"]:
        command.stdout.write(f"Scored {clue_scores_refresh()} clues again.")


def scoring_handle(command: BaseCommand, options: dict[str, Any]) -> bool:
    """Run the subcommand if it is one of these; False for the others."""
    action = options["action"]
    if action not in ACTIONS:
        return False
    if action == "train":
        _train(command, options)
    elif action == "export-training":
        from saohei.analytics.training import training_file_write

        rows = training_file_write(path=options["path"], office_code=options.get("office"))
        command.stdout.write(f"Wrote {rows} verified clues to {options['path']}.")
    else:
        from saohei.analytics.scoring import clue_scores_refresh

        began = time.monotonic()
        done = clue_scores_refresh(clue_ids=options["clue_ids"] or None)
        command.stdout.write(f"Scored {done} clues in {time.monotonic() - began:.1f} s.")
    return True




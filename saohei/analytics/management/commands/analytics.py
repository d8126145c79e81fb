from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saohei.analytics.management.network_commands import network_handle, network_parsers_add
from saohei.analytics.management.scoring_commands import scoring_handle, scoring_parsers_add

if TYPE_CHECKING:
    from saohei.analytics.services import RepeatRebuild


class Command(BaseCommand):
    help = (
        "Analytics tools: `rebuild-index` recomputes every report fingerprint for repeat detection; "
        "`match REPORT_ID` matches one report again and prints its candidates; "
        "`entities-backfill` extracts the entities of the records that have none yet."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        scoring_parsers_add(sub)
        network_parsers_add(sub)
        rebuild = sub.add_parser("rebuild-index", help="Fit the shingle weights on the stored reports (once "
                                 "enough are stored) and recompute every report fingerprint from its text with them.")
        rebuild.add_argument("--no-fit", action="store_true", help="Keep the active weights (or none); only sign.")
        match = sub.add_parser("match", help="Match one report against every stored report.")
        match.add_argument("report_id", type=int)
        backfill = sub.add_parser("entities-backfill",
                                  help="Extract the entities of the most recent records that have none yet.")
        backfill.add_argument("--kind", choices=("report", "clue", "case", "all"), default="all")
        backfill.add_argument("--limit", type=int, default=1000, help="At most this many records of each kind.")

    def handle(self, *args: Any, **options: Any) -> None:
        began = time.monotonic()
        action = options["action"]
        if scoring_handle(self, options):
            return
        if network_handle(self, options):
            return
        if action == "rebuild-index":
            from saohei.analytics.services import repeat_index_rebuild

            self._rebuild_report(repeat_index_rebuild(fit=False if options["no_fit"] else None), began)
        elif action == "entities-backfill":
            from saohei.analytics.entity_services import entities_backfill

            if options["limit"] < 1:
                raise CommandError("--limit must be at least 1.")
            kinds = ("report", "clue", "case") if options["kind"] == "all" else (options["kind"],)
            for kind in kinds:
                read = entities_backfill(record_kind=kind, limit=options["limit"])
                self.stdout.write(f"{kind}: read {read} records without entities.")
            self.stdout.write(f"Done in {time.monotonic() - began:.1f} s.")
        else:
            from saohei.analytics.services import report_match

            for m in report_match(report_id=options["report_id"]):
                self.stdout.write(f"{m.earlier.number}\t{m.similarity:.2f}\t{m.reasons}\t{m.decision}")

    def _rebuild_report(self, done: RepeatRebuild, began: float) -> None:
        from saohei.analytics.services import FIT_MIN_REPORTS

        if done.not_done:
            raise CommandError(f"Nothing done: {done.not_done}.")
        if done.fitted_on:
            self.stdout.write(f"Fitted shingle weights {done.weights_id:016x} on {done.fitted_on} of "
                              f"{done.reports_stored} reports; they are now in use.")
        elif done.weights_id:
            self.stdout.write(f"Kept the shingle weights in use ({done.weights_id:016x}).")
        else:
            self.stdout.write(f"No shingle weights in use ({done.reports_stored} reports stored; they are fitted from "
                              f"{FIT_MIN_REPORTS} on, unless --no-fit): fingerprints are signed unweighted.")
        self.stdout.write(f"Fingerprinted {done.fingerprints} reports in {time.monotonic() - began:.1f} s"
                          f" ({done.signed_again} stored meanwhile by matches with other weights signed again).")

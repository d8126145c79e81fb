from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Analytics tools: `rebuild-index` recomputes every report fingerprint for repeat detection; "
        "`match REPORT_ID` matches one report again and prints its candidates."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rebuild-index", help="Recompute every report fingerprint from its text.")
        match = sub.add_parser("match", help="Match one report against every stored report.")
        match.add_argument("report_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        began = time.monotonic()
        action = options["action"]
        if action == "rebuild-index":
            from saohei.analytics.services import repeat_index_rebuild

            done = repeat_index_rebuild()
            self.stdout.write(f"Fingerprinted {done} reports in {time.monotonic() - began:.1f} s.")
        else:
            from saohei.analytics.services import report_match

            for m in report_match(report_id=options["report_id"]):
                self.stdout.write(f"{m.earlier.number}\t{m.similarity:.2f}\t{m.reasons}\t{m.decision}")

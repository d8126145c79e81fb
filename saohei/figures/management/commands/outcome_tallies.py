from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saohei.figures.tallies import outcome_tallies_rebuild, outcome_tallies_refresh, outcome_tallies_verify


class Command(BaseCommand):
    help = (
        "Monthly outcome tallies (ADR 0007): `rebuild` recounts every month from the rows (after a bulk "
        "load that bypassed the services), `refresh` recounts the months marked stale, `verify` compares "
        "every tally with a count of the rows and fails naming the cells that differ."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rebuild", help="Recount every month from the rows.")
        sub.add_parser("refresh", help="Recount the months marked stale.")
        sub.add_parser("verify", help="Compare the tallies with the rows.")

    def handle(self, *args: Any, **options: Any) -> None:
        began = time.monotonic()
        action = options["action"]
        if action == "rebuild":
            rows = outcome_tallies_rebuild()
            self.stdout.write(f"Rebuilt {rows} tallies in {time.monotonic() - began:.1f} s.")
        elif action == "refresh":
            cells = outcome_tallies_refresh()
            self.stdout.write(f"Recounted {cells} stale cells in {time.monotonic() - began:.1f} s.")
        else:
            wrong = outcome_tallies_verify()
            if wrong:
                raise CommandError("Tallies differ from the rows:\n" + "\n".join(wrong[:50]))
            self.stdout.write(f"Every tally equals a count of the rows ({time.monotonic() - began:.1f} s).")

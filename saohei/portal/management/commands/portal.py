from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from saohei.portal.inbox import inbox_drain, inbox_waiting


class Command(BaseCommand):
    help = (
        "Portal inbox tools: `saohei portal drain` registers every accepted submission still waiting "
        "(run at start-up and after a crash); `saohei portal status` says how many wait."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("drain", help="Register every waiting submission now.")
        sub.add_parser("status", help="How many accepted submissions wait to be registered.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "status":
            self.stdout.write(f"Waiting: {inbox_waiting()} (older than 5 minutes: "
                              f"{inbox_waiting(older_than=dt.timedelta(minutes=5))}).")
            return
        total = 0
        while done := inbox_drain(limit=500):
            total += done
        self.stdout.write(f"Registered {total} portal submissions; {inbox_waiting()} still wait (see the log).")

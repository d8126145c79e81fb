from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saohei.audit.services import audit_verify


class Command(BaseCommand):
    help = "Audit chain tools: `saohei audit verify` recomputes the hash chain."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Recompute the chain and name the first broken event.")

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_verify()
        if not report.ok:
            raise CommandError(f"Audit chain broken after {report.checked} intact events: {report.problem}")
        self.stdout.write(f"Audit chain intact: {report.checked} events verified.")

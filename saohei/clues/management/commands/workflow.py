from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from saohei.clues.workflow import graphviz_dot, mermaid


class Command(BaseCommand):
    help = "The clue workflow: `saohei workflow diagram` prints it as Mermaid."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        diagram = sub.add_parser("diagram", help="Print the state machine as a Mermaid diagram.")
        diagram.add_argument("--output", help="Write to this file instead of standard output.")
        diagram.add_argument("--format", choices=["mermaid", "dot"], default="mermaid")

    def handle(self, *args: Any, **options: Any) -> None:
        text = graphviz_dot() if options.get("format") == "dot" else mermaid()
        if options.get("output"):
            with open(options["output"], "w", encoding="utf-8") as fh:
                fh.write(text)
            self.stdout.write(f"Wrote {options['output']}")
        else:
            self.stdout.write(text, ending="")

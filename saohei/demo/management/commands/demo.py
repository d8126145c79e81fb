"""`saohei demo [--if-empty] [--reports N] [--seed S]`: fill an empty database with the demo."""

from __future__ import annotations

import time
import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from saohei.cases.choices import STAGE_ORDER, Stage
from saohei.clues.choices import State
from saohei.demo.org import DEMO_PASSWORD
from saohei.demo.scenario import (
    DEFAULT_REPORTS,
    DEFAULT_SEED,
    DemoSummary,
    database_is_empty,
    demo_build,
    demo_users_exist,
    personas,
)
from saohei.intake.choices import Channel

URL = "http://127.0.0.1:8000/"


def _pad(text: object, width: int) -> str:
    """Left-align in a terminal, where a Chinese character takes two columns."""
    s = str(text)
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)
    return s + " " * max(1, width - used)


class Command(BaseCommand):
    help = _(
        "Fill an empty database with the demo: the 湖北 → 武汉 → 江汉区/江岸区 organisation, its personas and "
        "about 300 reports and clues in every state. Never touches a database that holds data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true",
                            help=_("Do nothing (but list the personas) when the database already holds data."))
        parser.add_argument("--reports", type=int, default=DEFAULT_REPORTS,
                            help=_("How many reports to create (default %(default)s)."))
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                            help=_("Random seed: the same seed gives the same texts and stories."))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["reports"] < 20 or options["reports"] > 20000:
            raise CommandError(_("--reports must lie between 20 and 20000."))
        if not database_is_empty():
            if options["if_empty"]:
                if demo_users_exist():
                    self.stdout.write(_("The demo is already loaded; nothing was changed."))
                    self._personas()
                else:
                    self.stdout.write(_("The database already holds data that is not the demo; nothing was changed."))
                return
            raise CommandError(_(
                "The database is not empty: `saohei demo` only fills an empty database and never removes data. "
                "Use a fresh database (e.g. DATABASE_URL=sqlite:////tmp/demo.sqlite3 saohei migrate), or "
                "pass --if-empty to leave this one as it is."
            ))
        started = time.monotonic()
        summary = demo_build(reports=options["reports"], seed=options["seed"],
                             progress=lambda msg: self.stdout.write(f"  {msg}"))
        self._summary(summary, time.monotonic() - started)
        self._personas()

    def _summary(self, s: DemoSummary, seconds: float) -> None:
        w = self.stdout.write
        w("")
        w(self.style.SUCCESS(_("Demo loaded in %(s).1f s: %(reports)d reports, %(clues)d clues.")
                             % {"s": seconds, "reports": s.reports, "clues": s.clues}))
        w(_("Clues by state:"))
        for state in State:
            w(f"  {_pad(state.label, 16)}{s.states.get(state.value, 0):>5}")
        w(_("Reports by channel:"))
        for channel in Channel:
            if s.channels.get(channel.value):
                w(f"  {_pad(channel.label, 32)}{s.channels[channel.value]:>5}")
        w(_("Clues by place:") + "  " + "  ".join(f"{k} {v}" for k, v in sorted(s.places.items())))
        w(_("Overdue %(overdue)d · reported more than once %(repeated)d · dual assignment %(dual)d · "
            "escalated %(escalated)d · reopened %(reopened)d · supervised %(supervised)d")
          % {"overdue": s.overdue, "repeated": s.repeated, "dual": s.dual, "escalated": s.escalated,
             "reopened": s.reopened, "supervised": s.supervised})
        w(_("Cases: %(cases)d") % {"cases": s.cases} + "  " + "  ".join(
            f"{Stage(k).label} {v}" for k, v in sorted(s.stages.items(), key=lambda kv: STAGE_ORDER.index(kv[0]))))

    def _personas(self) -> None:
        w = self.stdout.write
        w("")
        w(_("Open %(url)s and sign in as one of these (password: %(password)s):")
          % {"url": URL, "password": DEMO_PASSWORD})
        people = personas()
        for username, display, held, key in sorted(people, key=lambda p: not p[3]):
            line = f"  {username:<22} {_pad(display, 8)}{held}"
            w(self.style.SUCCESS(line) if key else line)
        w(f"  {'admin':<22} {_('system administrator')}")

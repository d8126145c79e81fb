"""My work: what waits for the logged-in user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from saohei.clues.models import Assignment, Clue
from saohei.clues.selectors import inbox_for_user

LIMIT = 50


@dataclass
class Row:
    clue: Clue
    assignment: Assignment | None = None

    @property
    def deadline(self) -> dt.date | None:
        if self.assignment is not None:
            return self.assignment.deadline
        return self.clue.deadline


@dataclass
class Section:
    key: str
    title: Any
    hint: Any
    rows: list[Row] = field(default_factory=list)
    total: int = 0
    shows_track: bool = False


CLUE_RELATED = ("jurisdiction", "category", "office")


def _clue_section(key: str, title: Any, hint: Any, qs: QuerySet[Clue]) -> Section:
    rows = [Row(clue=c) for c in qs.select_related(*CLUE_RELATED)[:LIMIT]]
    total = len(rows) if len(rows) < LIMIT else qs.count()
    return Section(key=key, title=title, hint=hint, rows=rows, total=total)


def _track_section(key: str, title: Any, hint: Any, assignments: list[Assignment], total: int) -> Section:
    clues = Clue.objects.select_related(*CLUE_RELATED).in_bulk([a.clue_id for a in assignments])
    rows = [Row(clue=clues[a.clue_id], assignment=a) for a in assignments if a.clue_id in clues]
    return Section(key=key, title=title, hint=hint, rows=rows, total=total, shows_track=True)


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    box = inbox_for_user(user=request.user, limit=LIMIT)
    verify = list(box.to_verify.select_related("unit")[:LIMIT])
    sections = [
        _clue_section(
            "triage", _("To triage"), _("New reports: valid, duplicate, referred or invalid?"), box.to_triage
        ),
        _clue_section(
            "assign",
            _("To assign"),
            _("Valid clues waiting for a responsible unit and a deadline."),
            box.to_assign,
        ),
        _track_section(
            "verify",
            _("To verify"),
            _("Clues assigned to your unit: start, record the three musts, conclude."),
            verify,
            len(verify) if len(verify) < LIMIT else box.to_verify.count(),
        ),
        _track_section(
            "sign", _("To sign"), _("Conclusions waiting for your signature."), box.to_sign, len(box.to_sign)
        ),
        _clue_section(
            "answer",
            _("To answer"),
            _("Signed clues: feedback to the reporter, reply, close."),
            box.to_answer,
        ),
        _clue_section(
            "review", _("To review"), _("Repeat reports on concluded or closed clues."), box.to_review
        ),
    ]
    context = {
        "nav": "inbox",
        "sections": sections,
        "total": sum(s.total for s in sections),
    }
    return render(request, "clues/inbox.html", context)

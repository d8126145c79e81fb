"""The clue ledger: the list page and its Excel export, both driven by ClueFilterSet."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saohei.clues.deadlines import OVERDUE_LABELS, overdue_level
from saohei.clues.filtersets import ClueFilterSet
from saohei.clues.models import Clue
from saohei.clues.selectors import clue_list_for_user
from saohei.clues.tables import ClueTable
from saohei.core.ledger import ExportColumn, Ledger


def _clues(request: HttpRequest) -> QuerySet[Clue]:
    # "score" is analytics' ClueScore (reverse relation; analytics sits above clues and is not imported).
    return clue_list_for_user(user=request.user).select_related("score")


def _overdue(clue: Clue) -> Any:
    if clue.deadline is None:
        return ""
    return str(OVERDUE_LABELS[overdue_level(clue.deadline, timezone.localdate(), clue.office.due_soon_days)])


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return str(_("yes") if value else _("no"))


EXPORT_COLUMNS: list[ExportColumn] = [
    ExportColumn(_("Number"), lambda c: c.number or ""),
    ExportColumn(_("Title"), lambda c: c.title),
    ExportColumn(_("State"), lambda c: str(c.get_state_display())),
    ExportColumn(_("Repeat report awaiting review"), lambda c: _yes_no(c.review_pending)),
    ExportColumn(_("Jurisdiction"), lambda c: c.jurisdiction.name),
    ExportColumn(_("Jurisdiction code"), lambda c: c.jurisdiction.code),
    ExportColumn(_("Office"), lambda c: c.office.name),
    ExportColumn(_("Category"), lambda c: str(c.category) if c.category else ""),
    ExportColumn(_("Priority"), lambda c: str(c.get_priority_display())),
    ExportColumn(_("Analysed priority"), lambda c: getattr(getattr(c, "score", None), "score", "")),
    ExportColumn(_("Source"), lambda c: str(c.get_source_display())),
    ExportColumn(_("Reports"), lambda c: c.report_count),
    ExportColumn(_("Deadline"), lambda c: c.deadline),
    ExportColumn(_("Overdue level"), _overdue),
    ExportColumn(
        _("Supervision level"),
        lambda c: str(c.get_supervision_level_display()) if c.supervision_level else "",
    ),
    ExportColumn(_("Next progress report due"), lambda c: c.supervision_next_due),
    ExportColumn(_("Conclusion"), lambda c: str(c.get_conclusion_display()) if c.conclusion else ""),
    ExportColumn(_("Concluded on time"), lambda c: _yes_no(c.concluded_on_time)),
    ExportColumn(_("Received"), lambda c: c.created_at),
    ExportColumn(_("Triaged"), lambda c: c.triaged_at),
    ExportColumn(_("Assigned"), lambda c: c.assigned_at),
    ExportColumn(_("Signed"), lambda c: c.signed_at),
    ExportColumn(_("Closed"), lambda c: c.closed_at),
]

CLUE_LEDGER = Ledger(
    name="clues",
    title=_("Clue ledger"),
    queryset=_clues,
    filterset_class=ClueFilterSet,
    table_class=ClueTable,
    export_columns=EXPORT_COLUMNS,
    template="clues/ledger.html",
    export_url_name="clue-export",
    primary_filters=("q", "state", "jurisdiction", "category", "priority", "overdue", "supervised", "sort"),
)

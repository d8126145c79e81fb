"""The figures pages (clue figures, outcome figures with their bulletin) and their Excel downloads."""

from __future__ import annotations

import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from saohei.core.export import XLSX, _cell_value
from saohei.figures.bulletin import LANGUAGES, all_bulletins, normalise_language
from saohei.figures.forms import FiguresForm, period_default
from saohei.figures.kpis import ClueFigures, clue_figures
from saohei.figures.outcome_presenters import COLUMNS as outcome_columns
from saohei.figures.outcome_presenters import LANGUAGE_NAMES, row_lines, sections
from saohei.figures.outcome_presenters import workbook_sheets as outcome_sheets
from saohei.figures.outcomes import OutcomeFigures, outcome_figures
from saohei.figures.presenters import COLUMNS, chart_data, lines, workbook_sheets
from saohei.figures.rewards import reward_figures


def _bound_form(request: HttpRequest) -> FiguresForm:
    """The form as asked, or filled with the defaults: the widest jurisdiction, 1 January to today."""
    form = FiguresForm(user=request.user)
    if any(k in request.GET for k in ("jurisdiction", "start", "end")):
        return FiguresForm(request.GET, user=request.user)
    start, end = period_default()
    data = {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "jurisdiction": form.roots[0].code if form.roots else "",
    }
    return FiguresForm(data, user=request.user)


def _figures(form: FiguresForm) -> ClueFigures | None:
    if not form.roots or not form.is_valid():
        return None
    d = form.cleaned_data
    return clue_figures(user=form.user, jurisdiction=d["jurisdiction"], start=d["start"], end=d["end"])


@login_required
def clue_figures_page(request: HttpRequest) -> HttpResponse:
    form = _bound_form(request)
    figures = _figures(form)
    context: dict[str, Any] = {"form": form, "figures": figures, "nav": "figures", "columns": COLUMNS}
    if figures is not None:
        d = form.cleaned_data
        context.update(
            {
                "lines": lines(figures.totals),
                "rows": [(row, lines(row.figures)) for row in figures.by_child],
                "charts": chart_data(figures),
                "rewards": reward_figures(user=form.user, jurisdiction=d["jurisdiction"], start=d["start"],
                                          end=d["end"]),
                "rewards_query": urlencode({"state": "paid", "jurisdiction": d["jurisdiction"].code,
                                            "paid_from": d["start"].isoformat(), "paid_to": d["end"].isoformat()}),
                "export_query": _period_query(form),
            }
        )
    status = 400 if form.roots and form.is_bound and not form.is_valid() else 200
    return render(request, "figures/clues.html", context, status=status)


def _xlsx(sheets: list[tuple[str, list[str], list[list[Any]]]], name: str) -> HttpResponse:
    wb = Workbook(write_only=True)
    for title, headers, rows in sheets:
        ws = wb.create_sheet(title=title[:31])
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(ws, value=header)
            cell.font = Font(bold=True)
            header_cells.append(cell)
        ws.append(header_cells)
        for row in rows:
            ws.append([_cell_value(v) for v in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.xlsx"'
    return response


def _period_query(form: FiguresForm) -> str:
    d = form.cleaned_data
    return urlencode(
        {"jurisdiction": d["jurisdiction"].code, "start": d["start"].isoformat(), "end": d["end"].isoformat()}
    )


@login_required
def clue_figures_export(request: HttpRequest) -> HttpResponse:
    form = _bound_form(request)
    figures = _figures(form)
    if figures is None:
        return render(
            request, "figures/clues.html", {"form": form, "figures": None, "nav": "figures"}, status=400
        )
    return _xlsx(workbook_sheets(figures), f"figures-{figures.jurisdiction.code}")


# --- outcomes ------------------------------------------------------------------------------------


def _outcomes(form: FiguresForm) -> OutcomeFigures | None:
    if not form.roots or not form.is_valid():
        return None
    d = form.cleaned_data
    return outcome_figures(user=form.user, jurisdiction=d["jurisdiction"], start=d["start"], end=d["end"])


@login_required
def outcome_figures_page(request: HttpRequest) -> HttpResponse:
    form = _bound_form(request)
    figures = _outcomes(form)
    context: dict[str, Any] = {"form": form, "figures": figures, "nav": "figures", "columns": outcome_columns}
    if figures is not None:
        language = normalise_language(get_language())
        bulletins = all_bulletins(figures)
        context.update(
            {
                "sections": sections(figures.totals),
                "rows": [(row, row_lines(row.figures)) for row in figures.by_child],
                "totals_row": row_lines(figures.totals),
                "language": language,
                "bulletin": bulletins[language],
                "other_bulletins": [
                    (lang, LANGUAGE_NAMES[lang], bulletins[lang]) for lang in LANGUAGES if lang != language
                ],
                "export_query": _period_query(form),
            }
        )
    status = 400 if form.roots and form.is_bound and not form.is_valid() else 200
    return render(request, "figures/outcomes.html", context, status=status)


@login_required
def outcome_figures_export(request: HttpRequest) -> HttpResponse:
    form = _bound_form(request)
    figures = _outcomes(form)
    if figures is None:
        return render(
            request, "figures/outcomes.html", {"form": form, "figures": None, "nav": "figures"}, status=400
        )
    language = normalise_language(get_language())
    return _xlsx(outcome_sheets(figures, language), f"outcomes-{figures.jurisdiction.code}")

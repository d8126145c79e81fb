"""The clue figures page and its Excel download."""

from __future__ import annotations

import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from saohei.core.export import XLSX, _cell_value
from saohei.figures.forms import FiguresForm, period_default
from saohei.figures.kpis import ClueFigures, clue_figures
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
                "export_query": urlencode(
                    {
                        "jurisdiction": d["jurisdiction"].code,
                        "start": d["start"].isoformat(),
                        "end": d["end"].isoformat(),
                    }
                ),
            }
        )
    status = 400 if form.roots and form.is_bound and not form.is_valid() else 200
    return render(request, "figures/clues.html", context, status=status)


@login_required
def clue_figures_export(request: HttpRequest) -> HttpResponse:
    form = _bound_form(request)
    figures = _figures(form)
    if figures is None:
        return render(
            request, "figures/clues.html", {"form": form, "figures": None, "nav": "figures"}, status=400
        )
    wb = Workbook(write_only=True)
    for title, headers, rows in workbook_sheets(figures):
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
    name = f"figures-{figures.jurisdiction.code}-{stamp}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

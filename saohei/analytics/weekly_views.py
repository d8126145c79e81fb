"""The weekly analysis (周研判) page and its documents: an Excel workbook and a PDF (or a printable page).

The page and both documents are built from one `WeeklyPage` (the analysis put into rows and words),
so the workbook holds exactly the counts the page shows. Everything works without JavaScript: the
week and the jurisdiction are picked with a GET form and previous/next links.
"""

from __future__ import annotations

import importlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from saohei.analytics.weekly import IsoWeek, Trend, TrendLevel
from saohei.analytics.weekly_selectors import (
    ALPHA,
    IN_HAND_STATES,
    MIN_COUNT,
    MIN_RATIO,
    TRAILING_CHOICES,
    UNCATEGORISED,
    ClueLine,
    Node,
    WeeklyData,
    weekly_data_for_user,
    weekly_default_jurisdiction,
    weekly_jurisdiction_choices,
    weekly_may_see,
    weekly_roots,
)
from saohei.clues.choices import Priority, State
from saohei.core.export import XLSX, xlsx_sheets_bytes
from saohei.orgs.models import Jurisdiction

RECEIVED_STATES: tuple[str, ...] = tuple(s for s in State.values if s != State.DUPLICATE)
CLUE_LEDGER = "clue-ledger"


# --- the form ------------------------------------------------------------------------------------


class WeeklyForm(forms.Form):
    jurisdiction = forms.CharField(label=gettext_lazy("Jurisdiction"), max_length=6)
    week = forms.CharField(label=gettext_lazy("Week"), max_length=10,
                           help_text=gettext_lazy("An ISO week such as 2026-W05, or a date inside it."))
    trailing = forms.TypedChoiceField(label=gettext_lazy("Compared with"), coerce=int)

    def __init__(self, *args: Any, user: AbstractBaseUser | AnonymousUser,
                 roots: Sequence[Jurisdiction] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.roots = list(roots) if roots is not None else weekly_roots(user)
        self.fields["trailing"].choices = [  # type: ignore[attr-defined]
            (n, ngettext("the week before", "the %(n)d weeks before", n) % {"n": n}) for n in TRAILING_CHOICES]
        places = weekly_jurisdiction_choices(roots=self.roots)
        asked = self.data.get("jurisdiction") if self.is_bound else None
        if asked and all(j.code != asked for j in places):
            extra = Jurisdiction.objects.filter(code=str(asked)[:6]).first()
            if extra is not None and weekly_may_see(roots=self.roots, jurisdiction=extra):
                places.append(extra)
        top = min((j.depth for j in places), default=0)
        self.fields["jurisdiction"].widget = forms.Select(
            choices=[(j.code, "\u3000" * (j.depth - top) + f"{j.name} ({j.code})") for j in places])
        self.fields["week"].widget = forms.TextInput(attrs={"type": "week"})

    def clean_jurisdiction(self) -> Jurisdiction:
        code = (self.cleaned_data.get("jurisdiction") or "").strip()
        node = Jurisdiction.objects.filter(code=code).first()
        if node is None:
            raise forms.ValidationError(_("No jurisdiction has the code %(code)s."), params={"code": code[:6]})
        if not weekly_may_see(roots=self.roots, jurisdiction=node):
            raise forms.ValidationError(_("You may not see the analysis of %(name)s."), params={"name": node.name})
        return node

    def clean_week(self) -> IsoWeek:
        raw = (self.cleaned_data.get("week") or "").strip()
        try:
            week = IsoWeek.of(raw)
        except ValueError:
            raise forms.ValidationError(_("Give a week as 2026-W05, or a date inside it.")) from None
        if week > IsoWeek.of(timezone.localdate()):
            raise forms.ValidationError(_("That week has not begun yet."))
        if week.year < 2000:
            raise forms.ValidationError(_("Choose a week from 2000 on."))
        return week


def _bound_form(request: HttpRequest) -> WeeklyForm:
    """The form as asked, each missing field filled with its default: the user's office, this week, 4 weeks."""
    roots = weekly_roots(request.user)
    default = weekly_default_jurisdiction(request.user, roots=roots)
    data = {"jurisdiction": default.code if default else "", "week": str(IsoWeek.of(timezone.localdate())),
            "trailing": str(TRAILING_CHOICES[0])}
    data.update({k: request.GET[k] for k in data if request.GET.get(k)})
    return WeeklyForm(data, user=request.user, roots=roots)


def _data(form: WeeklyForm) -> WeeklyData | None:
    if not form.roots or not form.is_valid():
        return None
    d = form.cleaned_data
    return weekly_data_for_user(user=form.user, jurisdiction=d["jurisdiction"], week=d["week"],
                                trailing_weeks=d["trailing"])


# --- the analysis in rows and words --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cell:
    count: int
    url: str  # the clue ledger listing the clues counted; "" when the ledger cannot list them
    shade: float  # 0 for nothing, up to 1 for the busiest cell

    @property
    def style(self) -> str:
        """The cell's background: the busier, the redder (readable without colour: the number is there)."""
        return f"background-color: rgba(192, 57, 43, {0.12 + 0.6 * self.shade:.2f})" if self.shade else ""


@dataclass(frozen=True, slots=True)
class MatrixRow:
    place: str
    node: Node
    cells: tuple[Cell, ...]
    total: Cell


@dataclass(frozen=True, slots=True)
class Matrix:
    """Clues received in the analysed week per jurisdiction (rows) and category (columns)."""

    columns: tuple[str, ...]  # category names, those with clues this week
    rows: tuple[MatrixRow, ...]
    totals: tuple[int, ...]
    total: int


@dataclass(frozen=True, slots=True)
class HotspotLine:
    rank: int
    place: str
    category: str
    count: int
    share: float  # percent of the week's clues
    before: float  # weekly mean of the trailing weeks
    url: str


@dataclass(frozen=True, slots=True)
class WeekRow:
    place: str
    counts: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class TrendLine:
    place: str
    category: str
    current: int
    before: float
    ratio: float
    q_value: float
    reason: str

    @property
    def q_text(self) -> str:
        return "< 0.001" if self.q_value < 0.001 else f"{self.q_value:.3f}"


@dataclass(frozen=True, slots=True)
class ClueRow:
    line: ClueLine
    url: str
    days_overdue: int | None


@dataclass(frozen=True, slots=True)
class WeeklyPage:
    data: WeeklyData
    title: str
    period: str
    hotspots: tuple[HotspotLine, ...]
    matrix: Matrix
    week_labels: tuple[str, ...]
    week_rows: tuple[WeekRow, ...]
    weekly_totals: tuple[int, ...]
    trends: tuple[TrendLine, ...]
    overdue: tuple[ClueRow, ...]
    repeated: tuple[ClueRow, ...]
    high_priority: tuple[ClueRow, ...]
    list_urls: Mapping[str, str]
    rule: str


def _ledger(params: Sequence[tuple[str, str]]) -> str:
    return f"{reverse(CLUE_LEDGER)}?{urlencode(list(params))}"


def _place_params(data: WeeklyData, code: str) -> list[tuple[str, str]]:
    """The ledger's filter for one row: the child's subtree, or the chosen jurisdiction's own clues."""
    return [("jurisdiction_exact" if code == data.jurisdiction.code else "jurisdiction", code)]


def _received_url(data: WeeklyData, *, code: str, category: str) -> str:
    if category == UNCATEGORISED:
        return ""  # the ledger has no filter for "no category yet"
    week = data.week
    params = [*_place_params(data, code), *(("state", s) for s in RECEIVED_STATES),
              ("created_from", week.monday.isoformat()), ("created_to", week.sunday.isoformat())]
    if category:
        params.append(("category", category))
    return _ledger(params)


def category_name(data: WeeklyData, code: str) -> str:
    if code == UNCATEGORISED:
        return _("Not yet categorised")
    if not code:
        return _("All categories")
    return data.category_names.get(code, code)


def _place_name(data: WeeklyData, code: str, name: str) -> str:
    """The name of a row; the chosen jurisdiction's own clues are told apart from its children's."""
    beside_children = code == data.jurisdiction.code and any(not n.own_level for n in data.nodes)
    return _("%(name)s (this level)") % {"name": name} if beside_children else name


def _number(value: float) -> str:
    """1, 1.5, 2.3: one decimal at most, no trailing zero."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def trend_reason(trend: Trend, *, this_week: bool) -> str:
    """The rise in plain words: "12 clues this week against about 2 a week before"."""
    values = {"current": trend.current, "before": _number(trend.baseline)}
    if trend.baseline == 0:
        return (ngettext("%(current)d clue this week against none before",
                         "%(current)d clues this week against none before", trend.current) if this_week else
                ngettext("%(current)d clue that week against none before",
                         "%(current)d clues that week against none before", trend.current)) % values
    return (ngettext("%(current)d clue this week against about %(before)s a week before",
                     "%(current)d clues this week against about %(before)s a week before", trend.current) if this_week
            else ngettext("%(current)d clue that week against about %(before)s a week before",
                          "%(current)d clues that week against about %(before)s a week before", trend.current)) % values


def _matrix(data: WeeklyData) -> Matrix:
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for row in data.rows:
        if IsoWeek.of(row.period) == data.week:
            counts[(row.jurisdiction_code, row.category)] += row.count
    categories = sorted({cat for (_code, cat), n in counts.items() if n},
                        key=lambda c: (data.category_order.get(c, len(data.category_order)), c))
    busiest = max(counts.values(), default=0)

    def cell(code: str, category: str, n: int) -> Cell:
        return Cell(n, _received_url(data, code=code, category=category) if n else "",
                    n / busiest if busiest and category else 0.0)

    rows = tuple(
        MatrixRow(_place_name(data, node.code, node.name), node,
                  tuple(cell(node.code, cat, counts.get((node.code, cat), 0)) for cat in categories),
                  cell(node.code, "", sum(counts.get((node.code, cat), 0) for cat in categories)))
        for node in data.nodes)
    totals = tuple(sum(counts.get((node.code, cat), 0) for node in data.nodes) for cat in categories)
    return Matrix(tuple(category_name(data, c) for c in categories), rows, totals, sum(totals))


def _week_rows(data: WeeklyData) -> tuple[WeekRow, ...]:
    position = {w: i for i, w in enumerate(data.analysis.weeks)}
    counts: dict[str, list[int]] = {node.code: [0] * len(position) for node in data.nodes}
    for row in data.rows:
        i = position.get(IsoWeek.of(row.period))
        if i is not None and row.jurisdiction_code in counts:
            counts[row.jurisdiction_code][i] += row.count
    return tuple(WeekRow(_place_name(data, n.code, n.name), tuple(counts[n.code])) for n in data.nodes)


def _clue_rows(data: WeeklyData, facts: Sequence[tuple[str, int | None]]) -> tuple[ClueRow, ...]:
    return tuple(ClueRow(data.clues[fid], reverse("clue-detail", kwargs={"pk": int(fid)}), days)
                 for fid, days in facts if fid in data.clues)


def _list_urls(data: WeeklyData) -> dict[str, str]:
    place = [("jurisdiction", data.jurisdiction.code)]
    in_hand = [("state", s) for s in IN_HAND_STATES]
    high = [("priority", str(p)) for p in Priority.values if p <= Priority.HIGH]
    return {"overdue": _ledger([*place, ("overdue", "true")]),
            "repeated": _ledger([*place, *in_hand, ("repeat", "true")]),
            "high_priority": _ledger([*place, *in_hand, *high])}


def weekly_page_rows(data: WeeklyData) -> WeeklyPage:
    """The analysis as the page and the documents show it."""
    a = data.analysis
    this_week = data.in_progress
    title = _("Weekly analysis of %(name)s, week %(week)s") % {"name": data.jurisdiction.name, "week": str(data.week)}
    period = _("%(monday)s to %(sunday)s, compared with the %(n)d weeks before") % {
        "monday": data.week.monday.isoformat(), "sunday": data.week.sunday.isoformat(), "n": data.trailing_weeks}
    hotspots = tuple(
        HotspotLine(h.rank, _place_name(data, h.jurisdiction_code, h.jurisdiction_name),
                    category_name(data, h.category), h.count, round(100 * h.share, 1), round(h.trailing_mean, 1),
                    _received_url(data, code=h.jurisdiction_code, category=h.category))
        for h in a.hotspots)
    trends = tuple(
        TrendLine(_place_name(data, t.jurisdiction_code, t.jurisdiction_name),
                  category_name(data, t.category if t.level == TrendLevel.CELL else ""), t.current,
                  round(t.baseline, 1), round(t.ratio, 1), t.q_value, trend_reason(t, this_week=this_week))
        for t in a.rising)
    rule = ngettext(
        "A rise is shown when the week has at least %(count)d clues, at least %(ratio)s times the weekly mean "
        "before, and the rise is unlikely to be chance: q ≤ %(alpha)s, allowing for the %(tested)d count tested.",
        "A rise is shown when the week has at least %(count)d clues, at least %(ratio)s times the weekly mean "
        "before, and the rise is unlikely to be chance: q ≤ %(alpha)s, allowing for the %(tested)d counts tested "
        "at once (each place, and each category in each place).", a.tested,
    ) % {"count": MIN_COUNT, "ratio": _number(MIN_RATIO), "alpha": f"{ALPHA:g}", "tested": a.tested}
    return WeeklyPage(
        data=data, title=title, period=period, hotspots=hotspots, matrix=_matrix(data),
        week_labels=tuple(str(w) for w in a.weeks), week_rows=_week_rows(data), weekly_totals=a.weekly_totals,
        trends=trends,
        overdue=_clue_rows(data, [(o.fact.id, o.days_overdue) for o in a.overdue]),
        repeated=_clue_rows(data, [(f.id, None) for f in a.repeated]),
        high_priority=_clue_rows(data, [(f.id, None) for f in a.high_priority]),
        list_urls=_list_urls(data), rule=rule,
    )


def _week_query(form: WeeklyForm, week: IsoWeek) -> str:
    d = form.cleaned_data
    return urlencode({"jurisdiction": d["jurisdiction"].code, "week": str(week), "trailing": d["trailing"]})


# --- the page ------------------------------------------------------------------------------------


@login_required
def weekly_page(request: HttpRequest) -> HttpResponse:
    form = _bound_form(request)
    data = _data(form)
    context: dict[str, Any] = {"form": form, "nav": "figures", "page": None}
    if data is not None:
        current = IsoWeek.of(timezone.localdate())
        context.update({
            "page": weekly_page_rows(data),
            "query": _week_query(form, data.week),
            "previous_query": _week_query(form, data.week.shifted(-1)),
            "previous_week": str(data.week.shifted(-1)),
            "next_query": _week_query(form, data.week.shifted(1)) if data.week < current else "",
            "next_week": str(data.week.shifted(1)),
            "this_week_query": _week_query(form, current) if data.week != current else "",
        })
    status = 400 if form.roots and not form.is_valid() else 200
    return render(request, "analytics/weekly.html", context, status=status)


# --- the documents -------------------------------------------------------------------------------


def _clue_sheet(rows: Sequence[ClueRow], *, base: str, overdue: bool) -> tuple[list[str], list[list[Any]]]:
    headers = [_("Number"), _("Title"), _("Jurisdiction"), _("Category"), _("State"), _("Deadline"),
               *([_("Days overdue")] if overdue else []), _("Reports"), _("Priority"), _("Analysed priority"),
               _("Link")]
    body = [[r.line.number, r.line.title, r.line.jurisdiction_name, r.line.category_name or _("Not yet categorised"),
             r.line.state, r.line.deadline, *([r.days_overdue] if overdue else []), r.line.report_count,
             r.line.priority_label, r.line.analysed_score, base + r.url] for r in rows]
    return headers, body


def workbook_sheets(page: WeeklyPage, *, base: str) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The sheets of the Excel document: (title, headers, rows); `base` makes the links absolute."""
    data, a = page.data, page.data.analysis
    summary: list[list[Any]] = [[_("Jurisdiction"), f"{data.jurisdiction.name} ({data.jurisdiction.code})"],
               [_("Week"), str(data.week)], [_("Period"), page.period],
               [_("Clues received in the week"), a.total], [_("Rising trends"), len(page.trends)],
               [_("Overdue clues"), data.list_sizes.overdue], [_("Repeated clues"), data.list_sizes.repeated],
               [_("High-priority clues"), data.list_sizes.high_priority], [_("As of"), data.today],
               [_("Rule for a rising trend"), page.rule]]
    summary += [[_("Clues received in %(week)s") % {"week": label}, n]
                for label, n in zip(page.week_labels, page.weekly_totals, strict=True)]
    return [
        (_("Overview"), [_("Item"), _("Value")], summary),
        (_("Hotspots"), [_("Rank"), _("Jurisdiction"), _("Category"), _("Clues this week"), _("Share (%)"),
                         _("Weekly mean before")],
         [[h.rank, h.place, h.category, h.count, h.share, h.before] for h in page.hotspots]),
        (_("Jurisdiction x category"), [_("Jurisdiction"), *page.matrix.columns, _("Total")],
         [[r.place, *(c.count for c in r.cells), r.total.count]
          for r in page.matrix.rows] + [[_("Total"), *page.matrix.totals, page.matrix.total]]),
        (_("Week by week"), [_("Jurisdiction"), *page.week_labels],
         [[r.place, *r.counts] for r in page.week_rows] + [[_("Total"), *page.weekly_totals]]),
        (_("Rising trends"), [_("Jurisdiction"), _("Category"), _("Clues this week"), _("Weekly mean before"),
                              _("Ratio"), _("q-value"), _("Why")],
         [[t.place, t.category, t.current, t.before, t.ratio, round(t.q_value, 6), t.reason] for t in page.trends]),
        (_("Overdue"), *_clue_sheet(page.overdue, base=base, overdue=True)),
        (_("Repeated"), *_clue_sheet(page.repeated, base=base, overdue=False)),
        (_("High priority"), *_clue_sheet(page.high_priority, base=base, overdue=False)),
    ]


def _pdf_bytes(html: str, *, base_url: str) -> bytes | None:
    """The document as PDF, or None when WeasyPrint is not installed on this server."""
    try:
        weasyprint = importlib.import_module("weasyprint")
    except ImportError:
        return None
    pdf: bytes = weasyprint.HTML(string=html, base_url=base_url).write_pdf()
    return pdf


def _filename(data: WeeklyData, extension: str) -> str:
    return f"weekly-{data.jurisdiction.code}-{data.week}.{extension}"


@login_required
def weekly_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The analysis as .xlsx, .pdf, or .html (the PDF's source: a page to print from the browser)."""
    if fmt not in ("xlsx", "pdf", "html"):
        raise Http404
    form = _bound_form(request)
    data = _data(form)
    if data is None:
        return render(request, "analytics/weekly.html", {"form": form, "nav": "figures", "page": None}, status=400)
    page = weekly_page_rows(data)
    base = request.build_absolute_uri("/").rstrip("/")
    if fmt == "xlsx":
        response = HttpResponse(xlsx_sheets_bytes(workbook_sheets(page, base=base)), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{_filename(data, "xlsx")}"'
        return response
    html = render_to_string("analytics/weekly_document.html",
                            {"page": page, "base": base, "generated": timezone.localtime()},
                            request=request)
    if fmt == "html":
        return HttpResponse(html)
    pdf = _pdf_bytes(html, base_url=base + "/")
    if pdf is None:
        query = _week_query(form, data.week)
        return render(request, "analytics/weekly_nopdf.html", {"query": query, "nav": "figures"}, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(data, "pdf")}"'
    return response

"""An office's default verification deadlines per clue category."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from saohei.clues.models import DeadlineDefault, OffenceCategory
from saohei.clues.services.deadlines import MAX_DAYS, deadline_default_set, may_set_deadlines
from saohei.orgs.models import Office
from saohei.orgs.policies import standing_for


def _readable(request: HttpRequest, office: Office) -> bool:
    standing = standing_for(request.user)
    if standing.is_superuser:
        return True
    paths = standing.all_office_paths + list(standing.unit_paths.values())
    return any(office.jurisdiction.path.startswith(p) or p.startswith(office.jurisdiction.path) for p in paths)


@login_required
def office_deadlines(request: HttpRequest, pk: int) -> HttpResponse:
    office = get_object_or_404(Office.objects.select_related("jurisdiction"), pk=pk)
    if not _readable(request, office):
        raise PermissionDenied(_("This office lies outside the part of the organisation you work in."))
    may_edit = may_set_deadlines(request.user, office)  # type: ignore[arg-type]
    categories = list(OffenceCategory.objects.filter(active=True))
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(_("Only the office director sets the office's deadlines."))
        changed = 0
        current = {d.category_id: d.days for d in DeadlineDefault.objects.filter(office=office)}
        for category in categories:
            raw = request.POST.get(f"days_{category.code}", "").strip()
            days = int(raw) if raw.isdigit() else None
            if raw and days is None:
                errors[category.code] = _("Enter a whole number of days.")
                continue
            if days is not None and not 1 <= days <= MAX_DAYS:
                errors[category.code] = _("A deadline is between 1 and %(max)s days.") % {"max": MAX_DAYS}
                continue
            if (days or 0) == current.get(category.pk, 0):
                continue
            try:
                deadline_default_set(office=office, category=category, days=days, actor=request.user)  # type: ignore[arg-type]
                changed += 1
            except ValidationError as exc:
                errors[category.code] = " ".join(exc.messages)
        if not errors:
            messages.success(request, _("%(n)s deadline rules saved.") % {"n": changed})
            return redirect("office-deadlines", pk=office.pk)
    rules = {d.category_id: d.days for d in DeadlineDefault.objects.filter(office=office, days__gt=0)}
    rows = [
        {"category": c, "days": request.POST.get(f"days_{c.code}") if errors else rules.get(c.pk, ""),
         "error": errors.get(c.code, "")}
        for c in categories
    ]
    return render(request, "clues/office_deadlines.html", {
        "office": office, "rows": rows, "may_edit": may_edit, "max_days": MAX_DAYS, "nav": "orgs",
    }, status=422 if errors else 200)

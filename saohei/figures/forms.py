"""The figures form: which jurisdiction subtree, which period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saohei.orgs.models import NATIONAL_CODE, Jurisdiction
from saohei.orgs.policies import standing_for

MAX_DAYS = 3700  # about ten years: the weekly trend stays readable


def subtree_roots(user: AbstractBaseUser | AnonymousUser) -> list[Jurisdiction]:
    """The widest jurisdictions whose figures the user may ask for, widest first.

    Office staff: their offices' jurisdictions; unit staff: their units' jurisdictions; a
    superuser: the national root. A root inside another root is left out.
    """
    standing = standing_for(user)
    if standing.is_superuser:
        return list(Jurisdiction.objects.filter(code=NATIONAL_CODE))
    paths = sorted(
        set(standing.office_paths.values()) | set(standing.unit_paths.values()), key=lambda p: (len(p), p)
    )
    roots: list[str] = []
    for path in paths:
        if not any(path.startswith(r) for r in roots):
            roots.append(path)
    by_path = {j.path: j for j in Jurisdiction.objects.filter(path__in=roots)}
    return [by_path[p] for p in roots if p in by_path]


def period_default(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or timezone.localdate()
    return dt.date(today.year, 1, 1), today


class FiguresForm(forms.Form):
    jurisdiction = forms.CharField(label=_("Jurisdiction (code)"), max_length=6)
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, user: AbstractBaseUser | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.roots = subtree_roots(user)
        self.fields["jurisdiction"].widget.attrs.update(
            {"list": "figures-jurisdictions", "inputmode": "numeric", "pattern": "[0-9]{6}"}
        )

    def choices(self) -> list[Jurisdiction]:
        """The roots and their direct children, offered in the jurisdiction field's list."""
        out: list[Jurisdiction] = []
        for root in self.roots:
            out.append(root)
            out.extend(Jurisdiction.objects.filter(parent=root).order_by("code"))
        return out

    def clean_jurisdiction(self) -> Jurisdiction:
        code = (self.cleaned_data.get("jurisdiction") or "").strip()
        node = Jurisdiction.objects.filter(code=code).first()
        if node is None:
            raise forms.ValidationError(
                _("No jurisdiction has the code %(code)s."), params={"code": code[:6]}
            )
        if not any(node.path.startswith(r.path) for r in self.roots):
            raise forms.ValidationError(
                _("You may not see the figures of %(name)s."), params={"name": node.name}
            )
        return node

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end of the period is before its start."))
            elif (end - start).days > MAX_DAYS:
                self.add_error("end", _("Choose a period of at most ten years."))
        return data

"""Widgets shared by every ledger's filters."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class YesNoAny(forms.Select):
    """A yes / no / any choice whose empty option reads "any", not "unknown"."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, choices=[("", _("any")), ("true", _("yes")), ("false", _("no"))])

    def value_from_datadict(self, data: Any, files: Any, name: str) -> bool | None:
        value = str(data.get(name) or "").lower()
        return {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}.get(value)

    def format_value(self, value: Any) -> list[str]:
        return [{True: "true", False: "false"}.get(value, "")]


class DateInput(forms.DateInput):
    input_type = "date"


class LedgerFilterSet(django_filters.FilterSet):  # type: ignore[misc]
    """A FilterSet whose yes/no filters say "any" and whose dates use the browser's date picker."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for flt in self.filters.values():
            if isinstance(flt, django_filters.BooleanFilter):
                flt.extra["widget"] = YesNoAny
            elif isinstance(flt, django_filters.DateFilter):
                flt.extra["widget"] = DateInput


def day_start(day: dt.date, plus_days: int = 0) -> dt.datetime:
    """Midnight at the start of `day` (+ `plus_days`) in the local time zone: date filters mean whole days."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=plus_days), dt.time.min))

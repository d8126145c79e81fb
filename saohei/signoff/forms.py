"""Forms for configuring sign-off chains: the policy and its ordered steps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from saohei.orgs.choices import Role, UnitKind
from saohei.signoff.models import Track

STEP_ROLES = [(v, label) for v, label in Role.choices if v != Role.SYSADMIN]


class PolicyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80, help_text=_("e.g. 五长一警审核责任制, 三长负责制"))
    track = forms.ChoiceField(label=_("Track"), choices=Track.choices, required=False)
    category_code = forms.CharField(
        label=_("Clue category code (empty: every category)"), max_length=40, required=False
    )


class StepForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=80,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 派出所所长")}),
    )
    role = forms.ChoiceField(label=_("Role"), choices=[("", "—"), *STEP_ROLES], required=False)
    unit_kind = forms.ChoiceField(
        label=_("Unit kind"), required=False, choices=[("", _("the assigned unit itself")), *UnitKind.choices]
    )
    at_office = forms.BooleanField(label=_("Signed in the office"), required=False)
    position_title = forms.CharField(label=_("Position title required"), max_length=80, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = bool((data.get("title") or "").strip() or data.get("role"))
        if filled:
            if not (data.get("title") or "").strip():
                self.add_error("title", _("Give the step a title."))
            if not data.get("role"):
                self.add_error("role", _("Choose the role that signs."))
            if data.get("at_office") and data.get("unit_kind"):
                self.add_error("unit_kind", _("A signature in the office does not name a unit kind."))
        data["filled"] = filled
        return data

    def step_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "title": d["title"].strip(),
            "role": d["role"],
            "unit_kind": d.get("unit_kind") or "",
            "at_office": bool(d.get("at_office")),
            "position_title": (d.get("position_title") or "").strip(),
        }


StepFormSet = forms.formset_factory(StepForm, extra=8, max_num=20)

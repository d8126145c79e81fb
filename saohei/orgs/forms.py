"""Forms of the organisation pages. They validate input; services do the writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from saohei.orgs.choices import Role, Sector, UnitKind, WorkingGroupKind
from saohei.orgs.models import Jurisdiction, Office, Unit, WorkingGroup

ADMIN_ONLY_ROLES = {Role.SYSADMIN}


class OfficeSettingsForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    default_deadline_days = forms.IntegerField(
        label=_("Default verification deadline (days)"), min_value=1, max_value=365
    )
    due_soon_days = forms.IntegerField(
        label=_("Warn this many days before the deadline"), min_value=0, max_value=60
    )


class UnitForm(forms.Form):
    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.none())
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    sector = forms.ChoiceField(
        label=_("Sector (industry regulators)"), choices=Sector.choices, required=False
    )
    parent = forms.ModelChoiceField(
        label=_("Under unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("A police station or brigade sits under its police bureau."),
    )
    jurisdiction = forms.CharField(
        label=_("Jurisdiction code"),
        max_length=6,
        required=False,
        help_text=_("Leave empty for the office's own jurisdiction."),
    )

    def __init__(self, *args: Any, offices: QuerySet[Office], units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices  # type: ignore[attr-defined]
        self.fields["parent"].queryset = units.filter(active=True)  # type: ignore[attr-defined]

    def clean_jurisdiction(self) -> Jurisdiction | None:
        code = (self.cleaned_data.get("jurisdiction") or "").strip()
        if not code:
            return None
        node = Jurisdiction.objects.filter(code=code).first()
        if node is None:
            raise forms.ValidationError(_("No jurisdiction has the code %(code)s.") % {"code": code})
        return node

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, parent = data.get("kind"), data.get("parent")
        if kind == UnitKind.POLICE_STATION and parent is not None and parent.kind != UnitKind.POLICE_BUREAU:
            self.add_error("parent", _("A police station sits under a police bureau."))
        office = data.get("office")
        if office is not None and parent is not None and parent.office_id != office.pk:
            self.add_error("parent", _("A unit's parent must belong to the same office."))
        return data


class UnitEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    sector = forms.ChoiceField(
        label=_("Sector (industry regulators)"), choices=Sector.choices, required=False
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give a reason."))
        return str(reason)


class WorkingGroupForm(forms.Form):
    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.none())
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=WorkingGroupKind.choices)
    units = forms.ModelMultipleChoiceField(
        label=_("Units taking part"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )

    def __init__(self, *args: Any, offices: QuerySet[Office], units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices  # type: ignore[attr-defined]
        self.fields["units"].queryset = units.filter(active=True)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        office, units = data.get("office"), data.get("units") or []
        foreign = [u.name for u in units if office is not None and u.office_id != office.pk]
        if foreign:
            self.add_error(
                "units",
                _("These units do not belong to the office: %(units)s") % {"units": "、".join(foreign)},
            )
        return data


class WorkingGroupEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=WorkingGroupKind.choices)
    units = forms.ModelMultipleChoiceField(
        label=_("Units taking part"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    active = forms.BooleanField(label=_("Active"), required=False)
    reason = forms.CharField(
        label=_("Reason (when standing the group down)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, group: WorkingGroup, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            office_id=group.office_id, active=True
        )


class UserCreateForm(forms.Form):
    username = forms.RegexField(
        label=_("User name"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        error_messages={"invalid": _("Use letters, digits and . @ + - _ only.")},
    )
    display_name = forms.CharField(label=_("Display name"), max_length=80)
    language = forms.ChoiceField(
        label=_("Interface language"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE
    )
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput, strip=False)

    def clean_username(self) -> str:
        username = str(self.cleaned_data["username"])
        if get_user_model().objects.filter(username=username).exists():
            raise forms.ValidationError(_("The user name %(name)s is taken.") % {"name": username})
        return username

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        validate_password(password)
        return password


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=80)
    language = forms.ChoiceField(label=_("Interface language"), choices=settings.LANGUAGES)


def place_choices(
    offices: QuerySet[Office], units: QuerySet[Unit], groups: QuerySet[WorkingGroup]
) -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices "office:1", "unit:5", "group:3" for one select."""
    return [
        (str(_("Offices")), [(f"office:{o.pk}", o.name) for o in offices]),
        (
            str(_("Units")),
            [(f"unit:{u.pk}", f"{u.name} ({u.office.jurisdiction.name})") for u in units.filter(active=True)],
        ),
        (
            str(_("Working groups")),
            [(f"group:{g.pk}", f"{g.name} ({g.office.name})") for g in groups.filter(active=True)],
        ),
    ]


def resolve_place(value: str) -> Office | Unit | WorkingGroup | None:
    kind, _sep, pk = value.partition(":")
    if not pk.isdigit():
        return None
    if kind == "office":
        return Office.objects.filter(pk=int(pk)).select_related("jurisdiction").first()
    if kind == "unit":
        return Unit.objects.filter(pk=int(pk)).select_related("office__jurisdiction").first()
    if kind == "group":
        return WorkingGroup.objects.filter(pk=int(pk)).select_related("office__jurisdiction").first()
    return None


def place_key(place: Office | Unit | WorkingGroup) -> str:
    kind = "office" if isinstance(place, Office) else "unit" if isinstance(place, Unit) else "group"
    return f"{kind}:{place.pk}"


class MembershipGrantForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    place = forms.ChoiceField(label=_("In"), choices=())
    title = forms.CharField(
        label=_("Position title"),
        max_length=80,
        required=False,
        help_text=_("As written in sign-off chains, e.g. 派出所所长, 责任民警."),
    )

    def __init__(
        self,
        *args: Any,
        choices: list[tuple[str, list[tuple[str, str]]]],
        may_grant_admin: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = choices  # type: ignore[attr-defined]
        if not may_grant_admin:
            self.fields["role"].choices = [  # type: ignore[attr-defined]
                (v, label) for v, label in Role.choices if v not in ADMIN_ONLY_ROLES
            ]

    def clean_username(self) -> Any:
        username = self.cleaned_data["username"].strip()
        person = get_user_model().objects.filter(username=username).first()
        if person is None:
            raise forms.ValidationError(_("No user is called %(name)s.") % {"name": username})
        return person

    def clean_place(self) -> Office | Unit | WorkingGroup:
        place = resolve_place(self.cleaned_data["place"])
        if place is None:
            raise forms.ValidationError(_("Choose an office, unit or working group."))
        return place


class MembershipTitleForm(forms.Form):
    title = forms.CharField(label=_("Position title"), max_length=80, required=False)

"""The public forms: the guided report form, the receipt form and the reporter's reply."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

PROTECTION_CHOICES = [
    ("unknown", _("I don't know")),
    ("yes", _("Yes")),
    ("no", _("No")),
]
IDENTITY_CHOICES = [
    ("anonymous", _("Anonymously: I do not give my name")),
    ("named", _("With my name")),
]
KEY = RegexValidator(r"^[0-9a-f]{32}$", _("The form has expired; open it again."))


class SubmitForm(forms.Form):
    place = forms.CharField(widget=forms.HiddenInput, max_length=6, error_messages={
        "required": _("Choose the place again."), "max_length": _("Choose the place again.")})
    idempotency_key = forms.CharField(widget=forms.HiddenInput, validators=[KEY], error_messages={
        "required": _("The form has expired; open it again.")})
    content = forms.CharField(
        label=_("What happened?"), max_length=20_000,
        help_text=_("Describe what you saw or know, in your own words: what they do, to whom, how often."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    subject = forms.CharField(
        label=_("A short title (optional)"), max_length=200, required=False,
        help_text=_("If you leave it empty, the start of your description is used."),
    )
    persons = forms.CharField(
        label=_("Who is involved?"), max_length=4000, required=False,
        help_text=_("Names, nicknames, positions, what each one does."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    location_text = forms.CharField(
        label=_("Where exactly?"), max_length=200, required=False,
        help_text=_("Street, building, shop, village — as precise as you can."),
    )
    when = forms.CharField(
        label=_("When?"), max_length=200, required=False,
        help_text=_("A date, a period, or “still going on”."),
    )
    protection = forms.ChoiceField(
        label=_("Do officials protect them (保护伞)?"), choices=PROTECTION_CHOICES, initial="unknown",
        widget=forms.RadioSelect,
    )
    protectors = forms.CharField(
        label=_("Which officials, and how?"), max_length=4000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence = forms.CharField(
        label=_("What evidence is there?"), max_length=8000, required=False,
        help_text=_("Witnesses, records, photos, where proof can be found. You can also attach files below."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    identity = forms.ChoiceField(
        label=_("Do you give your name?"), choices=IDENTITY_CHOICES, initial="anonymous", widget=forms.RadioSelect,
    )
    name = forms.CharField(label=_("Your name"), max_length=100, required=False)
    contact = forms.CharField(
        label=_("How can we reach you? (optional)"), max_length=200, required=False,
        help_text=_("A telephone number or an address. It is encrypted; only staff holding the permission can "
                    "read it, and every reading is recorded."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("identity") == "named" and not (data.get("name") or "").strip():
            self.add_error("name", _("Give your name, or choose to report anonymously."))
        if data.get("identity") != "named":
            data["name"] = ""
        if data.get("protection") != "yes" and not (data.get("protectors") or "").strip():
            data["protectors"] = ""
        return data


class FollowForm(forms.Form):
    receipt = forms.CharField(
        label=_("Your receipt"), max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Add information or answer"), max_length=10_000, required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

"""Forms of the staff side of intake: recording a report, reading an identity, voiding, importing."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saohei.intake.choices import Channel
from saohei.orgs.models import Jurisdiction, Office

# The public portal has its own site; staff record every other channel.
STAFF_CHANNELS = [(value, label) for value, label in Channel.choices if value != Channel.PORTAL]

# What the "source reference" means for each channel (shown as help).
SOURCE_REFERENCE_HELP = {
    Channel.HOTLINE: _("Call record number, if any"),
    Channel.LETTER: _("Letter registration number"),
    Channel.VISIT: _("Visit registration number"),
    Channel.EMAIL: _("Mailbox message number"),
    Channel.WECHAT: _("WeChat message number"),
    Channel.INCIDENT_110: _("110 incident number"),
    Channel.HIGHER_REFERRAL: _("Referral document number"),
    Channel.UNIT_TRANSFER: _("Transfer document number"),
    Channel.SCREENING: _("Screening record number"),
    Channel.CASE_SPINOFF: _("Case number"),
}

ID_NUMBER_RE = re.compile(r"^(\d{15}|\d{17}[\dXx])$")
IDEMPOTENCY_RE = re.compile(r"^[0-9a-f]{32}$")
DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


class ReportForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=STAFF_CHANNELS)
    office = forms.ModelChoiceField(
        label=_("Receiving office"), queryset=Office.objects.none(), empty_label=None
    )
    jurisdiction = forms.CharField(
        label=_("Jurisdiction code"),
        max_length=6,
        required=False,
        help_text=_("Six-digit code of the place concerned; blank for the office's own jurisdiction."),
        widget=forms.TextInput(attrs={"list": "jurisdiction-codes", "inputmode": "numeric"}),
    )
    received_at = forms.DateTimeField(
        label=_("Received at"),
        input_formats=DATETIME_INPUT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 8}))
    location_text = forms.CharField(label=_("Place"), max_length=200, required=False)
    source_reference = forms.CharField(
        label=_("Source reference"),
        max_length=80,
        required=False,
        help_text=_("110 incident number, referral document number, …"),
    )
    reporter_name = forms.CharField(
        label=_("Reporter's name"),
        max_length=80,
        required=False,
        help_text=_("Leave blank for an anonymous report."),
    )
    reporter_contact = forms.CharField(
        label=_("Reporter's contact"),
        max_length=120,
        required=False,
        help_text=_("Telephone, address or e-mail through which feedback can be given."),
    )
    reporter_id_number = forms.CharField(label=_("Reporter's ID number"), max_length=18, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=32)

    def __init__(self, *args: Any, offices: QuerySet[Office], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        office_field = self.fields["office"]
        assert isinstance(office_field, forms.ModelChoiceField)
        office_field.queryset = offices
        if not self.is_bound:
            self.initial.setdefault("received_at", timezone.localtime().replace(second=0, microsecond=0))
            self.initial.setdefault("idempotency_key", new_idempotency_key())
            first = offices.first()
            if first is not None:
                self.initial.setdefault("office", first.pk)
        for field in self.fields.values():
            field.widget.attrs.setdefault("autocomplete", "off")

    def clean_received_at(self) -> dt.datetime:
        value: dt.datetime = self.cleaned_data["received_at"]
        if value > timezone.now() + dt.timedelta(minutes=5):
            raise forms.ValidationError(_("A report cannot be received in the future."))
        return value

    def clean_reporter_id_number(self) -> str:
        value = str(self.cleaned_data.get("reporter_id_number") or "").strip().upper()
        if value and not ID_NUMBER_RE.match(value):
            raise forms.ValidationError(_("An ID number has 15 or 18 characters: digits, the last may be X."))
        return value

    def clean_idempotency_key(self) -> str:
        value = str(self.cleaned_data.get("idempotency_key") or "").strip().lower()
        if not IDEMPOTENCY_RE.match(value):
            raise forms.ValidationError(_("The form has expired; open it again."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        office: Office | None = data.get("office")
        code = str(data.get("jurisdiction") or "").strip()
        if office is None:
            return data
        if not code:
            data["jurisdiction_obj"] = office.jurisdiction
            return data
        node = Jurisdiction.objects.filter(code=code).first()
        if node is None:
            self.add_error("jurisdiction", _("No jurisdiction has the code %(code)s.") % {"code": code})
        elif not node.is_within(office.jurisdiction):
            self.add_error(
                "jurisdiction",
                _("%(name)s lies outside the jurisdiction of %(office)s.")
                % {"name": node.name, "office": office.name},
            )
        else:
            data["jurisdiction_obj"] = node
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), min_length=4, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class IdentityReadForm(ReasonForm):
    pass


class VoidForm(ReasonForm):
    pass


class ImportUploadForm(forms.Form):
    office = forms.ModelChoiceField(
        label=_("Receiving office"), queryset=Office.objects.none(), empty_label=None
    )
    file = forms.FileField(
        label=_("File (.xlsx or .csv)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"})
    )

    def __init__(self, *args: Any, offices: QuerySet[Office], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        office_field = self.fields["office"]
        assert isinstance(office_field, forms.ModelChoiceField)
        office_field.queryset = offices

    def clean_file(self) -> Any:
        from saohei.intake.imports import ImportFileError, file_check

        upload = self.cleaned_data["file"]
        if upload.size > settings.SAOHEI_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB; split it into smaller files.")
                % {"mb": settings.SAOHEI_IMPORT_MAX_BYTES // (1024 * 1024) or 1}
            )
        try:
            upload.seek(0)
            data = upload.read()
            upload.seek(0)
            file_check(name=upload.name or "", data=data)
        except ImportFileError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload

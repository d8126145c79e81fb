"""Words for what analytics found, in the user's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


def reason_text(reason: Any) -> str:
    """A repeat reason (a code, or [code, value]) as a phrase."""
    code, value = (reason[0], reason[1]) if isinstance(reason, list | tuple) and len(reason) > 1 else (reason, "")
    if isinstance(code, list | tuple):
        code = code[0]
    labels = {
        "similar-text": _("similar text"),
        "same-phone": _("same phone number"),
        "same-id-number": _("same ID number"),
        "same-plate": _("same number plate"),
        "same-bank-account": _("same bank account"),
        "same-company": _("same company"),
    }
    label = labels.get(str(code), str(code))
    return f"{label} {value}".strip()

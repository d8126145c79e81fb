"""The entities panel of a record page (`{% record_entities "clue" clue %}`) and the labels of who-is-who evidence."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from saohei.analytics.models import CorrectionAction
from saohei.analytics.network_selectors import (
    ENTITY_KIND_LABELS,
    record_corrections,
    record_mentions,
    record_url,
    record_visible,
)

register = template.Library()

EVIDENCE_LABELS = {
    "same_name": _("same name"), "same_name_after_t2s": _("same name in another script"),
    "common_name": _("common name"), "homophone_only": _("sounds alike only"),
    "one_character_differs": _("one character differs"), "anonymised_compatible": _("anonymised name that fits"),
    "same_surname_only": _("same surname only"), "different_surname": _("different surname"),
    "same_alias": _("same alias"), "no_shared_alias": _("no alias in common"), "same_phone": _("same phone number"),
    "no_shared_phone": _("no phone number in common"), "same_birth_year": _("same year of birth"),
    "birth_year_close": _("years of birth close"), "birth_year_differs_by_one": _("years of birth one apart"),
    "birth_year_differs": _("different years of birth"), "same_place": _("same place"),
    "same_prefecture": _("same prefecture"), "same_province": _("same province"),
    "different_place": _("different place"), "same_id_number": _("same ID number"),
    "different_id_number": _("different ID numbers"),
}
DECISION_LABELS = {"match": _("same person"), "review": _("to review"), "no match": _("not the same"),
                   "confirm": _("confirmed by an analyst"), "reject": _("rejected by an analyst")}
_DETAIL_ATTRIBUTES = ("role", "unit", "code", "form")


@register.inclusion_tag("analytics/network_entity_panel.html", takes_context=True)
def record_entities(context: dict[str, Any], record_kind: str, record: Any) -> dict[str, Any]:
    """The entities read from the record's text, with the forms to remove, change or add one. Shows nothing to a
    user who may not see the record."""
    request = context["request"]
    visible = record is not None and record_visible(user=request.user, record_kind=record_kind, record_id=record.pk)
    mentions = record_mentions(record_kind=record_kind, record_id=record.pk) if visible else []
    rows = [{"mention": m, "kind": ENTITY_KIND_LABELS.get(m.kind, m.kind),
             "details": [str(m.attributes[a]) for a in _DETAIL_ATTRIBUTES if m.attributes.get(a)
                         and a != "form"]} for m in mentions]
    return {
        "visible": visible, "rows": rows, "record_kind": record_kind, "record_id": getattr(record, "pk", None),
        "kinds": list(ENTITY_KIND_LABELS.items()), "actions": CorrectionAction,
        "corrections": record_corrections(record_kind=record_kind, record_id=record.pk) if visible else [],
        "next": request.get_full_path(), "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def record_link(record_kind: str, record_id: str | int) -> str:
    """The page of a report, clue or case."""
    return record_url(record_kind, record_id)


@register.filter
def evidence_label(code: str) -> str:
    """A reason code of the resolution as the analyst reads it."""
    return str(EVIDENCE_LABELS.get(code, code.replace("_", " ")))


@register.filter
def entity_kind_label(kind: str) -> str:
    return str(ENTITY_KIND_LABELS.get(kind, kind))


@register.filter
def decision_label(decision: str) -> str:
    return str(DECISION_LABELS.get(decision, decision))

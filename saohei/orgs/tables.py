"""Tables of the organisation pages."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from saohei.orgs.models import Unit


class UnitTable(tables.Table):  # type: ignore[misc]
    name = tables.LinkColumn("unit-detail", args=[tables.A("pk")], verbose_name=_("Name"))
    kind = tables.Column(verbose_name=_("Kind"))
    parent = tables.Column(verbose_name=_("Under unit"), order_by=("parent__name",))
    office = tables.LinkColumn(
        "office-detail",
        args=[tables.A("office_id")],
        verbose_name=_("Office"),
        order_by=("office__jurisdiction__path",),
    )
    jurisdiction = tables.Column(verbose_name=_("Jurisdiction"), order_by=("jurisdiction__path",))
    sector = tables.Column(verbose_name=_("Sector"))
    active = tables.BooleanColumn(verbose_name=_("Active"))

    class Meta:
        model = Unit
        fields = ("name", "kind", "parent", "office", "jurisdiction", "sector", "active")
        attrs = {"class": "ledger", "id": "unit-table"}
        empty_text = _("Nothing matches these filters.")

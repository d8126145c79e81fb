"""Template filters of the figures pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from saohei.figures.bulletin import amount_text

register = template.Library()


@register.filter
def yuan(value: Decimal | int | None) -> str:
    """An amount of money as the seeds write it, in the page's language: 2716万元, 27.16 million yuan."""
    return amount_text(Decimal(value or 0), get_language() or "zh-hans")


def _number(figure: Any) -> SafeString:
    if figure.url:
        return format_html('<a href="{}" title="{}">{}</a>', figure.url, _("Show these rows"), localize(figure.value))
    return format_html('<span title="{}">{}</span>', _("No ledger filter lists these rows yet"), localize(figure.value))


@register.simple_tag
def outcome_cell(line: Any) -> SafeString:
    """One cell of the breakdown table: what ``_outcome_line.html`` renders without ``full``, written out
    here because the national table has a thousand of them."""
    if line.amount:
        text = yuan(line.amount.value)
        if line.amount.url:
            return format_html('<a href="{}" title="{}">{}</a>', line.amount.url, _("Show these rows"), text)
        return format_html("<span>{}</span>", text)
    if line.rate:
        if line.rate.percent is None:
            return format_html('<span title="{}">—</span>', _("Nothing to divide by"))
        return format_html('<a href="{}">{}%</a>', line.rate.numerator.url, localize(line.rate.percent))
    return _number(line.figure)

"""Template filters of the figures pages."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import get_language

from saohei.figures.bulletin import amount_text

register = template.Library()


@register.filter
def yuan(value: Decimal | int | None) -> str:
    """An amount of money as the seeds write it, in the page's language: 2716万元, 27.16 million yuan."""
    return amount_text(Decimal(value or 0), get_language() or "zh-hans")

"""Markup for the case page and the clue page's list of the cases a clue formed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from saohei.cases.models import Case
from saohei.cases.policies import may_create_case, may_open_review
from saohei.cases.selectors import case_visibility_filter, review_list_for_user
from saohei.cases.services.cases import FOUNDED, SIGNED_STATES, UNFOUNDED

register = template.Library()

TEN_THOUSAND = Decimal("10000")
HUNDRED_MILLION = Decimal("100000000")


@register.filter
def wan(amount: Decimal | int | None) -> str:
    """An amount in yuan as the bulletins write it: 万元, or 亿元 from a hundred million on."""
    value = Decimal(amount or 0)
    if value >= HUNDRED_MILLION:
        return _("%(amount)s hundred million yuan (亿元)") % {"amount": f"{value / HUNDRED_MILLION:,.4f}".rstrip("0")
                                                             .rstrip(".")}
    return _("%(amount)s ten thousand yuan (万元)") % {"amount": f"{value / TEN_THOUSAND:,.2f}"}


@register.simple_tag
def action_url(case: Case, name: str, target: Any = None) -> str:
    url = reverse("case-action", kwargs={"pk": case.pk, "name": name})
    return f"{url}?target={target.pk}" if target is not None else url


@register.inclusion_tag("cases/_clue_cases.html", takes_context=True)
def clue_cases(context: dict[str, Any], clue: Any) -> dict[str, Any]:
    """On a clue's page: the cases it formed (those the user may see), and what may be done next."""
    user = context["request"].user
    cases = list(Case.objects.filter(case_visibility_filter(user), clue_links__clue=clue)
                 .order_by("created_at", "pk"))
    signed = clue.state in SIGNED_STATES
    return {
        "clue": clue,
        "cases": cases,
        "may_form": signed and clue.conclusion in FOUNDED and may_create_case(user, clue.office),
        "may_review": signed and clue.conclusion in UNFOUNDED and may_open_review(user, clue),
        "reviews": list(review_list_for_user(user=user).filter(clue=clue)),
    }

"""Reward figures for a jurisdiction subtree and a period, as a user may see them.

Definitions (period = ``[start, end]``, both days included; rewards are dated by ``paid_at``, the
day of payment):

- people rewarded: distinct reports with a reward paid in the period (one reporter per report;
  the same reporter rewarded for two reports counts twice, as their identity is sealed).
- amount paid: the sum of the amounts of those rewards (CNY).

Only rewards in state ``paid`` count (a paid reward is never voided). A reward belongs to its
report's jurisdiction; the user sees the rewards of reports whose clue they may see. A paid reward
counts even if its report was voided later: the money was paid.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Substr

from saohei.clues.models import Clue
from saohei.intake.choices import RewardState
from saohei.intake.models import Reward
from saohei.orgs.models import Jurisdiction

User = AbstractBaseUser | AnonymousUser
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class RewardRow:
    code: str
    name: str
    #: Rewards of reports recorded at the jurisdiction itself, not in a child.
    own: bool
    people: int
    amount: Decimal


@dataclass(frozen=True)
class RewardFigures:
    jurisdiction: Jurisdiction
    start: dt.date
    end: dt.date
    people: int
    amount: Decimal
    by_child: list[RewardRow] = field(default_factory=list)


def paid_rewards(*, user: User, jurisdiction: Jurisdiction, start: dt.date, end: dt.date) -> QuerySet[Reward]:
    """The paid rewards of the subtree and period that the user may see."""
    qs = Reward.objects.filter(
        state=RewardState.PAID,
        paid_at__gte=start,
        paid_at__lte=end,
        report__jurisdiction__path__startswith=jurisdiction.path,
    )
    if getattr(user, "is_superuser", False):
        return qs
    return qs.filter(report__clue__in=Clue.objects.visible_to(user).values("pk"))


def reward_figures(*, user: User, jurisdiction: Jurisdiction, start: dt.date, end: dt.date) -> RewardFigures:
    """People rewarded and amount paid in ``jurisdiction``'s subtree over ``[start, end]``, in total
    and per child jurisdiction (plus a row for the jurisdiction itself when it has any)."""
    if end < start:
        raise ValueError("end before start")
    child_len = len(jurisdiction.path) + len("000000/")
    rows = (
        paid_rewards(user=user, jurisdiction=jurisdiction, start=start, end=end)
        .order_by()
        .annotate(node=Substr("report__jurisdiction__path", 1, child_len))
        .values("node")
        .annotate(people=Count("report", distinct=True), amount=Sum("amount"))
    )
    grouped: dict[str, tuple[int, Decimal]] = defaultdict(lambda: (0, ZERO))
    for row in rows:
        grouped[row["node"]] = (int(row["people"]), Decimal(row["amount"] or ZERO).quantize(ZERO))
    by_child: list[RewardRow] = []
    own = grouped.get(jurisdiction.path)
    if own and own[0]:
        by_child.append(RewardRow(jurisdiction.code, jurisdiction.name, True, own[0], own[1]))
    for child in Jurisdiction.objects.filter(parent=jurisdiction).order_by("code"):
        people, amount = grouped.get(child.path, (0, ZERO))
        by_child.append(RewardRow(child.code, child.name, False, people, amount))
    # Reports are distinct across nodes (each has one jurisdiction), so the totals are sums.
    return RewardFigures(
        jurisdiction=jurisdiction,
        start=start,
        end=end,
        people=sum(p for p, _a in grouped.values()),
        amount=sum((a for _p, a in grouped.values()), ZERO),
        by_child=by_child,
    )

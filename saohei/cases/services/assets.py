"""Assets of a case: sealed, seized or frozen when recorded; later confiscated or returned (final)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from saohei.cases.choices import SECURED_STATES, AssetKind, AssetState
from saohei.cases.models import Asset, AssetChange, Case
from saohei.cases.policies import may_work_on_case
from saohei.cases.services.common import (
    amount_cny,
    audit,
    case_lock,
    check_not_voided,
    choice,
    not_before,
    outcomes_stale,
    past_day,
    refuse,
    text,
)

FINAL_STATES = frozenset({AssetState.CONFISCATED, AssetState.RETURNED})


def asset_snapshot(a: Asset) -> dict[str, Any]:
    return {"case": a.case_id, "kind": a.kind, "description": a.description, "holder": a.holder, "amount": a.amount,
            "state": a.state, "secured_on": a.secured_on, "state_on": a.state_on}


def asset_record(*, actor: User, case: Case, kind: str, description: str, amount: Decimal | int | str,
                 state: str, secured_on: dt.date, holder: str = "") -> Asset:
    """An asset enters the ledger when it is sealed, seized or frozen."""
    kind = choice(kind, values=AssetKind.values, label=_("Kind"))
    description = text(description, label=_("Description"), required=True, max_length=300)
    holder = text(holder, label=_("Holder"), max_length=200)
    value = amount_cny(amount, label=_("Amount"))
    state = choice(state, values=AssetState.values, label=_("State"))
    if state not in SECURED_STATES:
        raise ValidationError(_("An asset enters the ledger when it is sealed, seized or frozen; record its "
                                "confiscation or return afterwards, as a change of state."))
    day = past_day(secured_on, label=_("Sealed, seized or frozen on"))
    with transaction.atomic():
        case = case_lock(case.pk)
        refuse(may_work_on_case(actor, case), _("You may not record assets of this case."))
        check_not_voided(case, label=_("This case"))
        asset = Asset.objects.create(case=case, jurisdiction_path=case.jurisdiction_path, kind=kind,
                                     description=description, holder=holder, amount=value, state=state,
                                     secured_on=day, state_on=day)
        AssetChange.objects.create(asset=asset, from_state="", to_state=state, on=day, recorded_by=actor)
        outcomes_stale(asset)
        audit(actor=actor, action="asset.record", object_type="asset", object_id=asset.pk, before=None,
              after={**asset_snapshot(asset), "case_number": case.number})
    return asset


def asset_state_change(*, actor: User, asset: Asset, state: str, on: dt.date, note: str = "") -> AssetChange:
    state = choice(state, values=AssetState.values, label=_("State"))
    day = past_day(on, label=_("On"))
    note = text(note, label=_("Note"))
    with transaction.atomic():
        asset = Asset.objects.select_for_update(of=("self",)).select_related("case").get(pk=asset.pk)
        refuse(may_work_on_case(actor, asset.case), _("You may not change the state of this asset."))
        check_not_voided(asset, label=_("This asset"))
        check_not_voided(asset.case, label=_("This case"))
        if asset.state in FINAL_STATES:
            raise ValidationError(_("This asset was %(state)s: that is final.")
                                  % {"state": AssetState(asset.state).label})
        if state == asset.state:
            raise ValidationError(_("The asset is already %(state)s.") % {"state": AssetState(state).label})
        not_before(day, asset.state_on, label=_("The change"), earlier_label=_("the current state"))
        before = asset_snapshot(asset)
        change = AssetChange.objects.create(asset=asset, from_state=asset.state, to_state=state, on=day, note=note,
                                            recorded_by=actor)
        asset.state, asset.state_on = state, day
        asset.save(update_fields=["state", "state_on", "updated_at"])
        outcomes_stale(asset)
        audit(actor=actor, action="asset.state", object_type="asset", object_id=asset.pk,
              before={"state": before["state"], "state_on": before["state_on"]},
              after={"state": state, "state_on": day}, reason=note)
    return change

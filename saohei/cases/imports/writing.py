"""Writing checked rows through the services of saohei.cases.services, every row or none."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from saohei.cases.imports.checking import Error, Plan
from saohei.cases.imports.columns import ASSETS, CASES, FUGITIVES, SUSPECTS, UMBRELLAS
from saohei.cases.services import (
    asset_record,
    asset_state_change,
    case_create,
    case_destroyed_record,
    case_solve,
    fugitive_add,
    fugitive_outcome_record,
    suspect_add,
    suspect_custody_change,
    suspect_outcome_record,
    umbrella_conclude,
    umbrella_open,
)
from saohei.orgs.models import Office


class Refused(Exception):
    """Some row was refused by a service: roll every row back."""


def write_case(*, actor: User, office: Office, plan: dict[str, Any]) -> None:
    case = case_create(actor=actor, office=office, **plan["create"])
    if plan["solved_on"]:
        case = case_solve(actor=actor, case=case, solved_on=plan["solved_on"])
    if plan["destroyed_on"]:
        case_destroyed_record(actor=actor, case=case, destroyed_on=plan["destroyed_on"])


def write_suspect(*, actor: User, office: Office, plan: dict[str, Any]) -> None:
    steps = plan["custody"]
    first = steps[0] if steps else None
    suspect = suspect_add(actor=actor, case=plan["case"], **plan["add"],
                          **({"custody": first[0], "custody_on": first[1]} if first else {}))
    for custody, on in steps[1:]:
        suspect_custody_change(actor=actor, suspect=suspect, custody=custody, on=on)
    for outcome, on, extra in plan["outcomes"]:
        suspect = suspect_outcome_record(actor=actor, suspect=suspect, outcome=outcome, on=on, **extra)


def write_asset(*, actor: User, office: Office, plan: dict[str, Any]) -> None:
    asset = asset_record(actor=actor, case=plan["case"], **plan["record"])
    if plan["final"]:
        state, on = plan["final"]
        asset_state_change(actor=actor, asset=asset, state=state, on=on)


def write_fugitive(*, actor: User, office: Office, plan: dict[str, Any]) -> None:
    fugitive = fugitive_add(actor=actor, office=office, **plan["add"])
    if plan["outcome"]:
        outcome, on, note = plan["outcome"]
        fugitive_outcome_record(actor=actor, fugitive=fugitive, outcome=outcome, on=on, note=note)


def write_umbrella(*, actor: User, office: Office, plan: dict[str, Any]) -> None:
    umbrella = umbrella_open(actor=actor, **plan["open"])
    if plan["conclusion"]:
        outcome, on, handling = plan["conclusion"]
        umbrella_conclude(actor=actor, umbrella=umbrella, outcome=outcome, outcome_on=on, handling=handling)


WRITERS: dict[str, Callable[..., None]] = {
    CASES: write_case,
    SUSPECTS: write_suspect,
    ASSETS: write_asset,
    FUGITIVES: write_fugitive,
    UMBRELLAS: write_umbrella,
}


def write_all(*, register: str, actor: User, office: Office, plans: list[Plan],
              finish: Callable[[], None]) -> list[Error]:
    """Write every row in one transaction; a row a service refuses is reported and nothing is kept.

    `finish` runs in the same transaction once every row is written (the batch marked done).

    Each row runs in its own savepoint so that every refusal is found in one pass, not just the first.
    """
    errors: list[Error] = []
    writer = WRITERS[register]
    try:
        with transaction.atomic():
            for plan in plans:
                try:
                    with transaction.atomic():
                        writer(actor=actor, office=office, plan=plan.values)
                except ValidationError as exc:
                    errors.extend({"row": plan.number, "column": "", "message": m} for m in exc.messages)
                except PermissionDenied as exc:
                    errors.append({"row": plan.number, "column": "", "message": str(exc)})
            if errors:
                raise Refused
            finish()
    except Refused:
        return errors
    return []

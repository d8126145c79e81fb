"""Checking every row of a register and collecting every error (row, column, message) in the
uploader's language. A checked row is a plan: the keyword arguments of the services that write it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from saohei.cases.choices import (
    SECURED_STATES,
    AssetKind,
    AssetState,
    CaseKind,
    CaseOrigin,
    Custody,
    FugitiveLocation,
    FugitiveOutcome,
    OrganizationType,
    SuspectOutcome,
    SuspectRole,
    UmbrellaOutcome,
)
from saohei.cases.imports.columns import (
    ALIASES,
    ASSETS,
    CASES,
    COLUMN_BY_KEY,
    FUGITIVES,
    LIST_SEPARATORS,
    SUSPECTS,
    UMBRELLAS,
)
from saohei.cases.models import Case
from saohei.cases.policies import may_handle_umbrellas
from saohei.cases.selectors import case_visibility_filter
from saohei.clues.choices import SupervisionLevel
from saohei.clues.models import Clue, OffenceCategory
from saohei.intake.imports.columns import DATE_FORMATS, ID_NUMBER_RE
from saohei.orgs.models import Jurisdiction, Office, Unit, WorkingGroup

Error = dict[str, Any]


@dataclass
class Plan:
    """One checked row: what to write, in order."""

    number: int
    values: dict[str, Any] = field(default_factory=dict)


def choice_table(choices: list[tuple[str, Any]], aliases: str = "") -> dict[str, str]:
    """Codes, interface labels in every language, and the register's Chinese names → code."""
    table: dict[str, str] = {}
    for value, label in choices:
        table[str(value).lower()] = str(value)
        for lang in ("en", "zh-hans", "zh-hant"):
            with translation.override(lang):
                table[str(label).strip().lower()] = str(value)
    for name, value in ALIASES.get(aliases, {}).items():
        table[name.lower()] = str(value)
    table.pop("", None)
    return table


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


class RowReader:
    """Typed reads of one row's cells; every problem becomes an error naming the row and the column."""

    def __init__(self, checker: RowChecker, number: int, values: dict[str, Any], errors: list[Error]) -> None:
        self.checker = checker
        self.number = number
        self.values = values
        self.errors = errors
        self.failed = False

    def error(self, key: str, message: str) -> None:
        self.failed = True
        self.errors.append({"row": self.number, "column": self.checker.column_label(key), "message": message})

    def raw(self, key: str) -> Any:
        value = self.values.get(key)
        if isinstance(value, str) and not value.strip():
            return None
        return value

    def text(self, key: str, *, required: bool = False) -> str:
        value = self.raw(key)
        if value is None:
            if required:
                self.error(key, _("This column may not be empty."))
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        out = str(value).strip()
        limit = COLUMN_BY_KEY[self.checker.register][key].max_length
        if limit and len(out) > limit:
            self.error(key, _("Longer than %(limit)s characters.") % {"limit": limit})
        return out

    def date(self, key: str, *, required: bool = False) -> dt.date | None:
        value = self.raw(key)
        if value is None:
            if required:
                self.error(key, _("The date is missing."))
            return None
        day = _parse_date(value)
        if day is None:
            self.error(key, _("Not a date: %(value)s (write it as 2024-03-01).") % {"value": value})
        elif day > self.checker.today:
            self.error(key, _("The date %(date)s lies in the future.") % {"date": day.isoformat()})
        elif day.year < 1949:
            self.error(key, _("The date %(date)s is too early.") % {"date": day.isoformat()})
        return day

    def choice(self, key: str, table: str, *, default: str | None = None) -> str:
        text = self.text(key)
        if not text:
            if default is None:
                self.error(key, _("This column may not be empty."))
                return ""
            return default
        code = self.checker.tables[table].get(text.lower())
        if code is None:
            self.error(key, _("Unknown value: %(value)s") % {"value": text})
            return ""
        return code

    def yes_no(self, key: str, *, default: bool) -> bool:
        text = self.text(key)
        if not text:
            return default
        answer = self.checker.tables["yes_no"].get(text.lower())
        if answer is None:
            self.error(key, _("Write yes or no (是 or 否), not %(value)s.") % {"value": text})
            return default
        return answer == "yes"

    def integer(self, key: str, *, low: int, high: int) -> int | None:
        value = self.raw(key)
        if value is None:
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite() or number != number.to_integral_value() or not low <= number <= high:
            self.error(key, _("Write a whole number from %(low)s to %(high)s.") % {"low": low, "high": high})
            return None
        return int(number)

    def amount(self, key: str) -> Decimal | None:
        value = self.raw(key)
        if value is None:
            self.error(key, _("The amount is missing."))
            return None
        text = str(value).strip().replace(",", "").replace("，", "").removesuffix("元")
        try:
            amount = Decimal(repr(value) if isinstance(value, float) else text)
        except InvalidOperation:
            amount = Decimal("NaN")
        if not amount.is_finite() or amount <= 0:
            self.error(key, _("Not an amount in yuan: %(value)s (write it as 125000.00).") % {"value": value})
            return None
        if amount != amount.quantize(Decimal("0.01")) or amount >= Decimal("1e14"):
            self.error(key, _("Not an amount in yuan: %(value)s (write it as 125000.00).") % {"value": value})
            return None
        return amount.quantize(Decimal("0.01"))

    def id_number(self, key: str) -> str:
        value = self.text(key).upper()
        if value and not ID_NUMBER_RE.match(value):
            self.error(key, _("An ID number has 15 or 18 characters: digits, the last may be X."))
        return value

    def items(self, key: str) -> list[str]:
        return [part for part in re.split(LIST_SEPARATORS, self.text(key)) if part]

    def lookup(self, key: str, find: Callable[[str], Any], *, required: bool = False) -> Any:
        text = self.text(key, required=required)
        if not text:
            return None
        found, message = find(text)
        if found is None:
            self.error(key, message)
        return found


class RowChecker:
    """The checks of one register for one uploader and office, with the lookups cached over the file."""

    def __init__(self, *, register: str, office: Office, actor: User, language: str) -> None:
        self.register = register
        self.office = office
        self.actor = actor
        self.chinese = language.lower().startswith("zh")
        self.today = timezone.localdate()
        self.cache: dict[tuple[str, str], tuple[Any, str]] = {}
        self.tables = {
            "kind": choice_table(CaseKind.choices, "kind"),
            "origin": choice_table(CaseOrigin.choices, "origin"),
            "organization_type": choice_table(OrganizationType.choices, "organization_type"),
            "supervision_level": choice_table(SupervisionLevel.choices, "supervision_level"),
            "role": choice_table(SuspectRole.choices, "role"),
            "custody": choice_table(Custody.choices, "custody"),
            "outcome_suspect": choice_table(SuspectOutcome.choices, "outcome_suspect"),
            "kind_asset": choice_table(AssetKind.choices, "kind_asset"),
            "state_asset": choice_table(AssetState.choices, "state_asset"),
            "location": choice_table(FugitiveLocation.choices, "location"),
            "outcome_fugitive": choice_table(FugitiveOutcome.choices, "outcome_fugitive"),
            "outcome_umbrella": choice_table(UmbrellaOutcome.choices, "outcome_umbrella"),
            "yes_no": dict(ALIASES["yes_no"]),
        }
        self.tables["organization_type"]["无"] = OrganizationType.NONE
        self.tables["supervision_level"]["无"] = SupervisionLevel.NONE

    def column_label(self, key: str) -> str:
        column = COLUMN_BY_KEY[self.register][key]
        return column.zh if self.chinese else column.en

    def check(self, number: int, values: dict[str, Any], errors: list[Error]) -> Plan | None:
        row = RowReader(self, number, values, errors)
        plan = CHECKS[self.register](self, row)
        return None if row.failed else Plan(number=number, values=plan)

    # --- lookups (cached: a register names the same case or unit many times) -----------------------

    def _cached(self, kind: str, text: str, find: Callable[[str], tuple[Any, str]]) -> tuple[Any, str]:
        key = (kind, text)
        if key not in self.cache:
            self.cache[key] = find(text)
        return self.cache[key]

    def case(self, number: str) -> tuple[Case | None, str]:
        def find(text: str) -> tuple[Any, str]:
            case = (Case.objects.filter(case_visibility_filter(self.actor), number=text, voided_at__isnull=True)
                    .select_related("jurisdiction").first())
            return case, _("No case you may see has the number %(number)s.") % {"number": text}

        return self._cached("case", number, find)

    def umbrella_case(self, number: str) -> tuple[Case | None, str]:
        """A case a protection case may be opened on: one the uploader sees or whose place they handle."""
        def find(text: str) -> tuple[Any, str]:
            case = Case.objects.filter(number=text, voided_at__isnull=True).select_related("jurisdiction").first()
            if case is not None and not (may_handle_umbrellas(self.actor, case.jurisdiction_path)
                                         or Case.objects.filter(case_visibility_filter(self.actor), pk=case.pk)
                                         .exists()):
                case = None
            return case, _("No case you may see has the number %(number)s.") % {"number": text}

        return self._cached("umbrella_case", number, find)

    def clue(self, number: str) -> tuple[Clue | None, str]:
        def find(text: str) -> tuple[Any, str]:
            clue = Clue.objects.visible_to(self.actor).filter(number=text).first()
            return clue, _("No clue you may see has the number %(number)s.") % {"number": text}

        return self._cached("clue", number, find)

    def unit(self, name: str) -> tuple[Unit | None, str]:
        def find(text: str) -> tuple[Any, str]:
            q = Q(name=text) | Q(pk=int(text)) if text.isdigit() and len(text) < 12 else Q(name=text)
            units = list(Unit.objects.filter(q, active=True).select_related("jurisdiction", "office")[:2])
            if len(units) > 1:
                return None, _("Several units are called %(name)s; write the unit's id instead.") % {"name": text}
            return (units[0] if units else None), _("No active unit is called %(name)s.") % {"name": text}

        return self._cached("unit", name, find)

    def working_group(self, name: str) -> tuple[WorkingGroup | None, str]:
        def find(text: str) -> tuple[Any, str]:
            groups = list(WorkingGroup.objects.filter(name=text, active=True, office=self.office)[:2]) or list(
                WorkingGroup.objects.filter(name=text, active=True)[:2])
            if len(groups) > 1:
                return None, _("Several working groups are called %(name)s.") % {"name": text}
            return (groups[0] if groups else None), _("No working group is called %(name)s.") % {"name": text}

        return self._cached("group", name, find)

    def jurisdiction(self, code: str) -> tuple[Jurisdiction | None, str]:
        def find(text: str) -> tuple[Any, str]:
            node = Jurisdiction.objects.filter(code=text).first()
            if node is None:
                return None, _("No jurisdiction has the code %(code)s.") % {"code": text}
            if not node.is_within(self.office.jurisdiction):
                return None, _("%(name)s lies outside the jurisdiction of %(office)s.") % {
                    "name": node.name, "office": self.office.name}
            return node, ""

        return self._cached("place", code, find)

    def offence(self, name: str) -> tuple[OffenceCategory | None, str]:
        def find(text: str) -> tuple[Any, str]:
            found = OffenceCategory.objects.filter(
                Q(code=text) | Q(name_zh_hans=text) | Q(name_zh_hant=text) | Q(name_en__iexact=text)
            ).first()
            return found, _("Unknown offence: %(value)s") % {"value": text}

        return self._cached("offence", name, find)


# --- the registers ---------------------------------------------------------------------------------


def check_case(checker: RowChecker, row: RowReader) -> dict[str, Any]:
    jurisdiction = row.lookup("jurisdiction", checker.jurisdiction) or checker.office.jurisdiction
    clues: list[Clue] = []
    for number in row.items("clues"):
        clue, message = checker.clue(number)
        if clue is None:
            row.error("clues", message)
        else:
            clues.append(clue)
    offences: list[OffenceCategory] = []
    for name in row.items("offences"):
        offence, message = checker.offence(name)
        if offence is None:
            row.error("offences", message)
        else:
            offences.append(offence)
    origin = row.choice("origin", "origin", default=CaseOrigin.CLUES if row.text("clues") else CaseOrigin.POLICE)
    if origin == CaseOrigin.CLUES and not row.text("clues"):
        row.error("clues", _("A case formed from clues names at least one clue number."))
    filed_on = row.date("filed_on")
    solved_on = row.date("solved_on")
    destroyed_on = row.date("destroyed_on")
    if solved_on and filed_on and solved_on < filed_on:
        row.error("solved_on", _("A case cannot be solved before it was filed."))
    organization_type = row.choice("organization_type", "organization_type", default="")
    if destroyed_on and not organization_type:
        row.error("destroyed_on", _("Only an organisation can be destroyed: give the organisation type."))
    return {
        "create": {
            "jurisdiction": jurisdiction,
            "title": row.text("title", required=True),
            "unit": row.lookup("unit", checker.unit, required=True),
            "summary": row.text("summary"),
            "kind": row.choice("kind", "kind", default=CaseKind.CRIMINAL),
            "origin": origin,
            "clues": clues,
            "organization_type": organization_type,
            "organization_name": row.text("organization_name"),
            "organization_leader": row.text("organization_leader"),
            "offences": offences,
            "filed_on": filed_on,
            "supervision_level": row.choice("supervision_level", "supervision_level", default=""),
            "lead_official": row.text("lead_official"),
            "lead_official_position": row.text("lead_official_position"),
        },
        "solved_on": solved_on,
        "destroyed_on": destroyed_on,
    }


def _custody_steps(row: RowReader) -> list[tuple[str, dt.date]]:
    """The custody changes a suspect row states, in date order: detention, arrest, then the present measure."""
    dated = ((str(Custody.DETAINED), row.date("detained_on")), (str(Custody.ARRESTED), row.date("arrested_on")))
    steps: list[tuple[str, dt.date]] = [(c, d) for c, d in dated if d]
    steps.sort(key=lambda step: step[1])
    custody = row.choice("custody", "custody", default="")
    custody_on = row.date("custody_on")
    if custody and custody != Custody.AT_LARGE and (not steps or steps[-1][0] != custody):
        if custody_on is None:
            row.error("custody_on", _("Give the date of the present custody measure."))
        elif steps and custody_on < steps[-1][1]:
            row.error("custody_on", _("The present custody measure cannot start before the earlier ones."))
        else:
            steps.append((custody, custody_on))
    elif custody == Custody.AT_LARGE and steps:
        row.error("custody", _("A suspect detained or arrested is not at large; leave the column empty or give "
                               "the present measure."))
    return steps


def check_suspect(checker: RowChecker, row: RowReader) -> dict[str, Any]:
    steps = _custody_steps(row)
    surrendered = row.yes_no("surrendered", default=False)
    if surrendered and not steps:
        row.error("surrendered", _("A suspect who surrendered is not at large: give the date of detention or "
                                   "arrest."))
    outcome = row.choice("outcome", "outcome_suspect", default=SuspectOutcome.PENDING)
    indicted_on = row.date("indicted_on")
    outcome_on = row.date("outcome_on")
    sentence = row.text("sentence")
    months = row.integer("sentence_months", low=0, high=1200)
    outcomes: list[tuple[str, dt.date | None, dict[str, Any]]] = []
    if outcome in (SuspectOutcome.INDICTED, SuspectOutcome.CONVICTED, SuspectOutcome.ACQUITTED):
        if indicted_on is None:
            row.error("indicted_on", _("Give the date of the indictment."))
        outcomes.append((SuspectOutcome.INDICTED, indicted_on, {}))
    if outcome in (SuspectOutcome.CONVICTED, SuspectOutcome.ACQUITTED, SuspectOutcome.NOT_PROSECUTED):
        if outcome_on is None:
            row.error("outcome_on", _("Give the date of the outcome."))
        extra = {"sentence": sentence, "sentence_months": months} if outcome == SuspectOutcome.CONVICTED else {}
        outcomes.append((outcome, outcome_on, extra))
    if outcome == SuspectOutcome.CONVICTED and not sentence and months is None:
        row.error("sentence", _("Give the sentence of the conviction."))
    elif outcome != SuspectOutcome.CONVICTED and (sentence or months is not None):
        row.error("sentence", _("Only a conviction carries a sentence."))
    return {
        "case": row.lookup("case", checker.case, required=True),
        "add": {
            "name": row.text("name", required=True),
            "alias": row.text("alias"),
            "id_number": row.id_number("id_number"),
            "birth_year": row.integer("birth_year", low=1900, high=checker.today.year),
            "role": row.choice("role", "role", default=SuspectRole.MEMBER),
            "surrendered": surrendered,
        },
        "custody": steps,
        "outcomes": outcomes,
    }


def check_asset(checker: RowChecker, row: RowReader) -> dict[str, Any]:
    state = row.choice("state", "state_asset")
    if state and state not in SECURED_STATES:
        row.error("state", _("An asset enters the ledger sealed, seized or frozen; write its confiscation or "
                             "return under the outcome."))
    secured_on = row.date("secured_on", required=True)
    final_state = row.choice("final_state", "state_asset", default="")
    final_on = row.date("final_on")
    if final_state and final_state not in (AssetState.CONFISCATED, AssetState.RETURNED):
        row.error("final_state", _("The outcome is confiscated or returned."))
    if final_state and final_on is None:
        row.error("final_on", _("Give the date of the confiscation or return."))
    if final_on and secured_on and final_on < secured_on:
        row.error("final_on", _("The outcome cannot come before the asset was secured."))
    return {
        "case": row.lookup("case", checker.case, required=True),
        "record": {
            "kind": row.choice("kind", "kind_asset"),
            "description": row.text("description", required=True),
            "amount": row.amount("amount"),
            "state": state,
            "secured_on": secured_on,
            "holder": row.text("holder"),
        },
        "final": (final_state, final_on) if final_state else None,
    }


def check_fugitive(checker: RowChecker, row: RowReader) -> dict[str, Any]:
    case = row.lookup("case", checker.case)
    jurisdiction = row.lookup("jurisdiction", checker.jurisdiction)
    if jurisdiction is None:
        jurisdiction = case.jurisdiction if case is not None else checker.office.jurisdiction
    listed_on = row.date("listed_on", required=True)
    outcome = row.choice("outcome", "outcome_fugitive", default=FugitiveOutcome.AT_LARGE)
    outcome_on = row.date("outcome_on")
    if outcome != FugitiveOutcome.AT_LARGE and outcome_on is None:
        row.error("outcome_on", _("Give the date of the outcome."))
    if outcome_on and listed_on and outcome_on < listed_on:
        row.error("outcome_on", _("The outcome cannot come before the fugitive was listed."))
    return {
        "add": {
            "jurisdiction": jurisdiction,
            "name": row.text("name", required=True),
            "listed_on": listed_on,
            "alias": row.text("alias"),
            "id_number": row.id_number("id_number"),
            "case": case,
            "pursuit_team": row.lookup("pursuit_team", checker.working_group),
            "location": row.choice("location", "location", default=FugitiveLocation.UNKNOWN),
        },
        "outcome": (outcome, outcome_on, row.text("note")) if outcome != FugitiveOutcome.AT_LARGE else None,
    }


def check_umbrella(checker: RowChecker, row: RowReader) -> dict[str, Any]:
    opened_on = row.date("opened_on", required=True)
    outcome = row.choice("outcome", "outcome_umbrella", default=UmbrellaOutcome.PENDING)
    outcome_on = row.date("outcome_on")
    if outcome and outcome_on is None:
        row.error("outcome_on", _("Give the date of the outcome."))
    if outcome_on and opened_on and outcome_on < opened_on:
        row.error("outcome_on", _("The outcome cannot come before the investigation was opened."))
    return {
        "open": {
            "name": row.text("name", required=True),
            "position": row.text("position", required=True),
            "handling_unit": row.lookup("handling_unit", checker.unit, required=True),
            "opened_on": opened_on,
            "case": row.lookup("case", checker.umbrella_case),
            "clue": row.lookup("clue", checker.clue),
            "employer": row.text("employer"),
            "party_member": row.yes_no("party_member", default=True),
        },
        "conclusion": (outcome, outcome_on, row.text("handling")) if outcome else None,
    }


CHECKS: dict[str, Callable[[RowChecker, RowReader], dict[str, Any]]] = {
    CASES: check_case,
    SUSPECTS: check_suspect,
    ASSETS: check_asset,
    FUGITIVES: check_fugitive,
    UMBRELLAS: check_umbrella,
}

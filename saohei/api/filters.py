"""A ledger's FilterSet as typed query parameters: the API lists filter exactly as the ledgers do.

The query schema is generated from the FilterSet, so a filter added to a ledger appears in
the API (and its OpenAPI description) without further work. Values are checked by the
schema, then handed to the FilterSet itself in the form its widgets read.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Annotated, Any, Literal

import django_filters
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import translation
from ninja import Schema
from pydantic import BeforeValidator, Field, create_model
from pydantic.json_schema import SkipJsonSchema

from saohei.api.errors import ApiError, form_error_items

logger = logging.getLogger(__name__)

MAX_ID = 2**62
MAX_TEXT = 200
# Dates far outside any record would overflow when turned into aware datetimes.
EARLIEST = dt.date(1949, 10, 1)
LATEST = dt.date(2999, 12, 31)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date_only(value: Any) -> Any:
    """Dates as YYYY-MM-DD only: pydantic alone would read `0` as 1970-01-01."""
    if isinstance(value, str) and not ISO_DATE.match(value):
        raise ValueError("a date is written YYYY-MM-DD")
    if not isinstance(value, str | dt.date):
        raise ValueError("a date is written YYYY-MM-DD")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_only)]


def _choice_values(f: django_filters.Filter) -> tuple[str, ...]:
    choices = f.extra.get("choices", ())
    if callable(choices):
        choices = choices()
    return tuple(str(value) for value, _label in choices if str(value) != "")


def _field_for(f: django_filters.Filter) -> Any:
    """The type of one filter as a query parameter, or None when it cannot be expressed."""
    if isinstance(f, django_filters.ModelMultipleChoiceFilter):
        return list[str]
    if isinstance(f, django_filters.MultipleChoiceFilter):
        values = _choice_values(f)
        return list[Literal[values]] if values else list[str]  # type: ignore[valid-type]
    if isinstance(f, django_filters.ModelChoiceFilter):
        return int
    if isinstance(f, django_filters.ChoiceFilter):
        values = _choice_values(f)
        return Literal[values] if values else str
    if isinstance(f, django_filters.BooleanFilter):
        return bool
    if isinstance(f, django_filters.DateFilter):
        return IsoDate
    if isinstance(f, django_filters.NumberFilter):
        return int
    if isinstance(f, django_filters.CharFilter):
        return str
    return None


def query_schema(filterset_class: type[django_filters.FilterSet], name: str) -> type[Schema]:
    fields: dict[str, Any] = {}
    with translation.override("en"):
        for key, f in filterset_class.base_filters.items():
            kind = _field_for(f)
            if kind is None:
                continue
            description = str(f.label or key)
            extra: dict[str, Any] = {"description": description}
            if kind is int:
                extra.update(ge=1, le=MAX_ID)
            elif kind is str:
                extra.update(max_length=MAX_TEXT)
            elif kind is IsoDate:
                extra.update(ge=EARLIEST, le=LATEST)
            fields[key] = (kind | SkipJsonSchema[None], Field(None, **extra))  # type: ignore[misc]  # absent: no filter
    model: type[Schema] = create_model(name, __base__=Schema, **fields)
    return model


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def filterset_data(values: Schema) -> QueryDict:
    """The validated values in the form the FilterSet's widgets read."""
    data = QueryDict(mutable=True)
    for key, value in values.model_dump(exclude_none=True).items():
        if isinstance(value, list):
            if value:
                data.setlist(key, [_as_text(v) for v in value])
        else:
            data[key] = _as_text(value)
    return data


def filtered(filterset_class: type[django_filters.FilterSet], values: Schema, queryset: QuerySet[Any],
             request: Any = None) -> QuerySet[Any]:
    """The queryset filtered by the ledger's FilterSet; invalid filters are a 422, not an empty list."""
    filterset = filterset_class(filterset_data(values), queryset=queryset, request=request)
    if not filterset.is_valid():
        from django.utils.translation import gettext as _

        raise ApiError(422, _("The filters are not valid: see errors."), form_error_items(filterset.errors))
    try:
        return filterset.qs  # type: ignore[no-any-return]
    except (ValueError, TypeError) as exc:
        # A filter that cannot be turned into a query is a defect of the FilterSet; answer 422, not 500.
        from django.utils.translation import gettext as _

        logger.error("%s could not apply %s: %s", filterset_class.__name__, dict(filterset.data.lists()), exc)
        raise ApiError(422, _("These filters cannot be applied."), []) from None

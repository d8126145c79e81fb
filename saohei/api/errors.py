"""One shape for every error: {"detail": "...", "errors": [{"loc": [...], "msg": "...", "type": "..."}]}."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from saohei.clues.services.common import TransitionRefused


class ErrorItem(Schema):
    loc: list[str]
    msg: str
    type: str


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem]


class ApiError(Exception):
    """Raised by endpoints for a 4xx answer in the house shape."""

    def __init__(self, status: int, detail: str, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or []


def errors(*codes: int) -> dict[int, type[ErrorOut]]:
    """The error responses an operation declares."""
    return dict.fromkeys(codes, ErrorOut)


def _body(detail: str, items: Iterable[dict[str, Any]] = ()) -> dict[str, Any]:
    return {
        "detail": str(detail),
        "errors": [
            {"loc": [str(p) for p in i.get("loc", [])], "msg": str(i.get("msg", "")), "type": str(i.get("type", ""))}
            for i in items
        ],
    }


def django_validation_items(exc: DjangoValidationError) -> list[dict[str, Any]]:
    if hasattr(exc, "error_dict"):
        return [
            {"loc": [field], "msg": m, "type": "invalid"}
            for field, messages in exc.message_dict.items()
            for m in messages
        ]
    return [{"loc": [], "msg": m, "type": "invalid"} for m in exc.messages]


def form_error_items(form_errors: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"loc": ["query", field], "msg": str(m), "type": "invalid"}
        for field, messages in form_errors.items()
        for m in messages
    ]


def install_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, detail: str, items: Iterable[dict[str, Any]] = ()) -> HttpResponse:
        return api.create_response(request, _body(detail, items), status=status)

    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return respond(request, exc.status, exc.detail, exc.errors)

    @api.exception_handler(NinjaValidationError)
    def request_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        items = [
            {"loc": e.get("loc", []), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors
        ]
        return respond(request, 422, _("The request is not valid: see errors."), items)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = respond(request, 401, _("Authentication required: send a valid API token as "
                                           "“Authorization: Bearer <token>”, or log in."))
        response["WWW-Authenticate"] = 'Bearer realm="saohei"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        detail = str(exc)
        if exc.status_code == 403 and "CSRF" in detail:
            detail = _("The CSRF check failed: send the X-CSRFToken header with a session login.")
        return respond(request, exc.status_code, detail)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, str(exc) or _("Not found."))

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, str(exc) or _("You may not do this."))

    @api.exception_handler(DjangoValidationError)
    def refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        items = django_validation_items(exc)
        detail = "; ".join(i["msg"] for i in items) or _("The request is not valid.")
        status = 409 if isinstance(exc, TransitionRefused) else 422
        return respond(request, status, detail, items)

"""The language of API answers: ?lang=, then Accept-Language, then the user's own choice, then zh-hans."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header


def _supported(code: str) -> str | None:
    try:
        return translation.get_supported_language_variant(code.strip().lower())
    except LookupError:
        return None


def explicit_language(request: HttpRequest) -> str | None:
    """The language the request asks for itself, if it is one we speak."""
    lang = request.GET.get("lang", "")
    if lang and (found := _supported(lang)):
        return found
    header = request.headers.get("Accept-Language", "")
    if header and len(header) < 500:
        for code, _q in parse_accept_lang_header(header):
            if code != "*" and (found := _supported(code)):
                return found
    return None


def with_language(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Wraps an operation so that everything it says is in the request's language."""

    @functools.wraps(run)
    def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        explicit = explicit_language(request)
        request._saohei_language_explicit = explicit is not None  # type: ignore[attr-defined]
        lang = explicit or getattr(request, "LANGUAGE_CODE", None) or settings.LANGUAGE_CODE
        with translation.override(lang):
            response = run(request, *args, **kwargs)
            response["Content-Language"] = translation.get_language() or lang
        return response

    return inner


def adopt_user_language(request: HttpRequest, user: Any) -> None:
    """A token caller that asked for no language is answered in the language of their profile."""
    if getattr(request, "_saohei_language_explicit", True):
        return
    profile = getattr(user, "profile", None)
    lang = getattr(profile, "language", "") if profile is not None else ""
    if lang and (found := _supported(lang)):
        translation.activate(found)

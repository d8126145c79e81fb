"""What every portal page shares: the language chosen by link (kept in a cookie), no caching,
refusing unreadable form input, and the receipt-guessing limits when their module is installed."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from saohei.intake.attachments import max_total_bytes

View = Callable[..., HttpResponse]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
# Room for the form's text fields on top of the files.
FORM_OVERHEAD_BYTES = 2 * 1024 * 1024


def language_links(request: HttpRequest) -> list[dict[str, Any]]:
    """Links to this page in each language: a plain GET with ?lang=, so no script is needed."""
    links = []
    for code, name in settings.LANGUAGES:
        params = {k: str(v) for k, v in request.GET.items() if k != "lang"}
        params["lang"] = code
        links.append({"code": code, "name": name, "url": f"{request.path}?{urlencode(params)}",
                      "current": code == getattr(request, "LANGUAGE_CODE", "")})
    return links


def portal_render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    context = {**context, "language_links": language_links(request)}
    return render(request, template, context, status=status)


def error_page(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return portal_render(request, "portal/error.html", {"message": message}, status=status)


def _unreadable(request: HttpRequest) -> bool:
    """Form text that was not valid UTF-8 arrives with replacement characters."""
    return any("\ufffd" in key or any("\ufffd" in v for v in values) for key, values in request.POST.lists())


def portal_page(view: View) -> View:
    """Remember a ?lang= choice in the language cookie, never cache, refuse what cannot be read."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST":
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > max_total_bytes() + FORM_OVERHEAD_BYTES:
                response = error_page(request, _("What you sent is too large: the files together may hold at most "
                                                 "%(mb)s MB.") % {"mb": max_total_bytes() // (1024 * 1024)}, 413)
            elif _unreadable(request):
                response = error_page(request, _("The form held text that could not be read (it is not valid "
                                                 "UTF-8). Go back, check the text and send it again."), 400)
            else:
                response = view(request, *args, **kwargs)
        else:
            response = view(request, *args, **kwargs)
        lang = request.GET.get("lang", "")
        if lang in {code for code, _name in settings.LANGUAGES}:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, lang, max_age=LANGUAGE_COOKIE_AGE, samesite="Lax",
                                httponly=True, secure=settings.SESSION_COOKIE_SECURE)
        add_never_cache_headers(response)
        return response

    return wrapper


def receipt_limits() -> tuple[Callable[[HttpRequest], bool], Callable[[HttpRequest], None]]:
    """The abuse module's limits on receipt guessing, or no limits when it is not installed."""
    try:
        from saohei.portal.abuse import (  # type: ignore[attr-defined,unused-ignore]
            receipt_attempt_allowed,
            receipt_attempt_failed,
        )
    except ImportError:

        def receipt_attempt_allowed(request: HttpRequest) -> bool:
            return True

        def receipt_attempt_failed(request: HttpRequest) -> None:
            return None

    return receipt_attempt_allowed, receipt_attempt_failed


def client_address(request: HttpRequest) -> str | None:
    """The client's address as the abuse defences see it (honouring SAOHEI_PORTAL_PROXY_COUNT)."""
    from saohei.portal.abuse.client import client_ip

    return client_ip(request) or None


def receipt_typed(request: HttpRequest, form: Any) -> tuple[str, int]:
    """Check the receipt form and the attempt limits.

    Returns the normalised receipt and 200, or "" and the status of the error now on the form. The
    follow-up page and the reward claim share it, so both limit wrong receipts alike.
    """
    from saohei.intake.receipts import receipt_normalise

    if not form.is_valid():
        return "", 400
    allowed, _failed = receipt_limits()
    if not allowed(request):
        form.add_error(None, _("Too many attempts. Wait a while before you try again."))
        return "", 429
    return receipt_normalise(form.cleaned_data["receipt"]), 200

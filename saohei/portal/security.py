"""HTTP hardening for every response, strictest on the public portal, and log scrubbing.

`PortalSecurityMiddleware` (listed right after Django's SecurityMiddleware) sets:

- Content-Security-Policy: only this origin's scripts, styles, images (and data: images), no
  plugins, no <base>, no framing, forms only to this origin. The workbench additionally allows
  inline style attributes (some workbench templates and ECharts' tooltips use them); scripts are
  never inline anywhere. A view that sets its own CSP (e.g. for a file download) keeps it.
- Referrer-Policy no-referrer on the portal (same-origin on the workbench, whose forms need the
  Origin header), Permissions-Policy, Cross-Origin-Opener-Policy, X-Content-Type-Options.
- Strict-Transport-Security and the Secure flag on every cookie when the request came over TLS.
- Cache-Control: no-store on portal pages, so a shared or seized phone keeps no copy.

With no-referrer, browsers send `Origin: null` on the portal's own form posts; the middleware turns
that into this site's origin when the browser says the post is same-origin (Sec-Fetch-Site) or
does not say, so Django's CSRF check still compares the token (which a cross-site page cannot read).

`PortalLogFilter` masks IP addresses in log messages and, for portal requests, drops the request
object (which carries headers and body) and exception messages (which may quote what was sent)
from log records. The middleware installs it on Django's request, server and security loggers and
on gunicorn's; docs/threat-model.md says how to configure access logs.
"""

from __future__ import annotations

import contextvars
import ipaddress
import logging
import re
import traceback
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse

_BASE_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def _policy(**overrides: str) -> str:
    return "; ".join(f"{name} {value}" for name, value in {**_BASE_POLICY, **overrides}.items())


PORTAL_CSP = _policy()
# Workbench: inline *style attributes* are used by a few templates (progress bars, indentation,
# receipts) and by ECharts tooltips; inline *scripts* stay forbidden.
WORKBENCH_CSP = _policy(**{"style-src": "'self' 'unsafe-inline'"})
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
PORTAL_PREFIX = "/portal/"

_on_portal: contextvars.ContextVar[bool] = contextvars.ContextVar("saohei_portal_request", default=False)


def is_portal_path(path: str) -> bool:
    """Whether `path` is served by the public portal on this server (static files are not)."""
    static = str(getattr(settings, "STATIC_URL", "/static/") or "/static/")
    if static.startswith("/") and path.startswith(static):
        return False
    if "workbench" not in settings.SAOHEI_SERVE:
        return True
    return path == PORTAL_PREFIX.rstrip("/") or path.startswith(PORTAL_PREFIX)


def _request_is_portal(request: Any) -> bool:
    path = getattr(request, "path_info", None)
    return isinstance(path, str) and is_portal_path(path)


class PortalSecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        install_log_filters()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        portal = is_portal_path(request.path_info)
        if portal:
            _repair_null_origin(request)
        token = _on_portal.set(portal)
        try:
            response = self.get_response(request)
        finally:
            _on_portal.reset(token)
        self.harden(request, response, portal=portal)
        return response

    @staticmethod
    def harden(request: HttpRequest, response: HttpResponse, *, portal: bool) -> None:
        headers = response.headers
        if not (settings.DEBUG and response.status_code >= 400):  # Django's debug pages are inline
            headers.setdefault("Content-Security-Policy", PORTAL_CSP if portal else WORKBENCH_CSP)
        headers["Referrer-Policy"] = "no-referrer" if portal else "same-origin"
        headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers["X-Content-Type-Options"] = "nosniff"
        secure = request.is_secure()
        hsts = int(getattr(settings, "SAOHEI_PORTAL_HSTS_SECONDS", 0))
        if secure and hsts > 0:
            headers.setdefault("Strict-Transport-Security", f"max-age={hsts}")
        if portal:
            headers["Cache-Control"] = "no-store, max-age=0"
            headers["Pragma"] = "no-cache"
            headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
            for name in ("ETag", "Last-Modified", "Expires"):
                if name in headers:
                    del headers[name]
        for morsel in response.cookies.values():
            if secure:
                morsel["secure"] = True
            if not morsel["samesite"]:
                morsel["samesite"] = "Lax"
            if portal:
                morsel["httponly"] = True


def _repair_null_origin(request: HttpRequest) -> None:
    """Under no-referrer a browser posts `Origin: null`; put back our origin for same-origin posts."""
    if request.META.get("HTTP_ORIGIN") != "null":
        return
    if request.META.get("HTTP_SEC_FETCH_SITE", "same-origin") != "same-origin":
        return  # a cross-site or sandboxed page: leave `null`, and CSRF refuses it
    try:
        host = request.get_host()
    except DisallowedHost:
        return
    request.META["HTTP_ORIGIN"] = f"{request.scheme}://{host}"


# --- logs ----------------------------------------------------------------------------------------

WITHHELD = "[address withheld]"
_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])")
_IPV6 = re.compile(r"(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:%\w+)?(?:\.\d{1,3}){0,3}(?![\w:])")
PROTECTED_LOGGERS = (
    "django.request",
    "django.server",
    "django.security.csrf",
    "django.security.DisallowedHost",
    "django.security.SuspiciousOperation",
    "django.security.SuspiciousFileOperation",
    "django.security.SuspiciousMultipartForm",
    "django.security.RequestDataTooBig",
    "django.security.TooManyFieldsSent",
    "django.security.TooManyFilesSent",
    "gunicorn.access",
    "gunicorn.error",
    "saohei",
    "saohei.portal",
)


def _mask_one(match: re.Match[str]) -> str:
    text = match.group(0)
    try:
        ipaddress.ip_address(text.split("%")[0])
    except ValueError:
        return text
    return WITHHELD


def mask_addresses(text: str) -> str:
    """`text` with every IPv4 and IPv6 address replaced by a placeholder."""
    return _IPV6.sub(_mask_one, _IPV4.sub(_mask_one, text))


class PortalLogFilter(logging.Filter):
    """Masks addresses in every record; strips request and exception detail from portal records."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        portal = _on_portal.get() or _request_is_portal(request)
        try:
            message = record.getMessage()
        except Exception:  # a malformed log call: keep the template, drop the arguments
            message, record.args = str(record.msg), None
        masked = mask_addresses(message)
        if masked != message:
            record.msg, record.args = masked, None
        if portal:
            if request is not None:
                record.request = None
            if record.exc_info and record.exc_info[0] is not None:
                exc_type, _exc, tb = record.exc_info
                stack = "".join(traceback.format_tb(tb))
                record.exc_text = (
                    f"Traceback (most recent call last):\n{stack}{exc_type.__name__}: (message withheld on the portal)"
                )
                record.exc_info = None
            elif record.exc_text:
                record.exc_text = mask_addresses(record.exc_text)
        return True  # never drop a record: only what it would reveal


_FILTER = PortalLogFilter()


def install_log_filters() -> None:
    """Attach the filter to the loggers that see requests and to the root logger's handlers (idempotent)."""
    targets: list[logging.Filterer] = [logging.getLogger(name) for name in PROTECTED_LOGGERS]
    targets.extend(logging.getLogger().handlers)
    for target in targets:
        if not any(isinstance(existing, PortalLogFilter) for existing in target.filters):
            target.addFilter(_FILTER)

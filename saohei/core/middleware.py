from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _


class UserLanguageMiddleware:
    """Each user's chosen interface language, falling back to the session, then zh-hans.

    Runs after the session middleware and before authentication, so it reads the
    language that login stored in the session (see core.signals).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings

        supported = {code for code, _name in settings.LANGUAGES}
        lang = request.session.get("saohei_language") if hasattr(request, "session") else None
        if not lang:
            lang = request.GET.get("lang") or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if lang not in supported:
            lang = settings.LANGUAGE_CODE
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", lang)
        translation.deactivate()
        return response


class RejectNulBytesMiddleware:
    """Refuse any request whose parameters carry a NUL character.

    No field of Saohei may hold one, and PostgreSQL cannot store one: without this check such input
    reaches the database and fails there (a server error) instead of getting a clear refusal.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._carries_nul(request):
            message = str(_("The request contains a NUL character, which no field accepts."))
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message, "errors": [{"loc": ["request"], "msg": message,
                                                                    "type": "nul_character"}]}, status=422)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request: HttpRequest) -> bool:
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query or "\x00" in request.path:
            return True
        if request.method not in ("POST", "PUT", "PATCH"):
            return False
        content_type = request.META.get("CONTENT_TYPE", "")
        if content_type.startswith("application/x-www-form-urlencoded"):
            return b"%00" in request.body or b"\x00" in request.body
        if content_type.startswith("application/json"):
            return b"\\u0000" in request.body.lower() or b"\x00" in request.body
        # Multipart bodies are left to the views (they check sizes before parsing), whose form fields
        # refuse NUL characters themselves (Django's ProhibitNullCharactersValidator).
        return False

"""The interface language a user chose: switched from any page, remembered on the profile."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from saohei.orgs.models import Profile
from saohei.orgs.services import profile_set_language


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    language = request.POST.get("language", "")
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    if language in {code for code, _name in settings.LANGUAGES}:
        request.session["saohei_language"] = language
        if request.user.is_authenticated:
            profile_set_language(user=request.user, language=language)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax", httponly=True)
    return response


@receiver(user_logged_in)
def remember_language(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """After login, the interface speaks the user's chosen language."""
    profile = Profile.objects.filter(user=user).first()
    if profile is not None and request is not None and hasattr(request, "session"):
        request.session["saohei_language"] = profile.language

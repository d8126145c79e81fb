from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver


@receiver(user_logged_in)
def remember_language(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """After login, the interface speaks the user's chosen language."""
    from saohei.orgs.models import Profile

    profile = Profile.objects.filter(user=user).first()
    if profile is not None and request is not None and hasattr(request, "session"):
        request.session["saohei_language"] = profile.language

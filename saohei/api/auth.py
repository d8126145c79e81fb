"""Who calls: a bearer token (`saohei token create USERNAME`), or the browser's session with CSRF."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from saohei.api.language import adopt_user_language
from saohei.api.services import api_token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = api_token_authenticate(key=token)
        if user is None:
            return None
        request.user = user
        adopt_user_language(request, user)
        return user


# The browser's session counts too (the docs page); its unsafe methods need the CSRF token.
AUTH = [TokenAuth(), SessionAuth(csrf=True)]


def caller(request: HttpRequest) -> Any:
    """The authenticated user of an API request."""
    return request.auth  # type: ignore[attr-defined]

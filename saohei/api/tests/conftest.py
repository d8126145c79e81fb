from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from saohei.api.services import api_token_create


class ApiClient:
    """A test client speaking to /api/v1/ as one persona, with a bearer token."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.client = Client()

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", **(extra or {})}

    def get(self, path: str, params: Any = None, headers: dict[str, str] | None = None) -> Any:
        return self.client.get(f"/api/v1{path}", params or {}, headers=self._headers(headers))

    def post(self, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        return self.client.post(f"/api/v1{path}", body if body is not None else {}, content_type="application/json",
                                headers=self._headers(headers))


@pytest.fixture
def as_persona(org):
    clients: dict[str, ApiClient] = {}

    def make(username: str) -> ApiClient:
        if username not in clients:
            _record, token = api_token_create(user=org.users[username], actor=None)
            clients[username] = ApiClient(token)
        return clients[username]

    return make

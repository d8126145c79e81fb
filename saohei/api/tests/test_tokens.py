import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from saohei.api.models import ApiToken
from saohei.api.services import api_token_create, api_token_revoke, token_hash


def _get(token: str, path: str = "/api/v1/jurisdictions", **headers):
    return Client().get(path, headers={"Authorization": f"Bearer {token}", **headers})


def test_token_create_command_prints_a_token_that_authenticates(org):
    out = StringIO()
    call_command("token", "create", "clerk.jianghan", "--days", "7", stdout=out, stderr=StringIO())
    token = out.getvalue().strip()
    assert token.startswith("shk_")
    record = ApiToken.objects.get(user=org.users["clerk.jianghan"])
    assert record.key_hash == token_hash(token) and token not in record.key_hash
    assert record.expires_at - timezone.now() > dt.timedelta(days=6, hours=23)
    response = _get(token)
    assert response.status_code == 200
    record.refresh_from_db()
    assert record.last_used_at is not None


def test_token_list_and_revoke_commands(org):
    record, token = api_token_create(user=org.users["chief.jianghan"], actor=None, label="ci")
    out = StringIO()
    call_command("token", "list", "chief.jianghan", stdout=out)
    assert record.prefix in out.getvalue() and token not in out.getvalue()
    call_command("token", "revoke", record.prefix, stdout=StringIO())
    assert _get(token).status_code == 401
    with pytest.raises(CommandError):
        call_command("token", "create", "nobody-here", stdout=StringIO(), stderr=StringIO())


@pytest.mark.parametrize("how", ["wrong", "revoked", "expired", "missing", "not-bearer"])
def test_bad_tokens_are_refused_with_401_in_the_house_error_shape(org, how):
    record, token = api_token_create(user=org.users["clerk.jianghan"], actor=None)
    headers = {}
    if how == "wrong":
        token = token[:-4] + "AAAA"
    elif how == "revoked":
        api_token_revoke(token=record, actor=None)
    elif how == "expired":
        ApiToken.objects.filter(pk=record.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    if how == "missing":
        response = Client().get("/api/v1/clues")
    elif how == "not-bearer":
        response = Client().get("/api/v1/clues", headers={"Authorization": f"Token {token}"})
    else:
        response = _get(token, "/api/v1/clues", **headers)
    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"detail", "errors"} and body["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_the_logged_in_browser_session_is_accepted(org):
    client = Client()
    client.force_login(org.users["clerk.jianghan"])
    assert client.get("/api/v1/clues").status_code == 200


def test_docs_page_is_served_without_any_cdn(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "cdn." not in html and "https://" not in html
    assert client.get("/api/v1/openapi.json").json()["openapi"].startswith("3.1")

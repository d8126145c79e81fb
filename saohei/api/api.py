"""The REST API at /api/v1/: OpenAPI 3.1 at /api/v1/openapi.json, docs at /api/v1/docs (served locally)."""

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from saohei.api.auth import AUTH
from saohei.api.errors import install_handlers
from saohei.api.language import with_language
from saohei.api.routers import cases, clues, figures, orgs, reports

DESCRIPTION = """The Saohei workbench as an API.

Authenticate with a bearer token (`saohei token create USERNAME` prints one) as
`Authorization: Bearer <token>`, or with a logged-in browser session (unsafe methods then need
the `X-CSRFToken` header). Every answer respects what the caller may see: a clue outside the
caller's jurisdiction is a 404, exactly like a missing one.

Errors always have the shape `{"detail": "...", "errors": [{"loc": [...], "msg": "...", "type": "..."}]}`,
in the language asked for with `?lang=` or `Accept-Language` (zh-hans, zh-hant, en; default zh-hans).
"""

api = NinjaAPI(
    title="Saohei API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=AUTH,
    # Swagger UI from ninja's own static files (ninja is in INSTALLED_APPS): nothing from a CDN.
    docs=Swagger(settings={"persistAuthorization": True}),
)
install_handlers(api)
api.add_decorator(with_language, mode="view")
api.add_router("", reports.router)
api.add_router("", clues.router)
api.add_router("", orgs.router)
api.add_router("", figures.router)
api.add_router("", cases.router)

"""The project's URLs, plus stand-ins for the page names other parts of the app have not built yet.

base.html links to every main page; while those are being built, the figures page tests use this
URLconf so that a missing sibling page does not hide what these tests check. A name the project
already provides is never replaced.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, URLPattern, URLResolver, path, reverse

from config.urls import urlpatterns as project_patterns

NAMES = ["home", "inbox", "clue-ledger", "report-ledger", "figures-clues", "orgs-home", "set-language", "login",
         "logout"]


def _stub(request: HttpRequest) -> HttpResponse:
    return HttpResponse("stub")


def _missing() -> list[str]:
    out = []
    for name in NAMES:
        try:
            reverse(name, urlconf="config.urls")
        except NoReverseMatch:
            out.append(name)
    return out


urlpatterns: list[URLPattern | URLResolver] = [
    *project_patterns,
    *[path(f"__stub__/{name}/", _stub, name=name) for name in _missing()],
]

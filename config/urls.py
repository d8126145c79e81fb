from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.generic.base import RedirectView

urlpatterns: list[URLPattern | URLResolver] = [
    path("favicon.ico", RedirectView.as_view(url="/static/saohei/favicon.svg", permanent=True)),
]

if "workbench" in settings.SAOHEI_SERVE:
    from saohei.api.api import api
    from saohei.orgs.language import set_language
    from saohei.portal.hotline import hotline_report

    urlpatterns += [
        path("admin/", admin.site.urls),
        path("api/v1/", api.urls),
        path("language/", set_language, name="set-language"),
        path("", include("saohei.core.urls")),
        path("orgs/", include("saohei.orgs.urls")),
        path("reports/hotline/", hotline_report, name="report-hotline"),
        path("reports/", include("saohei.intake.urls")),
        path("clues/messages/", include("saohei.portal.staff_urls")),
        path("clues/", include("saohei.clues.urls")),
        path("cases/", include("saohei.cases.urls")),
        path("figures/", include("saohei.figures.urls")),
        path("analytics/weekly/", include("saohei.analytics.urls_weekly")),
        path("analytics/network/", include("saohei.analytics.urls_network")),
        path("analytics/", include("saohei.analytics.urls")),
        path("portal/", include("saohei.portal.urls")),
    ]
else:
    # A portal-only host: the public site at the root, nothing of the workbench.
    urlpatterns += [path("", include("saohei.portal.urls"))]

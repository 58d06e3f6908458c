"""Everything under /api/v1/. Each app contributes its own api_urls module."""
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: no inline script, so the strict CSP holds.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("accounts.api_urls")),
    path("", include("complaints.api_urls")),
    path("", include("sla.api_urls")),
    path("", include("reports.api_urls")),
    path("", include("notifications.api_urls")),
    path("", include("outages.api_urls")),
    path("", include("risk.api_urls")),
    path("", include("knowledge.api_urls")),
    path("", include("phrases.api_urls")),
]

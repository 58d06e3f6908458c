from django.urls import path

from .api import ReportBulletinApi, ReportSummaryApi

urlpatterns = [
    path("reports/summary/", ReportSummaryApi.as_view(), name="reports-summary"),
    path("reports/bulletin/", ReportBulletinApi.as_view(), name="reports-bulletin"),
]

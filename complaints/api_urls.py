"""/api/v1/ ticket endpoints: list and intake, detail, one URL per workflow action, attachments."""
from django.urls import path
from django.utils.module_loading import import_string

from complaints.actions import API_ACTIONS
from complaints.api import views as v
from complaints.api.bulk import TicketBulkApi

# One route per declared action (complaints.actions), at its slug.
ACTION_ROUTES = [(a.slug, import_string(a.api_view) if a.api_view else v.ACTION_VIEWS[a.name]) for a in API_ACTIONS]

urlpatterns = [
    path("categories/", v.CategoryListApi.as_view(), name="api-categories"),
    path("tickets/", v.TicketListApi.as_view(), name="api-tickets"),
    path("access-log/", v.AccessLogListApi.as_view(), name="api-access-log"),
    path("tickets/batch/", v.TicketBatchApi.as_view(), name="api-tickets-batch"),
    path("tickets/bulk/", TicketBulkApi.as_view(), name="api-tickets-bulk"),
    path("investigations/", v.InvestigationListApi.as_view(), name="api-investigations"),
    path("investigations/<str:task_id>/", v.InvestigationDetailApi.as_view(), name="api-investigation"),
    path("investigations/<str:task_id>/answer/", v.InvestigationAnswerApi.as_view(), name="api-investigation-answer"),
    path("tickets/<str:number>/", v.TicketDetailApi.as_view(), name="api-ticket-detail"),
    path("tickets/<str:number>/attachments/", v.TicketAttachmentUploadApi.as_view(), name="api-ticket-attachments"),
    path("tickets/<str:number>/attachments/<str:attachment_id>/", v.TicketAttachmentDownloadApi.as_view(),
         name="api-ticket-attachment"),
    *[path(f"tickets/<str:number>/{slug}/", view.as_view(), name=f"api-ticket-{slug}") for slug, view in ACTION_ROUTES],
]

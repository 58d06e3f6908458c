"""/api/v1/ ticket endpoints: list and intake, detail, one URL per workflow action, attachments."""
from django.urls import path

from complaints.api import views as v

ACTIONS = [
    ("dispatch", v.TicketDispatchApi), ("return", v.TicketReturnApi), ("contact", v.TicketContactApi),
    ("reply", v.TicketReplyApi), ("review", v.TicketReviewApi), ("callback", v.TicketCallbackApi),
    ("extend", v.TicketExtendApi), ("extension-decision", v.TicketExtensionDecisionApi),
    ("supervise", v.TicketSuperviseApi), ("chase", v.TicketChaseApi), ("add-info", v.TicketAddInfoApi),
    ("note", v.TicketNoteApi), ("withdraw", v.TicketWithdrawApi), ("responsibility", v.TicketResponsibilityApi),
    ("close", v.TicketCloseApi), ("assign", v.TicketAssignApi), ("change-finding", v.TicketChangeFindingApi),
    ("order-reply", v.TicketOrderReplyApi),
    ("order-close", v.TicketOrderCloseApi), ("major-report", v.TicketMajorReportApi),
    ("major-summary", v.TicketMajorSummaryApi), ("followup", v.TicketFollowUpApi),
    ("investigate", v.TicketInvestigateApi), ("conclude", v.TicketConcludeApi),
]

urlpatterns = [
    path("categories/", v.CategoryListApi.as_view(), name="api-categories"),
    path("tickets/", v.TicketListApi.as_view(), name="api-tickets"),
    path("access-log/", v.AccessLogListApi.as_view(), name="api-access-log"),
    path("tickets/batch/", v.TicketBatchApi.as_view(), name="api-tickets-batch"),
    path("investigations/", v.InvestigationListApi.as_view(), name="api-investigations"),
    path("investigations/<str:task_id>/", v.InvestigationDetailApi.as_view(), name="api-investigation"),
    path("investigations/<str:task_id>/answer/", v.InvestigationAnswerApi.as_view(), name="api-investigation-answer"),
    path("tickets/<str:number>/", v.TicketDetailApi.as_view(), name="api-ticket-detail"),
    path("tickets/<str:number>/attachments/", v.TicketAttachmentUploadApi.as_view(), name="api-ticket-attachments"),
    path("tickets/<str:number>/onsite-investigation/", v.TicketOnsiteInvestigationApi.as_view(),
         name="api-ticket-onsite-investigation"),
    path("tickets/<str:number>/attachments/<str:attachment_id>/", v.TicketAttachmentDownloadApi.as_view(),
         name="api-ticket-attachment"),
    *[path(f"tickets/<str:number>/{slug}/", view.as_view(), name=f"api-ticket-{slug}") for slug, view in ACTIONS],
]

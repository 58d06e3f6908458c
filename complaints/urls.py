from django.urls import path

from complaints.views import actions, audit, detail, intake, investigations, queues

app_name = "complaints"
urlpatterns = [
    path("intake/", intake.intake, name="intake"),
    path("intake/earlier/", intake.earlier, name="earlier"),
    path("intake/clocks/", intake.clocks, name="intake_clocks"),
    path("queue/dispatch/", queues.dispatch_queue_view, name="dispatch_queue"),
    path("queue/dispatch/rows/", queues.dispatch_rows_view, name="dispatch_rows"),
    path("queue/my-work/", queues.my_work_view, name="my_work"),
    path("queue/my-work/rows/", queues.my_work_rows_view, name="my_work_rows"),
    path("queue/bulk/", queues.bulk_view, name="bulk"),
    path("queue/supervision/", queues.supervision_view, name="supervision"),
    path("tickets/", queues.ticket_list_view, name="list"),
    path("audit/access-log/", audit.access_log_view, name="access_log"),
    path("investigations/", investigations.investigation_list, name="investigations"),
    path("investigations/<int:task_id>/", investigations.investigation_detail, name="investigation"),
    path("tickets/<str:number>/", detail.detail, name="detail"),
    path("tickets/<str:number>/reveal-phone/", detail.reveal_phone, name="reveal_phone"),
    path("tickets/<str:number>/attachments/", actions.attachment_upload, name="attachment_upload"),
    path("tickets/<str:number>/attachments/<int:attachment_id>/", detail.attachment_download,
         name="attachment_download"),
    path("tickets/<str:number>/act/<str:action>/", actions.act, name="act"),
]

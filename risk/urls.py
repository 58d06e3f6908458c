from django.urls import path

from . import views

app_name = "risk"
urlpatterns = [
    path("", views.risk_list_view, name="list"),
    path("follow-up/", views.risk_follow_up_view, name="follow_up"),
    path("ledger/12398/", views.ledger_view, name="ledger"),
    path("ledger/12398.xlsx", views.ledger_xlsx_view, name="ledger_xlsx"),
    path("ledger/12398/<str:number>/", views.ledger_act_view, name="ledger_act"),
    path("calibration/", views.calibration_view, name="calibration"),
    path("interviews/", views.interviews_view, name="interviews"),
    path("interviews.xlsx", views.interviews_xlsx_view, name="interviews_xlsx"),
    path("sensitive/", views.sensitive_list_view, name="sensitive"),
    path("sensitive/mark/", views.sensitive_mark_view, name="sensitive_mark"),
    path("sensitive/<int:pk>/remove/", views.sensitive_remove_view, name="sensitive_remove"),
]

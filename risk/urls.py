from django.urls import path

from . import views

app_name = "risk"
urlpatterns = [
    path("", views.risk_list_view, name="list"),
    path("follow-up/", views.risk_follow_up_view, name="follow_up"),
]

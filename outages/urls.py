from django.urls import path

from . import views

app_name = "outages"
urlpatterns = [
    path("", views.board, name="board"),
    path("new/", views.edit, name="create"),
    path("frequent/", views.frequent, name="frequent"),
    path("intake/match/", views.intake_match, name="intake_match"),
    path("intake/call/", views.intake_call, name="intake_call"),
    path("<str:pk>/edit/", views.edit, name="edit"),
    path("<str:pk>/restore/", views.restore, name="restore"),
]

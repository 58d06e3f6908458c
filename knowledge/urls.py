from django.urls import path

from . import views

app_name = "knowledge"
urlpatterns = [
    path("", views.search_page, name="search"),
    path("mine/", views.mine, name="mine"),
    path("new/", views.edit, name="create"),
    path("intake/suggest/", views.intake_suggest, name="intake_suggest"),
    path("intake/answer/", views.intake_answer, name="intake_answer"),
    path("<str:pk>/", views.detail, name="detail"),
    path("<str:pk>/edit/", views.edit, name="edit"),
    path("<str:pk>/<str:action>/", views.transition, name="transition"),
]

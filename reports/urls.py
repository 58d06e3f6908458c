from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("bulletin/", views.bulletin, name="bulletin"),
    path("bulletin.xlsx", views.bulletin_download, name="bulletin_xlsx"),
    path("exports/", views.export_list, name="export_list"),
    path("exports/tickets.<str:fmt>", views.export_tickets, name="export_tickets"),
    path("exports/<int:pk>/", views.export_detail, name="export_detail"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
]

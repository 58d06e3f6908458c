from django.urls import path

from sla import views

app_name = "sla"
urlpatterns = [
    path("calculator/", views.calculator, name="calculator"),
    path("calendar/import/", views.holiday_import, name="holiday_import"),
]

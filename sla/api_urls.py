from django.urls import path

from sla.api import WorkingDaysAddApi

urlpatterns = [
    path("calendar/add-working-days/", WorkingDaysAddApi.as_view(), name="api-calendar-add-working-days"),
]

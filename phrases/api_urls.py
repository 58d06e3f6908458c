from django.urls import path

from . import api

urlpatterns = [
    path("phrases/", api.PhraseListApi.as_view(), name="api-phrases"),
]

from django.urls import path

from . import api

urlpatterns = [
    path("knowledge/articles/", api.ArticleListApi.as_view(), name="api-knowledge-articles"),
    path("knowledge/articles/<str:pk>/", api.ArticleDetailApi.as_view(), name="api-knowledge-article"),
]

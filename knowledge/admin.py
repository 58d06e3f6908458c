"""Articles are written and reviewed on the pages (knowledge.services keeps the index): here only looked at."""
from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyHistoryAdmin, ReadOnlyMixin

from .models import Article, KnowledgeAnswer


@admin.register(Article)
class ArticleAdmin(ReadOnlyMixin, ReadOnlyHistoryAdmin):
    list_display = ["title", "status", "owner_unit", "use_count", "last_used_at", "expires_on", "review_due"]
    list_filter = ["status", ("owner_unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "tags"]
    list_select_related = ["owner_unit"]


@admin.register(KnowledgeAnswer)
class KnowledgeAnswerAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "article", "at"]
    list_select_related = ["ticket", "article"]
    raw_id_fields = ["ticket", "article"]

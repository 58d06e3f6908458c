"""Reads of the knowledge base: what is searchable today, ranked search with highlights, the
owner's stale / unused list, and the first-call resolution figure."""
from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.scoping import visible_unit_ids
from core.config import setting

from . import search
from .markdown import plain
from .models import Article, ArticleStatus


def searchable(today=None) -> QuerySet:
    """Published and in effect today (from its effective date up to and including its expiry date)."""
    today = today or timezone.localdate()
    return Article.objects.filter(Q(effective_from__isnull=True) | Q(effective_from__lte=today),
                                  Q(expires_on__isnull=True) | Q(expires_on__gte=today),
                                  status=ArticleStatus.PUBLISHED)


def article_search(query: str = "", *, category_id: int | None = None, limit: int = 10) -> list[dict]:
    """The best articles for `query` (and the category picked at intake), best first, each with
    its score and highlighted title and snippet."""
    ranked = search.rank(searchable(), query, category_id=category_id, limit=limit)
    articles = Article.objects.select_related("owner_unit").in_bulk([pk for pk, _ in ranked])
    return [{"article": articles[pk], "score": round(score, 3),
             "title_html": search.highlight(articles[pk].title, query),
             "snippet_html": search.highlight(plain(articles[pk].body), query, width=90)}
            for pk, score in ranked if pk in articles]


def articles_for_owner(user) -> QuerySet:
    ids = visible_unit_ids(user)
    qs = Article.objects.select_related("owner_unit").order_by("status", "-updated_at", "-id")
    return qs if ids is None else qs.filter(owner_unit_id__in=ids)


def stale_articles(user, *, today=None) -> list[Article]:
    """The owner's published articles past their review date, or not used for `kb_unused_days`
    (never used counts from publication: the last change)."""
    today = today or timezone.localdate()
    cutoff = timezone.now() - timedelta(days=setting("kb_unused_days"))
    unused = Q(last_used_at__lt=cutoff) | Q(last_used_at__isnull=True, updated_at__lt=cutoff)
    rows = articles_for_owner(user).filter(Q(review_due__lt=today) | unused, status=ArticleStatus.PUBLISHED)
    found = list(rows[:200])
    for a in found:
        a.review_overdue = bool(a.review_due and a.review_due < today)
    return found

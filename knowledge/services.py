"""Every change to the knowledge base: writing an article, its review step (one table of allowed
transitions, one locked service), the search index kept with it, and a call answered from an
article at intake (an enquiry closed on the first call, the article linked and counted)."""
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from accounts.models import Unit
from complaints.models import Category, Kind, ServiceType, Ticket
from complaints.services import ticket_register_closed
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

from .models import Article, ArticleStatus, ArticleTerm, KnowledgeAnswer
from .permissions import may_edit_article_of, may_edit_articles, may_review_article_of
from .search import article_terms
from .selectors import searchable

S = ArticleStatus
# action → (label, from, to, needs the reviewer's right)
TRANSITIONS: dict[str, tuple] = {
    "review": (gettext_lazy("审核通过"), (S.DRAFT,), S.REVIEWED, True),
    "reject": (gettext_lazy("退回修改"), (S.REVIEWED,), S.DRAFT, True),
    "publish": (gettext_lazy("发布"), (S.REVIEWED,), S.PUBLISHED, True),
    "expire": (gettext_lazy("失效下线"), (S.PUBLISHED,), S.EXPIRED, False),
    "revise": (gettext_lazy("重新编辑"), (S.EXPIRED,), S.DRAFT, False),
}


@dataclass
class ArticleData:
    title: str
    body: str
    owner_unit: Unit | None
    categories: list[Category] = dataclass_field(default_factory=list)
    service_types: list[str] = dataclass_field(default_factory=list)
    tags: str = ""
    effective_from: date | None = None
    expires_on: date | None = None
    review_due: date | None = None


def _validate(actor, data: ArticleData) -> None:
    errors: dict[str, list[str]] = {}
    if not (data.title or "").strip():
        errors["title"] = [gettext("请填写标题")]
    if not (data.body or "").strip():
        errors["body"] = [gettext("请填写正文")]
    if data.owner_unit is None:
        errors["owner_unit"] = [gettext("请选择维护单位")]
    bad_types = [t for t in data.service_types if t not in ServiceType.values or not t]
    if bad_types:
        errors["service_types"] = [gettext("服务类型无效")]
    if data.effective_from and data.expires_on and data.expires_on < data.effective_from:
        errors["expires_on"] = [gettext("失效日期不能早于生效日期")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    if not may_edit_article_of(actor, data.owner_unit):
        raise PermissionDenied(gettext("只能编写本单位及下级单位维护的文章"))


def _apply(article: Article, data: ArticleData) -> None:
    article.title, article.body = data.title.strip(), data.body.strip()
    article.owner_unit, article.service_types = data.owner_unit, list(data.service_types)
    article.tags = " ".join((data.tags or "").split())
    article.effective_from, article.expires_on, article.review_due = (data.effective_from, data.expires_on,
                                                                      data.review_due)


def _reindex(article: Article) -> None:
    """Only published articles are in the index."""
    ArticleTerm.objects.filter(article=article).delete()
    if article.status == S.PUBLISHED:
        ArticleTerm.objects.bulk_create([ArticleTerm(article=article, term=t, weight=w)
                                         for t, w in article_terms(article).items()])


def article_create(*, actor, data: ArticleData) -> Article:
    if not may_edit_articles(actor):
        raise PermissionDenied(gettext("您的角色无权编写知识库文章"))
    _validate(actor, data)
    article = Article(created_by=actor, status=S.DRAFT)
    _apply(article, data)
    with transaction.atomic():
        article._history_user = actor
        article.save()
        article.categories.set(data.categories)
    return article


def _lock(article) -> Article:
    pk = article.pk if isinstance(article, Article) else article
    locked = Article.objects.select_for_update().select_related("owner_unit").filter(pk=pk).first()
    if locked is None:
        raise NotFound(gettext("文章不存在"))
    return locked


def article_update(*, actor, article, data: ArticleData) -> Article:
    """Change the text; a reviewed or published article goes back to draft (it is reviewed again)."""
    _validate(actor, data)
    with transaction.atomic():
        locked = _lock(article)
        if not may_edit_article_of(actor, locked.owner_unit):
            raise PermissionDenied(gettext("只能编写本单位及下级单位维护的文章"))
        _apply(locked, data)
        locked.status = S.DRAFT
        locked._history_user = actor
        locked.save()
        locked.categories.set(data.categories)
        _reindex(locked)
    return locked


def article_transition(*, actor, article, action: str) -> Article:
    if action not in TRANSITIONS:
        raise ValidationFailed(gettext("操作无效"), fields={"action": [gettext("操作无效")]})
    label, sources, target, reviewer = TRANSITIONS[action]
    with transaction.atomic():
        locked = _lock(article)
        allowed = (may_review_article_of if reviewer else may_edit_article_of)(actor, locked.owner_unit)
        if not allowed:
            raise PermissionDenied(gettext("您无权执行「%(action)s」") % {"action": label})
        if locked.status not in sources:
            raise Conflict(gettext("文章当前为「%(status)s」，不能%(action)s")
                           % {"status": locked.get_status_display(), "action": label}, code="invalid_transition")
        locked.status = target
        locked._history_user = actor
        locked.save(update_fields=["status", "updated_at"])
        _reindex(locked)
    return locked


def article_answer(*, actor, article: Article, data, idempotency_key: str = "") -> tuple[Ticket, bool]:
    """The call answered from `article` (答复依据知识库): registered as an enquiry through the intake
    service, closed at once with the article named in the reply, linked and counted."""
    if not searchable().filter(pk=article.pk).exists():
        raise Conflict(gettext("该文章未发布或已失效"), code="invalid_transition")
    reply = gettext("已按知识库《%(title)s》答复客户。") % {"title": article.title}
    description = (data.description or "").strip() or gettext("咨询：%(title)s") % {"title": article.title}
    data = replace(data, kind=Kind.ENQUIRY, description=description)
    def link(ticket):
        KnowledgeAnswer.objects.create(ticket=ticket, article=article)
        Article.objects.filter(pk=article.pk).update(use_count=F("use_count") + 1, last_used_at=timezone.now())

    return ticket_register_closed(actor=actor, data=data, reply_text=reply, idempotency_key=idempotency_key,
                                  on_created=link)

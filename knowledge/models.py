"""The 95598 knowledge base 知识库: articles agents answer callers from, their review step
(draft → reviewed → published → expired, with history) and the calls answered from them.

Written only through knowledge.services. Not personal data; the answered calls are tickets."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Unit
from complaints.models import Category, Ticket
from core.choices import ChoiceLabels


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    REVIEWED = "reviewed", _("已审核")
    PUBLISHED = "published", _("已发布")
    EXPIRED = "expired", _("已失效")


class Article(ChoiceLabels, models.Model):
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文(Markdown)"), max_length=20000)
    categories = models.ManyToManyField(Category, verbose_name=_("投诉分类"), blank=True, related_name="+")
    service_types = models.JSONField(_("服务类型"), default=list, blank=True)
    tags = models.CharField(_("标签"), max_length=200, blank=True, help_text=_("空格分隔"))
    effective_from = models.DateField(_("生效日期"), null=True, blank=True)
    expires_on = models.DateField(_("失效日期"), null=True, blank=True)
    review_due = models.DateField(_("复审日期"), null=True, blank=True)
    owner_unit = models.ForeignKey(Unit, verbose_name=_("维护单位"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT)
    use_count = models.PositiveIntegerField(_("使用次数"), default=0)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("编写人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at", "use_count", "last_used_at"])

    class Meta:
        verbose_name = _("知识库文章")
        verbose_name_plural = _("知识库文章")
        ordering = ["-updated_at", "-id"]
        permissions = [("edit_article", _("编写知识库文章")), ("review_article", _("审核、发布知识库文章"))]
        constraints = [models.CheckConstraint(condition=Q(status__in=ArticleStatus.values),
                                              name="article_status_valid")]
        indexes = [models.Index(fields=["owner_unit", "status"], name="article_owner_status"),
                   models.Index(fields=["status", "-use_count"], name="article_status_use")]

    def __str__(self):
        return self.title


class ArticleTerm(models.Model):
    """The search index: each distinct term of a published article (Chinese character bigrams, whole
    Latin words/numbers) with its weight (title 3, tags 2, body 1, summed). Rewritten by the service
    whenever the article changes; empty for articles that are not published."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="terms")
    term = models.CharField(max_length=32)
    weight = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["term", "article"], name="article_term")]
        constraints = [models.UniqueConstraint(fields=["article", "term"], name="article_term_unique")]


class KnowledgeAnswer(models.Model):
    """A call answered from an article at intake (the enquiry closed on the first call)."""

    ticket = models.OneToOneField(Ticket, verbose_name=_("工单"), on_delete=models.CASCADE,
                                  related_name="knowledge_answer")
    article = models.ForeignKey(Article, verbose_name=_("知识库文章"), on_delete=models.PROTECT,
                                related_name="answers")
    at = models.DateTimeField(_("答复时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("知识库答复")
        verbose_name_plural = _("知识库答复")
        indexes = [models.Index(fields=["article", "at"], name="kb_answer_article")]

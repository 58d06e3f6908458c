"""The review step draft → reviewed → published → expired (with history), who may do what, safe
Markdown, and a call answered from an article (closed enquiry, article linked and counted)."""
import pytest

from complaints.models import Status
from complaints.services import IntakeData
from core.errors import Conflict, PermissionDenied, ValidationFailed
from knowledge.markdown import render
from knowledge.models import Article, ArticleTerm
from knowledge.selectors import article_search
from knowledge.services import ArticleData, article_answer, article_create, article_transition, article_update

pytestmark = pytest.mark.django_db


def _data(users, **overrides):
    fields = dict(title="欠费停电后复电", body="缴清电费后 **2小时** 内恢复供电。", owner_unit=users["station_a"].unit)
    fields.update(overrides)
    return ArticleData(**fields)


def test_review_workflow_with_history(users):
    article = article_create(actor=users["station_a"], data=_data(users))
    assert article.status == "draft" and not ArticleTerm.objects.exists()
    with pytest.raises(PermissionDenied):  # the station writes; the supervision office reviews
        article_transition(actor=users["station_a"], article=article, action="review")
    with pytest.raises(Conflict):
        article_transition(actor=users["supervisor"], article=article, action="publish")  # not reviewed yet
    for action, status in (("review", "reviewed"), ("reject", "draft"), ("review", "reviewed"),
                           ("publish", "published")):
        article = article_transition(actor=users["supervisor"], article=article, action=action)
        assert article.status == status
    assert article_search("复电")[0]["article"] == article
    article = article_transition(actor=users["station_a"], article=article, action="expire")
    assert article.status == "expired" and article_search("复电") == []
    article = article_transition(actor=users["station_a"], article=article, action="revise")
    history = list(Article.history.filter(id=article.pk).order_by("history_date").values_list("status", flat=True))
    assert history == ["draft", "reviewed", "draft", "reviewed", "published", "expired", "draft"]


def test_editing_a_published_article_sends_it_back_to_review(users, publish):
    article = publish("电费发票", "可在网上国网开具。")
    article = article_update(actor=users["supervisor"], article=article, data=_data(users, title="电费发票开具",
                                                                                   owner_unit=article.owner_unit))
    assert article.status == "draft" and article_search("发票") == []


def test_bad_input_and_scope(users, units):
    with pytest.raises(ValidationFailed) as bad:
        article_create(actor=users["station_a"], data=_data(users, title=" ", service_types=["bogus"]))
    assert set(bad.value.fields) == {"title", "service_types"}
    with pytest.raises(PermissionDenied):
        article_create(actor=users["station_a"], data=_data(users, owner_unit=units["GS-B1-1"]))
    with pytest.raises(PermissionDenied):
        article_create(actor=users["viewer"], data=_data(users))


def test_markdown_is_rendered_without_raw_html():
    html = render("**粗体** <script>alert(1)</script> [x](javascript:alert(1))\n\n<img src=x onerror=alert(1)>")
    assert "<strong>粗体</strong>" in html
    assert "<script>" not in html and "<img" not in html and 'href="javascript' not in html


def test_answered_from_the_knowledge_base_closes_the_enquiry(users, publish):
    article = publish("阶梯电价怎么计算", "分三档。")
    ticket, created = article_answer(actor=users["agent"], article=article, data=IntakeData(
        channel="95598_phone", kind="complaint", customer_name="钱七", customer_phone="13900000009",
        description="问电价怎么算"), idempotency_key="kb-1")
    assert created and (ticket.kind, ticket.status, ticket.dispatched_at) == ("enquiry", Status.ARCHIVED, None)
    assert ticket.knowledge_answer.article == article and article.title in ticket.reply_text
    again, created = article_answer(actor=users["agent"], article=article, data=IntakeData(
        channel="95598_phone", kind="enquiry", customer_name="钱七", customer_phone="13900000009",
        description="问电价怎么算"), idempotency_key="kb-1")
    article.refresh_from_db()
    assert not created and again.pk == ticket.pk and article.use_count == 1 and article.last_used_at
    expired = article_transition(actor=users["supervisor"], article=article, action="expire")
    with pytest.raises(Conflict):
        article_answer(actor=users["agent"], article=expired, data=IntakeData(
            channel="95598_phone", kind="enquiry", customer_name="钱七", customer_phone="13900000009",
            description="x"))

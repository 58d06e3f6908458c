"""Pages and API: search with highlights, the review buttons, the owner's stale list, the three
best articles beside the intake form and the one-click answer, and the first-call figure."""
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from complaints.models import Ticket
from knowledge.models import Article

pytestmark = pytest.mark.django_db


def test_search_page_and_api(client_for, client_as, publish, django_assert_max_num_queries):
    article = publish("阶梯电价怎么计算", "居民用电分三档，**第一档**电价最低。")
    for i in range(6):
        publish(f"电价问答{i}", "电价相关")
    page = client_for("agent").get(reverse("knowledge:search"), {"q": "电价"}).content.decode()
    assert "<mark>电价</mark>" in page and f'data-article="{article.pk}"' in page
    with django_assert_max_num_queries(10):  # auth, then count, df, scores, the hits: not per hit
        hits = client_as("agent").get(reverse("api-knowledge-articles"), {"q": "阶梯电价"}).json()
    assert hits[0]["id"] == article.pk and "<mark>" in hits[0]["title_html"]
    detail = client_as("agent").get(reverse("api-knowledge-article", args=[article.pk])).json()
    assert "<strong>第一档</strong>" in detail["body_html"]
    assert client_as("agent").get(reverse("api-knowledge-articles"), {"limit": "0"}).status_code == 400
    assert client_as("agent").get(reverse("api-knowledge-article", args=["99999"])).status_code == 404


def test_review_buttons_on_the_article_page(client_for, users):
    from knowledge.services import ArticleData, article_create

    article = article_create(actor=users["station_a"], data=ArticleData(
        title="电能表校验", body="可申请校验，5个工作日出结果。", owner_unit=users["station_a"].unit))
    station = client_for("station_a").get(reverse("knowledge:detail", args=[article.pk])).content.decode()
    assert 'data-action="review"' not in station  # the station writes, the office reviews
    assert client_for("station_b").get(reverse("knowledge:detail", args=[article.pk])).status_code == 404  # a draft
    office = client_for("supervisor")
    assert 'data-action="review"' in office.get(reverse("knowledge:detail", args=[article.pk])).content.decode()
    office.post(reverse("knowledge:transition", args=[article.pk, "review"]))
    office.post(reverse("knowledge:transition", args=[article.pk, "publish"]))
    assert Article.objects.get().status == "published"


def test_write_an_article_on_the_page(client_for, users):
    response = client_for("station_a").post(reverse("knowledge:create"), {
        "title": "新装用电", "body": "- 身份证\n- 房产证明", "owner_unit": users["station_a"].unit_id}, follow=True)
    assert Article.objects.get().status == "draft" and "<li>身份证</li>" in response.content.decode()
    assert client_for("viewer").get(reverse("knowledge:create")).status_code == 403


def test_stale_and_unused_listed_for_the_owner(client_for, publish, users):
    with time_machine.travel(timezone.now() - timedelta(days=91)):
        unused = publish("电费退费", "到营业厅办理")
    overdue = publish("电费发票", "网上国网开具", review_due=timezone.localdate() - timedelta(days=1))
    publish("复电时限", "2小时")
    page = client_for("supervisor").get(reverse("knowledge:mine")).content.decode()
    stale = page.split('id="stale-articles"')[1].split("</table>")[0]
    assert f'data-article="{unused.pk}"' in stale and f'data-article="{overdue.pk}"' in stale
    assert stale.count("data-article=") == 2


def test_intake_suggests_three_and_answers_in_one_click(client_for, publish, category, users):
    best = publish("阶梯电价怎么计算", "分三档", categories=[category])
    for i in range(4):
        publish(f"电价说明{i}", "电价")
    client = client_for("agent")
    assert 'id="kb-panel"' in client.get(reverse("complaints:intake")).content.decode()
    html = client.get(reverse("knowledge:intake_suggest"), {"description": "客户问阶梯电价", "category": category.pk}
                      ).content.decode()
    assert html.count("data-kb-answer") == 3
    assert html.split('data-article="')[1].startswith(f'{best.pk}"')  # the linked category's article first
    response = client.post(reverse("knowledge:intake_answer"), {
        "channel": "95598_phone", "kind": "enquiry", "severity": "ordinary", "mood": "calm",
        "customer_name": "钱七", "customer_phone": "13900000009", "description": "客户问阶梯电价",
        "kb_article": str(best.pk), "idempotency_key": "kb-page-1"}, follow=True)
    ticket = Ticket.objects.get()
    assert ticket.status == "archived" and ticket.knowledge_answer.article == best
    assert "已按知识库答复并办结" in response.content.decode()


def test_first_call_resolution_figure(users, publish, make_ticket):
    from complaints.services import IntakeData, ticket_close, ticket_dispatch
    from knowledge.services import article_answer
    from reports.figures import Period, headline, resolve_scope

    article = publish("阶梯电价怎么计算", "分三档")
    article_answer(actor=users["agent"], article=article, data=IntakeData(
        channel="95598_phone", kind="enquiry", customer_name="钱七", customer_phone="13900000009", description="x"))
    closed = make_ticket(kind="enquiry", category=None, customer_phone="13900000010")
    ticket_close(ticket=closed, actor=users["agent"], reply_text="已答复")
    dispatched = make_ticket(kind="enquiry", category=None, customer_phone="13900000011")
    ticket_dispatch(ticket=dispatched, actor=users["lead"], unit=users["station_a"].unit)
    make_ticket(kind="enquiry", category=None, customer_phone="13900000012")  # still open
    cur = headline(resolve_scope(users["viewer"]), Period.parse(None))["current"]
    # 4 enquiries: 2 closed at intake (one from the knowledge base), 1 dispatched, 1 open.
    assert (cur["enquiries"], cur["enquiries_first_call"], cur["kb_answered"]) == (4, 2, 1)
    assert cur["first_call_resolution_rate"] == 2 / 4

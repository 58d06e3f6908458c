"""Chinese search: a two-character word inside a longer phrase is found, results are ranked (title
over body, rare words over common ones) with highlights; only articles in effect are found."""
from datetime import timedelta

import pytest
from django.utils import timezone

from knowledge.search import highlight, terms
from knowledge.selectors import article_search

pytestmark = pytest.mark.django_db


def test_terms_are_bigrams_and_words():
    assert terms("阶梯电价") == ["阶梯", "梯电", "电价"]
    assert terms("电 IC卡 2024") == ["电", "ic", "卡", "2024"]


def test_two_character_word_inside_a_longer_phrase_is_found(publish):
    tariff = publish("居民生活用电执行阶梯电价政策说明", "按年度累计用电量分三档计费。")
    publish("新装用电办理流程", "带身份证和房产证明到营业厅或网上国网申请。")
    found = article_search("电价")
    assert [r["article"] for r in found] == [tariff]
    assert "<mark>电价</mark>" in found[0]["title_html"]
    # typed inside a sentence, the way an agent types the caller's words
    assert article_search("客户问为什么电价这么高")[0]["article"] == tariff


def test_ranked_title_first_and_category_boost(publish, category):
    in_body = publish("电费缴纳渠道", "可以通过网上国网缴费，也可以到营业厅缴纳。如有疑问可咨询阶梯电价。")
    in_title = publish("阶梯电价怎么计算", "分三档。")
    assert [r["article"] for r in article_search("阶梯电价")] == [in_title, in_body]
    boosted = publish("抄表与电价", "抄表例日。", categories=[category])
    assert article_search("电价", category_id=category.pk)[0]["article"] == boosted
    assert [r["article"] for r in article_search("", category_id=category.pk)] == [boosted]


def test_only_articles_in_effect_are_found(publish, users):
    today = timezone.localdate()
    publish("旧版电价标准", "已废止", expires_on=today - timedelta(days=1))
    publish("新版电价标准", "明年执行", effective_from=today + timedelta(days=1))
    current = publish("现行电价标准", "今日有效", effective_from=today, expires_on=today)
    from knowledge.services import ArticleData, article_create

    article_create(actor=users["supervisor"], data=ArticleData(title="草稿电价", body="未审核",
                                                                 owner_unit=users["supervisor"].unit))
    assert [r["article"] for r in article_search("电价标准")] == [current]


def test_highlight_escapes_html():
    html = highlight("<script>电价</script>", "电价")
    assert html == "&lt;script&gt;<mark>电价</mark>&lt;/script&gt;"

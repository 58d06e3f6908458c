"""常用语: offered beside the action forms' free-text fields with {客户}/{工单号}/{期限} filled, scoped to
the user's unit and the units above it and to the ticket's category; read by the API; kept per subtree
in the admin."""
import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from accounts.models import User
from complaints.models import Category
from phrases.models import Field, Phrase
from phrases.seed import DEFAULTS, seed_phrases
from sla.models import ACTIVE_CLOCK_STATES
from sla.workcal import format_due

TEMPLATE = "{客户}您好，工单{工单号}将于{期限}前答复"


def _due(ticket):
    return format_due(min(c.due_at for c in ticket.clocks.all() if c.state in ACTIVE_CLOCK_STATES))


def test_reply_form_offers_the_phrases_of_the_users_unit_and_above_filled_for_the_ticket(contacted, users, units,
                                                                                       client_for):
    Phrase.objects.create(field=Field.REPLY_TEXT, title="县公司模板", text=TEMPLATE, unit=units["XG-A1"])
    Phrase.objects.create(field=Field.REPLY_TEXT, title="别县模板", text="别县", unit=units["XG-B1"])
    Phrase.objects.create(field=Field.RETURN_REASON, title="退单模板", text="不属本所")
    page = client_for("station_a").get(reverse("complaints:detail", args=[contacted.number])).content.decode()
    filled = f"张三您好，工单{contacted.number}将于{_due(contacted)}前答复"
    assert 'data-phrase-for="id_reply-reply_text"' in page
    assert f'value="{filled}"' in page and "县公司模板" in page
    assert "别县模板" not in page  # another county's phrases stay there
    assert "退单模板" not in page  # the return form is not offered on a contacted ticket


def test_category_phrases_only_for_tickets_of_that_category_or_class(make_ticket, users, category):
    from phrases.selectors import applicable

    other = Category.objects.filter(parent__isnull=False).exclude(parent=category.parent).first()
    Phrase.objects.create(field=Field.CAUSE, title="本类", text="a", category=category.parent)
    Phrase.objects.create(field=Field.CAUSE, title="他类", text="b", category=other)
    ticket = make_ticket()
    assert [p.title for p in applicable(users["station_a"], ticket)] == ["本类"]


def test_api_returns_filled_texts_in_scope_only(contacted, users, units, client_as):
    Phrase.objects.create(field=Field.REPLY_TEXT, title="t", text=TEMPLATE, unit=units["GS-A1-1"])
    url = reverse("api-phrases")
    mine = client_as("station_a").get(url, {"field": "reply_text", "ticket": contacted.number})
    assert mine.status_code == 200
    assert [p["text"] for p in mine.json()] == [f"张三您好，工单{contacted.number}将于{_due(contacted)}前答复"]
    assert client_as("station_b").get(url, {"field": "reply_text", "ticket": contacted.number}).status_code == 404
    bad = client_as("station_a").get(url, {"field": "nope", "ticket": contacted.number})
    assert bad.status_code == 400 and "field" in bad.json()["error"]["fields"]


def test_admin_of_a_county_sees_and_keeps_only_its_subtree(units):
    county_admin = User.objects.create_user("county_admin", password="x", unit=units["XG-A1"], is_staff=True)
    county_admin.user_permissions.add(*Permission.objects.filter(codename__endswith="_phrase"))
    Phrase.objects.create(field=Field.CAUSE, title="本县", text="a", unit=units["GS-A1-2"])
    Phrase.objects.create(field=Field.CAUSE, title="全省", text="b")
    client = Client()
    client.force_login(county_admin)
    listing = client.get(reverse("admin:phrases_phrase_changelist")).content.decode()
    assert "本县" in listing and "全省" not in listing
    refused = client.post(reverse("admin:phrases_phrase_add"), {"field": "cause", "title": "越权", "text": "x",
                                                                "unit": units["XG-B1"].pk, "sort": 0, "active": "on"})
    assert refused.status_code == 200 and not Phrase.objects.filter(title="越权").exists()


@pytest.mark.django_db
def test_default_set_is_seeded_once_for_every_field():
    Phrase.objects.all().delete()
    assert seed_phrases() == len(DEFAULTS)
    assert seed_phrases() == 0
    assert set(Phrase.objects.values_list("field", flat=True)) == set(Field.values)

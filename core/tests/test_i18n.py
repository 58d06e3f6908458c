"""English through Django's i18n: pages, the API's labels, and the catalogue itself.

Source strings are Chinese (the default language); locale/en holds the English catalogue,
committed compiled so a fresh machine needs no gettext tools."""
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from complaints.services import ticket_dispatch

pytestmark = pytest.mark.django_db

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


@pytest.fixture(autouse=True)
def _default_language_after():
    # A request in English leaves English active in this thread; later tests expect Chinese.
    yield
    translation.activate(settings.LANGUAGE_CODE)


def english_client(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Language"] == "en"
    return response.content.decode()


# --- pages ------------------------------------------------------------------------------------

def test_login_page_in_english():
    html = page(english_client(), "/accounts/login/")
    assert '<html lang="en">' in html
    for text in ("Sign in", "Username", "Password", "Power Supply Service Complaint System"):
        assert text in html
    assert "用户名" not in html and "供电服务投诉工单系统" not in html


def test_login_page_stays_chinese_by_default():
    html = Client().get("/accounts/login/").content.decode()
    assert "用户名" in html and "Username" not in html


def test_set_language_switches_the_session_to_english(users):
    client = Client()
    client.force_login(users["agent"])
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/intake/"})
    assert response.status_code == 302
    html = client.get("/intake/").content.decode()
    assert "Customer name" in html and "客户姓名" not in html


def test_intake_form_for_the_agent(users):
    html = page(english_client(users["agent"]), "/intake/")
    for text in ("Register ticket", "Customer name", "Contact phone", "Request details", "Ticket search",
                 "Sign out", "— Select a category —", "Working-day calculator"):
        assert text in html
    for text in ("受理登记", "客户姓名", "诉求内容", "工单查询", "退出"):
        assert text not in html


def test_ticket_list(users, make_ticket):
    ticket = make_ticket()
    html = page(english_client(users["supervisor"]), "/tickets/")
    assert ticket.number in html
    for text in ("Ticket search", "Ticket no.", "Handling unit", "Registered", "Search"):
        assert text in html
    for text in ("工单查询", "承办单位", "已受理"):
        assert text not in html


def test_ticket_page_for_the_handling_station(users, units, make_ticket):
    ticket = ticket_dispatch(ticket=make_ticket(), actor=users["lead"], unit=units["GS-A1-1"])
    html = page(english_client(users["station_a"]), f"/tickets/{ticket.number}/")
    for text in ("Ticket information", "Handling history", "Dispatched", "Contact customer", "Deadline",
                 "Request details", "Complaint"):
        assert text in html
    for text in ("工单信息", "处理过程", "已派发", "联系客户"):
        assert text not in html


def test_dispatch_queue_for_the_team_lead(users, make_ticket):
    ticket = make_ticket()
    html = page(english_client(users["lead"]), "/queue/dispatch/")
    assert ticket.number in html
    assert "Tickets awaiting dispatch" in html and "待派发工单" not in html


def test_dashboard(users):
    html = page(english_client(users["supervisor"]), "/reports/")
    for text in ("Dashboard", "Subordinate unit ranking", "Breached tickets", "Month"):
        assert text in html
    for text in ("统计看板", "名次", "统计月份", "本期无下级单位数据"):
        assert text not in html


def test_flash_message_after_an_action_is_english(users, units, make_ticket):
    ticket = ticket_dispatch(ticket=make_ticket(), actor=users["lead"], unit=units["GS-A1-1"])
    client = english_client(users["station_a"])
    response = client.post(f"/tickets/{ticket.number}/act/contact/",
                           {"version": ticket.version, "contact-method": "phone", "contact-reached": "yes"},
                           follow=True)
    html = response.content.decode()
    assert f"Ticket {ticket.number}: Contact recorded" in html


# --- API --------------------------------------------------------------------------------------

def test_api_labels_follow_lang_and_accept_language(client_as, make_ticket):
    ticket = make_ticket()
    client = client_as("supervisor")
    body = client.get(f"/api/v1/tickets/{ticket.number}/?lang=en").json()
    assert body["status_label"] == "Registered"
    assert body["channel_label"] == "95598 phone"
    assert client.get(f"/api/v1/tickets/{ticket.number}/", HTTP_ACCEPT_LANGUAGE="en").json()[
        "status_label"] == "Registered"
    body = client.get(f"/api/v1/tickets/{ticket.number}/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert body["status_label"] == "已受理"
    assert client.get(f"/api/v1/tickets/{ticket.number}/").json()["status_label"] == "已受理"


def test_api_error_message_in_english(client_as):
    response = client_as("supervisor").get("/api/v1/tickets/GD0000000000000/?lang=en")
    assert response.status_code == 404
    assert not re.search(r"[\u4e00-\u9fff]", response.json()["error"]["message"])


# --- the catalogue ----------------------------------------------------------------------------

def _unquote(lines: list[str]) -> str:
    return "".join(bytes(line[1:-1], "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
                   for line in lines)


def parse_po(path: Path) -> list[dict]:
    """A tiny .po reader: one dict per entry with flags, msgid, msgid_plural and msgstr(s)."""
    entries = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        entry, key = {"flags": set(), "msgstr": []}, None
        parts: dict[str, list[str]] = {}
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {f.strip() for f in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                parts[key].append(line)
            else:
                key, _, rest = line.partition(" ")
                parts[key] = [rest]
        entry["msgid"] = _unquote(parts.get("msgid", ['""']))
        entry["msgid_plural"] = _unquote(parts["msgid_plural"]) if "msgid_plural" in parts else None
        entry["msgstr"] = [_unquote(v) for k, v in parts.items() if k.startswith("msgstr")]
        entries.append(entry)
    return entries


def test_catalogue_is_complete():
    entries = [e for e in parse_po(PO) if e["msgid"]]  # the header has an empty msgid
    assert len(entries) > 500
    untranslated = [e["msgid"] for e in entries if not all(s.strip() for s in e["msgstr"])]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == [] and fuzzy == []
    assert "fuzzy" not in parse_po(PO)[0]["flags"]


def test_catalogue_placeholders_match():
    placeholder = re.compile(r"%\(\w+\)s|%%|\{\w+\}")
    for e in parse_po(PO):
        for text in e["msgstr"]:
            assert sorted(placeholder.findall(text)) == sorted(placeholder.findall(e["msgid"])), e["msgid"]


def test_compiled_catalogue_is_committed_and_current():
    assert MO.exists(), "run: manage.py compilemessages -l en"
    with MO.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    for e in parse_po(PO):
        if e["msgid"] and e["msgid_plural"] is None:
            assert catalog.gettext(e["msgid"]) == e["msgstr"][0], "django.mo is stale: run compilemessages"

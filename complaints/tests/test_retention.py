"""Retention: archived tickets closed longer ago than the setting lose the customer's personal data,
on the ticket and in its history; the figures stay as they were; a second run changes nothing."""
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from complaints.models import Status, Ticket
from complaints.services import ticket_callback
from complaints.services.retention import PURGED_NAME
from core.models import Setting
from reports.figures import Period, period_figures, resolve_scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def archived(reviewed, users):
    return ticket_callback(ticket=reviewed, actor=users["supervisor"], result="satisfied")


def _run() -> str:
    from io import StringIO

    out = StringIO()
    call_command("purge_personal_data", stdout=out)
    return out.getvalue()


def test_old_archived_tickets_lose_personal_data_figures_unchanged_second_run_changes_nothing(
        archived, make_ticket, users):
    assert archived.status == Status.ARCHIVED
    recent = make_ticket(customer_name="李近", customer_phone="13700000001")
    # Closed six years ago: past the default five.
    Ticket.objects.filter(pk=archived.pk).update(closed_at=timezone.now() - timedelta(days=6 * 366))
    scope, period = resolve_scope(users["supervisor"], None), Period.parse(None)

    def figures():
        return {k: v for k, v in period_figures(scope, period, refresh=True).items() if k != "computed_at"}

    before = figures()

    message = _run()
    assert "已删除 1 件" in message
    old = Ticket.objects.get(pk=archived.pk)
    assert (old.customer_name, old.customer_phone, old.account_no, old.address) == (PURGED_NAME, "", "", PURGED_NAME)
    assert not old.history.exclude(customer_name=PURGED_NAME).exists()  # the history rows too
    assert not old.history.exclude(customer_phone="").exists()
    assert Ticket.objects.get(pk=recent.pk).customer_name == "李近"  # open and recent: kept
    assert (old.status, old.category_id, old.substantiated, old.is_repeat) == (
        archived.status, archived.category_id, archived.substantiated, archived.is_repeat)
    assert figures() == before

    assert "已删除 0 件" in _run()  # idempotent
    assert figures() == before


def test_the_retention_period_is_a_setting(archived):
    Ticket.objects.filter(pk=archived.pk).update(closed_at=timezone.now() - timedelta(days=400))
    assert "已删除 0 件" in _run()  # five years by default
    Setting.objects.create(key="personal_data_retention_years", value=1)
    assert "已删除 1 件" in _run()
    assert Ticket.objects.get(pk=archived.pk).customer_name == PURGED_NAME


def test_the_purge_runs_monthly_by_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["purge-personal-data"]
    assert entry["task"] == "complaints.tasks.purge_personal_data_task"
    assert entry["schedule"].day_of_month == {1}

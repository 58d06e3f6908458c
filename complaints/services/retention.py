"""Retention of customers' personal data (PIPL): archived tickets closed longer ago than the business
setting `personal_data_retention_years` (default 5) lose the customer's name, phone, account number and
address — on the ticket and in its history rows. Everything the figures count stays as it was.

Each batch is a compare-and-set (`filter(…, not yet purged).update(…)`), so a second or an overlapping
run changes nothing twice."""
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from complaints.models import Status, Ticket
from core.config import setting

PURGED_NAME = "（个人信息已按保存期限删除）"
BATCH = 1000


@dataclass
class PurgeResult:
    cutoff: datetime
    tickets: int
    history_rows: int

    def message(self) -> str:
        return gettext("已删除 %(n)s 件已归档工单(办结早于 %(cutoff)s)的客户个人信息，历史记录 %(h)s 条") % {
            "n": self.tickets, "cutoff": timezone.localtime(self.cutoff).strftime("%Y-%m-%d"), "h": self.history_rows}


def retention_cutoff(now: datetime, years: int) -> datetime:
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def personal_data_purge(*, now: datetime | None = None, batch: int = BATCH) -> PurgeResult:
    cutoff = retention_cutoff(now or timezone.now(), int(setting("personal_data_retention_years")))
    due = (Ticket.objects.filter(status=Status.ARCHIVED, closed_at__lt=cutoff).exclude(customer_name=PURGED_NAME)
           .order_by("id"))
    erased = {"customer_name": PURGED_NAME, "customer_phone": "", "account_no": "", "address": PURGED_NAME}
    tickets = history_rows = 0
    last = 0
    while True:
        ids = list(due.filter(id__gt=last).values_list("id", flat=True)[:batch])
        if not ids:
            break
        last = ids[-1]
        with transaction.atomic():
            tickets += Ticket.objects.filter(id__in=ids, status=Status.ARCHIVED).exclude(
                customer_name=PURGED_NAME).update(**erased)
            history_rows += Ticket.history.model.objects.filter(id__in=ids).exclude(
                customer_name=PURGED_NAME, customer_phone="", account_no="", address=PURGED_NAME).update(**erased)
    return PurgeResult(cutoff=cutoff, tickets=tickets, history_rows=history_rows)

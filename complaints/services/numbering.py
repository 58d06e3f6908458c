"""Ticket numbers: YYYYMMDD + 7 digits from a global counter, unique under concurrent intake.

PostgreSQL draws from a sequence (no lock held by the intake transaction); SQLite, which
serialises writers anyway, uses a counter row."""
from django.db import connection
from django.db.models import F
from django.utils import timezone

from complaints.models import TicketCounter

SEQUENCE = "complaints_ticket_number_seq"


def next_numbers(count: int) -> list[str]:
    """`count` new ticket numbers, in one round trip on PostgreSQL."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [SEQUENCE, count])
            values = [row[0] for row in cursor.fetchall()]
    else:
        TicketCounter.objects.get_or_create(id=1)
        TicketCounter.objects.filter(id=1).update(value=F("value") + count)
        last = TicketCounter.objects.values_list("value", flat=True).get(id=1)
        values = range(last - count + 1, last + 1)
    today = timezone.localdate()
    return [f"{today:%Y%m%d}{value % 10_000_000:07d}" for value in values]

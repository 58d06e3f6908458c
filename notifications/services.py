"""Notifications: an in-app row per recipient plus outbox messages, written in the caller's
transaction; delivery is scheduled after commit and retried by beat, so nothing is lost."""
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Role
from core.tasks import enqueue
from notifications.kinds import group_key
from notifications.models import Notification, OutboxMessage
from notifications.tasks import deliver_outbox_task


def notify(*, users, ticket, kind: str, message: str, email: bool = True, sms: bool = False) -> int:
    """Notify `users` about `ticket` (in-app, plus e-mail / SMS through the outbox)."""
    return notify_many([(users, ticket, kind, message)], email=email, sms=sms)


def notify_many(items: Iterable[tuple], *, email: bool = True, sms: bool = False) -> int:
    """Several notifications at once — (users, ticket, kind, message) each — with one insert per
    table, so a sweep over hundreds of tickets costs a handful of queries. `ticket` needs only
    `pk` and `number` (a Ticket, or a light record of one). In-app rows are one per user and
    ticket; a kind that repeats (notifications.kinds.GROUPED_KINDS) updates the reader's row for
    that ticket instead — count + 1, the latest text and time, unread again — in the same statement
    (an upsert on the unique (user, group_key)). E-mail and SMS are one per recipient per call (a
    digest when there are several), so a manager whose unit has 200 clocks crossing in one sweep
    gets one e-mail, not 200. Returns the number of notices (new rows and repeats)."""
    now = timezone.now()
    rows = []
    grouped: dict[tuple[int, str], list] = {}
    by_user: dict[int, tuple[object, list[tuple[object, str]]]] = {}
    for users, ticket, kind, message in items:
        unique = [u for u in {u.pk: u for u in users if u is not None and u.is_active}.values()]
        key = group_key(kind, ticket.pk if ticket else None)
        for u in unique:
            row = [u.pk, ticket.pk if ticket else None, kind, message[:300], getattr(message, "template", ""),
                   getattr(message, "params", {}), now, now, 1, key]
            if key is None:
                rows.append(row)
            elif (u.pk, key) in grouped:  # twice in one call: one row, counted twice, the later text
                earlier = grouped[(u.pk, key)]
                earlier[3:6], earlier[8] = row[3:6], earlier[8] + 1
            else:
                grouped[(u.pk, key)] = row
            by_user.setdefault(u.pk, (u, []))[1].append((ticket, message))
    if not by_user:
        return 0
    fields = ["user", "ticket", "kind", "message", "template", "params", "created_at", "last_at", "count",
              "group_key"]
    if rows:
        insert_rows(Notification, fields, rows)
    if grouped:
        insert_rows(Notification, fields, list(grouped.values()), on_conflict=(
            ["user", "group_key"], {"count": "{table}.{col} + EXCLUDED.{col}", "message": None, "template": None,
                                    "params": None, "last_at": None, "read_at": "NULL"}))
    outbox = []
    for user, messages in by_user.values():
        if len(messages) == 1:
            ticket, message = messages[0]
            subject = f"[工单 {ticket.number}] {message}" if ticket else message
            body = message
        else:
            subject = f"您有 {len(messages)} 条工单提醒"
            body = "\n".join(message for _ticket, message in messages)
        if email and user.email:
            outbox.append(OutboxMessage(channel=OutboxMessage.Channel.EMAIL, recipient=user.email,
                                        subject=subject[:200], body=body))
        if sms and getattr(user, "phone", ""):
            text = body if len(messages) == 1 else f"{subject}，请登录系统查看"
            outbox.append(OutboxMessage(channel=OutboxMessage.Channel.SMS, recipient=user.phone, body=text))
    if outbox:
        OutboxMessage.objects.bulk_create(outbox)
        transaction.on_commit(schedule_delivery)
    return sum(len(messages) for _user, messages in by_user.values())


def sms_customers(messages: Iterable[tuple[str, str]]) -> int:
    """SMS to customers (not users) — (phone, text) each — through the outbox, in the caller's
    transaction, delivered after commit with the same retry rules as every other message."""
    outbox = [OutboxMessage(channel=OutboxMessage.Channel.SMS, recipient=phone, body=text)
              for phone, text in messages if phone]
    if outbox:
        OutboxMessage.objects.bulk_create(outbox)
        transaction.on_commit(schedule_delivery)
    return len(outbox)


def insert_rows(model, fields: list[str], rows: list, *, returning: bool = False, batch: int = 1000,
                on_conflict: tuple[list[str], dict[str, str | None]] | None = None) -> list:
    """Plain multi-row INSERT for hot paths (the sweep): no model instances, values prepared
    only where the database needs it (datetimes, JSON). Returns the new ids with `returning`.
    `on_conflict=(unique fields, {field: SQL or None})` makes it an upsert (PostgreSQL and SQLite
    share the syntax): each listed field is set to the SQL given ({table}/{col} filled in) or, for
    None, to the value the row would have inserted."""
    meta = model._meta
    model_fields = [meta.get_field(name) for name in fields]
    preps = []
    for field in model_fields:
        kind = field.get_internal_type()
        if kind == "DateTimeField":
            preps.append(connection.ops.adapt_datetimefield_value)
        elif kind == "JSONField":
            preps.append(lambda value, f=field: f.get_db_prep_save(value, connection))
        else:
            preps.append(None)
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in model_fields)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    ids: list = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            part = rows[start:start + batch]
            sql = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES {', '.join([one] * len(part))}"
            if on_conflict:
                sql += _upsert_clause(meta, *on_conflict)
            if returning:
                sql += f" RETURNING {qn(meta.pk.column)}"
            params = [value if prep is None or value is None else prep(value)
                      for row in part for prep, value in zip(preps, row, strict=True)]
            cursor.execute(sql, params)
            if returning:
                ids += [r[0] for r in cursor.fetchall()]
    return ids


def _upsert_clause(meta, unique: list[str], updates: dict[str, str | None]) -> str:
    qn = connection.ops.quote_name
    target = ", ".join(qn(meta.get_field(name).column) for name in unique)
    sets = []
    for name, sql in updates.items():
        col = qn(meta.get_field(name).column)
        value = f"EXCLUDED.{col}" if sql is None else sql.format(table=qn(meta.db_table), col=col)
        sets.append(f"{col} = {value}")
    return f" ON CONFLICT ({target}) DO UPDATE SET {', '.join(sets)}"


DELIVERY_DEBOUNCE_SECONDS = 5


def schedule_delivery():
    """One delivery task per few seconds is enough: each run sends every pending message, and a
    burst of changes (a sweep, a batch import) must not flood the queue with identical tasks."""
    if cache.add("notifications:delivery-scheduled", 1, DELIVERY_DEBOUNCE_SECONDS):
        enqueue(deliver_outbox_task)


def notification_mark_read(*, user, notification_id: int) -> bool:
    """Mark one of the user's own notifications read; False if it is not theirs or missing."""
    found = Notification.objects.filter(pk=notification_id, user=user)
    if not found.exists():
        return False
    found.filter(read_at__isnull=True).update(read_at=timezone.now())
    return True


def notifications_mark_all_read(*, user) -> int:
    """Mark all of the user's unread notifications read; how many were."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def unit_people(unit, *roles: str):
    """Active users of `unit` holding any of `roles`."""
    if unit is None:
        return []
    return list(get_user_model().objects.filter(unit=unit, is_active=True, groups__name__in=roles).distinct())


def supervision_people():
    """The supervision office: users with the supervisor role in a unit marked as supervision."""
    return list(get_user_model().objects.filter(is_active=True, groups__name=Role.SUPERVISOR).distinct())

"""Existing repeated notices grouped (see notifications.kinds), then one row per (user, group) enforced."""
from django.db import migrations
from django.db.models import CharField, Count, Exists, F, Max, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat

# notifications.kinds.GROUPED_KINDS when this migration was written (frozen here on purpose).
GROUPED = ["sla_breach", "sla_warning", "supervision_warning", "supervision_escalated", "supervision_breached",
           "investigation_overdue", "chased"]


def group_existing(apps, schema_editor):
    """Existing repeats become one row per (user, ticket, kind): the latest row is kept with the
    group's count, unread if any of the group was; the older copies go."""
    Notification = apps.get_model("notifications", "Notification")
    Notification.objects.update(last_at=F("created_at"))
    grouped = Notification.objects.filter(kind__in=GROUPED, ticket__isnull=False)
    for g in (grouped.values("user_id", "ticket_id", "kind").order_by()
              .annotate(n=Count("id"), keep=Max("id"), unread=Count("id", filter=Q(read_at__isnull=True)))
              .filter(n__gt=1)):
        changes = {"count": g["n"]}
        if g["unread"]:
            changes["read_at"] = None
        Notification.objects.filter(pk=g["keep"]).update(**changes)
    newer = Notification.objects.filter(user_id=OuterRef("user_id"), ticket_id=OuterRef("ticket_id"),
                                        kind=OuterRef("kind"), id__gt=OuterRef("id"))
    grouped.filter(Exists(newer)).delete()
    grouped.update(group_key=Concat(F("kind"), Value(":"), Cast("ticket_id", CharField()),
                                    output_field=CharField()))


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0003_grouped'),
    ]

    operations = [
        migrations.RunPython(group_existing, migrations.RunPython.noop),
    ]

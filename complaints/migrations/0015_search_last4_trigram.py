"""The ticket list's `?q=` stays indexed at millions of tickets: the phone's last four digits as a
stored column with a b-tree (every database); on PostgreSQL trigram indexes for a part of a ticket
number (LIKE '%…%') and for name and address searched as `icontains` (UPPER(…) LIKE, so the index is
on that expression, as 0004 did for the description); `kind` included in the scope index."""
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models

from core.migration_ops import PostgreSQLOnly

FORWARD = [
    "DROP INDEX IF EXISTS ticket_customer_name_trgm",  # on the bare column: icontains never used it
    "CREATE INDEX IF NOT EXISTS ticket_name_upper_trgm ON complaints_ticket USING gin (UPPER(customer_name) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS ticket_address_upper_trgm ON complaints_ticket USING gin (UPPER(address) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS ticket_number_trgm ON complaints_ticket USING gin (number gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS ticket_number_trgm",
    "DROP INDEX IF EXISTS ticket_address_upper_trgm",
    "DROP INDEX IF EXISTS ticket_name_upper_trgm",
    "CREATE INDEX IF NOT EXISTS ticket_customer_name_trgm ON complaints_ticket USING gin (customer_name gin_trgm_ops)",
]


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_api_tokens'),
        ('complaints', '0014_investigation_overdue'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='ticket',
            name='phone_last4',
            field=models.GeneratedField(db_persist=True, expression=django.db.models.functions.text.Right('customer_phone', 4), output_field=models.CharField(max_length=4)),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['phone_last4'], name='ticket_phone_last4'),
        ),
        PostgreSQLOnly(FORWARD, BACKWARD),
        # kind included so the list's total over a scope is an index-only count (PostgreSQL).
        migrations.RemoveIndex(model_name='ticket', name='ticket_owner_received'),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['owner_unit', '-received_at', '-id'], include=('kind',),
                               name='ticket_owner_received'),
        ),
    ]

"""PostgreSQL: a ticket number's last digits (`?q=1234`) are found through a b-tree on the reversed
number (a prefix range) instead of a trigram index on the number (0015). A GIN index is the
costliest one to keep: every write of a ticket row that is not a HOT update (the sweep's sla_state,
each workflow step) adds the number's trigrams to it again."""
from django.db import migrations

from core.migration_ops import PostgreSQLOnly

FORWARD = [
    "CREATE INDEX IF NOT EXISTS ticket_number_reversed ON complaints_ticket (REVERSE(number) text_pattern_ops)",
    "DROP INDEX IF EXISTS ticket_number_trgm",
]
BACKWARD = [
    "CREATE INDEX IF NOT EXISTS ticket_number_trgm ON complaints_ticket USING gin (number gin_trgm_ops)",
    "DROP INDEX IF EXISTS ticket_number_reversed",
]


class Migration(migrations.Migration):

    dependencies = [('complaints', '0018_one_text_index')]

    operations = [PostgreSQLOnly(FORWARD, BACKWARD)]

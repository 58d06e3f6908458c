"""PostgreSQL-only: the ticket number sequence, and trigram indexes so that text search stays
fast at millions of tickets. Other databases skip this (SQLite uses the counter row)."""
from django.db import migrations

from core.migration_ops import PostgreSQLOnly

FORWARD = [
    "CREATE SEQUENCE IF NOT EXISTS complaints_ticket_number_seq",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS ticket_description_trgm ON complaints_ticket USING gin (description gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS ticket_customer_name_trgm ON complaints_ticket USING gin (customer_name gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS ticket_customer_name_trgm",
    "DROP INDEX IF EXISTS ticket_description_trgm",
    "DROP SEQUENCE IF EXISTS complaints_ticket_number_seq",
]


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]
    operations = [PostgreSQLOnly(FORWARD, BACKWARD)]

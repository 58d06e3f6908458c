
from django.conf import settings
from django.db import migrations, models

from core.migration_ops import PostgreSQLOnly

# Text search is `description ICONTAINS …`, which PostgreSQL runs as UPPER(description) LIKE …:
# the trigram index must be on that expression to be used.
FORWARD = [
    "DROP INDEX IF EXISTS ticket_description_trgm",
    "CREATE INDEX IF NOT EXISTS ticket_description_upper_trgm ON complaints_ticket "
    "USING gin (UPPER(description) gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS ticket_description_upper_trgm",
    "CREATE INDEX IF NOT EXISTS ticket_description_trgm ON complaints_ticket USING gin (description gin_trgm_ops)",
]


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('complaints', '0003_ticket_owner_unit'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        PostgreSQLOnly(FORWARD, BACKWARD),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(condition=models.Q(('regulator_ref', ''), _negated=True), fields=['regulator_ref'], name='ticket_regulator_ref'),
        ),
    ]

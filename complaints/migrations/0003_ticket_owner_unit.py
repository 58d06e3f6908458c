"""Ticket.owner_unit: the unit a ticket belongs to for visibility (responsible unit once
dispatched, intake unit before), filled from the existing columns, then required."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('complaints', '0002_postgresql'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalticket',
            name='owner_unit',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.unit', verbose_name='归属单位'),
        ),
        migrations.AddField(
            model_name='ticket',
            name='owner_unit',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.unit', verbose_name='归属单位'),
        ),
        migrations.RunSQL(
            "UPDATE complaints_ticket SET owner_unit_id = COALESCE(unit_id, intake_unit_id)",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name='ticket',
            name='owner_unit',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.unit', verbose_name='归属单位'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['owner_unit', '-received_at', '-id'], name='ticket_owner_received'),
        ),
    ]

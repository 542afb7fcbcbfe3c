# The audit trail, moved from accounts: the model's state only, the table exists.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0002_audit_event'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='AuditEvent',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('action', models.CharField(db_index=True, max_length=100, verbose_name='action')),
                    ('object_type', models.CharField(blank=True, max_length=100, verbose_name='object type')),
                    ('object_id', models.CharField(blank=True, max_length=64, verbose_name='object id')),
                    ('object_repr', models.CharField(blank=True, max_length=200, verbose_name='object')),
                    ('details', models.JSONField(blank=True, default=dict, verbose_name='details')),
                    ('ip_hash', models.CharField(blank=True, max_length=64, verbose_name='client address (hashed)')),
                    ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='time')),
                    ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='audit_events', to=settings.AUTH_USER_MODEL, verbose_name='actor')),
                ],
                options={
                    'verbose_name': 'audit event',
                    'verbose_name_plural': 'audit events',
                    'db_table': 'accounts_auditevent',
                    'ordering': ['-created_at', '-id'],
                    'indexes': [models.Index(fields=['object_type', 'object_id'], name='accounts_au_object__95e488_idx')],
                },
            ),
            ],
            database_operations=[],
        ),
    ]

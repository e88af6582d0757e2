"""The text read from attachments, with a trigram index on PostgreSQL for the search's
LIKE '% word%' (SQLite, for small local registers, scans), and the sweep that reads
attachments whose text was never read (the worker or the broker was down)."""

import django.db.models.deletion
from django.db import migrations, models

FORWARD = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS signals_attachmenttext_search_text_trgm
    ON signals_attachmenttext USING gin (search_text gin_trgm_ops);
"""
BACKWARD = "DROP INDEX IF EXISTS signals_attachmenttext_search_text_trgm;"
SWEEP = "Read attachments whose text is missing"


def trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


def schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_quarter, _ = IntervalSchedule.objects.get_or_create(every=15, period="minutes")
    PeriodicTask.objects.update_or_create(
        name=SWEEP,
        defaults={"task": "signals.tasks.read_missing_attachment_texts",
                  "interval": every_quarter},
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=SWEEP).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('signals', '0009_same_place_index'),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.CreateModel(
            name='AttachmentText',
            fields=[
                ('attachment', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='text', serialize=False, to='signals.attachment')),
                ('text', models.TextField(blank=True)),
                ('search_text', models.TextField(blank=True)),
                ('method', models.CharField(blank=True, choices=[('pdf_text', 'text of the PDF'), ('ocr', 'text recognition (OCR)')], max_length=10)),
                ('status', models.CharField(choices=[('done', 'read'), ('failed', 'could not be read'), ('skipped', 'not read')], max_length=10)),
                ('pages', models.PositiveIntegerField(default=0)),
                ('extracted_at', models.DateTimeField()),
            ],
        ),
        migrations.RunPython(trigram_index, drop_trigram_index),
        migrations.RunPython(schedule, unschedule),
    ]

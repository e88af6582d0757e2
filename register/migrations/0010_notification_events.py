"""Notifications store an event code and its parameters instead of a finished sentence.

Rows stored before keep their sentence in `message` and become the "legacy" event, which is
shown as it was stored: it cannot be reworded, because it was saved already worded.
"""

from django.db import migrations, models


def mark_legacy(apps, schema_editor):
    Notification = apps.get_model("register", "Notification")
    Notification.objects.filter(event="").update(event="legacy")


class Migration(migrations.Migration):

    dependencies = [
        ("register", "0009_four_eyes_and_system_accounts"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="event",
            field=models.CharField(default="", max_length=60, verbose_name="event"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="notification",
            name="params",
            field=models.JSONField(blank=True, default=dict, verbose_name="parameters"),
        ),
        migrations.AlterField(
            model_name="notification",
            name="message",
            field=models.CharField(blank=True, max_length=300, verbose_name="message"),
        ),
        migrations.RunPython(mark_legacy, migrations.RunPython.noop),
    ]

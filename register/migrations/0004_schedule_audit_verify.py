from django.db import migrations


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    nightly, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="3", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="America/Kralendijk",
    )
    PeriodicTask.objects.update_or_create(
        name="Verify the audit trail",
        defaults={"task": "register.tasks.verify_audit_chain", "crontab": nightly},
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name="Verify the audit trail").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0003_audit_append_only"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(schedule, unschedule)]

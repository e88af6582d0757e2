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
    morning, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="7", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="America/Kralendijk",
    )
    PeriodicTask.objects.update_or_create(
        name="Remind managers of data-subject requests",
        defaults={"task": "register.tasks.remind_subject_requests", "crontab": morning},
    )
    monday, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="6", day_of_week="1", day_of_month="*", month_of_year="*",
        timezone="America/Kralendijk",
    )
    PeriodicTask.objects.update_or_create(
        name="Review retention",
        defaults={"task": "register.tasks.review_retention", "crontab": monday},
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=[
        "Verify the audit trail", "Remind managers of data-subject requests",
        "Review retention"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0003_audit_append_only"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(schedule, unschedule)]
